// Remora runtime, server side: persistent copies of stream-state structs.
//
// A stream-state struct (types[].state in the spec: z_stream, lzma_stream) is
// owned by the program, and the library keeps state behind it across calls,
// found through the struct's address. The worker therefore keeps one copy per
// guest struct address (a worker serves one guest), created by the first call
// that passes that address, freed after the call that ends it, and ended at
// disconnect with the spec's end function. The library only ever sees these
// copies, so its own pointers never leave the server.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace remora::server {

class StateTable {
 public:
  StateTable() = default;
  StateTable(const StateTable&) = delete;
  StateTable& operator=(const StateTable&) = delete;
  ~StateTable() {
    for (auto& [key, e] : entries_) std::free(e.copy);
  }

  // The server's copy of the guest's struct of state type `type` at guest address
  // `addr`; a new one is zeroed (library-owned members NULL) and `fresh` is set.
  // Null when the per-guest bound is reached or memory runs out.
  void* get(std::uint32_t type, std::uint64_t addr, std::size_t size, bool& fresh) {
    fresh = false;
    auto it = entries_.find({type, addr});
    if (it != entries_.end()) return it->second.copy;
    if (entries_.size() >= kMaxStates) return nullptr;
    void* copy = std::calloc(1, size ? size : 1);  // malloc alignment suits any C struct
    if (!copy) return nullptr;
    entries_.emplace(std::make_pair(type, addr), Entry{copy, next_order_++});
    fresh = true;
    return copy;
  }

  // The struct was ended by the library (its end function ran): forget the copy.
  void erase(std::uint32_t type, std::uint64_t addr) {
    auto it = entries_.find({type, addr});
    if (it == entries_.end()) return;
    std::free(it->second.copy);
    entries_.erase(it);
  }

  // At disconnect: end(type, copy) for every copy left, newest first, then free them.
  template <class End>
  std::size_t drain(End end) {
    std::vector<std::pair<std::uint64_t, std::pair<std::uint32_t, void*>>> left;
    for (auto& [key, e] : entries_) left.push_back({e.order, {key.first, e.copy}});
    std::sort(left.begin(), left.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (auto& [order, what] : left) end(what.first, what.second);
    for (auto& [key, e] : entries_) std::free(e.copy);
    entries_.clear();
    return left.size();
  }

  std::size_t size() const { return entries_.size(); }

  // A guest cannot make the worker keep unbounded state (each copy also pins the
  // library's own state behind it).
  static constexpr std::size_t kMaxStates = 65536;

 private:
  struct Entry {
    void* copy;
    std::uint64_t order;
  };
  std::map<std::pair<std::uint32_t, std::uint64_t>, Entry> entries_;
  std::uint64_t next_order_ = 1;
};

}  // namespace remora::server

namespace remora {

// A cursor moved by `bytes` (a void * cursor cannot be advanced with +=).
template <class T>
inline T* advanced(T* p, std::uint64_t bytes) {
  return reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(p) + bytes);
}

// How far the library moved a cursor from `base` within a buffer of `bytes`, in
// elements of `esize`; false when it left the buffer (it cannot be mapped back).
template <class T>
inline bool cursor_moved(T* now, const void* base, std::uint64_t bytes, std::uint64_t esize,
                         std::uint64_t& elements) {
  auto n = reinterpret_cast<std::uintptr_t>(now), b = reinterpret_cast<std::uintptr_t>(base);
  if (n < b || n - b > bytes || (n - b) % esize) return false;
  elements = (n - b) / esize;
  return true;
}

// Guest side: the stream states the server holds a copy of (sent at least once and
// not ended). The call that creates the copy is the one that initialises the state
// (deflateInit, lzma_easy_encoder): no library consumes a stream before it set up the
// state behind it, and programs leave the cursors unset until then (CPython's zlib
// sets next_in but not avail_in before deflateInit), so that call sends no cursor.
class KnownStates {
 public:
  static KnownStates& instance() {
    static KnownStates* k = new KnownStates;  // never destroyed: calls may run during exit
    return *k;
  }
  bool known(std::uint32_t type, const void* addr) {
    std::lock_guard<std::mutex> lock(mu_);
    return set_.count({type, reinterpret_cast<std::uintptr_t>(addr)}) != 0;
  }
  void remember(std::uint32_t type, const void* addr) {
    std::lock_guard<std::mutex> lock(mu_);
    set_.insert({type, reinterpret_cast<std::uintptr_t>(addr)});
  }
  void forget(std::uint32_t type, const void* addr) {
    std::lock_guard<std::mutex> lock(mu_);
    set_.erase({type, reinterpret_cast<std::uintptr_t>(addr)});
  }

 private:
  std::mutex mu_;
  std::set<std::pair<std::uint32_t, std::uintptr_t>> set_;
};

// Guest side: a stable copy of a string the library wrote into a stream state (zlib's
// `msg`). The program reads such a member after the call and never frees it (the
// library points it at its own constant text), so each distinct text is kept once, for
// the life of the process. Null when the text is too long or too many distinct texts
// were seen (a bad reply: a library has a handful of messages).
inline const char* interned_string(const unsigned char* s, std::uint64_t n) {
  static std::mutex mu;
  static std::set<std::string, std::less<>> texts;
  static std::size_t bytes = 0;
  constexpr std::size_t kMaxTexts = 4096, kMaxBytes = 1 << 20;
  if (n > kMaxBytes) return nullptr;
  std::string text(reinterpret_cast<const char*>(s), static_cast<std::size_t>(n));
  std::lock_guard<std::mutex> lock(mu);
  auto it = texts.find(text);
  if (it != texts.end()) return it->c_str();
  if (texts.size() >= kMaxTexts || bytes + n > kMaxBytes) return nullptr;
  bytes += n;
  return texts.insert(std::move(text)).first->c_str();
}

}  // namespace remora
