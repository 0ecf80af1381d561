// Trace rule for `cacheable`: a query whose calls with the same arguments always gave
// the same results (return value and what it wrote) is a candidate for answering
// repeats in the guest; one that gave different results for the same arguments is not,
// and when every such difference shares one value of a parameter (a reference count's
// name), the claim is "cacheable unless that parameter has that value".
#pragma once

#include <optional>
#include <string>

#include "remora/spec/model.h"
#include "trace_reader.h"

namespace remora::inference::trace_rules {

struct CacheClaim {
  std::string says;  // "true", "false" or a predicate ("param_name != 4242")
  double weight = 0;
  std::string why;
};

// `success`: the status value of a successful call, when the spec knows it (failed
// calls are left out). Nothing when the function is not a query whose arguments the
// trace fully records, or no call was repeated with the same arguments.
std::optional<CacheClaim> repeat_results(const spec::Function& f, const trace_data::Function& tf,
                                         std::optional<std::int64_t> success);

}  // namespace remora::inference::trace_rules
