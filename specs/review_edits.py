# One-off: apply the human review to the inferred OpenCL spec (specs/opencl.reviewed.json).
import json, sys
src, dst = sys.argv[1], sys.argv[2]
s = json.load(open(src))
fs = {f['name']: f for f in s['functions']}
DOC = '/work/shared/corpus/opencl-docs/opencl_runtime_layer.asciidoc'

def ev(says, why, loc=None):
    e = {"source": "human", "says": says, "weight": 1.0, "why": why}
    if loc: e["location"] = loc
    return e

def param(fn, name):
    for p in fs[fn]['params']:
        if p['name'] == name: return p
    raise KeyError(fn + '.' + name)

def edit_param(fn, name, why, loc=None, **claims):
    p = param(fn, name)
    for k, v in claims.items():
        p[k] = v
    p['status'] = 'edited'
    p['confidence'] = 1.0
    # An evidence claim is unconditional (the spec reader has no 'when' in a claim):
    # the when clauses live on the parameter, the evidence keeps the why.
    says = {k: v for k, v in claims.items() if k != 'when'}
    p.setdefault('evidence', []).append(ev(says, why, loc))
    p.pop('conflicts', None)

def edit_fn(fn, why, loc=None, **claims):
    f = fs[fn]
    says = {}
    for k, v in claims.items():
        f[k] = v
        if k in ('sync', 'barrier', 'cacheable'): says[k] = v
    f['status'] = 'edited'
    f.setdefault('evidence', []).append(ev(says, why, loc))

def support(fn, why):
    f = fs[fn]
    f['supported'] = True
    f.pop('unsupported_reason', None)
    f['status'] = 'edited'
    f.setdefault('evidence', []).append(ev({}, why))

# 1. Rectangle transfers: the host bytes ptr spans, from the pitches and region[].
ROW = "max(host_row_pitch, region[0])"
SLICE = "max(host_slice_pitch, region[1] * " + ROW + ")"
BYTES = ("(host_origin[2] + region[2] - 1) * " + SLICE + " + (host_origin[1] + region[1] - 1) * " + ROW +
         " + host_origin[0] + region[0]")
WHY_SIZE = ("ptr spans from its first byte to the last byte of the rectangle: (z_end-1)*slice + (y_end-1)*row + x_end "
            "with x/y/z_end = host_origin[i] + region[i]. A pitch of 0 means computed (row = region[0], slice = "
            "region[1]*row) and a nonzero pitch must be >= that value (CL_INVALID_VALUE otherwise), so max() is exact.")
edit_param('clEnqueueWriteBufferRect', 'ptr', WHY_SIZE, DOC + ':1177', size=BYTES, size_unit='bytes', direction='in', kind='buffer')
edit_param('clEnqueueReadBufferRect', 'ptr', WHY_SIZE + " Direction inout: the call writes only the rectangle; the bytes "
           "between its rows belong to the program and must come back unchanged, so the guest sends them and gets them back.",
           DOC + ':1177', size=BYTES, size_unit='bytes', direction='inout', kind='buffer')
for fn in ('clEnqueueReadBufferRect', 'clEnqueueWriteBufferRect'):
    support(fn, "ptr now has an exact byte size (indexing region[] and host_origin[])")

# 2. Enqueue commands with no host output are asynchronous (the command is queued; errors surface at the next sync call).
ASYNC = ['clEnqueueFillBuffer', 'clEnqueueCopyBuffer', 'clEnqueueCopyBufferRect', 'clEnqueueFillImage',
         'clEnqueueCopyImage', 'clEnqueueCopyImageToBuffer', 'clEnqueueCopyBufferToImage', 'clEnqueueUnmapMemObject',
         'clEnqueueMigrateMemObjects', 'clEnqueueNDRangeKernel', 'clEnqueueTask', 'clEnqueueNativeKernel',
         'clEnqueueMarkerWithWaitList', 'clEnqueueBarrierWithWaitList', 'clEnqueueMarker', 'clEnqueueWaitForEvents',
         'clEnqueueBarrier', 'clEnqueueSVMFree', 'clEnqueueSVMMemFill', 'clEnqueueSVMUnmap', 'clEnqueueSVMMigrateMem']
for fn in ASYNC:
    edit_fn(fn, "clEnqueue* only queues the command and returns; it has no host output (an event, when requested, "
            "makes the generated stub call synchronously)", sync='async')
for fn, flag in (('clEnqueueMapBuffer', 'blocking_map'), ('clEnqueueMapImage', 'blocking_map')):
    edit_fn(fn, flag + " says whether the map blocks: \"If blocking_map is CL_FALSE ... the pointer to the mapped "
            "region cannot be used until the map command has completed\"", sync={"async_if": flag + " == CL_FALSE"})

