// Runtime of a generated LD_PRELOAD interposer (embedded as text into every
// generated interposer source; see interposer_generator.cpp).
//
// Rules it lives by, because it runs inside somebody else's program:
// - never crash: user memory is read with process_vm_readv on ourselves (a bad
//   pointer gives EFAULT, not SIGSEGV); /proc/self/maps only tells extents;
// - never change behaviour: the real function gets exactly the caller's
//   arguments (callbacks go through a trampoline that calls the original with
//   the same arguments); errors in recording silently stop recording;
// - no locks: records are single SOCK_SEQPACKET messages, the maps snapshot is
//   published with an atomic pointer, callback slots are claimed with CAS, so a
//   fork() in any thread cannot leave a lock held in the child;
// - no static destructors: exit() from a callback or atexit handler still works.
#pragma once

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <sched.h>

#include <tuple>
#include <type_traits>
#include <utility>

namespace remora_rt {

using namespace remora_wire;

// ------------------------------------------------------------- state ----

struct FunctionEntry {
  const char* symbol;
};

extern const FunctionEntry kFunctionTable[];
extern const unsigned kFunctionCount;

inline std::atomic<int> g_state{0};  // 0 uninitialised, 1 initialising, 2 ready
inline int g_fd = -1;                // record socket; -1: not recording
inline std::atomic<bool> g_recording{false};
inline void* g_lib = nullptr;  // --lib handle, or null for RTLD_NEXT
inline std::atomic<std::uint32_t> g_pid{0};
inline std::atomic<std::uint64_t> g_seq{0};
inline std::size_t g_window_cap = 1u << 20;
inline bool g_use_vm_readv = true;

inline thread_local int t_depth = 0;              // >0: inside an API call on this thread
inline thread_local std::uint64_t t_current_seq = 0;
inline thread_local std::uint32_t t_tid = 0;
inline thread_local std::uint32_t t_tid_pid = 0;

inline std::uint64_t now_realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::uint64_t(ts.tv_sec) * 1000000000ull + std::uint64_t(ts.tv_nsec);
}
inline std::uint64_t now_mono_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::uint64_t(ts.tv_sec) * 1000000000ull + std::uint64_t(ts.tv_nsec);
}

inline std::uint32_t current_tid() {
  std::uint32_t pid = g_pid.load(std::memory_order_relaxed);
  if (t_tid == 0 || t_tid_pid != pid) {  // a forked child's thread has a new tid
    t_tid = std::uint32_t(syscall(SYS_gettid));
    t_tid_pid = pid;
  }
  return t_tid;
}

inline void send_record(const unsigned char* buf, std::size_t len) {
  if (!g_recording.load(std::memory_order_relaxed)) return;
  for (;;) {
    ssize_t n = ::send(g_fd, buf, len, MSG_NOSIGNAL);
    if (n >= 0) return;
    if (errno == EINTR) continue;
    // The parent is gone, or the program closed our descriptor: stop recording,
    // keep running the program untouched.
    g_recording.store(false, std::memory_order_relaxed);
    return;
  }
}

inline MsgHeader make_header(MsgType type, std::uint32_t function, std::uint64_t seq) {
  MsgHeader h{};
  h.type = type;
  h.pid = g_pid.load(std::memory_order_relaxed);
  h.tid = current_tid();
  h.function = function;
  h.seq = seq;
  h.time_ns = now_realtime_ns();
  return h;
}

inline void send_hello() {
  unsigned char buf[4096 + 64];
  Writer w(buf, sizeof buf);
  w.put(make_header(kHello, 0, 0));
  w.put<std::uint32_t>(kVersion);
  w.put<std::uint32_t>(std::uint32_t(getppid()));
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe);
  w.blob(exe, n > 0 ? std::uint32_t(n) : 0);
  send_record(buf, w.size());
}

inline void after_fork_in_child() {
  g_pid.store(std::uint32_t(getpid()), std::memory_order_relaxed);
  t_depth = 0;
  if (g_recording.load(std::memory_order_relaxed)) send_hello();
}

inline bool is_our_socket(int fd, long parent_pid) {
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) return false;
  ucred cred{};
  len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.pid == parent_pid;
}

inline thread_local bool t_initialising = false;

