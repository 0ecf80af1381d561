// Where guests really live: OpenCL samples through the stack generated from the reviewed
// spec, (1) in a container-like mount namespace where the vendor library, the ICD loader's
// vendor files and pocl are hidden, and (2) inside a QEMU guest (TCG, a Debian kernel, an
// initramfs built here) that reaches the host's API server over virtio-serial through
// remora-guestd, several samples at once. Both must print the native output.
//
// The QEMU test is hidden from the default run ([.]) and has a CTest of its own
// (codegen.qemu-virtio-serial); it prints "REMORA-SKIP: <why>" where QEMU, the kernel,
// its modules or a static busybox is missing.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "qemu_guest_kit.h"
#include "stack_fixture.h"

using namespace remora::test;
namespace qemu = remora::test::qemu;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const char* kRealOpenCL = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";
const char* kPort = "org.remora.0";

struct Sample {
  std::string exe, expected;
};

// name -> executable and expected output, from the build's sample list.
std::map<std::string, Sample> opencl_samples() {
  std::map<std::string, Sample> out;
  std::istringstream lines(read_file(OPENCL_SAMPLES_FILE));
  std::string name, exe, expected;
  while (lines >> name >> exe >> expected) out[name] = {exe, expected};
  return out;
}

// The reviewed stack the OpenCL end-to-end test builds (shared folder, incremental).
std::string reviewed_stack() {
  std::string dir = opencl_stack_root() + "/reviewed";
  build_generated_stack(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json", dir,
                        "libOpenCL.so.1");
  return dir;
}

bool opencl_here(const std::vector<std::string>& names) {
  auto all = opencl_samples();
  for (const auto& n : names)
    if (!all.count(n)) return false;
  return fs::exists(kRealOpenCL) && fs::exists("/usr/include/CL/cl.h");
}

void skip(const std::string& why) {
  std::cout << "REMORA-SKIP: " << why << std::endl;
  WARN("skipped: " << why);
}

// The guest's init: several samples at once (each a guest process with its own channel
// and server worker), then each one's exit status and output on the console.
std::string init_script(const qemu::Kit& kit, const std::vector<std::string>& samples) {
  std::ostringstream o;
  o << qemu::init_prologue(kit, kPort) << "pids=\n";
  for (const auto& s : samples)
    o << "(/opt/remora/samples/" << s << " >/tmp/" << s << ".out 2>/tmp/" << s
      << ".err; echo $? >/tmp/" << s << ".rc) & pids=\"$pids $!\"\n";
  o << "wait $pids\n"
    << "echo \"REMORA-VM: ran $(cut -d' ' -f1 /proc/uptime)\"\n";
  for (const auto& s : samples)
    o << "echo \"REMORA-VM: begin " << s << " rc=$(cat /tmp/" << s << ".rc)\"; cat /tmp/" << s
      << ".out; echo "
      << "'REMORA-VM: end " << s << "'; sed 's/^/REMORA-VM: stderr: /' /tmp/" << s << ".err\n";
  // Then the host's server dies under a calling guest process: the call must fail (not
  // hang), and a new guest process must be refused at once while the host side is away.
  o << "if [ -x /opt/remora/bin/vm_link_probe ]; then\n"
    << "  /opt/remora/bin/vm_link_probe calls 1000000000 >/dev/null 2>/tmp/probe.err & probe=$!\n"
    << "  echo 'REMORA-VM: kill the server'\n"
    << "  wait $probe; echo \"REMORA-VM: probe-exit rc=$?\"\n"
    << "  /opt/remora/bin/vm_link_probe calls 1 >/dev/null 2>/tmp/probe2.err; echo \"REMORA-VM: "
       "after-exit rc=$?\"\n"
    << "  sed 's/^/REMORA-VM: probe: /' /tmp/probe.err /tmp/probe2.err\n"
    << "fi\n"
    << "sed 's/^/REMORA-VM: guestd: /' /tmp/guestd.log\n"
    << "echo 'REMORA-VM: done'\n"
    << "poweroff -f\n";
  return o.str();
}

