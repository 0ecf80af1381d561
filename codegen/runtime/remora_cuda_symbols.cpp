// CUDA runtime module, guest side: the symbol API (cudaMemcpyToSymbol/FromSymbol and
// their Async forms, cudaGetSymbolAddress, cudaGetSymbolSize).
//
// The program names a __device__ or __constant__ variable by the address of its host
// shadow, which only the program's process knows (nvcc registers it with
// __cudaRegisterVar). Sent as it is, the server's runtime would look up a guest address
// in its own registrations. So the guest translates it: the variable's (fat binary,
// name) goes to the server, which answers its device address and size in the library
// it loaded for the kernels (cudaLibraryGetGlobal: kernels and copies see the same
// variable); the copy is then an ordinary cudaMemcpy(Async) to or from that device
// address through the spec's own stubs (which refuse cudaMemcpyDefault like any
// other). An address no registration names fails with cudaErrorInvalidSymbol, as the
// native runtime answers it, and never reaches the server.
#include "remora_cuda_symbols.h"

#include <cuda_runtime_api.h>

#include <cstdint>

#define RM_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// The variable's device address plus `offset`, checked against its size.
cudaError_t device_range(const void* symbol, size_t count, size_t offset, void*& out) {
  std::uint64_t address = 0, size = 0;
  if (cudaError_t e = remora::cuda_module::guest_device_var(symbol, address, size);
      e != cudaSuccess)
    return e;
  if (offset > size || count > size - offset) return cudaErrorInvalidValue;
  out = reinterpret_cast<void*>(static_cast<std::uintptr_t>(address + offset));
  return cudaSuccess;
}

bool to_symbol_kind(cudaMemcpyKind kind) {
  return kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice ||
         kind == cudaMemcpyDefault;
}
bool from_symbol_kind(cudaMemcpyKind kind) {
  return kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice ||
         kind == cudaMemcpyDefault;
}

}  // namespace

RM_CUDA_EXPORT cudaError_t cudaMemcpyToSymbol(const void* symbol, const void* src, size_t count,
                                              size_t offset, cudaMemcpyKind kind) {
  if (!to_symbol_kind(kind)) return cudaErrorInvalidMemcpyDirection;
  void* dst = nullptr;
  if (cudaError_t e = device_range(symbol, count, offset, dst); e != cudaSuccess) return e;
  return cudaMemcpy(dst, src, count, kind);
}

RM_CUDA_EXPORT cudaError_t cudaMemcpyFromSymbol(void* dst, const void* symbol, size_t count,
                                                size_t offset, cudaMemcpyKind kind) {
  if (!from_symbol_kind(kind)) return cudaErrorInvalidMemcpyDirection;
  void* src = nullptr;
  if (cudaError_t e = device_range(symbol, count, offset, src); e != cudaSuccess) return e;
  return cudaMemcpy(dst, src, count, kind);
}

RM_CUDA_EXPORT cudaError_t cudaMemcpyToSymbolAsync(const void* symbol, const void* src,
                                                   size_t count, size_t offset, cudaMemcpyKind kind,
                                                   cudaStream_t stream) {
  if (!to_symbol_kind(kind)) return cudaErrorInvalidMemcpyDirection;
  void* dst = nullptr;
  if (cudaError_t e = device_range(symbol, count, offset, dst); e != cudaSuccess) return e;
  return cudaMemcpyAsync(dst, src, count, kind, stream);
}

RM_CUDA_EXPORT cudaError_t cudaMemcpyFromSymbolAsync(void* dst, const void* symbol, size_t count,
                                                     size_t offset, cudaMemcpyKind kind,
                                                     cudaStream_t stream) {
  if (!from_symbol_kind(kind)) return cudaErrorInvalidMemcpyDirection;
  void* src = nullptr;
  if (cudaError_t e = device_range(symbol, count, offset, src); e != cudaSuccess) return e;
  return cudaMemcpyAsync(dst, src, count, kind, stream);
}

RM_CUDA_EXPORT cudaError_t cudaGetSymbolAddress(void** devPtr, const void* symbol) {
  if (!devPtr) return cudaErrorInvalidValue;
  void* address = nullptr;
  if (cudaError_t e = device_range(symbol, 0, 0, address); e != cudaSuccess) return e;
  *devPtr = address;
  return cudaSuccess;
}

RM_CUDA_EXPORT cudaError_t cudaGetSymbolSize(size_t* size, const void* symbol) {
  if (!size) return cudaErrorInvalidValue;
  std::uint64_t address = 0, bytes = 0;
  if (cudaError_t e = remora::cuda_module::guest_device_var(symbol, address, bytes);
      e != cudaSuccess)
    return e;
  *size = static_cast<size_t>(bytes);
  return cudaSuccess;
}
