// Fusion: weighing, conflicts, human decisions.
#include <catch2/catch.hpp>

#include "remora/inference/fusion.h"
#include "remora/inference/pipeline.h"

using namespace remora::spec;
using remora::inference::fuse_param;

namespace {

Evidence claim(EvidenceSource source, Direction d, double weight) {
  Evidence e;
  e.source = source;
  e.says.direction = d;
  e.says.kind = Kind::Buffer;
  e.says.size = "n";
  e.weight = weight;
  e.why = "test";
  return e;
}

}  // namespace

TEST_CASE("agreeing sources raise confidence", "[fusion]") {
  Param p;
  p.name = "buf";
  p.type = "void *";
  p.evidence = {claim(EvidenceSource::Header, Direction::Out, 0.6)};
  fuse_param(p);
  double header_only = p.confidence;
  p.evidence.push_back(claim(EvidenceSource::Docs, Direction::Out, 0.8));
  fuse_param(p);
  CHECK(p.ann.direction == Direction::Out);
  CHECK(p.confidence > header_only);
  CHECK(p.conflicts.empty());
}

TEST_CASE("conflicting sources are recorded and lower confidence", "[fusion]") {
  Param p;
  p.name = "buf";
  p.type = "void *";
  p.evidence = {claim(EvidenceSource::Header, Direction::In, 0.6), claim(EvidenceSource::Docs, Direction::Out, 0.8)};
  fuse_param(p);
  CHECK(p.ann.direction == Direction::Out);
  REQUIRE(p.conflicts.size() == 1);
  CHECK(p.conflicts[0].find("direction") != std::string::npos);
  CHECK(p.confidence < 0.8);
  CHECK(remora::inference::needs_review(p));
}

TEST_CASE("human evidence wins and confirmed params are kept by refuse_spec", "[fusion]") {
  Param p;
  p.name = "buf";
  p.type = "void *";
  p.evidence = {claim(EvidenceSource::Header, Direction::Out, 0.9), claim(EvidenceSource::Human, Direction::InOut, 0.1)};
  fuse_param(p);
  CHECK(p.ann.direction == Direction::InOut);
  CHECK(p.confidence == Approx(1.0));

  Spec spec;
  Function f;
  f.name = "f";
  Param edited;
  edited.name = "x";
  edited.type = "int *";
  edited.status = ReviewStatus::Edited;
  edited.ann.direction = Direction::InOut;
  edited.ann.kind = Kind::Element;
  edited.evidence = {claim(EvidenceSource::Header, Direction::Out, 0.9)};
  f.params.push_back(edited);
  spec.functions.push_back(f);
  remora::inference::refuse_spec(spec);
  CHECK(spec.functions[0].params[0].ann.direction == Direction::InOut);
  CHECK(spec.functions[0].params[0].ann.kind == Kind::Element);
}

TEST_CASE("a pointer nobody can classify makes the function unsupported", "[fusion]") {
  Function f;
  f.name = "g";
  Param p;
  p.name = "mystery";
  p.type = "struct opaque_thing *";
  f.params.push_back(p);
  remora::inference::fuse_function(f);
  CHECK_FALSE(f.supported);
  CHECK(f.unsupported_reason.find("mystery") != std::string::npos);
}

TEST_CASE("an in_order claim becomes the field only on a call that creates a handle", "[fusion]") {
  Evidence docs;
  docs.source = EvidenceSource::Docs;
  docs.says.in_order = "(flags & OUT_OF_ORDER) == 0";
  docs.weight = 0.8;
  Evidence lifecycle;
  lifecycle.source = EvidenceSource::Header;
  lifecycle.says.allocates = true;
  lifecycle.weight = 0.9;
  Param flags;
  flags.name = "flags";
  flags.type = "unsigned long";

  Function create;
  create.name = "createQueue";
  create.ret.type = "queue_t";
  create.ret.ann.kind = Kind::Handle;
  create.params = {flags};
  create.evidence = {lifecycle, docs};
  remora::inference::fuse_function(create);
  CHECK(create.ret.ann.allocates);
  CHECK(create.in_order == "(flags & OUT_OF_ORDER) == 0");

  // The same claim on a call that creates nothing is not acted on (validation would refuse it).
  Function set = create;
  set.name = "setQueueFlags";
  set.ret = ReturnValue{};
  set.ret.type = "int";
  set.evidence = {docs};
  remora::inference::fuse_function(set);
  CHECK(set.in_order.empty());

  // A human's "false" wins over the docs.
  Evidence human = docs;
  human.source = EvidenceSource::Human;
  human.says.in_order = "false";
  human.weight = 1.0;
  Function reviewed = create;
  reviewed.in_order.clear();
  reviewed.evidence = {lifecycle, docs, human};
  remora::inference::fuse_function(reviewed);
  CHECK(reviewed.in_order.empty());
}