// The server's whole process tree (parent, acceptor, link processes, workers).
std::vector<int> process_tree(int pid) {
  std::vector<int> out{pid};
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::istringstream kids(run_program({"pgrep", "-P", std::to_string(out[i])}).output);
    for (int k; kids >> k;) out.push_back(k);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "container: a sample in a mount namespace without the vendor library, ICD files or pocl runs "
    "through the stack",
    "[codegen][opencl][container]") {
  const std::vector<std::string> names{"ocl-01-info", "ocl-02-vector-add"};
  if (!opencl_here(names)) return skip("no OpenCL samples, ocl-icd or cl.h on this machine");
  if (run_program({"unshare", geteuid() == 0 ? "-m" : "-rm", "true"}).status != 0)
    return skip("mount namespaces are not permitted here (unshare -m)");
  std::string dir = reviewed_stack();
  std::string sock = temp_socket_path("opencl-container");
  ServerProcess server(dir + "/build/server/opencl-server", "unix:" + sock, kRealOpenCL);
  REQUIRE(server.ready());

  // What a container image would not have: the ICD loader and vendor library files
  // (bind-mounted over by an empty file, so loading them fails), the ICD vendor files and
  // pocl's folders (an empty folder over each).
  std::string empty_dir = temp_socket_path("empty-dir"),
              empty_file = temp_socket_path("empty-file");
  fs::create_directories(empty_dir);
  std::ofstream(empty_file).close();
  std::set<std::string> files{fs::canonical(kRealOpenCL).string()}, dirs;
  for (const char* libdir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib"})
    if (fs::exists(libdir))
      for (const auto& e : fs::directory_iterator(libdir)) {
        std::string f = e.path().filename().string();
        if (f.rfind("libpocl", 0) == 0 || f.rfind("libOpenCL", 0) == 0) {
          if (fs::is_regular_file(e.path())) files.insert(fs::canonical(e.path()).string());
        } else if (f == "pocl" && fs::is_directory(e.path())) {
          dirs.insert(e.path().string());
        }
      }
  for (const char* d : {"/etc/OpenCL/vendors", "/usr/share/pocl", "/usr/lib/x86_64-linux-gnu/pocl"})
    if (fs::is_directory(d)) dirs.insert(d);
  std::string hide = "set -e; mount --make-rprivate /;";
  for (const auto& f : files) hide += " mount --bind '" + empty_file + "' '" + f + "';";
  for (const auto& d : dirs) hide += " mount --bind '" + empty_dir + "' '" + d + "';";

  for (const auto& name : names) {
    Sample s = opencl_samples().at(name);
    std::string script = hide + " if '" + s.exe +
                         "' >/dev/null 2>&1; then echo NATIVE-RAN; else echo NATIVE-FAILED; fi;" +
                         " LD_LIBRARY_PATH='" + dir + "/build/guest' REMORA_SERVER='unix:" + sock +
                         "' exec '" + s.exe + "'";
    auto r = run_program({"unshare", geteuid() == 0 ? "-m" : "-rm", "sh", "-c", script}, {}, 120);
    INFO(name << ": " << r.errors << "\nserver log: " << server.log());
    // Natively the program cannot even start there: the vendor stack is really gone.
    REQUIRE(r.output.rfind("NATIVE-FAILED\n", 0) == 0);
    CHECK(r.status == 0);
    CHECK(r.output.substr(14) == read_file(s.expected));
  }
  fs::remove_all(empty_dir);
  fs::remove(empty_file);
}

TEST_CASE(
    "qemu: OpenCL samples in a TCG guest reach the host's server over virtio-serial through "
    "remora-guestd",
    "[.][qemu][opencl][virtio-serial]") {
  const std::vector<std::string> names{"ocl-01-info", "ocl-02-vector-add", "ocl-05-callbacks",
                                       "ocl-09-nonblocking"};
  auto start = Clock::now();
  if (!opencl_here(names)) return skip("no OpenCL samples, ocl-icd or cl.h on this machine");
  fs::path work = fs::path(OPENCL_STACK_DIR).parent_path() / "qemu-guest";
  fs::create_directories(work);
  qemu::Kit kit = qemu::prepare(work);
  if (!kit.why_not.empty()) return skip(kit.why_not);
  if (!kit.uncompressed)
    WARN("no uncompressed vmlinux could be extracted: booting the bzImage (slower under TCG)");

  // The guest's files: busybox, the samples and remora-guestd with only the libraries
  // they load (the generated libOpenCL.so.1, libc, libstdc++ ...): no pocl, no ICD loader.
  std::string dir = reviewed_stack();
  std::string guest_dir = dir + "/build/guest";
  fs::path root = kit.root;
  std::set<std::string> libs;
  for (const auto& n : names)
    for (auto& l : qemu::copy_with_libraries(opencl_samples().at(n).exe, root,
                                             "/opt/remora/samples/" + n, guest_dir))
      libs.insert(l);
  for (auto& l : qemu::copy_with_libraries(dir + "/build/guestd/remora-guestd", root,
                                           "/opt/remora/bin/remora-guestd", guest_dir))
    libs.insert(l);
  if (*VM_LINK_PROBE)
    for (auto& l :
         qemu::copy_with_libraries(VM_LINK_PROBE, root, "/opt/remora/bin/vm_link_probe", guest_dir))
      libs.insert(l);
  std::string real_loader = fs::canonical(kRealOpenCL).string();
  for (const auto& l : libs) {
    INFO(l);
    CHECK(l.find("pocl") == std::string::npos);
    CHECK(fs::canonical(l).string() != real_loader);
  }
  REQUIRE(fs::exists(root / "opt/remora/lib/libOpenCL.so.1"));
  std::string initrd = (work / "initramfs.cpio").string();
  REQUIRE(qemu::write_initramfs(kit, init_script(kit, names), initrd));

  // The host: the API server listens where QEMU's chardev connects.
  std::string link = temp_socket_path("vm-serial");
  ServerProcess server(dir + "/build/server/opencl-server", "virtio-serial:" + link, kRealOpenCL);
  REQUIRE(server.ready());
  std::map<std::string, std::string> native;
  for (const auto& n : names) {
    auto r = run_program({opencl_samples().at(n).exe}, {}, 120);
    REQUIRE(r.status == 0);
    REQUIRE(r.output == read_file(opencl_samples().at(n).expected));
    native[n] = r.output;
  }
  auto boot = Clock::now();
  auto cmd = qemu::command(kit, initrd);
  qemu::add_port(cmd, "remora0", link, kPort);
  Clock::time_point killed_at{}, failed_at{}, refused_at{};
  std::string server_log;
  std::string console = qemu::run_streaming(cmd, 240, [&](const std::string& line) {
    if (line == "REMORA-VM: kill the server") {
      // Once the probe's worker serves it (a worker per sample before it), kill it all.
      for (int i = 0; i < 500 && count_of(server.log(), "guest connected (worker") <= names.size();
           ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      server_log = server.log();
      killed_at = Clock::now();
      for (int pid : process_tree(server.pid())) kill(pid, SIGKILL);
    }
    if (line.rfind("REMORA-VM: probe-exit", 0) == 0) failed_at = Clock::now();
    if (line.rfind("REMORA-VM: after-exit", 0) == 0) refused_at = Clock::now();
  });
  struct {
    std::string output;
  } vm{console};
  double vm_s = std::chrono::duration<double>(Clock::now() - boot).count();
  if (server_log.empty()) server_log = server.log();
  INFO("console:\n" << vm.output << "\nserver log: " << server_log);
  REQUIRE(vm.output.find("REMORA-VM: done") != std::string::npos);
  auto runs = qemu::parse_console(vm.output);
  for (const auto& n : names) {
    INFO(n);
    REQUIRE(runs.count(n));
    CHECK(runs[n].rc == 0);
    CHECK(runs[n].output == native[n]);
  }
  // Each guest process had a worker of its own on the host.
  CHECK(count_of(server_log, "guest connected (worker") >= names.size());
  double fail_s = -1, refuse_s = -1;
  if (*VM_LINK_PROBE) {
    // The server died under a calling guest process: the call failed within seconds (the
    // port's host side dropped, guestd closed the connection), and the next was refused.
    CHECK(vm.output.find("REMORA-VM: probe-exit rc=0") == std::string::npos);
    CHECK(vm.output.find("REMORA-VM: after-exit rc=0") == std::string::npos);
    REQUIRE(killed_at != Clock::time_point{});
    REQUIRE(failed_at != Clock::time_point{});
    REQUIRE(refused_at != Clock::time_point{});
    fail_s = std::chrono::duration<double>(failed_at - killed_at).count();
    refuse_s = std::chrono::duration<double>(refused_at - failed_at).count();
    CHECK(fail_s < 5);
    CHECK(refuse_s < 5);
  }
  WARN("qemu guest: kernel "
       << kit.version << (kit.uncompressed ? " (vmlinux)" : " (bzImage)") << ", extraction "
       << kit.extract_seconds << " s, guest booted (modules loaded) at "
       << qemu::console_seconds(vm.output, "booted") << " s of guest uptime, samples done at "
       << qemu::console_seconds(vm.output, "ran") << " s; QEMU ran " << vm_s
       << " s; after the server was killed the guest's call failed in " << fail_s
       << " s and a new guest process was refused in " << refuse_s << " s; whole test "
       << std::chrono::duration<double>(Clock::now() - start).count() << " s");
}

namespace {

// The host end of the raw port: echoes whatever the guest sends (QEMU's chardev connects
// here), until the guest is gone.
class Echo {
 public:
  explicit Echo(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    ::unlink(path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd_, 1) != 0)
      return;
    thread_ = std::thread([this] {
      pollfd p{fd_, POLLIN, 0};
      while (!stop_ && ::poll(&p, 1, 100) == 0) {
      }
      int c = stop_ ? -1 : ::accept(fd_, nullptr, nullptr);
      std::vector<char> b(1 << 20);
      while (c >= 0 && !stop_) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 100) <= 0) continue;
        ssize_t k = ::recv(c, b.data(), b.size(), 0);
        if (k <= 0) break;
        for (ssize_t at = 0; at < k;) {
          ssize_t w = ::send(c, b.data() + at, static_cast<std::size_t>(k - at), MSG_NOSIGNAL);
          if (w <= 0) break;
          at += w;
        }
      }
      if (c >= 0) ::close(c);
    });
  }
  ~Echo() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

