// What a registry says about the members of its structs (vk.xml
// `<member len="enabledLayerCount,null-terminated" optional="true">`): the
// same partial annotations parameters get, addressed by struct and field. The
// spec's struct-field annotations take them as evidence (source docs).
#pragma once

#include <string>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

struct MemberClaim {
  std::string type;   // the struct: "VkInstanceCreateInfo"
  std::string field;  // the member: "ppEnabledLayerNames"
  spec::AnnotationPatch says;
  double weight = 0.5;
  std::string why;       // the registry declaration, quoted
  std::string location;  // file:line
};

// Claims for every pointer member of `s` whose size, kind or nullability the
// registry states; members sized by a sibling count (`ppNames` + `nameCount`)
// become buffers of that count. `pNext`-style chains (a `void *` next to an
// sType member with `values`) are left to the struct-field rules: the registry
// only says they may be NULL.
std::vector<MemberClaim> member_claims(const RegistryStruct& s);

}  // namespace remora::inference::docs