inline void init_once() {
  int expected = 0;
  if (!g_state.compare_exchange_strong(expected, 1)) {
    if (t_initialising) return;  // re-entered from dlopen of --lib: pass through
    while (g_state.load() != 2) sched_yield();
    return;
  }
  t_initialising = true;
  g_pid.store(std::uint32_t(getpid()));
  if (const char* lib = getenv("REMORA_TRACE_LIB"); lib && *lib) {
    g_lib = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!g_lib) std::fprintf(stderr, "remora-trace: cannot load %s: %s (using the next library)\n", lib, dlerror());
  }
  if (const char* w = getenv("REMORA_TRACE_WINDOW"); w && *w) {
    long long v = atoll(w);
    if (v >= 64) g_window_cap = std::size_t(v);
  }
  const char* fd_text = getenv("REMORA_TRACE_FD");
  const char* parent = getenv("REMORA_TRACE_PARENT");
  if (fd_text && parent) {
    int fd = atoi(fd_text);
    // An exec'd program inherits the environment but maybe not the descriptor:
    // only a socket whose peer is the `remora trace` process is ours.
    if (fd >= 0 && is_our_socket(fd, atol(parent))) {
      g_fd = fd;
      g_recording.store(true);
      pthread_atfork(nullptr, nullptr, &after_fork_in_child);
    }
  }
  {
    char probe = 1, out = 0;
    iovec l{&out, 1}, r{&probe, 1};
    g_use_vm_readv = process_vm_readv(getpid(), &l, 1, &r, 1, 0) == 1;
  }
  g_state.store(2);
  t_initialising = false;
  if (g_recording.load()) send_hello();
}

inline void ensure_init() {
  if (g_state.load(std::memory_order_acquire) != 2) init_once();
}

__attribute__((constructor)) inline void remora_interposer_ctor() { ensure_init(); }

inline void* resolve_real(unsigned index) {
  ensure_init();
  const char* sym = kFunctionTable[index].symbol;
  void* p = g_lib ? dlsym(g_lib, sym) : nullptr;
  if (!p) p = dlsym(RTLD_NEXT, sym);
  if (!p) std::fprintf(stderr, "remora-trace: the real '%s' was not found; returning 0\n", sym);
  return p;
}

// ---------------------------------------------------- memory regions ----

struct Region {
  std::uintptr_t start, end;
  bool readable;
  std::uint8_t kind;
};

struct MapsSnapshot {
  Region* regions;
  std::size_t count;
};

inline std::atomic<MapsSnapshot*> g_maps{nullptr};

// Reads /proc/self/maps with raw syscalls into a malloc'd buffer.
inline char* read_maps_text(std::size_t& len) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  std::size_t cap = 1 << 16;
  char* buf = static_cast<char*>(malloc(cap + 1));
  len = 0;
  while (buf) {
    if (len == cap) {
      char* bigger = static_cast<char*>(realloc(buf, cap * 2 + 1));
      if (!bigger) break;
      buf = bigger;
      cap *= 2;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += std::size_t(n);
  }
  close(fd);
  if (buf) buf[len] = 0;
  return buf;
}

inline void refresh_maps() {
  std::size_t len = 0;
  char* text = read_maps_text(len);
  if (!text) return;
  std::size_t lines = 1;
  for (std::size_t i = 0; i < len; ++i) lines += text[i] == '\n';
  auto* regions = static_cast<Region*>(malloc(lines * sizeof(Region)));
  auto* snap = static_cast<MapsSnapshot*>(malloc(sizeof(MapsSnapshot)));
  if (!regions || !snap) {
    free(text), free(regions), free(snap);
    return;
  }
  std::size_t count = 0;
  char* line = text;
  while (*line) {
    char* nl = strchr(line, '\n');
    if (nl) *nl = 0;
    char* p = line;
    Region r{};
    r.start = strtoull(p, &p, 16);
    if (*p == '-') ++p;
    r.end = strtoull(p, &p, 16);
    while (*p == ' ') ++p;
    r.readable = p[0] == 'r';
    // Skip perms, offset, dev, inode to the path.
    for (int field = 0; field < 4 && *p; ++field) {
      while (*p && *p != ' ') ++p;
      while (*p == ' ') ++p;
    }
    if (*p == 0) r.kind = kRegionAnon;
    else if (strncmp(p, "[heap]", 6) == 0) r.kind = kRegionHeap;
    else if (strncmp(p, "[stack", 6) == 0) r.kind = kRegionStack;
    else if (*p == '[') r.kind = kRegionOther;
    else r.kind = kRegionFile;
    if (r.end > r.start) regions[count++] = r;
    if (!nl) break;
    line = nl + 1;
  }
  free(text);
  snap->regions = regions;
  snap->count = count;
  // Old snapshots are leaked on purpose: another thread may still be reading one.
  g_maps.store(snap, std::memory_order_release);
}

