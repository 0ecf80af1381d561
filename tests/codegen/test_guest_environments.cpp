// Where guests really live: OpenCL samples through the stack generated from the reviewed
// spec, (1) in a container-like mount namespace where the vendor library, the ICD loader's
// vendor files and pocl are hidden, and (2) inside a QEMU guest (TCG, a Debian kernel, an
// initramfs built here) that reaches the host's API server over virtio-serial through
// remora-guestd, several samples at once. Both must print the native output.
//
// The QEMU test is hidden from the default run ([.]) and has a CTest of its own
// (codegen.qemu-virtio-serial); it prints "REMORA-SKIP: <why>" where QEMU, the kernel,
// its modules or a static busybox is missing.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "stack_fixture.h"

using namespace remora::test;
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
  std::string dir = std::string(OPENCL_STACK_DIR) + "/reviewed";
  build_generated_stack(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json", dir, "libOpenCL.so.1");
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

// ---------------------------------------------------------------- the QEMU guest

// The newest /boot/vmlinuz-VERSION whose modules are installed.
bool find_kernel(std::string& image, std::string& version) {
  if (!fs::exists("/boot")) return false;
  for (const auto& e : fs::directory_iterator("/boot")) {
    std::string f = e.path().filename().string();
    if (f.rfind("vmlinuz-", 0) != 0) continue;
    std::string v = f.substr(8);
    if (fs::exists("/lib/modules/" + v) && v > version) {
      version = v;
      image = e.path().string();
    }
  }
  return !image.empty();
}

bool is_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char m[4] = {};
  in.read(m, 4);
  return in && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
}

// The uncompressed vmlinux inside a bzImage, the way the kernel's scripts/extract-vmlinux
// finds it: try each compressor's magic, keep the first that decompresses to an ELF. Under
// TCG the uncompressed kernel boots 2-3x faster (no decompression in the guest). Cached.
std::string extract_vmlinux(const std::string& image, const std::string& out) {
  if (is_elf(out)) return out;
  std::string data = read_file(image);
  const std::vector<std::pair<std::string, std::string>> formats{
      {std::string("\xfd" "7zXZ\0", 6), "xz -dc"}, {"\x1f\x8b\x08", "gzip -dc"},
      {"\x28\xb5\x2f\xfd", "zstd -dc"}, {"\x02\x21\x4c\x18", "lz4 -dc"}};
  for (const auto& [magic, tool] : formats) {
    auto at = data.find(magic);
    if (at == std::string::npos) continue;
    std::string cmd = "tail -c +" + std::to_string(at + 1) + " '" + image + "' | " + tool + " > '" + out +
                      ".part' 2>/dev/null; true";
    run_program({"sh", "-c", cmd}, {}, 120);
    if (is_elf(out + ".part")) {
      fs::rename(out + ".part", out);
      return out;
    }
  }
  fs::remove(out + ".part");
  return "";
}

// A module of the kernel, uncompressed into `dest`; "builtin" when the kernel has it built in.
std::string install_module(const std::string& version, const std::string& name, const fs::path& dest) {
  std::string base = "/lib/modules/" + version;
  for (const auto& e : fs::recursive_directory_iterator(base + "/kernel")) {
    std::string f = e.path().filename().string();
    if (f.rfind(name + ".ko", 0) != 0) continue;
    std::string ext = f.substr(name.size() + 3);
    fs::path target = dest / (name + ".ko");
    if (ext.empty()) fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
    else if (ext == ".xz" || ext == ".zst" || ext == ".gz")
      run_program({"sh", "-c", std::string(ext == ".xz" ? "xz" : ext == ".zst" ? "zstd" : "gzip") + " -dc '" +
                                   e.path().string() + "' > '" + target.string() + "'"});
    else continue;
    return fs::exists(target) && fs::file_size(target) > 0 ? "module" : "";
  }
  std::string builtin = read_file(base + "/modules.builtin");
  return builtin.find("/" + name + ".ko") != std::string::npos ? "builtin" : "";
}

// Copies a binary and every library ldd resolves for it (with the guest library's folder
// first in the path) into root at the same absolute paths; the guest libOpenCL goes to
// /opt/remora/lib. Returns the libraries, for the check that no vendor code came along.
std::vector<std::string> copy_with_libraries(const std::string& binary, const fs::path& root, const std::string& to,
                                             const std::string& guest_dir) {
  fs::create_directories((root / to.substr(1)).parent_path());
  fs::copy_file(binary, root / to.substr(1), fs::copy_options::overwrite_existing);
  auto ldd = run_program({"ldd", binary}, {"LD_LIBRARY_PATH=" + guest_dir});
  std::vector<std::string> libs;
  static const std::regex line(R"(^\s*(\S+)(?:\s+=>\s+(\S+))?\s+\(0x)");
  std::istringstream in(ldd.output);
  std::string l;
  while (std::getline(in, l)) {
    std::smatch m;
    if (!std::regex_search(l, m, line)) continue;
    std::string path = m[2].matched ? m[2].str() : m[1].str();
    if (path.empty() || path[0] != '/') continue;  // linux-vdso
    libs.push_back(path);
    fs::path target = fs::path(path).parent_path() == fs::path(guest_dir) ? root / "opt/remora/lib" / fs::path(path).filename()
                                                                          : root / path.substr(1);
    fs::create_directories(target.parent_path());
    fs::copy_file(fs::canonical(path), target, fs::copy_options::overwrite_existing);
  }
  return libs;
}

