#include "remora/inference/annotation_text.h"

#include <cstdio>

#include "remora/inference/fusion.h"

namespace remora::inference {

namespace {

std::string fixed2(double v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

}  // namespace

std::string describe_sync(const spec::Sync& sync) {
  switch (sync.mode) {
    case spec::Sync::Mode::Sync: return "sync";
    case spec::Sync::Mode::Async: return "async";
    case spec::Sync::Mode::AsyncIf: return "async if " + sync.condition;
  }
  return "sync";
}

std::string describe_annotation(const spec::Annotation& ann) {
  std::string out;
  bool pointer_like = ann.kind == spec::Kind::Buffer || ann.kind == spec::Kind::Element ||
                      ann.kind == spec::Kind::String || ann.direction != spec::Direction::In;
  if (pointer_like || ann.kind == spec::Kind::Handle || ann.kind == spec::Kind::Value ||
      ann.kind == spec::Kind::Opaque || ann.kind == spec::Kind::Callback || ann.kind == spec::Kind::Userdata ||
      ann.kind == spec::Kind::Chain)
    out = std::string(spec::to_string(ann.direction)) + " ";
  out += spec::to_string(ann.kind);
  std::vector<std::string> details;
  if (ann.kind == spec::Kind::Buffer) {
    if (ann.size.empty()) details.push_back("size unknown");
    else details.push_back(ann.size + (ann.size_unit == spec::SizeUnit::Bytes ? " bytes" : " elements"));
  }
  if (ann.element && (ann.kind == spec::Kind::Buffer || ann.kind == spec::Kind::Element)) {
    std::string element = "of " + std::string(spec::to_string(ann.element->kind));
    if (!ann.element->handle_type.empty()) element += " " + ann.element->handle_type;
    details.push_back(element);
  } else if (ann.kind == spec::Kind::Handle && !ann.handle_type.empty()) {
    details.push_back(ann.handle_type);
  }
  if (ann.nullable) details.push_back("nullable");
  if (ann.allocates) details.push_back("allocates");
  if (ann.deallocates) details.push_back("deallocates");
  if (!ann.shadow.empty()) details.push_back("shadow " + ann.shadow);
  for (std::size_t i = 0; i < details.size(); ++i) out += (i == 0 ? ": " : ", ") + details[i];
  return out;
}

std::string describe_patch(const spec::AnnotationPatch& p) {
  std::string out;
  auto add = [&](const std::string& field, const std::string& value) {
    out += (out.empty() ? "" : " ") + field + "=" + value;
  };
  if (p.direction) add("direction", std::string(spec::to_string(*p.direction)));
  if (p.kind) add("kind", std::string(spec::to_string(*p.kind)));
  if (p.size) add("size", *p.size);
  if (p.size_unit) add("size_unit", std::string(spec::to_string(*p.size_unit)));
  if (p.nullable) add("nullable", *p.nullable ? "true" : "false");
  if (p.element_kind) add("element", std::string(spec::to_string(*p.element_kind)));
  if (p.element_direction) add("element_direction", std::string(spec::to_string(*p.element_direction)));
  if (p.element_size) add("element_size", *p.element_size);
  if (p.element_size_unit) add("element_size_unit", std::string(spec::to_string(*p.element_size_unit)));
  if (p.allocates) add("allocates", *p.allocates ? "true" : "false");
  if (p.deallocates) add("deallocates", *p.deallocates ? "true" : "false");
  if (p.sync) add("sync", describe_sync(*p.sync));
  if (p.barrier) add("barrier", *p.barrier ? "true" : "false");
  if (p.cacheable) add("cacheable", *p.cacheable);
  if (p.in_order) add("in_order", *p.in_order);
  if (p.changes_if) add("changes_if", *p.changes_if);
  return out.empty() ? "(nothing)" : out;
}

std::string declare(const std::string& type, const std::string& name) {
  // Function pointer "void (*)(int)" -> "void (*name)(int)".
  auto star = type.find("(*)");
  if (star != std::string::npos) return type.substr(0, star + 2) + name + type.substr(star + 2);
  // Array "void *[]" -> "void *name[]".
  auto bracket = type.find('[');
  if (bracket != std::string::npos) {
    std::string head = type.substr(0, bracket);
    while (!head.empty() && head.back() == ' ') head.pop_back();
    return declare(head, name) + type.substr(bracket);
  }
  if (!type.empty() && type.back() == '*') return type + name;
  return type + " " + name;
}

std::string annotated_prototype(const spec::Function& f) {
  std::string out = declare(f.ret.type, f.name) + "(";
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    const spec::Param& p = f.params[i];
    out += "\n    " + declare(p.type, p.name) + " [" + describe_annotation(p.ann) + "] " + fixed2(p.confidence);
    if (needs_review(p)) out += p.conflicts.empty() ? "  <- review" : "  <- review: conflicting evidence";
    if (i + 1 < f.params.size()) out += ",";
    for (const auto& w : p.when) out += "\n        when " + w.condition + ": " + describe_patch(w.overrides);
  }
  if (f.variadic) out += f.params.empty() ? "..." : ",\n    ...";
  out += f.params.empty() ? ")" : "\n)";
  std::vector<std::string> traits;
  std::string ret = describe_annotation(f.ret.ann);
  if (f.ret.type != "void" && ret != "in value") traits.push_back("returns " + ret);
  traits.push_back(describe_sync(f.sync));
  if (f.barrier) traits.push_back("barrier");
  if (!f.cacheable.empty()) traits.push_back(f.cacheable == "true" ? "cacheable" : "cacheable if " + f.cacheable);
  if (!f.in_order.empty())
    traits.push_back(f.in_order == "true" ? "in order" : "in order if " + f.in_order);
  if (!f.symbol.empty()) traits.push_back("symbol " + f.symbol);
  if (!f.supported) traits.push_back("UNSUPPORTED: " + f.unsupported_reason);
  if (f.status != spec::ReviewStatus::Inferred) traits.push_back(std::string(spec::to_string(f.status)));
  out += "  [";
  for (std::size_t i = 0; i < traits.size(); ++i) out += (i ? ", " : "") + traits[i];
  out += "] " + fixed2(f.confidence);
  return out;
}

}  // namespace remora::inference
