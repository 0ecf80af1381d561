// Re-inference (after a trace) keeps human decisions and reports what changed.
#include <catch2/catch.hpp>

#include "spec_merge.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

TEST_CASE("re-inference keeps confirmed and edited annotations", "[studio]") {
  spec::Spec reviewed = test::sample_spec();
  spec::Param& value = reviewed.functions[0].params[2];
  value.ann.size = "value_size * 2";
  value.status = spec::ReviewStatus::Edited;

  spec::Spec fresh = test::sample_spec();
  fresh.functions[0].params[2].ann.size = "value_size + 1";     // new evidence disagrees
  fresh.functions[1].params[0].ann.deallocates = false;         // and changes an inferred one
  fresh.functions[1].params[0].ann.kind = spec::Kind::Handle;

  const QSet<QString> before_merge = changed_annotations(reviewed, fresh);
  spec::keep_human_decisions(reviewed, fresh);
  CHECK(fresh.functions[0].params[2].ann.size == "value_size * 2");
  CHECK(fresh.functions[0].params[2].status == spec::ReviewStatus::Edited);
  CHECK(fresh.functions[1].params[0].ann.deallocates == false);

  const QSet<QString> changed = changed_annotations(reviewed, fresh);
  CHECK(changed == QSet<QString>{"sampleRelease.target"});
  CHECK(before_merge.contains("sampleQuery.value"));
}