std::string init_script(const std::vector<std::string>& modules, const std::vector<std::string>& samples) {
  std::ostringstream o;
  o << "#!/bin/busybox sh\n"
    << "/bin/busybox --install -s /bin\n"
    << "mkdir -p /proc /sys /dev /run /tmp\n"
    << "mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev\n";
  for (const auto& m : modules) o << "insmod /lib/modules/" << m << ".ko || echo 'REMORA-VM: insmod " << m << " failed'\n";
  o << "echo \"REMORA-VM: booted $(cut -d' ' -f1 /proc/uptime)\"\n"
    << "export LD_LIBRARY_PATH=/opt/remora/lib REMORA_SERVER=virtio-serial:" << kPort << "\n"
    << "/opt/remora/bin/remora-guestd " << kPort << " 2>/tmp/guestd.log &\n"
    << "for i in $(seq 100); do [ -S /run/remora/" << kPort << ".sock ] && break; sleep 0.1; done\n"
    << "pids=\n";
  // Several guest processes at once, each through its own channel (and server worker).
  for (const auto& s : samples)
    o << "(/opt/remora/samples/" << s << " >/tmp/" << s << ".out 2>/tmp/" << s << ".err; echo $? >/tmp/" << s
      << ".rc) & pids=\"$pids $!\"\n";
  o << "wait $pids\n"
    << "echo \"REMORA-VM: ran $(cut -d' ' -f1 /proc/uptime)\"\n";
  for (const auto& s : samples)
    o << "echo \"REMORA-VM: begin " << s << " rc=$(cat /tmp/" << s << ".rc)\"; cat /tmp/" << s << ".out; echo "
      << "'REMORA-VM: end " << s << "'; sed 's/^/REMORA-VM: stderr: /' /tmp/" << s << ".err\n";
  o << "sed 's/^/REMORA-VM: guestd: /' /tmp/guestd.log\n"
    << "echo 'REMORA-VM: done'\n"
    << "poweroff -f\n";
  return o.str();
}

struct GuestRun {
  std::string output;
  int rc = -1;
};

// "REMORA-VM: begin NAME rc=N" ... "REMORA-VM: end NAME" blocks of the console.
std::map<std::string, GuestRun> parse_console(std::string console) {
  console.erase(std::remove(console.begin(), console.end(), '\r'), console.end());
  std::map<std::string, GuestRun> out;
  static const std::regex begin(R"(REMORA-VM: begin (\S+) rc=(\d*)\n)");
  for (std::sregex_iterator it(console.begin(), console.end(), begin), end; it != end; ++it) {
    std::string name = (*it)[1];
    auto from = static_cast<std::size_t>(it->position() + it->length());
    auto to = console.find("REMORA-VM: end " + name + "\n", from);
    if (to == std::string::npos) continue;
    out[name] = {console.substr(from, to - from), (*it)[2].length() ? std::stoi((*it)[2]) : -1};
  }
  return out;
}

double console_seconds(const std::string& console, const std::string& what) {
  std::smatch m;
  std::regex re("REMORA-VM: " + what + " ([0-9.]+)");
  return std::regex_search(console, m, re) ? std::stod(m[1]) : -1;
}

}  // namespace