inline bool find_region_in(const MapsSnapshot* s, std::uintptr_t p, Region& out) {
  if (!s) return false;
  std::size_t lo = 0, hi = s->count;
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (s->regions[mid].end <= p) lo = mid + 1;
    else hi = mid;
  }
  if (lo < s->count && s->regions[lo].start <= p && p < s->regions[lo].end) {
    out = s->regions[lo];
    return true;
  }
  return false;
}

inline bool find_region(std::uintptr_t p, Region& out) {
  if (find_region_in(g_maps.load(std::memory_order_acquire), p, out)) return true;
  refresh_maps();  // a new mapping since the last look
  return find_region_in(g_maps.load(std::memory_order_acquire), p, out);
}

// Copies up to n bytes from p; returns how many could be read (stops at the first unreadable page).
inline std::size_t safe_read(std::uintptr_t p, void* dst, std::size_t n, const Region* known = nullptr) {
  if (n == 0) return 0;
  // This thread's own stack cannot be unmapped under us: copy it directly (the
  // common case of out-parameters), saving a system call per snapshot.
  char here;
  auto sp = reinterpret_cast<std::uintptr_t>(&here);
  if (known && known->readable && known->start <= sp && sp < known->end && known->start <= p && p < known->end) {
    if (n > known->end - p) n = known->end - p;
    std::memcpy(dst, reinterpret_cast<const void*>(p), n);
    return n;
  }
  if (g_use_vm_readv) {
    iovec l{dst, n}, r{reinterpret_cast<void*>(p), n};
    ssize_t got = process_vm_readv(g_pid.load(std::memory_order_relaxed), &l, 1, &r, 1, 0);
    if (got >= 0) return std::size_t(got);
    if (errno != EFAULT || n <= 4096) return 0;
    // A partial range: retry page by page.
    std::size_t done = 0;
    while (done < n) {
      std::size_t chunk = 4096 - ((p + done) & 4095);
      if (chunk > n - done) chunk = n - done;
      iovec l2{static_cast<char*>(dst) + done, chunk}, r2{reinterpret_cast<void*>(p + done), chunk};
      if (process_vm_readv(g_pid.load(std::memory_order_relaxed), &l2, 1, &r2, 1, 0) != ssize_t(chunk)) break;
      done += chunk;
    }
    return done;
  }
  // Fallback (process_vm_readv forbidden): trust a fresh maps entry.
  Region r{};
  if (known) r = *known;
  else if (!find_region(p, r)) return 0;
  if (!r.readable || p < r.start) return 0;
  if (n > r.end - p) n = r.end - p;
  std::memcpy(dst, reinterpret_cast<const void*>(p), n);
  return n;
}

// Usable size of a glibc malloc chunk that starts exactly at p, or 0 when p does not
// look like one. Only reads through safe_read, so a wrong guess cannot fault.
inline std::size_t heap_chunk_extent(std::uintptr_t p, const Region& r) {
  if (p % 16 != 0 || p < r.start + 16) return 0;
  std::uint64_t hdr[2];
  if (safe_read(p - 16, hdr, sizeof hdr) != sizeof hdr) return 0;
  std::uint64_t size_field = hdr[1];
  std::uint64_t csize = size_field & ~std::uint64_t(7);
  bool mmapped = size_field & 2;
  if (csize < 32 || csize % 16 != 0) return 0;
  std::uintptr_t chunk = p - 16;
  if (chunk + csize > r.end) return 0;
  if (mmapped) {
    // glibc maps such a chunk on its own: the mapping starts prev_size (alignment padding)
    // bytes before the chunk and spans whole pages. Its end need not be the region's end:
    // the kernel merges it with an adjacent anonymous mapping of the same protection.
    const std::uint64_t page = 4096, pad = hdr[0];
    bool own_mapping = pad < page && (chunk - pad) % page == 0 && (csize + pad) % page == 0 &&
                       chunk - pad >= r.start;
    return own_mapping ? std::size_t(csize - 16) : 0;
  }
  if (chunk + csize + 16 > r.end) return 0;
  std::uint64_t next[2];
  if (safe_read(chunk + csize, next, sizeof next) != sizeof next) return 0;
  std::uint64_t next_size = next[1] & ~std::uint64_t(7);
  if (!(next[1] & 1)) return 0;  // PREV_INUSE of the next chunk: ours is allocated
  if (next_size < 16 || next_size % 16 != 0 || chunk + csize + next_size > r.end) return 0;
  return std::size_t(csize - 8);
}

