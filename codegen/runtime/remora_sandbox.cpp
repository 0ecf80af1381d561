#include "remora_sandbox.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace remora::sandbox {
namespace {

// Sanitizer runtimes reserve terabytes of shadow address space: an address space limit
// would stop the instrumented worker before it starts.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Default address space limit: four times the host's memory, at least 16 GiB. pocl
// workers peak at about 0.5 GiB of virtual memory on a 2-core host (LLVM, one stack per
// device thread: more threads on bigger hosts); GPU drivers reserve address space in
// proportion to the memory they can map (device + host). The limit is a backstop against
// a library asked for absurd allocations (the runtime's per-guest limits come first),
// not a memory quota: a real quota is the cgroup of the server (docs/deployment.md).
std::uint64_t default_address_space_mib() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  const std::uint64_t ram_mib =
      pages > 0 && page > 0
          ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) >> 20
          : 0;
  return std::max<std::uint64_t>(16 * 1024, 4 * ram_mib);
}

struct Syscall {
  const char* name;
  long nr;
};

// clang-format off
#define REMORA_SYSCALL(n) Syscall{#n, __NR_##n},
// Reaching other processes, the kernel's configuration, or its rarely used surface.
const std::vector<Syscall>& denied_list() {
  static const std::vector<Syscall> list = {
#ifdef __NR_ptrace
    REMORA_SYSCALL(ptrace)
#endif
#ifdef __NR_process_vm_readv
    REMORA_SYSCALL(process_vm_readv)
#endif
#ifdef __NR_process_vm_writev
    REMORA_SYSCALL(process_vm_writev)
#endif
#ifdef __NR_pidfd_getfd
    REMORA_SYSCALL(pidfd_getfd)
#endif
#ifdef __NR_kcmp
    REMORA_SYSCALL(kcmp)
#endif
#ifdef __NR_mount
    REMORA_SYSCALL(mount)
#endif
#ifdef __NR_umount2
    REMORA_SYSCALL(umount2)
#endif
#ifdef __NR_pivot_root
    REMORA_SYSCALL(pivot_root)
#endif
#ifdef __NR_chroot
    REMORA_SYSCALL(chroot)
#endif
#ifdef __NR_fsopen
    REMORA_SYSCALL(fsopen)
#endif
#ifdef __NR_fsconfig
    REMORA_SYSCALL(fsconfig)
#endif
#ifdef __NR_fsmount
    REMORA_SYSCALL(fsmount)
#endif
#ifdef __NR_fspick
    REMORA_SYSCALL(fspick)
#endif
#ifdef __NR_move_mount
    REMORA_SYSCALL(move_mount)
#endif
#ifdef __NR_open_tree
    REMORA_SYSCALL(open_tree)
#endif
#ifdef __NR_mount_setattr
    REMORA_SYSCALL(mount_setattr)
#endif
#ifdef __NR_unshare
    REMORA_SYSCALL(unshare)
#endif
#ifdef __NR_setns
    REMORA_SYSCALL(setns)
#endif
#ifdef __NR_kexec_load
    REMORA_SYSCALL(
                                                                                  kexec_load)
#endif
#ifdef __NR_kexec_file_load
    REMORA_SYSCALL(
                                                                                      kexec_file_load)
#endif
#ifdef __NR_reboot
    REMORA_SYSCALL(
                                                                                          reboot)
#endif
#ifdef __NR_init_module
    REMORA_SYSCALL(
                                                                                              init_module)
#endif
#ifdef __NR_finit_module
    REMORA_SYSCALL(
                                                                                                  finit_module)
#endif
#ifdef __NR_delete_module
    REMORA_SYSCALL(
                                                                                                      delete_module)
#endif
#ifdef __NR_bpf
    REMORA_SYSCALL(
                                                                                                          bpf)
#endif
#ifdef __NR_perf_event_open
    REMORA_SYSCALL(
                                                                                                              perf_event_open)
#endif
#ifdef __NR_keyctl
    REMORA_SYSCALL(
                                                                                                                  keyctl)
#endif
#ifdef __NR_add_key
    REMORA_SYSCALL(
                                                                                                                      add_key)
#endif
#ifdef __NR_request_key
    REMORA_SYSCALL(
                                                                                                                          request_key)
#endif
#ifdef __NR_userfaultfd
    REMORA_SYSCALL(
                                                                                                                              userfaultfd)
#endif
#ifdef __NR_io_uring_setup
    REMORA_SYSCALL(
                                                                                                                                  io_uring_setup)
#endif
#ifdef __NR_io_uring_enter
    REMORA_SYSCALL(
                                                                                                                                      io_uring_enter)
#endif
#ifdef __NR_io_uring_register
    REMORA_SYSCALL(
                                                                                                                                          io_uring_register)
#endif
#ifdef __NR_open_by_handle_at
    REMORA_SYSCALL(
                                                                                                                                              open_by_handle_at)
#endif
#ifdef __NR_name_to_handle_at
    REMORA_SYSCALL(
                                                                                                                                                  name_to_handle_at)
#endif
#ifdef __NR_fanotify_init
    REMORA_SYSCALL(
                                                                                                                                                      fanotify_init)
#endif
#ifdef __NR_swapon
    REMORA_SYSCALL(
                                                                                                                                                          swapon)
#endif
#ifdef __NR_swapoff
    REMORA_SYSCALL(
                                                                                                                                                              swapoff)
#endif
#ifdef __NR_syslog
    REMORA_SYSCALL(
                                                                                                                                                                  syslog)
#endif
#ifdef __NR_acct
    REMORA_SYSCALL(
                                                                                                                                                                      acct)
#endif
#ifdef __NR_quotactl
    REMORA_SYSCALL(
                                                                                                                                                                          quotactl)
#endif
#ifdef __NR_settimeofday
    REMORA_SYSCALL(
                                                                                                                                                                              settimeofday)
#endif
#ifdef __NR_clock_settime
    REMORA_SYSCALL(
                                                                                                                                                                                  clock_settime)
#endif
#ifdef __NR_clock_adjtime
    REMORA_SYSCALL(
                                                                                                                                                                                      clock_adjtime)
#endif
#ifdef __NR_adjtimex
    REMORA_SYSCALL(
                                                                                                                                                                                          adjtimex)
#endif
#ifdef __NR_sethostname
    REMORA_SYSCALL(
                                                                                                                                                                                              sethostname)
#endif
#ifdef __NR_setdomainname
    REMORA_SYSCALL(
                                                                                                                                                                                                  setdomainname)
#endif
#ifdef __NR_iopl
    REMORA_SYSCALL(
                                                                                                                                                                                                      iopl)
#endif
#ifdef __NR_ioperm
    REMORA_SYSCALL(
                                                                                                                                                                                                          ioperm)
#endif
#ifdef __NR_vhangup
    REMORA_SYSCALL(
                                                                                                                                                                                                              vhangup)
#endif
#ifdef __NR_uselib
    REMORA_SYSCALL(
                                                                                                                                                                                                                  uselib)
#endif
#ifdef __NR_lookup_dcookie
    REMORA_SYSCALL(
                                                                                                                                                                                                                      lookup_dcookie)
#endif
  };
  return list;
}
#undef REMORA_SYSCALL
// clang-format on

