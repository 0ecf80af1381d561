// Remora runtime: the listener's spare worker.
//
// Starting a guest's worker costs an exec, the dynamic linker, confinement and loading the
// vendor library: about 10 ms per guest on the test host (strace of the OpenCL server:
// accept at 0 ms, the library opened at 11 ms), 7% of a 140 ms sample program's run.
// So the listener keeps one worker started ahead: exec'd, confined, the library loaded,
// waiting on a control socket. An accepted guest's socket is handed to it (SCM_RIGHTS)
// and the next spare starts. A spare calls none of the API's functions before its guest
// arrives: only the library's load (its constructors) happens earlier than before.
// The spare answers a byte once it holds the socket; until then the listener keeps its
// own copy, so a spare that died before taking its guest (the send fails, or its end of
// the control socket closes unanswered) costs that guest only a worker started on demand.
// REMORA_SPARE_WORKER=0 turns it off (and REMORA_WORKER_NO_EXEC=1, a bare fork, has none).
#pragma once

#include <sys/prctl.h>
#include <sys/types.h>

#include "remora_fd_passing.h"

namespace remora::server {

// What `ps` and /proc/PID/comm show: a spare waiting for its guest, or a worker serving one.
inline constexpr const char* kSpareName = "remora-spare";
inline constexpr const char* kWorkerName = "remora-worker";

inline void name_this_process(const char* name) { ::prctl(PR_SET_NAME, name, 0, 0, 0); }  // best effort

struct SpareWorker {
  pid_t pid = -1;
  int control = -1;  // the listener's end of the control socket; the spare holds the other
};

// The listener: hands the accepted socket `fd` to the spare (which answers a byte once it
// took it). False when the spare is gone already (its end of the control socket closed):
// the caller starts that guest's worker itself.
inline bool hand_to_spare(const SpareWorker& spare, int fd) {
  const char one = 1;
  return spare.pid > 0 && spare.control >= 0 && send_with_fd(spare.control, &one, 1, fd) == 1;
}

// The spare: waits for its guest's socket. -1 when the listener closed its end first (it
// stopped) or sent no descriptor.
inline int wait_for_guest(int control) {
  char one = 0;
  int fd = -1;
  if (recv_with_fd(control, &one, 1, fd) != 1) return -1;
  return fd;
}

}  // namespace remora::server