double field(const std::string& out, const std::string& key) {
  std::smatch m;
  std::regex re("(^|\n)" + key + " ([0-9.]+)");
  return std::regex_search(out, m, re) ? std::stod(m[2]) : -1;
}

}  // namespace

// Not a test: `build/tests/codegen/remora_codegen_tests "[vm-bench]"` (docs/deployment.md).
TEST_CASE(
    "qemu benchmark: API round trip and bulk bandwidth over virtio-serial vs the raw port's "
    "ping-pong",
    "[.][vm-bench]") {
  if (!opencl_here({"ocl-01-info"}) || !*VM_LINK_PROBE) return skip("no OpenCL on this machine");
  fs::path work = fs::path(OPENCL_STACK_DIR).parent_path() / "qemu-bench";
  fs::create_directories(work);
  qemu::Kit kit = qemu::prepare(work);
  if (!kit.why_not.empty()) return skip(kit.why_not);
  std::string dir = reviewed_stack();
  qemu::copy_with_libraries(VM_LINK_PROBE, kit.root, "/opt/remora/bin/vm_link_probe",
                            dir + "/build/guest");
  qemu::copy_with_libraries(dir + "/build/guestd/remora-guestd", kit.root,
                            "/opt/remora/bin/remora-guestd", dir + "/build/guest");
  const std::vector<std::pair<std::string, std::string>> runs{
      {"raw-1", "raw org.remora.raw 2000 1"},
      {"raw-1m", "raw org.remora.raw 20 1048576"},
      {"calls", "calls 2000"},
      {"bulk", "bulk 16777216 3"}};
  std::ostringstream init;
  init << qemu::init_prologue(kit, kPort);
  for (const auto& [name, args] : runs)
    init << "/opt/remora/bin/vm_link_probe " << args
         << " >/tmp/o 2>&1; rc=$?; echo \"REMORA-VM: begin " << name
         << " rc=$rc\"; cat /tmp/o; echo 'REMORA-VM: end " << name << "'\n";
  init << "echo 'REMORA-VM: done'\npoweroff -f\n";
  std::string initrd = (work / "initramfs.cpio").string();
  REQUIRE(qemu::write_initramfs(kit, init.str(), initrd));

  std::string link = temp_socket_path("vm-bench"), raw = temp_socket_path("vm-bench-raw");
  ServerProcess server(dir + "/build/server/opencl-server", "virtio-serial:" + link, kRealOpenCL);
  REQUIRE(server.ready());
  Echo echo(raw);
  auto cmd = qemu::command(kit, initrd);
  qemu::add_port(cmd, "remora0", link, kPort);
  qemu::add_port(cmd, "raw0", raw, "org.remora.raw");
  auto vm = run_program(cmd, {}, 300);
  INFO("console:\n" << vm.output << "\nserver log: " << server.log());
  auto out = qemu::parse_console(vm.output);
  for (const auto& [name, args] : runs) {
    INFO(name);
    REQUIRE(out.count(name));
    REQUIRE(out[name].rc == 0);
  }
  // The same calls on the host over unix:, for scale.
  std::string sock = temp_socket_path("vm-bench-unix");
  ServerProcess host_server(dir + "/build/server/opencl-server", "unix:" + sock, kRealOpenCL);
  REQUIRE(host_server.ready());
  auto host =
      run_program({VM_LINK_PROBE, "calls", "2000"},
                  {"LD_LIBRARY_PATH=" + dir + "/build/guest", "REMORA_SERVER=unix:" + sock});
  double raw1 = field(out["raw-1"].output, "raw 1"),
         raw1m = field(out["raw-1m"].output, "raw 1048576");
  double call = field(out["calls"].output, "call 4"), host_call = field(host.output, "call 4");
  double raw_mbps = 2.0 * 1048576 / raw1m;  // both directions per round
  double wr = field(out["bulk"].output, "bulk-write 16777216"),
         rd = field(out["bulk"].output, "bulk-read 16777216");
  std::printf(
      "virtio-serial in a TCG guest (q35, QEMU %s), same run:\n"
      "  raw port ping-pong, 1 byte:           %8.1f us per round trip\n"
      "  API call (4-byte blocking read):      %8.1f us  = %.2fx the raw round trip\n"
      "  same call on the host over unix:      %8.1f us\n"
      "  raw port ping-pong, 1 MiB each way:   %8.1f MB/s (both directions counted)\n"
      "  API bulk write 16 MiB:                %8.1f MB/s = %.2fx raw\n"
      "  API bulk read 16 MiB:                 %8.1f MB/s = %.2fx raw\n",
      run_program(
          {"sh", "-c", "qemu-system-x86_64 --version | head -1 | awk '{printf \"%s\", $4}'"})
          .output.c_str(),
      raw1, call, call / raw1, host_call, raw_mbps, wr, wr / raw_mbps, rd, rd / raw_mbps);
}
