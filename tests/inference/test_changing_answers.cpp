// Answers that may change between calls with the same arguments, read from an info
// query's selector table (inference/docs/src/changing_answers.cpp), and how fusion
// narrows a `cacheable` verdict with them (inference/fusion/src/cacheable_narrowing.cpp).
// Data: tests/data/headers/changing_answers/.
#include <catch2/catch.hpp>

#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "remora/spec/size_expr.h"
#include "test_support.h"

using namespace remora;

namespace {

spec::Spec workq_spec() {
  inference::InferOptions o;
  o.header = test::headers_dir() + "changing_answers/workq.h";
  o.docs = {test::headers_dir() + "changing_answers/workq.adoc"};
  o.library = "libworkq.so.1";
  o.find_library = false;
  auto r = inference::infer_spec(o);
  REQUIRE(r.ok);
  return r.spec;
}

std::string changes_if(const spec::Function& f) {
  for (const auto& e : f.evidence)
    if (e.says.changes_if) return *e.says.changes_if;
  return "";
}

// What a trace whose repeated calls agreed (or differed for one value) claims.
void add_trace_claim(spec::Function& f, const std::string& says) {
  spec::Evidence e;
  e.source = spec::EvidenceSource::Trace;
  e.says.cacheable = says;
  e.weight = 0.6;
  e.why = "repeated calls";
  f.evidence.push_back(e);
}

const std::string kChanging =
    "param_name != WQ_INFO_REFERENCE_COUNT && param_name != WQ_INFO_PENDING && param_name != WQ_INFO_PRIORITY && "
    "param_name != WQ_INFO_LABEL";

}  // namespace

TEST_CASE("changing answers: a count, a current state, a setter's value and 'may change' are named",
          "[docs][cacheable]") {
  spec::Spec s = workq_spec();
  spec::Function* f = s.find_function("wqGetInfo");
  REQUIRE(f);
  // The capacity (fixed at creation) and the creation time ("the current clock ... when
  // it was created": a past moment) are left out, and so is WQ_INFO_WAITERS: documented,
  // but the header does not define it (generated code could not name it).
  CHECK(changes_if(*f) ==
        "param_name == WQ_INFO_REFERENCE_COUNT || param_name == WQ_INFO_PENDING || param_name == WQ_INFO_PRIORITY || "
        "param_name == WQ_INFO_LABEL");
  // Not a claim that anything repeats: with no other evidence the query is not cached.
  CHECK(f->cacheable.empty());
  // Functions that are not selector queries get no such claim.
  CHECK(changes_if(*s.find_function("wqSetPriority")).empty());
}

TEST_CASE("changing answers: fusion takes them out of a trace's cacheable verdict", "[fusion][cacheable]") {
  spec::Spec s = workq_spec();
  spec::Function* f = s.find_function("wqGetInfo");
  REQUIRE(f);
  add_trace_claim(*f, "true");
  inference::refuse_spec(s);
  CHECK(f->cacheable == kChanging);
  // The generated guest evaluates it: it must be a predicate the spec accepts.
  CHECK(static_cast<bool>(spec::parse_predicate(f->cacheable)));

  // A predicate verdict keeps its own condition.
  spec::Spec t = workq_spec();
  spec::Function* g = t.find_function("wqGetInfo");
  add_trace_claim(*g, "param_name != 9");
  inference::refuse_spec(t);
  CHECK(g->cacheable == "(param_name != 9) && " + kChanging);

  // "false" stays false.
  spec::Spec u = workq_spec();
  spec::Function* h = u.find_function("wqGetInfo");
  add_trace_claim(*h, "false");
  inference::refuse_spec(u);
  CHECK(h->cacheable.empty());
}

TEST_CASE("changing answers: the claim survives the spec file, a malformed one is reported", "[spec][cacheable]") {
  spec::Spec s = workq_spec();
  std::string text = spec::spec_to_json_text(s);
  spec::SpecLoad back = spec::spec_from_json_text(text);
  REQUIRE(back.ok());
  CHECK(changes_if(*back.spec.find_function("wqGetInfo")) == changes_if(*s.find_function("wqGetInfo")));

  spec::SpecIssues issues;
  spec::AnnotationPatch p = spec::patch_from_json(spec::Json{{"changes_if", 3}}, "claim", issues);
  CHECK_FALSE(p.changes_if);
  CHECK_FALSE(issues.errors.empty());
}
