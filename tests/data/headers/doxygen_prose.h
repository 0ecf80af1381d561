/* A fictional accelerator API documented with Doxygen, whose running text (not only its
 * \param lines) says what matters: which calls return before their work is done, which
 * pointers may be NULL, and what a call frees. Read by tests/inference/test_doxygen_prose.cpp. */
#ifndef DOXYGEN_PROSE_H
#define DOXYGEN_PROSE_H

#include <stddef.h>

typedef enum { dpSuccess = 0, dpErrorInvalidValue = 1 } dpError_t;
typedef struct dpStream_st *dpStream_t;
typedef struct dpPool_st *dpPool_t;

/**
 * @brief Fill device memory with a byte value.
 *
 * @param[out] devPtr    device memory to fill
 * @param[in]  value     the byte
 * @param[in]  sizeBytes how many bytes
 *
 * @return #dpSuccess
 *
 * dpFill() is asynchronous with respect to the host, so the call may return before
 * the fill is complete.
 */
dpError_t dpFill(void *devPtr, int value, size_t sizeBytes);

/**
 * @brief Create a stream.
 *
 * @param[in,out] stream Valid pointer to dpStream_t. This function writes the memory with
 * the newly created stream.
 * @return #dpSuccess
 */
dpError_t dpStreamCreate(dpStream_t *stream);

/**
 * @brief Returns the version of the runtime.
 *
 * @param[out] version where the version is written
 *
 * This function returns #dpErrorInvalidValue if \p version is NULL.
 */
dpError_t dpGetVersion(int *version);

/**
 * @brief Reads the error string of the last failure.
 *
 * @param[out] text  where the text is copied
 * @param[in]  bytes its room in bytes
 *
 * If \p text is NULL, nothing is copied and the call only resets the error.
 */
dpError_t dpGetLastErrorText(char *text, size_t bytes);

/**
 * @brief Loads a module.
 *
 * @param[in] image the module image
 *
 * The image may be a binary as output by the compiler, or a NULL-terminated text.
 */
dpError_t dpModuleLoad(const void *image);

/**
 * @brief Frees memory with stream ordered semantics.
 *
 * @param[in] devPtr memory to free
 * @param[in] stream the stream that orders the free
 */
dpError_t dpFreeOrdered(void *devPtr, dpStream_t stream);

/**
 * @brief Trims a pool.
 *
 * Releases memory back to the system until the pool holds fewer than \p keep bytes.
 *
 * @param[in] pool the pool
 * @param[in] keep bytes to keep
 */
dpError_t dpPoolTrim(dpPool_t pool, size_t keep);

/**
 * @brief Destroys a stream.
 *
 * In case the device is still doing work in \p stream, the function will return
 * immediately and the stream is released once its work is done.
 *
 * @param[in] stream the stream
 */
dpError_t dpStreamDestroy(dpStream_t stream);

/**
 * @brief Wait for all work in a stream.
 *
 * @param[in] stream the stream
 *
 * This command follows standard null-stream semantics: specifying the null stream waits
 * for every stream of the device.
 */
dpError_t dpStreamSynchronize(dpStream_t stream);

/**
 * @brief Query a pool's state.
 *
 * @param[in] pool the pool
 *
 * Returns #dpErrorInvalidValue for a null pool.
 */
dpError_t dpPoolQuery(dpPool_t pool);

/**
 * @brief Gets the stream a pool orders its frees on.
 *
 * @param[in]  pool   the pool
 * @param[out] stream where the stream is written
 */
dpError_t dpPoolGetStream(dpPool_t pool, dpStream_t *stream);

/**
 * @brief Enqueues a fill and returns the stream that runs it.
 *
 * @param[in]  devPtr device memory to fill
 * @param[in]  bytes  how many bytes
 * @param[out] stream where the stream that runs the fill is written
 */
dpError_t dpEnqueueFill(void *devPtr, size_t bytes, dpStream_t *stream);

/* Optional arguments as C++ sees them: a default of 0 or NULL, spelled through a macro
 * (as cuda_runtime_api.h does) or in a C++-only declaration (as HIP does). */
#ifdef __cplusplus
#define DP_DEFAULT(v) = v
#else
#define DP_DEFAULT(v)
#endif
dpError_t dpFillAsync(dpPool_t pool, void *devPtr, size_t bytes, dpStream_t stream DP_DEFAULT(0),
                      int *done DP_DEFAULT(NULL), int flags DP_DEFAULT(0));
