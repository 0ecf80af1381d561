// What every command promises a script: results go to stdout and progress and
// diagnostics to stderr, and progress names what it works on.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_run.h"

namespace fs = std::filesystem;
using cli_test::run_in;

TEST_CASE("infer: progress names its inputs on stderr, the summary goes to stdout") {
  fs::path dir = fs::temp_directory_path() / ("remora-cli-streams-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string header = std::string(REMORA_SOURCE_DIR) + "/tests/data/headers/rules_demo.h";
  std::string spec = (dir / "demo.json").string();
  auto out = run_in("", "infer " + header + " --library libdemo.so.1 -o " + spec, "2>/dev/null");
  auto err =
      run_in("", "infer " + header + " --library libdemo.so.1 -o " + spec, "2>&1 >/dev/null");
  INFO("stdout:\n" << out.out << "\nstderr:\n" << err.out);
  CHECK(out.code == 0);
  CHECK(err.out.find("[1/5] parsing header: " + header) != std::string::npos);
  CHECK(err.out.find("[3/5] documentation: none given") != std::string::npos);
  CHECK(out.out.find("parsing header") == std::string::npos);
  CHECK(out.out.find("rules_demo: 20 functions (1 unsupported)") != std::string::npos);
  CHECK(out.out.find("wrote " + spec) != std::string::npos);
  CHECK(err.out.find("wrote ") == std::string::npos);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("infer: a name the generated C++ cannot use is a warning at infer, an error at generate") {
  fs::path dir = fs::temp_directory_path() / ("remora-cli-keyword-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path header = dir / "kw.h";
  {
    FILE* f = std::fopen(header.c_str(), "w");
    REQUIRE(f);
    std::fputs("typedef struct kw_ctx kw_ctx;\nint kw_sum(kw_ctx *ctx, const int *new, unsigned long count);\n", f);
    std::fclose(f);
  }
  const std::string spec = (dir / "kw.json").string();
  auto infer = run_in("", "infer " + header.string() + " --library libkw.so.1 -o " + spec, "2>&1 >/dev/null");
  INFO(infer.out);
  CHECK(infer.code == 0);  // the spec is written: the header is valid C
  CHECK(infer.out.find("kw_sum.new: parameter name \"new\" is a C++ keyword") != std::string::npos);
  CHECK(infer.out.find("rename it in a copy of the header") != std::string::npos);
  auto gen = run_in("", "generate --spec " + spec + " -o " + (dir / "stack").string());
  INFO(gen.out);
  CHECK(gen.code != 0);
  CHECK(gen.out.find("is a C++ keyword") != std::string::npos);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