// clone() flags that would make new namespaces (a user namespace opens most of the
// kernel's privileged surface to an unprivileged process).
constexpr std::uint32_t kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                          CLONE_NEWCGROUP;

#if defined(__x86_64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kArch = 0;  // no filter on other architectures (docs/deployment.md)
#endif

// A classic BPF program with symbolic jump targets, resolved once it is complete.
class Program {
 public:
  enum Label { kNext = -1, kAllow, kDeny, kNoSys, kLabels };
  void stmt(std::uint16_t code, std::uint32_t k) { code_.push_back(BPF_STMT(code, k)); }
  // A conditional jump: to `yes` when the test holds, else to `no` (kNext: fall through).
  void jump(std::uint16_t test, std::uint32_t k, Label yes, Label no = kNext) {
    fixups_.push_back({code_.size(), yes, no});
    code_.push_back(BPF_JUMP(BPF_JMP | test | BPF_K, k, 0, 0));
  }
  void bind(Label label) { at_[label] = code_.size(); }
  bool finish(std::vector<sock_filter>& out) {
    for (const auto& f : fixups_) {
      if (!offset(f.at, f.yes, code_[f.at].jt) || !offset(f.at, f.no, code_[f.at].jf)) return false;
    }
    out = code_;
    return true;
  }

 private:
  struct Fixup {
    std::size_t at;
    Label yes, no;
  };
  bool offset(std::size_t from, Label to, std::uint8_t& field) const {
    if (to == kNext) return true;
    const std::size_t distance = at_[to] - from - 1;
    if (at_[to] <= from || distance > 255) return false;
    field = static_cast<std::uint8_t>(distance);
    return true;
  }
  std::vector<sock_filter> code_;
  std::vector<Fixup> fixups_;
  std::size_t at_[kLabels] = {};
};

bool build_filter(std::vector<sock_filter>& code) {
  Program p;
  p.stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  // Another ABI's numbers (a 32-bit int 0x80) would bypass the list: all refused.
  p.jump(BPF_JEQ, kArch, Program::kNext, Program::kDeny);
  p.stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
#if defined(__x86_64__)
  p.jump(BPF_JGE, 0x40000000u, Program::kDeny);  // the x32 ABI: the same numbers with this bit
#endif
  for (const auto& s : denied_list())
    p.jump(BPF_JEQ, static_cast<std::uint32_t>(s.nr), Program::kDeny);
#ifdef __NR_clone3
  // clone3 passes its flags in memory a filter cannot read: ENOSYS makes the C library
  // fall back to clone, whose flags it can.
  p.jump(BPF_JEQ, __NR_clone3, Program::kNoSys);
#endif
#ifdef __NR_clone
  p.jump(BPF_JEQ, __NR_clone, Program::kNext, Program::kAllow);
  p.stmt(BPF_LD | BPF_W | BPF_ABS,
         offsetof(seccomp_data, args));  // the flags' low word (little endian)
  p.jump(BPF_JSET, kNamespaceFlags, Program::kDeny, Program::kAllow);
#endif
  p.bind(Program::kAllow);
  p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  p.bind(Program::kDeny);
  p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  p.bind(Program::kNoSys);
  p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  return p.finish(code);
}

