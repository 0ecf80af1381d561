// Without --library, inference names the installed library that defines the
// API's functions (read from the libraries' dynamic symbol tables), and says
// when it can only guess.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "remora/elf/dynamic_symbols.h"
#include "remora/inference/pipeline.h"
#include "test_support.h"

using namespace remora;
using remora::spec::Diagnostic;

namespace {

bool said(const inference::InferResult& r, Diagnostic::Severity severity, const std::string& text) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const Diagnostic& d) {
    return d.severity == severity && d.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("the library defining a system header's functions becomes the vendor library", "[library]") {
  // zlib1g-dev is installed by scripts/setup.sh: zlib.h plus libz.so.1.
  if (!std::filesystem::exists("/usr/include/zlib.h")) {
    WARN("skipped: /usr/include/zlib.h is not installed (apt-get install zlib1g-dev)");
    return;
  }
  inference::InferOptions o;
  o.header = "/usr/include/zlib.h";
  inference::InferResult r = inference::infer_spec(o);
  REQUIRE(r.ok);
  // The file name says "zlib"; only the exports say "libz".
  CHECK(r.spec.api.library == "libz.so.1");
  CHECK(said(r, Diagnostic::Severity::Note, "library libz.so.1: it defines"));
  CHECK_FALSE(said(r, Diagnostic::Severity::Warning, "guessed"));
}

TEST_CASE("an API no installed library defines gets a guess said out loud", "[library]") {
  inference::InferOptions o;
  o.header = test::headers_dir() + "rules_demo.h";
  inference::InferResult r = inference::infer_spec(o);
  REQUIRE(r.ok);
  CHECK(r.spec.api.library == "librules_demo.so.1");
  CHECK(said(r, Diagnostic::Severity::Warning, "pass --library SONAME"));
}

TEST_CASE("the ELF reader lists exports, soname and versions of a real library", "[library][elf]") {
  const std::string lib = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";
  if (!std::filesystem::exists(lib)) {
    WARN("skipped: " << lib << " is not installed (apt-get install ocl-icd-libopencl1)");
    return;
  }
  auto image = elf::ElfImage::open(lib);
  REQUIRE(image);
  CHECK(elf::soname(*image) == "libOpenCL.so.1");
  bool create_context = false;
  elf::for_each_defined_symbol(*image, [&](const elf::DynamicSymbol& s) {
    create_context = create_context || (s.name == "clCreateContext" && s.function);
  });
  CHECK(create_context);
  elf::SymbolVersions v = elf::read_symbol_versions(lib);
  CHECK(v.version_of["clCreateContext"] == "OPENCL_1.0");
  // Not ELF, a folder, missing: no image, no crash.
  CHECK_FALSE(elf::ElfImage::open(test::headers_dir() + "rules_demo.h"));
  CHECK_FALSE(elf::ElfImage::open("/usr/lib"));
  CHECK_FALSE(elf::ElfImage::open("/nonexistent/libx.so"));
}

TEST_CASE("a spec over several libraries: each function belongs to the library that exports it",
          "[library]") {
  // libz.so.1 (zlib1g) and libm.so.6 (libc6) are always installed.
  namespace fs = std::filesystem;
  const fs::path header = fs::temp_directory_path() / "remora_two_libraries.h";
  {
    std::FILE* f = std::fopen(header.c_str(), "w");
    REQUIRE(f);
    std::fputs(
        "unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);\n"
        "double cos(double x);\n"
        "int not_exported_anywhere(int x);\n",
        f);
    std::fclose(f);
  }
  inference::InferOptions o;
  o.header = header.string();
  o.library = "libz.so.1";
  o.extra_libraries = {"libm.so.6"};
  inference::InferResult r = inference::infer_spec(o);
  fs::remove(header);
  REQUIRE(r.ok);
  CHECK(r.spec.api.library == "libz.so.1");
  REQUIRE(r.spec.find_function("crc32"));
  CHECK(r.spec.find_function("crc32")->library.empty());  // api.library's
  CHECK(r.spec.find_function("cos")->library == "libm.so.6");
  CHECK(r.spec.library_of(*r.spec.find_function("cos")) == "libm.so.6");
  // What no library exports stays with api.library (the server will say it is missing).
  CHECK(r.spec.find_function("not_exported_anywhere")->library.empty());
  CHECK(r.spec.libraries() == std::vector<std::string>{"libz.so.1", "libm.so.6"});
  // The guest answers to every library's soname and link name.
  for (const char* n : {"libz.so.1", "libz.so", "libm.so.6", "libm.so"})
    CHECK(std::find(r.spec.api.sonames.begin(), r.spec.api.sonames.end(), n) !=
          r.spec.api.sonames.end());
  CHECK(said(r, Diagnostic::Severity::Note, "libm.so.6 1"));
}

TEST_CASE("a --library argument may name a library file: its DT_SONAME is the library", "[library]") {
  const std::string libz = "/usr/lib/x86_64-linux-gnu/libz.so.1";
  if (!std::filesystem::exists("/usr/include/zlib.h") || !std::filesystem::exists(libz)) {
    WARN("skipped: zlib1g-dev is not installed");
    return;
  }
  inference::InferOptions o;
  o.header = "/usr/include/zlib.h";
  o.library =
      std::filesystem::canonical(libz).string();  // libz.so.1.2.13: the file, not the soname
  inference::InferResult r = inference::infer_spec(o);
  REQUIRE(r.ok);
  CHECK(r.spec.api.library == "libz.so.1");
}
