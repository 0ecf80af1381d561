// A/B of a small synchronous call over shm: (remora_shm_bench --ab DIR, --calls DIR N).
// Two builds of the toy stack (A: a copy made before a change, B: this build's) serve at
// once, each to its own copy of its guest library in this process; rounds alternate
// A,B then B,A so that load changes on a shared machine hit both alike. Per round and
// side: wall time, CPU time (this process + the side's worker process: spinning shows
// there, not in the latency) and context switches (the serving and calling threads:
// sleeps and yields that gave the CPU away) per call. Prints medians and ranges; the
// caller asserts nothing.
#pragma once

#include <string>

namespace remora::bench {

// Medians over `rounds` rounds of `calls` calls each. 0 on success.
int shm_call_ab(const std::string& stack_a, const std::string& stack_b, int rounds, int calls);

// `calls` small calls through the stack in `dir` over shm and nothing else (after a
// warm-up of 200), for counting system calls from outside. 0 on success.
int shm_calls_only(const std::string& dir, int calls);

}  // namespace remora::bench
