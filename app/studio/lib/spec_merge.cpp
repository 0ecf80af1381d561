#include "spec_merge.h"

#include "annotation_text.h"
#include "project_session.h"
#include "struct_rows.h"

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
    if (!(old->sync == f.sync) || old->barrier != f.barrier || old->in_order != f.in_order ||
        old->supported != f.supported || !(old->ret.ann == f.ret.ann))
      changed.insert(fn);
    for (const auto& p : f.params) {
      const spec::Param* old_p = old->find_param(p.name);
      if (!old_p || !(old_p->ann == p.ann) || !(old_p->when == p.when)) changed.insert(annotation_key(fn, qs(p.name)));
    }
  }
  // Struct members, keyed like the parameters of their "struct T" row (struct_rows.h).
  for (const auto& t : after.types) {
    const spec::Type* old = before.find_type(t.name);
    for (const auto& field : t.fields) {
      if (!field_reviewable(field)) continue;
      const spec::StructField* old_field = old ? old->find_field(field.name) : nullptr;
      if (!old_field || !(old_field->ann == field.ann))
        changed.insert(annotation_key(struct_row_name(t), qs(field.name)));
    }
  }
  return changed;
}

}  // namespace remora::studio
