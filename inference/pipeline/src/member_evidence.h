// Registry claims about struct members (docs::member_claims) as docs evidence
// on the spec's struct fields, so struct fusion weighs them with the header's
// field rules.
#pragma once

#include <vector>

#include "remora/inference/docs/member_claims.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Each claim goes to the field of the same name in the struct of the same name;
// claims for structs or members the header does not have are dropped, and so is
// a claim whose size is not a size expression over the struct's own members
// (the server evaluates it against the copied struct, nothing else).
void add_member_evidence(spec::Spec& spec, const std::vector<docs::MemberClaim>& claims);

}  // namespace remora::inference
