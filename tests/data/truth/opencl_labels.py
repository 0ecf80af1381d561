"""Hand-written OpenCL truth labels (OpenCL 3.0 reference pages in
../shared/corpus/opencl-docs/). Rules and judgment calls: NOTES.md.
Every pointer parameter is labelled here; by-value scalars default to
`value` and object types to `handle` (truthlib.py)."""

HANDLE_TYPES = {"cl_platform_id", "cl_device_id", "cl_context", "cl_command_queue", "cl_mem",
                "cl_program", "cl_kernel", "cl_event", "cl_sampler"}
NULLABLE_HANDLES = set()
STATUS_TYPES = {"cl_int": "CL_SUCCESS"}

# Recurring groups of parameters, identical wherever they appear.
INFO = {  # clGet*Info: size-then-fill
    "param_value": "out buffer size=param_value_size bytes nullable -- \"If param_value is NULL, it is ignored.\"",
    "param_value_size_ret": "out element nullable -- \"If param_value_size_ret is NULL, it is ignored.\"",
}
WAIT = {  # every clEnqueue*: wait list + returned event
    "event_wait_list": "in buffer size=num_events_in_wait_list elements nullable elem=handle"
                       " -- \"If event_wait_list is NULL, num_events_in_wait_list must be 0.\"",
    "event": "out element nullable elem=handle allocates"
             " -- \"returns an event object that identifies this command ... If event is NULL ... no event will be created\"",
}
ERR = {"errcode_ret": "out element nullable -- \"If errcode_ret is NULL, no error code is returned.\""}
USER_DATA = "userdata nullable -- \"user_data can be NULL.\""
ORIGIN3 = "in buffer size=3 elements -- (x, y, z) offset/region: always three size_t values"
RELEASE = "handle deallocates -- decrements the reference count; the object is deleted when it reaches zero"
CREATED = "handle allocates"


def handle_results(*groups):
    """`when` clauses for a clGet*Info param_value that, for some param_name
    values, returns object handles (documented return type cl_context,
    cl_device_id[], ...) instead of plain data. groups: (handle type, names)."""
    clauses = []
    for handle_type, names in groups:
        clauses.append({"if": " || ".join(f"param_name == {n}" for n in names),
                        "element_kind": "handle", "size": f"param_value_size/sizeof({handle_type})",
                        "size_unit": "elements"})
    return {"param_value": clauses}


def info(**extra):
    return {**INFO, **extra}


def enqueue(**extra):
    return {**WAIT, **extra}


