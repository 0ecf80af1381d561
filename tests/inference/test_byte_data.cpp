// Byte data (unsigned char, uint8_t and their typedefs) and lengths glued to the name of
// what they measure (outlen, keylen, proflen): inference/header/src/param_rules.cpp
// (points_to_bytes) and size_companions.cpp (is_glued_size, byte_data). Header:
// tests/data/headers/byte_data.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora;

namespace {

const spec::Spec& byte_spec() {
  const auto& r = test::inferred_header("byte_data.h", "libbd.so.1");
  REQUIRE(r.ok);
  return r.spec;
}

const spec::Function& fn(const char* name) {
  const spec::Function* f = byte_spec().find_function(name);
  REQUIRE(f);
  return *f;
}

const spec::Annotation& ann(const char* function, const char* param) {
  const spec::Param* p = fn(function).find_param(param);
  REQUIRE(p);
  return p->ann;
}

void check_sized(const char* function, const char* param, spec::Direction direction, const char* size) {
  INFO(function << "." << param);
  const spec::Annotation& a = ann(function, param);
  CHECK(a.kind == spec::Kind::Buffer);
  CHECK(a.direction == direction);
  CHECK(a.size == size);
}

}  // namespace

TEST_CASE("byte data: a length glued to its buffer's name sizes it", "[rules][bytes]") {
  check_sized("bd_hash", "out", spec::Direction::Out, "outlen");
  check_sized("bd_hash", "in", spec::Direction::In, "inlen");  // not the key that follows inlen
  check_sized("bd_hash", "key", spec::Direction::In, "keylen");
  check_sized("bd_seal", "m", spec::Direction::In, "mlen");
  check_sized("bd_set_profile", "profile", spec::Direction::In, "proflen");
  CHECK(fn("bd_hash").supported);
}

TEST_CASE("byte data: bytes without a length are refused, never copied as one byte", "[rules][bytes]") {
  for (const char* p : {"c", "n", "k"}) {
    INFO(p);
    CHECK(ann("bd_seal", p).kind == spec::Kind::Buffer);
    CHECK(ann("bd_seal", p).size.empty());
  }
  const spec::Function& seal = fn("bd_seal");
  CHECK_FALSE(seal.supported);
  CHECK(seal.unsupported_reason.find("'c'") != std::string::npos);
}

TEST_CASE("byte data: a byte-sized boolean stays one value; a unit word is no glued length", "[rules][bytes]") {
  CHECK(ann("bd_is_ready", "value").kind == spec::Kind::Element);
  CHECK(fn("bd_is_ready").supported);
  // bytesize: "byte" is its unit, not what it measures.
  CHECK(ann("bd_alloc", "address").kind == spec::Kind::Element);
}

TEST_CASE("byte data: the two-call idiom sizes uint8_t output by the count behind the pointer", "[rules][bytes]") {
  check_sized("bd_get_binary", "pBinary", spec::Direction::Out, "*pSize");
  CHECK(ann("bd_get_binary", "pSize").direction == spec::Direction::InOut);
}

TEST_CASE("byte data: a glued capacity after text, before an output; never a string's length", "[rules][bytes]") {
  check_sized("bd_bin2hex", "hex", spec::Direction::Out, "hex_maxlen");
  check_sized("bd_bin2hex", "bin", spec::Direction::In, "bin_len");
  check_sized("bd_derive", "pass", spec::Direction::In, "passlen");
  check_sized("bd_derive", "out", spec::Direction::Out, "keylen");
  CHECK(ann("bd_read_pw", "prompt").kind == spec::Kind::String);
  CHECK(ann("bd_read_pw", "prompt").size.empty());
}
