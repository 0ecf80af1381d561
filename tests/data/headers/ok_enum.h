/* liblzma's style of status: an enum with an OK of 0, values that report how a call
 * succeeded (STREAM_END) beside errors. Not a status whose every other value is a failure. */
#include <stddef.h>
typedef enum {
  OE_OK = 0,
  OE_STREAM_END = 1,
  OE_NO_CHECK = 2,
  OE_MEM_ERROR = 5,
  OE_DATA_ERROR = 9,
  OE_PROG_ERROR = 11
} oe_ret;
typedef struct oe_coder oe_coder;
oe_ret oe_code(oe_coder *c, int action);
oe_ret oe_reset(oe_coder *c);
oe_ret oe_check(oe_coder *c, int level);
/* expat's style: an enum spelled by its tag, whose OK is 1 and whose failure is 0. */
enum oe_status { OE_STATUS_ERROR = 0, OE_STATUS_OK = 1, OE_STATUS_SUSPENDED = 2 };
enum oe_status oe_parse(oe_coder *c, const char *s, int len, int final);
enum oe_status oe_stop(oe_coder *c, int resumable);
enum oe_status oe_resume(oe_coder *c);
