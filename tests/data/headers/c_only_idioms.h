/* What only a C header writes: functions declared without a prototype, `bool` from
 * <stdbool.h> (libclang spells it _Bool), and a result pointer to the library's text. */
#include <stdbool.h>

typedef int cdemo_status;

cdemo_status cdemoInit();
cdemo_status cdemoShutDown(void);
cdemo_status cdemoLog(const char *format, ...);
cdemo_status cdemoSupported(int feature, bool *supported);
cdemo_status cdemoStatusString(cdemo_status status, const char **description);
