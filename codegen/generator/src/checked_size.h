// Size expressions as generated C in checked 64-bit arithmetic (runtime/remora_size.h).
// Every +, -, *, /, unary minus, min, max and the arms of ?: become remora::Size
// operations, so an overflow (or a division by zero) in a size a guest chose poisons
// it instead of wrapping into a small size that passes the server's checks. The
// leaves (parameters, members, p[k], *p, strlen, query, readable) are emitted as the
// plain emitter (and `custom`) would; the result converts with static_cast<long long>,
// where a poisoned size reads as remora::kSizeOverflow (negative: refused).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "remora/spec/size_expr.h"

namespace remora::codegen {

// terminated(p, MEMBER, END) as a scan of `pointer` that reads at most `limit` elements
// (the guest: the program's readable memory; the server: what arrived).
std::string bounded_terminated_count_c(const spec::SizeExpr& e, const std::string& pointer, const std::string& limit);

std::string checked_size_c(const spec::SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
                           const std::function<std::string(std::string_view name, std::int64_t i)>& index = {},
                           const std::function<std::string(const spec::SizeExpr&)>& custom = {});

}  // namespace remora::codegen
