/* What the CUDA stack decides in the guest about driver-API module images and launches
 * (codegen/README.md, "Driver-API modules and launches"; issue 17). Run remoted only
 * (tests/cuda/run_remoted_expect.sh): natively, without a GPU, every call fails with the
 * stub driver's error, so there is nothing to compare with. Checked here:
 *  - a well-formed PTX image (in memory, and read from a guest file by cuModuleLoad)
 *    is measured and sent: the server's driver answers (the toolkit's stub:
 *    CUDA_ERROR_STUB_LIBRARY), not the guest;
 *  - images that do not measure (a text with no NUL before unreadable memory, a fat
 *    binary claiming more bytes than exist, a fat binary wrapper) are refused in the
 *    guest (CUDA_ERROR_NOT_SUPPORTED, the reason on stderr), never read past;
 *  - a missing file is CUDA_ERROR_FILE_NOT_FOUND in the guest (the path never travels);
 *  - JIT options that pass pointers (log buffers) are refused;
 *  - cuLaunchKernel of a function whose layout the guest does not know is refused, and
 *    a malformed `extra` too.
 * Exits 0 when every expectation holds, else prints the first ones that failed. */
#include <cuda.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "expect_status.h"

static const char kPtx[] =
    ".version 9.0\n.target sm_75\n.address_size 64\n"
    ".visible .entry k(.param .u64 k_param_0, .param .u32 k_param_1)\n{\n\tret;\n}\n";

int main(void) {
  CUmodule module;
  /* Sent: the stub driver answers. */
  EXPECT_STATUS(cuModuleLoadData(&module, kPtx), CUDA_ERROR_STUB_LIBRARY);
  char path[] = "/tmp/remora-driver-images-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, kPtx, sizeof kPtx - 1) != (ssize_t)(sizeof kPtx - 1)) {
    fprintf(stderr, "FAILED: cannot write %s\n", path);
    return 1;
  }
  close(fd);
  EXPECT_STATUS(cuModuleLoad(&module, path), CUDA_ERROR_STUB_LIBRARY);
  unlink(path);
  EXPECT_STATUS(cuModuleLoad(&module, "/nonexistent/remora/module.ptx"), CUDA_ERROR_FILE_NOT_FOUND);

  /* A page of text with no NUL, followed by a page that cannot be read. */
  long page = sysconf(_SC_PAGESIZE);
  unsigned char* two =
      mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (two == MAP_FAILED || mprotect(two + page, (size_t)page, PROT_NONE) != 0) {
    fprintf(stderr, "FAILED: mmap\n");
    return 1;
  }
  memset(two, 'A', (size_t)page);
  EXPECT_STATUS(cuModuleLoadData(&module, two), CUDA_ERROR_NOT_SUPPORTED);
  /* A fat binary header claiming a megabyte, at the end of the readable page. */
  unsigned char* header = two + page - 16;
  unsigned int magic = 0xBA55ED50u;
  unsigned short version = 1, header_size = 16;
  unsigned long long payload = 1u << 20;
  memcpy(header, &magic, 4);
  memcpy(header + 4, &version, 2);
  memcpy(header + 6, &header_size, 2);
  memcpy(header + 8, &payload, 8);
  EXPECT_STATUS(cuModuleLoadData(&module, header), CUDA_ERROR_NOT_SUPPORTED);
  EXPECT_STATUS(cuModuleLoadFatBinary(&module, header), CUDA_ERROR_NOT_SUPPORTED);
  /* A __cudaFatBinaryWrapper: it holds a pointer, not the image. */
  struct {
    unsigned magic, version;
    const void* data;
    void* unused;
  } wrapper = {0x466243b1u, 1, kPtx, NULL};
  EXPECT_STATUS(cuModuleLoadFatBinary(&module, &wrapper), CUDA_ERROR_NOT_SUPPORTED);
  munmap(two, 2 * (size_t)page);

  /* A log buffer is a guest address the server's JIT would write through. */
  char log[256];
  CUjit_option options[] = {CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES};
  void* values[] = {log, (void*)(size_t)sizeof log};
  EXPECT_STATUS(cuModuleLoadDataEx(&module, kPtx, 2, options, values), CUDA_ERROR_NOT_SUPPORTED);
  /* A plain-value option travels: the stub driver answers. */
  CUjit_option level[] = {CU_JIT_OPTIMIZATION_LEVEL};
  void* level_value[] = {(void*)(size_t)3};
  EXPECT_STATUS(cuModuleLoadDataEx(&module, kPtx, 1, level, level_value), CUDA_ERROR_STUB_LIBRARY);

  /* Launches of functions the guest never saw loaded are refused, never sent flat. */
  int a = 1;
  void* args[] = {&a};
  EXPECT_STATUS(cuLaunchKernel((CUfunction)(size_t)0x1234, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
                CUDA_ERROR_NOT_SUPPORTED);
  EXPECT_STATUS(cuLaunchKernelEx(NULL, NULL, args, NULL), CUDA_ERROR_NOT_SUPPORTED);
  return failures ? 1 : 0;
}
