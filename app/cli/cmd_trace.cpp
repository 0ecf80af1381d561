#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_trace(const Args&) {
  std::fprintf(stderr, "remora: 'trace' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
