#include "spec_merge.h"

#include "annotation_text.h"
#include "project_session.h"

namespace remora::studio {

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
