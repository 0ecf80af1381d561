// Wire format between the generated interposer (inside the traced program) and
// the `remora trace` parent, which owns the trace database.
//
// Records travel over an AF_UNIX SOCK_SEQPACKET socket: every record is one
// message, so concurrent threads and forked children never interleave bytes,
// and the traced process needs no lock to send. The parent keeps SQLite out of
// the traced process and survives its crash.
//
// This header is compiled twice: into remora_trace (the decoder) and, as text,
// into every generated interposer (the encoder). It must stay dependency-free.
#pragma once

#include <cstdint>
#include <cstring>

namespace remora_wire {

inline constexpr std::uint32_t kVersion = 1;

enum MsgType : std::uint8_t {
  kHello = 1,     // a process started recording (also after fork)
  kBegin = 2,     // a call entered (args by value): lets a crash mid-call still show the call
  kEnd = 3,       // the call returned: return value and what pointer arguments saw
  kCallback = 4,  // a callback the program registered was invoked
};

// How a value was classified at compile time from its C type.
enum ValueClass : std::uint8_t {
  kVoid = 0,
  kSigned = 1,
  kUnsigned = 2,
  kFloat = 3,     // bits hold the double
  kPointer = 4,   // data pointer
  kHandle = 5,    // pointer to an incomplete struct, or a spec handle type
  kFunction = 6,  // function pointer (a callback)
  kStruct = 7,    // struct/union by value: bits hold its first 8 bytes
};

// What a data pointer points to.
enum PointeeClass : std::uint8_t {
  kPointeeVoid = 0,
  kPointeeChar = 1,
  kPointeeSigned = 2,
  kPointeeUnsigned = 3,
  kPointeeFloat = 4,
  kPointeeHandle = 5,   // array of handles
  kPointeePointer = 6,  // array of other pointers (char**, void**)
  kPointeeStruct = 7,
  kPointeeFunction = 8,
};

// Where a pointer points (from /proc/self/maps).
enum RegionKind : std::uint8_t {
  kRegionUnmapped = 0,
  kRegionHeap = 1,
  kRegionStack = 2,
  kRegionAnon = 3,
  kRegionFile = 4,
  kRegionOther = 5,  // [vdso], [vvar], ...
};

enum PointerFlags : std::uint8_t {
  kReadable = 1,       // a snapshot could be taken
  kExtentExact = 2,    // extent is the heap allocation's usable size, not the mapping's rest
  kWindowCapped = 4,   // extent exceeded the comparison window
  kHasDeref = 8,       // deref_before/after hold element 0 as an integer
  kHasStrBefore = 16,  // a NUL-terminated string was found before the call
  kHasStrAfter = 32,   // ... and after the call
  kConstPointee = 64,  // declared pointer-to-const
};

inline constexpr std::uint32_t kMaxHeadBytes = 64;      // input contents kept per pointer
inline constexpr std::uint32_t kMaxWrittenBytes = 256;  // written contents kept per pointer
inline constexpr std::uint32_t kMaxStringBytes = 256;   // string text kept per pointer
inline constexpr std::uint32_t kMaxElements = 64;       // handle/pointer elements kept
inline constexpr std::uint32_t kMaxZeroTail = 64;       // zero bytes counted after the written end

struct MsgHeader {
  std::uint8_t type;
  std::uint8_t reserved[3];
  std::uint32_t pid;
  std::uint32_t tid;
  std::uint32_t function;  // index into the interposer's function table
  std::uint64_t seq;       // per-process call sequence number (1-based)
  std::uint64_t time_ns;   // CLOCK_REALTIME
};

// Little append-only encoder; the caller provides the buffer.
class Writer {
 public:
  Writer(unsigned char* buf, std::size_t cap) : buf_(buf), cap_(cap) {}
  void bytes(const void* p, std::size_t n) {
    if (len_ + n > cap_) {
      overflow_ = true;
      return;
    }
    if (n) std::memcpy(buf_ + len_, p, n);
    len_ += n;
  }
  template <class T>
  void put(T v) { bytes(&v, sizeof v); }
  void blob(const void* p, std::uint32_t n) {
    put<std::uint32_t>(n);
    bytes(p, n);
  }
  std::size_t size() const { return len_; }
  bool overflow() const { return overflow_; }

 private:
  unsigned char* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
  bool overflow_ = false;
};

// Bounds-checked decoder: a malformed record sets failed() instead of reading past the end.
class Reader {
 public:
  Reader(const unsigned char* buf, std::size_t len) : buf_(buf), len_(len) {}
  template <class T>
  T get() {
    T v{};
    if (pos_ + sizeof v > len_) {
      failed_ = true;
      return v;
    }
    std::memcpy(&v, buf_ + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  // Returns a pointer into the buffer (valid while the buffer lives) and its length.
  const unsigned char* blob(std::uint32_t& n) {
    n = get<std::uint32_t>();
    if (failed_ || pos_ + n > len_) {
      failed_ = true;
      n = 0;
      return nullptr;
    }
    const unsigned char* p = buf_ + pos_;
    pos_ += n;
    return p;
  }
  bool failed() const { return failed_; }

 private:
  const unsigned char* buf_;
  std::size_t len_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Record layouts (after MsgHeader), in encoding order:
//
// Hello:    u32 wire version, u32 ppid, blob exe
// Begin:    u32 nargs, nargs x { u8 class, u64 bits }
// End:      u64 duration_ns, u8 ret class, u64 ret bits, u32 nargs, nargs x Arg
//   Arg:    u8 class, u64 bits, and if class == kPointer || (class == kHandle && pointer info):
//           u8 has_info; if has_info: PointerInfo
//   PointerInfo: u8 flags, u8 region, u8 pointee, u32 elem_size, u64 extent, u32 window,
//           u32 written_count, u32 written_first, u32 written_end, u32 zero_tail,
//           i64 deref_before, i64 deref_after, i64 strlen_before, i64 strlen_after,
//           blob head_before, blob written_after, blob str_before, blob str_after,
//           u32 n_before, n_before x u64, u32 n_after, n_after x {u32 index, u64 value}
// Callback: u32 param index, u64 original fn, u64 outer call seq (0: none),
//           u32 nargs, nargs x { u8 class, u64 bits }

}  // namespace remora_wire