# 3. Nullability stated by the error lists of the reference pages.
edit_param('clCompileProgram', 'input_headers', "\"CL_INVALID_VALUE if num_input_headers is zero and header_include_names "
           "or input_headers are not NULL\": NULL is required when there are no headers", DOC + ':9790', nullable=True)
edit_param('clCompileProgram', 'header_include_names', "same rule as input_headers: NULL when num_input_headers is 0",
           DOC + ':9790', nullable=True)
edit_param('clEnqueueMapImage', 'image_slice_pitch', "CL_INVALID_VALUE only \"if image is a 1D or 2D image array object "
           "[or] a 3D [image] and image_slice_pitch is NULL\": NULL is valid for other images", DOC + ':4496', nullable=True)

# 4. clEnqueueFillImage: fill_color is four 32-bit components (RGBA float, int or uint).
edit_param('clEnqueueFillImage', 'fill_color', "\"a four component RGBA floating-point color value ... or a four "
           "component signed/unsigned integer value\": 4 x 4 bytes (a CL_DEPTH image takes one float: the guest "
           "reads 12 bytes beyond it, an input over-read that only extension depth images can hit)",
           DOC + ':4007', kind='buffer', direction='in', size='16', size_unit='bytes')

# 5. clEnqueueNativeKernel: args is copied by the library (input), args_mem_loc has one entry per memory object.
edit_param('clEnqueueNativeKernel', 'args', "\"args is a pointer to the args list that user_func should be called with\" "
           "- read (copied) by the library, never written; NULL when cb_args is 0", direction='in', nullable=True)
edit_param('clEnqueueNativeKernel', 'args_mem_loc', "\"args_mem_loc is a pointer to appropriate locations that args "
           "points to where memory object handles (cl_mem values) are stored\": num_mem_objects entries; NULL when "
           "num_mem_objects is 0", size='num_mem_objects', nullable=True)

# 10. CL_MEM_USE_HOST_PTR: "the OpenCL implementation [is] to use memory referenced by host_ptr as the
#     storage bits for the memory object": the created buffer keeps using host_ptr after the call.
WHY_RETAIN = ("CL_MEM_USE_HOST_PTR: \"use memory referenced by host_ptr as the storage bits for the memory object\": "
              "the buffer keeps host_ptr for its lifetime (retain: object)")
for fn in ('clCreateBuffer', 'clCreateBufferWithProperties'):
    edit_param(fn, 'host_ptr', WHY_RETAIN, retain='object')
json.dump(s, open(dst, 'w'), indent=1)

# 6. What stays unsupported, with the reviewer's reason (the generator stubs these).
GAPS = {
  'clEnqueueNativeKernel': "user_func is a guest host function the server would have to call with args rewritten "
                           "for the server's memory objects; there is no user-data parameter to route it back",
}
for fn, why in GAPS.items():
    f = fs[fn]
    f['supported'] = False
    f['unsupported_reason'] = why
    f['status'] = 'unsupported'
    f.setdefault('evidence', []).append(ev({}, "left unsupported by the reviewer: " + why))
# 10. CL_MEM_USE_HOST_PTR: "the OpenCL implementation [is] to use memory referenced by host_ptr as the
#     storage bits for the memory object": the created buffer keeps using host_ptr after the call.
WHY_RETAIN = ("CL_MEM_USE_HOST_PTR: \"use memory referenced by host_ptr as the storage bits for the memory object\": "
              "the buffer keeps host_ptr for its lifetime (retain: object)")
for fn in ('clCreateBuffer', 'clCreateBufferWithProperties'):
    edit_param(fn, 'host_ptr', WHY_RETAIN, retain='object')
json.dump(s, open(dst, 'w'), indent=1)

# 7. More nullability from the reference pages.
edit_param('clGetKernelSubGroupInfo', 'input_value', "\"If input_value is NULL, it is ignored.\"", DOC + ':11622', nullable=True)
edit_param('clEnqueueNDRangeKernel', 'global_work_size', "\"CL_INVALID_GLOBAL_WORK_SIZE if global_work_size is NULL\": "
           "the library must see the NULL to report its own error (native error path)", DOC + ':11971', nullable=True)

# 8. Shared virtual memory: one address space shared by host and device; a guest in another
# process or VM cannot use the server's SVM addresses (that needs shared memory, not remoted).
SVM_WHY = ("SVM pointers are addresses the host and the device share in one address space: the guest runs in "
           "another process/VM, so it can neither dereference the server's SVM allocations nor pass its own memory "
           "as SVM (needs a shared-memory mapping, which the stack does not provide)")
