// Weighing the claims about one field into a verdict (private to fusion).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "remora/inference/fusion.h"
#include "remora/spec/model.h"

namespace remora::inference {

struct Claim {
  std::string value;
  double weight = 0;
  spec::EvidenceSource source = spec::EvidenceSource::Header;
  std::size_t evidence_index = 0;
  std::string location;
};

// nullopt when there is no claim at all.
std::optional<FieldVerdict> weigh(const std::string& field, const std::vector<Claim>& claims,
                                  std::string* conflict_message);

}  // namespace remora::inference
