// Benchmark of the shared-memory transport (shm:), every figure against a baseline
// measured in the same run:
//  - small round trip: the raw floor (two processes spinning on a shared word), the shm
//    stream with framing, a small synchronous call through the generated toy stack over
//    shm and over a unix socket (and the raw unix socketpair ping-pong);
//  - bulk: bytes through the shm stream (to another process) vs memcpy of the same size,
//    and blocking toyWriteBuffer/toyReadBuffer through the stack over shm and unix (up to
//    the toy device's 1 MiB; natively these are one memcpy);
//  - the test-only delayed link: a small call over delay:100:shm: (+200 us expected).
// Usage: remora_shm_bench [calls] [max-bulk-MiB]   (builds the toy stack on first run)
//        remora_shm_bench --small [calls]          (the small round trips only)
//        remora_shm_bench --ab DIR [rounds [calls]]
//          A/B of the small call over shm: the toy stack built in DIR (a copy of
//          build/bench/codegen/toy-stack made before a change) against this build's,
//          interleaved round by round (the order alternates), with each round's
//          latency, CPU time (guest process + its worker) and context switches per call;
//          prints medians and ranges (see shm_call_ab.h).
//        remora_shm_bench --calls DIR N            (N small calls through DIR's stack
//          and nothing else, for counting system calls: perf stat -e raw_syscalls:sys_enter)
#include <fcntl.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_stack.h"
#include "shm_call_ab.h"
#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"
#include "remora_transport.h"
#include "toy.h"

namespace fs = std::filesystem;
using remora::bench::Clock;
using remora::bench::seconds_since;
using remora::bench::Server;

