// `remora cuda-kernels BINARY`: the fat binaries nvcc embedded in a program and,
// for each cubin, every kernel's parameter layout (what a remoted
// cudaLaunchKernel marshals). A debugging aid for the CUDA stack's guest.
#include <cinttypes>
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "remora/cuda/fatbin.h"
#include "remora/cuda/kernel_params.h"

namespace remora::cli {
namespace {

const char* kUsage =
    "usage: remora cuda-kernels BINARY\n\n"
    "Lists the fat binaries in BINARY (a program or shared library built by nvcc,\n"
    "a .fatbin, or a .cubin): each entry's kind (cubin/ptx), architecture and\n"
    "compression, then, for each uncompressed cubin, each kernel (mangled name)\n"
    "with its parameters: [ordinal] +offset size, in bytes, read from .nv.info.\n\n"
    "exit codes: 0 listed, 1 BINARY has no readable fat binary or a malformed\n"
    "cubin (the reason is printed), 2 bad usage.\n";

void print_kernels(const cuda::FatbinEntry& e, bool& failed) {
  cuda::KernelParse k = cuda::parse_kernel_params(e.payload);
  if (!k.ok()) {
    std::fprintf(stderr, "remora cuda-kernels: sm_%u cubin at 0x%" PRIx64 ": %s\n", e.arch,
                 e.file_offset, k.error.c_str());
    failed = true;
    return;
  }
  for (const auto& kernel : k.kernels) {
    std::printf("    %s: %zu parameters, %u bytes\n", kernel.name.c_str(), kernel.params.size(),
                kernel.param_bytes);
    for (const auto& p : kernel.params)
      std::printf("      [%u] +%u %u\n", p.ordinal, p.offset, p.size);
  }
}

}  // namespace

int cmd_cuda_kernels(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ParsedArgs parsed = parse_args(args, {});
  if (!parsed.error.empty() || parsed.positional.size() != 1) {
    std::fprintf(stderr, "remora cuda-kernels: %s\n\n%s",
                 parsed.error.empty() ? "expected one BINARY" : parsed.error.c_str(), kUsage);
    return 2;
  }
  cuda::FatbinParse fat = cuda::read_fatbins(parsed.positional[0]);
  if (!fat.ok()) {
    std::fprintf(stderr, "remora cuda-kernels: %s\n", fat.error.c_str());
    return 1;
  }
  bool failed = false;
  for (const auto& c : fat.containers) {
    std::printf("fatbin at 0x%" PRIx64 " (version %u): %zu entries\n", c.file_offset, c.version,
                c.entries.size());
    for (const auto& e : c.entries) {
      std::printf("  %s %s_%u, %zu bytes", std::string(cuda::kind_name(e.kind)).c_str(),
                  e.kind == cuda::EntryKind::Ptx ? "compute" : "sm", e.arch, e.payload.size());
      if (e.compression != cuda::Compression::None)
        std::printf(", %s-compressed (%" PRIu64 " bytes uncompressed; not decompressed)",
                    std::string(cuda::compression_name(e.compression)).c_str(),
                    e.uncompressed_size);
      std::printf("\n");
      if (e.kind == cuda::EntryKind::Cubin && e.compression == cuda::Compression::None)
        print_kernels(e, failed);
    }
  }
  return failed ? 1 : 0;
}

}  // namespace remora::cli
