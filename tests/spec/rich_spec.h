// A spec that uses every field of the model, shared by the JSON, store, diff
// and score tests.
#pragma once

#include "remora/spec/model.h"

namespace remora::spec::testing {

inline Spec rich_spec() {
  Spec s;
  s.api.name = "OpenCL";
  s.api.headers = {"CL/cl.h"};
  s.api.include_dirs = {"/usr/include"};
  s.api.defines = {"CL_TARGET_OPENCL_VERSION=300", "NDEBUG"};
  s.api.library = "libOpenCL.so.1";
  s.api.sonames = {"libOpenCL.so.1", "libOpenCL.so"};

  Type mem;
  mem.name = "cl_mem";
  mem.kind = TypeKind::Handle;
  mem.underlying = "struct _cl_mem *";
  Type status;
  status.name = "cl_int";
  status.kind = TypeKind::Status;
  status.underlying = "int32_t";
  status.success = "CL_SUCCESS";
  status.error = "CL_OUT_OF_HOST_MEMORY";
  status.constants = {{"CL_SUCCESS", 0}, {"CL_INVALID_VALUE", -30}, {"CL_BIG", 1LL << 40}};
  Type region;
  region.name = "cl_buffer_region";
  region.kind = TypeKind::Struct;
  region.fields = {{"origin", "size_t"}, {"size", "size_t"}};
  Type callback;
  callback.name = "pfn_notify";
  callback.kind = TypeKind::Callback;
  callback.signature = "void (const char *, const void *, size_t, void *)";
  callback.evidence.push_back(
      Evidence{EvidenceSource::Header, {}, 0.5, "typedef of a function pointer", "cl.h:10"});
  s.types = {mem, status, region, callback};

  Function info;
  info.name = "clGetDeviceInfo";
  info.ret.type = "cl_int";
  info.status = ReviewStatus::Confirmed;
  info.confidence = 0.9;
  info.doc = "Get information about a device.";
  info.location = "CL/cl.h:120";
  Param device{"device", "cl_device_id", {}, {}, 1.0, ReviewStatus::Inferred, {}, {}, {}};
  device.ann.kind = Kind::Handle;
  device.ann.handle_type = "cl_device_id";
  Param name{"param_name", "cl_device_info", {}, {}, 1.0, ReviewStatus::Inferred, {}, {}, {}};
  Param size{"param_value_size", "size_t", {}, {}, 0.75, ReviewStatus::Inferred, {}, {}, {}};
  Param value{"param_value", "void *", {}, {}, 0.97, ReviewStatus::Edited, {}, {}, {}};
  value.ann.direction = Direction::Out;
  value.ann.kind = Kind::Buffer;
  value.ann.size = "param_value_size";
  value.ann.size_unit = SizeUnit::Bytes;
  value.ann.nullable = true;
  AnnotationPatch header_says;
  header_says.direction = Direction::Out;
  AnnotationPatch docs_says;
  docs_says.direction = Direction::Out;
  docs_says.size = "param_value_size";
  docs_says.nullable = false;
  value.evidence = {
      Evidence{EvidenceSource::Header, header_says, 0.6, "non-const void* followed by size_t",
               "CL/cl.h:121"},
      Evidence{EvidenceSource::Docs, docs_says, 0.8, "\"is a pointer to memory location\"", ""},
      Evidence{EvidenceSource::Trace, header_says, 0.9, "written in 412/412 calls; never read",
               ""}};
  value.conflicts = {"docs say not nullable, trace saw NULL"};
  Param ret_size{"param_value_size_ret", "size_t *", {}, {}, 0.5, ReviewStatus::Inferred, {}, {}, {}};
  ret_size.ann.direction = Direction::Out;
  ret_size.ann.kind = Kind::Element;
  ret_size.ann.nullable = true;
  ret_size.ann.pointee = "size_t";
  info.params = {device, name, size, value, ret_size};
  AnnotationPatch sync_claim;
  sync_claim.sync = Sync{};
  sync_claim.barrier = false;
  info.evidence = {Evidence{EvidenceSource::Human, sync_claim, 1.0, "reviewed", ""}};

  Function create;
  create.name = "clCreateContext";
  create.symbol = "clCreateContext_impl";
  create.ret.type = "cl_context";
  create.ret.ann.kind = Kind::Handle;
  create.ret.ann.allocates = true;
  create.ret.ann.handle_type = "cl_context";
  Param props{"properties", "const cl_context_properties *", {}, {},
              0.6,          ReviewStatus::Inferred,          {}, {}, {}};
  props.ann.kind = Kind::Buffer;
  props.ann.size = "terminated(properties)";
  props.ann.nullable = true;
  Param num{"num_devices", "cl_uint", {}, {}, 1.0, ReviewStatus::Inferred, {}, {}, {}};
  Param devices{"devices", "const cl_device_id *", {}, {}, 0.8, ReviewStatus::Inferred, {}, {}, {}};
  devices.ann.kind = Kind::Buffer;
  devices.ann.size = "num_devices";
  Annotation elem;
  elem.kind = Kind::Handle;
  elem.handle_type = "cl_device_id";
  Annotation inner;
  inner.kind = Kind::Value;
  inner.direction = Direction::InOut;
  elem.element = Box<Annotation>(inner);
  devices.ann.element = Box<Annotation>(elem);
  Param notify{"pfn_notify", "void (*)(const char *, const void *, size_t, void *)",
               {},           {},
               0.9,          ReviewStatus::Inferred,
               {},           {},           {}};
  notify.ann.kind = Kind::Callback;
  notify.ann.nullable = true;
  Param user{"user_data", "void *", {}, {}, 0.9, ReviewStatus::Inferred, {}, {}, {}};
  user.ann.kind = Kind::Userdata;
  user.ann.nullable = true;
  Param err{"errcode_ret", "cl_int *", {}, {}, 0.9, ReviewStatus::Inferred, {}, {}, {}};
  err.ann.direction = Direction::Out;
  err.ann.kind = Kind::Element;
  err.ann.nullable = true;
  create.params = {props, num, devices, notify, user, err};

  Function read;
  read.name = "clEnqueueReadBuffer";
  read.ret.type = "cl_int";
  read.sync.mode = Sync::Mode::AsyncIf;
  read.sync.condition = "blocking_read == CL_FALSE";
  Param queue{"command_queue", "cl_command_queue", {}, {}, 1, ReviewStatus::Inferred, {}, {}, {}};
  queue.ann.kind = Kind::Handle;
  Param blocking{"blocking_read", "cl_bool", {}, {}, 1, ReviewStatus::Inferred, {}, {}, {}};
  Param cb{"cb", "size_t", {}, {}, 1, ReviewStatus::Inferred, {}, {}, {}};
  Param ptr{"ptr", "void *", {}, {}, 0.7, ReviewStatus::Inferred, {}, {}, {}};
  ptr.ann.direction = Direction::Out;
  ptr.ann.kind = Kind::Buffer;
  ptr.ann.size = "cb";
  ptr.ann.size_unit = SizeUnit::Bytes;
  AnnotationPatch when_patch;
  when_patch.direction = Direction::InOut;
  when_patch.size = "cb * 2";
  when_patch.element_kind = Kind::Value;
  ptr.when = {When{"blocking_read == CL_TRUE", when_patch}};
  read.params = {queue, blocking, cb, ptr};

  Function release;
  release.name = "clReleaseMemObject";
  release.ret.type = "cl_int";
  Param memobj{"memobj", "cl_mem", {}, {}, 1, ReviewStatus::Inferred, {}, {}, {}};
  memobj.ann.kind = Kind::Handle;
  memobj.ann.deallocates = true;
  memobj.ann.shadow = "unmap";
  release.params = {memobj};

  Function finish;
  finish.name = "clFinish";
  finish.ret.type = "cl_int";
  finish.barrier = true;
  finish.sync.mode = Sync::Mode::Async;
  finish.params = {queue};

  Function printfn;
  printfn.name = "clLogMessagesToStdout";
  printfn.ret.type = "void";
  printfn.supported = false;
  printfn.unsupported_reason = "variadic";
  printfn.variadic = true;
  printfn.status = ReviewStatus::Unsupported;

  s.functions = {info, create, read, release, finish, printfn};
  return s;
}

}  // namespace remora::spec::testing
