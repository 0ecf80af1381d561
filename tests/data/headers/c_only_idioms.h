/* What only a C header writes: functions declared without a prototype, `bool` from
 * <stdbool.h> (libclang spells it _Bool), and a result pointer to the library's text. */
#include <stdbool.h>

typedef int cdemo_status;

cdemo_status cdemoInit();
cdemo_status cdemoShutDown(void);
cdemo_status cdemoLog(const char *format, ...);
cdemo_status cdemoSupported(int feature, bool *supported);
cdemo_status cdemoStatusString(cdemo_status status, const char **description);

/* A lower-case API's extension chains: the tag is `stype`, the structs end in `_t`. */
#include <stddef.h>
typedef enum _cdemo_structure_type_t {
  CDEMO_STRUCTURE_TYPE_QUEUE_DESC = 1,
  CDEMO_STRUCTURE_TYPE_QUEUE_PRIORITY_EXT_DESC = 2
} cdemo_structure_type_t;
typedef struct _cdemo_queue_desc_t {
  cdemo_structure_type_t stype;
  const void *pNext;
  unsigned ordinal;
} cdemo_queue_desc_t;
typedef struct _cdemo_queue_handle_t *cdemo_queue_handle_t;
cdemo_status cdemoQueueCreate(const cdemo_queue_desc_t *desc, cdemo_queue_handle_t *phQueue);
/* Text by the two-call idiom: a size through a pointer, then the characters. */
cdemo_status cdemoQueueGetLog(cdemo_queue_handle_t hQueue, size_t *pSize, char *pLog);

/* Size first, then the bytes, through a sibling function (nvrtcGetPTXSize / nvrtcGetPTX),
 * also under a versioned symbol name (__nvJitLinkGetLinkedCubinSize_13_0). */
cdemo_status cdemoQueueGetTraceSize(cdemo_queue_handle_t hQueue, size_t *traceSize);
cdemo_status cdemoQueueGetTrace(cdemo_queue_handle_t hQueue, char *trace);
cdemo_status __cdemoQueueGetImageSize_2_1(cdemo_queue_handle_t hQueue, size_t *size);
cdemo_status __cdemoQueueGetImage_2_1(cdemo_queue_handle_t hQueue, void *image);
/* No sibling answers this one: its size stays unknown. */
cdemo_status cdemoQueueGetNotes(cdemo_queue_handle_t hQueue, char *notes);

/* Getters with several outputs: an array declared with array syntax is not one count; a
 * `void *` not named as an address is written; one named as an address is asked about. */
cdemo_status cdemoQueueGetSequence(cdemo_queue_handle_t hQueue, int arrayLengthRequested, int seqLengthArray[],
                                   void *paddingFill);
cdemo_status cdemoMemGetFlags(unsigned *pFlags, void *p);

/* A typedef of void * the API hands out and takes back by value (EGLDisplay) is a handle;
 * one named as untyped memory (voidpf, png_voidp) is not, whatever its lifecycle. */
typedef void *cdemo_display;
typedef void *cdemo_voidp;
cdemo_display cdemoGetDisplay(int which);
cdemo_status cdemoDisplayInit(cdemo_display display, int *major);
cdemo_status cdemoDisplayTerminate(cdemo_display display);
cdemo_voidp cdemoAlloc(size_t n);
cdemo_status cdemoFill(cdemo_voidp p, size_t n);
cdemo_status cdemoFree(cdemo_voidp p);

/* C names C++ reads differently: a member named like a C++ keyword (libdrm's
 * `void *virtual`), and wchar_t, a typedef in C and a built-in type in C++. */
#include <wchar.h>
struct cdemo_map {
  int count;
  void *virtual;
};
cdemo_status cdemoMapBuffers(struct cdemo_map *map);
cdemo_status cdemoOpenW(const wchar_t *path);

/* Parameters documented by their own trailing comments (Level Zero's style). */
#include <stdint.h>
cdemo_status cdemoQueueWaitFor(cdemo_queue_handle_t hQueue,     ///< [in] handle of the queue
                               uint32_t numWaitQueues,          ///< [in][optional] number of queues to wait for
                               cdemo_queue_handle_t *phWaitQueues  ///< [in][optional][range(0, numWaitQueues)] the
                                                                   ///< queues to wait for
);
cdemo_status cdemoQueueList(uint32_t *pCount,                  ///< [in,out] capacity, then how many
                            cdemo_queue_handle_t *phQueues     ///< [in,out][optional][range(0, *pCount)] the queues
);

/* One descriptor and the allocation's byte size: the size is not the descriptor's. */
typedef struct cdemo_alloc_desc { int flags; unsigned ordinal; } cdemo_alloc_desc_t;
cdemo_status cdemoMemAlloc(const cdemo_alloc_desc_t *alloc_desc, size_t size, void **pptr);
