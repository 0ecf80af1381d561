// Remora runtime, `shm:` only: the program's own buffers shared with the server, so that
// a large transfer is one copy (the library's, straight out of or into the program's
// buffer) instead of two (the library's into the shared data region, then the guest's
// between that region and the program's buffer).
//
// The server offers a second memfd at connect (the shared pages: sparse, memory only where
// a page is used) and maps it whole. The guest *adopts* a large buffer that requests keep
// using: it copies the whole pages inside the buffer (its interior) into that file and
// maps the file over them, at the same addresses (MAP_FIXED). From then on those pages of
// the program's buffer and the server's view of that part of the file are the same memory.
// Each adoption takes [page][interior][page] of the file: the two pages around the interior
// are the server's alone. A transfer's bytes outside the interior (the buffer's partial
// first and last pages, which the program shares with other data) travel with the record
// and land there, so the server sees the transfer contiguously (a *window*).
//
// A buffer is adopted when the 16th request uses the same range (REMORA_SHM_SHARE_AFTER):
// adopting costs fresh pages, which only a buffer the program keeps using pays back.
//
// What the program sees: its memory keeps its contents and addresses. The adopted pages are
// shared with the server: a fork() makes them private again in the child (atfork). An
// adoption is checked before every use (its exact mapping still there, by
// /proc/self/map_files); one the program unmapped, moved or reprotected is dropped and that
// address range is never adopted again (a program that frees and reallocates its buffers
// would pay the adoption's copy each time). Only private anonymous read-write memory is
// adopted (malloc'd buffers, the heap), never files, stacks or read-only memory.
//
// REMORA_SHM_SHARE_PAGES=0 (guest) turns adoption off; REMORA_SHM_SHARE_FROM (guest,
// default 1 MiB) is the smallest transfer adopted, REMORA_SHM_SHARE_AFTER (guest, 16) the
// requests before it is; REMORA_SHM_SHARED_BYTES (server,
// default 4 GiB, 0: none) sizes the file, which bounds the adopted bytes of one guest.
#pragma once

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "remora_env.h"
#include "remora_mappings.h"

namespace remora::shared_pages {

inline constexpr std::uint64_t kPage = 4096;
// In the ring, a reference record's block-offset word says what it is (remora_shm_transport.cpp).
inline constexpr std::uint64_t kWindowMark = ~std::uint64_t{0};   // a window: + edges word, + edge bytes
inline constexpr std::uint64_t kAdoptMark = ~std::uint64_t{1};    // guest -> server: + guest address word
inline constexpr std::uint64_t kReleaseMark = ~std::uint64_t{2};  // guest -> server
inline constexpr std::uint64_t kDefaultFileBytes = std::uint64_t{4} << 30;
inline constexpr std::uint64_t kMaxFileBytes = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kDefaultShareFrom = std::uint64_t{1} << 20;
// Requests that use a range before it is adopted. Adopting costs the buffer's size in fresh
// shared pages, written once (with their first touch: on the 2-core VM here about 2 ms per
// MiB, against 0.1-0.15 ms per MiB for the copy each shared transfer then saves), so only
// a buffer a program keeps using pays it back: bus-speed sweeps of 3 passes per size ran
// 1.5x slower when ranges were adopted at their second use.
inline constexpr std::uint64_t kDefaultShareAfter = 16;

// An adopted interior: [addr, addr + bytes) in the guest is [file_off + kPage, ... + bytes)
// of the file. Both sides keep the same table (the server learns it from adopt records).
struct Adoption {
  std::uint64_t addr;      // page aligned
  std::uint64_t bytes;     // whole pages, > 0
  std::uint64_t file_off;  // of the page before the interior
};

// A transfer [p, p + bytes) (guest addresses) that lies on an adoption: [off, off + bytes)
// of the file in the server's view; head / tail of its bytes lie outside the interior.
struct Window {
  std::uint64_t off = 0;
  std::uint64_t bytes = 0;
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
};

// Whether [p, p + n) lies on adoption a: part of it in the interior, at most a partial page
// on either side (the file's pages around the interior hold those bytes).
inline bool window_over(const Adoption& a, std::uint64_t p, std::uint64_t n, Window& w) {
  const std::uint64_t lo = a.addr, hi = a.addr + a.bytes;
  if (n == 0 || p >= hi || p + n <= lo) return false;
  const std::uint64_t head = p < lo ? lo - p : 0, tail = p + n > hi ? p + n - hi : 0;
  if (head >= kPage || tail >= kPage) return false;
  w.off = a.file_off + kPage + p - lo;  // (unsigned wrap: p - lo may be "negative", head < kPage)
  w.bytes = n;
  w.head = head;
  w.tail = tail;
  return true;
}

// Page table entries for memory about to be written, in one system call instead of one
// fault per 4 KiB page (several microseconds each on a VM). Best effort.
inline void populate(void* p, std::uint64_t bytes) {
#ifdef MADV_POPULATE_WRITE
  ::madvise(p, static_cast<std::size_t>(bytes), MADV_POPULATE_WRITE);
#else
  (void)p, (void)bytes;
#endif
}

// The server's side: the file mapped whole, the guest's adoptions as it announced them.
class ServerPages {
 public:
  ServerPages(unsigned char* base, std::uint64_t bytes) : base_(base), bytes_(bytes) {}
  ServerPages(const ServerPages&) = delete;
  ServerPages& operator=(const ServerPages&) = delete;
  // The mapping stays: the library may still read an input of a non-blocking call there,
  // and a worker's stream goes only when its process exits.
  ~ServerPages() = default;