TEST_CASE("container: a sample in a mount namespace without the vendor library, ICD files or pocl runs through the stack",
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
  std::string empty_dir = temp_socket_path("empty-dir"), empty_file = temp_socket_path("empty-file");
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
    std::string script = hide + " if '" + s.exe + "' >/dev/null 2>&1; then echo NATIVE-RAN; else echo NATIVE-FAILED; fi;" +
                         " LD_LIBRARY_PATH='" + dir + "/build/guest' REMORA_SERVER='unix:" + sock + "' exec '" + s.exe + "'";
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

TEST_CASE("qemu: OpenCL samples in a TCG guest reach the host's server over virtio-serial through remora-guestd",
          "[.][qemu][opencl][virtio-serial]") {
  const std::vector<std::string> names{"ocl-01-info", "ocl-02-vector-add", "ocl-05-callbacks", "ocl-09-nonblocking"};
  auto start = Clock::now();
  std::string image, version;
  if (run_program({"sh", "-c", "command -v qemu-system-x86_64"}).status != 0)
    return skip("qemu-system-x86_64 is not installed (Debian: qemu-system-x86)");
  if (!find_kernel(image, version))
    return skip("no /boot/vmlinuz-* with its /lib/modules (Debian: linux-image-amd64)");
  std::string busybox = fs::exists("/bin/busybox") ? "/bin/busybox" : "/usr/bin/busybox";
  if (!fs::exists(busybox) || run_program({"ldd", busybox}).status == 0)
    return skip("no static busybox (Debian: busybox-static)");
  if (run_program({"sh", "-c", "command -v cpio"}).status != 0) return skip("cpio is not installed");
  if (!opencl_here(names)) return skip("no OpenCL samples, ocl-icd or cl.h on this machine");

  fs::path work = fs::path(OPENCL_STACK_DIR).parent_path() / "qemu-guest";
  fs::remove_all(work / "root");
  fs::create_directories(work / "root/lib/modules");
  auto t0 = Clock::now();
  std::string kernel = extract_vmlinux(image, (work / ("vmlinux-" + version)).string());
  double extract_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (kernel.empty()) {
    WARN("no uncompressed vmlinux could be extracted from " << image << ": booting the bzImage (slower under TCG)");
    kernel = image;
  }
  const std::vector<std::string> modules{"virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
                                         "virtio_pci", "virtio_console"};
  std::vector<std::string> to_load;
  for (const auto& m : modules) {
    std::string how = install_module(version, m, work / "root/lib/modules");
    if (how.empty()) return skip("kernel " + version + " has no " + m + " module");
    if (how == "module") to_load.push_back(m);
  }

  // The guest's files: busybox, the samples and remora-guestd with only the libraries
  // they load (the generated libOpenCL.so.1, libc, libstdc++ ...): no pocl, no ICD loader.
  std::string dir = reviewed_stack();
  std::string guest_dir = dir + "/build/guest";
  fs::path root = work / "root";
  fs::create_directories(root / "bin");
  fs::copy_file(busybox, root / "bin/busybox");
  std::set<std::string> libs;
  for (const auto& n : names)
    for (auto& l : copy_with_libraries(opencl_samples().at(n).exe, root, "/opt/remora/samples/" + n, guest_dir))
      libs.insert(l);
  for (auto& l : copy_with_libraries(dir + "/build/guestd/remora-guestd", root, "/opt/remora/bin/remora-guestd", guest_dir))
    libs.insert(l);
  std::string real_loader = fs::canonical(kRealOpenCL).string();
  for (const auto& l : libs) {
    INFO(l);
    CHECK(l.find("pocl") == std::string::npos);
    CHECK(fs::canonical(l).string() != real_loader);
  }
  REQUIRE(fs::exists(root / "opt/remora/lib/libOpenCL.so.1"));
  {
    std::ofstream init(root / "init");
    init << init_script(to_load, names);
  }
  fs::permissions(root / "init", fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  std::string initrd = (work / "initramfs.cpio").string();
  auto cpio = run_program({"sh", "-c", "cd '" + root.string() + "' && find . | cpio -o -H newc > '" + initrd + "' 2>/dev/null"});
  REQUIRE(cpio.status == 0);

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
  auto vm = run_program({"qemu-system-x86_64", "-M", "q35", "-accel", "tcg", "-m", "512", "-smp", "1", "-nographic",
                         "-no-reboot", "-nodefaults", "-nic", "none", "-serial", "stdio", "-kernel", kernel, "-initrd",
                         initrd, "-append", "console=ttyS0 quiet loglevel=1 panic=-1", "-device", "virtio-serial-pci",
                         "-chardev", "socket,id=remora0,path=" + link + ",reconnect=1", "-device",
                         std::string("virtserialport,chardev=remora0,name=") + kPort},
                        {}, 240);
  double vm_s = std::chrono::duration<double>(Clock::now() - boot).count();
  INFO("console:\n" << vm.output << "\nqemu stderr: " << vm.errors << "\nserver log: " << server.log());
  REQUIRE(vm.output.find("REMORA-VM: done") != std::string::npos);
  auto runs = parse_console(vm.output);
  for (const auto& n : names) {
    INFO(n);
    REQUIRE(runs.count(n));
    CHECK(runs[n].rc == 0);
    CHECK(runs[n].output == native[n]);
  }
  // Each guest process had a worker of its own on the host.
  std::string log = server.log();
  std::size_t workers = 0;
  for (auto p = log.find("guest connected (worker"); p != std::string::npos; p = log.find("guest connected (worker", p + 1))
    ++workers;
  CHECK(workers >= names.size());
  WARN("qemu guest: kernel " << version << (kernel == image ? " (bzImage)" : " (vmlinux)") << ", extraction "
       << extract_s << " s, guest booted (modules loaded) at " << console_seconds(vm.output, "booted")
       << " s of guest uptime, samples done at " << console_seconds(vm.output, "ran") << " s; QEMU ran " << vm_s
       << " s; whole test " << std::chrono::duration<double>(Clock::now() - start).count() << " s");
}
