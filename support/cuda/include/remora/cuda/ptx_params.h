// Kernel parameter layouts from PTX text: each `.entry NAME(.param ..., ...)`'s
// parameters, their sizes and offsets by PTX's own rules (a `.param .TYPE` holds
// one value of that type, aligned to its size; `.param .align A .b8 x[N]` holds N
// bytes aligned to A). A driver-API program may load PTX (cuModuleLoadData with a
// NUL-terminated text, or a fat binary holding only PTX); the guest then sizes
// cuLaunchKernel's kernelParams from here, as it does from a cubin's .nv.info.
#pragma once

#include <string_view>

#include "remora/cuda/kernel_params.h"

namespace remora::cuda {

// Every `.entry` of the module, in text order. A parameter list that does not follow
// the grammar (an unknown type, a missing name, an unclosed list) is an error: no
// layout is better than a wrong one.
KernelParse parse_ptx_params(std::string_view ptx);

}  // namespace remora::cuda
