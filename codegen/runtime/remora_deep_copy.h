// Remora runtime: helpers of the generated struct codecs (deep copy of structs
// holding pointers), shared by the guest library and the API server.
//
// A struct travels as its bytes, then its tail: per member that needs it, what
// the member points to (strings, arrays, nested structs, extension chains), in
// member order. Both sides walk the same tree in the same order; the server
// rebuilds it in the call's scratch memory and validates every count against
// the struct's own count members. DeepCopy bounds how deep the walk may go, so a
// cyclic list on the guest or a hostile chain on the server ends in an error.
//
// Outputs: what the library writes in a struct tree (a struct passed out/inout, the
// members of an output chain, arrays a member annotated out points to) is recorded
// by both walks in the same order: the server sends each record's bytes after the
// call, the guest copies each into the program's memory. A struct's bytes come back
// with the program's own pointer members put back (`keep`): the server's copy
// points into the server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "remora_wire.h"

namespace remora {

struct DeepCopy {
  // Nested structs reached through pointers and extension chain members, together.
  static constexpr int kMaxDepth = 64;
  int depth = 0;

  // One output of the tree, in walk order. Guest: where it lands in the program's memory
  // (`bytes`: what it holds; for an array, its capacity) and, for a struct, the function
  // that puts the program's pointer members back. Server: the copy the library wrote.
  struct Out {
    void* at;
    std::uint64_t bytes;
    void (*keep)(void* now, const void* before);
  };
  std::vector<Out> outs;
  void record(const void* at, std::uint64_t bytes, void (*keep)(void*, const void*) = nullptr) {
    outs.push_back({const_cast<void*>(at), bytes, keep});
  }

  // Server, after the call: the count, then each output's length and bytes.
  void send(Writer& out) const {
    out.put_u64(outs.size());
    for (const Out& o : outs) {
      out.put_u64(o.bytes);
      out.put_raw(o.at, static_cast<std::size_t>(o.bytes));
    }
  }
  // Guest: the same records, in the same order. A struct must come back whole; an array
  // may be shorter than its capacity (the server sends what the library could write).
  bool receive(Reader& in) const {
    std::uint64_t n = 0;
    if (!in.get_u64(n) || n != outs.size()) return false;
    std::vector<unsigned char> before;
    for (const Out& o : outs) {
      std::uint64_t bytes = 0;
      if (!in.get_u64(bytes) || bytes > o.bytes || (o.keep && bytes != o.bytes)) return false;
      const unsigned char* p = in.take(static_cast<std::size_t>(bytes));
      if (!p) return false;
      if (!bytes) continue;
      if (o.keep)
        before.assign(static_cast<const unsigned char*>(o.at),
                      static_cast<const unsigned char*>(o.at) + bytes);
      std::memcpy(o.at, p, static_cast<std::size_t>(bytes));
      if (o.keep) o.keep(o.at, before.data());
    }
    return true;
  }

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
