// Input lists of a batched call (const, plural names) that no size names, precedes or
// follows are sized by the call's one count (inference/header/src/size_companions.cpp,
// link_lone_count_to_lists). Header: tests/data/headers/batched_lists.h.
#include <catch2/catch.hpp>

#include "fixture_spec.h"

using namespace remora;

namespace {

const test::FixtureSpec lists{"batched_lists.h", "libbl.so.1"};

}  // namespace

TEST_CASE("batched lists: the call's one count sizes its unsized input lists", "[rules][lists]") {
  for (const char* list : {"x_offsets", "alphas", "y_offsets"})
    lists.check_sized("bl_scale_batched", list, spec::Direction::In, "batch_count");
  CHECK(lists.fn("bl_scale_batched").supported);
}

TEST_CASE("batched lists: a list sized by another size, a lone list or an output: the rule abstains",
          "[rules][lists]") {
  CHECK(lists.ann("bl_axpy_batched", "x_offsets").size.empty());
  CHECK_FALSE(lists.fn("bl_axpy_batched").supported);
  CHECK(lists.ann("bl_retry", "weights").size.empty());
  CHECK_FALSE(lists.fn("bl_retry").supported);
  const spec::Annotation& groups = lists.ann("bl_split", "nb_groups");
  CHECK(groups.size != "min_count");
}
