/* NVRTC compiles CUDA C++ to PTX on the CPU (no GPU needed): the program, its log and
 * its PTX must read the same natively and through the stack. The PTX and the log are
 * fetched the way every NVRTC program does -- ask the size, then the text -- which the
 * stack can only do if it knows nvrtcGetPTX's size is what nvrtcGetPTXSize answered. */
#include <nvrtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                   \
  do {                                                                                \
    nvrtcResult r_ = (call);                                                          \
    if (r_ != NVRTC_SUCCESS) {                                                        \
      printf("%s: %d (%s)\n", #call, (int)r_, nvrtcGetErrorString(r_));              \
      return 1;                                                                       \
    }                                                                                 \
  } while (0)

static const char* kSource =
    "extern \"C\" __global__ void saxpy(float a, const float* x, float* y, int n) {\n"
    "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
    "  if (i < n) y[i] = a * x[i] + y[i];\n"
    "}\n";

static int compile(const char* source, const char* option, int expect_ok) {
  nvrtcProgram prog;
  CHECK(nvrtcCreateProgram(&prog, source, "saxpy.cu", 0, NULL, NULL));
  const char* options[] = {option};
  nvrtcResult built = nvrtcCompileProgram(prog, 1, options);
  printf("compile %s: %d (%s)\n", option, (int)built, nvrtcGetErrorString(built));
  size_t log_size = 0;
  CHECK(nvrtcGetProgramLogSize(prog, &log_size));
  char* log = malloc(log_size);
  CHECK(nvrtcGetProgramLog(prog, log));
  printf("log (%zu bytes): %s\n", log_size, log_size > 1 ? "present" : "empty");
  if (expect_ok && built == NVRTC_SUCCESS) {
    size_t ptx_size = 0;
    CHECK(nvrtcGetPTXSize(prog, &ptx_size));
    char* ptx = malloc(ptx_size);
    CHECK(nvrtcGetPTX(prog, ptx));
    printf("ptx: %zu bytes, NUL-terminated %d, declares saxpy %d\n", ptx_size, ptx[ptx_size - 1] == '\0',
           strstr(ptx, ".entry saxpy") != NULL);
    /* The PTX's first directive lines, without the compiler's version comment. */
    for (const char* line = ptx; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
      if (strncmp(line, ".target", 7) == 0 || strncmp(line, ".address_size", 13) == 0)
        printf("  %.*s\n", (int)strcspn(line, "\n"), line);
    free(ptx);
  } else if (!expect_ok) {
    printf("the log names the error: %d\n", strstr(log, "error") != NULL);
  }
  free(log);
  CHECK(nvrtcDestroyProgram(&prog));
  return 0;
}

int main(void) {
  int major = 0, minor = 0;
  CHECK(nvrtcVersion(&major, &minor));
  printf("nvrtc %d.%d\n", major, minor);
  if (compile(kSource, "--gpu-architecture=compute_75", 1)) return 1;
  if (compile("__global__ void broken( {", "--gpu-architecture=compute_75", 0)) return 1;
  return 0;
}
