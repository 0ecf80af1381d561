// Remora runtime, test only: a slow link. Wraps the guest's stream so that every byte
// it sends reaches the inner stream N microseconds later, and every byte the inner
// stream delivers becomes readable N microseconds after it arrived: a synchronous call
// costs 2N more, as over a VM channel or a network. Like a real link it pipelines:
// sending never waits for the delay and bulk transfers keep the inner stream's
// bandwidth. Enabled with REMORA_TEST_DELAY_US=N or a delay:N:ADDRESS server address;
// used by benchmarks to measure how many round trips a program pays.
//
// Limits (it is a test tool): bytes still queued when the process exits are lost, and a
// forked child that closes fd() (an eventfd) keeps the inner connection open.
#pragma once

#include <memory>

#include "remora_transport.h"

namespace remora {

std::unique_ptr<Stream> make_delay_stream(std::unique_ptr<Stream> inner, long delay_us);

}  // namespace remora
