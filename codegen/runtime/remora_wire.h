// Remora runtime: wire format shared by the generated guest library and API server.
//
// Every message is a fixed 24-byte header followed by a body. The body is a flat
// sequence of little-endian fields written by Writer and read back by Reader,
// optionally followed by a bulk trailer (see below). Reader never reads past the
// end of its body: every get_* reports failure instead, so a malformed or hostile
// message can only produce an error reply.
//
// Bulk trailer: a raw buffer of kBulkMinBytes or more does not travel among the
// fields but after them, at the end of the frame, each such buffer starting at a
// multiple of kBulkAlign from the trailer's start (FrameHeader::bulk counts the
// trailer's bytes). The fields keep the buffer's count, so both sides know from the
// count alone whether its bytes are inline or in the trailer. The point is where bytes
// go: the sender passes them from where they already are (scatter/gather, no staging
// copy) and the receiver puts them straight where they belong (the program's own
// output buffer in the guest, a reused aligned region in the server) instead of
// copying them out of a body buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "remora_size.h"

namespace remora {

inline constexpr std::uint32_t kMagic = 0x41524d52;  // "RMRA"
inline constexpr std::uint32_t kProtocolVersion = 3;  // 2: bulk trailer; 3: heartbeats, outputs frames, auth

// Message types. Function calls use the function's index (0..N-1).
enum MsgType : std::uint32_t {
  kMsgHello = 0xffff0001,     // guest -> server: version, api name, spec fingerprint
  kMsgHelloOk = 0xffff0002,   // server -> guest: accepted
  kMsgHelloFail = 0xffff0003, // server -> guest: refused, with a reason
  kMsgReply = 0xffff0004,     // server -> guest: result of a sync call
  kMsgCallback = 0xffff0005,  // server -> guest: invoke a guest callback
  // server -> guest, while a sync call runs longer than a heartbeat interval: the
  // worker is alive (slow, not dead). Empty body; the guest skips it.
  kMsgHeartbeat = 0xffff0006,
  // server -> guest: pending outputs whose bytes changed, sent before a callback raised on
  // an API thread (the callback may read them). Body: u32 n, then n x {u64 guest address,
  // u64 size, bytes}.
  kMsgOutputs = 0xffff0007,
  // server -> guest, instead of hello-ok when the server requires a key: u8[32] nonce.
  kMsgAuthChallenge = 0xffff0008,
  // guest -> server: u8[32] HMAC(key, "remora-guest" || nonce), u8[32] the guest's nonce.
  kMsgAuthResponse = 0xffff0009,
  // guest -> server: what a callback flagged kFlagWantsResult returned (the request field
  // echoes the callback's). Body: the value's bytes.
  kMsgCallbackResult = 0xffff000a,
};

// Header flags.
inline constexpr std::uint32_t kFlagAsync = 1u;     // call: the guest expects no reply
inline constexpr std::uint32_t kFlagInCall = 2u;    // callback: raised during the current call
// call: non-blocking at the API level. Informational only: the server decides from the
// call's own arguments (the spec's async_if), never from this flag.
inline constexpr std::uint32_t kFlagDeferredOutputs = 4u;
// call: the body starts with the program's writes into persistent mappings since the last
// call (u32 count, then per write: u64 server address, u64 offset, u64 length, bytes).
inline constexpr std::uint32_t kFlagMappedWrites = 8u;
// call: a `cacheable` query whose first field is a handle asks for the answers to the same
// request about the other objects of that handle's type (FunctionEntry::sibling_status_bytes).
// Its reply then has, after the mapped views, u32 count and per answer: u64 the handle
// (as the guest names it), u32 length, the answer's bytes (from the return value on).
inline constexpr std::uint32_t kFlagSiblings = 16u;
// callback: the program's function returns a value the API reads; the guest runs it at
// once and answers with kMsgCallbackResult (the worker waits for it inside the API call).
inline constexpr std::uint32_t kFlagWantsResult = 32u;
// call: one piece of a transfer the guest split into calls on consecutive sub-ranges (the
// spec's `chunk`), with more pieces to follow: it goes without a reply even when the call
// blocks, its failure is reported by the last piece's reply (codegen/README.md).
inline constexpr std::uint32_t kFlagPiece = 1024u;

struct FrameHeader {
  std::uint32_t magic = kMagic;
  std::uint32_t length = 0;  // body bytes
  std::uint32_t type = 0;
  std::uint32_t request = 0;
  std::uint32_t flags = 0;
  std::uint32_t bulk = 0;  // of the body's bytes, how many form the bulk trailer (at its end)
};
static_assert(sizeof(FrameHeader) == 24);

// Buffers of at least this many bytes travel in the bulk trailer.
inline constexpr std::uint64_t kBulkMinBytes = 4096;
inline constexpr std::uint64_t kBulkAlign = 64;
inline bool travels_as_bulk(std::uint64_t bytes) { return bytes >= kBulkMinBytes; }
// Offset in the trailer where a buffer placed after `offset` bytes starts.
inline std::uint64_t bulk_align(std::uint64_t offset) { return (offset + kBulkAlign - 1) & ~(kBulkAlign - 1); }

// One buffer in a Writer's trailer: borrowed, it must stay valid until the frame is sent.
// tag: in a reply, the index of the parameter it belongs to.
struct BulkSegment {
  const void* data;
  std::uint64_t size;
  std::uint64_t tag;
};

// Largest body accepted by either side (a bound on what a hostile peer can make us allocate).
// REMORA_MAX_MESSAGE (bytes) overrides it.
std::uint64_t max_message_bytes();

// Reply status (first field of every kMsgReply body).
enum ReplyStatus : std::uint32_t { kReplyOk = 0, kReplyRejected = 1, kReplyNoFunction = 2 };

// Where a buffer of a reply's bulk trailer goes (the reply's table says, per buffer).
enum BulkTarget : std::uint8_t {
  kBulkToParameter = 0,  // the output buffer of parameter #value of the call
  kBulkToAddress = 1,    // a pending output: guest memory at address value
};

// ------------------------------------------------------------- encoding ----

class Writer {
 public:
  Writer() = default;
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  Writer(Writer&& o) noexcept
      : buf_(std::exchange(o.buf_, nullptr)), size_(std::exchange(o.size_, 0)), cap_(std::exchange(o.cap_, 0)),
        bulk_(std::move(o.bulk_)) {}
  Writer& operator=(Writer&& o) noexcept {
    if (this != &o) {
      std::free(buf_);
      buf_ = std::exchange(o.buf_, nullptr);
      size_ = std::exchange(o.size_, 0);
      cap_ = std::exchange(o.cap_, 0);
      bulk_ = std::move(o.bulk_);
    }
    return *this;
  }
  ~Writer() { std::free(buf_); }

