// Remora runtime, guest side: answers of `cacheable` calls (results the spec says cannot
// change for the same arguments: a device's properties). The key is the function and its
// request fields exactly as they would travel (values, handles, presence flags and output
// capacities; the generated code sends no addresses for these calls), the value the
// reply's fields from the return value on, which the generated code decodes as if they
// had just arrived.
//
// An entry names the handles among its arguments: releasing one of them forgets the
// entry, because a released object's address may come back as a different object.
// Bounded (kMaxEntries, kMaxBytes): when full, new answers are simply not kept.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <vector>

namespace remora::guest {

class ResultCache {
 public:
  static constexpr std::size_t kMaxEntries = 16384;
  static constexpr std::size_t kMaxBytes = std::size_t{8} << 20;

  const std::vector<unsigned char>* find(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  void put(std::string key, const unsigned char* reply, std::size_t n, std::initializer_list<std::uint64_t> handles) {
    put(std::move(key), reply, n, std::vector<std::uint64_t>(handles));
  }
  void put(std::string key, const unsigned char* reply, std::size_t n, const std::vector<std::uint64_t>& handles) {
    if (entries_.size() >= kMaxEntries || bytes_ + key.size() + n > kMaxBytes) return;
    auto [it, fresh] = entries_.try_emplace(key, reply, reply + n);
    if (!fresh) return;
    bytes_ += key.size() + n;
    for (std::uint64_t h : handles)
      if (h) by_handle_[h].push_back(key);
  }
  // A handle was released: answers about it may not hold for a new object at its address.
  void forget_handle(std::uint64_t h) {
    if (by_handle_.empty()) return;
    auto it = by_handle_.find(h);
    if (it == by_handle_.end()) return;
    for (const auto& key : it->second) {
      auto e = entries_.find(key);
      if (e == entries_.end()) continue;
      bytes_ -= e->first.size() + e->second.size();
      entries_.erase(e);
    }
    by_handle_.erase(it);
  }
  void clear() {
    entries_.clear();
    by_handle_.clear();
    bytes_ = 0;
  }

 private:
  std::unordered_map<std::string, std::vector<unsigned char>> entries_;
  std::unordered_map<std::uint64_t, std::vector<std::string>> by_handle_;
  std::size_t bytes_ = 0;
};

}  // namespace remora::guest
