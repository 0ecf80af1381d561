// Input lists of a batched call (const, plural names) that no size names, precedes or
// follows are sized by the call's one count (inference/header/src/size_companions.cpp,
// link_lone_count_to_lists). Header: tests/data/headers/batched_lists.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora;

namespace {

const spec::Function& fn(const char* name) {
  const auto& r = test::inferred_header("batched_lists.h", "libbl.so.1");
  REQUIRE(r.ok);
  const spec::Function* f = r.spec.find_function(name);
  REQUIRE(f);
  return *f;
}

const spec::Annotation& ann(const char* function, const char* param) {
  const spec::Param* p = fn(function).find_param(param);
  REQUIRE(p);
  return p->ann;
}

}  // namespace

TEST_CASE("batched lists: the call's one count sizes its unsized input lists", "[rules][lists]") {
  for (const char* list : {"x_offsets", "alphas", "y_offsets"}) {
    INFO(list);
    const spec::Annotation& a = ann("bl_scale_batched", list);
    CHECK(a.kind == spec::Kind::Buffer);
    CHECK(a.direction == spec::Direction::In);
    CHECK(a.size == "batch_count");
  }
  CHECK(fn("bl_scale_batched").supported);
}

TEST_CASE("batched lists: a list sized by another size, a lone list or an output: the rule abstains",
          "[rules][lists]") {
  CHECK(ann("bl_axpy_batched", "x_offsets").size.empty());
  CHECK_FALSE(fn("bl_axpy_batched").supported);
  CHECK(ann("bl_retry", "weights").size.empty());
  CHECK_FALSE(fn("bl_retry").supported);
  const spec::Annotation& groups = ann("bl_split", "nb_groups");
  CHECK(groups.size != "min_count");
}
