"""Hand-written CUDA runtime truth labels, read from the Doxygen comments in
/usr/local/cuda/include/cuda_runtime_api.h. Rules and judgment calls: NOTES.md.
Every pointer parameter is labelled here; by-value scalars (int, size_t, enums,
dim3, structs) default to `value` and object types to `handle` (truthlib.py)."""

HANDLE_TYPES = {"cudaStream_t", "cudaEvent_t", "cudaArray_t", "cudaArray_const_t", "cudaGraph_t",
                "cudaGraphExec_t", "cudaMemPool_t", "cudaFunction_t", "cudaLibrary_t", "cudaKernel_t"}
# \note_null_stream: 0 is the (legacy or per-thread) default stream, a valid argument.
NULLABLE_HANDLES = {"cudaStream_t"}
STATUS_TYPES = {"cudaError_t": "cudaSuccess"}

OUT1 = "out element"  # "Returns ..." into exactly one caller-provided variable
DEVPTR_NOTE = "a device pointer: an address in the device's address space, passed through, never dereferenced on the host"


def copy_when(dst_size, src_size, kinds=("dst", "src")):
    """dst/src of a cudaMemcpy-family call: host vs device is decided by `kind`."""
    dst, src = kinds
    out = {}
    if dst:
        out[dst] = [
            {"if": "kind == cudaMemcpyDeviceToHost", "direction": "out", "kind": "buffer", "size": dst_size, "size_unit": "bytes"},
            {"if": "kind == cudaMemcpyHostToHost", "direction": "out", "kind": "buffer", "size": dst_size, "size_unit": "bytes"},
        ]
    if src:
        out[src] = [
            {"if": "kind == cudaMemcpyHostToDevice", "direction": "in", "kind": "buffer", "size": src_size, "size_unit": "bytes"},
            {"if": "kind == cudaMemcpyHostToHost", "direction": "in", "kind": "buffer", "size": src_size, "size_unit": "bytes"},
        ]
    return out


COPY_DST = "opaque -- \"Destination memory address\": host or device memory depending on kind (and on the pointer itself for cudaMemcpyDefault); see when"
COPY_SRC = "opaque -- \"Source memory address\": host or device memory depending on kind; see when"
ASYNC_NOTE = "\"is asynchronous with respect to the host, so the call may return before the copy is complete\""

