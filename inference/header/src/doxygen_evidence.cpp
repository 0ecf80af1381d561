#include "remora/inference/doxygen_evidence.h"

namespace remora::inference {

void add_doxygen_evidence(spec::Spec& spec, const ParsedHeader& header) {
  for (const ParsedFunction& pf : header.functions) {
    spec::Function* f = spec.find_function(pf.name);
    if (!f) continue;
    if (f->doc.empty()) f->doc = pf.doc.brief;
  }
}

}  // namespace remora::inference