#ifdef __cplusplus
dpError_t dpRecord(dpPool_t pool, dpStream_t stream = nullptr);
#else
dpError_t dpRecord(dpPool_t pool, dpStream_t stream);
#endif

/**
 * @brief Releases a pool.
 *
 * @param[in] pool the pool
 *
 * Calling dpPoolRelease() with a NULL pointer argument is a harmless no-op.
 */
dpError_t dpPoolRelease(dpPool_t pool);

/**
 * @brief Frees device memory.
 *
 * @param[in] devPtr the memory
 *
 * If \p devPtr is 0, no operation is performed.
 */
dpError_t dpFree(void *devPtr);

/**
 * @brief Updates a running checksum.
 *
 * @param[in] sum the checksum so far
 * @param[in] buf the bytes
 * @param[in] len their count
 *
 * If \p buf is DP_NULL, the call returns the checksum's initial value.
 */
unsigned long dpChecksum(unsigned long sum, const unsigned char *buf, unsigned len);

/**
 * @brief Generates random numbers.
 *
 * Use \p pool to generate \p num values into device memory. Launches are done with the
 * stream set using dpPoolGetStream(), or the null stream if no stream has been set.
 *
 * @param[in] pool   the generator's pool
 * @param[in] devOut device memory for the values
 * @param[in] num    how many values
 */
dpError_t dpGenerate(dpPool_t pool, unsigned int *devOut, size_t num);

/**
 * @brief Returns a pool's streams.
 *
 * @param[in]  pool    the pool
 * @param[out] streams where the streams are written
 * @param[out] numStreams returns the number of streams.
 *
 * streams may be NULL, in which case the call only returns the number in numStreams.
 */
dpError_t dpPoolGetStreams(dpPool_t pool, dpStream_t *streams, size_t *numStreams);

/**
 * @brief Make a stream wait for a pool's frees.
 *
 * Makes all future work submitted to \p stream wait for the frees queued on \p pool.
 *
 * @param[in] stream the stream that waits
 * @param[in] pool   the pool
 */
dpError_t dpStreamWaitPool(dpStream_t stream, dpPool_t pool);

typedef unsigned long long dpDeviceptr;

/**
 * \brief Allocates device memory.
 *
 * \param dptr     - Returned device pointer
 * \param bytesize - Requested allocation size in bytes
 */
dpError_t dpMemAlloc(dpDeviceptr *dptr, size_t bytesize);

/**
 * @brief Gets a device address's allocation size.
 *
 * @param[out] bytes the size
 * @param[in]  dptr  the address
 */
dpError_t dpMemGetSize(size_t *bytes, dpDeviceptr dptr);

/**
 * \brief Allocates device memory on a stream.
 *
 * \param dptr     - Returned device pointer
 * \param bytesize - Requested allocation size in bytes
 * \param stream   - The stream that orders the allocation
 */
dpError_t dpMemAllocAsync(dpDeviceptr *dptr, size_t bytesize, dpStream_t stream DP_DEFAULT(0));

/**
 * @brief Flushes a stream.
 *
 * @param[in]  stream  the stream
 * @param[out] flushed the bytes flushed
 *
 * If \p flushed is non-null, *flushed is set to the bytes the call flushed.
 */
dpError_t dpStreamFlush(dpStream_t stream, size_t *flushed);

/**
 * @brief Configures a pool.
 *
 * If the second parameter to dpConfigure() is a NULL pointer, the defaults are used.
 * If the third parameter to the logger is a NULL pointer, the logger prints nothing.
 */
dpError_t dpConfigure(dpPool_t pool, const char *options, const char *label);

/**
 * \brief Decodes a whole buffer.
 *
 * \param memlimit  Pointer to how much memory the decoder is allowed to use. The
 *                  value pointed by this pointer is modified if and only if
 *                  DP_MEMLIMIT_ERROR is returned.
 * \param chain     An array of four dpLink values. The old contents are ignored so it
 *                  doesn't need to be initialized. This array is modified only if this
 *                  function returns DP_OK.
 * \param used      The bytes used are returned here.
 */
dpError_t dpDecodeBuffer(unsigned long long *memlimit, unsigned int *chain, size_t *used);

#endif