for fn, p in (('clEnqueueSVMMemFill', 'svm_ptr'), ('clEnqueueSVMMap', 'svm_ptr')):
    edit_param(fn, p, "\"svm_ptr is a pointer to a memory region that will be filled\" (clEnqueueSVMMemFill) / mapped "
               "(clEnqueueSVMMap) through shared virtual memory: the device uses the address itself, so it is passed "
               "through, never copied", kind='opaque', direction='in')
for fn in ('clSVMAlloc', 'clSVMFree', 'clEnqueueSVMFree', 'clEnqueueSVMMemcpy', 'clEnqueueSVMMemFill',
           'clEnqueueSVMMap', 'clEnqueueSVMUnmap', 'clEnqueueSVMMigrateMem', 'clSetKernelArgSVMPointer'):
    f = fs[fn]
    f['supported'] = False
    f['unsupported_reason'] = SVM_WHY
    f['status'] = 'unsupported'
    f.setdefault('evidence', []).append(ev({}, "left unsupported by the reviewer: " + SVM_WHY))
# 10. CL_MEM_USE_HOST_PTR: "the OpenCL implementation [is] to use memory referenced by host_ptr as the
#     storage bits for the memory object": the created buffer keeps using host_ptr after the call.
WHY_RETAIN = ("CL_MEM_USE_HOST_PTR: \"use memory referenced by host_ptr as the storage bits for the memory object\": "
              "the buffer keeps host_ptr for its lifetime (retain: object)")
for fn in ('clCreateBuffer', 'clCreateBufferWithProperties'):
    edit_param(fn, 'host_ptr', WHY_RETAIN, retain='object')
json.dump(s, open(dst, 'w'), indent=1)


# 8. Images: the host memory a transfer spans needs the image's element size, which no argument
#    carries -- the stack asks the image for it (query(), through the stack on the guest, directly
#    on the server), as a program would with clGetImageInfo.
E = "query(clGetImageInfo, image, CL_IMAGE_ELEMENT_SIZE)"
def image_bytes(row_pitch, slice_pitch):
    row = "max(%s, region[0] * %s)" % (row_pitch, E)
    slice_ = "max(%s, region[1] * %s)" % (slice_pitch, row)
    return "(region[2] - 1) * %s + (region[1] - 1) * %s + region[0] * %s" % (slice_, row, E)
WHY_IMG = ("the host memory spans (region[2]-1)*slice + (region[1]-1)*row + region[0]*element_size bytes; a 0 pitch "
           "means computed (row = region[0]*element_size, slice = region[1]*row) and a nonzero pitch must be at least "
           "that (CL_INVALID_VALUE), so max() is exact. The element size is a property of the image: "
           "clGetImageInfo(image, CL_IMAGE_ELEMENT_SIZE). (1D image arrays step slices by slice_pitch; with an "
           "explicit slice_pitch there this under-counts -- left as a known limit.)")
edit_param('clEnqueueReadImage', 'ptr', WHY_IMG + " With a pitch the bytes between rows belong to the program: inout.",
           DOC + ':3642', kind='buffer', direction='out', size=image_bytes('row_pitch', 'slice_pitch'), size_unit='bytes',
           when=[{"if": "row_pitch != 0 || slice_pitch != 0", "direction": "inout"}])
edit_param('clEnqueueWriteImage', 'ptr', WHY_IMG, DOC + ':3642', kind='buffer', direction='in',
           size=image_bytes('input_row_pitch', 'input_slice_pitch'), size_unit='bytes')
for fn in ('clEnqueueReadImage', 'clEnqueueWriteImage'):
    support(fn, "ptr has an exact byte size: region, pitches and the image's element size (query)")
fs['clEnqueueMapImage']['return']['size'] = ("(region[2] - 1) * *image_slice_pitch + (region[1] - 1) * *image_row_pitch"
                                             " + region[0] * " + E)
edit_fn('clEnqueueMapImage', "the mapped region spans (region[2]-1)*slice + (region[1]-1)*row + region[0]*element_size "
        "bytes with the pitches the call returns (image_slice_pitch is 0 or NULL for 2D images)")
support('clEnqueueMapImage', "the mapping size is known: returned pitches, region and the image's element size")

# Creating an image reads host_ptr; how much depends on image_format's element size, a per-format
# table. The guest sends what the image can span at most (16-byte elements: four 32-bit channels),
# cut at the end of the program's readable memory, so it never reads past a mapping.
def create_bound(w, h, d, a, row_pitch, slice_pitch):
    row = "max(%s, %s * 16)" % (row_pitch, w)
    slice_ = "max(%s, %s * %s)" % (slice_pitch, h, row) if slice_pitch else "%s * %s" % (h, row)
    total = slice_ + (" * " + d if d else "") + (" * " + a if a else "")
    return "min(readable(host_ptr), %s)" % total
