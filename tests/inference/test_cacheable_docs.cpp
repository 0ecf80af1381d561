// `cacheable` from documentation phrases (inference/docs/src/extract_cacheable.cpp),
// on a made-up API and its reference page: tests/data/headers/cacheable/.
#include <catch2/catch.hpp>

#include "remora/spec/review_rule.h"
#include "test_support.h"

using namespace remora;

namespace {

spec::Spec sensor_spec() {
  inference::InferOptions o;
  o.header = test::headers_dir() + "cacheable/sensor.h";
  o.docs = {test::headers_dir() + "cacheable/sensor.md"};
  o.library = "libsensor.so.1";
  o.find_library = false;
  return inference::infer_spec(o).spec;
}

const spec::Function& function(const spec::Spec& s, const char* name) {
  const spec::Function* f = s.find_function(name);
  REQUIRE(f);
  return *f;
}

bool docs_say_cacheable(const spec::Function& f, const char* value) {
  for (const auto& e : f.evidence)
    if (e.source == spec::EvidenceSource::Docs &&
        e.says.cacheable == std::optional<std::string>(value))
      return true;
  return false;
}

}  // namespace

TEST_CASE(
    "cacheable from docs: 'fixed for the lifetime', 'do not change' suggest it; 'may change' "
    "refuses it",
    "[docs][cacheable]") {
  spec::Spec s = sensor_spec();
  const spec::Function& serial = function(s, "snGetSerial");
  CHECK(serial.cacheable == "true");
  CHECK(docs_say_cacheable(serial, "true"));
  // Docs alone only suggest: the call is left for a reviewer.
  CHECK(serial.confidence < spec::kReviewThreshold);
  CHECK(spec::needs_review(serial));
  CHECK(function(s, "snGetRange").cacheable == "true");
  const spec::Function& reading = function(s, "snGetReading");
  CHECK(reading.cacheable.empty());
  CHECK(docs_say_cacheable(reading, "false"));
  // "unless snSetMode is called": a condition only a reviewer can write.
  CHECK(function(s, "snGetMode").cacheable.empty());
  // Not a query (nothing comes back): no claim even with "constant" in its page.
  CHECK_FALSE(docs_say_cacheable(function(s, "snSetMode"), "true"));
  CHECK(function(s, "snOpen").cacheable.empty());
}

TEST_CASE("cacheable from docs: a trace's repeated identical answers confirm the suggestion",
          "[docs][cacheable]") {
  spec::Spec s = sensor_spec();
  spec::Function* serial = s.find_function("snGetSerial");
  REQUIRE(serial);
  double docs_alone = serial->confidence;
  // What repeat_results claims for 5 repeated argument sets.
  spec::Evidence e;
  e.source = spec::EvidenceSource::Trace;
  e.says.cacheable = "true";
  e.weight = 0.5;
  e.why =
      "the same arguments gave the same results in every repeated call (15 calls, 5 argument sets)";
  serial->evidence.push_back(e);
  inference::refuse_spec(s);
  CHECK(serial->cacheable == "true");
  CHECK(serial->confidence > docs_alone);
  CHECK(serial->confidence >= spec::kReviewThreshold);
}
