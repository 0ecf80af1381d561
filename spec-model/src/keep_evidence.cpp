#include "remora/spec/keep_evidence.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace remora::spec {

namespace {

namespace fs = std::filesystem;

// "docs/x.adoc:120" -> "docs/x.adoc"; a location without a line stays as it is.
std::string location_file(const std::string& location) {
  auto colon = location.rfind(':');
  if (colon == std::string::npos || colon + 1 == location.size()) return location;
  bool line = std::all_of(location.begin() + static_cast<long>(colon) + 1, location.end(),
                          [](unsigned char c) { return std::isdigit(c); });
  return line ? location.substr(0, colon) : location;
}

fs::path normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return (ec ? fs::path(path) : p).lexically_normal();
}

class Filter {
 public:
  Filter(EvidenceSource source, const std::vector<std::string>& present) : source_(source) {
    for (const auto& p : present) present_.push_back(normal(p));
  }

  // Evidence of the kind asked for that no present source can have recomputed.
  bool carry(const Evidence& e) const {
    if (e.source != source_) return false;
    const std::string spelled = location_file(e.location);
    // Trace evidence names only its database ("run.db"): matched by file name.
    const bool bare_name = !fs::path(spelled).has_parent_path();
    fs::path file = normal(spelled);
    for (const auto& p : present_) {
      if (bare_name && file.filename() == p.filename()) return false;
      auto rel = file.lexically_relative(p);
      if (!rel.empty() && *rel.begin() != "..") return false;
    }
    return true;
  }

  std::size_t merge(const std::vector<Evidence>& from, std::vector<Evidence>& into) const {
    std::size_t carried = 0;
    for (const auto& e : from) {
      if (!carry(e)) continue;
      // Equal claims for the same reason are the same evidence, whatever the spelling of its path.
      bool known = std::any_of(into.begin(), into.end(), [&](const Evidence& have) {
        return have.source == e.source && have.says == e.says && have.why == e.why;
      });
      if (known) continue;
      into.push_back(e);
      ++carried;
    }
    return carried;
  }

 private:
  EvidenceSource source_;
  std::vector<fs::path> present_;
};

}  // namespace

std::size_t keep_evidence_of_missing_sources(const Spec& before, Spec& after, EvidenceSource source,
                                             const std::vector<std::string>& present) {
  Filter filter(source, present);
  std::size_t carried = 0;
  for (auto& f : after.functions) {
    const Function* old = before.find_function(f.name);
    if (!old) continue;
    carried += filter.merge(old->evidence, f.evidence);
    for (auto& p : f.params)
      if (const Param* old_p = old->find_param(p.name))
        carried += filter.merge(old_p->evidence, p.evidence);
  }
  for (auto& t : after.types) {
    const Type* old = before.find_type(t.name);
    if (!old) continue;
    carried += filter.merge(old->evidence, t.evidence);
    for (auto& field : t.fields)
      if (const StructField* old_field = old->find_field(field.name))
        carried += filter.merge(old_field->evidence, field.evidence);
  }
  return carried;
}

}  // namespace remora::spec