DESC = lambda f: "image_desc->" + f
BOUND = create_bound(DESC("image_width"), "max(%s, 1)" % DESC("image_height"), "max(%s, 1)" % DESC("image_depth"),
                     "max(%s, 1)" % DESC("image_array_size"), DESC("image_row_pitch"), DESC("image_slice_pitch"))
WHY_CREATE = ("host_ptr holds the image: rows of row_pitch (0: width * element size) bytes. The element size comes from "
              "image_format through a per-format table, so the guest sends the most the image can span (elements of at "
              "most 16 bytes: four 32-bit channels) cut at the end of the program's readable memory (readable()). "
              "The library reads only what it needs. (CL_MEM_USE_HOST_PTR cannot share guest memory; the server copies.)")
for fn in ('clCreateImage', 'clCreateImageWithProperties'):
    edit_param(fn, 'host_ptr', WHY_CREATE, kind='buffer', direction='in', size=BOUND, size_unit='bytes', nullable=True)
    support(fn, "host_ptr is sent up to a bound (readable() and the largest element size)")
edit_param('clCreateImage2D', 'host_ptr', WHY_CREATE, kind='buffer', direction='in', nullable=True, size_unit='bytes',
           size=create_bound("image_width", "image_height", None, None, "image_row_pitch", None))
edit_param('clCreateImage3D', 'host_ptr', WHY_CREATE, kind='buffer', direction='in', nullable=True, size_unit='bytes',
           size=create_bound("image_width", "image_height", "image_depth", None, "image_row_pitch", "image_slice_pitch"))

# 9. Program binaries: buffers of buffers. CL_PROGRAM_BINARIES writes each device's binary through
#    the pointers the program put in param_value, each as large as CL_PROGRAM_BINARY_SIZES says.
# (clCreateProgramWithBinary.binaries needs no edit: inference reads lengths[i] off the prototype.)
edit_param('clGetProgramInfo', 'param_value', "CL_PROGRAM_BINARIES: \"param_value points to an array of n pointers allocated by "
           "the caller, where n is the number of devices associated with program. The buffer sizes needed to allocate "
           "the memory that these n pointers refer to can be queried using the CL_PROGRAM_BINARY_SIZES query\": the "
           "array is read, the binaries are written through it",
           DOC + ':10515', when=[{"if": "param_name == CL_PROGRAM_BINARIES", "direction": "in", "kind": "buffer",
                                  "size": "param_value_size / sizeof(unsigned char *)", "size_unit": "elements",
                                  "element": {"kind": "buffer", "direction": "out", "size_unit": "bytes",
                                              "size": "query(clGetProgramInfo, program, CL_PROGRAM_BINARY_SIZES)[i]"}}])
# 10. CL_MEM_USE_HOST_PTR: "the OpenCL implementation [is] to use memory referenced by host_ptr as the
#     storage bits for the memory object": the created buffer keeps using host_ptr after the call.
WHY_RETAIN = ("CL_MEM_USE_HOST_PTR: \"use memory referenced by host_ptr as the storage bits for the memory object\": "
              "the buffer keeps host_ptr for its lifetime (retain: object)")
for fn in ('clCreateBuffer', 'clCreateBufferWithProperties'):
    edit_param(fn, 'host_ptr', WHY_RETAIN, retain='object')
# 12. Source strings with optional lengths: "If an element in lengths is zero, its accompanying string is
#     null-terminated. If lengths is NULL, all strings in the strings argument are considered null-terminated."
#     strings[i] is lengths[i] bytes (no NUL) or a NUL-terminated string, so the worker can refuse a length
#     longer than the bytes sent (tests/fuzz/seeds/opencl/regression-program-source-lengths.bin).
#     Inference now says the same (the optional-lengths rule); the review confirms it.
SOURCE_ELEMENT = {"kind": "string", "direction": "in", "size_unit": "bytes",
                  "size": "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1"}
edit_param('clCreateProgramWithSource', 'strings', "\"strings is an array of count pointers to optionally null-terminated "
           "character strings\"; \"If an element in lengths is zero, its accompanying string is null-terminated. If "
           "lengths is NULL, all strings in the strings argument are considered null-terminated.\": strings[i] is "
           "lengths[i] bytes (no NUL), else NUL-terminated (its NUL counted)", DOC + ':9132',
           kind='buffer', direction='in', size='count', size_unit='elements', element=dict(SOURCE_ELEMENT))
