// Reading what a truth spec labels. In a truth JSON, a field is labelled
// exactly when it is written, so a partial hand-written truth scores only
// what its author decided.
#include "remora/spec/spec_score.h"

namespace remora::spec {
namespace {

// The annotation fields a truth can label, read as a patch so absence stays
// visible. Other keys of a param object (name, evidence, ...) are not labels.
AnnotationPatch labels_from(const Json& obj, const std::string& where, SpecIssues& issues) {
  Json subset = Json::object();
  for (const char* key : {"direction", "kind", "size", "size_unit", "nullable", "element",
                          "element_kind", "allocates", "deallocates"}) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) continue;
    if (std::string(key) == "element" && it->is_object()) {
      // Only the pointee's kind is scored; the rest of a nested annotation is ignored.
      auto kind = it->find("kind");
      if (kind != it->end()) subset["element"] = Json{{"kind", *kind}};
      continue;
    }
    subset[key] = *it;
  }
  return patch_from_json(subset, where, issues);
}

AnnotationPatch labels_from(const Annotation& a) {
  AnnotationPatch p;
  p.direction = a.direction;
  p.kind = a.kind;
  if (!a.size.empty()) {
    p.size = a.size;
    p.size_unit = a.size_unit;
  }
  p.nullable = a.nullable;
  if (a.element) p.element_kind = a.element->kind;
  p.allocates = a.allocates;
  p.deallocates = a.deallocates;
  return p;
}

}  // namespace

Truth truth_from_json(const Json& doc, SpecIssues& issues) {
  Truth truth;
  if (!doc.is_object()) {
    issues.error("", "a truth spec must be a JSON object");
    return truth;
  }
  auto functions = doc.find("functions");
  if (functions == doc.end() || !functions->is_array()) {
    issues.error("", "a truth spec needs a \"functions\" array");
    return truth;
  }
  for (std::size_t i = 0; i < functions->size(); ++i) {
    const Json& f = (*functions)[i];
    auto name = f.is_object() ? f.find("name") : f.end();
    if (!f.is_object() || name == f.end() || !name->is_string()) {
      issues.error("functions[" + std::to_string(i) + "]", "a truth function needs a \"name\"");
      continue;
    }
    TruthFunction tf;
    tf.name = name->get<std::string>();
    if (auto sync = f.find("sync"); sync != f.end() && !sync->is_null())
      tf.sync = sync_from_json(*sync, tf.name, issues);
    if (auto ret = f.find("return"); ret != f.end() && ret->is_object()) {
      AnnotationPatch r = labels_from(*ret, tf.name + ".return", issues);
      tf.return_labels.allocates = r.allocates;
      tf.return_labels.deallocates = r.deallocates;
    }
    auto params = f.find("params");
    if (params != f.end() && !params->is_array()) {
      issues.error(tf.name, "params must be an array");
    } else if (params != f.end()) {
      for (std::size_t k = 0; k < params->size(); ++k) {
        const Json& p = (*params)[k];
        auto pname = p.is_object() ? p.find("name") : p.end();
        if (!p.is_object() || pname == p.end() || !pname->is_string()) {
          issues.error(tf.name + ".params[" + std::to_string(k) + "]",
                       "a truth parameter needs a \"name\"");
          continue;
        }
        TruthParam tp;
        tp.name = pname->get<std::string>();
        if (auto type = p.find("type"); type != p.end() && type->is_string())
          tp.type = type->get<std::string>();
        tp.labels = labels_from(p, tf.name + "." + tp.name, issues);
        tf.params.push_back(std::move(tp));
      }
    }
    truth.functions.push_back(std::move(tf));
  }
  return truth;
}

Truth truth_from_spec(const Spec& spec) {
  Truth truth;
  for (const Function& f : spec.functions) {
    TruthFunction tf;
    tf.name = f.name;
    tf.sync = f.sync;
    tf.return_labels.allocates = f.ret.ann.allocates;
    tf.return_labels.deallocates = f.ret.ann.deallocates;
    for (const Param& p : f.params) tf.params.push_back({p.name, p.type, labels_from(p.ann)});
    truth.functions.push_back(std::move(tf));
  }
  return truth;
}

}  // namespace remora::spec
