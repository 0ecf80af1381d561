#include "remora/inference/fusion.h"

#include <algorithm>

#include "cacheable_narrowing.h"
#include "fields.h"
#include "remora/spec/size_expr.h"
#include "weigh.h"

namespace remora::inference {

namespace {

using fusion_fields::Field;

bool human_owned(spec::ReviewStatus s) {
  return s == spec::ReviewStatus::Confirmed || s == spec::ReviewStatus::Edited;
}

bool is_pointer_spelling(const std::string& type) {
  return type.find('*') != std::string::npos || type.find('[') != std::string::npos;
}

std::vector<Claim> claims_for(const Field& field, const std::vector<spec::Evidence>& evidence) {
  std::vector<Claim> claims;
  for (std::size_t i = 0; i < evidence.size(); ++i)
    if (auto value = field.read(evidence[i].says))
      claims.push_back({*value, evidence[i].weight, evidence[i].source, i, evidence[i].location});
  return claims;
}

// Weighs every value field of `evidence`; `relevant` says which verdicts count
// toward the overall confidence.
FusionExplanation explain_values(const std::vector<spec::Evidence>& evidence, const spec::Annotation& current) {
  FusionExplanation out;
  double confidence = 1.0;
  bool any = false;
  std::string kind = std::string(spec::to_string(current.kind));
  for (const Field& field : fusion_fields::value_fields()) {
    std::string conflict;
    auto verdict = weigh(field.name, claims_for(field, evidence), &conflict);
    if (!verdict) continue;
    if (field.name == "kind") kind = verdict->value;
    if (!conflict.empty()) out.conflicts.push_back(conflict);
    out.fields.push_back(*verdict);
  }
  for (const auto& v : out.fields) {
    bool size_field = v.field == "size" || v.field == "size_unit";
    if (size_field && kind != "buffer") continue;  // sizes only matter for buffers
    if (v.field == "element" && kind != "buffer" && kind != "element") continue;
    bool is_flag = v.field == "nullable" || v.field == "allocates" || v.field == "deallocates" ||
                   v.field == "may_hold_handles";
    // A flag only makes the whole annotation doubtful when sources disagree on it.
    if (is_flag && !v.conflict) continue;
    confidence = std::min(confidence, v.confidence);
    any = true;
  }
  out.confidence = any ? confidence : 0.0;
  return out;
}

bool creates_handle_in_slot(const spec::Annotation& ann) {
  return ann.kind == spec::Kind::Element && ann.allocates && ann.element && ann.element->kind == spec::Kind::Handle;
}

void apply_verdicts(const FusionExplanation& explanation, spec::Annotation& ann) {
  for (const auto& v : explanation.fields) {
    for (const Field& field : fusion_fields::value_fields()) {
      if (field.name != v.field) continue;
      bool is_flag = field.is_flag;
      // Weak flag claims below 0.3 are recorded but not acted on.
      if (is_flag && v.value == "true" && v.support < 0.3 && !v.decided_by_human) continue;
      field.write(ann, v.value);
    }
  }
  // Sizes belong to buffers; elements to buffers and single pointees. A string keeps a
  // size that measures it (`nByte < 0 ? strlen(zSql) + 1 : nByte`: given by its length, or
  // NUL-terminated): it travels as those bytes.
  const bool measured_string = ann.kind == spec::Kind::String && [&] {
    auto parsed = spec::parse_size_expr(ann.size);
    return parsed && spec::size_expr_uses(*parsed.expr, spec::SizeExpr::Op::Strlen);
  }();
  if (ann.kind != spec::Kind::Buffer && !measured_string) {
    ann.size.clear();
    ann.size_unit = spec::SizeUnit::Elements;
  }
  if (ann.kind != spec::Kind::Buffer && ann.kind != spec::Kind::Element) ann.element.reset();
  // An opaque pointer is a value the call receives (its memory is never touched): a
  // "[out]" tag on it describes what the library does to that memory elsewhere.
  if (ann.kind == spec::Kind::Opaque) ann.direction = spec::Direction::In;
  // A new object written to a handle slot has no earlier value for the call to read
  // (docs that tag the slot [in,out] mean the pointer itself comes in).
  if (creates_handle_in_slot(ann) && ann.direction == spec::Direction::InOut) ann.direction = spec::Direction::Out;
  if (ann.element) ann.element->direction = ann.direction;
}

}  // namespace

FusionExplanation explain_param(const spec::Param& param) {
  FusionExplanation out = explain_values(param.evidence, param.ann);
  bool has_kind = std::any_of(out.fields.begin(), out.fields.end(), [](auto& v) { return v.field == "kind"; });
  bool has_direction =
      std::any_of(out.fields.begin(), out.fields.end(), [](auto& v) { return v.field == "direction"; });
  if (!has_kind)
    out.notes.push_back(is_pointer_spelling(param.type)
                            ? "no evidence says how this pointer is passed: the kind must be annotated"
                            : "no evidence about the kind: kept " + std::string(spec::to_string(param.ann.kind)));
  if (!has_direction) out.notes.push_back("no evidence about the direction: kept " + std::string(spec::to_string(param.ann.direction)));
  if (!human_owned(param.status)) {
    spec::Annotation fused = param.ann;
    apply_verdicts(out, fused);
    auto verdict = [&](const char* field) {
      for (const auto& v : out.fields)
        if (v.field == field) return v.value;
      return std::string();
    };
    std::string said = verdict("direction");
    if (!said.empty() && said != spec::to_string(fused.direction))
      out.notes.push_back("direction " + std::string(spec::to_string(fused.direction)) + ", not " + said + ": " +
                          (fused.kind == spec::Kind::Opaque
                               ? "an opaque pointer is a value the call receives"
                               : "a new object written to a handle slot has no earlier value to read"));
  }
  if (human_owned(param.status)) {
    out.notes.push_back("a reviewer " + std::string(spec::to_string(param.status)) +
                        " this annotation: it is kept as they left it");
    out.confidence = 1.0;
  }
  return out;
}

void fuse_param(spec::Param& param) {
  FusionExplanation explanation = explain_param(param);
  param.conflicts = explanation.conflicts;
  if (human_owned(param.status)) {
    param.confidence = 1.0;
    return;
  }
  apply_verdicts(explanation, param.ann);
  // Retained memory is memory the program hands over: only an `in` buffer keeps it
  // (docs may say so of a pointer that the evidence then makes a handle or an output).
  if (param.ann.kind != spec::Kind::Buffer || param.ann.direction != spec::Direction::In) param.ann.retain.clear();
  // An address the library sets inside another parameter's memory: only an out element.
  if (param.ann.kind != spec::Kind::Element || param.ann.direction == spec::Direction::In)
    param.ann.points_into.clear();
  double confidence = explanation.confidence;
  if (param.ann.kind == spec::Kind::Buffer && param.ann.size.empty()) confidence = std::min(confidence, 0.3);
  param.confidence = confidence;
}

FusionExplanation explain_function(const spec::Function& function) {
  // Return-value fields come from function evidence; so do sync and barrier.
  FusionExplanation out = explain_values(function.evidence, function.ret.ann);
  // Only lifecycle flags (or nothing) about the return value: no doubt there.
  double confidence = out.confidence > 0 ? out.confidence : 0.9;
  out.fields.erase(std::remove_if(out.fields.begin(), out.fields.end(),
                                  [](const FieldVerdict& v) { return v.field == "direction"; }),
                   out.fields.end());

  std::vector<Claim> sync_claims, barrier_claims, cacheable_claims, in_order_claims;
  std::vector<std::string> changes_if;
  for (std::size_t i = 0; i < function.evidence.size(); ++i) {
    const auto& e = function.evidence[i];
    if (e.says.changes_if) changes_if.push_back(*e.says.changes_if);
    if (e.says.sync) sync_claims.push_back({fusion_fields::sync_spelling(*e.says.sync), e.weight, e.source, i, e.location});
    if (e.says.barrier) barrier_claims.push_back({*e.says.barrier ? "true" : "false", e.weight, e.source, i, e.location});
    if (e.says.cacheable) cacheable_claims.push_back({*e.says.cacheable, e.weight, e.source, i, e.location});
    if (e.says.in_order)
      in_order_claims.push_back({*e.says.in_order, e.weight, e.source, i, e.location});
  }
  for (auto* claims : {&sync_claims, &barrier_claims, &cacheable_claims, &in_order_claims}) {
    std::string conflict;
    const char* field = claims == &sync_claims        ? "sync"
                        : claims == &barrier_claims   ? "barrier"
                        : claims == &cacheable_claims ? "cacheable"
                                                      : "in_order";
    auto verdict = weigh(field, *claims, &conflict);
    if (!verdict) continue;
    if (claims == &cacheable_claims) {
      std::string narrowed = fusion_fields::narrow_cacheable(verdict->value, changes_if);
      if (narrowed != verdict->value)
        out.notes.push_back("cacheable " + narrowed + ", not " + verdict->value +
                            ": evidence says the answer may change when " + changes_if.front() +
                            (changes_if.size() > 1 ? " (and " + std::to_string(changes_if.size() - 1) + " more)" : ""));
      verdict->value = narrowed;
    }
    if (!conflict.empty()) out.conflicts.push_back(conflict);
    confidence = std::min(confidence, verdict->confidence);
    out.fields.push_back(*verdict);
  }
  if (sync_claims.empty()) out.notes.push_back("no evidence about sync: synchronous (always safe, maybe slower)");
  if (function.variadic) out.notes.push_back("variadic: cannot be remoted from the prototype");
  if (human_owned(function.status)) confidence = 1.0;
  out.confidence = confidence;
  return out;
}

// Parameters whose pointee a size expression reads (`*numNodes`).
void dereferenced_names(const spec::SizeExpr& e, std::vector<std::string>& out) {
  if (e.op == spec::SizeExpr::Op::Deref && e.a && e.a->op == spec::SizeExpr::Op::Param) out.push_back(e.a->name);
  if (e.a) dereferenced_names(*e.a, out);
  if (e.b) dereferenced_names(*e.b, out);
}

// A buffer sized by `*count` needs that count before the call (the capacity the stack
// allocates, the bytes it sends): the library reads it, whatever a tag says of what it
// writes there ("[out] numNodes returns the number of nodes").
void read_sizes_before_the_call(spec::Function& function) {
  for (const auto& p : function.params) {
    if (p.ann.kind != spec::Kind::Buffer || p.ann.size.empty()) continue;
    spec::SizeExprParse parsed = spec::parse_size_expr(p.ann.size);
    if (!parsed) continue;
    std::vector<std::string> names;
    dereferenced_names(*parsed.expr, names);
    for (const auto& name : names) {
      spec::Param* count = function.find_param(name);
      if (!count || human_owned(count->status) || count->ann.direction != spec::Direction::Out) continue;
      count->ann.direction = spec::Direction::InOut;
      count->conflicts.push_back("direction inout, not out: '" + p.name + "' is sized by *" + name +
                                 ", which the call reads before it writes");
    }
  }
}

void fuse_function(spec::Function& function) {
  for (auto& p : function.params) fuse_param(p);
  if (!human_owned(function.status)) read_sizes_before_the_call(function);
  FusionExplanation explanation = explain_function(function);
  function.confidence = explanation.confidence;
  if (human_owned(function.status)) return;

  for (const auto& v : explanation.fields) {
    if (v.field == "sync") function.sync = fusion_fields::sync_from_spelling(v.value);
    else if (v.field == "barrier") function.barrier = v.value == "true";
    else if (v.field == "cacheable") function.cacheable = v.value == "false" ? "" : v.value;
  }
  // An input kept until the command completes (retain: command) means something only
  // where the call may return before its command ran.
  if (function.sync.mode == spec::Sync::Mode::Sync)
    for (auto& p : function.params)
      if (!human_owned(p.status) && p.ann.retain == "command") p.ann.retain.clear();
  // A barrier waits for the work queued before it: a call that returns before its own
  // work is done is not one (cuStreamWaitEvent makes the stream wait, not the caller).
  if (function.sync.mode == spec::Sync::Mode::Async) function.barrier = false;
  FusionExplanation return_only = explanation;
  return_only.fields.erase(std::remove_if(return_only.fields.begin(), return_only.fields.end(),
                                          [](const FieldVerdict& v) {
                                            return v.field == "sync" || v.field == "barrier" ||
                                                   v.field == "cacheable" || v.field == "in_order";
                                          }),
                           return_only.fields.end());
  spec::Annotation ret = function.ret.ann;
  apply_verdicts(return_only, ret);
  if (!return_only.fields.empty()) function.ret.ann = ret;
  // in_order describes the object the call creates: kept only once the fused return value
  // or an out parameter says the call creates one (validation refuses it otherwise).
  for (const auto& v : explanation.fields)
    if (v.field == "in_order")
      function.in_order = v.value == "false" || !spec::creates_handle(function) ? "" : v.value;

  // Whether the stack can carry this call at all. One marked Unsupported (its prototype
  // did not parse, it takes a FILE * of the calling process, a reviewer said so) stays so,
  // with its reason; its annotations are fused all the same.
  if (function.status == spec::ReviewStatus::Unsupported) {
    function.supported = false;
    return;
  }
  function.supported = !function.variadic;
  function.unsupported_reason = function.variadic
                                    ? "variadic function: the arguments after '...' cannot be marshalled from the prototype"
                                    : "";
  if (!function.supported) return;
  std::vector<std::string> unknown_kind, unknown_size;
  for (const auto& p : function.params) {
    bool kind_known = p.status != spec::ReviewStatus::Inferred ||
                      std::any_of(p.evidence.begin(), p.evidence.end(), [](auto& e) { return e.says.kind.has_value(); });
    if (is_pointer_spelling(p.type) && !kind_known) unknown_kind.push_back("'" + p.name + "'");
    else if (p.ann.kind == spec::Kind::Buffer && p.ann.size.empty()) unknown_size.push_back("'" + p.name + "'");
  }
  auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  std::vector<std::string> reasons;
  if (!unknown_kind.empty())
    reasons.push_back("no evidence says how to pass " + join(unknown_kind) + " (annotate the kind)");
  if (!unknown_size.empty())
    reasons.push_back("buffer size unknown for " + join(unknown_size) + " (annotate the size)");
  if (!reasons.empty()) {
    function.supported = false;
    function.unsupported_reason = reasons.size() == 1 ? reasons[0] : reasons[0] + "; " + reasons[1];
  }
}

void fuse_spec(spec::Spec& spec) {
  for (auto& f : spec.functions) fuse_function(f);
  fuse_types(spec);
  mark_stream_states(spec);
  mark_chunked_transfers(spec);
}

}  // namespace remora::inference
