// Benchmark of the generated remoting stack. Prints, from one run:
//  - a small synchronous call's round trip through the toy stack (unix socket and
//    TCP loopback) vs a raw unix-socketpair ping-pong of the same size (ratio);
//  - remoted/native wall time per program (toy client, OpenCL samples on pocl);
//  - round trips per API call of each OpenCL sample, as the guest runtime counts them.
// Bulk transfers have their own benchmark (remora_bulk_bench).
// Usage: remora_codegen_bench [calls]   (builds the stacks it needs on first run)
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_stack.h"
#include "toy.h"

namespace fs = std::filesystem;
using namespace remora::bench;

namespace {

// Raw baseline: request/reply of `bytes` over a unix socketpair with an echo process.
double raw_ping_pong_us(int calls, std::size_t bytes) {
  UnixEcho echo(bytes);
  auto t = Clock::now();
  for (int i = 0; i < calls; ++i) echo.round_trip();
  return seconds_since(t) * 1e6 / calls;
}

// A small synchronous call through the guest library, in this process.
double stack_call_us(void* guest, int calls) {
  auto get_devices = reinterpret_cast<decltype(&toyGetDevices)>(dlsym(guest, "toyGetDevices"));
  auto create_queue = reinterpret_cast<decltype(&toyCreateQueue)>(dlsym(guest, "toyCreateQueue"));
  auto priority = reinterpret_cast<decltype(&toyGetQueuePriority)>(dlsym(guest, "toyGetQueuePriority"));
  toy_device dev = nullptr;
  if (get_devices(1, &dev, nullptr) != TOY_SUCCESS) return -1;
  toy_queue q = create_queue(dev, nullptr, nullptr);
  int prio = 0;
  for (int i = 0; i < 200; ++i) priority(q, &prio);  // warm up
  auto t = Clock::now();
  for (int i = 0; i < calls; ++i) priority(q, &prio);
  return seconds_since(t) * 1e6 / calls;
}

}  // namespace