// ------------------------------------------------------ type traits ----

template <class T, class = void>
struct is_complete : std::false_type {};
template <class T>
struct is_complete<T, std::void_t<decltype(sizeof(T))>> : std::true_type {};

template <class T>
constexpr bool is_handle_pointer() {
  if constexpr (std::is_pointer_v<T>) {
    using P = std::remove_cv_t<std::remove_pointer_t<T>>;
    if constexpr (std::is_class_v<P> || std::is_union_v<P>) return !is_complete<P>::value;
  }
  return false;
}

template <class T>
constexpr ValueClass value_class(bool spec_handle) {
  if constexpr (std::is_void_v<T>) return kVoid;
  else if constexpr (std::is_pointer_v<T>) {
    if constexpr (std::is_function_v<std::remove_pointer_t<T>>) return kFunction;
    else if (spec_handle || is_handle_pointer<T>()) return kHandle;
    else return kPointer;
  } else if constexpr (std::is_floating_point_v<T>) return kFloat;
  else if constexpr (std::is_enum_v<T>) return std::is_signed_v<std::underlying_type_t<T>> ? kSigned : kUnsigned;
  else if constexpr (std::is_integral_v<T>) return std::is_signed_v<T> ? kSigned : kUnsigned;
  else if (spec_handle) return kHandle;
  else return kStruct;
}

template <class T>
std::uint64_t value_bits(const T& v) {
  std::uint64_t bits = 0;
  if constexpr (std::is_pointer_v<T>) bits = std::uint64_t(reinterpret_cast<std::uintptr_t>(v));
  else if constexpr (std::is_floating_point_v<T>) {
    double d = double(v);
    std::memcpy(&bits, &d, sizeof d);
  } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
    bits = std::uint64_t(std::int64_t(v));
  } else {
    std::memcpy(&bits, &v, sizeof v < sizeof bits ? sizeof v : sizeof bits);
  }
  return bits;
}

template <class T>
constexpr PointeeClass pointee_class(bool elem_handle) {
  using P = std::remove_cv_t<T>;
  if constexpr (std::is_void_v<P>) return kPointeeVoid;
  else if constexpr (std::is_function_v<P>) return kPointeeFunction;
  else if constexpr (std::is_same_v<P, char> || std::is_same_v<P, signed char> || std::is_same_v<P, unsigned char>)
    return kPointeeChar;
  else if constexpr (std::is_pointer_v<P>) {
    if constexpr (std::is_function_v<std::remove_pointer_t<P>>) return kPointeePointer;
    else if (elem_handle || is_handle_pointer<P>()) return kPointeeHandle;
    else return kPointeePointer;
  } else if constexpr (std::is_floating_point_v<P>) return kPointeeFloat;
  else if constexpr (std::is_enum_v<P>) return kPointeeSigned;
  else if constexpr (std::is_integral_v<P>) return std::is_signed_v<P> ? kPointeeSigned : kPointeeUnsigned;
  else if (elem_handle) return kPointeeHandle;
  else return kPointeeStruct;
}

template <class T>
constexpr std::uint32_t pointee_size() {
  using P = std::remove_cv_t<T>;
  if constexpr (std::is_void_v<P> || std::is_function_v<P>) return 1;
  else if constexpr (is_complete<P>::value) return std::uint32_t(sizeof(P));
  else return 1;
}

// ------------------------------------------------- pointer snapshots ----

// What one pointer argument looked like before the call, kept until after it.
struct PointerProbe {
  std::uintptr_t address = 0;
  Region region{};
  bool mapped = false;
  std::uint8_t flags = 0;
  std::uint8_t pointee = kPointeeVoid;
  std::uint32_t elem_size = 1;
  std::uint64_t extent = 0;
  std::size_t window = 0;
  unsigned char* before = nullptr;  // window bytes (malloc'd)
  std::size_t before_len = 0;
};

// Phase 1: where the pointer points and how far its object can extend.
inline void probe_locate(PointerProbe& pr, std::uintptr_t p, PointeeClass pointee, std::uint32_t elem_size,
                         bool is_const) {
  pr.address = p;
  pr.pointee = pointee;
  pr.elem_size = elem_size;
  if (is_const) pr.flags |= kConstPointee;
  if (p == 0 || pointee == kPointeeFunction) return;
  if (!find_region(p, pr.region)) return;
  pr.mapped = true;
  if (!pr.region.readable) return;
  std::size_t exact = 0;
  if (pr.region.kind == kRegionHeap || pr.region.kind == kRegionAnon) exact = heap_chunk_extent(p, pr.region);
  if (exact) {
    pr.extent = exact;
    pr.flags |= kExtentExact;
  } else {
    pr.extent = pr.region.end - p;
  }
}

