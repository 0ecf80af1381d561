// A C++ header with a C API inside extern "C" (parsed as C++ after C fails).
#pragma once
#include <cstddef>

namespace detail {
template <typename T> struct holder { T value; };
}

typedef struct cxx_stream_st *cxx_stream_t;

extern "C" {
int cxxStreamCreate(cxx_stream_t *stream);
int cxxStreamDestroy(cxx_stream_t stream);
int cxxCopy(void *dst, const void *src, std::size_t count);
}

inline int cxx_helper(int x) { return x + 1; }