int main(int argc, char** argv) {
  int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::string toy_dir = std::string(BENCH_DIR) + "/toy-stack";
  std::printf("remora codegen benchmark (baselines measured in this run)\n");
  if (!build_stack(TOY_SPEC, toy_dir, false)) {
    std::fprintf(stderr, "cannot generate/build the toy stack in %s\n", toy_dir.c_str());
    return 1;
  }
  std::string server = toy_dir + "/build/server/toy-server";
  std::string sock = "/tmp/remora-bench-" + std::to_string(getpid()) + ".sock";
  int port = 20000 + getpid() % 20000;
  double raw = raw_ping_pong_us(calls, 40);  // header + a small request, like the stack's frame
  double unix_us, tcp_us;
  {
    Server s(server, "unix:" + sock, TOY_LIB);
    setenv("REMORA_SERVER", ("unix:" + sock).c_str(), 1);
    void* guest = dlopen((toy_dir + "/build/guest/libtoy.so.1").c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!guest) {
      std::fprintf(stderr, "%s\n", dlerror());
      return 1;
    }
    unix_us = stack_call_us(guest, calls);
  }
  {
    // A second copy of the guest library (a new connection) for TCP.
    std::string copy = std::string(BENCH_DIR) + "/libtoy-tcp.so";
    fs::copy_file(toy_dir + "/build/guest/libtoy.so.1", copy, fs::copy_options::overwrite_existing);
    Server s(server, "tcp:127.0.0.1:" + std::to_string(port), TOY_LIB);
    setenv("REMORA_SERVER", ("tcp:127.0.0.1:" + std::to_string(port)).c_str(), 1);
    void* guest = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
    tcp_us = guest ? stack_call_us(guest, calls) : -1;
  }
  std::printf("\nsmall synchronous call (toyGetQueuePriority), %d calls:\n", calls);
  std::printf("  raw unix socketpair ping-pong (baseline)  %8.2f us\n", raw);
  std::printf("  through the stack, unix socket            %8.2f us   ratio %.2fx\n", unix_us, unix_us / raw);
  std::printf("  through the stack, TCP loopback           %8.2f us   ratio %.2fx\n", tcp_us, tcp_us / raw);

  // A guest's connect: a program that makes one call, so its time is start-up, connect,
  // handshake and the worker's start. Workers re-executed per guest (the default: a fresh
  // address space each) against bare forks of the listener (REMORA_WORKER_NO_EXEC=1), both
  // servers started in this run; native is the program alone.
  {
    const int runs = 30;
    std::string native_env = "LD_LIBRARY_PATH=" + fs::path(TOY_LIB).parent_path().string();
    std::string cmd = std::string(TOY_CLIENT) + " ping 1";
    auto best_ms = [&](const std::string& env) {
      double best = -1;
      for (int i = 0; i < runs; ++i) {
        const double t = timed(env + " " + cmd);
        if (t >= 0 && (best < 0 || t < best)) best = t;
      }
      return best * 1e3;
    };
    std::string exec_sock = sock + ".exec", fork_sock = sock + ".fork";
    Server exec_server(server, "unix:" + exec_sock, TOY_LIB);
    setenv("REMORA_WORKER_NO_EXEC", "1", 1);
    Server fork_server(server, "unix:" + fork_sock, TOY_LIB);
    unsetenv("REMORA_WORKER_NO_EXEC");
    const std::string guest = " LD_LIBRARY_PATH=" + toy_dir + "/build/guest";
    const double native = best_ms(native_env);
    const double forked = best_ms("REMORA_SERVER=unix:" + fork_sock + guest);
    const double fresh = best_ms("REMORA_SERVER=unix:" + exec_sock + guest);
    std::printf("\nguest connect (toy_client ping 1: start, connect, handshake, worker start, one call), best of %d:\n", runs);
    std::printf("  native (no server)                          %7.2f ms\n", native);
    std::printf("  worker forked from the listener              %7.2f ms   (+%.2f ms over native)\n", forked, forked - native);
    std::printf("  worker re-executed (fresh address space)     %7.2f ms   (+%.2f ms over the fork; ratio %.2fx)\n", fresh,
                fresh - forked, fresh / forked);
  }

  std::printf("\nprogram wall time, remoted / native:\n");
  std::string native_env = "LD_LIBRARY_PATH=" + fs::path(TOY_LIB).parent_path().string();
  {
    Server s(server, "unix:" + sock, TOY_LIB);
    std::string remote_env = "REMORA_SERVER=unix:" + sock + " LD_LIBRARY_PATH=" + toy_dir + "/build/guest";
    for (std::string args : {"", "ping 20000"}) {
      double n = timed(native_env + " " + TOY_CLIENT + " " + args);
      double r = timed(remote_env + " " + TOY_CLIENT + " " + args);
      std::printf("  %-28s native %7.3f s  remoted %7.3f s  ratio %6.2fx\n",
                  ("toy_client " + args).c_str(), n, r, r / n);
    }
  }
  std::string samples;
  {
    std::ifstream in(OPENCL_SAMPLES_FILE);
    std::ostringstream o;
    o << in.rdbuf();
    samples = o.str();
  }
  const char* real = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";
  if (samples.empty() || !fs::exists(real)) {
    std::printf("  (OpenCL samples skipped: no samples or no %s)\n", real);
    return 0;
  }
  std::string ocl_dir = std::string(BENCH_DIR) + "/opencl-stack";
  fs::create_directories(ocl_dir);
  // The reviewed spec is what ships for OpenCL (specs/README.md); it is what users run.
  std::string spec = REVIEWED_OPENCL_SPEC;
  if (!fs::exists(spec) || !build_stack(spec, ocl_dir, true)) {
    std::printf("  (OpenCL samples skipped: could not generate/build the stack from %s)\n", spec.c_str());
    return 0;
  }
  Server s(ocl_dir + "/build/server/opencl-server", "unix:" + sock, real);
  std::string remote_env = "REMORA_SERVER=unix:" + sock + " LD_LIBRARY_PATH=" + ocl_dir + "/build/guest";
  std::istringstream lines(samples);
  std::string name, exe;
  struct Counts {
    std::string name;
    unsigned long long calls = 0, round_trips = 0, frames = 0, bytes = 0;
  };
  std::vector<Counts> counts;
  while (lines >> name >> exe) {
    double n = timed(exe);
    // Samples that check errors of calls sent without a reply at the call itself need REMORA_STRICT=1.
    std::string env = remote_env;
    double r = timed(env + " " + exe);
    if (r < 0) {
      env = "REMORA_STRICT=1 " + env;
      r = timed(env + " " + exe);
    }
    if (n < 0 || r < 0) {
      std::printf("  %-28s (fails %s)\n", name.c_str(), n < 0 ? "natively" : "through the stack");
      continue;
    }
    std::printf("  %-28s native %7.3f s  remoted %7.3f s  ratio %6.2fx\n", name.c_str(), n, r, r / n);
    // The guest runtime's own count (REMORA_STATS=1), from a separate untimed run.
    std::string errors;
    capture("REMORA_STATS=1 " + env + " " + exe, &errors);
    Counts c{name};
    auto at = errors.rfind("remora: ");
    if (at != std::string::npos &&
        std::sscanf(errors.c_str() + at, "remora: %llu calls, %llu round trips, %llu frames, %llu bytes", &c.calls,
                    &c.round_trips, &c.frames, &c.bytes) == 4)
      counts.push_back(c);
  }
  // Round trips are what a guest in a VM or across a network pays for (50-200 us each).
  std::printf("\nround trips per API call (REMORA_STATS=1, unix socket):\n");
  for (const auto& c : counts)
    std::printf("  %-28s %6llu calls  %6llu round trips  %6llu frames  %10llu bytes  %.2f round trips/call\n",
                c.name.c_str(), c.calls, c.round_trips, c.frames, c.bytes,
                c.calls ? static_cast<double>(c.round_trips) / static_cast<double>(c.calls) : 0.0);
  return 0;
}