namespace {


// Round trips are timed in batches and the fastest batch counts: on a shared machine
// other processes steal whole time slices, which says nothing about the transport.
constexpr int kBatches = 20;

template <class Step>
double best_batch_us(int calls, Step step) {
  int per = std::max(1, calls / kBatches);
  double best = 1e30;
  for (int b = 0; b < kBatches; ++b) {
    auto t = Clock::now();
    for (int i = 0; i < per; ++i) step();
    best = std::min(best, seconds_since(t) * 1e6 / per);
  }
  return best;
}

// The floor: two processes hand a counter back and forth through one shared cache line.
double raw_spin_ping_pong_us(int calls) {
  auto* w = static_cast<std::atomic<std::uint64_t>*>(
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  new (w) std::atomic<std::uint64_t>(0);
  pid_t child = fork();
  if (child == 0) {
    int per = std::max(1, calls / kBatches);
    for (std::uint64_t i = 1; i <= 2ull * per * kBatches; i += 2) {
      while (w->load(std::memory_order_acquire) != i) __builtin_ia32_pause();
      w->store(i + 1, std::memory_order_release);
    }
    _exit(0);
  }
  std::uint64_t i = 0;
  double us = best_batch_us(calls, [&] {
    w->store(i + 1, std::memory_order_release);
    while (w->load(std::memory_order_acquire) != i + 2) __builtin_ia32_pause();
    i += 2;
  });
  waitpid(child, nullptr, 0);
  munmap(w, 4096);
  return us;
}

double raw_unix_ping_pong_us(int calls, std::size_t bytes) {
  remora::bench::UnixEcho echo(bytes);
  return best_batch_us(calls, [&] { echo.round_trip(); });
}

// A guest stream to a forked process that runs `serve` on its end of shm:PATH.
template <class Serve>
std::unique_ptr<remora::Stream> shm_peer(const std::string& path, pid_t& child, Serve serve) {
  remora::Address a;
  std::string err;
  remora::parse_address("shm:" + path, a, err);
  int lfd = remora::listen_on(a, err);
  child = fork();
  if (child == 0) {
    auto s = remora::accept_from(lfd, a);
    if (s) serve(*s);
    _exit(0);
  }
  ::close(lfd);
  auto g = remora::connect_to(a, 2000, err);
  ::unlink(path.c_str());
  return g;
}

// A 40-byte frame out and back through the shm stream (framing, no stack).
double shm_frame_round_trip_us(int calls, const std::string& path) {
  pid_t child;
  auto g = shm_peer(path, child, [](remora::Stream& s) {
    remora::FrameHeader h;
    std::vector<unsigned char> body;
    while (remora::recv_frame(s, h, body) == remora::FrameResult::Ok)
      remora::send_frame(s, h.type, h.request, 0, body.data(), body.size());
  });
  unsigned char msg[16] = {};
  remora::FrameHeader h;
  std::vector<unsigned char> body;
  for (int i = 0; i < 200; ++i) {
    remora::send_frame(*g, 1, i, 0, msg, sizeof msg);
    remora::recv_frame(*g, h, body);
  }
  double us = best_batch_us(calls, [&] {
    remora::send_frame(*g, 1, 0, 0, msg, sizeof msg);
    remora::recv_frame(*g, h, body);
  });
  g->shutdown_both();
  waitpid(child, nullptr, 0);
  return us;
}

// Untimed transfers before the timed ones, enough to cycle each ring once (8 MiB: twice
// the default ring). A ring's pages are first touched as the stream moves through them:
// unwarmed, every small transfer paid a page fault on each side (4-16 KiB "ran" at
// 0.2 GB/s), a cost a running program pays once per connection, not per transfer.
int warm_reps(std::size_t bytes) { return static_cast<int>(std::max<std::size_t>(1, (std::size_t{8} << 20) / bytes)); }

// GB/s of `bytes` moved through the shm stream into a destination buffer of the other
// process: guest -> server (write) or server -> guest (read), best of `reps` (after warm_reps).
double shm_bulk_gbps(std::size_t bytes, bool to_server, int reps, const std::string& path) {
  pid_t child;
  const int warm = warm_reps(bytes);
  auto g = shm_peer(path, child, [&](remora::Stream& s) {
    std::vector<unsigned char> buf(bytes, 1);
    char go;
    for (int r = 0; r < warm + reps; ++r) {
      if (!s.recv_all(&go, 1)) break;
      if (to_server ? !s.recv_all(buf.data(), bytes) : !s.send_all(buf.data(), bytes)) break;
      if (to_server) s.send_all(&go, 1);
    }
  });
  std::vector<unsigned char> buf(bytes, 2);
  double best = 1e30;
  for (int r = -warm; r < reps; ++r) {
    char go = 1;
    auto t = Clock::now();
    g->send_all(&go, 1);
    if (to_server) {
      g->send_all(buf.data(), bytes);
      g->recv_all(&go, 1);  // the server has it all
    } else {
      g->recv_all(buf.data(), bytes);
    }
    if (r >= 0) best = std::min(best, seconds_since(t));
  }
  g->shutdown_both();
  waitpid(child, nullptr, 0);
  return bytes / best / 1e9;
}

double memcpy_gbps(std::size_t bytes, int reps) {
  std::vector<unsigned char> a(bytes, 1), b(bytes, 2);
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    auto t = Clock::now();
    std::memcpy(b.data(), a.data(), bytes);
    best = std::min(best, seconds_since(t));
    a[r % bytes] = b[(r * 7) % bytes];  // keep the copies observable
  }
  return bytes / best / 1e9;
}

struct ToyApi {
  decltype(&toyGetDevices) get_devices;
  decltype(&toyCreateQueue) create_queue;
  decltype(&toyGetQueuePriority) priority;
  decltype(&toyCreateBuffer) create_buffer;
  decltype(&toyWriteBuffer) write_buffer;
  decltype(&toyReadBuffer) read_buffer;
  decltype(&toyReleaseBuffer) release_buffer;
  toy_queue queue = nullptr;
  toy_device device = nullptr;

  explicit ToyApi(void* lib) {
    get_devices = reinterpret_cast<decltype(get_devices)>(dlsym(lib, "toyGetDevices"));
    create_queue = reinterpret_cast<decltype(create_queue)>(dlsym(lib, "toyCreateQueue"));
    priority = reinterpret_cast<decltype(priority)>(dlsym(lib, "toyGetQueuePriority"));
    create_buffer = reinterpret_cast<decltype(create_buffer)>(dlsym(lib, "toyCreateBuffer"));
    write_buffer = reinterpret_cast<decltype(write_buffer)>(dlsym(lib, "toyWriteBuffer"));
    read_buffer = reinterpret_cast<decltype(read_buffer)>(dlsym(lib, "toyReadBuffer"));
    release_buffer = reinterpret_cast<decltype(release_buffer)>(dlsym(lib, "toyReleaseBuffer"));
    if (get_devices(1, &device, nullptr) == TOY_SUCCESS) queue = create_queue(device, nullptr, nullptr);
  }

