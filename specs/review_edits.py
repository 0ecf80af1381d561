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
    p.setdefault('evidence', []).append(ev(claims, why, loc))
    p.pop('conflicts', None)

def edit_fn(fn, why, loc=None, **claims):
    f = fs[fn]
    says = {}
    for k, v in claims.items():
        f[k] = v
        if k in ('sync', 'barrier'): says[k] = v
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

json.dump(s, open(dst, 'w'), indent=1)

# 6. What stays unsupported, with the reviewer's reason (the generator stubs these).
GAPS = {
  'clCreateImage': "host_ptr holds image_height*row_pitch (or depth*slice_pitch) bytes where a 0 pitch means width times the "
                   "element size of image_format, a per-format table no size expression can read",
  'clCreateImageWithProperties': "host_ptr size needs the element size of image_format (see clCreateImage)",
  'clEnqueueReadImage': "ptr size = region and pitches times the image's element size, which no argument carries "
                        "(it is a property of the image object); an over-estimate would write past the program's buffer",
  'clEnqueueWriteImage': "ptr size needs the image's element size, which no argument carries (see clEnqueueReadImage)",
  'clEnqueueMapImage': "the mapped size needs the image's element size and the pitches the call returns",
  'clCreateProgramWithBinary': "binaries is an array of num_devices buffers of lengths[i] bytes each: nested buffers are "
                               "not remoted (and CL_PROGRAM_BINARIES of clGetProgramInfo writes through the pointers "
                               "inside param_value, so binaries cannot be read back either)",
  'clEnqueueNativeKernel': "user_func is a guest host function the server would have to call with args rewritten "
                           "for the server's memory objects; there is no user-data parameter to route it back",
}
for fn, why in GAPS.items():
    f = fs[fn]
    f['supported'] = False
    f['unsupported_reason'] = why
    f['status'] = 'unsupported'
    f.setdefault('evidence', []).append(ev({}, "left unsupported by the reviewer: " + why))
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
json.dump(s, open(dst, 'w'), indent=1)
