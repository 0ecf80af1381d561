/* cuda-04: kernels without nvcc: PTX embedded as a string, loaded with
 * cudaLibraryLoadData, looked up with cudaLibraryGetKernel and launched with
 * cudaLaunchKernel (an array of pointers to the argument values).
 *
 * The PTX was produced once with `nvcc -ptx -arch=compute_75` from:
 *   extern "C" __global__ void vector_add(const float *a, const float *b, float *c, unsigned n)
 *   { unsigned i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) c[i] = a[i] + b[i]; }
 *   extern "C" __global__ void scale(float *v, float f, unsigned n)
 *   { unsigned i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) v[i] *= f; }
 * The driver JIT-compiles it for whatever GPU is present. */
#include "common/sample_util.h"

static const char kPtx[] =
    "\n"
    ".version 9.0\n"
    ".target sm_75\n"
    ".address_size 64\n"
    "\n"
    "	// .globl	vector_add\n"
    "\n"
    ".visible .entry vector_add(\n"
    "	.param .u64 vector_add_param_0,\n"
    "	.param .u64 vector_add_param_1,\n"
    "	.param .u64 vector_add_param_2,\n"
    "	.param .u32 vector_add_param_3\n"
    ")\n"
    "{\n"
    "	.reg .pred 	%p<2>;\n"
    "	.reg .f32 	%f<4>;\n"
    "	.reg .b32 	%r<6>;\n"
    "	.reg .b64 	%rd<11>;\n"
    "\n"
    "\n"
    "	ld.param.u64 	%rd1, [vector_add_param_0];\n"
    "	ld.param.u64 	%rd2, [vector_add_param_1];\n"
    "	ld.param.u64 	%rd3, [vector_add_param_2];\n"
    "	ld.param.u32 	%r2, [vector_add_param_3];\n"
    "	mov.u32 	%r3, %ctaid.x;\n"
    "	mov.u32 	%r4, %ntid.x;\n"
    "	mov.u32 	%r5, %tid.x;\n"
    "	mad.lo.s32 	%r1, %r3, %r4, %r5;\n"
    "	setp.ge.u32 	%p1, %r1, %r2;\n"
    "	@%p1 bra 	$L__BB0_2;\n"
    "\n"
    "	cvta.to.global.u64 	%rd4, %rd1;\n"
    "	mul.wide.u32 	%rd5, %r1, 4;\n"
    "	add.s64 	%rd6, %rd4, %rd5;\n"
    "	cvta.to.global.u64 	%rd7, %rd2;\n"
    "	add.s64 	%rd8, %rd7, %rd5;\n"
    "	ld.global.f32 	%f1, [%rd8];\n"
    "	ld.global.f32 	%f2, [%rd6];\n"
    "	add.f32 	%f3, %f2, %f1;\n"
    "	cvta.to.global.u64 	%rd9, %rd3;\n"
    "	add.s64 	%rd10, %rd9, %rd5;\n"
    "	st.global.f32 	[%rd10], %f3;\n"
    "\n"
    "$L__BB0_2:\n"
    "	ret;\n"
    "\n"
    "}\n"
    "	// .globl	scale\n"
    ".visible .entry scale(\n"
    "	.param .u64 scale_param_0,\n"
    "	.param .f32 scale_param_1,\n"
    "	.param .u32 scale_param_2\n"
    ")\n"
    "{\n"
    "	.reg .pred 	%p<2>;\n"
    "	.reg .f32 	%f<4>;\n"
    "	.reg .b32 	%r<6>;\n"
    "	.reg .b64 	%rd<5>;\n"
    "\n"
    "\n"
    "	ld.param.u64 	%rd1, [scale_param_0];\n"
    "	ld.param.f32 	%f1, [scale_param_1];\n"
    "	ld.param.u32 	%r2, [scale_param_2];\n"
    "	mov.u32 	%r3, %ctaid.x;\n"
    "	mov.u32 	%r4, %ntid.x;\n"
    "	mov.u32 	%r5, %tid.x;\n"
    "	mad.lo.s32 	%r1, %r3, %r4, %r5;\n"
    "	setp.ge.u32 	%p1, %r1, %r2;\n"
    "	@%p1 bra 	$L__BB1_2;\n"
    "\n"
    "	cvta.to.global.u64 	%rd2, %rd1;\n"
    "	mul.wide.u32 	%rd3, %r1, 4;\n"
    "	add.s64 	%rd4, %rd2, %rd3;\n"
    "	ld.global.f32 	%f2, [%rd4];\n"
    "	mul.f32 	%f3, %f2, %f1;\n"
    "	st.global.f32 	[%rd4], %f3;\n"
    "\n"
    "$L__BB1_2:\n"
    "	ret;\n"
    "\n"
    "}\n"
    "\n";

enum { N = 100000, BLOCK = 256 };

int main(void) {
  sample_require_device();
  cudaLibrary_t library = NULL;
  CHECK(cudaLibraryLoadData(&library, kPtx, NULL, NULL, 0, NULL, NULL, 0));
  cudaKernel_t vector_add = NULL, scale = NULL;
  CHECK(cudaLibraryGetKernel(&vector_add, library, "vector_add"));
  CHECK(cudaLibraryGetKernel(&scale, library, "scale"));
  unsigned int kernels = 0;
  CHECK(cudaLibraryGetKernelCount(&kernels, library));
  printf("kernels in library: %u\n", kernels);

  float *a = (float *)malloc(N * sizeof(float));
  float *b = (float *)malloc(N * sizeof(float));
  float *c = (float *)malloc(N * sizeof(float));
  for (int i = 0; i < N; ++i) {
    a[i] = (float)(i % 512);
    b[i] = (float)(2 * (i % 100));
  }
  float *d_a = NULL, *d_b = NULL, *d_c = NULL;
  CHECK(cudaMalloc((void **)&d_a, N * sizeof(float)));
  CHECK(cudaMalloc((void **)&d_b, N * sizeof(float)));
  CHECK(cudaMalloc((void **)&d_c, N * sizeof(float)));
  CHECK(cudaMemcpy(d_a, a, N * sizeof(float), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(d_b, b, N * sizeof(float), cudaMemcpyHostToDevice));

  unsigned int n = N;
  float factor = 0.5f;
  dim3 grid = {(N + BLOCK - 1) / BLOCK, 1, 1}, block = {BLOCK, 1, 1};
  void *add_args[] = {&d_a, &d_b, &d_c, &n};
  CHECK(cudaLaunchKernel((const void *)vector_add, grid, block, add_args, 0, NULL));
  void *scale_args[] = {&d_c, &factor, &n};
  CHECK(cudaLaunchKernel((const void *)scale, grid, block, scale_args, 0, NULL));
  CHECK(cudaGetLastError());
  CHECK(cudaMemcpy(c, d_c, N * sizeof(float), cudaMemcpyDeviceToHost));

  double sum = 0.0;
  for (int i = 0; i < N; ++i) {
    float want = (a[i] + b[i]) * factor;
    EXPECT(c[i] == want, "c[%d] = %f, expected %f", i, c[i], want);
    sum += c[i];
  }
  printf("vector_add then scale, n=%d: ok\n", N);
  printf("checksum: %.1f\n", sum);

  CHECK(cudaFree(d_a));
  CHECK(cudaFree(d_b));
  CHECK(cudaFree(d_c));
  CHECK(cudaLibraryUnload(library));
  free(a);
  free(b);
  free(c);
  return 0;
}
