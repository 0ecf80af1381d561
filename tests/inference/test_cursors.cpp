// Cursors: a non-const pointer to one integer named as a position in another parameter's
// data (`uint8_t *out, size_t *out_pos, size_t out_size`) is read and moved by the call,
// never an array the size counts (inference/header/src/size_companions.cpp, is_cursor;
// param_rules.cpp). Header: tests/data/headers/cursors.h.
#include <catch2/catch.hpp>

#include "fixture_spec.h"

using namespace remora;

namespace {

const test::FixtureSpec cursors{"cursors.h", "libcursors.so.1"};

void check_cursor(const char* function, const char* param) {
  INFO(function << "." << param);
  const spec::Annotation& a = cursors.ann(function, param);
  CHECK(a.kind == spec::Kind::Element);
  CHECK(a.direction == spec::Direction::InOut);
  CHECK(a.size.empty());
}

}  // namespace

TEST_CASE("cursors: a position in the data is one value read and moved, not an array the size counts",
          "[rules][cursors]") {
  check_cursor("cur_encode", "out_pos");
  check_cursor("cur_encode", "value_pos");  // a position in the encoding of `value`
  check_cursor("cur_decode", "in_pos");
  check_cursor("cur_decode", "value_pos");
  check_cursor("cur_convert", "in_pos");
  check_cursor("cur_convert", "out_pos");
}

TEST_CASE("cursors: the data before a position keeps its size, and nothing further back takes it",
          "[rules][cursors]") {
  // An output with a position in it goes both ways: what lies before the position stays
  // the program's (an out-only copy would overwrite it with the server's bytes).
  cursors.check_sized("cur_encode", "out", spec::Direction::InOut, "out_size");
  cursors.check_sized("cur_decode", "in", spec::Direction::In, "in_size");
  cursors.check_sized("cur_convert", "in", spec::Direction::In, "in_size");
  cursors.check_sized("cur_convert", "out", spec::Direction::InOut, "out_size");
  // `cur_value *value` before the (in, in_pos, in_size) triple is one value.
  const spec::Annotation& value = cursors.ann("cur_decode", "value");
  CHECK(value.kind == spec::Kind::Element);
  CHECK(value.size.empty());
}

TEST_CASE("cursors: a position naming no parameter, or many positions, is not a cursor", "[rules][cursors]") {
  const spec::Annotation& position = cursors.ann("cur_error_at", "position");
  CHECK(position.direction == spec::Direction::Out);
  CHECK(position.kind == spec::Kind::Element);
  cursors.check_sized("cur_positions", "positions", spec::Direction::Out, "count");
}