  double call_us(int calls) {
    int prio = 0;
    for (int i = 0; i < 200; ++i) priority(queue, &prio);
    return best_batch_us(calls, [&] { priority(queue, &prio); });
  }

  // Blocking write or read of `bytes`, GB/s, best of reps (after warm_reps).
  double transfer_gbps(std::size_t bytes, bool write, int reps) {
    toy_status st;
    toy_buffer b = create_buffer(device, bytes, nullptr, &st);
    if (!b) return -1;
    std::vector<unsigned char> host(bytes, 3);
    double best = 1e30;
    for (int r = -warm_reps(bytes); r < reps; ++r) {
      auto t = Clock::now();
      st = write ? write_buffer(queue, b, 1, 0, bytes, host.data()) : read_buffer(queue, b, 1, 0, bytes, host.data());
      if (r >= 0) best = std::min(best, seconds_since(t));
      if (st != TOY_SUCCESS) return -1;
    }
    release_buffer(b);
    return bytes / best / 1e9;
  }
};

// Loads a private copy of the guest library (one connection per copy) talking to `server`.
void* load_guest(const std::string& guest, const std::string& tag, const std::string& server) {
  std::string copy = std::string(BENCH_DIR) + "/libtoy-" + tag + ".so";
  fs::copy_file(guest, copy, fs::copy_options::overwrite_existing);
  setenv("REMORA_SERVER", server.c_str(), 1);
  void* lib = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) std::fprintf(stderr, "%s\n", dlerror());
  return lib;
}

std::string size_name(std::size_t b) {
  return b >= (1u << 20) ? std::to_string(b >> 20) + " MiB" : std::to_string(b >> 10) + " KiB";
}

}  // namespace