  // False: a malformed announcement (the stream is then broken: a hostile guest cannot
  // make us read or write outside the file).
  bool adopt(const Adoption& a) {
    if (a.addr % kPage || a.bytes == 0 || a.bytes % kPage || a.file_off % kPage || a.file_off > bytes_ ||
        a.bytes > bytes_ - a.file_off || bytes_ - a.file_off - a.bytes < 2 * kPage || a.addr + a.bytes < a.addr)
      return false;
    populate(base_ + a.file_off, a.bytes + 2 * kPage);  // the library writes the pages next
    std::lock_guard<std::mutex> lk(mutex_);
    // The guest's table is the truth: an adoption over the same addresses replaces ours.
    std::erase_if(table_, [&](const Adoption& o) { return o.addr < a.addr + a.bytes && a.addr < o.addr + o.bytes; });
    table_.push_back(a);
    return true;
  }
  void release(std::uint64_t file_off) {
    std::lock_guard<std::mutex> lk(mutex_);
    std::erase_if(table_, [&](const Adoption& o) { return o.file_off == file_off; });
  }

  // The guest's [addr, addr + n) as memory of ours, when it lies on an adoption: what the
  // library writes there is in the program's buffer already (the edges travel back).
  unsigned char* window_for(std::uint64_t addr, std::uint64_t n) {
    std::lock_guard<std::mutex> lk(mutex_);
    Window w;
    for (const Adoption& a : table_)
      if (window_over(a, addr, n, w)) return base_ + w.off;
    return nullptr;
  }

  // A piece of a reply in our mapping (a window_for buffer): the window it is.
  bool window_of(const void* p, std::uint64_t n, Window& w) {
    const auto* c = static_cast<const unsigned char*>(p);
    if (c < base_ || c >= base_ + bytes_) return false;
    const std::uint64_t off = static_cast<std::uint64_t>(c - base_);
    std::lock_guard<std::mutex> lk(mutex_);
    // (An offset before the adoption's pages maps to an address window_over refuses.)
    for (const Adoption& a : table_)
      if (window_over(a, a.addr + off - (a.file_off + kPage), n, w)) return true;
    return false;
  }

  // Where a received window lies in our mapping; null when it does not fit the file.
  unsigned char* at(const Window& w) const {
    if (w.off > bytes_ || w.bytes > bytes_ - w.off || w.head + w.tail > w.bytes) return nullptr;
    return base_ + w.off;
  }