LABELS = {
    # ------------------------------------------------------------ platform
    "clGetPlatformIDs": {"params": {
        "platforms": "out buffer size=num_entries elements nullable elem=handle -- \"If platforms is NULL, this argument is ignored.\" Capacity is num_entries; min(num_entries, platforms found) are written",
        "num_platforms": "out element nullable -- \"If num_platforms is NULL, this argument is ignored.\""}},
    "clGetPlatformInfo": {"params": info()},
    "clGetDeviceIDs": {"params": {
        "devices": "out buffer size=num_entries elements nullable elem=handle -- \"If devices is NULL, this argument is ignored.\"",
        "num_devices": "out element nullable -- \"If num_devices is NULL, this argument is ignored.\""}},
    "clGetDeviceInfo": {"params": info(), "when": handle_results(
        ("cl_platform_id", ["CL_DEVICE_PLATFORM"]), ("cl_device_id", ["CL_DEVICE_PARENT_DEVICE"]))},
    "clCreateSubDevices": {"params": {
        "properties": "in buffer size=terminated(properties) elements -- \"The list is terminated with 0.\"",
        "out_devices": "out buffer size=num_devices elements nullable elem=handle allocates -- \"If out_devices is NULL, this argument is ignored.\"",
        "num_devices_ret": "out element nullable -- \"If num_devices_ret is NULL, it is ignored.\""}},
    "clRetainDevice": {},
    "clReleaseDevice": {"params": {"device": RELEASE}},
    "clSetDefaultDeviceCommandQueue": {},
    "clGetDeviceAndHostTimer": {"params": {
        "device_timestamp": "out element -- CL_INVALID_VALUE \"if device_timestamp is NULL\"",
        "host_timestamp": "out element -- CL_INVALID_VALUE \"if host_timestamp is NULL\""}},
    "clGetHostTimer": {"params": {"host_timestamp": "out element -- CL_INVALID_VALUE if NULL"}},
    # ------------------------------------------------------------ context
    "clCreateContext": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable -- \"The list is terminated with 0. properties can be NULL\"",
        "devices": "in buffer size=num_devices elements elem=handle",
        "pfn_notify": "callback nullable -- \"If pfn_notify is NULL, no callback function is registered.\"",
        "user_data": USER_DATA, **ERR}},
    "clCreateContextFromType": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable",
        "pfn_notify": "callback nullable", "user_data": USER_DATA, **ERR}},
    "clRetainContext": {},
    "clReleaseContext": {"params": {"context": RELEASE}},
    "clGetContextInfo": {"params": info(), "when": handle_results(("cl_device_id", ["CL_CONTEXT_DEVICES"]))},
    "clSetContextDestructorCallback": {"params": {
        "pfn_notify": "callback -- CL_INVALID_VALUE \"if pfn_notify is NULL\"", "user_data": USER_DATA}},
    # ------------------------------------------------------------ queues
    "clCreateCommandQueueWithProperties": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable -- \"The list is terminated with 0. properties can be NULL\"",
        **ERR}},
    "clCreateCommandQueue": {"ret": CREATED, "params": {**ERR}},
    "clRetainCommandQueue": {},
    "clReleaseCommandQueue": {"params": {"command_queue": RELEASE + "; performs an implicit flush"}},
    "clGetCommandQueueInfo": {"params": info(), "when": handle_results(
        ("cl_context", ["CL_QUEUE_CONTEXT"]), ("cl_device_id", ["CL_QUEUE_DEVICE"]),
        ("cl_command_queue", ["CL_QUEUE_DEVICE_DEFAULT"]))},
    # ------------------------------------------------------------ memory objects
    "clCreateBuffer": {"ret": CREATED, "params": {
        "host_ptr": "in buffer size=size bytes nullable -- \"a pointer to the buffer data that may already be allocated by the application. The size of the buffer that host_ptr points to must be greater than or equal to size bytes.\" NULL unless CL_MEM_USE_HOST_PTR/COPY_HOST_PTR; with USE_HOST_PTR the implementation keeps using it",
        **ERR}},
    "clCreateBufferWithProperties": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable -- \"properties is an optional list of properties ... terminated with 0\"",
        "host_ptr": "in buffer size=size bytes nullable", **ERR}},
    "clCreateSubBuffer": {"ret": CREATED, "params": {
        "buffer_create_info": "in buffer size=sizeof(cl_buffer_region) bytes -- for CL_BUFFER_CREATE_TYPE_REGION (the only type) it \"is a pointer to a cl_buffer_region structure\"",
        **ERR}},
    "clCreateImage": {"ret": CREATED, "params": {
        "image_format": "in element -- a pointer to a structure that describes format properties",
        "image_desc": "in element -- a pointer to a structure that describes type and dimensions",
        "host_ptr": "in buffer bytes nullable -- size depends on image_desc and the format's element size (row_pitch * height * depth when pitches are given); not expressible in the size language",
        **ERR}},
    "clCreateImageWithProperties": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable",
        "image_format": "in element", "image_desc": "in element",
        "host_ptr": "in buffer bytes nullable -- size depends on the image description; not expressible",
        **ERR}},
    "clCreateImage2D": {"ret": CREATED, "params": {
        "image_format": "in element",
        "host_ptr": "in buffer bytes nullable -- image_row_pitch * image_height when image_row_pitch != 0, else width * element size * height; not expressible",
        **ERR}},
    "clCreateImage3D": {"ret": CREATED, "params": {
        "image_format": "in element",
        "host_ptr": "in buffer bytes nullable -- image_slice_pitch * image_depth when pitches are given; not expressible",
        **ERR}},
    "clCreatePipe": {"ret": CREATED, "params": {
        "properties": "in buffer size=terminated(properties) elements nullable -- \"Currently, in all OpenCL versions, properties must be NULL.\"",
        **ERR}},
    "clRetainMemObject": {},
    "clReleaseMemObject": {"params": {"memobj": RELEASE}},
    "clGetSupportedImageFormats": {"params": {
        "image_formats": "out buffer size=num_entries elements nullable -- \"If image_formats is NULL, it is ignored.\"",
        "num_image_formats": "out element nullable -- \"If num_image_formats is NULL, it is ignored.\""}},
    "clGetMemObjectInfo": {"params": info(), "when": handle_results(
        ("cl_context", ["CL_MEM_CONTEXT"]), ("cl_mem", ["CL_MEM_ASSOCIATED_MEMOBJECT"]))},
    "clGetImageInfo": {"params": info(), "when": handle_results(("cl_mem", ["CL_IMAGE_BUFFER"]))},
    "clGetPipeInfo": {"params": info()},
    "clSetMemObjectDestructorCallback": {"params": {
        "pfn_notify": "callback -- CL_INVALID_VALUE if pfn_notify is NULL", "user_data": USER_DATA}},
    # ------------------------------------------------------------ SVM
    "clSVMAlloc": {"ret": "opaque allocates -- an SVM pointer: a device-shared virtual address, not host data to copy"},
    "clSVMFree": {"params": {"svm_pointer": "opaque deallocates -- the SVM allocation to free; never read by the call"}},
    # ------------------------------------------------------------ samplers
    "clCreateSamplerWithProperties": {"ret": CREATED, "params": {
        "sampler_properties": "in buffer size=terminated(sampler_properties) elements nullable -- \"The list is terminated with 0. sampler_properties can be NULL\"",
        **ERR}},
    "clCreateSampler": {"ret": CREATED, "params": {**ERR}},
    "clRetainSampler": {},
    "clReleaseSampler": {"params": {"sampler": RELEASE}},
    "clGetSamplerInfo": {"params": info(), "when": handle_results(("cl_context", ["CL_SAMPLER_CONTEXT"]))},
    # ------------------------------------------------------------ programs
    "clCreateProgramWithSource": {"ret": CREATED, "params": {
        "strings": "in buffer size=count elements elem=string -- \"an array of count pointers to optionally null-terminated character strings\"; when lengths[i] > 0 only lengths[i] characters are read",
        "lengths": "in buffer size=count elements nullable -- \"If lengths is NULL, all strings in the strings argument are considered null-terminated.\"",
        **ERR}},
    "clCreateProgramWithBinary": {"ret": CREATED, "params": {
        "device_list": "in buffer size=num_devices elements elem=handle -- \"device_list must be a non-NULL value\"",
        "lengths": "in buffer size=num_devices elements -- \"an array of the size in bytes of the program binaries\"",
        "binaries": "in buffer size=num_devices elements elem=buffer -- array of pointers to binaries; binaries[i] is lengths[i] bytes",
        "binary_status": "out buffer size=num_devices elements nullable -- \"If binary_status is NULL, it is ignored.\"",
        **ERR}},
    "clCreateProgramWithBuiltInKernels": {"ret": CREATED, "params": {
        "device_list": "in buffer size=num_devices elements elem=handle",
        "kernel_names": "in string -- \"a semi-colon separated list of built-in kernel names\"",
        **ERR}},
    "clCreateProgramWithIL": {"ret": CREATED, "params": {
        "il": "in buffer size=length bytes -- \"a pointer to a length-byte block of memory containing SPIR-V or an implementation-defined intermediate language\"",
        **ERR}},
    "clRetainProgram": {},
    "clReleaseProgram": {"params": {"program": RELEASE}},
    "clBuildProgram": {"sync": "if:pfn_notify != NULL",
                       "note": "\"If pfn_notify is not NULL, clBuildProgram does not need to wait for the build to complete and can return immediately\"",
                       "params": {
        "device_list": "in buffer size=num_devices elements nullable elem=handle -- \"If device_list is a NULL value, the program executable is built for all devices associated with program\"",
        "options": "in string nullable -- \"a pointer to a null-terminated string of characters\"; NULL allowed",
        "pfn_notify": "callback nullable", "user_data": USER_DATA}},
    "clCompileProgram": {"sync": "if:pfn_notify != NULL",
                         "note": "\"If pfn_notify is not NULL, clCompileProgram does not need to wait for the compiler to complete\"",
                         "params": {
        "device_list": "in buffer size=num_devices elements nullable elem=handle",
        "options": "in string nullable",
        "input_headers": "in buffer size=num_input_headers elements nullable elem=handle -- program objects holding embedded header sources",
        "header_include_names": "in buffer size=num_input_headers elements nullable elem=string -- include names, one per entry of input_headers",
        "pfn_notify": "callback nullable", "user_data": USER_DATA}},
    "clLinkProgram": {"ret": CREATED, "sync": "if:pfn_notify != NULL",
                      "note": "\"If pfn_notify is not NULL, clLinkProgram does not need to wait for the linker to complete\"",
                      "params": {
        "device_list": "in buffer size=num_devices elements nullable elem=handle",
        "options": "in string nullable",
        "input_programs": "in buffer size=num_input_programs elements elem=handle",
        "pfn_notify": "callback nullable", "user_data": USER_DATA, **ERR}},
    "clSetProgramReleaseCallback": {"params": {
        "pfn_notify": "callback -- CL_INVALID_VALUE if pfn_notify is NULL", "user_data": USER_DATA}},
    "clSetProgramSpecializationConstant": {"params": {
        "spec_value": "in buffer size=spec_size bytes -- \"a pointer to the memory location that contains the value of the specialization constant\""}},
    "clUnloadPlatformCompiler": {},
    "clUnloadCompiler": {},
    "clGetProgramInfo": {"params": info(), "when": {"param_value": [
        {"if": "param_name == CL_PROGRAM_BINARIES", "direction": "in", "element_kind": "buffer"}]
        + handle_results(("cl_context", ["CL_PROGRAM_CONTEXT"]), ("cl_device_id", ["CL_PROGRAM_DEVICES"]))["param_value"]},
        "note": "CL_PROGRAM_BINARIES: param_value is an array of caller-allocated pointers the implementation writes each binary into"},
    "clGetProgramBuildInfo": {"params": info()},
    # ------------------------------------------------------------ kernels
    "clCreateKernel": {"ret": CREATED, "params": {
        "kernel_name": "in string -- \"a function name in the program declared with the __kernel qualifier\"",
        **ERR}},
    "clCreateKernelsInProgram": {"params": {
        "kernels": "out buffer size=num_kernels elements nullable elem=handle allocates -- \"If kernels is NULL, it is ignored.\"",
        "num_kernels_ret": "out element nullable -- \"If num_kernels_ret is NULL, it is ignored.\""}},
    "clCloneKernel": {"ret": CREATED, "params": {**ERR}},
    "clRetainKernel": {},
    "clReleaseKernel": {"params": {"kernel": RELEASE}},
    "clSetKernelArg": {"params": {
        "arg_value": "in buffer size=arg_size bytes nullable -- \"a pointer to data that should be used as the argument value\"; for a __local argument \"arg_value must be NULL\"; for a cl_mem/cl_sampler argument it points to a handle (a runtime property of the kernel signature)"}},
    "clSetKernelArgSVMPointer": {"params": {
        "arg_value": "opaque -- \"the SVM pointer that should be used as the argument value\"; passed through, not dereferenced"}},
    "clSetKernelExecInfo": {"params": {
        "param_value": "in buffer size=param_value_size bytes nullable -- \"a pointer to memory where the appropriate values determined by param_name are specified\"; NULL together with param_value_size 0 is accepted for some param_name values"}},
    "clGetKernelInfo": {"params": info(), "when": handle_results(
        ("cl_context", ["CL_KERNEL_CONTEXT"]), ("cl_program", ["CL_KERNEL_PROGRAM"]))},
    "clGetKernelArgInfo": {"params": info()},
    "clGetKernelWorkGroupInfo": {"params": info()},
    "clGetKernelSubGroupInfo": {"params": info(
        input_value="in buffer size=input_value_size bytes nullable -- \"If input_value is NULL, it is ignored.\"")},
    # ------------------------------------------------------------ events
    "clWaitForEvents": {"params": {
        "event_list": "in buffer size=num_events elements elem=handle -- CL_INVALID_VALUE \"if num_events is zero or event_list is NULL\""}},
    "clGetEventInfo": {"params": info(), "when": handle_results(
        ("cl_command_queue", ["CL_EVENT_COMMAND_QUEUE"]), ("cl_context", ["CL_EVENT_CONTEXT"]))},
    "clCreateUserEvent": {"ret": CREATED, "params": {**ERR}},
    "clRetainEvent": {},
    "clReleaseEvent": {"params": {"event": RELEASE}},
    "clSetUserEventStatus": {},
    "clSetEventCallback": {"params": {
        "pfn_notify": "callback -- CL_INVALID_VALUE \"if pfn_notify is NULL\"", "user_data": USER_DATA}},
    "clGetEventProfilingInfo": {"params": info()},
    # ------------------------------------------------------------ flush / finish
    "clFlush": {},
    "clFinish": {"barrier": True,
                 "note": "\"Blocks until all previously queued OpenCL commands in command_queue are issued to the associated device and have completed.\""},
    # ------------------------------------------------------------ buffer transfers
    "clEnqueueReadBuffer": {"sync": "if:blocking_read == CL_FALSE",
                            "note": "\"If blocking_read is CL_FALSE ... the read command is non-blocking\"; the data lands in ptr only when the event completes",
                            "params": enqueue(ptr="out buffer size=size bytes -- \"the pointer to buffer in host memory where data is to be read into\"")},
    "clEnqueueWriteBuffer": {"sync": "if:blocking_write == CL_FALSE",
                             "params": enqueue(ptr="in buffer size=size bytes -- \"the pointer to buffer in host memory where data is to be written from\"")},
    "clEnqueueReadBufferRect": {"sync": "if:blocking_read == CL_FALSE", "params": enqueue(
        buffer_origin=ORIGIN3, host_origin=ORIGIN3, region=ORIGIN3,
        ptr="out buffer bytes -- extent depends on host_origin, region and host pitches (0 = tightly packed); not expressible")},
    "clEnqueueWriteBufferRect": {"sync": "if:blocking_write == CL_FALSE", "params": enqueue(
        buffer_origin=ORIGIN3, host_origin=ORIGIN3, region=ORIGIN3,
        ptr="in buffer bytes -- extent depends on host_origin, region and host pitches; not expressible")},
    "clEnqueueFillBuffer": {"sync": "async", "params": enqueue(
        pattern="in buffer size=pattern_size bytes -- \"A pointer to the data pattern of size pattern_size in bytes\"; copied at enqueue time")},
    "clEnqueueCopyBuffer": {"sync": "async", "params": enqueue()},
    "clEnqueueCopyBufferRect": {"sync": "async", "params": enqueue(
        src_origin=ORIGIN3, dst_origin=ORIGIN3, region=ORIGIN3)},
    # ------------------------------------------------------------ image transfers
    "clEnqueueReadImage": {"sync": "if:blocking_read == CL_FALSE", "params": enqueue(
        origin=ORIGIN3, region=ORIGIN3,
        ptr="out buffer bytes -- region and row/slice pitch (0 = computed from the element size) give the extent; not expressible")},
    "clEnqueueWriteImage": {"sync": "if:blocking_write == CL_FALSE", "params": enqueue(
        origin=ORIGIN3, region=ORIGIN3,
        ptr="in buffer bytes -- extent from region and input pitches; not expressible")},
    "clEnqueueFillImage": {"sync": "async", "params": enqueue(
        fill_color="in buffer size=16 bytes -- \"a four component RGBA floating-point color value\" (or signed/unsigned integer): always a 4-component 32-bit vector",
        origin=ORIGIN3, region=ORIGIN3)},
    "clEnqueueCopyImage": {"sync": "async", "params": enqueue(
        src_origin=ORIGIN3, dst_origin=ORIGIN3, region=ORIGIN3)},
    "clEnqueueCopyImageToBuffer": {"sync": "async", "params": enqueue(src_origin=ORIGIN3, region=ORIGIN3)},
    "clEnqueueCopyBufferToImage": {"sync": "async", "params": enqueue(dst_origin=ORIGIN3, region=ORIGIN3)},
    # ------------------------------------------------------------ mapping
    "clEnqueueMapBuffer": {"sync": "if:blocking_map == CL_FALSE",
                           "ret": "out buffer size=size bytes shadow=map -- returns a host pointer to the mapped region of size bytes; it holds valid data once the map completes",
                           "params": enqueue(**ERR)},
    "clEnqueueMapImage": {"sync": "if:blocking_map == CL_FALSE",
                          "ret": "out buffer bytes shadow=map -- mapped region; extent from region and the returned pitches, not expressible",
                          "params": enqueue(
        origin=ORIGIN3, region=ORIGIN3,
        image_row_pitch="out element -- \"This must be a non-NULL value.\"",
        image_slice_pitch="out element nullable -- may be NULL for 1D and 2D images", **ERR)},
    "clEnqueueUnmapMemObject": {"sync": "async", "params": enqueue(
        mapped_ptr="opaque shadow=unmap -- \"the host address returned by a previous call to clEnqueueMapBuffer, or clEnqueueMapImage\"; identifies the mapping")},
    "clEnqueueMigrateMemObjects": {"sync": "async", "params": enqueue(
        mem_objects="in buffer size=num_mem_objects elements elem=handle")},
    # ------------------------------------------------------------ execution
    "clEnqueueNDRangeKernel": {"sync": "async", "params": enqueue(
        global_work_offset="in buffer size=work_dim elements nullable -- \"global_work_offset can be NULL\"",
        global_work_size="in buffer size=work_dim elements nullable -- \"points to an array of work_dim unsigned values\"; NULL allowed for OpenCL 2.1+ devices",
        local_work_size="in buffer size=work_dim elements nullable -- \"local_work_size can also be a NULL value\"")},
    "clEnqueueTask": {"sync": "async", "params": enqueue()},
    "clEnqueueNativeKernel": {"sync": "async",
                              "unsupported": "runs a host function of the calling process on the device's host thread; cannot be remoted",
                              "params": enqueue(
        user_func="callback -- \"a pointer to a host-callable user function\"",
        args="in buffer size=cb_args bytes nullable -- \"a pointer to the args list that user_func should be called with\"; copied at enqueue",
        mem_list="in buffer size=num_mem_objects elements nullable elem=handle",
        args_mem_loc="in buffer size=num_mem_objects elements nullable elem=opaque -- pointers into args where memory object handles are replaced by global memory pointers")},
    "clEnqueueMarkerWithWaitList": {"sync": "async", "params": enqueue()},
    "clEnqueueBarrierWithWaitList": {"sync": "async", "params": enqueue()},
    "clEnqueueMarker": {"sync": "async", "params": {
        "event": "out element elem=handle allocates -- returns the marker event; CL_INVALID_VALUE if event is NULL"}},
    "clEnqueueWaitForEvents": {"sync": "async", "params": {
        "event_list": "in buffer size=num_events elements elem=handle"}},
    "clEnqueueBarrier": {"sync": "async"},
    # ------------------------------------------------------------ SVM commands
    "clEnqueueSVMFree": {"sync": "async", "params": enqueue(
        svm_pointers="in buffer size=num_svm_pointers elements elem=opaque -- array of SVM pointers to free",
        pfn_free_func="callback nullable -- \"If pfn_free_func is NULL, all pointers specified in svm_pointers must be allocated using clSVMAlloc\"",
        user_data=USER_DATA)},
    "clEnqueueSVMMemcpy": {"sync": "if:blocking_copy == CL_FALSE", "params": enqueue(
        dst_ptr="opaque -- \"the pointer to a host or SVM memory allocation where data is copied to\"; host vs SVM is a runtime property",
        src_ptr="opaque -- \"a pointer to a host or SVM memory allocation where data is copied from\"")},
    "clEnqueueSVMMemFill": {"sync": "async", "params": enqueue(
        svm_ptr="opaque -- SVM region to fill",
        pattern="in buffer size=pattern_size bytes")},
    "clEnqueueSVMMap": {"sync": "if:blocking_map == CL_FALSE", "params": enqueue(
        svm_ptr="opaque -- SVM region made host-accessible; no data passes through this parameter")},
    "clEnqueueSVMUnmap": {"sync": "async", "params": enqueue(svm_ptr="opaque")},
    "clEnqueueSVMMigrateMem": {"sync": "async", "params": enqueue(
        svm_pointers="in buffer size=num_svm_pointers elements elem=opaque",
        sizes="in buffer size=num_svm_pointers elements nullable -- \"sizes may be NULL indicating that every allocation containing any svm_pointer[i] is to be migrated\"")},
    # ------------------------------------------------------------ extensions
    "clGetExtensionFunctionAddressForPlatform": {
        "ret": "opaque -- address of an extension function in the vendor library",
        "unsupported": "returns a function pointer into the vendor library; a remoted guest cannot call it",
        "params": {"func_name": "in string"}},
    "clGetExtensionFunctionAddress": {
        "ret": "opaque", "unsupported": "returns a function pointer into the vendor library",
        "params": {"func_name": "in string"}},
}
