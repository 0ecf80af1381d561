// Shared helpers for the inference tests.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "remora/inference/pipeline.h"

namespace remora::test {

inline std::string headers_dir() { return std::string(REMORA_SOURCE_DIR) + "/tests/data/headers/"; }

inline const char* kOpenclHeader = "/usr/include/CL/cl.h";
inline const char* kCudaRuntimeHeader = "/usr/local/cuda/include/cuda_runtime_api.h";

// The OpenCL spec is inferred once per test binary (it takes ~50 ms).
inline const inference::InferResult& opencl_result() {
  static const inference::InferResult result = [] {
    inference::InferOptions o;
    o.header = kOpenclHeader;
    o.defines = {"CL_TARGET_OPENCL_VERSION=300"};
    o.library = "libOpenCL.so.1";
    return inference::infer_spec(o);
  }();
  return result;
}

// A header of tests/data/headers inferred once per test binary (by its path there).
inline const inference::InferResult& inferred_header(const std::string& file, const std::string& library) {
  static std::map<std::string, inference::InferResult> inferred;  // map: references stay valid
  auto it = inferred.find(file);
  if (it == inferred.end()) {
    inference::InferOptions o;
    o.header = headers_dir() + file;
    o.library = library;
    it = inferred.emplace(file, inference::infer_spec(o)).first;
  }
  return it->second;
}

inline const inference::InferResult& demo_result() {
  static const inference::InferResult result = [] {
    inference::InferOptions o;
    o.header = headers_dir() + "rules_demo.h";
    o.library = "libdemo.so.1";
    return inference::infer_spec(o);
  }();
  return result;
}

}  // namespace remora::test
