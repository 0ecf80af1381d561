// The driver API alone (libcuda.so.1): cuInit, devices, the primary context, a
// module JIT-compiled from PTX (cuModuleLoadData: an image with no size argument),
// the kernel's parameter layout as the driver reports it (cuFuncGetParamInfo),
// cuLaunchKernel with an argument array (kernelParams, no size either) and again with
// extra's packed buffer, copies, and the error path of an unknown function name.
//
// The PTX was produced once with `nvcc -ptx -arch=compute_75` from:
//   extern "C" __global__ void affine(int* v, int a, long long b, unsigned n) {
//     unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
//     if (i < n) v[i] = static_cast<int>(v[i] * a + b);
//   }
// Remoted it needs a stack that provides libcuda.so.1 (without one the runners
// run it natively only).
#include <cuda.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CHECK_CU(call)                                                                          \
  do {                                                                                          \
    CUresult cu_status_ = (call);                                                               \
    if (cu_status_ != CUDA_SUCCESS) {                                                           \
      const char* name_ = "?";                                                                  \
      const char* text_ = "?";                                                                  \
      cuGetErrorName(cu_status_, &name_);                                                       \
      cuGetErrorString(cu_status_, &text_);                                                     \
      std::fprintf(stderr, "14_driver_api.cu:%d: %s failed: %s (%s)\n", __LINE__, #call, name_, \
                   text_);                                                                      \
      std::exit(1);                                                                             \
    }                                                                                           \
  } while (0)

static const char kPtx[] =
    ".version 9.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    "\n"
    "	// .globl	affine\n"
    "\n"
    ".visible .entry affine(\n"
    "	.param .u64 affine_param_0,\n"
    "	.param .u32 affine_param_1,\n"
    "	.param .u64 affine_param_2,\n"
    "	.param .u32 affine_param_3\n"
    ")\n"
    "{\n"
    "	.reg .pred 	%p<2>;\n"
    "	.reg .b32 	%r<10>;\n"
    "	.reg .b64 	%rd<6>;\n"
    "\n"
    "\n"
    "	ld.param.u64 	%rd1, [affine_param_0];\n"
    "	ld.param.u32 	%r2, [affine_param_1];\n"
    "	ld.param.u64 	%rd2, [affine_param_2];\n"
    "	ld.param.u32 	%r3, [affine_param_3];\n"
    "	mov.u32 	%r4, %ctaid.x;\n"
    "	mov.u32 	%r5, %ntid.x;\n"
    "	mov.u32 	%r6, %tid.x;\n"
    "	mad.lo.s32 	%r1, %r4, %r5, %r6;\n"
    "	setp.ge.u32 	%p1, %r1, %r3;\n"
    "	@%p1 bra 	$L__BB0_2;\n"
    "\n"
    "	cvta.to.global.u64 	%rd3, %rd1;\n"
    "	mul.wide.u32 	%rd4, %r1, 4;\n"
    "	add.s64 	%rd5, %rd3, %rd4;\n"
    "	ld.global.u32 	%r7, [%rd5];\n"
    "	cvt.u32.u64 	%r8, %rd2;\n"
    "	mad.lo.s32 	%r9, %r7, %r2, %r8;\n"
    "	st.global.u32 	[%rd5], %r9;\n"
    "\n"
    "$L__BB0_2:\n"
    "	ret;\n"
    "\n"
    "}\n"
    "\n";

int main() {
  CHECK_CU(cuInit(0));
  int count = 0;
  CHECK_CU(cuDeviceGetCount(&count));
  std::printf("devices: %d\n", count);
  if (count == 0) return 1;
  CUdevice dev;
  CHECK_CU(cuDeviceGet(&dev, 0));
  char name[256] = {};
  CHECK_CU(cuDeviceGetName(name, sizeof name, dev));
  size_t total = 0;
  CHECK_CU(cuDeviceTotalMem(&total, dev));
  int major = 0, minor = 0;
  CHECK_CU(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
  CHECK_CU(cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev));
  std::printf("device 0: %s, compute capability %d.%d, %zu MiB\n", name, major, minor, total >> 20);
  int version = 0;
  CHECK_CU(cuDriverGetVersion(&version));
  std::printf("driver API version: %s\n", version >= 13000 ? "13.0 or later" : "older");

  CUcontext ctx;
  CHECK_CU(cuDevicePrimaryCtxRetain(&ctx, dev));
  CHECK_CU(cuCtxSetCurrent(ctx));
  CUmodule module;
  CHECK_CU(cuModuleLoadData(&module, kPtx));
  CUfunction affine;
  CHECK_CU(cuModuleGetFunction(&affine, module, "affine"));
  CUfunction missing;
  CUresult e = cuModuleGetFunction(&missing, module, "no_such_kernel");
  const char* ename = "?";
  cuGetErrorName(e, &ename);
  std::printf("cuModuleGetFunction(no_such_kernel): %s\n", ename);

  const unsigned n = 10000;
  std::vector<int> host(n), back(n), want(n);
  for (unsigned i = 0; i < n; ++i) host[i] = static_cast<int>(i % 1000) - 500;
  CUdeviceptr d;
  CHECK_CU(cuMemAlloc(&d, n * sizeof(int)));
  CHECK_CU(cuMemcpyHtoD(d, host.data(), n * sizeof(int)));
  int a = -3;
  long long b = 7000000001LL;  // only its low 32 bits reach the int result
  unsigned count_arg = n;
  void* args[] = {&d, &a, &b, &count_arg};
  // The layout the launch copies: (int*, int, long long, unsigned) at 0, 8, 16, 24.
  for (size_t i = 0; i < 4; ++i) {
    size_t offset = 0, size = 0;
    CHECK_CU(cuFuncGetParamInfo(affine, i, &offset, &size));
    std::printf("affine parameter %zu: offset %zu, %zu bytes\n", i, offset, size);
  }
  CUstream stream;
  CHECK_CU(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  CHECK_CU(cuLaunchKernel(affine, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, args, nullptr));
  // The same kernel through extra: the parameters packed at their offsets.
  struct {
    CUdeviceptr v;
    int a;
    long long b;
    unsigned n;
  } packed = {d, 2, -5, n};
  size_t packed_size = offsetof(decltype(packed), n) + sizeof packed.n;  // 28: the parameters' extent
  void* extra[] = {CU_LAUNCH_PARAM_BUFFER_POINTER, &packed, CU_LAUNCH_PARAM_BUFFER_SIZE, &packed_size,
                   CU_LAUNCH_PARAM_END};
  CHECK_CU(cuLaunchKernel(affine, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, nullptr, extra));
  CHECK_CU(cuStreamSynchronize(stream));
  CHECK_CU(cuMemcpyDtoH(back.data(), d, n * sizeof(int)));
  for (unsigned i = 0; i < n; ++i) {
    unsigned once = static_cast<unsigned>(host[i]) * static_cast<unsigned>(a) + static_cast<unsigned>(b);
    want[i] = static_cast<int>(once * 2u + static_cast<unsigned>(-5));
  }
  for (unsigned i = 0; i < n; ++i)
    if (back[i] != want[i]) {
      std::fprintf(stderr, "element %u: %d from the kernel, %d on the CPU\n", i, back[i], want[i]);
      return 1;
    }
  std::printf("affine twice (kernelParams, then extra): %u elements match the CPU reference\n", n);

  CHECK_CU(cuStreamDestroy(stream));
  CHECK_CU(cuMemFree(d));
  CHECK_CU(cuModuleUnload(module));
  CHECK_CU(cuDevicePrimaryCtxRelease(dev));
  std::printf("done\n");
  return 0;
}
