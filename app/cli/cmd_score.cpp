#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_score(const Args&) {
  std::fprintf(stderr, "remora: 'score' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
