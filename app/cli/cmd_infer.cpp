#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_infer(const Args&) {
  std::fprintf(stderr, "remora: 'infer' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
