// Pitched rectangles: the byte extent of a host pointer from its origin's offset formula,
// the pitches' "if 0" defaults and the extent tuple (inference/docs/src/rect_extent.cpp).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {

spec::Spec rect_spec() {
  spec::Spec s;
  s.types.push_back(handle_type("mem_t"));
  s.functions.push_back(
      function("readRect", "int",
               {param("buffer", "mem_t"), param("buffer_origin", "const size_t *"),
                param("host_origin", "const size_t *"), param("region", "const size_t *"),
                param("buffer_row_pitch", "size_t"), param("host_row_pitch", "size_t"),
                param("host_slice_pitch", "size_t"), param("ptr", "void *")}));
  return s;
}

// The OpenCL reference page's sentences for clEnqueueReadBufferRect, as written there.
const char* kOrigin =
    "  * _host_origin_ defines the (_x_, _y_, _z_) offset in the memory region\n"
    "    pointed to by _ptr_.\n"
    "    For a 2D rectangle region, the _z_ value given by _host_origin_[2] should be\n"
    "    0.\n"
    "    The offset in bytes is computed as _host_origin_[2] {times}\n"
    "    _host_slice_pitch_ + _host_origin_[1] {times} _host_row_pitch_ {plus}\n"
    "    _host_origin_[0].\n";
const char* kRegion =
    "  * _region_ defines the (_width_ in bytes, _height_ in rows, _depth_ in slices)\n"
    "    of the 2D or 3D rectangle being read or written.\n";
const char* kRowPitch =
    "  * _host_row_pitch_ is the length of each row in bytes to be used for the\n"
    "    memory region pointed to by _ptr_.\n"
    "    If _host_row_pitch_ is 0, _host_row_pitch_ is computed as _region_[0].\n";
const char* kSlicePitch =
    "  * _host_slice_pitch_ is the length of each 2D slice in bytes to be used for\n"
    "    the memory region pointed to by _ptr_.\n"
    "    If _host_slice_pitch_ is 0, _host_slice_pitch_ is computed as _region_[1]\n"
    "    {times} _host_row_pitch_.\n";
// The same idiom about a memory object (a handle): no host memory to size.
const char* kBufferSide =
    "  * _buffer_origin_ defines the (_x_, _y_, _z_) offset in the memory region\n"
    "    associated with _buffer_.\n"
    "    The offset in bytes is computed as _buffer_origin_[1] {times} _buffer_row_pitch_ {plus}\n"
    "    _buffer_origin_[0].\n"
    "  * _buffer_row_pitch_ is the length of each row in bytes to be used for the\n"
    "    memory region associated with _buffer_.\n"
    "    If _buffer_row_pitch_ is 0, _buffer_row_pitch_ is computed as _region_[0].\n";

const spec::Evidence* size_claim(const spec::Spec& s, const char* p) {
  return find_docs_evidence(param_of(s, "readRect", p).evidence,
                            [](const auto& says) { return says.size.has_value(); });
}

}  // namespace

TEST_CASE("origin, pitches and region size the host pointer of a rectangle transfer") {
  auto s = rect_spec();
  mine(s, "r.adoc",
       refpage("readRect", "Read a rectangle",
               std::string(kBufferSide) + kOrigin + kRegion + kRowPitch + kSlicePitch +
                   "  * _ptr_ is the pointer to buffer in host memory where data is to be read "
                   "into.\n"));
  const spec::Evidence* e = size_claim(s, "ptr");
  REQUIRE(e);
  const std::string row = "(host_row_pitch == 0 ? region[0] : host_row_pitch)";
  CHECK(*e->says.size ==
        "(host_origin[2] + region[2] - 1) * (host_slice_pitch == 0 ? region[1] * " + row +
            " : host_slice_pitch) + (host_origin[1] + region[1] - 1) * " + row +
            " + host_origin[0] + region[0]");
  CHECK(e->says.size_unit == spec::SizeUnit::Bytes);
  CHECK(e->says.kind == spec::Kind::Buffer);
  CHECK(e->why.find("offset in bytes is computed as") != std::string::npos);
  // Only the block is written: the bytes around it go to the server and come back unchanged.
  CHECK(e->says.direction == spec::Direction::InOut);
  // The memory object's side names a handle: nothing is sized from it.
  CHECK_FALSE(size_claim(s, "buffer"));
}

TEST_CASE("a rectangle whose pitch does not say what 0 means sizes nothing") {
  auto s = rect_spec();
  mine(s, "r.adoc",
       refpage("readRect", "Read a rectangle",
               std::string(kOrigin) + kRegion + kRowPitch +
                   "  * _host_slice_pitch_ is the length of each 2D slice in bytes to be used for\n"
                   "    the memory region pointed to by _ptr_.\n"));
  CHECK_FALSE(size_claim(s, "ptr"));
}

TEST_CASE("a pitch that describes another pointer's memory sizes nothing") {
  auto s = rect_spec();
  s.functions[0].params.push_back(param("other", "void *"));
  std::string row = kRowPitch;
  row.replace(row.find("_ptr_"), 5, "_other_");
  mine(s, "r.adoc",
       refpage("readRect", "Read a rectangle", std::string(kOrigin) + kRegion + row + kSlicePitch));
  CHECK_FALSE(size_claim(s, "ptr"));
  CHECK_FALSE(size_claim(s, "other"));
}

TEST_CASE("a const rectangle pointer is sized but keeps its direction") {
  auto s = rect_spec();
  s.functions[0].params.back().type = "const void *";
  mine(s, "r.adoc",
       refpage("readRect", "Write a rectangle",
               std::string(kOrigin) + kRegion + kRowPitch + kSlicePitch));
  const spec::Evidence* e = size_claim(s, "ptr");
  REQUIRE(e);
  CHECK_FALSE(e->says.direction.has_value());
}
