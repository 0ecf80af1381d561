// CUDA runtime module, guest side: device variables named by their host shadow's
// address (the symbol API: remora_cuda_symbols.cpp), resolved by the registration code
// (remora_cuda_guest.cpp) through the get_global wire call.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace remora::cuda_module {

// The device address and size of the __device__/__constant__ variable whose host shadow
// is at `symbol`; cudaErrorInvalidSymbol when no __cudaRegisterVar named it (the address
// is never sent), else the server's status (the fat binary's load, cudaLibraryGetGlobal).
cudaError_t guest_device_var(const void* symbol, std::uint64_t& address, std::uint64_t& size);

}  // namespace remora::cuda_module
