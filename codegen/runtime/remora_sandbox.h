// Remora runtime: confinement of an API server worker.
//
// A worker runs the vendor library on behalf of one guest, and vendor libraries are not
// hardened against malicious arguments: assume a guest can make the library misbehave.
// Before the worker loads the library it confines itself, as far as the library allows:
//   - no new privileges (PR_SET_NO_NEW_PRIVS: an exec cannot gain any) and not dumpable
//     (another worker of the same user cannot ptrace it or read its /proc/PID/mem);
//   - resource limits: address space (RLIMIT_AS, where the library does not reserve
//     huge ranges), CPU time (optional), open files, no core files;
//   - a seccomp filter that denies, with EPERM, the system calls a library never needs
//     and that reach other processes or the kernel's rarely used surface (ptrace,
//     process_vm_*, mount, kexec, bpf, perf_event_open, keys, modules, namespaces,
//     io_uring…). A deny list, not an allow list: vendor libraries use many system
//     calls (threads, ioctl on device files, memfd, sockets to their own daemons), and
//     an allow list would break them in ways only seen at run time;
//   - the working directory is a fresh per-worker scratch directory, removed at exit.
// REMORA_SANDBOX=off turns it all off (debugging a vendor library under gdb or strace).
// What is and is not confined: docs/deployment.md ("Worker confinement").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace remora::sandbox {

struct Options {
  bool enabled = true;
  std::uint64_t address_space_bytes = 0;  // RLIMIT_AS; 0: not limited
  std::uint64_t cpu_seconds = 0;    // RLIMIT_CPU; 0: not limited (a kernel may run for minutes)
  std::uint64_t open_files = 4096;  // RLIMIT_NOFILE (soft and hard)
  bool seccomp = true;
  std::string scratch_parent;  // where the scratch directory is made; empty: $TMPDIR or /tmp
};

// Defaults, overridden by the environment:
//   REMORA_SANDBOX=off|0          no confinement at all
//   REMORA_SANDBOX_AS_MB=N        address space limit in MiB (0: none)
//   REMORA_SANDBOX_CPU_S=N        CPU time limit in seconds (0: none, the default)
//   REMORA_SANDBOX_NOFILE=N       open files
//   REMORA_SANDBOX_SECCOMP=off    keep the rest, skip the system call filter
//   REMORA_SANDBOX_DIR=PATH       parent of the per-worker scratch directories
// A value that is not a number is an error (`error` says which), never silently ignored.
bool options_from_env(Options& out, std::string& error);

// Confines the calling process (every thread, when the kernel can synchronise them).
// `scratch_dir` receives the new working directory. False with `error` when a step
// failed: the worker then refuses to serve rather than run unconfined.
bool confine(const Options& opt, std::string& scratch_dir, std::string& error);

// Removes the scratch directory and what the library left in it (best effort).
void remove_scratch(const std::string& dir);
// The same, from the listener, for a worker that ended without doing it (crashed, killed):
// the scratch directory of process `pid` under the parent the environment names.
void remove_scratch_of(int pid);

// The system calls the filter denies, by name (for the docs and the tests).
const std::vector<std::string>& denied_syscalls();

}  // namespace remora::sandbox