 private:
  unsigned char* base_;
  std::uint64_t bytes_;
  std::mutex mutex_;
  std::vector<Adoption> table_;
};

using mappings::Mapping;
using mappings::read_all;

// The guest's side: adopts, checks and drops adoptions, and says which transfers are windows.
class GuestPages {
 public:
  GuestPages(int fd, std::uint64_t file_bytes) : fd_(fd), file_bytes_(file_bytes) {
    share_from_ = env_number("REMORA_SHM_SHARE_FROM", kDefaultShareFrom, {kPage, kMaxFileBytes, EnvUnit::Bytes});
    share_after_ = static_cast<unsigned>(env_number("REMORA_SHM_SHARE_AFTER", kDefaultShareAfter, {1, 1u << 20}));
    enabled_ = env_number("REMORA_SHM_SHARE_PAGES", 1, {0, 1}) != 0 && file_bytes_ >= 4 * kPage;
    struct stat st{};
    if (::fstat(fd_, &st) == 0) inode_ = static_cast<std::uint64_t>(st.st_ino);
    char link[256];
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    const ssize_t k = ::readlink(self.c_str(), link, sizeof link);
    if (k > 0) link_.assign(link, static_cast<std::size_t>(k));
    else enabled_ = false;  // no way to check an adoption: adopt nothing
    free_.push_back({0, file_bytes_});
    registry().add(this);
  }
  GuestPages(const GuestPages&) = delete;
  GuestPages& operator=(const GuestPages&) = delete;
  // Adoptions stay: they are the program's memory, and the file lives on in their
  // mappings (a fork still makes them private: the registry keeps them).
  ~GuestPages() {
    registry().remove(this);
    ::close(fd_);
  }

  std::uint64_t share_from() const { return share_from_; }

  // Before [p, p + n) is sent (an input) or asked for (an output): checks the adoptions it
  // overlaps, drops the stale ones, and adopts it when it is large, seen before and free of
  // any. Announcements for the server queue up (take_records). True: [p, p + n) now lies
  // on one adoption (a window). A range that overlaps adoptions without lying on one of
  // them is not adopted: merging would move pages a non-blocking call may still be using.
  bool prepare(const void* p, std::uint64_t n) {
    if (!enabled_ || n < share_from_) return false;
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const std::uint64_t lo = (at + kPage - 1) / kPage * kPage, hi = (at + n) / kPage * kPage;
    if (hi <= lo) return false;
    std::lock_guard<std::mutex> lk(registry().mutex);
    if (forked_) return false;
    bool overlapped = false, covered = false;
    Window w;
    for (std::size_t i = 0; i < table_.size();) {
      const Adoption a = table_[i];
      if (a.addr >= hi || a.addr + a.bytes <= lo) {
        ++i;
        continue;
      }
      if (!still_mapped(a)) {
        drop_stale(i);
        continue;
      }
      overlapped = true;
      covered = covered || window_over(a, at, n, w);
      ++i;
    }
    if (overlapped || !seen_enough(lo, hi - lo)) return covered;
    return adopt(lo, hi - lo);
  }

  // [p, p + n) as a window, when it lies on an adoption prepare() checked for this transfer.
  bool window(const void* p, std::uint64_t n, Window& w) {
    if (!enabled_ || n < share_from_) return false;
    std::lock_guard<std::mutex> lk(registry().mutex);
    for (const Adoption& a : table_)
      if (window_over(a, reinterpret_cast<std::uintptr_t>(p), n, w)) return true;
    return false;
  }

  // The interior of a received window in our memory (the program's buffer); null when no
  // adoption holds it (the stream is then broken).
  const unsigned char* interior(const Window& w) {
    if (w.head + w.tail >= w.bytes) return nullptr;
    const std::uint64_t from = w.off + w.head, n = w.bytes - w.head - w.tail;
    std::lock_guard<std::mutex> lk(registry().mutex);
    for (const Adoption& a : table_)
      if (from >= a.file_off + kPage && from - (a.file_off + kPage) <= a.bytes &&
          n <= a.bytes - (from - (a.file_off + kPage)))
        return reinterpret_cast<const unsigned char*>(static_cast<std::uintptr_t>(a.addr + from - a.file_off - kPage));
    return nullptr;
  }

  // Announcements for the server, in order: (bytes << 1 | 1, file offset, mark[, address]).
  // Taken as a message goes: what is prepared next belongs to the next request.
  bool take_records(std::vector<std::uint64_t>& out) {
    std::lock_guard<std::mutex> lk(registry().mutex);
    ++request_;
    if (records_.empty()) return false;
    out.swap(records_);
    records_.clear();
    return true;
  }

  // Test hooks: what is adopted now.
  std::size_t adoptions() {
    std::lock_guard<std::mutex> lk(registry().mutex);
    return table_.size();
  }

 private:
  struct Range {
    std::uint64_t off, bytes;
  };
  struct Sighting {
    std::uint64_t addr, bytes;
    unsigned count;        // requests that used it
    std::uint64_t request;  // the last of them
  };

