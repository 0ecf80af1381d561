// Doc comments that follow their declaration (zlib.h style, `/**<`) belong to
// that declaration, not to the next one.
#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/inference/header_parser.h"
#include "test_support.h"

using namespace remora::inference;

namespace {

const ParsedFunction* find(const ParsedHeader& h, const std::string& name) {
  for (const auto& f : h.functions)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("comments after each prototype belong to that prototype", "[header][docs]") {
  HeaderParse p =
      parse_header({remora::test::headers_dir() + "trailing_docs.h", {}, {}, "", {}, {}});
  REQUIRE(p.ok);
  const ParsedHeader& h = p.header;
  REQUIRE(find(h, "tdVersion"));
  CHECK(find(h, "tdVersion")->doc.brief == "Version of the library: compare it with TD_VERSION.");
  REQUIRE(find(h, "tdCompress"));
  CHECK(find(h, "tdCompress")->doc.brief ==
        "Compresses the source buffer into the destination buffer.");
  CHECK(find(h, "tdCompress")->doc.line == 9);
  CHECK(find(h, "tdUncompress")->doc.brief ==
        "Decompresses the source buffer into the destination buffer.");
  // One comment after two adjacent prototypes documents both.
  CHECK(find(h, "tdCloseRead")->doc.brief ==
        "Same as tdClose, for a handle opened for reading or for writing.");
  CHECK(find(h, "tdCloseWrite")->doc.brief == find(h, "tdCloseRead")->doc.brief);
  CHECK(find(h, "tdTwice")->doc.brief == "Returns x doubled.");
  CHECK(find(h, "tdUndocumented")->doc.empty());
}

TEST_CASE("zlib.h: each function gets the comment that follows its prototype",
          "[header][docs][zlib]") {
  if (!std::filesystem::exists("/usr/include/zlib.h")) {
    WARN("skipped: /usr/include/zlib.h is absent (zlib1g-dev)");
    return;
  }
  HeaderParse p = parse_header({"/usr/include/zlib.h", {}, {}, "", {}, {}});
  REQUIRE(p.ok);
  const ParsedFunction* compress = find(p.header, "compress");
  const ParsedFunction* compress2 = find(p.header, "compress2");
  const ParsedFunction* uncompress = find(p.header, "uncompress");
  const ParsedFunction* version = find(p.header, "zlibVersion");
  REQUIRE(compress);
  REQUIRE(compress2);
  REQUIRE(uncompress);
  REQUIRE(version);
  CHECK(compress->doc.body.find("Compresses the source buffer into the destination buffer") !=
        std::string::npos);
  CHECK(compress->doc.body.find("compress() is equivalent to compress2()") != std::string::npos);
  CHECK(compress2->doc.body.find("compress2 returns Z_OK") != std::string::npos);
  CHECK(uncompress->doc.body.find("Decompresses the source buffer into the destination buffer") !=
        std::string::npos);
  CHECK(uncompress->doc.body.find("Compresses the source") == std::string::npos);
  CHECK(version->doc.body.find("compare zlibVersion and ZLIB_VERSION") != std::string::npos);
}

TEST_CASE("prose comments after a prototype are read by the docs phrase extractors",
          "[header][docs]") {
  InferOptions o;
  o.header = remora::test::headers_dir() + "trailing_docs.h";
  o.library = "libtd.so.1";
  InferResult r = infer_spec(o);
  REQUIRE(r.ok);
  const auto* fill = r.spec.find_function("tdFill");
  REQUIRE(fill);
  const auto* buffer = fill->find_param("outBuffer");
  REQUIRE(buffer);
  const remora::spec::Evidence* sized = nullptr;
  for (const auto& e : buffer->evidence)
    if (e.source == remora::spec::EvidenceSource::Docs && e.says.size == std::string("bufferSize"))
      sized = &e;
  REQUIRE(sized);
  CHECK(sized->location == "trailing_docs.h:36");
  CHECK(buffer->ann.size == "bufferSize");
}

TEST_CASE("ordinary comments right after a parameter are its docs; one after ');' is not", "[header][docs]") {
  HeaderParse p = parse_header({remora::test::headers_dir() + "plain_param_comments.h", {}, {}, "", {}, {}});
  REQUIRE(p.ok);
  const ParsedFunction* open = find(p.header, "pcOpen");
  REQUIRE(open);
  REQUIRE(open->params.size() == 3);
  for (const auto& param : open->params) REQUIRE(param.trailing_doc);
  CHECK(open->params[0].trailing_doc->text == "Database filename (UTF-8)");
  CHECK(open->params[1].trailing_doc->direction == "out");  // the "OUT:" label
  CHECK(open->params[1].trailing_doc->text == "database handle");
  CHECK(open->params[2].trailing_doc->text == "Name of VFS module to use, or NULL");
  const ParsedFunction* close = find(p.header, "pcClose");
  REQUIRE(close);
  CHECK_FALSE(close->params[0].trailing_doc);
  // A comment between parameters on one line belongs to the one before it.
  const ParsedFunction* limit = find(p.header, "pcLimit");
  REQUIRE(limit);
  CHECK(limit->params[1].trailing_doc);
  CHECK_FALSE(limit->params[0].trailing_doc);
  CHECK_FALSE(limit->params[2].trailing_doc);
}

TEST_CASE("an ordinary parameter comment is evidence: 'or NULL' makes the parameter nullable", "[header][docs]") {
  const auto& r = remora::test::inferred_header("plain_param_comments.h", "libpc.so.1");
  REQUIRE(r.ok);
  const remora::spec::Function* open = r.spec.find_function("pcOpen");
  REQUIRE(open);
  CHECK(open->find_param("zVfs")->ann.nullable);
  CHECK_FALSE(open->find_param("zFilename")->ann.nullable);
  CHECK(open->find_param("ppDb")->ann.direction == remora::spec::Direction::Out);
}
