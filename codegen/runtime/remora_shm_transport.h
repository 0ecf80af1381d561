// Remora runtime: the shared-memory transport (shm:PATH), for guests on the same host.
//
// The guest connects to a unix socket at PATH. The server creates one memfd per guest
// holding two single-producer/single-consumer byte rings (guest->server, server->guest)
// and passes it with SCM_RIGHTS right after accept. Bytes then move through the rings
// with one memcpy on each side (payloads larger than a ring stream through it, both
// sides copying concurrently); the unix socket stays open as the liveness channel and
// as a doorbell for pollers of fd().
//
// Waiting: a reader (or a writer facing a full ring) spins briefly while its peer runs
// on another core, then yields the CPU in a loop, then sleeps on a futex word in the
// shared header (remora_shm_wait.h); the other side wakes it only when it says it sleeps.
// Sleeps are bounded (100 ms) so a peer that died without a word (SIGKILL) is noticed
// through the socket (HUP) well within a second: calls fail, they never hang.
//
// Each side keeps its own copies of the layout and of its own ring index; what it reads
// from shared memory (the peer's index) is checked against the ring size before use, so
// a corrupt or hostile peer can only make the stream fail.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "remora_transport.h"

namespace remora {

// Server side of an accepted unix-socket connection (takes ownership of fd): creates
// the guest's shared memory, sends it, returns the stream. Null + error text on failure.
// The ring size is REMORA_SHM_RING_BYTES (power of two, default 4 MiB per direction).
std::unique_ptr<Stream> shm_serve(int fd, std::string& error);

// Guest side of a connected unix socket (takes ownership of fd): receives the shared
// memory within timeout_ms and checks its layout. Null + error text on failure.
std::unique_ptr<Stream> shm_attach(int fd, int timeout_ms, std::string& error);

}  // namespace remora
