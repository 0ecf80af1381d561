"""Hand-written CUDA driver API truth labels, read from the Doxygen comments in
/usr/local/cuda/include/cuda.h (CUDA 13). Rules and judgment calls: NOTES.md.

Functions are named as the header spells them (`cuMemAlloc`), which `#define`s
map to versioned symbols (`cuMemAlloc_v2`). `CUdeviceptr` and `CUdevice` are
integers, so device addresses passed by value are `value`; the pointers here
are host pointers, out-parameters and function pointers."""

HANDLE_TYPES = {"CUcontext", "CUmodule", "CUfunction", "CUstream", "CUevent", "CUarray", "CUlinkState",
                "CUmemoryPool"}
# \note_null_stream: 0 is the default stream.
NULLABLE_HANDLES = {"CUstream"}
STATUS_TYPES = {"CUresult": "CUDA_SUCCESS"}

OUT1 = "out element"
ASYNC = "\"This function exhibits asynchronous behavior for most use cases\" (\\note_async)"

LABELS = {
    # ------------------------------------------------------------ init, versions, errors
    "cuInit": {},
    "cuDriverGetVersion": {"params": {"driverVersion": OUT1 + " -- \"Returns the CUDA driver version\""}},
    "cuGetErrorString": {"params": {
        "pStr": "out element elem=string -- \"Address of the string pointer\": the driver writes one pointer to its own NUL-terminated description"}},
    "cuGetErrorName": {"params": {
        "pStr": "out element elem=string -- \"Address of the string pointer\": one pointer to a NUL-terminated name"}},
    # ------------------------------------------------------------ devices
    "cuDeviceGet": {"params": {"device": OUT1 + " -- \"Returned device handle\" (CUdevice is an int ordinal)"}},
    "cuDeviceGetCount": {"params": {"count": OUT1 + " -- \"Returned number of compute-capable devices\""}},
    "cuDeviceGetName": {"params": {
        "name": "out buffer size=len elements -- \"Returned identifier string for the device\"; \"len - Maximum length of string to store in name\""}},
    "cuDeviceGetUuid": {"params": {"uuid": OUT1 + " -- \"Returned UUID\": one CUuuid struct"}},
    "cuDeviceTotalMem": {"params": {"bytes": OUT1 + " -- \"Returned memory available on device in bytes\""}},
    "cuDeviceGetAttribute": {"params": {"pi": OUT1 + " -- \"Returned device attribute value\""}},
    "cuDeviceGetPCIBusId": {"params": {
        "pciBusId": "out buffer size=len elements -- \"Returned identifier string for the device\"; \"len - Maximum length of string to store in name\""}},
    "cuDeviceGetByPCIBusId": {"params": {
        "dev": OUT1 + " -- \"Returned device handle\"",
        "pciBusId": "in string -- \"String in one of the following forms: [domain]:[bus]:[device].[function] ...\""}},
    "cuDeviceCanAccessPeer": {"params": {"canAccessPeer": OUT1 + " -- \"Returned access capability\""}},
    "cuDevicePrimaryCtxRetain": {"params": {
        "pctx": "out element elem=handle -- \"Returned context handle of the new context\"; retains the device's one primary context"}},
    "cuDeviceGetMemPool": {"params": {
        "pool": "out element elem=handle -- \"Gets the current mempool for a device\": an existing pool, nothing is created"}},
    # ------------------------------------------------------------ contexts
    "cuCtxCreate": {"params": {
        "pctx": "out element elem=handle allocates -- \"Returned context handle of the new context\"",
        "ctxCreateParams": "in element -- \"Context creation parameters\": one CUctxCreateParams struct (\"Either execAffinityParams or cigParams can be set to a non-null value\"); NULL is not documented"}},
    "cuCtxDestroy": {"params": {"ctx": "handle deallocates -- \"Destroy a CUDA context\""}},
    "cuCtxGetCurrent": {"params": {"pctx": "out element elem=handle -- \"Returned context handle\" (NULL if none is bound)"}},
    "cuCtxSetCurrent": {"params": {"ctx": "handle nullable -- \"If ctx is NULL then this will unbind the context previously bound\""}},
    "cuCtxPushCurrent": {},
    "cuCtxPopCurrent": {"params": {"pctx": "out element elem=handle -- \"passes back the old context handle in pctx\"; NULL is not documented"}},
    "cuCtxGetDevice": {"params": {"device": OUT1 + " -- \"Returned device handle for the current context\""}},
    "cuCtxSynchronize": {"barrier": True, "note": "\"Block for the current context's tasks to complete\""},
    "cuCtxGetLimit": {"params": {"pvalue": OUT1 + " -- \"Returned size of limit\""}},
    "cuCtxSetLimit": {},
    "cuCtxGetApiVersion": {"params": {"version": OUT1 + " -- \"Pointer to version\""}},
    # ------------------------------------------------------------ modules and linking
    "cuModuleLoad": {"params": {
        "module": "out element elem=handle allocates -- \"Returned module\"",
        "fname": "in string -- \"Filename of module to load\""}},
    "cuModuleLoadData": {"params": {
        "module": "out element elem=handle allocates -- \"Returned module\"",
        "image": "in buffer bytes -- \"Module data to load\": a cubin/fatbin (size recorded inside the image) or NULL-terminated PTX; not expressible without knowing which"}},
    "cuModuleLoadFatBinary": {"params": {
        "module": "out element elem=handle allocates -- \"Returned module\"",
        "fatCubin": "in buffer bytes -- \"Fat binary to load\": the size is recorded in the fat binary header, not in a parameter (not expressible)"}},
    "cuModuleLoadDataEx": {"params": {
        "module": "out element elem=handle allocates -- \"Returned module\"",
        "image": "in buffer bytes -- \"Module data to load\": cubin/fatbin or \"NULL-terminated PTX\"; the extent is not expressible without knowing which",
        "options": "in buffer size=numOptions elements -- \"Options for JIT\"; numOptions \"Number of options\"",
        "optionValues": "in buffer size=numOptions elements elem=opaque -- \"Option values for JIT\": one pointer-sized value per option"}},
    "cuModuleUnload": {"params": {"hmod": "handle deallocates -- \"Module to unload\""}},
    "cuModuleGetFunction": {"params": {
        "hfunc": "out element elem=handle -- \"Returned function handle\" (owned by the module)",
        "name": "in string -- \"Name of function to retrieve\""}},
    "cuModuleGetGlobal": {"params": {
        "dptr": "out element nullable -- \"Returned global device pointer\"; \"One of the parameters dptr or bytes (not both) can be NULL in which case it is ignored\"",
        "bytes": "out element nullable -- \"Returned global size in bytes\"; may be NULL (see dptr)",
        "name": "in string -- \"Name of global to retrieve\""}},
    "cuModuleGetLoadingMode": {"params": {"mode": OUT1 + " -- \"Returns the lazy loading mode\""}},
    "cuLinkCreate": {"params": {
        "options": "in buffer size=numOptions elements -- \"Array of linker and compiler options\"; numOptions \"Size of options arrays\"",
        "optionValues": "in buffer size=numOptions elements elem=opaque -- \"Array of option values, each cast to void *\"",
        "stateOut": "out element elem=handle allocates -- \"On success, this will contain a CUlinkState\""}},
    "cuLinkAddData": {"params": {
        "data": "in buffer size=size bytes -- \"The input data. PTX must be NULL-terminated.\"; size \"The length of the input data\"",
        "name": "in string nullable -- \"An optional name for this input in log messages\"",
        "options": "in buffer size=numOptions elements -- \"Options to be applied only for this input\"",
        "optionValues": "in buffer size=numOptions elements elem=opaque -- \"Array of option values, each cast to void *\""}},
    "cuLinkAddFile": {"params": {
        "path": "in string -- \"Path to the input file\"",
        "options": "in buffer size=numOptions elements -- \"Options to be applied only for this input\"",
        "optionValues": "in buffer size=numOptions elements elem=opaque -- \"Array of option values, each cast to void *\""}},
    "cuLinkComplete": {"params": {
        "cubinOut": "out element elem=buffer -- \"On success, this will point to the output image\": one pointer into linker-owned memory of *sizeOut bytes",
        "sizeOut": "out element nullable -- \"Optional parameter to receive the size of the generated image\""}},
    "cuLinkDestroy": {"params": {"state": "handle deallocates -- \"Destroys state for a JIT linker invocation\""}},
    # ------------------------------------------------------------ memory
    "cuMemGetInfo": {"params": {
        "free": OUT1 + " -- \"Returned free memory in bytes\"", "total": OUT1 + " -- \"Returned total memory in bytes\""}},
    "cuMemAlloc": {"params": {"dptr": "out element allocates -- \"Returned device pointer\": one CUdeviceptr (an integer) is written"}},
    "cuMemAllocPitch": {"params": {
        "dptr": "out element allocates -- \"Returned device pointer\"",
        "pPitch": OUT1 + " -- \"Returned pitch of allocation in bytes\""}},
    "cuMemAllocManaged": {"params": {"dptr": "out element allocates -- \"Returned device pointer\""}},
    "cuMemAllocAsync": {"sync": "async", "params": {"dptr": "out element allocates -- \"Returned device pointer\"; stream-ordered"}},
    "cuMemFree": {},
    "cuMemFreeAsync": {"sync": "async"},
    "cuMemGetAddressRange": {"params": {
        "pbase": "out element nullable -- \"Returned base address\"; \"Both parameters pbase and psize are optional. If one of them is NULL, it is ignored.\"",
        "psize": "out element nullable -- \"Returned size of device memory allocation\"; optional"}},
    "cuMemAllocHost": {"params": {
        "pp": "out element elem=buffer elemsize=bytesize elembytes allocates -- \"Returned pointer to host memory\": page-locked host memory of bytesize bytes the program uses directly"}},
    "cuMemHostAlloc": {"params": {
        "pp": "out element elem=buffer elemsize=bytesize elembytes allocates -- \"Returned pointer to host memory\"; bytesize \"Requested allocation size in bytes\""}},
    "cuMemFreeHost": {"params": {"p": "opaque deallocates -- \"Pointer to memory to free\": identifies the allocation, contents not read"}},
    "cuMemHostGetDevicePointer": {"params": {
        "pdptr": OUT1 + " -- \"Returned device pointer\"",
        "p": "opaque -- \"Host pointer\": only the address of the mapped pinned allocation is looked up"}},
    "cuMemHostGetFlags": {"params": {"pFlags": OUT1 + " -- \"Returned flags word\"", "p": "opaque -- \"Host pointer\": only the address is looked up"}},
    "cuMemHostRegister": {"params": {"p": "opaque -- \"Host pointer to memory to page-lock\": the range is pinned, its contents are not read"}},
    "cuMemHostUnregister": {"params": {"p": "opaque -- \"Host pointer to memory to unregister\": only the address is used"}},
    "cuPointerGetAttribute": {"params": {
        "data": "out buffer bytes -- \"Returned pointer attribute value\": its type depends on attribute (CUcontext, unsigned int, CUdeviceptr, void*, ...); the size is not a parameter (not expressible)"}},
    "cuMemPoolGetAttribute": {"params": {
        "value": "out buffer bytes -- \"Retrieved value\": an int or cuuint64_t depending on attr; no size parameter (not expressible)"}},
    # ------------------------------------------------------------ copies and sets
    "cuMemcpy": {"note": "\\note_sync"},
    "cuMemcpyHtoD": {"note": "\\note_sync", "params": {
        "srcHost": "in buffer size=ByteCount bytes -- \"Source host pointer\"; ByteCount \"Size of memory copy in bytes\""}},
    "cuMemcpyDtoH": {"note": "\\note_sync", "params": {
        "dstHost": "out buffer size=ByteCount bytes -- \"Destination host pointer\"; ByteCount \"Size of memory copy in bytes\""}},
    "cuMemcpyDtoD": {"sync": "async", "note": "\\note_async: device-to-device copies return before completion"},
    "cuMemcpyAtoH": {"note": "\\note_sync", "params": {
        "dstHost": "out buffer size=ByteCount bytes -- \"Destination device pointer\" (sic; a host pointer, cuMemcpy*toH) of ByteCount \"Size of memory copy in bytes\""}},
    "cuMemcpyHtoDAsync": {"sync": "async", "note": ASYNC, "params": {
        "srcHost": "in buffer size=ByteCount bytes -- \"Source host pointer\" of ByteCount bytes"}},
    "cuMemcpyDtoHAsync": {"sync": "async", "note": ASYNC, "params": {
        "dstHost": "out buffer size=ByteCount bytes -- \"Destination host pointer\" of ByteCount bytes"}},
    "cuMemcpyPeer": {"sync": "async", "note": "\\note_async"},
    "cuMemcpy2D": {"note": "\\note_sync", "params": {
        "pCopy": "in element -- \"Parameters for the memory copy\": one CUDA_MEMCPY2D whose host pointers and extents describe the copy"}},
    "cuMemsetD8": {"sync": "async", "note": "\\note_memset: asynchronous with respect to the host for device memory"},
    "cuMemsetD32": {"sync": "async", "note": "\\note_memset"},
    # ------------------------------------------------------------ arrays
    "cuArrayCreate": {"params": {
        "pHandle": "out element elem=handle allocates -- \"Returned array\"",
        "pAllocateArray": "in element -- \"Array descriptor\": one CUDA_ARRAY_DESCRIPTOR"}},
    "cuArrayDestroy": {"params": {"hArray": "handle deallocates -- \"Destroys a CUDA array\""}},
    # ------------------------------------------------------------ streams and events
    "cuStreamCreate": {"params": {"phStream": "out element elem=handle allocates -- \"Returned newly created stream\""}},
    "cuStreamDestroy": {"params": {"hStream": "handle deallocates -- \"Stream to destroy\""}},
    "cuStreamSynchronize": {"barrier": True, "note": "\"Wait until a stream's tasks are completed\""},
    "cuStreamQuery": {},
    "cuStreamGetPriority": {"params": {"priority": OUT1 + " -- \"Pointer to a signed integer in which the stream's priority is returned\""}},
    "cuStreamGetFlags": {"params": {"flags": OUT1 + " -- \"Pointer to an unsigned integer in which the stream's flags are returned\""}},
    "cuStreamWaitEvent": {"sync": "async", "note": "the wait is enqueued on hStream"},
    "cuStreamAddCallback": {"sync": "async", "params": {
        "callback": "callback -- \"The function to call once preceding stream operations are complete\"",
        "userData": "userdata nullable -- \"User specified data to be passed to the callback function\""}},
    "cuLaunchHostFunc": {"sync": "async", "params": {
        "fn": "callback -- \"The function to call once preceding stream operations are complete\"",
        "userData": "userdata nullable -- \"User-specified data to be passed to the function\""}},
    "cuEventCreate": {"params": {"phEvent": "out element elem=handle allocates -- \"Returns newly created event\""}},
    "cuEventRecord": {"sync": "async", "note": "records the event in the stream; completes later"},
    "cuEventQuery": {},
    "cuEventSynchronize": {},
    "cuEventDestroy": {"params": {"hEvent": "handle deallocates -- \"Event to destroy\""}},
    "cuEventElapsedTime": {"params": {"pMilliseconds": OUT1 + " -- \"Time between hStart and hEnd in ms\""}},
    # ------------------------------------------------------------ execution
    "cuLaunchKernel": {"sync": "async", "note": "kernel launches are asynchronous", "params": {
        "kernelParams": "in buffer elements nullable elem=buffer -- \"Array of pointers to kernel parameters\": one per kernel parameter (count and sizes from the kernel, not expressible); NULL when extra is used",
        "extra": "in buffer size=terminated(extra) elements nullable elem=opaque -- \"Extra options\": \"The list must be terminated with either NULL or CU_LAUNCH_PARAM_END\""}},
    "cuFuncGetAttribute": {"params": {"pi": OUT1 + " -- \"Returned attribute value\""}},
    "cuFuncSetAttribute": {},
    "cuOccupancyMaxActiveBlocksPerMultiprocessor": {"params": {"numBlocks": OUT1 + " -- \"Returned occupancy\""}},
    "cuGetProcAddress": {"unsupported": "returns a function pointer into the host's driver; a guest cannot call it", "params": {
        "symbol": "in string -- \"The base name of the driver API function to look for\"",
        "pfn": "out element elem=opaque -- \"Location to return the function pointer to the requested driver function\": an address inside the host's driver",
        "symbolStatus": "out element nullable -- \"Optional location to store the status of the search\""}},
}
