#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_generate(const Args&) {
  std::fprintf(stderr, "remora: 'generate' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
