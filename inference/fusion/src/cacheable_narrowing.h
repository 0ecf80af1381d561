// `cacheable` narrowed by `changes_if` claims: evidence that an answer may differ between
// calls with the same arguments for some of them (a selector whose row documents a
// reference count or a current state) is not evidence that the others repeat; it only
// takes those calls out of whatever the cacheable verdict says. A trace whose repeated
// calls agreed (cacheable: true) and docs that say CL_KERNEL_REFERENCE_COUNT may change
// give "param_name != CL_KERNEL_REFERENCE_COUNT".
#pragma once

#include <string>
#include <vector>

namespace remora::inference::fusion_fields {

// The verdict ("true" or a predicate) with every `changes_if` predicate excluded;
// the verdict unchanged when none applies. Unparsable claims are skipped (validation
// reports them).
std::string narrow_cacheable(const std::string& verdict, const std::vector<std::string>& changes_if);

}  // namespace remora::inference::fusion_fields