// Another pointer argument further up the same mapping starts another object:
// a non-exact extent (stack, globals) ends there, so what the call writes
// through that argument is not blamed on this one.
inline void limit_by_neighbours(PointerProbe* probes[], std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    PointerProbe& a = *probes[i];
    if (!a.mapped || (a.flags & kExtentExact)) continue;
    for (std::size_t j = 0; j < n; ++j) {
      const PointerProbe& b = *probes[j];
      if (i == j || !b.mapped || b.address <= a.address || b.address >= a.address + a.extent) continue;
      a.extent = b.address - a.address;
    }
  }
}

// Phase 2: copy the comparison window before the call.
inline void probe_snapshot(PointerProbe& pr) {
  if (!pr.mapped || !pr.region.readable || pr.extent == 0) return;
  pr.window = pr.extent;
  if (pr.window > g_window_cap) {
    pr.window = g_window_cap;
    pr.flags |= kWindowCapped;
  }
  pr.before = static_cast<unsigned char*>(malloc(pr.window));
  if (!pr.before) return;
  pr.before_len = safe_read(pr.address, pr.before, pr.window, &pr.region);
  if (pr.before_len) pr.flags |= kReadable;
}

inline std::int64_t read_int_elem(const unsigned char* buf, std::size_t len, std::uint32_t size, bool is_signed,
                                  bool& ok) {
  ok = false;
  if (len < size || size == 0 || size > 8) return 0;
  ok = true;
  switch (size) {
    case 1: { std::uint8_t v; std::memcpy(&v, buf, 1); return is_signed ? std::int8_t(v) : v; }
    case 2: { std::uint16_t v; std::memcpy(&v, buf, 2); return is_signed ? std::int16_t(v) : v; }
    case 4: { std::uint32_t v; std::memcpy(&v, buf, 4); return is_signed ? std::int32_t(v) : std::int64_t(v); }
    case 8: { std::int64_t v; std::memcpy(&v, buf, 8); return v; }
    default: ok = false; return 0;
  }
}

inline std::int64_t string_length(const unsigned char* buf, std::size_t len) {
  const void* nul = memchr(buf, 0, len);
  return nul ? std::int64_t(static_cast<const unsigned char*>(nul) - buf) : -1;
}

