/* Common C-API idioms beyond OpenCL, one function each (tests/inference/test_idiom_rules.cpp). */
#ifndef IDIOMS_DEMO_H
#define IDIOMS_DEMO_H
#include <stddef.h>
#include <stdint.h>

typedef enum { IDM_SUCCESS = 0, IDM_ERROR_NOT_SUPPORTED = 1, IDM_ERROR_INVALID = 2 } idmResult;

/* Objects spelled as pointers to structs, without a typedef of the pointer. */
typedef struct idm_session idm_session;          /* never defined: opaque */
struct idm_reader { int fd; unsigned char *next; }; /* public fields, but the API owns it */
typedef struct idm_reader *idmReader;
typedef struct idmAllocInfo { uint32_t blockCount; uint32_t flags; } idmAllocInfo;
typedef struct { void *next_in; unsigned avail_in; } idm_stream; /* the caller fills it */
typedef struct idm_block_s *idmBlock;

idmResult idmOpenSession(const char *path, idm_session **session);
idmResult idmSessionPing(idm_session *session, int value);
idmResult idmCloseSession(idm_session *session);
idmReader idmReaderOpen(const char *path);
int idmReaderRead(idmReader reader, void *buf, unsigned len);
int idmReaderClose(idmReader reader);
idmResult idmStreamInit(idm_stream *stream, int level);
idmResult idmStreamEnd(idm_stream *stream);

/* Two-call enumeration and byte lengths through a pointer. */
idmResult idmEnumerateSessions(idm_session *session, uint32_t *pSessionCount, idm_session **pSessions);
idmResult idmGetBlob(idm_session *session, void *data, unsigned int *dataLength);

/* Units and fixed-size arrays. */
idmResult idmSetBlend(idm_session *session, const float blend[4]);
idmResult idmScale(idm_session *session, float *values, int count);
/**
 * \brief Uploads samples.
 * \param session the session
 * \param samples the samples to upload
 * \param count number of floats in samples
 */
idmResult idmUpload(idm_session *session, const void *samples, size_t count);

/* A count held in an input struct. */
idmResult idmAllocateBlocks(idm_session *session, const idmAllocInfo *pAllocInfo, idmBlock *pBlocks);

/* Device addresses. */
idmResult idmMalloc(void **devPtr, size_t size);
idmResult idmFree(void *devPtr);
idmResult idmFill(float *devPtr, float value, size_t count);

#endif
