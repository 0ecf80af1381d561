#include <catch2/catch.hpp>

#include "remora/inference/docs/format_detect.h"

using namespace remora::inference::docs;

TEST_CASE("format is detected from content first - extension second") {
  CHECK(detect_format("api.txt", "[open,refpage='clFoo',type='protos']\n--\n--\n") == DocFormat::AsciiDoc);
  CHECK(detect_format("x.adoc", "= Title\n") == DocFormat::AsciiDoc);
  CHECK(detect_format("reg", "<?xml version=\"1.0\"?><registry/>") == DocFormat::RegistryXml);
  CHECK(detect_format("page", "<!DOCTYPE html><html><body></body></html>") == DocFormat::Html);
  CHECK(detect_format("README", "# fooBar\n\nText\n") == DocFormat::Markdown);
  CHECK(detect_format("notes.txt", "plain words only\n") == DocFormat::Unknown);
}

TEST_CASE("random bytes are recognized as binary") {
  std::string noise;
  unsigned state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245 + 12345;
    noise += static_cast<char>(state >> 16);
  }
  CHECK(detect_format("api.md", noise) == DocFormat::Binary);
}

TEST_CASE("folder walks pick documentation extensions") {
  CHECK(has_document_extension("a/b/cl.xml"));
  CHECK(has_document_extension("x.ASCIIDOC"));
  CHECK_FALSE(has_document_extension("lib.so"));
  CHECK_FALSE(has_document_extension("dir.d/noext"));
}
