// Remora runtime: helpers of the generated struct codecs (deep copy of structs
// holding pointers), shared by the guest library and the API server.
//
// A struct travels as its bytes, then its tail: per member that needs it, what
// the member points to (strings, arrays, nested structs, extension chains), in
// member order. Both sides walk the same tree in the same order; the server
// rebuilds it in the call's scratch memory and validates every count against
// the struct's own count members. DeepCopy bounds how deep the walk may go, so a
// cyclic list on the guest or a hostile chain on the server ends in an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace remora {

struct DeepCopy {
  // Nested structs reached through pointers and extension chain members, together.
  static constexpr int kMaxDepth = 64;
  int depth = 0;

  // One level deeper for the life of the object; false past kMaxDepth.
  class Level {
   public:
    explicit Level(DeepCopy& c) : c_(c) { ++c_.depth; }
    ~Level() { --c_.depth; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;
    explicit operator bool() const { return c_.depth <= kMaxDepth; }

   private:
    DeepCopy& c_;
  };
};

// The type tag of an extension chain member: the member has the same tag field, at
// the same offset, as the struct whose chain holds it.
template <class T>
inline std::int64_t read_tag(const void* member, std::size_t offset) {
  T v;
  std::memcpy(&v, static_cast<const unsigned char*>(member) + offset, sizeof v);
  return static_cast<std::int64_t>(v);
}

}  // namespace remora
