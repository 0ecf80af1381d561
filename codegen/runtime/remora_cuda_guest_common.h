// CUDA runtime module, guest side: what its files share (the registration code of
// remora_cuda_guest.cpp and the driver API's modules of remora_cuda_modules.cpp): the
// REMORA_CUDA_LOG switch, a kernel's parameter layout and the status a wire call answers.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "remora_guest.h"

namespace remora::cuda_module {

// REMORA_CUDA_LOG=1 (any value but 0): say on stderr what the module learnt (layouts,
// kernels), which the tests read to see that a run went through the module.
inline bool verbose() {
  static const bool on = [] {
    const char* v = std::getenv("REMORA_CUDA_LOG");
    return v && *v && std::strcmp(v, "0") != 0;
  }();
  return on;
}

// The parameters of a kernel, as a launch's `void*[n]` needs them.
struct Layout {
  bool known = false;
  std::vector<std::uint32_t> sizes;  // bytes of each parameter, in order
  std::string why;                   // when not known, for the refusal
};

// Reads the i32 status a module wire call answers, as the API's type (cudaError_t,
// CUresult: success is 0 in both); an error an earlier asynchronous call reported
// replaces a success. False (the reply is malformed) when there is none.
template <class Status>
bool get_status(remora::guest::Call& call, Status& status) {
  std::int32_t s = 0;
  if (!call.reply().get_value(s)) {
    call.bad_reply("status");
    return false;
  }
  status = static_cast<Status>(s);
  if (call.has_async_error() && status == Status{})
    status = static_cast<Status>(call.async_error_bits());  // an earlier async call failed
  return true;
}

}  // namespace remora::cuda_module