LABELS = {
    # ------------------------------------------------------------ device management
    "cudaGetDeviceCount": {"params": {"count": OUT1 + " -- \"Returns the number of devices with compute capability\""}},
    "cudaSetDevice": {},
    "cudaGetDevice": {"params": {"device": OUT1 + " -- \"Returns the device on which the active host thread executes\""}},
    "cudaInitDevice": {},
    "cudaGetDeviceProperties": {"params": {"prop": "out element -- \"Properties for the specified device\": one struct cudaDeviceProp"}},
    "cudaDeviceGetAttribute": {"params": {"value": OUT1 + " -- \"Returned device attribute value\""}},
    "cudaDeviceSynchronize": {"barrier": True, "note": "\"Blocks until the device has completed all preceding requested tasks.\""},
    "cudaDeviceReset": {"barrier": True, "note": "destroys all allocations and state of the current device; waits for the device"},
    "cudaDeviceGetLimit": {"params": {"pValue": OUT1 + " -- \"Returned size of the limit\""}},
    "cudaDeviceSetLimit": {},
    "cudaDeviceGetByPCIBusId": {"params": {
        "device": OUT1 + " -- \"Returned device ordinal\"",
        "pciBusId": "in string -- \"String in one of the following forms: [domain]:[bus]:[device].[function] ...\""}},
    "cudaDeviceGetPCIBusId": {"params": {
        "pciBusId": "out buffer size=len elements -- \"Returns an ASCII string ... in the NULL-terminated string pointed to by pciBusId. len specifies the maximum length of the string that may be returned.\""}},
    "cudaDeviceCanAccessPeer": {"params": {"canAccessPeer": OUT1 + " -- \"Returned access capability\""}},
    "cudaDeviceEnablePeerAccess": {},
    "cudaDeviceDisablePeerAccess": {},
    "cudaSetDeviceFlags": {},
    "cudaGetDeviceFlags": {"params": {"flags": OUT1 + " -- \"Pointer to store the device flags\""}},
    "cudaDeviceGetStreamPriorityRange": {"params": {
        "leastPriority": "out element nullable -- \"A NULL may be passed in for *leastPriority or *greatestPriority if the value is not desired\"",
        "greatestPriority": "out element nullable"}},
    "cudaDeviceGetCacheConfig": {"params": {"pCacheConfig": OUT1 + " -- \"Returned cache configuration\""}},
    "cudaDeviceSetCacheConfig": {},
    "cudaChooseDevice": {"params": {
        "device": OUT1 + " -- \"Device with best match\"",
        "prop": "in element -- \"Desired device properties\": one struct cudaDeviceProp read by the call"}},
    "cudaDeviceGetDefaultMemPool": {"params": {
        "memPool": "out element elem=handle -- returns the device's existing default pool; nothing is created"}},
    # ------------------------------------------------------------ errors and versions
    "cudaGetLastError": {"note": "returns and resets the calling thread's last error: per-thread state"},
    "cudaPeekAtLastError": {},
    "cudaGetErrorName": {"ret": "string -- \"char* pointer to a NULL-terminated string\" owned by the runtime"},
    "cudaGetErrorString": {"ret": "string -- \"char* pointer to a NULL-terminated string\" owned by the runtime"},
    "cudaDriverGetVersion": {"params": {"driverVersion": OUT1 + " -- cudaErrorInvalidValue \"if driverVersion is NULL\""}},
    "cudaRuntimeGetVersion": {"params": {"runtimeVersion": OUT1 + " -- cudaErrorInvalidValue if runtimeVersion is NULL"}},
    # ------------------------------------------------------------ streams
    "cudaStreamCreate": {"params": {"pStream": "out element elem=handle allocates -- \"Pointer to new stream identifier\""}},
    "cudaStreamCreateWithFlags": {"params": {"pStream": "out element elem=handle allocates"}},
    "cudaStreamCreateWithPriority": {"params": {"pStream": "out element elem=handle allocates"}},
    "cudaStreamDestroy": {"params": {"stream": "handle deallocates -- \"Destroys and cleans up the asynchronous stream specified by stream\"; returns at once even if work is pending"}},
    "cudaStreamSynchronize": {"barrier": True, "note": "\"Blocks until stream has completed all operations.\""},
    "cudaStreamQuery": {},
    "cudaStreamWaitEvent": {"sync": "async", "note": "\"Makes all future work submitted to stream wait for all work captured in event\"; the host does not wait"},
    "cudaStreamAddCallback": {"sync": "async", "params": {
        "callback": "callback -- \"The function to call once preceding stream operations are complete\"",
        "userData": "userdata nullable -- \"User specified data to be passed to the callback function\""}},
    "cudaLaunchHostFunc": {"sync": "async", "params": {
        "fn": "callback -- \"The function to call once preceding stream operations are complete\"",
        "userData": "userdata nullable -- \"User-specified data to be passed to the function\""}},
    "cudaStreamGetPriority": {"params": {"priority": OUT1 + " -- \"Pointer to a signed integer in which the stream's priority is returned\""}},
    "cudaStreamGetFlags": {"params": {"flags": OUT1 + " -- \"Pointer to an unsigned integer in which the stream's flags are returned\""}},
    "cudaStreamBeginCapture": {},
    "cudaStreamEndCapture": {"params": {"pGraph": "out element elem=handle allocates -- \"The captured graph\""}},
    "cudaThreadExchangeStreamCaptureMode": {"params": {
        "mode": "inout element -- \"Pointer to mode value to swap with the current mode\": read, then overwritten with the old mode"}},
    # ------------------------------------------------------------ events
    "cudaEventCreate": {"params": {"event": "out element elem=handle allocates -- \"Newly created event\""}},
    "cudaEventCreateWithFlags": {"params": {"event": "out element elem=handle allocates"}},
    "cudaEventRecord": {"sync": "async", "note": "records the event in stream; the host does not wait (\"the cudaEventRecord() operation takes place asynchronously\")"},
    "cudaEventRecordWithFlags": {"sync": "async"},
    "cudaEventQuery": {},
    "cudaEventSynchronize": {"note": "\"Waits until the completion of all work currently captured in event\" (one event, not the whole device)"},
    "cudaEventDestroy": {"params": {"event": "handle deallocates -- \"Destroys the event specified by event\""}},
    "cudaEventElapsedTime": {"params": {"ms": OUT1 + " -- \"Time between start and end in ms\""}},
    # ------------------------------------------------------------ device memory
    "cudaMalloc": {"params": {"devPtr": "out element elem=opaque allocates -- \"Pointer to allocated device memory\": one device pointer is written"}},
    "cudaFree": {"params": {"devPtr": "opaque nullable deallocates -- " + DEVPTR_NOTE + "; \"If devPtr is 0, no operation is performed.\""}},
    "cudaMallocPitch": {"params": {
        "devPtr": "out element elem=opaque allocates -- \"Pointer to allocated pitched device memory\"",
        "pitch": OUT1 + " -- \"Pitch for allocation\""}},
    "cudaMallocManaged": {"params": {
        "devPtr": "out element elem=opaque allocates -- managed memory: one pointer valid on host and device"}},
    "cudaMallocAsync": {"sync": "async", "note": "\"Allocates memory with stream ordered semantics\"; the pointer is returned at once, the allocation is usable in stream order",
                        "params": {"devPtr": "out element elem=opaque allocates -- \"[out] devPtr - Returned device pointer\""}},
    "cudaFreeAsync": {"sync": "async", "params": {"devPtr": "opaque deallocates -- " + DEVPTR_NOTE}},
    "cudaMemGetInfo": {"params": {
        "free": OUT1 + " -- \"Returned free memory in bytes\"", "total": OUT1 + " -- \"Returned total memory in bytes\""}},
    "cudaPointerGetAttributes": {"params": {
        "attributes": "out element -- \"Returns in *attributes the attributes of the pointer ptr\"",
        "ptr": "opaque -- \"Pointer to get attributes for\": only its value is examined"}},
    "cudaMemPrefetchAsync": {"sync": "async", "params": {"devPtr": "opaque -- managed memory range to prefetch; only the address is used"}},
    # ------------------------------------------------------------ host memory
    "cudaMallocHost": {"params": {
        "ptr": "out element elem=buffer elemsize=size elembytes allocates -- \"Pointer to allocated host memory\": page-locked host memory of size bytes that the program reads and writes directly"}},
    "cudaHostAlloc": {"params": {
        "pHost": "out element elem=buffer elemsize=size elembytes allocates -- page-locked host memory of size bytes; \"must be freed with cudaFreeHost()\""}},
    "cudaFreeHost": {"params": {"ptr": "opaque deallocates -- \"Pointer to memory to free\"; identifies the allocation, contents not read"}},
    "cudaHostRegister": {"params": {"ptr": "opaque -- \"Host pointer to memory to page-lock\": the range [ptr, ptr+size) is pinned, its contents are not read by the call"}},
    "cudaHostUnregister": {"params": {"ptr": "opaque -- \"The base address must be the same one specified to cudaHostRegister()\""}},
    "cudaHostGetDevicePointer": {"params": {
        "pDevice": "out element elem=opaque -- \"Returned device pointer for mapped memory\"",
        "pHost": "opaque -- \"Requested host pointer mapping\": only the address is used"}},
    "cudaHostGetFlags": {"params": {"pFlags": OUT1 + " -- \"Returned flags word\"", "pHost": "opaque -- \"Host pointer\""}},
    # ------------------------------------------------------------ copies and sets
    "cudaMemcpy": {"note": "\\note_sync: \"exhibits synchronous behavior for most use cases\"",
                   "params": {"dst": COPY_DST, "src": COPY_SRC},
                   "when": copy_when("count", "count")},
    "cudaMemcpyAsync": {"sync": "async", "note": ASYNC_NOTE,
                        "params": {"dst": COPY_DST, "src": COPY_SRC},
                        "when": copy_when("count", "count")},
    "cudaMemcpy2D": {"params": {"dst": COPY_DST, "src": COPY_SRC},
                     "when": copy_when("dpitch*(height-1)+width", "spitch*(height-1)+width")},
    "cudaMemcpy2DAsync": {"sync": "async", "note": ASYNC_NOTE, "params": {"dst": COPY_DST, "src": COPY_SRC},
                          "when": copy_when("dpitch*(height-1)+width", "spitch*(height-1)+width")},
    "cudaMemcpy2DToArray": {"params": {"src": COPY_SRC}, "when": copy_when(None, "spitch*(height-1)+width", (None, "src"))},
    "cudaMemcpy2DFromArray": {"params": {"dst": COPY_DST}, "when": copy_when("dpitch*(height-1)+width", None, ("dst", None))},
    "cudaMemcpyPeer": {"sync": "async",
                       "note": "\"Note that this function is asynchronous with respect to the host, but serialized with respect all pending and future asynchronous work in to the current device\"",
                       "params": {"dst": "opaque -- \"Destination device pointer\"", "src": "opaque -- \"Source device pointer\""}},
    "cudaMemcpyPeerAsync": {"sync": "async", "params": {
        "dst": "opaque -- \"Destination device pointer\"", "src": "opaque -- \"Source device pointer\""}},
    "cudaMemset": {"sync": "async", "note": "\"Note that this function is asynchronous with respect to the host unless devPtr refers to pinned host memory.\"",
                   "params": {"devPtr": "opaque -- \"Pointer to device memory\""}},
    "cudaMemsetAsync": {"sync": "async", "params": {"devPtr": "opaque -- \"Pointer to device memory\""}},
    "cudaMemset2D": {"sync": "async", "note": "\"asynchronous with respect to the host unless devPtr refers to pinned host memory\"",
                     "params": {"devPtr": "opaque -- \"Pointer to 2D device memory\""}},
    "cudaMemset2DAsync": {"sync": "async", "params": {"devPtr": "opaque -- \"Pointer to 2D device memory\""}},
    "cudaMemcpyToSymbol": {"params": {
        "symbol": "opaque -- \"Device symbol address\": the host-side address of a __device__ variable",
        "src": COPY_SRC}, "when": copy_when(None, "count", (None, "src"))},
    "cudaMemcpyFromSymbol": {"params": {
        "dst": COPY_DST, "symbol": "opaque -- \"Device symbol address\""}, "when": copy_when("count", None, ("dst", None))},
    "cudaMemcpyToSymbolAsync": {"sync": "async", "note": ASYNC_NOTE, "params": {
        "symbol": "opaque -- \"Device symbol address\"", "src": COPY_SRC}, "when": copy_when(None, "count", (None, "src"))},
    "cudaMemcpyFromSymbolAsync": {"sync": "async", "note": ASYNC_NOTE, "params": {
        "dst": COPY_DST, "symbol": "opaque -- \"Device symbol address\""}, "when": copy_when("count", None, ("dst", None))},
    "cudaGetSymbolAddress": {"params": {
        "devPtr": "out element elem=opaque -- \"Return device pointer associated with symbol\"",
        "symbol": "opaque -- \"Device symbol address\""}},
    "cudaGetSymbolSize": {"params": {"size": OUT1 + " -- \"Size of object associated with symbol\"", "symbol": "opaque"}},
    # ------------------------------------------------------------ arrays
    "cudaMallocArray": {"params": {
        "array": "out element elem=handle allocates -- \"Pointer to allocated array in device memory\"",
        "desc": "in element -- \"Requested channel format\": one struct cudaChannelFormatDesc"}},
    "cudaFreeArray": {"params": {"array": "handle nullable deallocates -- \"Pointer to array to free\"; \"If devPtr is 0, no operation is performed.\""}},
    # ------------------------------------------------------------ execution
    "cudaLaunchKernel": {"sync": "async", "note": "kernel launches are asynchronous with respect to the host",
                         "params": {
        "func": "opaque -- \"Device function symbol\": the host stub's address identifies the kernel",
        "args": "in buffer elements elem=buffer -- \"Arguments\": an array of pointers, one per kernel parameter, each pointing at that parameter's value; the count and sizes come from the kernel's signature (not expressible)"}},
    "cudaFuncGetAttributes": {"params": {
        "attr": "out element -- \"Return pointer to function's attributes\"", "func": "opaque -- \"Device function symbol\""}},
    "cudaFuncSetCacheConfig": {"params": {"func": "opaque -- \"Device function symbol\""}},
    "cudaOccupancyMaxActiveBlocksPerMultiprocessor": {"params": {
        "numBlocks": OUT1 + " -- \"Returned occupancy\"", "func": "opaque -- \"Kernel function for which occupancy is calculated\""}},
    "cudaGetFuncBySymbol": {"params": {
        "functionPtr": "out element elem=handle -- \"Returns the device entry function\"",
        "symbolPtr": "opaque -- \"Pointer to device entry function to search for\""}},
    # ------------------------------------------------------------ libraries (runtime-loaded code)
    "cudaLibraryLoadData": {"params": {
        "library": "out element elem=handle allocates -- \"Returned library\"",
        "code": "in buffer bytes -- \"a cubin or fatbin as output by nvcc, or a NULL-terminated PTX\": the extent is strlen(code)+1 for PTX and recorded inside the image for cubin/fatbin; not expressible without knowing which",
        "jitOptions": "in buffer size=numJitOptions elements nullable -- \"Options for JIT\"; NULL with numJitOptions 0",
        "jitOptionsValues": "in buffer size=numJitOptions elements nullable elem=opaque -- \"Option values for JIT\": one pointer-sized value per option",
        "libraryOptions": "in buffer size=numLibraryOptions elements nullable -- \"Options for loading\"",
        "libraryOptionValues": "in buffer size=numLibraryOptions elements nullable elem=opaque -- \"Option values for loading\""}},
    "cudaLibraryGetKernel": {"params": {
        "pKernel": "out element elem=handle -- \"Returned kernel handle\"; owned by the library, not created",
        "name": "in string -- \"Name of kernel to retrieve\""}},
    "cudaLibraryGetKernelCount": {"params": {"count": OUT1 + " -- \"Number of kernels found within the library\""}},
    "cudaLibraryUnload": {"params": {"library": "handle deallocates"}},
    # ------------------------------------------------------------ graphs
    "cudaGraphInstantiate": {"params": {"pGraphExec": "out element elem=handle allocates -- \"Returns instantiated graph\""}},
    "cudaGraphLaunch": {"sync": "async"},
    "cudaGraphExecDestroy": {"params": {"graphExec": "handle deallocates"}},
    "cudaGraphDestroy": {"params": {"graph": "handle deallocates"}},
    # ------------------------------------------------------------ IPC
    "cudaIpcGetMemHandle": {"params": {
        "handle": "out element -- \"Pointer to user allocated cudaIpcMemHandle to return\"",
        "devPtr": "opaque -- \"Base pointer to previously allocated device memory\""}},
    "cudaIpcOpenMemHandle": {"params": {
        "devPtr": "out element elem=opaque allocates -- \"Returned device pointer\"; \"must be freed with cudaIpcCloseMemHandle\""}},
    "cudaIpcCloseMemHandle": {"params": {"devPtr": "opaque deallocates -- \"Device pointer returned by cudaIpcOpenMemHandle\""}},
}
