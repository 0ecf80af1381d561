// CUDA runtime module, server side: the handlers of its wire calls
// (remora_cuda_wire.h) and the lookup of the runtime functions they use. The
// generated server lists them after the spec's handlers.
#pragma once

#include <string>
#include <vector>

#include "remora_server.h"

namespace remora::cuda_module {

// Finds cudaLibraryLoadData, cudaLibraryGetKernel, cudaLaunchKernel(_ptsz),
// cudaFuncGetParamInfo and cudaLibraryGetGlobal in the real runtime; appends what is missing.
void resolve(void* library, std::vector<std::string>& missing);

bool srv_get_kernel(remora::server::Worker& w, remora::Reader& in, remora::Writer& out);
bool srv_launch(remora::server::Worker& w, remora::Reader& in, remora::Writer& out);
bool srv_param_info(remora::server::Worker& w, remora::Reader& in, remora::Writer& out);
bool srv_get_global(remora::server::Worker& w, remora::Reader& in, remora::Writer& out);
// cuLaunchKernel of the driver API (remora_cuda_driver_server.cpp).
bool srv_driver_launch(remora::server::Worker& w, remora::Reader& in, remora::Writer& out);

}  // namespace remora::cuda_module