  void put_raw(const void* p, std::size_t n) {
    if (!n) return;
    reserve(size_ + n);
    std::memcpy(buf_ + size_, p, n);
    size_ += n;
  }
  // n zero bytes: a field that must not vary (a seeded output of a cached request, whose
  // bytes are the cache key).
  void put_zeros(std::size_t n) {
    if (!n) return;
    reserve(size_ + n);
    std::memset(buf_ + size_, 0, n);
    size_ += n;
  }
  void put_u8(std::uint8_t v) { put_raw(&v, 1); }
  void put_u32(std::uint32_t v) { put_raw(&v, 4); }
  void put_u64(std::uint64_t v) { put_raw(&v, 8); }
  template <class T>
  void put_value(const T& v) { put_raw(&v, sizeof(T)); }
  // String: presence byte, u64 length (without NUL), bytes.
  void put_string(const char* s) {
    put_u8(s != nullptr);
    if (!s) return;
    std::size_t n = std::strlen(s);
    put_u64(n);
    put_raw(s, n);
  }
  // An array of `count` strings (a callback's `char **argv` beside its `int argc`):
  // presence, the count (0 for a negative one), then each string as put_string writes it.
  template <class Strings, class Count>
  void put_string_array(Strings strings, Count count) {
    put_u8(strings != nullptr);
    if (!strings) return;
    const std::uint64_t n = count > 0 ? static_cast<std::uint64_t>(count) : 0;
    put_u64(n);
    for (std::uint64_t i = 0; i < n; ++i) put_string(strings[i]);
  }
  // Bytes a callback receives with their length (a write callback's `const void *data, size_t size`):
  // written as put_string writes a string (presence, u64 length, bytes), NULs included.
  template <class Count>
  void put_counted_bytes(const void* p, Count count) {
    put_u8(p != nullptr);
    if (!p) return;
    const std::uint64_t n = count > 0 ? static_cast<std::uint64_t>(count) : 0;
    put_u64(n);
    put_raw(p, n);
  }
  // Text in a one-byte type of the API's (libxml2's xmlChar, libyaml's yaml_char_t).
  void put_string(const unsigned char* s) { put_string(reinterpret_cast<const char*>(s)); }
  void put_string(const signed char* s) { put_string(reinterpret_cast<const char*>(s)); }
  // Overwrites a u32 written earlier at byte `at` (a count known only after its elements).
  void patch_u32(std::size_t at, std::uint32_t v) {
    if (at + sizeof v <= size_) std::memcpy(buf_ + at, &v, sizeof v);
  }
  // A buffer for the bulk trailer, borrowed (not copied) until the frame is sent.
  void put_bulk(const void* p, std::uint64_t n, std::uint64_t tag = 0) { bulk_.push_back({p, n, tag}); }
  // The fields (the trailer is not included).
  const unsigned char* data() const { return buf_; }
  std::size_t size() const { return size_; }
  const std::vector<BulkSegment>& bulk() const { return bulk_; }
  void clear() {
    size_ = 0;
    bulk_.clear();
  }

