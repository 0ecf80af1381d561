/* What the CUDA stack answers in the guest for memory the program touches directly
 * (codegen/README.md, "Limits of the CUDA stack"; issue 17). Run remoted only
 * (tests/cuda/run_remoted_expect.sh): natively, without a GPU, these calls fail with
 * the runtime's initialisation error, so there is nothing to compare with; what is
 * checked is the guest's own behaviour, which needs no device:
 *  - pinned host memory (cudaMallocHost, cudaHostAlloc, cudaHostRegister) is the
 *    program's own memory: writable, readable, freed, its flags kept;
 *  - mapped and managed memory, cudaMemcpyDefault and cuBLAS's device pointer mode
 *    are refused with cudaErrorNotSupported (CUBLAS_STATUS_NOT_SUPPORTED) and a reason
 *    on stderr (the script checks the reasons), never forwarded with a guest address;
 *  - a symbol address no registration names fails with cudaErrorInvalidSymbol in the
 *    guest (registered ones: symbols_program.cu).
 * Exits 0 when every expectation holds, else prints the first one that failed. */
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect_status.h"

static void pinned_memory(void) {
  double* pinned = NULL;
  const size_t n = 1 << 16;
  EXPECT_STATUS(cudaMallocHost((void**)&pinned, n * sizeof(double)), cudaSuccess);
  if (!pinned) {
    fprintf(stderr, "FAILED: cudaMallocHost gave no memory\n");
    ++failures;
    return;
  }
  /* The program's own memory: written and read back without a fault. */
  double sum = 0;
  for (size_t i = 0; i < n; ++i) pinned[i] = (double)(i % 977) * 0.5;
  for (size_t i = 0; i < n; ++i) sum += pinned[i];
  if (sum <= 0) ++failures;
  unsigned int flags = 99;
  EXPECT_STATUS(cudaHostGetFlags(&flags, pinned + 10), cudaSuccess);
  EXPECT_STATUS(flags, cudaHostAllocDefault);

  char* portable = NULL;
  EXPECT_STATUS(cudaHostAlloc((void**)&portable, 4096, cudaHostAllocPortable), cudaSuccess);
  if (portable) memset(portable, 0x5a, 4096);
  EXPECT_STATUS(cudaHostGetFlags(&flags, portable), cudaSuccess);
  EXPECT_STATUS(flags, cudaHostAllocPortable);
  EXPECT_STATUS(cudaFreeHost(portable), cudaSuccess);
  EXPECT_STATUS(cudaFreeHost(portable), cudaErrorInvalidValue); /* freed already */
  EXPECT_STATUS(cudaFreeHost(pinned), cudaSuccess);
  EXPECT_STATUS(cudaFreeHost(NULL), cudaSuccess);

  /* Ordinary memory registered in place: tracked by the guest. */
  char* mine = malloc(8192);
  EXPECT_STATUS(cudaHostRegister(mine, 8192, cudaHostRegisterDefault), cudaSuccess);
  EXPECT_STATUS(cudaHostRegister(mine + 100, 10, cudaHostRegisterDefault),
                cudaErrorHostMemoryAlreadyRegistered);
  EXPECT_STATUS(cudaFreeHost(mine), cudaErrorInvalidValue); /* registered, not allocated */
  EXPECT_STATUS(cudaHostUnregister(mine), cudaSuccess);
  EXPECT_STATUS(cudaHostUnregister(mine), cudaErrorHostMemoryNotRegistered);
  free(mine);

  /* Mapped memory: the device would read the guest's pages in place. */
  void* mapped = NULL;
  EXPECT_STATUS(cudaHostAlloc(&mapped, 4096, cudaHostAllocMapped), cudaErrorNotSupported);
  void* device_view = NULL;
  char local[16];
  EXPECT_STATUS(cudaHostGetDevicePointer(&device_view, local, 0), cudaErrorNotSupported);
  if (mapped || device_view) {
    fprintf(stderr, "FAILED: a refused call wrote a pointer\n");
    ++failures;
  }
}

static int device_var; /* an address that no __cudaRegisterVar names */

static void refused_calls(void) {
  void* managed = NULL;
  EXPECT_STATUS(cudaMallocManaged(&managed, 4096, cudaMemAttachGlobal), cudaErrorNotSupported);
  if (managed) {
    fprintf(stderr, "FAILED: cudaMallocManaged wrote a pointer\n");
    ++failures;
  }
  /* A symbol no __cudaRegisterVar named: answered by the guest, never sent. */
  int value = 7;
  EXPECT_STATUS(cudaMemcpyToSymbol(&device_var, &value, sizeof value, 0, cudaMemcpyHostToDevice),
                cudaErrorInvalidSymbol);
  void* address = NULL;
  EXPECT_STATUS(cudaGetSymbolAddress(&address, &device_var), cudaErrorInvalidSymbol);
  EXPECT_STATUS(cudaMemcpyToSymbol(&device_var, &value, sizeof value, 0, cudaMemcpyDeviceToHost),
                cudaErrorInvalidMemcpyDirection);

  /* cudaMemcpyDefault: nothing says which pointer is the guest's memory. */
  char a[64], b[64];
  memset(a, 1, sizeof a);
  EXPECT_STATUS(cudaMemcpy(b, a, sizeof a, cudaMemcpyDefault), cudaErrorNotSupported);
  EXPECT_STATUS(cudaMemcpyAsync(b, a, sizeof a, cudaMemcpyDefault, 0), cudaErrorNotSupported);
  /* A value no clause names at all is refused the same way. */
  EXPECT_STATUS(cudaMemcpy(b, a, sizeof a, (enum cudaMemcpyKind)77), cudaErrorNotSupported);

  /* cuBLAS's device pointer mode: refused before anything travels. */
  EXPECT_STATUS(cublasSetPointerMode((cublasHandle_t)0, CUBLAS_POINTER_MODE_DEVICE),
                CUBLAS_STATUS_NOT_SUPPORTED);
}

int main(void) {
  pinned_memory();
  refused_calls();
  if (failures) {
    fprintf(stderr, "%d expectation(s) failed\n", failures);
    return 1;
  }
  printf("memory program: all expectations hold\n");
  return 0;
}
