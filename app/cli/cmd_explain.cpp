#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_explain(const Args&) {
  std::fprintf(stderr, "remora: 'explain' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
