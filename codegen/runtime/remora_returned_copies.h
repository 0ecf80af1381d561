// Remora guest runtime: copies of constant data a call returns (`const void
// *sqlite3_column_blob(stmt, i)`). The library's pointer is the server's, so the program
// gets a copy the stack keeps. How long the library's own memory stays valid is the
// API's business (sqlite: until the next step of the statement); the stack keeps each copy
// until the same function, called with the same arguments, returns other bytes. Then
// that copy is replaced, so memory stays bounded by the distinct argument lists a program
// uses instead of growing with every call. Same bytes: the same copy, so a pointer the
// program holds from an earlier call stays valid where the library's would have.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace remora::guest {

// Bytes past the copy's end that are always zero: data that is also text (UTF-16 from
// sqlite3_column_text16, sized without its terminator) stays terminated in the copy.
inline constexpr std::size_t kReturnedCopyZeros = 8;

// The copy of `size` bytes returned by `function` for the arguments in `key`.
inline const void* returned_copy(const char* function, const std::uint64_t* key,
                                 std::size_t key_words, const unsigned char* bytes,
                                 std::uint64_t size) {
  struct Copy {
    std::unique_ptr<unsigned char[]> data;
    std::uint64_t size = 0;
  };
  static std::mutex mutex;
  static auto* copies = new std::map<std::pair<std::string, std::vector<std::uint64_t>>, Copy>;
  std::lock_guard<std::mutex> lk(mutex);
  Copy& c = (*copies)[{function, std::vector<std::uint64_t>(key, key + key_words)}];
  if (c.data && c.size == size && (size == 0 || std::memcmp(c.data.get(), bytes, size) == 0))
    return c.data.get();
  c.data.reset(new (std::nothrow) unsigned char[size + kReturnedCopyZeros]());
  if (!c.data) return nullptr;
  c.size = size;
  if (size) std::memcpy(c.data.get(), bytes, size);
  return c.data.get();
}

}  // namespace remora::guest