int main(int argc, char** argv) {
  std::string toy_dir = std::string(BENCH_DIR) + "/toy-stack";
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "--calls" && argc > 3)
    return remora::bench::shm_calls_only(argv[2], std::atoi(argv[3]));
  bool small = mode == "--small";
  if (small) {
    --argc;
    ++argv;
  }
  if (mode == "--ab" && argc > 2) {
    if (!remora::bench::build_stack(TOY_SPEC, toy_dir, false)) {
      std::fprintf(stderr, "cannot generate/build the toy stack in %s\n", toy_dir.c_str());
      return 1;
    }
    return remora::bench::shm_call_ab(argv[2], toy_dir, argc > 3 ? std::atoi(argv[3]) : 12,
                                      argc > 4 ? std::atoi(argv[4]) : 20000);
  }
  int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::size_t max_mib = small ? 0 : argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
  std::string tag = std::to_string(getpid());
  std::string sock = "/tmp/remora-shm-bench-" + tag;
  std::printf("remora shm transport benchmark (baselines measured in this run; %u CPUs)\n",
              std::thread::hardware_concurrency());
  if (!remora::bench::build_stack(TOY_SPEC, toy_dir, false)) {
    std::fprintf(stderr, "cannot generate/build the toy stack in %s\n", toy_dir.c_str());
    return 1;
  }
  std::string server = toy_dir + "/build/server/toy-server";
  std::string guest = toy_dir + "/build/guest/libtoy.so.1";

  double spin = raw_spin_ping_pong_us(calls);
  double raw_unix = raw_unix_ping_pong_us(calls, 40);
  double frame = shm_frame_round_trip_us(calls, sock + "-frame.sock");
  double shm_call, unix_call, delay_call;
  std::vector<std::size_t> sizes;
  for (std::size_t s = 4096; s <= (max_mib << 20); s *= 4) sizes.push_back(s);
  struct Bulk {
    double shm_w, shm_r, memcpy, stack_shm_w, stack_shm_r, stack_unix_w, stack_unix_r;
  };
  std::vector<Bulk> bulk(sizes.size());
  auto reps_for = [](std::size_t s) { return s >= (16u << 20) ? 4 : s >= (1u << 20) ? 20 : 200; };
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    int reps = reps_for(sizes[i]);
    bulk[i].memcpy = memcpy_gbps(sizes[i], reps);
    bulk[i].shm_w = shm_bulk_gbps(sizes[i], true, reps, sock + "-w.sock");
    bulk[i].shm_r = shm_bulk_gbps(sizes[i], false, reps, sock + "-r.sock");
  }
  {
    Server s(server, "shm:" + sock + ".sock", TOY_LIB);
    ToyApi api(load_guest(guest, "shm-" + tag, "shm:" + sock + ".sock"));
    shm_call = api.call_us(calls);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      bulk[i].stack_shm_w = api.transfer_gbps(sizes[i], true, reps_for(sizes[i]));
      bulk[i].stack_shm_r = api.transfer_gbps(sizes[i], false, reps_for(sizes[i]));
    }
    ToyApi slow(load_guest(guest, "delay-" + tag, "delay:100:shm:" + sock + ".sock"));
    delay_call = slow.call_us(std::max(1, calls / 50));
  }
  {
    Server s(server, "unix:" + sock + "-unix.sock", TOY_LIB);
    ToyApi api(load_guest(guest, "unix-" + tag, "unix:" + sock + "-unix.sock"));
    unix_call = api.call_us(calls);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      bulk[i].stack_unix_w = api.transfer_gbps(sizes[i], true, reps_for(sizes[i]));
      bulk[i].stack_unix_r = api.transfer_gbps(sizes[i], false, reps_for(sizes[i]));
    }
  }
  for (const char* t : {"shm-", "delay-", "unix-"}) fs::remove(std::string(BENCH_DIR) + "/libtoy-" + t + tag + ".so");

  std::printf("\nsmall round trip, %d calls (us per round trip):\n", calls);
  std::printf("  raw shm spin ping-pong (floor)                  %8.2f\n", spin);
  std::printf("  shm stream, 40-byte frame out and back          %8.2f   %6.2fx floor\n", frame, frame / spin);
  std::printf("  toyGetQueuePriority through the stack, shm:     %8.2f   %6.2fx floor\n", shm_call, shm_call / spin);
  std::printf("  raw unix socketpair ping-pong, 40 bytes         %8.2f   %6.2fx floor\n", raw_unix, raw_unix / spin);
  std::printf("  toyGetQueuePriority through the stack, unix:    %8.2f   %6.2fx raw unix, shm %.2fx faster\n",
              unix_call, unix_call / raw_unix, unix_call / shm_call);
  std::printf("  through the stack, delay:100:shm: (test link)   %8.2f   (+%.0f us over shm; 200 expected)\n",
              delay_call, delay_call - shm_call);

  if (sizes.empty()) return 0;
  std::printf("\nbulk, GB/s (best of several; ratio to memcpy of the same size in this process):\n");
  std::printf("  %-8s %8s | %-16s %-16s | %-16s %-16s | %-16s %-16s\n", "size", "memcpy", "shm write", "shm read",
              "stack shm write", "stack shm read", "stack unix write", "stack unix read");
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const Bulk& b = bulk[i];
    auto cell = [&](double v) {
      static char buf[8][32];
      static int k = 0;
      char* s = buf[k++ % 8];
      if (v < 0)
        std::snprintf(s, 32, "%6s", "-");  // over the toy device's memory
      else
        std::snprintf(s, 32, "%6.2f (%3.0f%%)", v, 100 * v / b.memcpy);
      return s;
    };
      std::printf("  %-8s %8.2f | %-16s %-16s | %-16s %-16s | %-16s %-16s\n", size_name(sizes[i]).c_str(), b.memcpy,
                cell(b.shm_w), cell(b.shm_r), cell(b.stack_shm_w), cell(b.stack_shm_r), cell(b.stack_unix_w),
                cell(b.stack_unix_r));
  }
  return 0;
}
