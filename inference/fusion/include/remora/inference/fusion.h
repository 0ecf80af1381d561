// Fusion: weighs every piece of evidence (header, docs, trace, human) into one
// annotation per parameter, a confidence in [0,1], and the reasoning behind it.
// Disagreements between sources are recorded in Param::conflicts, never
// silently resolved, and lower the confidence. Human decisions win.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/model.h"
#include "remora/spec/review_rule.h"

namespace remora::inference {

// The decision on one field (direction, kind, size, ...).
struct FieldVerdict {
  std::string field;                 // "direction"
  std::string value;                 // "out" (as spelled in the spec)
  double confidence = 0.0;           // support for the value, lowered by opposition
  double support = 0.0;              // combined weight of the evidence for it
  double opposition = 0.0;           // combined weight of the strongest alternative
  std::string alternative;           // the strongest other value ("" if none)
  std::vector<std::size_t> for_evidence;      // indices into the evidence list
  std::vector<std::size_t> against_evidence;
  bool decided_by_human = false;
  bool conflict = false;             // different sources disagree
};

struct FusionExplanation {
  std::vector<FieldVerdict> fields;
  double confidence = 0.0;
  std::vector<std::string> conflicts;  // human-readable
  std::vector<std::string> notes;      // other reasoning (defaults used, missing size, ...)
};

// How fusion decides, without changing anything.
FusionExplanation explain_param(const spec::Param& param);
FusionExplanation explain_function(const spec::Function& function);

// Applies fusion in place. Parameters and functions a human confirmed or
// edited keep their annotations (confidence 1).
void fuse_param(spec::Param& param);
void fuse_function(spec::Function& function);
void fuse_spec(spec::Spec& spec);  // functions, then struct types (fuse_types)

// Struct members are weighed like parameters (struct_fusion.cpp). fuse_types
// also marks a struct unsupported, with the members named, when a pointer
// member cannot be copied (kind or size unknown, or it reaches such a struct).
FusionExplanation explain_field(const spec::StructField& field);
void fuse_field(spec::StructField& field);
void fuse_types(spec::Spec& spec);
bool needs_review(const spec::StructField& field);

// Stream-state structs (stream_states.cpp): a struct with an input cursor, an output
// cursor (buffer members sized by siblings) and a library-owned opaque member gets
// `state` (the server keeps a persistent copy per guest struct), and a function
// whose only parameter points to one and whose name ends or releases it gets
// `deallocates` on that parameter. Run by fuse_spec after fuse_types.
void mark_stream_states(spec::Spec& spec);

// Chunked transfers (chunked_transfers.cpp): a data buffer sized by one by-value integer
// next to a by-value integer named as an offset, in a call on an object that returns a
// status, gets `chunk` (the stack may split a large transfer into calls on consecutive
// sub-ranges). Run by fuse_spec last; a reviewed `chunk` is kept.
void mark_chunked_transfers(spec::Spec& spec);

// A parameter that a reviewer should look at: low confidence or conflicts
// (the rule lives in spec-model so that every tool, the studio included, agrees).
using spec::kReviewThreshold;
using spec::needs_review;

}  // namespace remora::inference