// Encodes a probe after the call: compares the window, counts what changed.
inline void encode_probe_after(Writer& w, PointerProbe& pr) {
  unsigned char* after = nullptr;
  std::size_t after_len = 0;
  if (pr.before && pr.before_len) {
    after = static_cast<unsigned char*>(malloc(pr.before_len));
    if (after) after_len = safe_read(pr.address, after, pr.before_len, &pr.region);
  }
  std::size_t cmp = after_len < pr.before_len ? after_len : pr.before_len;
  std::uint32_t count = 0, first = 0, end = 0;
  bool any = false;
  for (std::size_t i = 0; i < cmp;) {
    // Skip equal 8-byte words quickly.
    if (i + 8 <= cmp && std::memcmp(pr.before + i, after + i, 8) == 0) {
      i += 8;
      continue;
    }
    if (pr.before[i] != after[i]) {
      if (!any) first = std::uint32_t(i);
      any = true;
      ++count;
      end = std::uint32_t(i + 1);
    }
    ++i;
  }
  std::uint32_t zero_tail = 0;
  if (after) {
    for (std::size_t i = end; i < after_len && zero_tail < kMaxZeroTail && after[i] == 0; ++i) ++zero_tail;
  }
  bool is_signed = pr.pointee == kPointeeSigned;
  bool int_like = pr.pointee == kPointeeSigned || pr.pointee == kPointeeUnsigned;
  bool ok_before = false, ok_after = false;
  std::int64_t deref_before = 0, deref_after = 0;
  if (int_like && pr.before_len) deref_before = read_int_elem(pr.before, pr.before_len, pr.elem_size, is_signed, ok_before);
  if (int_like && after_len) deref_after = read_int_elem(after, after_len, pr.elem_size, is_signed, ok_after);
  std::uint8_t flags = pr.flags;
  if (ok_before && ok_after) flags |= kHasDeref;
  std::int64_t strlen_before = -1, strlen_after = -1;
  if (pr.pointee == kPointeeChar || pr.pointee == kPointeeVoid) {
    if (pr.before_len) strlen_before = string_length(pr.before, pr.before_len);
    if (after_len) strlen_after = string_length(after, after_len);
    if (pr.pointee == kPointeeChar) {
      if (strlen_before >= 0) flags |= kHasStrBefore;
      if (strlen_after >= 0) flags |= kHasStrAfter;
    }
  }
  w.put<std::uint8_t>(flags);
  w.put<std::uint8_t>(pr.mapped ? pr.region.kind : std::uint8_t(kRegionUnmapped));
  w.put<std::uint8_t>(pr.pointee);
  w.put<std::uint32_t>(pr.elem_size);
  w.put<std::uint64_t>(pr.extent);
  w.put<std::uint32_t>(std::uint32_t(pr.window));
  w.put<std::uint32_t>(count);
  w.put<std::uint32_t>(first);
  w.put<std::uint32_t>(end);
  w.put<std::uint32_t>(zero_tail);
  w.put<std::int64_t>(deref_before);
  w.put<std::int64_t>(deref_after);
  w.put<std::int64_t>(strlen_before);
  w.put<std::int64_t>(strlen_after);
  std::uint32_t head = std::uint32_t(pr.before_len < kMaxHeadBytes ? pr.before_len : kMaxHeadBytes);
  w.blob(pr.before, head);
  std::uint32_t written_len = any ? end - first : 0;
  if (written_len > kMaxWrittenBytes) written_len = kMaxWrittenBytes;
  w.blob(after ? after + first : nullptr, after ? written_len : 0);
  auto str_len = [](std::int64_t n) { return std::uint32_t(n < 0 ? 0 : n > kMaxStringBytes ? kMaxStringBytes : n); };
  w.blob(pr.before, (flags & kHasStrBefore) ? str_len(strlen_before) : 0);
  w.blob(after, (flags & kHasStrAfter) ? str_len(strlen_after) : 0);
  // Elements of arrays of handles/pointers: inputs before, and those that changed after.
  if (pr.pointee == kPointeeHandle || pr.pointee == kPointeePointer) {
    std::uint32_t n_before = std::uint32_t(pr.before_len / 8 < kMaxElements ? pr.before_len / 8 : kMaxElements);
    w.put<std::uint32_t>(n_before);
    for (std::uint32_t i = 0; i < n_before; ++i) {
      std::uint64_t v;
      std::memcpy(&v, pr.before + i * 8, 8);
      w.put<std::uint64_t>(v);
    }
    std::uint32_t n_after = 0;
    std::size_t elems = cmp / 8 < kMaxElements ? cmp / 8 : kMaxElements;
    for (std::size_t i = 0; i < elems; ++i) n_after += std::memcmp(pr.before + i * 8, after + i * 8, 8) != 0;
    w.put<std::uint32_t>(n_after);
    for (std::size_t i = 0; i < elems; ++i) {
      if (std::memcmp(pr.before + i * 8, after + i * 8, 8) == 0) continue;
      std::uint64_t v;
      std::memcpy(&v, after + i * 8, 8);
      w.put<std::uint32_t>(std::uint32_t(i));
      w.put<std::uint64_t>(v);
    }
  } else {
    w.put<std::uint32_t>(0);
    w.put<std::uint32_t>(0);
  }
  free(after);
  free(pr.before);
  pr.before = nullptr;
}

// ----------------------------------------------------------- callbacks ----

// Trampolines for callbacks: the program's function pointer is swapped for one of
// a fixed pool of trampolines of the same type, which records the invocation and
// calls the original with the same arguments. Pool full: the original is passed.
template <class FP>
struct CallbackPool {
  static FP wrap(FP original, std::uint32_t, std::uint32_t) { return original; }
};

inline void send_callback_record(std::uint32_t function, std::uint32_t param, std::uintptr_t original,
                                 const std::uint8_t* classes, const std::uint64_t* bits, std::uint32_t nargs) {
  unsigned char buf[512];
  Writer w(buf, sizeof buf);
  w.put(make_header(kCallback, function, t_current_seq));
  w.put<std::uint32_t>(param);
  w.put<std::uint64_t>(original);
  w.put<std::uint64_t>(t_depth > 0 ? t_current_seq : 0);
  w.put<std::uint32_t>(nargs);
  for (std::uint32_t i = 0; i < nargs; ++i) {
    w.put<std::uint8_t>(classes[i]);
    w.put<std::uint64_t>(bits[i]);
  }
  if (!w.overflow()) send_record(buf, w.size());
}

