/* A fictional driver-style API (no C++ default arguments) whose docs speak of "the NULL
 * stream" once, in one call's description: every call that takes a stream by value may be
 * given NULL, except the one that destroys it; other handle types are not touched. Read by
 * tests/inference/test_null_handle_types.cpp. */
#ifndef NULL_STREAM_H
#define NULL_STREAM_H

typedef enum { NS_SUCCESS = 0, NS_ERROR_INVALID_VALUE = 1 } nsResult;
typedef struct ns_stream_st *NSstream;
typedef struct ns_event_st *NSevent;

/**
 * \brief Creates a stream.
 *
 * Valid values for \p flags are:
 * - NS_STREAM_NON_BLOCKING: work in the created stream may run concurrently with work in
 *   stream 0 (the NULL stream).
 *
 * \param phStream - Returned newly created stream
 * \param flags    - Parameters for stream creation
 */
nsResult nsStreamCreate(NSstream *phStream, unsigned int flags);

/**
 * \brief Destroys a stream.
 *
 * \param hStream - Stream to destroy
 */
nsResult nsStreamDestroy(NSstream hStream);

/**
 * \brief Waits until a stream's work is done.
 *
 * \param hStream - Stream to wait for
 */
nsResult nsStreamSynchronize(NSstream hStream);

/**
 * \brief Records an event in a stream.
 *
 * \param hEvent  - Event to record
 * \param hStream - Stream to record the event in
 */
nsResult nsEventRecord(NSevent hEvent, NSstream hStream);

/**
 * \brief Destroys an event.
 *
 * \param hEvent - Event to destroy
 */
nsResult nsEventDestroy(NSevent hEvent);

#endif
