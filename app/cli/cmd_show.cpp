#include <cstdio>

#include "commands.h"

namespace remora::cli {

int cmd_show(const Args&) {
  std::fprintf(stderr, "remora: 'show' is not yet supported in this build\n");
  return 1;
}

}  // namespace remora::cli
