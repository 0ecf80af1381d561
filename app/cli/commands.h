// The `remora` subcommands. Each lives in cmd_<name>.cpp and returns a process
// exit code: 0 success, 1 the operation failed, 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace remora::cli {

using Args = std::vector<std::string>;

int cmd_infer(const Args& args);
int cmd_show(const Args& args);
int cmd_explain(const Args& args);
int cmd_generate(const Args& args);
int cmd_diff(const Args& args);
int cmd_score(const Args& args);
int cmd_trace(const Args& args);
int cmd_trace_summary(const Args& args);
int cmd_export(const Args& args);
int cmd_cuda_kernels(const Args& args);

}  // namespace remora::cli
