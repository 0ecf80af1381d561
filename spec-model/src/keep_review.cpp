#include "remora/spec/keep_review.h"

namespace remora::spec {

namespace {

bool human_decided(ReviewStatus s) { return s != ReviewStatus::Inferred; }

// One parameter or struct field: the reviewed annotation and its human evidence.
template <class Member>
bool keep_member(const Member& old, Member& fresh) {
  if (!human_decided(old.status)) return false;
  fresh.ann = old.ann;
  fresh.status = old.status;
  for (const auto& e : old.evidence)
    if (e.source == EvidenceSource::Human) fresh.evidence.push_back(e);
  return true;
}

}  // namespace

std::size_t keep_human_decisions(const Spec& reviewed, Spec& fresh) {
  std::size_t kept = 0;
  for (auto& f : fresh.functions) {
    const Function* old = reviewed.find_function(f.name);
    if (!old) continue;
    if (human_decided(old->status)) {
      f.status = old->status;
      f.sync = old->sync;
      f.barrier = old->barrier;
      f.in_order = old->in_order;  // a reviewer's word on the object it creates
      f.supported = old->supported;
      f.unsupported_reason = old->unsupported_reason;
      f.ret = old->ret;
      ++kept;
    }
    // A reviewed split (confirmed, edited, or refused as unsupported) outlives re-inference.
    if (old->chunk && human_decided(old->chunk->status)) f.chunk = old->chunk;
    for (auto& p : f.params) {
      const Param* old_p = old->find_param(p.name);
      if (!old_p || !keep_member(*old_p, p)) continue;
      p.when = old_p->when;
      ++kept;
    }
  }
  for (auto& t : fresh.types) {
    const Type* old = reviewed.find_type(t.name);
    if (!old) continue;
    for (auto& field : t.fields)
      if (const StructField* old_field = old->find_field(field.name); old_field && keep_member(*old_field, field))
        ++kept;
  }
  return kept;
}

}  // namespace remora::spec
