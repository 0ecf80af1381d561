// Booting a throwaway QEMU guest for tests and benchmarks: Debian's kernel (its
// uncompressed vmlinux when it can be extracted), a busybox initramfs built from a folder,
// the virtio modules a virtio-serial port needs, TCG, no network device. The init script
// prints "REMORA-VM: ..." lines on the serial console, which the caller parses.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace remora::test::qemu {

struct Kit {
  std::string why_not;          // non-empty: no guest can be booted here, and why
  std::string kernel, version;  // the image QEMU boots (vmlinux or the bzImage)
  bool uncompressed = false;
  double extract_seconds = 0;
  std::filesystem::path root;        // the initramfs folder: busybox, lib/modules/*.ko
  std::vector<std::string> modules;  // to insmod, in order (those not built in)
};

// Checks QEMU, the kernel and its modules, busybox and cpio; extracts vmlinux (cached in
// `work`) and fills work/root with busybox and the virtio modules.
Kit prepare(const std::filesystem::path& work);

// Copies `binary` to root/`to` with every library ldd resolves for it (guest_dir first in
// the library path) at the same paths, the guest's own libraries into /opt/remora/lib.
// Returns the host paths of the libraries.
std::vector<std::string> copy_with_libraries(const std::string& binary,
                                             const std::filesystem::path& root,
                                             const std::string& to, const std::string& guest_dir);

// The start of an init script: mounts, the modules, "REMORA-VM: booted <uptime>", then
// remora-guestd for `port` (from /opt/remora/bin) and REMORA_SERVER=virtio-serial:<port>.
std::string init_prologue(const Kit& kit, const std::string& port);

// root/init = init, then root as a newc cpio archive at `out`.
bool write_initramfs(const Kit& kit, const std::string& init, const std::string& out);

// The QEMU command line (q35, TCG, 512 MiB, serial console on stdout, a virtio-serial
// controller); add_port adds a port NAME whose chardev connects to the unix socket.
std::vector<std::string> command(const Kit& kit, const std::string& initrd);
void add_port(std::vector<std::string>& cmd, const std::string& id, const std::string& socket,
              const std::string& name);

// Runs cmd (QEMU), calling on_line with each console line as it arrives, so a test can act
// on what the guest says while it runs; killed after timeout_s. Returns the whole console.
std::string run_streaming(const std::vector<std::string>& cmd, int timeout_s,
                          const std::function<void(const std::string& line)>& on_line);

struct GuestRun {
  std::string output;
  int rc = -1;
};
// "REMORA-VM: begin NAME rc=N" ... "REMORA-VM: end NAME" blocks of the console.
std::map<std::string, GuestRun> parse_console(std::string console);
// The number after "REMORA-VM: <what> " (-1 when absent).
double console_seconds(const std::string& console, const std::string& what);

}  // namespace remora::test::qemu
