// The text of a stack generated from a hand-made spec, for tests of what the generator
// emits and refuses (the project is written to a temporary folder and removed).
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "remora/codegen/generate.h"
#include "stack_fixture.h"

struct Generated {
  remora::codegen::GenerateReport report;
  std::string guest, server;
  // Why the generator did not remote `fn` ("" when it did).
  std::string reason(const std::string& fn) const {
    for (const auto& u : report.unsupported)
      if (u.rfind(fn + ": ", 0) == 0) return u.substr(fn.size() + 2);
    return std::string();
  }
  bool warned(const std::string& part) const {
    for (const auto& w : report.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  }
};

inline Generated generate(const remora::spec::Spec& s, const std::string& tag) {
  namespace fs = std::filesystem;
  std::string dir =
      (fs::temp_directory_path() / ("remora-gen-" + tag + "-" + std::to_string(getpid()))).string();
  remora::codegen::GenerateOptions opt;
  opt.out_dir = dir;
  Generated g;
  std::string error;
  REQUIRE(remora::codegen::generate_stack(s, opt, g.report, error));
  g.guest = remora::test::read_file(dir + "/guest/guest.cpp");
  g.server = remora::test::read_file(dir + "/server/server.cpp");
  fs::remove_all(dir);
  return g;
}