# The element keeps its C spelling (an evidence claim has no pointee field).
param('clCreateProgramWithSource', 'strings')['element'] = dict(SOURCE_ELEMENT, pointee='const char')
json.dump(s, open(dst, 'w'), indent=1)

# 10. Cacheable queries: results that cannot change for the same arguments, answered by the guest
#     after the first call. Reference counts, map counts, the default device queue and the local
#     memory a kernel's __local arguments take (set by clSetKernelArg) change; everything else these
#     queries return is fixed when the object is created (or, for a kernel, when its program was built).
CACHEABLE = [
    ('clGetPlatformIDs', True, "the platforms of an ICD loader are fixed for the life of the process"),
    ('clGetPlatformInfo', True, "platform properties (profile, version, name, vendor, extensions) are fixed"),
    ('clGetDeviceIDs', True, "a platform's devices are fixed for the life of the process"),
    ('clGetDeviceInfo', "param_name != CL_DEVICE_REFERENCE_COUNT",
     "device properties are fixed; the reference count (footnote: 'immediately stale') is not"),
    ('clGetSupportedImageFormats', True, "a context's supported image formats are fixed when it is created"),
    ('clGetContextInfo', "param_name != CL_CONTEXT_REFERENCE_COUNT", "fixed at creation except the reference count"),
    ('clGetCommandQueueInfo', "param_name != CL_QUEUE_REFERENCE_COUNT && param_name != CL_QUEUE_DEVICE_DEFAULT",
     "fixed at creation except the reference count and the default device queue (clSetDefaultDeviceCommandQueue)"),
    ('clGetMemObjectInfo', "param_name != CL_MEM_REFERENCE_COUNT && param_name != CL_MEM_MAP_COUNT",
     "fixed at creation except the reference and map counts"),
    ('clGetImageInfo', True, "an image's format and dimensions are fixed at creation"),
    ('clGetSamplerInfo', "param_name != CL_SAMPLER_REFERENCE_COUNT", "fixed at creation except the reference count"),
    ('clGetKernelInfo', "param_name != CL_KERNEL_REFERENCE_COUNT",
     "a kernel's name, argument count, attributes, context and program are fixed; the reference count is not"),
    ('clGetKernelWorkGroupInfo', "param_name != CL_KERNEL_LOCAL_MEM_SIZE",
     "fixed once the program is built, except the local memory size, which clSetKernelArg of a __local argument changes"),
    ('clGetKernelArgInfo', True, "argument names, types and qualifiers come from the built program"),
]
for fn, value, why in CACHEABLE:
    if fn in fs:
        edit_fn(fn, why, cacheable=value)

# 13. In-order queues (confirmed as inferred): a queue runs its commands in order unless it was
#     created with CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE ("If set, the commands in the command-queue
#     are executed out-of-order. Otherwise, commands are executed in-order."), so the end of a later
#     command on it proves every earlier one done. Inference reads the same from the queue-properties
#     tables (inference/docs/src/in_order.cpp); the review confirms it.
def confirm_fn(fn, why, loc=None, **claims):
    f = fs[fn]
    order = ['name', 'symbol', 'library', 'return', 'sync', 'barrier', 'coherence', 'cacheable', 'in_order']
    for k, v in claims.items():
        f[k] = v
    # Keep the writer's key order (docs/spec-format.md lists the fields in that order).
    head = {k: f[k] for k in order if k in f}
    rest = {k: v for k, v in f.items() if k not in head}
    f.clear()
    f.update(head)
    f.update(rest)
    if f.get('status', 'inferred') == 'inferred':
        f['status'] = 'confirmed'
    f.setdefault('evidence', []).append(ev(dict(claims), why, loc))

IN_ORDER = [
    ('clCreateCommandQueue', "(properties & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0", DOC + ':238',
     "properties is a bit-field; CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE: \"If set, the commands in the command-queue are "
     "executed out-of-order. Otherwise, commands are executed in-order.\""),
    ('clCreateCommandQueueWithProperties',
     "(property(properties, CL_QUEUE_PROPERTIES) & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0", DOC + ':77',
     "the CL_QUEUE_PROPERTIES value of the properties list (0 when absent: \"If CL_QUEUE_PROPERTIES is not specified an "
     "in-order host command-queue is created\"); CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE: \"If set, the commands in the "
     "command-queue are executed out-of-order. Otherwise, commands are executed in-order.\""),
]
for fn, predicate, loc, why in IN_ORDER:
    if fn in fs:
        confirm_fn(fn, why, loc, in_order=predicate)
json.dump(s, open(dst, 'w'), indent=1)
