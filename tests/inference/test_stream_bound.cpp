// Data arrays of a library whose object is bound to a device runtime's stream
// (inference/header/src/stream_bound_arrays.cpp), on a fictional header in the
// style of the CUDA toolkit's libraries: tests/data/headers/stream_lib/randlib.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {

const remora::inference::InferResult& inferred() {
  return remora::test::inferred_header("stream_lib/randlib.h", "librandlib.so.1");
}

const Param& param(const char* function, const char* name) {
  const Function* f = inferred().spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

bool is(const Param& p, Direction d, Kind k) {
  return p.ann.direction == d && p.ann.kind == k;
}

}  // namespace

TEST_CASE("stream-bound library: sized data arrays of calls on the bound object are device memory",
          "[idioms][stream]") {
  REQUIRE(inferred().ok);
  // `outputPtr, size_t num` on a handle that rlSetStream binds: written by a kernel.
  const Param& out = param("rlGenerateUniform", "outputPtr");
  CHECK(is(out, Direction::In, Kind::Opaque));
  CHECK(out.ann.size.empty());
  bool says_why = false;
  for (const auto& e : out.evidence) says_why |= e.why.find("rlSetStream") != std::string::npos;
  CHECK(says_why);
  // Strided vectors too, whatever their element type (a struct of numbers).
  CHECK(is(param("rlAxpy", "x"), Direction::In, Kind::Opaque));
  CHECK(is(param("rlAxpy", "y"), Direction::In, Kind::Opaque));
  CHECK(is(param("rlCscal", "x"), Direction::In, Kind::Opaque));
  // An integer plan bound the same way.
  CHECK(is(param("rlExecute", "data"), Direction::In, Kind::Opaque));
}

TEST_CASE("stream-bound library: what stays host memory", "[idioms][stream]") {
  // A scalar behind the problem's dimension (pointer mode decides its side): not claimed.
  CHECK(param("rlAxpy", "alpha").ann.kind != Kind::Opaque);
  // Array syntax, host-named memory, outputs of a getter, settings of a plan being made.
  CHECK(param("rlGroupedScale", "group_size").ann.kind == Kind::Buffer);
  CHECK(is(param("rlCopyToHost", "hostBuffer"), Direction::Out, Kind::Buffer));
  CHECK(is(param("rlGetVersion", "version"), Direction::Out, Kind::Element));
  CHECK(param("rlMakePlanMany", "dims").ann.kind == Kind::Buffer);
  // A copy that takes no bound object: the other rules decide (x is a host vector).
  CHECK(is(param("rlSetVector", "x"), Direction::In, Kind::Buffer));
  // An object set to something that is not a runtime's stream: host arrays.
  const Param& fill = param("hlFill", "out");
  CHECK(is(fill, Direction::Out, Kind::Buffer));
  CHECK(fill.ann.size == "num");
}

TEST_CASE("stream-bound library: complex numbers through typedef chains and arrays named as device memory",
          "[idioms][stream]") {
  REQUIRE(inferred().ok);
  // rlComplex2 -> rlFloatComplex -> struct rlFloat2 { float x, y; }: numbers a kernel reads.
  CHECK(is(param("rlCaxpy", "x"), Direction::In, Kind::Opaque));
  CHECK(is(param("rlCaxpy", "y"), Direction::In, Kind::Opaque));
  // dA and devInfo say where they live; `d` alone is not a prefix.
  CHECK(is(param("rlFactor", "dA"), Direction::In, Kind::Opaque));
  CHECK(is(param("rlFactor", "devInfo"), Direction::In, Kind::Opaque));
  CHECK(param("rlFactor", "d").ann.kind != Kind::Opaque);
}
