// The interposer runtime headers, embedded at build time (see CMakeLists.txt), so a
// moved `remora` binary still generates complete interposers.
#pragma once

namespace remora::trace {
const char* embedded_wire_header();
const char* embedded_runtime_header();
}  // namespace remora::trace
