#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_trace_summary(const Args&) {
  std::fprintf(stderr, "remora: 'trace_summary' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
