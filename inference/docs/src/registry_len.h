// How a registry `len` / `altlen` attribute sizes a pointer, shared by command
// parameters (extract_registry.cpp) and struct members (member_claims.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// The pointer the attribute is on.
struct LenTarget {
  std::string name;
  bool char_pointer = false;  // char * / const char *
  bool void_pointer = false;  // void * / const void *
};

// A sibling (parameter or member) a `len` may name; `pointee_integer`: a
// pointer to the count (`uint32_t *pCount`), read as `*pCount`.
struct LenSibling {
  std::string name;
  bool pointee_integer = false;
  bool count =
      true;  // an integer (or pointer to one); false: a struct pointer (`pInfo` of `pInfo->count`)
};
using SiblingLookup = std::function<std::optional<LenSibling>(std::string_view name)>;

struct LenClaim {
  spec::AnnotationPatch says;
  double weight = 0.0;
};

// `allow_arrow`: `pInfo->count` may name a field of a sibling (parameters only).
std::optional<LenClaim> claim_from_len(const RegistryParam& rp, const LenTarget& target,
                                       const SiblingLookup& sibling, bool allow_arrow);

std::vector<std::string> split_commas(std::string_view s);

// "registry: const char * const * ppNames len="count,null-terminated" ...": the
// declaration quoted as the evidence's reason.
std::string describe_registry_declaration(const RegistryParam& rp);

}  // namespace remora::inference::docs