  // Whether the adoption's one mapping is still exactly where we put it. Our file is
  // mapped nowhere else, and adoptions are never adjacent in the file, so a mapping of it
  // with exactly these bounds is this adoption, unmoved and whole.
  bool still_mapped(const Adoption& a) const { return mapped_as(a, link_); }
  static bool mapped_as(const Adoption& a, const std::string& file_link) {
    char path[96], link[256];
    std::snprintf(path, sizeof path, "/proc/self/map_files/%" PRIx64 "-%" PRIx64, a.addr, a.addr + a.bytes);
    const ssize_t k = ::readlink(path, link, sizeof link);
    return k > 0 && file_link.size() == static_cast<std::size_t>(k) &&
           std::memcmp(link, file_link.data(), file_link.size()) == 0;
  }

  // The program unmapped, moved or reprotected (part of) the adoption: forget it, tell the
  // server, and never adopt those addresses again. Its file pages are freed when no
  // mapping of them is left. Pieces still mapped (a realloc() that moved the buffer, an
  // mprotect() of part of it) stay the program's memory until it unmaps them; a fork still
  // makes them private (loose_).
  void drop_stale(std::size_t i) {
    const Adoption a = table_[i];
    table_.erase(table_.begin() + static_cast<std::ptrdiff_t>(i));
    records_.insert(records_.end(), {a.bytes << 1 | 1, a.file_off, kReleaseMark});
    never_again(a.addr, a.bytes);
    const std::uint64_t span = a.bytes + 2 * kPage;
    bool mapped = false;
    for (const Mapping& m : read_all()) {
      if (m.inode != inode_ || m.path.rfind("/memfd:", 0) != 0 || m.offset >= a.file_off + span ||
          a.file_off >= m.offset + (m.end - m.start))
        continue;
      mapped = true;
      // Only pieces of this adoption's interior are the program's memory (a mapping of
      // more of the file is not ours: the server's, where both ends share one process).
      if (m.offset >= a.file_off + kPage && m.offset + (m.end - m.start) <= a.file_off + kPage + a.bytes)
        loose_.push_back({m.start, m.end - m.start, m.offset - kPage});
    }
    if (mapped) return;
    if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(a.file_off),
                    static_cast<off_t>(span)) == 0)
      free_.push_back({a.file_off, span});
  }

  void never_again(std::uint64_t addr, std::uint64_t bytes) {
    if (churned_.size() >= 1024) churned_.erase(churned_.begin());  // bounded: may try again
    churned_.push_back({addr, bytes});
  }

  // A range adopted when the share_after_-th request uses it, unless it went stale before.
  bool seen_enough(std::uint64_t addr, std::uint64_t bytes) {
    for (const Range& r : churned_)
      if (r.off == addr && r.bytes == bytes) return false;
    for (Sighting& s : sightings_)
      if (s.addr == addr && s.bytes == bytes) {
        if (s.request != request_) ++s.count;  // an inout buffer is seen twice in one request
        s.request = request_;
        return s.count >= share_after_;
      }
    if (sightings_.size() >= 64) sightings_.erase(sightings_.begin());
    sightings_.push_back({addr, bytes, 1, request_});
    return share_after_ <= 1;
  }

  // Private anonymous read-write memory only (what malloc returns): a file's pages, a stack
  // or read-only memory keep their own semantics.
  static bool adoptable(std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t next = lo;
    for (const Mapping& m : read_all()) {
      if (m.end <= next || m.start > next) continue;
      if (m.perms != "rw-p" || m.inode != 0 || !(m.path.empty() || m.path == "[heap]")) return false;
      next = m.end;
      if (next >= hi) return true;
    }
    return false;
  }

  bool take_file_range(std::uint64_t bytes, std::uint64_t& off) {
    for (std::size_t i = 0; i < free_.size(); ++i)
      if (free_[i].bytes >= bytes) {
        off = free_[i].off;
        free_[i].off += bytes;
        free_[i].bytes -= bytes;
        if (free_[i].bytes == 0) free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
        return true;
      }
    return false;
  }

  bool adopt(std::uint64_t lo, std::uint64_t bytes) {
    std::uint64_t off = 0;
    // One spare page after each adoption too: no two adoptions are adjacent in the file,
    // so their mappings never merge (still_mapped relies on it).
    const std::uint64_t span = bytes + 3 * kPage;
    if (!adoptable(lo, lo + bytes) || !take_file_range(span, off)) {
      never_again(lo, bytes);  // (each try reads /proc/self/maps)
      return false;
    }
    auto* addr = reinterpret_cast<unsigned char*>(static_cast<std::uintptr_t>(lo));
    for (std::uint64_t done = 0; done < bytes;) {
      const ssize_t k = ::pwrite(fd_, addr + done, bytes - done, static_cast<off_t>(off + kPage + done));
      if (k <= 0) {
        if (k < 0 && errno == EINTR) continue;
        ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(off), static_cast<off_t>(span));
        free_.push_back({off, span});
        return false;
      }
      done += static_cast<std::uint64_t>(k);
    }
    void* m = ::mmap(addr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_, static_cast<off_t>(off + kPage));
    if (m != addr) {
      // MAP_FIXED may have unmapped the old pages before it failed: put the bytes back.
      void* back = ::mmap(addr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (back == addr) (void)!::pread(fd_, addr, bytes, static_cast<off_t>(off + kPage));
      never_again(lo, bytes);
      return false;
    }
    populate(addr, bytes);
    table_.push_back({lo, bytes, off});
    records_.insert(records_.end(), {bytes << 1 | 1, off, kAdoptMark, lo});
    return true;
  }

  // A forked child: its adopted pages become private copies (the parent's stay shared with
  // the parent's server), and this connection's table is of no use there.
  void make_private_in_child() {
    forked_ = true;
    make_private(table_, link_);
    make_private(loose_, link_);
    table_.clear();
    records_.clear();
  }
  // Each adoption's pages replaced by a private copy of their bytes, at the same address;
  // those the program has unmapped since (not noticed yet) are left alone.
  static void make_private(const std::vector<Adoption>& adoptions, const std::string& file_link) {
    for (const Adoption& a : adoptions) {
      if (!mapped_as(a, file_link)) continue;
      auto* addr = reinterpret_cast<unsigned char*>(static_cast<std::uintptr_t>(a.addr));
      void* copy = ::mmap(nullptr, a.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (copy == MAP_FAILED) continue;
      std::memcpy(copy, addr, a.bytes);
      if (::mremap(copy, a.bytes, a.bytes, MREMAP_MAYMOVE | MREMAP_FIXED, addr) == MAP_FAILED) ::munmap(copy, a.bytes);
    }
  }

  struct Registry {
    std::mutex mutex;
    std::vector<GuestPages*> all;
    void add(GuestPages* g) {
      std::lock_guard<std::mutex> lk(mutex);
      static const bool hooked = [] {
        pthread_atfork([] { registry().mutex.lock(); }, [] { registry().mutex.unlock(); },
                       [] {
                         Registry& r = registry();
                         for (GuestPages* g : r.all) g->make_private_in_child();
                         for (const Orphans& o : r.orphans) make_private(o.table, o.link);
                         r.orphans.clear();
                         r.mutex.unlock();
                       });
        return true;
      }();
      (void)hooked;
      all.push_back(g);
    }
    void remove(GuestPages* g) {
      std::lock_guard<std::mutex> lk(mutex);
      std::erase(all, g);
      if (g->forked_) return;
      std::vector<Adoption> left = g->table_;
      left.insert(left.end(), g->loose_.begin(), g->loose_.end());
      if (!left.empty()) orphans.push_back({std::move(left), g->link_});
    }
    struct Orphans {
      std::vector<Adoption> table;
      std::string link;
    };
    std::vector<Orphans> orphans;  // of connections gone (a reconnect): still shared pages
  };
  // One lock for every connection's tables, held across fork() (atfork above).
  static Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: exit handlers may still send
    return *r;
  }

  int fd_;
  std::uint64_t file_bytes_;
  std::uint64_t share_from_ = kDefaultShareFrom;
  unsigned share_after_ = kDefaultShareAfter;
  bool enabled_ = false;
  bool forked_ = false;
  std::uint64_t inode_ = 0;
  std::string link_;  // what /proc/self/map_files shows for a mapping of our file
  std::vector<Adoption> table_;
  std::vector<Adoption> loose_;  // pieces of dropped adoptions the program still maps
  std::vector<Range> free_;     // of the file
  std::vector<Range> churned_;  // guest ranges never to adopt again (off = address)
  std::vector<Sighting> sightings_;
  std::uint64_t request_ = 0;  // messages sent (see seen_twice)
  std::vector<std::uint64_t> records_;
};

}  // namespace remora::shared_pages
