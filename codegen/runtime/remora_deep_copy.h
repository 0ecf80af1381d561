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
// points into the server. In a struct the library writes, string members and handle
// members are the library's: strings come back as the guest's own copies, handles are
// registered for the guest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "remora_wire.h"

namespace remora {

struct DeepCopy {
  // Nested structs reached through pointers and extension chain members, together.
  // Each chain member is one level: vulkaninfo's VkPhysicalDeviceFeatures2 chain holds
  // about 80 members. A level costs a few hundred bytes of stack on either side.
  static constexpr int kMaxDepth = 256;
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

  // Handles the library writes into a struct it writes (server: members of its copy,
  // zeroed before the call, so a non-zero value after it is the library's): registered
  // for the guest after the call, so that it may pass them back.
  struct HandleOut {
    const void* at;
    std::size_t esize;  // bytes of one handle
    std::size_t count;
    std::uint32_t type;
  };
  std::vector<HandleOut> handles;
  void record_handles(const void* at, std::size_t esize, std::size_t count, std::uint32_t type) {
    handles.push_back({at, esize, count, type});
  }
  // `reg(real, type)` returns the value the guest gets for it (its id), written over the
  // member before the struct is sent.
  template <class Register>
  void register_handles(Register reg) const {
    for (const HandleOut& h : handles)
      for (std::size_t i = 0; i < h.count; ++i) {
        auto* at = static_cast<unsigned char*>(const_cast<void*>(h.at)) + i * h.esize;
        const std::size_t n = h.esize < 8 ? h.esize : 8;
        std::uint64_t v = 0;
        std::memcpy(&v, at, n);
        if (!v) continue;
        const std::uint64_t guest = reg(v, h.type);
        std::memcpy(at, &guest, n);
      }
  }

  // String members of a struct the library writes: the library points them at its own
  // memory. Both sides record the member's address (guest: in the program's struct;
  // server: in its copy, NULL before the call); after the call the server sends each
  // string and the guest points the program's member at its own copy of it.
  std::vector<void*> strings;
  void record_string(const void* member) { strings.push_back(const_cast<void*>(member)); }

  // Server, after the call: the count, then each output's length and bytes; then the
  // strings the library pointed members at.
  void send(Writer& out) const {
    out.put_u64(outs.size());
    for (const Out& o : outs) {
      out.put_u64(o.bytes);
      out.put_raw(o.at, static_cast<std::size_t>(o.bytes));
    }
    out.put_u64(strings.size());
    for (void* at : strings) {
      const char* s = nullptr;
      std::memcpy(&s, at, sizeof s);
      out.put_string(s);
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
    if (!in.get_u64(n) || n != strings.size()) return false;
    for (void* at : strings) {
      bool present = false;
      std::uint64_t len = 0;
      if (!in.get_presence(present)) return false;
      const char* s = nullptr;
      if (present) {
        const unsigned char* p = nullptr;
        if (!in.get_u64(len) || !(p = in.take(static_cast<std::size_t>(len)))) return false;
        s = keep_string(std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len)));
      }
      std::memcpy(at, &s, sizeof s);
    }
    return true;
  }

  // The library's strings live as long as its objects; the guest's copies live as long as
  // the process (one per distinct string, so repeated queries do not grow it).
  static const char* keep_string(std::string s) {
    static std::mutex mutex;
    static std::set<std::string> kept;
    std::lock_guard<std::mutex> lock(mutex);
    return kept.insert(std::move(s)).first->c_str();
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

// An output chain member whose tag the stack does not know: said once per tag, then
// skipped (the next member is read at the offset of the parent's chain member).
inline const void* skip_unknown_output(const void* member, std::int64_t tag, std::size_t next_offset) {
  static std::mutex mutex;
  static std::set<std::int64_t> said;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (said.insert(tag).second)
      std::fprintf(stderr,
                   "remora: an output extension chain holds a struct with tag value %lld, which this stack does "
                   "not know: the library does not see it (it stays as the program set it)\n",
                   static_cast<long long>(tag));
  }
  const void* next = nullptr;
  std::memcpy(&next, static_cast<const unsigned char*>(member) + next_offset, sizeof next);
  return next;
}

// The type tag of an extension chain member: the member has the same tag field, at
// the same offset, as the struct whose chain holds it.
template <class T>
inline std::int64_t read_tag(const void* member, std::size_t offset) {
  T v;
  std::memcpy(&v, static_cast<const unsigned char*>(member) + offset, sizeof v);
  return static_cast<std::int64_t>(v);
}

}  // namespace remora
