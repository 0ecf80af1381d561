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
inline bool cursor_moved(T* now, const void* base, std::uint64_t bytes, std::uint64_t esize, std::uint64_t& elements) {
  auto n = reinterpret_cast<std::uintptr_t>(now), b = reinterpret_cast<std::uintptr_t>(base);
  if (n < b || n - b > bytes || (n - b) % esize) return false;
  elements = (n - b) / esize;
  return true;
}

}  // namespace remora