template <class R, class... A>
struct CallbackPool<R (*)(A...)> {
  using FP = R (*)(A...);
  static constexpr int kSlots = 16;
  struct Slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 ready
    FP original = nullptr;
    std::uint32_t function = 0, param = 0;
  };
  static inline Slot slots[kSlots];

  template <int S>
  static R trampoline(A... args) {
    Slot& s = slots[S];
    if (g_recording.load(std::memory_order_relaxed)) {
      constexpr std::uint32_t n = sizeof...(A) < 8 ? sizeof...(A) : 8;
      std::uint8_t classes[sizeof...(A) + 1] = {std::uint8_t(value_class<A>(false))...};
      std::uint64_t bits[sizeof...(A) + 1] = {value_bits(args)...};
      send_callback_record(s.function, s.param, reinterpret_cast<std::uintptr_t>(s.original), classes, bits, n);
    }
    // Program code runs here: its own API calls are top-level calls again.
    int saved_depth = t_depth;
    std::uint64_t saved_seq = t_current_seq;
    t_depth = 0;
    struct Restore {
      int d;
      std::uint64_t q;
      ~Restore() { t_depth = d, t_current_seq = q; }
    } restore{saved_depth, saved_seq};
    return s.original(args...);
  }

  template <int... S>
  static FP trampoline_at(int i, std::integer_sequence<int, S...>) {
    static constexpr FP table[] = {&trampoline<S>...};
    return table[i];
  }

  // Sentinels spelled as function pointers are not code: SQLITE_TRANSIENT ((fn)-1),
  // SIG_IGN ((fn)1). A trampoline in their place would change what the library does
  // (SQLite copies a TRANSIENT string, keeps a real destructor's) and then call them.
  static bool sentinel(FP f) {
    std::uintptr_t v = reinterpret_cast<std::uintptr_t>(f);
    return v < 4096 || v > ~std::uintptr_t(0) - 4096;
  }

  static FP wrap(FP original, std::uint32_t function, std::uint32_t param) {
    if (!original || sentinel(original) || !g_recording.load(std::memory_order_relaxed)) return original;
    for (int i = 0; i < kSlots; ++i) {
      Slot& s = slots[i];
      int st = s.state.load(std::memory_order_acquire);
      if (st == 2 && s.original == original && s.function == function && s.param == param)
        return trampoline_at(i, std::make_integer_sequence<int, kSlots>{});
      if (st == 0) {
        int expected = 0;
        if (s.state.compare_exchange_strong(expected, 1)) {
          s.original = original;
          s.function = function;
          s.param = param;
          s.state.store(2, std::memory_order_release);
          return trampoline_at(i, std::make_integer_sequence<int, kSlots>{});
        }
      }
    }
    return original;
  }
};

// ------------------------------------------------------------ a call ----

// One argument as seen at entry, plus its probe when it is a data pointer.
struct ArgState {
  std::uint8_t cls = kVoid;
  std::uint64_t bits = 0;
  bool probed = false;
  PointerProbe probe;
};

template <class T>
void capture_arg(ArgState& st, const T& v, bool spec_handle, bool elem_handle) {
  st.cls = value_class<T>(spec_handle);
  st.bits = value_bits(v);
  if constexpr (std::is_pointer_v<T>) {
    using P = std::remove_pointer_t<T>;
    if (st.cls == kPointer) {
      st.probed = true;
      probe_locate(st.probe, reinterpret_cast<std::uintptr_t>(v), pointee_class<P>(elem_handle), pointee_size<P>(),
                   std::is_const_v<P>);
    }
  }
}

template <unsigned Index, class F>
struct Wrapper;

// HandleMask: bit i = the spec says parameter i is a handle; ElemMask: its
// pointees are handles. Bit 63 of HandleMask: the return value is a handle.
template <unsigned Index, class R, class... A>
struct Wrapper<Index, R(A...)> {
  using Real = R (*)(A...);

  static Real real() {
    static std::atomic<Real> cached{nullptr};
    Real r = cached.load(std::memory_order_acquire);
    if (!r) {
      r = reinterpret_cast<Real>(resolve_real(Index));
      cached.store(r, std::memory_order_release);
    }
    return r;
  }

  static R call_real(A... args) {
    Real r = real();
    if (!r) {
      if constexpr (std::is_void_v<R>) return;
      else return R{};
    }
    return r(args...);
  }

