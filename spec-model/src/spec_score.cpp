// Scoring an inferred spec against truth labels (definitions in spec_score.h).
#include "remora/spec/spec_score.h"

#include <array>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

constexpr const char* kNone = "(none)";

enum Field {
  kDirection,
  kKind,
  kSize,
  kSizeUnit,
  kElementKind,
  kNullable,
  kAllocates,
  kDeallocates,
  kSync,
  kFieldCount
};
constexpr std::array<const char*, kFieldCount> kFieldNames{"direction", "kind",         "size",
                                                           "size_unit", "element_kind", "nullable",
                                                           "allocates", "deallocates",  "sync"};

bool pointer_type(const std::string& type) {
  return type.find('*') != std::string::npos || type.find('[') != std::string::npos;
}

std::string text(bool b) {
  return b ? "true" : "false";
}
std::string text(Direction d) {
  return std::string(to_string(d));
}
std::string text(Kind k) {
  return std::string(to_string(k));
}
std::string text(SizeUnit u) {
  return std::string(to_string(u));
}
std::string text(const std::string& s) {
  return s;
}
std::string text(const Sync& s) {
  return describe(s);
}

std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n') out += c;
  return out;
}

bool equal(const std::string& inferred, const std::string& truth) {  // size expressions
  return normalize_size_expr_text(inferred) == normalize_size_expr_text(truth);
}
bool equal(const Sync& a, const Sync& b) {
  return a.mode == b.mode &&
         (a.mode != Sync::Mode::AsyncIf || squeeze(a.condition) == squeeze(b.condition));
}
template <class T>
bool equal(const T& a, const T& b) {
  return a == b;
}

class Scorer {
 public:
  explicit Scorer(ScoreReport& r) : r_(r) {
    for (auto name : kFieldNames) r_.fields.push_back(FieldScore{name, 0, 0, 0});
  }

  void function(const TruthFunction& tf, const Function* f) {
    fn_ = tf.name;
    ++r_.functions_scored;
    if (!f) r_.missing_functions.push_back(tf.name);
    score(kSync, "", tf.sync, f ? std::optional<Sync>(f->sync) : std::nullopt);
    const Annotation* ret = f ? &f->ret.ann : nullptr;
    score(kAllocates, "return", tf.return_labels.allocates,
          ret ? std::optional(ret->allocates) : std::nullopt);
    score(kDeallocates, "return", tf.return_labels.deallocates,
          ret ? std::optional(ret->deallocates) : std::nullopt);
    for (const TruthParam& tp : tf.params)
      param(tp, f ? f->find_param(tp.name) : nullptr, f != nullptr);
  }

 private:
  void param(const TruthParam& tp, const Param* p, bool function_exists) {
    const AnnotationPatch& t = tp.labels;
    if (function_exists && !p && !t.empty())
      r_.disagreements.push_back(
          {fn_, tp.name, "param", "(missing)", tp.type.empty() ? "present" : tp.type});
    const Annotation* a = p ? &p->ann : nullptr;
    auto inferred = [&](auto member) { return a ? std::optional(a->*member) : std::nullopt; };
    score(kAllocates, tp.name, t.allocates, inferred(&Annotation::allocates));
    score(kDeallocates, tp.name, t.deallocates, inferred(&Annotation::deallocates));

    const std::string& type = !tp.type.empty() ? tp.type : (p ? p->type : tp.type);
    bool pointer_like = pointer_type(type) || (t.kind && *t.kind != Kind::Value);
    if (!pointer_like) return;
    ++r_.params_scored;
    score(kDirection, tp.name, t.direction, inferred(&Annotation::direction));
    score(kKind, tp.name, t.kind, inferred(&Annotation::kind));
    if (t.direction && t.kind) {
      ++r_.kind_direction.labelled;
      if (a) {
        ++r_.kind_direction.predicted;
        if (a->direction == *t.direction && a->kind == *t.kind) ++r_.kind_direction.correct;
      }
    }
    std::optional<std::string> size;
    std::optional<SizeUnit> unit;
    if (a && !a->size.empty()) {
      size = a->size;
      unit = a->size_unit;
    }
    score(kSize, tp.name, t.size, size);
    // A unit means nothing without a size (the size may come from `when` clauses).
    score(kSizeUnit, tp.name, t.size ? t.size_unit : std::nullopt, unit);
    score(kElementKind, tp.name, t.element_kind,
          a && a->element ? std::optional(a->element->kind) : std::nullopt);
    score(kNullable, tp.name, t.nullable, inferred(&Annotation::nullable));
  }

  template <class T>
  void score(Field field, const std::string& param, const std::optional<T>& truth,
             const std::optional<T>& inferred) {
    if (!truth) return;
    FieldScore& s = r_.fields[field];
    ++s.labelled;
    // A function missing from the inferred spec is reported once, as missing.
    bool function_missing = !r_.missing_functions.empty() && r_.missing_functions.back() == fn_;
    if (!inferred) {
      if (!function_missing)
        r_.disagreements.push_back({fn_, param, kFieldNames[field], kNone, text(*truth)});
      return;
    }
    ++s.predicted;
    if (equal(*inferred, *truth))
      ++s.correct;
    else
      r_.disagreements.push_back({fn_, param, kFieldNames[field], text(*inferred), text(*truth)});
  }

  ScoreReport& r_;
  std::string fn_;
};

}  // namespace

std::optional<double> FieldScore::precision() const {
  if (predicted == 0) return std::nullopt;
  return static_cast<double>(correct) / static_cast<double>(predicted);
}

std::optional<double> FieldScore::recall() const {
  if (labelled == 0) return std::nullopt;
  return static_cast<double>(correct) / static_cast<double>(labelled);
}

ScoreReport score_spec(const Spec& inferred, const Truth& truth) {
  ScoreReport report;
  Scorer scorer(report);
  for (const TruthFunction& tf : truth.functions)
    scorer.function(tf, inferred.find_function(tf.name));
  report.overall.field = "overall";
  report.kind_direction.field = "kind+direction";
  for (const FieldScore& s : report.fields) {
    report.overall.labelled += s.labelled;
    report.overall.predicted += s.predicted;
    report.overall.correct += s.correct;
  }
  return report;
}

}  // namespace remora::spec
