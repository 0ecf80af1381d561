// "the NULL stream", said once anywhere in an API's docs, makes every stream passed by
// value nullable (null_handle_types.cpp), except where the call destroys it; a handle
// type the docs never call null is left alone. tests/data/headers/null_stream.h.
#include <catch2/catch.hpp>

#include "remora/inference/pipeline.h"
#include "test_support.h"

namespace {

const remora::spec::Param& param(const std::string& function, const std::string& name) {
  const auto& r = remora::test::inferred_header("null_stream.h", "libns.so.1");
  REQUIRE(r.ok);
  const remora::spec::Function* f = r.spec.find_function(function);
  REQUIRE(f);
  const remora::spec::Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("a handle type the docs call null is nullable wherever it is passed by value", "[docs][nullable]") {
  // Said in nsStreamCreate's description only, true of the other calls' streams.
  CHECK(param("nsStreamSynchronize", "hStream").ann.nullable);
  CHECK(param("nsEventRecord", "hStream").ann.nullable);
  bool quoted = false;
  for (const auto& e : param("nsEventRecord", "hStream").evidence)
    quoted |= e.why.find("the NULL stream") != std::string::npos && !e.location.empty();
  CHECK(quoted);
  // NULL is no stream to destroy; events are never called null.
  CHECK_FALSE(param("nsStreamDestroy", "hStream").ann.nullable);
  CHECK_FALSE(param("nsEventRecord", "hEvent").ann.nullable);
}
