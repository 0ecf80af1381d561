#include "qemu_guest_kit.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "stack_fixture.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace remora::test::qemu {

namespace {

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
  const std::vector<std::pair<std::string, std::string>> formats{{std::string("\xfd"
                                                                              "7zXZ\0",
                                                                              6),
                                                                  "xz -dc"},
                                                                 {"\x1f\x8b\x08", "gzip -dc"},
                                                                 {"\x28\xb5\x2f\xfd", "zstd -dc"},
                                                                 {"\x02\x21\x4c\x18", "lz4 -dc"}};
  for (const auto& [magic, tool] : formats) {
    auto at = data.find(magic);
    if (at == std::string::npos) continue;
    std::string cmd = "tail -c +" + std::to_string(at + 1) + " '" + image + "' | " + tool + " > '" +
                      out + ".part' 2>/dev/null; true";
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
std::string install_module(const std::string& version, const std::string& name,
                           const fs::path& dest) {
  std::string base = "/lib/modules/" + version;
  for (const auto& e : fs::recursive_directory_iterator(base + "/kernel")) {
    std::string f = e.path().filename().string();
    if (f.rfind(name + ".ko", 0) != 0) continue;
    std::string ext = f.substr(name.size() + 3);
    fs::path target = dest / (name + ".ko");
    if (ext.empty())
      fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
    else if (ext == ".xz" || ext == ".zst" || ext == ".gz")
      run_program({"sh", "-c",
                   std::string(ext == ".xz"    ? "xz"
                               : ext == ".zst" ? "zstd"
                                               : "gzip") +
                       " -dc '" + e.path().string() + "' > '" + target.string() + "'"});
    else
      continue;
    return fs::exists(target) && fs::file_size(target) > 0 ? "module" : "";
  }
  std::string builtin = read_file(base + "/modules.builtin");
  return builtin.find("/" + name + ".ko") != std::string::npos ? "builtin" : "";
}

}  // namespace

Kit prepare(const fs::path& work) {
  Kit kit;
  std::string image;
  if (run_program({"sh", "-c", "command -v qemu-system-x86_64"}).status != 0) {
    kit.why_not = "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)";
    return kit;
  }
  if (!find_kernel(image, kit.version)) {
    kit.why_not = "no /boot/vmlinuz-* with its /lib/modules (Debian: linux-image-amd64)";
    return kit;
  }
  if (::access(image.c_str(), R_OK) != 0) {
    kit.why_not = image +
                  " is not readable by this user (Debian installs kernels mode 0600; run as root "
                  "or chmod o+r it)";
    return kit;
  }
  std::string busybox = fs::exists("/bin/busybox") ? "/bin/busybox" : "/usr/bin/busybox";
  if (!fs::exists(busybox) || run_program({"ldd", busybox}).status == 0) {
    kit.why_not = "no static busybox (Debian: busybox-static)";
    return kit;
  }
  if (run_program({"sh", "-c", "command -v cpio"}).status != 0) {
    kit.why_not = "cpio is not installed";
    return kit;
  }
  kit.root = work / "root";
  fs::remove_all(kit.root);
  fs::create_directories(kit.root / "lib/modules");
  fs::create_directories(kit.root / "bin");
  fs::copy_file(busybox, kit.root / "bin/busybox");
  auto t0 = Clock::now();
  kit.kernel = extract_vmlinux(image, (work / ("vmlinux-" + kit.version)).string());
  kit.extract_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  kit.uncompressed = !kit.kernel.empty();
  if (!kit.uncompressed) kit.kernel = image;
  for (const char* m : {"virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
                        "virtio_pci", "virtio_console"}) {
    std::string how = install_module(kit.version, m, kit.root / "lib/modules");
    if (how.empty()) {
      kit.why_not = "kernel " + kit.version + " has no " + m + " module";
      return kit;
    }
    if (how == "module") kit.modules.push_back(m);
  }
  return kit;
}

std::string init_prologue(const Kit& kit, const std::string& port) {
  std::ostringstream o;
  o << "#!/bin/busybox sh\n"
    << "/bin/busybox --install -s /bin\n"
    << "mkdir -p /proc /sys /dev /run /tmp\n"
    << "mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev\n";
  for (const auto& m : kit.modules)
    o << "insmod /lib/modules/" << m << ".ko || echo 'REMORA-VM: insmod " << m << " failed'\n";
  o << "echo \"REMORA-VM: booted $(cut -d' ' -f1 /proc/uptime)\"\n"
    << "export LD_LIBRARY_PATH=/opt/remora/lib REMORA_SERVER=virtio-serial:" << port << "\n"
    << "/opt/remora/bin/remora-guestd " << port << " 2>/tmp/guestd.log &\n"
    << "for i in $(seq 100); do [ -S /run/remora/" << port << ".sock ] && break; sleep 0.1; done\n";
  return o.str();
}

bool write_initramfs(const Kit& kit, const std::string& init, const std::string& out) {
  {
    std::ofstream f(kit.root / "init");
    f << init;
  }
  fs::permissions(kit.root / "init",
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  return run_program({"sh", "-c",
                      "cd '" + kit.root.string() + "' && find . | cpio -o -H newc > '" + out +
                          "' 2>/dev/null"})
             .status == 0;
}

std::vector<std::string> command(const Kit& kit, const std::string& initrd) {
  return {"qemu-system-x86_64",
          "-M",
          "q35",
          "-accel",
          "tcg",
          "-m",
          "512",
          "-smp",
          "1",
          "-nographic",
          "-no-reboot",
          "-nodefaults",
          "-nic",
          "none",
          "-serial",
          "stdio",
          "-kernel",
          kit.kernel,
          "-initrd",
          initrd,
          "-append",
          "console=ttyS0 quiet loglevel=1 panic=-1",
          "-device",
          "virtio-serial-pci"};
}

void add_port(std::vector<std::string>& cmd, const std::string& id, const std::string& socket,
              const std::string& name) {
  cmd.insert(cmd.end(), {"-chardev", "socket,id=" + id + ",path=" + socket + ",reconnect=1",
                         "-device", "virtserialport,chardev=" + id + ",name=" + name});
}

// Copies a binary and every library ldd resolves for it (with the guest library's folder
// first in the path) into root at the same absolute paths; the guest libOpenCL goes to
// /opt/remora/lib. Returns the libraries, for the check that no vendor code came along.
std::vector<std::string> copy_with_libraries(const std::string& binary, const fs::path& root,
                                             const std::string& to, const std::string& guest_dir) {
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
    fs::path target = fs::path(path).parent_path() == fs::path(guest_dir)
                          ? root / "opt/remora/lib" / fs::path(path).filename()
                          : root / path.substr(1);
    fs::create_directories(target.parent_path());
    fs::copy_file(fs::canonical(path), target, fs::copy_options::overwrite_existing);
  }
  return libs;
}

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

std::string run_streaming(const std::vector<std::string>& cmd, int timeout_s,
                          const std::function<void(const std::string& line)>& on_line) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return "";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    std::vector<char*> args;
    for (const auto& a : cmd) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string console, line;
  auto start = Clock::now();
  char b[4096];
  for (;;) {
    auto left = std::chrono::seconds(timeout_s) - (Clock::now() - start);
    if (left <= std::chrono::seconds(0)) {
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    ssize_t k = ::read(out[0], b, sizeof b);
    if (k <= 0) break;
    console.append(b, static_cast<std::size_t>(k));
    for (ssize_t i = 0; i < k; ++i) {
      if (b[i] == '\r') continue;
      if (b[i] != '\n') {
        line += b[i];
        continue;
      }
      on_line(line);
      line.clear();
    }
  }
  ::close(out[0]);
  int status;
  ::waitpid(pid, &status, 0);
  return console;
}

}  // namespace remora::test::qemu