bool install_filter(std::string& error) {
  if (kArch == 0) return true;
  std::vector<sock_filter> code;
  if (!build_filter(code)) {
    error = "the seccomp filter does not fit classic BPF jumps";
    return false;
  }
  sock_fprog prog{static_cast<unsigned short>(code.size()), code.data()};
  // Every thread at once (a library constructor may have started some); older kernels
  // without TSYNC get the filter on this thread, which is the only one at start-up.
  if (::syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) == 0)
    return true;
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0) return true;
  error = std::string("seccomp filter: ") + std::strerror(errno);
  return false;
}

bool set_limit(int resource, std::uint64_t value, const char* name, std::string& error) {
  rlimit cur{};
  if (::getrlimit(resource, &cur) != 0) cur.rlim_max = RLIM_INFINITY;
  rlimit lim{};
  lim.rlim_cur = lim.rlim_max = value;
  if (cur.rlim_max != RLIM_INFINITY && cur.rlim_max < value)
    lim.rlim_cur = lim.rlim_max = cur.rlim_max;
  if (::setrlimit(resource, &lim) == 0) return true;
  error = std::string("setrlimit(") + name + "): " + std::strerror(errno);
  return false;
}

bool parse_u64(const char* var, std::uint64_t& out, std::string& error) {
  const char* v = std::getenv(var);
  if (!v || !*v) return true;
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (errno != 0 || *end != '\0' || *v == '-') {
    error = std::string(var) + "='" + v + "' is not a number";
    return false;
  }
  out = n;
  return true;
}

bool is_off(const char* v) {
  return v && (!std::strcmp(v, "off") || !std::strcmp(v, "0") || !std::strcmp(v, "no") ||
               !std::strcmp(v, "false"));
}

}  // namespace

bool options_from_env(Options& out, std::string& error) {
  Options o;
  o.enabled = !is_off(std::getenv("REMORA_SANDBOX"));
  o.seccomp = !is_off(std::getenv("REMORA_SANDBOX_SECCOMP"));
  std::uint64_t as_mib = kSanitized ? 0 : default_address_space_mib();
  if (!parse_u64("REMORA_SANDBOX_AS_MB", as_mib, error) ||
      !parse_u64("REMORA_SANDBOX_CPU_S", o.cpu_seconds, error) ||
      !parse_u64("REMORA_SANDBOX_NOFILE", o.open_files, error))
    return false;
  if (kSanitized) as_mib = 0;
  o.address_space_bytes = as_mib << 20;
  if (o.open_files < 64) {
    error = "REMORA_SANDBOX_NOFILE below 64 leaves a worker unable to load a library";
    return false;
  }
  if (const char* d = std::getenv("REMORA_SANDBOX_DIR")) o.scratch_parent = d;
  out = o;
  return true;
}

namespace {

std::string scratch_parent(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* d = std::getenv("REMORA_SANDBOX_DIR"); d && *d) return d;
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

std::string scratch_prefix(int pid) {
  return "remora-worker-" + std::to_string(pid) + "-";
}

}  // namespace

bool confine(const Options& opt, std::string& scratch_dir, std::string& error) {
  scratch_dir.clear();
  if (!opt.enabled) return true;
  const std::string parent = scratch_parent(opt.scratch_parent);
  std::string tmpl = parent + "/" + scratch_prefix(::getpid()) + "XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    error = "scratch directory in " + parent + ": " + std::strerror(errno);
    return false;
  }
  scratch_dir = tmpl;
  // The library's temporary files land in the scratch directory too, and go with it.
  if (::chdir(scratch_dir.c_str()) != 0 || ::setenv("TMPDIR", scratch_dir.c_str(), 1) != 0) {
    error = "scratch directory " + scratch_dir + ": " + std::strerror(errno);
    return false;
  }
  if (!set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE", error) ||
      !set_limit(RLIMIT_NOFILE, opt.open_files, "RLIMIT_NOFILE", error) ||
      (opt.address_space_bytes &&
       !set_limit(RLIMIT_AS, opt.address_space_bytes, "RLIMIT_AS", error)) ||
      (opt.cpu_seconds && !set_limit(RLIMIT_CPU, opt.cpu_seconds, "RLIMIT_CPU", error)))
    return false;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    error = std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno);
    return false;
  }
  // Not dumpable: other processes of the same user (other guests' workers) cannot ptrace
  // this one or read its memory through /proc.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    error = std::string("PR_SET_DUMPABLE: ") + std::strerror(errno);
    return false;
  }
  return !opt.seccomp || install_filter(error);
}

void remove_scratch(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void remove_scratch_of(int pid) {
  const std::string prefix = scratch_prefix(pid);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(scratch_parent(""), ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0)
      std::filesystem::remove_all(it->path(), ec);
}

const std::vector<std::string>& denied_syscalls() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& s : denied_list()) v.push_back(s.name);
    return v;
  }();
  return names;
}

}  // namespace remora::sandbox