 private:
  // A plain growable buffer (std::vector's growth path trips GCC 12 false warnings).
  void reserve(std::size_t need) {
    if (need <= cap_) return;
    std::size_t cap = cap_ ? cap_ : 256;
    while (cap < need) cap *= 2;
    auto* nb = static_cast<unsigned char*>(std::realloc(buf_, cap));
    if (!nb) std::abort();  // out of memory: nothing sensible left to do
    buf_ = nb;
    cap_ = cap;
  }
  unsigned char* buf_ = nullptr;
  std::size_t size_ = 0;
  std::size_t cap_ = 0;
  std::vector<BulkSegment> bulk_;
};

// Bytes of the trailer the writers' bulk buffers make together (with alignment padding).
inline std::uint64_t trailer_bytes(std::initializer_list<const Writer*> parts) {
  std::uint64_t n = 0;
  for (const Writer* w : parts)
    for (const BulkSegment& b : w->bulk()) n = bulk_align(n) + b.size;
  return n;
}

// A raw buffer of `bytes`: inline when small, else borrowed into the trailer.
inline void put_buffer(Writer& w, const void* p, std::uint64_t bytes, std::uint64_t tag = 0) {
  if (travels_as_bulk(bytes)) w.put_bulk(p, bytes, tag);
  else w.put_raw(p, static_cast<std::size_t>(bytes));
}

// Growable memory for received bytes. Unlike std::vector it never initialises what it
// is about to receive into (a zero-filled 64 MiB body costs more than receiving it).
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ~ByteBuffer() { std::free(buf_); }
  // Room for n bytes; earlier contents are not kept.
  unsigned char* prepare(std::size_t n) {
    if (n > cap_) {
      std::free(buf_);
      cap_ = n < 4096 ? 4096 : n;
      buf_ = static_cast<unsigned char*>(std::malloc(cap_));
      if (!buf_) std::abort();  // out of memory: nothing sensible left to do
    }
    return buf_;
  }
  // Room for n bytes, keeping the first bytes received so far; nullptr when memory runs
  // out (the buffer is left as it was).
  unsigned char* grow(std::size_t n) {
    if (n > cap_) {
      const std::size_t cap = n < 4096 ? 4096 : n;
      void* p = std::realloc(buf_, cap);
      if (!p) return nullptr;
      buf_ = static_cast<unsigned char*>(p);
      cap_ = cap;
    }
    return buf_;
  }
  unsigned char* data() const { return buf_; }

 private:
  unsigned char* buf_ = nullptr;
  std::size_t cap_ = 0;
};

class Reader {
 public:
  Reader() = default;
  Reader(const unsigned char* p, std::size_t n) : p_(p), end_(p + n) {}
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  bool get_raw(void* out, std::size_t n) {
    if (n > remaining()) return false;
    if (n) std::memcpy(out, p_, n);
    p_ += n;
    return true;
  }
  // Borrow n bytes in place (valid while the body lives).
  const unsigned char* take(std::size_t n) {
    if (n > remaining()) return nullptr;
    const unsigned char* r = p_;
    p_ += n;
    return r;
  }
  bool get_u8(std::uint8_t& v) { return get_raw(&v, 1); }
  bool get_u32(std::uint32_t& v) { return get_raw(&v, 4); }
  bool get_u64(std::uint64_t& v) { return get_raw(&v, 8); }
  template <class T>
  bool get_value(T& v) { return get_raw(&v, sizeof(T)); }
  template <class T>
  bool get_ptr(T& v) {
    std::uint64_t u;
    if (!get_u64(u)) return false;
    v = reinterpret_cast<T>(static_cast<std::uintptr_t>(u));
    return true;
  }
  // Presence flag must be exactly 0 or 1.
  bool get_presence(bool& present) {
    std::uint8_t b;
    if (!get_u8(b) || b > 1) return false;
    present = b == 1;
    return true;
  }