  template <std::uint64_t HandleMask, std::uint64_t ElemMask>
  static R run(A... args) {
    ensure_init();
    if (!g_recording.load(std::memory_order_relaxed) || t_depth > 0) return call_real(args...);
    return run_recorded<HandleMask, ElemMask>(std::index_sequence_for<A...>{}, args...);
  }

  // Callbacks go through recording trampolines (same arguments, same behaviour).
  template <std::size_t I, class T>
  static T wrap_arg(T v) {
    if constexpr (std::is_pointer_v<T> && std::is_function_v<std::remove_pointer_t<T>>)
      return CallbackPool<T>::wrap(v, Index, std::uint32_t(I));
    else
      return v;
  }

  template <std::uint64_t HandleMask, std::uint64_t ElemMask, std::size_t... I>
  static R run_recorded(std::index_sequence<I...>, A... args) {
    constexpr std::size_t N = sizeof...(A);
    ArgState states[N + 1];
    std::uint64_t seq = g_seq.fetch_add(1, std::memory_order_relaxed) + 1;
    (capture_arg(states[I], args, I < 63 && ((HandleMask >> I) & 1), I < 63 && ((ElemMask >> I) & 1)), ...);
    PointerProbe* probes[N + 1];
    std::size_t n_probes = 0;
    for (std::size_t i = 0; i < N; ++i)
      if (states[i].probed) probes[n_probes++] = &states[i].probe;
    limit_by_neighbours(probes, n_probes);
    for (std::size_t i = 0; i < n_probes; ++i) probe_snapshot(*probes[i]);
    send_begin(seq, states, N);
    std::uint64_t saved_seq = t_current_seq;
    t_current_seq = seq;
    ++t_depth;
    std::uint64_t t0 = now_mono_ns();
    if constexpr (std::is_void_v<R>) {
      call_real(wrap_arg<I>(args)...);
      std::uint64_t t1 = now_mono_ns();
      --t_depth;
      t_current_seq = saved_seq;
      send_end(seq, t1 - t0, kVoid, 0, states, N);
    } else {
      R result = call_real(wrap_arg<I>(args)...);
      std::uint64_t t1 = now_mono_ns();
      --t_depth;
      t_current_seq = saved_seq;
      send_end(seq, t1 - t0, value_class<R>((HandleMask >> 63) & 1), value_bits(result), states, N);
      return result;
    }
  }

  static void send_begin(std::uint64_t seq, const ArgState* states, std::size_t n) {
    unsigned char buf[64 + (N_or_1() * 9)];
    Writer w(buf, sizeof buf);
    w.put(make_header(kBegin, Index, seq));
    w.put<std::uint32_t>(std::uint32_t(n));
    for (std::size_t i = 0; i < n; ++i) {
      w.put<std::uint8_t>(states[i].cls);
      w.put<std::uint64_t>(states[i].bits);
    }
    send_record(buf, w.size());
  }

  static constexpr std::size_t N_or_1() { return sizeof...(A) ? sizeof...(A) : 1; }

  static void send_end(std::uint64_t seq, std::uint64_t duration, std::uint8_t ret_cls, std::uint64_t ret_bits,
                       ArgState* states, std::size_t n) {
    // Per pointer at most ~1.3 KiB of record; sized to fit every argument.
    constexpr std::size_t kPerArg = 64 + kMaxHeadBytes + kMaxWrittenBytes + 2 * kMaxStringBytes + kMaxElements * 20;
    constexpr std::size_t kCap = 64 + N_or_1() * kPerArg;
    auto* buf = static_cast<unsigned char*>(malloc(kCap));
    if (!buf) {
      for (std::size_t i = 0; i < n; ++i) free(states[i].probe.before), states[i].probe.before = nullptr;
      return;
    }
    Writer w(buf, kCap);
    w.put(make_header(kEnd, Index, seq));
    w.put<std::uint64_t>(duration);
    w.put<std::uint8_t>(ret_cls);
    w.put<std::uint64_t>(ret_bits);
    w.put<std::uint32_t>(std::uint32_t(n));
    for (std::size_t i = 0; i < n; ++i) {
      w.put<std::uint8_t>(states[i].cls);
      w.put<std::uint64_t>(states[i].bits);
      w.put<std::uint8_t>(states[i].probed ? 1 : 0);
      if (states[i].probed) encode_probe_after(w, states[i].probe);
    }
    if (!w.overflow()) send_record(buf, w.size());
    free(buf);
  }
};

}  // namespace remora_rt
