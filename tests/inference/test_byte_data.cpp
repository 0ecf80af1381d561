// Byte data (unsigned char, uint8_t and their typedefs) and lengths glued to the name of
// what they measure (outlen, keylen, proflen): inference/header/src/param_rules.cpp
// (points_to_bytes) and size_companions.cpp (is_glued_size, byte_data). Header:
// tests/data/headers/byte_data.h.
#include <catch2/catch.hpp>

#include "fixture_spec.h"

using namespace remora;

namespace {

const test::FixtureSpec bytes{"byte_data.h", "libbd.so.1"};

}  // namespace

TEST_CASE("byte data: a length glued to its buffer's name sizes it", "[rules][bytes]") {
  bytes.check_sized("bd_hash", "out", spec::Direction::Out, "outlen");
  bytes.check_sized("bd_hash", "in", spec::Direction::In, "inlen");  // not the key that follows inlen
  bytes.check_sized("bd_hash", "key", spec::Direction::In, "keylen");
  bytes.check_sized("bd_seal", "m", spec::Direction::In, "mlen");
  bytes.check_sized("bd_set_profile", "profile", spec::Direction::In, "proflen");
  CHECK(bytes.fn("bd_hash").supported);
}

TEST_CASE("byte data: bytes without a length are refused, never copied as one byte", "[rules][bytes]") {
  for (const char* p : {"c", "n", "k"}) {
    INFO(p);
    CHECK(bytes.ann("bd_seal", p).kind == spec::Kind::Buffer);
    CHECK(bytes.ann("bd_seal", p).size.empty());
  }
  const spec::Function& seal = bytes.fn("bd_seal");
  CHECK_FALSE(seal.supported);
  CHECK(seal.unsupported_reason.find("'c'") != std::string::npos);
}

TEST_CASE("byte data: a byte-sized boolean stays one value; a unit word is no glued length", "[rules][bytes]") {
  CHECK(bytes.ann("bd_is_ready", "value").kind == spec::Kind::Element);
  CHECK(bytes.fn("bd_is_ready").supported);
  // bytesize: "byte" is its unit, not what it measures.
  CHECK(bytes.ann("bd_alloc", "address").kind == spec::Kind::Element);
}

TEST_CASE("byte data: the two-call idiom sizes uint8_t output by the count behind the pointer", "[rules][bytes]") {
  bytes.check_sized("bd_get_binary", "pBinary", spec::Direction::Out, "*pSize");
  CHECK(bytes.ann("bd_get_binary", "pSize").direction == spec::Direction::InOut);
}

TEST_CASE("byte data: a glued capacity after text, before an output; never a string's length", "[rules][bytes]") {
  bytes.check_sized("bd_bin2hex", "hex", spec::Direction::Out, "hex_maxlen");
  bytes.check_sized("bd_bin2hex", "bin", spec::Direction::In, "bin_len");
  bytes.check_sized("bd_derive", "pass", spec::Direction::In, "passlen");
  bytes.check_sized("bd_derive", "out", spec::Direction::Out, "keylen");
  CHECK(bytes.ann("bd_read_pw", "prompt").kind == spec::Kind::String);
  CHECK(bytes.ann("bd_read_pw", "prompt").size.empty());
}