 private:
  const unsigned char* p_ = nullptr;
  const unsigned char* end_ = nullptr;
};

// Overflow-safe a*b; false if it does not fit.
inline bool mul_size(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

// ------------------------------------------------------ type utilities ----

// Parameter and return types of a function pointer type: the generated server
// declares its locals with these, so they match the vendor header exactly.
template <class F>
struct fn_traits;
template <class R, class... A>
struct fn_traits<R (*)(A...)> {
  using ret = R;
  using args = std::tuple<A...>;
};
// Variadic and noexcept prototypes (their stubs still declare the fixed parameters).
template <class R, class... A>
struct fn_traits<R (*)(A..., ...)> : fn_traits<R (*)(A...)> {};
template <class R, class... A>
struct fn_traits<R (*)(A...) noexcept> : fn_traits<R (*)(A...)> {};
template <class R, class... A>
struct fn_traits<R (*)(A..., ...) noexcept> : fn_traits<R (*)(A...)> {};
template <class F, std::size_t I>
using param_t = std::tuple_element_t<I, typename fn_traits<F>::args>;
template <class F>
using ret_t = typename fn_traits<F>::ret;

// Size of one pointee of pointer type P (1 for void*, so void buffers count bytes).
template <class P>
inline constexpr std::size_t elem_size_v = [] {
  using T = std::remove_cv_t<std::remove_pointer_t<P>>;
  if constexpr (std::is_void_v<T>) return std::size_t{1};
  else return sizeof(T);
}();

// Writable pointee type (void* -> unsigned char*).
template <class P>
using mutable_elem_t = std::conditional_t<std::is_void_v<std::remove_cv_t<std::remove_pointer_t<P>>>,
                                          unsigned char, std::remove_cv_t<std::remove_pointer_t<P>>>;

// Handles, opaque pointers and callbacks travel as 64-bit values (identity).
template <class T>
inline std::uint64_t to_u64(T v) {
  if constexpr (std::is_pointer_v<T>) {
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(v));
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    return static_cast<std::uint64_t>(v);
  } else {
    static_assert(sizeof(T) <= 8, "handle wider than 64 bits");
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof v);
    return u;
  }
}
template <class T>
inline T from_u64(std::uint64_t u) {
  if constexpr (std::is_pointer_v<T>) {
    return reinterpret_cast<T>(static_cast<std::uintptr_t>(u));
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    return static_cast<T>(u);
  } else {
    T v{};
    std::memcpy(&v, &u, sizeof v);
    return v;
  }
}

// void* -> any object pointer type (the type of a generated local).
template <class P>
inline P ptr_as(void* v) {
  return static_cast<P>(v);
}
// Writable address of program memory given a possibly const pointer.
template <class T>
inline void* wptr(T* p) {
  return const_cast<void*>(static_cast<const void*>(p));
}

// Element type of an array of handles or strings; a void* array holds pointer-sized handles.
template <class P>
using handle_elem_t = std::conditional_t<std::is_void_v<std::remove_cv_t<std::remove_pointer_t<P>>>, void*,
                                         std::remove_cv_t<std::remove_pointer_t<P>>>;
template <class P>
inline handle_elem_t<P> elem_at(P p, std::size_t i) {
  return static_cast<const handle_elem_t<P>*>(static_cast<const void*>(p))[i];
}
template <class P>
inline void set_elem(P p, std::size_t i, handle_elem_t<P> v) {
  static_cast<handle_elem_t<P>*>(wptr(p))[i] = v;
}

// What the server puts in an output string pointer before the call: still there after
// it, the library did not write one, and the program's own value is left as it was.
inline const char* unwritten_string() {
  static const char marker = 0;
  return &marker;
}

// Element i of an array of pointers (a buffer of buffers), whatever the declared
// type of the array (`void *param_value` holding `unsigned char *` entries).
template <class P>
inline void* pointer_at(P p, std::size_t i) {
  void* v = nullptr;
  std::memcpy(&v, static_cast<const unsigned char*>(static_cast<const void*>(p)) + i * sizeof(void*), sizeof v);
  return v;
}

// A string the stack holds, as the API's text type (char, or an unsigned char such as
// libxml2's xmlChar or SQLite's column text): the same bytes.
template <class T>
inline T text_as(const char* s) {
  return reinterpret_cast<T>(const_cast<char*>(s));
}

