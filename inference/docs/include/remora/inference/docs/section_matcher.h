// Matches a documentation section to one spec function: which documented
// parameter names mean which parameters (by name, or by position when the
// section lists every parameter in order and the match is unambiguous), and
// turns each sentence into the context the extractors read.
#pragma once

#include <map>
#include <string>

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"

namespace remora::inference::docs {

class SectionMatch {
 public:
  SectionMatch(const DocSection& section, const FunctionFacts& fn);

  // Spec parameter a documented name refers to, or nullptr.
  const ParamFacts* resolve(std::string_view doc_name) const;

  // Runs every extractor over every sentence of the section for this function.
  void extract(Claims& out) const;

 private:
  SentenceContext context(const Sentence& s, const ParamDoc* item, bool summary) const;

  const DocSection& section_;
  const FunctionFacts& fn_;
  std::map<std::string, const ParamFacts*, std::less<>> renamed_;
};

// Removes claims a stronger claim from the same page contradicts.
void drop_contradicted(Claims& claims);

}  // namespace remora::inference::docs
