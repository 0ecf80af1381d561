#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_diff(const Args&) {
  std::fprintf(stderr, "remora: 'diff' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