// An out pointer the library set inside a parameter's memory (points_into), as its offset
// from `base` (the server's copy, `bytes` long; its end included: "past the end").
constexpr std::uint64_t kOffsetNull = ~std::uint64_t{0};         // the library set NULL
constexpr std::uint64_t kOffsetOutside = ~std::uint64_t{0} - 1;  // somewhere else
template <class P, class B>
inline std::uint64_t offset_inside(P at, B base, std::uint64_t bytes) {
  const auto a = reinterpret_cast<std::uintptr_t>(at), b = reinterpret_cast<std::uintptr_t>(base);
  if (!a) return kOffsetNull;
  return b && a >= b && a - b <= bytes ? a - b : kOffsetOutside;
}

// A non-NULL pointer value no function or object can have: in the first or the last page
// of the address space (SQLite's SQLITE_TRANSIENT is `(sqlite3_destructor_type)-1`).
inline bool is_sentinel_address(std::uint64_t v) { return v != 0 && (v < 4096 || v > ~std::uint64_t{0} - 4096); }

// A pointer that is never NULL: size expressions dereference params such as
// `*lengths`; a NULL pointer reads as zero instead of crashing.
template <class T>
inline T* nn(T* p) {
  if (p) return p;
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_void_v<U>) {
    return nullptr;
  } else {
    static U zero{};
    return &zero;
  }
}

// p[i] in a size expression. The guest reads the program's own array (NULL reads
// as 0; the library reports the NULL); the server has checked that p holds more
// than i elements before it gets here.
template <class T>
inline std::remove_cv_t<T> index_or_zero(T* p, std::size_t i) {
  return p ? p[i] : std::remove_cv_t<T>{};
}

// property(p, KEY) of an `in_order` predicate: the value after KEY in the 0-terminated
// key/value list p as the server received it (n elements), 0 when p is NULL or the key is
// absent. Reads only whole pairs within the n elements, so a list that ends early or lies
// about its terminator reads nothing past what arrived.
template <class T, class K>
inline std::uint64_t property_value(const T* p, std::uint64_t n, K key) {
  if (!p) return 0;
  for (std::uint64_t i = 0; i + 1 < n && !(p[i] == T{}); i += 2)
    if (static_cast<std::uint64_t>(p[i]) == static_cast<std::uint64_t>(key))
      return static_cast<std::uint64_t>(p[i + 1]);
  return 0;
}

// Elements of a NULL-terminated array of pointers before its NULL (a callback's `atts`).
template <class Strings>
inline std::uint64_t count_until_null(Strings strings) {
  std::uint64_t n = 0;
  if (strings)
    while (strings[n]) ++n;
  return n;
}

}  // namespace remora

// terminated(p): length of a 0-terminated key/value property list (cl_context_properties
// style): keys sit at even positions and only a 0 key ends the list; the count includes
// the terminator. Used by generated size expressions; NULL counts as 0.
template <class T>
inline long long remora_terminated_count(const T* p) {
  if (!p) return 0;
  long long n = 0;
  while (!(p[n] == T{})) n += 2;
  return n + 1;
}
// terminated(p, MEMBER, END): elements of an array of structs up to and including the
// first one `ends` accepts (its MEMBER is END); NULL counts as 0. Only the first `within`
// elements are read: kSizeUnterminated when none of them ends the array (a size both
// sides refuse, naming why).
// The guest bounds it by the program's readable memory (a program may pass a chain the
// library never reads, unterminated: it must fail the call, not crash the program).
template <class T, class Ends>
inline long long remora_terminated_count_by(const T* p, Ends ends,
                                            std::uint64_t within = ~std::uint64_t{0}) {
  if (!p) return 0;
  for (std::uint64_t n = 0; n < within; ++n)
    if (ends(p[n])) return static_cast<long long>(n + 1);
  return remora::kSizeUnterminated;
}
// Server-side check on n received elements: the library reads up to the first element
// `ends` accepts, so one must be among them (a hostile guest cannot make it read past).
template <class T, class Ends>
inline bool remora_has_terminator(const T* p, std::uint64_t n, Ends ends) {
  for (std::uint64_t i = 0; i < n; ++i)
    if (ends(p[i])) return true;
  return false;
}
// Server-side check before remora_terminated_count may run on n received elements:
// a 0 key must occur within them.
template <class T>
inline bool remora_has_zero_element(const T* p, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; i += 2)
    if (p[i] == T{}) return true;
  return false;
}
