#include "spec_merge.h"

#include "annotation_text.h"
#include "project_session.h"

namespace remora::studio {

namespace {
bool human_decided(spec::ReviewStatus s) { return s != spec::ReviewStatus::Inferred; }
}  // namespace

void keep_human_decisions(const spec::Spec& reviewed, spec::Spec& fresh) {
  for (auto& f : fresh.functions) {
    const spec::Function* old = reviewed.find_function(f.name);
    if (!old) continue;
    if (human_decided(old->status)) {
      f.status = old->status;
      f.sync = old->sync;
      f.barrier = old->barrier;
      f.supported = old->supported;
      f.unsupported_reason = old->unsupported_reason;
      f.ret = old->ret;
    }
    for (auto& p : f.params) {
      const spec::Param* old_p = old->find_param(p.name);
      if (!old_p || !human_decided(old_p->status)) continue;
      p.ann = old_p->ann;
      p.when = old_p->when;
      p.status = old_p->status;
      // Keep the human evidence; the fresh machine evidence stays beside it.
      for (const auto& e : old_p->evidence)
        if (e.source == spec::EvidenceSource::Human) p.evidence.push_back(e);
    }
  }
}

QSet<QString> changed_annotations(const spec::Spec& before, const spec::Spec& after) {
  QSet<QString> changed;
  for (const auto& f : after.functions) {
    const spec::Function* old = before.find_function(f.name);
    const QString fn = qs(f.name);
    if (!old) {
      changed.insert(fn);
      continue;
    }
    if (!(old->sync == f.sync) || old->barrier != f.barrier || old->supported != f.supported ||
        !(old->ret.ann == f.ret.ann))
      changed.insert(fn);
    for (const auto& p : f.params) {
      const spec::Param* old_p = old->find_param(p.name);
      if (!old_p || !(old_p->ann == p.ann) || !(old_p->when == p.when)) changed.insert(annotation_key(fn, qs(p.name)));
    }
  }
  return changed;
}

}  // namespace remora::studio
