#include "remora_server.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>

#include "remora_auth.h"
#include "remora_env.h"
#include "remora_libraries.h"
#include "remora_sandbox.h"
#include "remora_shm_transport.h"
#include "remora_spare_worker.h"

namespace remora::server {
namespace {

std::uint64_t content_hash(const unsigned char* p, std::size_t n);

thread_local Worker* t_worker = nullptr;
volatile sig_atomic_t g_child_exited = 0;
volatile sig_atomic_t g_stop = 0;

void on_sigchld(int) { g_child_exited = 1; }
void on_stop(int) { g_stop = 1; }

// `spare_ended(pid)`: whether pid was a spare worker that had not taken a guest yet (the
// caller forgets it).
void reap_children(const char* api, const std::function<bool(pid_t)>& spare_ended) {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    // A worker that crashed or was killed left its scratch directory behind: a guest
    // crashing its worker over and over must not fill the disk.
    sandbox::remove_scratch_of(pid);
    if (spare_ended && spare_ended(pid)) {
      // Killed, or crashed in the library's constructors, before it took a guest: a guest
      // handed to it is served by a worker started on demand (the listener's loop).
      std::fprintf(stderr, "%s: the spare worker %d ended before taking a guest (%s %d)\n", api,
                   static_cast<int>(pid), WIFSIGNALED(status) ? "signal" : "exit status",
                   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      continue;
    }
    if (WIFSIGNALED(status))
      std::fprintf(stderr, "%s: worker %d crashed (signal %d); other guests are unaffected\n", api,
                   static_cast<int>(pid), WTERMSIG(status));
    else
      std::fprintf(stderr, "%s: guest disconnected (worker %d exited with %d)\n", api,
                   static_cast<int>(pid), WEXITSTATUS(status));
  }
}

std::vector<std::string> g_library_args;  // each --lib as given ([SONAME=]PATH)
std::vector<unsigned char> g_key;  // required of every guest when non-empty
std::string g_key_path;            // where it was read (handed to fresh workers)

int env_ms(const char* name, int fallback) {
  return static_cast<int>(env_number(name, static_cast<std::uint64_t>(fallback), kPositiveInt));
}

std::string lower_name(const char* s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

void usage(const ApiInfo& api) {
  std::fprintf(
      stderr,
      "usage: %s --listen unix:PATH|shm:PATH|tcp:HOST:PORT|vsock:ANY:PORT --lib "
      "PATH-TO-REAL-LIBRARY\n"
      "          [--lib SONAME=PATH]... [--key KEY-FILE | --no-auth]\n"
      "A spec spanning several vendor libraries takes one --lib per library (a file is\n"
      "matched by its name, or say SONAME=PATH); functions of a library not given are rejected.\n"
      "Serves %s calls from guests using the generated remora guest library.\n"
      "On tcp: and vsock: guests must prove they hold the server's key (default\n"
      "%s, created if missing; give guests a copy with REMORA_KEY_FILE).\n"
      "unix: and shm: rely on the socket file's permissions.\n",
      api.program_name, api.name, auth::default_key_path(lower_name(api.name)).c_str());
}

}  // namespace

Worker* current_worker() { return t_worker; }

Worker::Worker(const ApiInfo& api, std::unique_ptr<Stream> stream) : api_(api), stream_(std::move(stream)) {}

bool Worker::fail(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (call_.error.empty()) call_.error = buf;
  return false;
}

bool Worker::take_handle(std::uint64_t& value, bool nullable, const char* what, int type) {
  (void)nullable;  // NULL always goes through: the library reports a NULL it does not accept
  const std::uint64_t guest = value;
  std::uint64_t real = 0;
  // Guest values name objects through this worker's table only: a host address, another
  // guest's id or a released one names nothing here.
  auto it = handles_.end();
  if (!ids_.to_real(guest, real) || (real != 0 && (it = find_handle(real)) == handles_.end()))
    return fail("%s: unknown handle 0x%llx (not one of this guest's objects)", what,
                static_cast<unsigned long long>(guest));
  // And an object of the kind the parameter takes: the library would read a memory object
  // passed as a kernel as a kernel (found by the OpenCL fuzz target, tests/fuzz/).
  if (real != 0 && type >= 0 && api_.handle_classes && static_cast<std::uint32_t>(type) < api_.handle_type_count &&
      it->second.type < api_.handle_type_count) {
    const int want = api_.handle_classes[type], have = api_.handle_classes[it->second.type];
    if (want >= 0 && have >= 0 && want != have)
      return fail("%s: handle 0x%llx names a %s, not a %s", what, static_cast<unsigned long long>(guest),
                  api_.handle_types[it->second.type], api_.handle_types[type]);
  }
  value = real;
  call_.handles.push_back(real);  // a barrier retires what was queued on these
  return true;
}

std::uint64_t Worker::callback_handle(std::uint64_t real, int type) {
  if (real == 0) return 0;
  {
    std::lock_guard<std::mutex> lk(callback_handles_mutex_);
    callback_handles_[real] = type < 0 ? UINT32_MAX : static_cast<std::uint32_t>(type);
  }
  callback_handles_named_.store(true, std::memory_order_release);
  return ids_.name(real);
}

std::unordered_map<std::uint64_t, Worker::HandleEntry>::iterator Worker::find_handle(std::uint64_t real) {
  auto it = handles_.find(real);
  if (!callback_handles_named_.load(std::memory_order_acquire)) return it;
  if (it != handles_.end() && it->second.live != 0) return it;  // the guest's own object
  std::lock_guard<std::mutex> lk(callback_handles_mutex_);
  auto named = callback_handles_.find(real);
  if (named == callback_handles_.end()) return it;
  // An object the library owns and showed a callback: of the kind it was shown as last
  // (the library may reuse a freed value's memory for a context).
  if (it == handles_.end()) it = handles_.try_emplace(real).first;
  it->second.type = named->second;
  return it;
}

void Worker::add_handle(std::uint64_t value, std::uint32_t type, bool allocated) {
  if (value == 0) return;
  call_.made.push_back(value);
  auto [it, seen_first] = handles_.try_emplace(value);
  auto& e = it->second;
  if (!allocated) {
    // A handle the guest does not own (a device, a platform, an info result): its kind is
    // what it was first seen as, and a later sighting through an element the spec types
    // loosely (an info query's `void` handle variant: no kind, so unchecked) never erases
    // a checked kind. Found by the OpenCL fuzz target: clGetDeviceInfo(CL_DEVICE_PLATFORM)
    // turned the platform's kind into `void`, a platform id then passed as a cl_device_id
    // reached pocl, which read the platform as a device (SEGV).
    if (e.live == 0 && (seen_first || !checked_kind(e.type) || checked_kind(type))) e.type = type;
    return;
  }
  // A new object (or the same address reused after a release, which got a new id when
  // the old object's last reference went): newest in release order.
  if (e.live == 0) {
    e.order = next_order_++;
    e.in_order = false;  // an address reused by a new object: what the old one was says nothing
    e.made_on = e.made_seq = 0;
    if (!call_.handles.empty() && is_in_order(call_.handles.front())) {
      e.made_on = call_.handles.front();
      e.made_seq = call_.seq;
    }
  }
  e.type = type;
  e.created = true;
  e.live++;
  call_.created.push_back(value);
}

bool Worker::check_release(std::uint64_t value, const char* what) {
  if (value == 0) return true;  // the library reports a NULL it does not accept
  auto it = handles_.find(value);
  if (it != handles_.end() && it->second.live > 0) return true;
  // Found by the OpenCL fuzz target: a context the guest had released (its queue kept it
  // alive) came back from clGetCommandQueueInfo(CL_QUEUE_CONTEXT); released again, pocl
  // destroyed it under the queue (PTHREAD ERROR in POclReleaseContext, then SEGV).
  return fail("%s: the guest holds no reference to this object (it neither created nor retained it, or released "
              "every reference it held): releasing it would release a reference the library holds",
              what);
}

bool Worker::checked_kind(std::uint32_t type) const {
  return api_.handle_classes && type < api_.handle_type_count && api_.handle_classes[type] >= 0;
}

bool Worker::translate_handles_in(void* bytes, std::uint64_t size, const char* what) {
  auto* b = static_cast<unsigned char*>(bytes);
  for (std::uint64_t at = 0; b && at + 8 <= size; at += 8) {
    std::uint64_t word;
    std::memcpy(&word, b + at, 8);
    if (word == 0) continue;
    std::uint64_t real = 0;
    if (ids_.to_real(word, real) && (real == 0 || handles_.count(real))) {
      std::memcpy(b + at, &real, 8);
    } else if (ids_.looks_like_handle(word)) {
      return fail("%s: bytes %llu..%llu hold 0x%llx, a handle value that names none of this guest's live objects",
                  what, static_cast<unsigned long long>(at), static_cast<unsigned long long>(at + 7),
                  static_cast<unsigned long long>(word));
    }
  }
  return true;
}

void Worker::translate_handles_out(void* bytes, std::uint64_t size) {
  auto* b = static_cast<unsigned char*>(bytes);
  for (std::uint64_t at = 0; b && at + 8 <= size; at += 8) {
    std::uint64_t word;
    std::memcpy(&word, b + at, 8);
    if (word == 0 || !handles_.count(word)) continue;
    const std::uint64_t id = ids_.name(word);
    std::memcpy(b + at, &id, 8);
  }
}

// The guest's count of references goes down; at 0 the object is gone for this guest
// (natively the last release destroys it), so its value is unknown from then on. The
// count includes the references the guest took with `retains` calls. A handle the guest
// never owned (a device it was given, live 0) stays known; one it only saw, then retained,
// counts that reference (check_release refuses a release of one it holds none of).
void Worker::drop_handle(std::uint64_t value) {
  auto it = handles_.find(value);
  if (it == handles_.end() || it->second.live == 0) return;
  if (--it->second.live == 0) {
    // A handle the guest only saw, then retained and released: the object is the
    // library's, still alive, and stays known (a root device after retain + release).
    if (!it->second.created) return;
    // The object is gone for the guest, but commands queued before the release may still
    // use the memory it kept (OpenCL destroys it once they complete): every piece of
    // un-retired queued work shares it, and the last one retired (a barrier on its
    // object, or the worker's end) frees it. With none queued it is freed now.
    // Calls the spec marks sync may have queued work too: every object with work queued
    // since its last barrier shares it as well (remora_queued_work.h).
    if (auto kept = retained_.release(value)) {
      share_kept(kept);
      // Live objects made from it (a sub-buffer) may use it until they go too.
      for (auto& [made, keepers] : derived_from_)
        if (std::find(keepers.begin(), keepers.end(), value) != keepers.end())
          inherited_[made].push_back(kept);
    }
    // What it inherited from released keepers: queued work may still use it through this one.
    if (auto it = inherited_.find(value); it != inherited_.end()) {
      for (const auto& kept : it->second) share_kept(kept);
      inherited_.erase(it);
    }
    derived_from_.erase(value);
    queued_.forget(value);  // no barrier can name it now; what it queued may still run
    // And its persistent mappings (released without an unmap): the library freed that
    // memory, so no reply may compare it again nor an unmap write into it (found by the
    // toy fuzz target: a buffer released while mapped, then a reply read the freed bytes).
    drop_mappings_of(value);
    handles_.erase(it);
    ids_.forget(value);  // its ids name nothing from now on
  }
}

// Memory a released object kept, which work queued before the release may still use:
// shared by every un-retired non-blocking call and every object with work queued since its
// last barrier (remora_queued_work.h); freed when the last of them lets go.
void Worker::share_kept(const QueuedWork::KeptPtr& kept) {
  for (auto& held : held_) held->kept.push_back(kept);
  queued_.share(kept);
}

void* Worker::retain(const void* data, std::uint64_t bytes, std::uint64_t guest_addr, const char* what) {
  void* p = retained_.keep(data, bytes, guest_addr);
  if (!p) fail("%s: cannot keep %llu bytes for the object's lifetime", what, static_cast<unsigned long long>(bytes));
  return p;
}

void Worker::retain_handle(std::uint64_t value) {
  auto it = handles_.find(value);
  if (it == handles_.end()) return;
  // A retain of a handle the guest only saw (a context an info query named) gives it a
  // reference of its own: releasable once, and released at its disconnect if it does not.
  if (it->second.live == 0) it->second.order = next_order_++;
  it->second.live++;
}

bool Worker::set_call_mode(bool nonblocking, bool may_skip_reply, bool completes_command) {
  call_.mode_set = true;
  call_.deferred = nonblocking;
  call_.completes_command = completes_command && !nonblocking;
  if (call_.async && !may_skip_reply)
    return fail("the guest asked for no reply to a call that is blocking by its own arguments");
  // Its inputs will be held until a barrier: its bulk trailer now, its other buffers as
  // they are decoded (count_call_bytes).
  if (nonblocking && !within_held_bound(call_.bulk_size, nullptr)) return false;
  return true;
}

namespace {
// REMORA_MAX_HELD (bytes, at least the message limit) overrides the default, 4 GiB (or the
// message limit where that is larger).
std::uint64_t max_held_bytes() {
  static const std::uint64_t limit =
      env_number("REMORA_MAX_HELD", std::max(std::uint64_t{4} << 30, max_message_bytes()),
                 {max_message_bytes(), UINT64_MAX, EnvUnit::Bytes});
  return limit;
}
}  // namespace

// The inputs of non-blocking calls stay until a barrier retires their call (a barrier on
// their queue, or a wait on an event they made). Nothing the worker sees proves an
// event-less write done earlier (a wait on a later command's event does not, on an
// out-of-order queue), so a program that never calls a barrier on the queue would make the
// worker hold every write's bytes: bounded per guest, with an error that says what to do.
// `what`: the buffer being decoded (null: the call's trailer; the rejection names the call).
bool Worker::within_held_bound(std::uint64_t more, const char* what) {
  const std::uint64_t limit = max_held_bytes(), held = held_bytes_ + call_.scratch_bytes;
  if (held <= limit && more <= limit - held) return true;
  return fail(
      "%s%s%llu more bytes of input for a non-blocking call on top of the %llu held for earlier "
      "ones exceed the per-guest bound of %llu (inputs are held until a barrier on their queue, "
      "or a wait on an event they made, retires them: call one, such as clFinish, more often; "
      "or raise REMORA_MAX_HELD on the server)",
      what ? what : "", what ? ": " : "", static_cast<unsigned long long>(more),
      static_cast<unsigned long long>(held), static_cast<unsigned long long>(limit));
}

Worker::Owner Worker::current_owner() const {
  Owner o;
  o.any = !call_.handles.empty();
  if (o.any) o.object = call_.handles.front();  // scalars are decoded first: the queue/stream
  o.made = call_.made;
  o.seq = call_.seq;
  return o;
}

void Worker::note_in_order(std::uint64_t real) {
  if (auto it = handles_.find(real); it != handles_.end()) it->second.in_order = true;
}

bool Worker::is_in_order(std::uint64_t object) const {
  auto it = handles_.find(object);
  return it != handles_.end() && it->second.in_order;
}

// On an in-order object a command completes after every command queued on it before, so
// the completion of one proves the earlier ones done: a barrier naming an event one of
// them made (clWaitForEvents(1, &ev): every call up to ev's), or a blocking call on the
// object (a blocking clEnqueueReadBuffer: every call before it). Nothing is assumed of
// an object the spec does not say is in order (an out-of-order queue, a Vulkan queue).
void Worker::find_completed_work() {
  call_.done_upto.clear();
  if (call_.barrier)
    for (std::uint64_t h : call_.handles) {
      auto it = handles_.find(h);
      if (it != handles_.end() && it->second.made_on != 0 && is_in_order(it->second.made_on))
        call_.done_upto.emplace_back(it->second.made_on, it->second.made_seq);
    }
  if (call_.completes_command && !call_.handles.empty() && is_in_order(call_.handles.front()))
    call_.done_upto.emplace_back(call_.handles.front(), call_.seq - 1);
}

// A barrier retires what was queued on an object it names (clFinish(q)), or what made
// a handle it names (clWaitForEvents(1, &ev)). A barrier that names no object
// (cudaDeviceSynchronize()) retires everything, as does any barrier for work queued with
// no object at all. A completion on an in-order object retires what it proves done.
bool Worker::retired_by_this_call(const Owner& o) const {
  for (const auto& [object, upto] : call_.done_upto)
    if (o.any && o.object == object && o.seq <= upto) return true;
  if (!call_.barrier) return false;
  if (!o.any || call_.handles.empty()) return true;
  for (std::uint64_t h : call_.handles) {
    if (h == o.object) return true;
    if (std::find(o.made.begin(), o.made.end(), h) != o.made.end()) return true;
  }
  return false;
}

// Only an object a barrier can name may have work queued that outlives the call: a call on
// a kernel (its argument) or a context (a create) leaves nothing a program could wait for.
// A NULL object (a default stream) or a type of unknown kind counts.
bool Worker::queued_on_waitable(std::uint64_t object) const {
  if (object == 0 || !api_.waitable_types) return true;
  auto it = handles_.find(object);
  if (it == handles_.end()) return false;  // released by this very call: forgotten already
  return it->second.type >= api_.handle_type_count || api_.waitable_types[it->second.type] != 0;
}

bool Worker::count_call_bytes(std::uint64_t count, std::uint64_t esize, const char* what, std::uint64_t& bytes) {
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes())
    return fail("%s: %llu elements of %llu bytes exceed the message limit", what,
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(esize));
  // All of one call's buffers together are bounded too (a buffer of buffers has many).
  if (bytes > 2 * max_message_bytes() - call_.scratch_bytes)
    return fail("%s: the call's buffers together exceed twice the message limit", what);
  if (call_.deferred && !within_held_bound(bytes + call_.bulk_size, what)) return false;
  call_.scratch_bytes += bytes;
  return true;
}

// Scratch buffers from this size up are lazy zero mappings (see scratch()).
constexpr std::uint64_t kLazyScratchBytes = std::uint64_t{1} << 20;

void* Worker::scratch(std::uint64_t count, std::uint64_t esize, const char* what) {
  std::uint64_t bytes;
  if (!count_call_bytes(count, esize, what, bytes)) return nullptr;
  // A large buffer is an untouched zero mapping: a capacity the guest announces costs
  // resident memory only for the bytes the library really writes.
  if (bytes >= kLazyScratchBytes) return zero_padded(nullptr, 0, bytes, what);
  // A small output (a status, a count) takes a buffer an earlier call finished with: no
  // allocation per call (recycle_scratch).
  if (scratch_spare_.empty()) {
    call_.scratch.emplace_back(bytes ? bytes : 1, 0);
  } else {
    call_.scratch.push_back(std::move(scratch_spare_.back()));
    scratch_spare_.pop_back();
    call_.scratch.back().assign(bytes ? bytes : 1, 0);
  }
  return call_.scratch.back().data();
}

// The current call's scratch is done with: small buffers are kept for the next calls.
// (A deferred call's scratch was moved to its Held before: the library may still use it.)
void Worker::recycle_scratch() {
  constexpr std::size_t kKeepBytes = 4096, kKeepCount = 16;
  for (auto& v : call_.scratch)
    if (v.capacity() <= kKeepBytes && scratch_spare_.size() < kKeepCount)
      scratch_spare_.push_back(std::move(v));
  call_.scratch.clear();
}

const void* Worker::take_buffer(Reader& in, std::uint64_t bytes, const char* what, bool shared_ok) {
  if (travels_as_bulk(bytes)) {
    const std::uint64_t at = bulk_align(call_.bulk_cursor);
    if (at > call_.bulk_size || bytes > call_.bulk_size - at) {
      fail("%s: request truncated (%llu bytes missing from its bulk trailer)", what, static_cast<unsigned long long>(bytes));
      return nullptr;
    }
    call_.bulk_cursor = at + bytes;
    if (call_.request_bulk_shared && !shared_ok) {
      // The guest can still write its placed trailer: bytes this worker reads (sizes,
      // lists it checks) are copied first, so what was checked is what is used.
      PooledBuffer copy = pool_.get(bytes);  // private memory, not placed (the guest maps that too)
      if (!copy) {
        fail("%s: cannot allocate %llu bytes", what, static_cast<unsigned long long>(bytes));
        return nullptr;
      }
      std::memcpy(copy.data(), call_.request_bulk.data() + at, bytes);
      call_.buffers.push_back(std::move(copy));
      return call_.buffers.back().data();
    }
    return call_.request_bulk.data() + at;
  }
  void* m = scratch(bytes, 1, what);
  if (!m) return nullptr;
  const unsigned char* b = in.take(bytes);
  if (!b) {
    fail("%s: request truncated", what);
    return nullptr;
  }
  if (bytes) std::memcpy(m, b, bytes);
  return m;
}

void* Worker::output_buffer(std::uint64_t count, std::uint64_t esize, const char* what) {
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || !travels_as_bulk(bytes)) return scratch(count, esize, what);
  if (!count_call_bytes(count, esize, what, bytes)) return nullptr;
  // Over shm: memory the guest reads the reply from, so the library's write is the only copy
  // here (up to a bound: the guest waits for it, see stream_outputs_from).
  PooledBuffer b = stream_ ? stream_->placed_buffer(bytes, true) : PooledBuffer();
  if (!b) b = pool_.get(bytes);
  if (!b) {
    fail("%s: cannot allocate %llu bytes", what, static_cast<unsigned long long>(bytes));
    return nullptr;
  }
  call_.buffers.push_back(std::move(b));
  return call_.buffers.back().data();
}

void* Worker::output_buffer(std::uint64_t guest_addr, std::uint64_t count, std::uint64_t esize, const char* what) {
  std::uint64_t bytes;
  unsigned char* shared = stream_ && mul_size(count, esize, bytes) && travels_as_bulk(bytes)
                              ? stream_->guest_window(guest_addr, static_cast<std::size_t>(bytes))
                              : nullptr;
  if (!shared) return output_buffer(count, esize, what);
  return count_call_bytes(count, esize, what, bytes) ? shared : nullptr;
}

void* Worker::pending_output(std::uint64_t guest_addr, std::uint64_t count, std::uint64_t esize,
                             const char* what) {
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes()) {
    fail("%s: asynchronous output too large", what);
    return nullptr;
  }
  // Every pending output travels back in one reply: together they fit one message.
  std::lock_guard<std::mutex> lk(pending_mutex_);
  std::uint64_t held = 0;
  for (const auto& q : pending_) held += q->size;
  if (bytes > max_message_bytes() - std::min(held, max_message_bytes())) {
    fail("%s: %llu bytes of asynchronous output on top of %llu pending exceed the message limit "
         "(call a barrier such as clFinish first)",
         what, static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(held));
    return nullptr;
  }
  auto p = std::make_unique<Pending>();
  p->guest_addr = guest_addr;
  p->size = bytes;
  // Not zeroed: a successful call writes it, a failed one drops it. Over shm: the program's
  // own buffer where the guest shares its pages, else placed memory.
  if (unsigned char* shared = stream_ ? stream_->guest_window(guest_addr, static_cast<std::size_t>(bytes)) : nullptr)
    p->data = PooledBuffer(nullptr, shared, static_cast<std::size_t>(bytes));
  else if (stream_)
    p->data = stream_->placed_buffer(bytes, false);
  if (!p->data) p->data = pool_.get(bytes);
  if (!p->data) {
    fail("%s: cannot allocate %llu bytes", what, static_cast<unsigned long long>(bytes));
    return nullptr;
  }
  void* r = p->data.data();
  pending_.push_back(std::move(p));
  return r;
}

// The current call's pending outputs: those made since it began that are not settled yet
// (those settled meanwhile belong to calls made from a callback inside it). Under pending_mutex_.
void Worker::drop_current_pending() {
  if (pending_.size() <= call_.pending_before) return;
  std::erase_if(pending_, [&, i = std::size_t{0}](const auto& p) mutable { return i++ >= call_.pending_before && !p->settled; });
}

void Worker::call_failed() {
  std::lock_guard<std::mutex> lk(pending_mutex_);
  drop_current_pending();
  for (auto& b : call_.buffers) std::memset(b.data(), 0, b.capacity());
}

void Worker::add_mapping(void* real, std::uint64_t size) {
  if (!real) return;
  auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(real));
  mappings_[key] = size;
  if (call_.deferred) {
    View v;
    v.size = size;
    v.owner = current_owner();
    v.last_sent.assign(static_cast<unsigned char*>(real), static_cast<unsigned char*>(real) + size);
    views_[key] = std::move(v);  // the map call's reply carries these bytes
  }
}

void Worker::add_persistent_mapping(void* real, std::uint64_t size, std::uint64_t owner) {
  if (!real) return;
  auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(real));
  mappings_[key] = size;
  View v;
  v.size = size;
  v.persistent = true;
  // The map call's own reply carries these bytes: later replies send only changes.
  v.last_sent.assign(static_cast<unsigned char*>(real), static_cast<unsigned char*>(real) + size);
  views_[key] = std::move(v);
  mapping_owners_.emplace(owner, key);
}

void Worker::drop_mappings_of(std::uint64_t owner) {
  auto [first, last] = mapping_owners_.equal_range(owner);
  for (auto it = first; it != last; ++it) {
    mappings_.erase(it->second);
    views_.erase(it->second);
  }
  mapping_owners_.erase(first, last);
}

bool Worker::apply_mapped_writes(Reader& in) {
  std::uint32_t count = 0;
  if (!in.get_u32(count)) return fail("mapped writes: request truncated");
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint64_t real = 0, offset = 0, len = 0;
    if (!in.get_u64(real) || !in.get_u64(offset) || !in.get_u64(len)) return fail("mapped writes: request truncated");
    auto view = views_.find(real);
    if (view == views_.end() || !view->second.persistent)
      return fail("mapped writes: 0x%llx is not a persistent mapping of this guest", static_cast<unsigned long long>(real));
    if (offset > view->second.size || len > view->second.size - offset || len > in.remaining())
      return fail("mapped writes: %llu bytes at offset %llu do not fit a mapping of %llu",
                  static_cast<unsigned long long>(len), static_cast<unsigned long long>(offset),
                  static_cast<unsigned long long>(view->second.size));
    const unsigned char* bytes = in.take(len);
    if (len == 0) continue;  // a zero-size view has no bytes (its last_sent.data() may be null)
    std::memcpy(reinterpret_cast<unsigned char*>(static_cast<std::uintptr_t>(real)) + offset, bytes, len);
    std::memcpy(view->second.last_sent.data() + offset, bytes, len);  // the guest has them already
  }
  return true;
}

void* Worker::take_mapping(std::uint64_t real, std::uint64_t len, const char* what) {
  auto it = mappings_.find(real);
  if (it == mappings_.end()) {
    fail("%s: 0x%llx is not a mapped region of this guest", what, static_cast<unsigned long long>(real));
    return nullptr;
  }
  if (len > it->second) {
    fail("%s: %llu bytes written back into a mapping of %llu", what, static_cast<unsigned long long>(len),
         static_cast<unsigned long long>(it->second));
    return nullptr;
  }
  mappings_.erase(it);
  views_.erase(real);
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(real));
}

CallbackRecord* Worker::callback_record(std::uint32_t signature, std::uint64_t fn, std::uint64_t user_data) {
  CallbackRecord*& rec = callback_index_[{signature, fn, user_data}];
  if (!rec) {
    callbacks_.push_back(std::make_unique<CallbackRecord>(CallbackRecord{this, signature, fn, user_data}));
    rec = callbacks_.back().get();
  }
  return rec;
}

namespace {
// Every live HeldCallbacks of this process: a trampoline checks the library's user data is
// one before reading it as one.
std::mutex g_held_mutex;
std::unordered_set<const HeldCallbacks*>& held_records() {
  static auto* records = new std::unordered_set<const HeldCallbacks*>;
  return *records;
}
}  // namespace

HeldCallbacks::HeldCallbacks() {
  std::lock_guard<std::mutex> lk(g_held_mutex);
  held_records().insert(this);
}

HeldCallbacks::~HeldCallbacks() {
  std::lock_guard<std::mutex> lk(g_held_mutex);
  held_records().erase(this);
}

HeldCallbacks* Worker::held_callbacks(std::uint64_t handle) {
  std::unique_ptr<HeldCallbacks>& held = held_callbacks_[handle];
  if (!held) {
    held = std::make_unique<HeldCallbacks>();
    held->worker = this;
  }
  return held.get();
}

HeldCallbacks* Worker::shared_callbacks(std::uint64_t guest_user_data) {
  shared_callbacks_.push_back(std::make_unique<HeldCallbacks>());
  HeldCallbacks* rec = shared_callbacks_.back().get();
  rec->worker = this;
  rec->guest_user_data = guest_user_data;
  rec->installed = true;
  return rec;
}

HeldCallbacks* Worker::hold_user_data(std::uint64_t handle, std::uint64_t guest_user_data) {
  HeldCallbacks* held = held_callbacks(handle);
  held->guest_user_data = guest_user_data;
  held->installed = true;
  return held;
}

void Worker::forget_held_callbacks(std::uint64_t handle) {
  held_callbacks_.erase(handle);  // its destructor takes it off the live list
}

CallbackRecord* held_record(void* user_data, int slot, std::uint32_t signature, CallbackRecord& scratch) {
  const auto* held = static_cast<const HeldCallbacks*>(user_data);
  {
    std::lock_guard<std::mutex> lk(g_held_mutex);
    if (!held_records().count(held)) return nullptr;
  }
  const std::size_t i = static_cast<std::size_t>(slot);
  const std::uint64_t fn = i < held->guest_fns.size() ? held->guest_fns[i] : 0;
  if (!fn) return nullptr;
  scratch = CallbackRecord{held->worker, signature, fn, held->guest_user_data};
  return &scratch;
}

std::uint64_t Worker::guest_user_data_of(std::uint64_t value) const {
  const void* p = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(value));
  {
    std::lock_guard<std::mutex> lk(g_held_mutex);
    if (held_records().count(static_cast<const HeldCallbacks*>(p))) {
      const auto* held = static_cast<const HeldCallbacks*>(p);
      return held->worker == this ? held->guest_user_data : value;
    }
  }
  for (const auto& rec : callbacks_)
    if (rec.get() == p) return rec->guest_user_data;
  return value;
}

void refuse_callback(const char* what, const char* why) {
  std::fprintf(stderr, "remora worker: the library called back %s, which cannot reach the program: %s; exiting\n",
               what, why);
  std::fflush(stderr);
  ::_exit(3);
}

bool Worker::get_value_bytes(Reader& in, void* out, std::size_t n, const char* what) {
  if (!in.get_raw(out, n)) return fail("%s: request truncated", what);
  return true;
}

bool Worker::get_handle_u64(Reader& in, std::uint64_t& v, bool nullable, const char* what, int type) {
  if (!in.get_u64(v)) return fail("%s: request truncated", what);
  return take_handle(v, nullable, what, type);
}

bool Worker::get_guest_handle(Reader& in, std::uint64_t& v, const char* what) {
  if (!in.get_u64(v)) return fail("%s: request truncated", what);
  if (v != 0 && !is_guest_handle(v))
    return fail("%s: 0x%llx is not a guest-assigned handle value", what, static_cast<unsigned long long>(v));
  return true;
}

bool Worker::get_presence(Reader& in, bool& present, const char* what) {
  if (!in.get_presence(present)) return fail("%s: bad presence flag", what);
  return true;
}

bool Worker::get_count(Reader& in, std::uint64_t& count, std::uint64_t esize, const char* what) {
  if (!in.get_u64(count)) return fail("%s: request truncated", what);
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes())
    return fail("%s: count %llu is too large", what, static_cast<unsigned long long>(count));
  return true;
}

bool Worker::get_string(Reader& in, const char*& s, const char* what) {
  bool present = false;
  if (!get_presence(in, present, what)) return false;
  if (!present) {
    s = nullptr;
    return true;
  }
  std::uint64_t n;
  if (!in.get_u64(n) || n > in.remaining()) return fail("%s: string length beyond the request", what);
  const unsigned char* src = in.take(n);
  if (std::memchr(src, 0, n)) return fail("%s: string contains a NUL byte", what);
  auto* dst = static_cast<char*>(scratch(n + 1, 1, what));
  if (!dst) return false;
  std::memcpy(dst, src, n);
  dst[n] = '\0';
  s = dst;
  return true;
}

void Worker::note_async_failure(std::uint64_t bits) {
  if (has_async_error_) return;
  has_async_error_ = true;
  async_error_fn_ = call_.fn;
  async_error_bits_ = bits;
}

Worker::Mapping::~Mapping() {
  if (at) ::munmap(at, bytes);
}

void* Worker::zero_padded(const void* data, std::uint64_t bytes, std::uint64_t total, const char* what) {
  if (total < bytes || total > max_message_bytes()) {
    fail("%s: a padded input of %llu bytes exceeds the message limit", what, static_cast<unsigned long long>(total));
    return nullptr;
  }
  void* at = ::mmap(nullptr, total ? total : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (at == MAP_FAILED) {
    fail("%s: cannot map %llu bytes for a padded input", what, static_cast<unsigned long long>(total));
    return nullptr;
  }
  call_.padded.emplace_back(at, total ? total : 1);
  if (bytes) std::memcpy(at, data, bytes);
  return at;
}

// A callback raised on the serving thread is raised during a call: the library waits for
// it. The guest runs it at once (it is waiting for that call's reply) and answers, with
// the value for one that returns a value, with nothing for a void one. Calls the program
// makes from inside it reach this worker meanwhile and are served here, in the middle of
// the outer call, so they see the library as it is when it called back (a parser's
// current position, a stop request, handlers swapped while it parses).
void Worker::call_callback(const Writer& body, void* result, std::size_t size, const char* what) {
  if (t_worker != this) {
    std::fprintf(stderr,
                 "%s: the library raised a callback (%s) on its own thread, outside a call; the program's "
                 "function returns a value the library reads, which the worker cannot wait for there; aborting\n",
                 api_.program_name, what);
    std::fflush(stderr);
    std::abort();
  }
  if (guest_gone_ && size == 0) return;      // the rest of this call's callbacks too
  if (++callback_seq_ == 0) ++callback_seq_;  // 0 names no request
  const std::uint32_t id = callback_seq_;
  send_callback_frame(id, kFlagInCall | kFlagWantsResult, body);
  // The serving thread is inside the library, so nothing else reads the stream: the
  // answer is read here. A request the read-ahead thread was receiving is the guest's
  // next frame: it is taken first (a call sent before the guest saw the callback).
  Incoming* ahead = finish_read_ahead();
  Incoming next;
  for (;;) {
    Incoming& in = ahead ? *ahead : next;
    if (!ahead) receive_request(next);
    ahead = nullptr;
    if (in.kind == Incoming::Kind::Skipped) {
      if (!(in.h.flags & kFlagAsync)) send_reply_error(in.h.request, in.why);
      continue;
    }
    if (in.kind != Incoming::Kind::Request) {
      if (size == 0) {
        // No one is left to run it, and the library needs nothing back: it finishes the
        // call, whose reply goes nowhere, and the worker ends at its next read.
        guest_gone_ = true;
        return;
      }
      std::fprintf(stderr, "%s: the guest went away while the library waited for its callback (%s); exiting\n",
                   api_.program_name, what);
      std::fflush(stderr);
      ::_exit(3);
    }
    if (in.h.type == kMsgCallbackResult) {
      if (in.h.request != id || in.h.bulk || in.nfields != size) {
        // The guest broke the protocol inside a library call: no value to give; only its worker ends.
        std::fprintf(stderr, "%s: the guest answered callback %s with %zu bytes (request %u), not %zu (request %u); "
                     "exiting\n", api_.program_name, what, in.nfields + in.h.bulk, in.h.request, size, id);
        std::fflush(stderr);
        ::_exit(3);
      }
      if (size) std::memcpy(result, in.fields.data(), size);
      return;
    }
    if (!call_.async) {
      serve_nested(in, what);
      continue;
    }
    // The outer call was sent without waiting (the guest went on): what comes now was
    // sent after it, not from inside the callback, and cannot be served inside it.
    if (in.h.type < api_.function_count)
      std::fprintf(stderr, "%s: refused %s, sent while the library waited for a callback (%s) of a call sent without a reply\n",
                   api_.program_name, api_.functions[in.h.type].name, what);
    if (!(in.h.flags & kFlagAsync))
      send_reply_error(in.h.request, std::string("sent while the library waited for a callback (") + what +
                                         ") of an earlier call sent without a reply; it is not remoted");
  }
}

void Worker::take_trailer(Incoming& in) {
  call_.request_bulk = std::move(in.bulk);
  call_.request_bulk_shared = in.bulk_shared;
  call_.bulk_size = in.h.bulk;
  call_.bulk_cursor = 0;
}

void Worker::serve_nested(Incoming& in, const char* what) {
  // Each level keeps the library's frames on this thread's stack: a bound, so that a
  // guest cannot make the worker overflow it (no real API nests this deep).
  constexpr int kMaxNesting = 64;
  if (nesting_ >= kMaxNesting) {
    std::fprintf(stderr, "%s: refused %s, called from inside callbacks nested %d deep (%s)\n", api_.program_name,
                 in.h.type < api_.function_count ? api_.functions[in.h.type].name : "?", nesting_, what);
    if (!(in.h.flags & kFlagAsync))
      send_reply_error(in.h.request, "API calls from inside callbacks nested more than " +
                                         std::to_string(kMaxNesting) + " deep are not remoted");
    return;
  }
  CallState outer = std::exchange(call_, CallState{});
  std::vector<RetainedMemory::Region> outer_kept = retained_.set_aside_unbound();
  const std::uint32_t outer_request = call_request_;
  const long long outer_since = call_since_ms_;
  take_trailer(in);
  ++nesting_;
  handle_call(in.h, in.fields.data(), in.nfields);
  --nesting_;
  retained_.put_back_unbound(std::move(outer_kept));
  call_ = std::move(outer);
  call_request_ = outer_request;
  call_since_ms_ = outer_since;
  t_worker = this;  // back inside the outer call's library function
}

// A void callback: raised during a call (on the serving thread), the library waits for
// it as for one that returns a value (call_callback); raised on one of the library's own
// threads (an event completed), it is sent and the library goes on (the guest runs it on
// its callback thread).
// A call the guest sent without waiting for its reply has no guest thread waiting in it:
// its void callbacks are sent without waiting too (flagged kFlagInCall, the guest runs
// them when it next reads the stream), and what the guest sends meanwhile is not theirs.
void Worker::send_callback(const Writer& body, const char* what) {
  const bool in_call = t_worker == this;
  if (in_call && !call_.async) {
    call_callback(body, nullptr, 0, what);
    return;
  }
  send_callback_frame(0, in_call ? kFlagInCall : 0, body);
}

// Any callback may read what a non-blocking call wrote: the pending outputs that changed
// go to the guest first, in a frame of their own, so they are in its memory before the
// callback runs.
void Worker::send_callback_frame(std::uint32_t request, std::uint32_t flags, const Writer& body) {
  std::lock_guard<std::mutex> pl(pending_mutex_);
  std::lock_guard<std::mutex> lk(write_mutex_);
  if (!stream_) return;
  send_changed_outputs_locked();
  send_frame(*stream_, kMsgCallback, request, flags, body.data(), body.size());
}
void Worker::send_changed_outputs_locked() {
  // A snapshot of each output, hashed and sent as it was: the device may still be
  // writing another one, and what the guest got must be what the hash says.
  Writer w;
  std::uint32_t n = 0;
  std::vector<unsigned char> snap;
  Writer entries;
  for (auto& p : pending_) {
    if (!p->settled) continue;
    snap.assign(p->data.data(), p->data.data() + p->size);
    const std::uint64_t now = content_hash(snap.data(), snap.size());
    if (p->sent && now == p->sent_hash) continue;
    if (entries.size() + snap.size() > max_message_bytes() / 2) break;  // the rest goes with the next reply
    p->sent = true;
    p->sent_hash = now;
    entries.put_u64(p->guest_addr);
    entries.put_u64(p->size);
    entries.put_raw(snap.data(), snap.size());
    ++n;
  }
  if (!n) return;
  w.put_u32(n);
  w.put_raw(entries.data(), entries.size());
  send_frame(*stream_, kMsgOutputs, 0, 0, w.data(), w.size());
}

void Worker::send_reply_error(std::uint32_t request, const std::string& why) {
  Writer w;
  w.put_u32(kReplyRejected);
  w.put_string(why.c_str());
  std::lock_guard<std::mutex> lk(write_mutex_);
  send_frame(*stream_, kMsgReply, request, 0, w.data(), w.size());
}

namespace {

// How long a peer that connected may take to say hello (and to answer a challenge): a
// connection that says nothing must not hold a worker forever.
int handshake_timeout_ms() {
  static const int v =
      static_cast<int>(env_number("REMORA_HANDSHAKE_TIMEOUT_MS", 10000, kPositiveInt));
  return v;
}

}  // namespace

bool Worker::handshake() {
  FrameHeader h;
  std::vector<unsigned char> body;
  // A hello is a few bytes: nothing larger is read from a peer that has not said who it is.
  if (!stream_->wait_readable(handshake_timeout_ms())) {
    std::fprintf(stderr, "%s: a peer connected but sent no hello within %d ms; closed\n", api_.program_name,
                 handshake_timeout_ms());
    return false;
  }
  if (recv_frame(*stream_, h, body, 4096) != FrameResult::Ok) return false;
  std::vector<unsigned char> server_proof;
  if (!key_.empty() && h.type == kMsgHello) {
    // Before anything else (even the fingerprint check): the peer proves it holds the key.
    unsigned char nonce[auth::kNonceBytes];
    std::string why;
    if (!auth::random_nonce(nonce)) why = "the server has no random source";
    FrameHeader ah;
    std::vector<unsigned char> answer;
    if (why.empty()) {
      if (!send_frame(*stream_, kMsgAuthChallenge, h.request, 0, nonce, sizeof nonce)) return false;
      if (!stream_->wait_readable(handshake_timeout_ms()) || recv_frame(*stream_, ah, answer, 4096) != FrameResult::Ok)
        why = "no answer to the authentication challenge";
      else if (ah.type != kMsgAuthResponse || answer.size() != auth::kMacBytes + auth::kNonceBytes)
        why = "this server requires a key (set REMORA_KEY_FILE to a copy of the server's key file)";
      else if (!auth::equal(answer.data(), auth::proof(key_, "remora-guest", nonce).data(), auth::kMacBytes))
        why = "authentication failed: the guest's key is not this server's key";
    }
    if (!why.empty()) {
      std::fprintf(stderr, "%s: refused a guest: %s\n", api_.program_name, why.c_str());
      Writer w;
      w.put_string(why.c_str());
      send_frame(*stream_, kMsgHelloFail, h.request, 0, w.data(), w.size());
      return false;
    }
    server_proof = auth::proof(key_, "remora-server", answer.data() + auth::kMacBytes);
  }
  Reader r(body.data(), body.size());
  std::uint32_t version = 0;
  std::uint64_t fingerprint = 0;
  std::string why;
  if (h.type != kMsgHello || !r.get_u32(version) || !r.get_u64(fingerprint)) {
    why = "expected a remora hello message";
  } else if (version != kProtocolVersion) {
    why = "protocol version " + std::to_string(version) + " is not " + std::to_string(kProtocolVersion);
  } else if (fingerprint != api_.fingerprint) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "the guest library and %s were generated from different %s specs "
                  "(fingerprint %016llx vs %016llx); regenerate and rebuild both from the same spec",
                  api_.program_name, api_.name, static_cast<unsigned long long>(fingerprint),
                  static_cast<unsigned long long>(api_.fingerprint));
    why = buf;
  }
  Writer w;
  if (!why.empty()) {
    std::fprintf(stderr, "%s: refused a guest: %s\n", api_.program_name, why.c_str());
    w.put_string(why.c_str());
    send_frame(*stream_, kMsgHelloFail, h.request, 0, w.data(), w.size());
    return false;
  }
  // With a key, the hello-ok proves the server holds it too (the guest checks).
  return send_frame(*stream_, kMsgHelloOk, h.request, 0, server_proof.data(), server_proof.size());
}

namespace {

// Whether a pending output changed since it was sent: a hash instead of a copy of
// every byte (64-bit multiply-xorshift over 4 lanes; a change that collides would need
// crafted contents, and the contents are the guest's own data).
std::uint64_t content_hash(const unsigned char* p, std::size_t n) {
  std::uint64_t h[4] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, p + i + 8 * k, 8);
      h[k] = (h[k] ^ w) * 0xff51afd7ed558ccdull;
      h[k] ^= h[k] >> 32;
    }
  for (; i < n; ++i) h[0] = (h[0] ^ p[i]) * 0x100000001b3ull;
  return (h[0] ^ (h[1] * 31) ^ (h[2] * 131) ^ (h[3] * 1031)) + n;
}

}  // namespace

void Worker::handle_call(const FrameHeader& h, const unsigned char* body, std::size_t n) {
  call_.seq = ++calls_served_;
  call_.completes_command = false;
  call_.done_upto.clear();
  call_.async = (h.flags & kFlagAsync) != 0;
  call_.piece = call_.async && (h.flags & kFlagPiece) != 0;
  // Decided by the handler from the call's own arguments (set_call_mode), never by the flags.
  call_.deferred = false;
  call_.mode_set = false;
  call_.handles.clear();
  call_.made.clear();
  call_.created.clear();
  if (!call_.async) {
    call_since_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    call_request_ = h.request ? h.request : 1;
  }
  call_.error.clear();
  recycle_scratch();
  call_.padded.clear();
  call_.scratch_bytes = 0;
  call_.barrier = false;
  call_.fn = h.type;
  call_.pending_before = pending_.size();
  const std::size_t pending_before = call_.pending_before;
  call_.out.clear();
  bool ok;
  if (h.type >= api_.function_count) {
    ok = fail("unknown function id %u", h.type);
  } else {
    Reader in(body, n);
    t_worker = this;
    Handler handler = api_.functions[h.type].handler;
    ok = (h.flags & kFlagMappedWrites) == 0 || apply_mapped_writes(in);
    if (ok)
      ok = handler ? handler(*this, in, call_.out)
                   : fail("%s is not supported by this remoting stack", api_.functions[h.type].name);
    t_worker = nullptr;
  }
  // A handler that never said its mode is a blocking call: it may not skip its reply.
  if (ok && call_.async && !call_.mode_set) ok = fail("the guest asked for no reply to a call that always replies");
  {
    std::lock_guard<std::mutex> lk(pending_mutex_);
    // A rejected call wrote nothing: the outputs it reserved are not kept.
    if (!ok) drop_current_pending();
    // The outputs this call made belong to the object it was queued on.
    const Owner owner = current_owner();
    for (std::size_t i = pending_before; i < pending_.size(); ++i) {
      if (pending_[i]->settled) continue;  // a call's made from a callback during this one
      pending_[i]->owner = owner;
      pending_[i]->settled = true;
    }
  }
  // Any call, sync or not, may leave work queued on its object that reads memory an
  // object keeps: remembered (only while one keeps memory) until a barrier retires it.
  if (ok && retained_.keeps_any()) {
    if (call_.handles.empty())
      queued_.note_unowned();
    else if (queued_on_waitable(call_.handles.front()))
      queued_.note(call_.handles.front());
    // An object made from one that keeps memory may use that memory (a sub-buffer).
    for (std::uint64_t made : call_.created)
      for (std::uint64_t h : call_.handles)
        if (h != made && retained_.keeps(h)) derived_from_[made].push_back(h);
  }
  if (call_.deferred && ok) {
    // A non-blocking call (a write, a kernel's argument list) may read its inputs after
    // this handler returns: keep them alive until a barrier on the object it was queued on.
    auto held = std::make_unique<Held>();
    held->owner = current_owner();
    for (auto& bytes : call_.scratch) held->scratch.push_back(std::move(bytes));
    for (auto& m : call_.padded) held->padded.push_back(std::move(m));
    call_.scratch.clear();
    call_.padded.clear();
    if (call_.request_bulk) held->buffers.push_back(std::move(call_.request_bulk));
    for (auto& b : call_.buffers) held->buffers.push_back(std::move(b));
    call_.buffers.clear();
    for (const auto& v : held->scratch) held->bytes += v.capacity();
    for (const auto& m : held->padded) held->bytes += m.bytes;
    for (const auto& b : held->buffers) held->bytes += b.capacity();
    held_bytes_ += held->bytes;
    held_.push_back(std::move(held));
  }
  if (call_.async) {
    // Nobody waits for this reply: a rejected async call is reported later.
    if (!ok) {
      std::fprintf(stderr, "%s: rejected asynchronous %s: %s\n", api_.program_name,
                   h.type < api_.function_count ? api_.functions[h.type].name : "?", call_.error.c_str());
      note_async_failure(h.type < api_.function_count ? api_.functions[h.type].reject_status
                                                       : static_cast<std::uint64_t>(-1));
    }
    end_call();
    return;
  }
  if (!ok) {
    send_reply_error(h.request, call_.error);
    end_call();
    return;
  }
  find_completed_work();
  Writer& w = call_.reply;
  w.clear();
  w.put_u32(kReplyOk);
  w.put_u8(has_async_error_);
  if (has_async_error_) {
    w.put_u32(async_error_fn_);
    w.put_u64(async_error_bits_);
  }
  // Pending outputs go back only when their bytes changed since they were last sent:
  // once a transfer is complete the program owns its memory again, and a stale resend
  // must not overwrite what it wrote there since. At a barrier they are final (and
  // retired after this reply), so one never sent goes without being hashed.
  // A pending output this call created is not sent with its reply: the API has not
  // finished writing it (the call's own reply carries none of its bytes).
  // The siblings' answers are made before the pending lock is taken: a sibling call that
  // fails takes it in call_failed() (it deadlocked the worker when made under the lock,
  // found by the OpenCL fuzz target; a profiling query on a sibling event still running
  // fails that way in a legitimate program).
  Writer siblings;
  if (h.flags & kFlagSiblings) prefetch_answers(h, body, n, siblings);
  std::unique_lock<std::mutex> pending_lock(pending_mutex_);
  std::vector<Pending*> changed;
  for (std::size_t i = 0; i < pending_before && i < pending_.size(); ++i) {
    Pending* p = pending_[i].get();
    if (p->sent || !retired_by_this_call(p->owner)) {
      const std::uint64_t now = content_hash(p->data.data(), p->size);
      if (p->sent && now == p->sent_hash) continue;
      p->sent_hash = now;
    }
    p->sent = true;
    changed.push_back(p);
  }
  // The reply's bulk table: where each buffer of its trailer goes, in trailer order.
  w.put_u32(static_cast<std::uint32_t>(changed.size() + call_.out.bulk().size()));
  for (const Pending* p : changed) {
    w.put_u8(kBulkToAddress);
    w.put_u64(p->guest_addr);
    w.put_u64(p->size);
    w.put_bulk(p->data.data(), p->size);
  }
  for (const BulkSegment& b : call_.out.bulk()) {
    w.put_u8(kBulkToParameter);
    w.put_u64(b.tag);
    w.put_u64(b.size);
  }
  std::vector<std::uint64_t> changed_views;
  for (auto& [real, v] : views_) {
    if (v.size == 0) continue;  // nothing to keep coherent (and memcmp must not see its null data())
    const auto* now = reinterpret_cast<const unsigned char*>(static_cast<std::uintptr_t>(real));
    if (std::memcmp(v.last_sent.data(), now, v.size) == 0) continue;
    v.last_sent.assign(now, now + v.size);
    changed_views.push_back(real);
  }
  w.put_u32(static_cast<std::uint32_t>(changed_views.size()));
  for (std::uint64_t real : changed_views) {
    w.put_u64(real);
    w.put_u64(views_[real].size);
    w.put_raw(views_[real].last_sent.data(), views_[real].size);
  }
  if (h.flags & kFlagSiblings) w.put_raw(siblings.data(), siblings.size());
  const std::uint64_t total = w.size() + call_.out.size() + trailer_bytes({&w, &call_.out});
  if (total > max_message_bytes()) {
    // Too big to frame: the guest must get an answer, not wait for one that never comes.
    send_reply_error(h.request, "the reply (" + std::to_string(total) +
                                    " bytes) exceeds the message limit; raise REMORA_MAX_MESSAGE on both sides");
  } else {
    has_async_error_ = false;  // reported by this reply
    std::lock_guard<std::mutex> lk(write_mutex_);
    call_request_ = 0;  // no heartbeat after the reply
    send_message(*stream_, kMsgReply, h.request, 0, {&w, &call_.out});
  }
  if (call_.barrier || !call_.done_upto.empty()) {
    // Only what was queued on the objects this barrier waited for is final (clFinish(q1)
    // says nothing about q2's read still waiting for its event).
    std::erase_if(pending_, [&](const auto& p) { return retired_by_this_call(p->owner); });
    std::erase_if(held_, [&](const auto& held) {
      if (!retired_by_this_call(held->owner)) return false;
      held_bytes_ -= held->bytes;
      return true;
    });
  }
  if (call_.barrier) {
    if (call_.handles.empty()) queued_.retire_all();
    for (std::uint64_t h : call_.handles) queued_.retire(h);
    queued_.retire_unowned();
    // A persistent mapping lives until the unmap of its owner, not the next barrier.
    std::erase_if(views_, [&](const auto& v) {
      return !v.second.persistent && retired_by_this_call(v.second.owner);
    });
  }
  pending_lock.unlock();
  end_call();
}

// A loop of queries over many objects (the profiling times of every event after a wait,
// the info of every kernel) costs one round trip per type and question instead of one per
// object: the answers the guest is about to ask for travel with the first one. The spec
// says a successful answer cannot change (`cacheable`), so answering early is answering
// the same. Only answers with the asked call's status (its success: the guest keeps none
// otherwise) and without bulk bytes go; each at most once per guest and handle; bounded
// per reply in calls made and bytes sent.
void Worker::prefetch_answers(const FrameHeader& h, const unsigned char* body, std::size_t n, Writer& w) {
  constexpr std::size_t kMaxCalls = 1024, kMaxBytes = 256 * 1024, kMaxRemembered = 1u << 20;
  const std::size_t count_at = w.size();
  w.put_u32(0);
  const std::uint32_t width = h.type < api_.function_count ? api_.functions[h.type].sibling_status_bytes : 0;
  if (width == 0 || !api_.functions[h.type].handler || n < 8 || h.bulk || (h.flags & kFlagMappedWrites) || !call_.out.bulk().empty() || call_.out.size() < width)
    return;
  // Siblings repeat the asked call's arguments: a call that needed pooled (bulk-sized)
  // buffers would make up to kMaxCalls more of them, each zeroed again when it fails (the
  // OpenCL fuzz target's 85 s timeout: a huge param_value_size on clGetCommandQueueInfo).
  // Prefetching is for small answers only.
  if (!call_.buffers.empty()) return;
  std::uint64_t asked;
  std::memcpy(&asked, body, sizeof asked);
  std::uint64_t asked_real = 0;
  const bool known = ids_.to_real(asked, asked_real);
  auto it = handles_.find(asked_real);
  if (!known || asked_real == 0 || it == handles_.end()) return;
  const std::uint32_t type = it->second.type;
  if (siblings_sent_count_ > kMaxRemembered) {  // forgetting only costs a resend
    siblings_sent_.clear();
    siblings_sent_count_ = 0;
  }
  std::string key(reinterpret_cast<const char*>(&h.type), sizeof h.type);
  key.append(reinterpret_cast<const char*>(body) + 8, n - 8);
  auto& sent = siblings_sent_[key];
  if (sent.insert(asked).second) ++siblings_sent_count_;
  // The asked call's state, which the sibling calls must leave as it is.
  const std::vector<std::uint64_t> handles = call_.handles, made = call_.made;
  const bool deferred = call_.deferred, mode_set = call_.mode_set, completes = call_.completes_command;
  const std::size_t buffers = call_.buffers.size();
  // A failing sibling drops the pending outputs made since call_.pending_before: none of the
  // asked call's.
  const std::size_t pending_mark = call_.pending_before;
  call_.pending_before = pending_.size();
  std::vector<unsigned char> request(body, body + n);
  std::vector<std::uint64_t> siblings;
  for (const auto& [real, e] : handles_)
    if (e.type == type && real != asked_real) siblings.push_back(real);
  std::uint32_t count = 0;
  std::size_t calls = 0, bytes = 0;
  t_worker = this;
  for (std::uint64_t real : siblings) {
    if (calls >= kMaxCalls || bytes >= kMaxBytes) break;
    const std::uint64_t guest = ids_.name(real);
    if (sent.count(guest)) continue;
    std::memcpy(request.data(), &guest, sizeof guest);
    ++calls;
    sibling_out_.clear();
    call_.error.clear();
    Reader in(request.data(), request.size());
    const bool ok = api_.functions[h.type].handler(*this, in, sibling_out_);
    recycle_scratch();
    call_.padded.clear();
    call_.scratch_bytes = 0;
    while (call_.buffers.size() > buffers) call_.buffers.pop_back();
    if (!ok || !sibling_out_.bulk().empty() || sibling_out_.size() < width ||
        std::memcmp(sibling_out_.data(), call_.out.data(), width) != 0 || sibling_out_.size() > kMaxBytes - bytes)
      continue;
    w.put_u64(guest);
    w.put_u32(static_cast<std::uint32_t>(sibling_out_.size()));
    w.put_raw(sibling_out_.data(), sibling_out_.size());
    bytes += sibling_out_.size();
    ++count;
    if (sent.insert(guest).second) ++siblings_sent_count_;
  }
  t_worker = nullptr;
  call_.error.clear();
  call_.pending_before = pending_mark;
  call_.handles = handles;
  call_.made = made;
  call_.deferred = deferred;
  call_.mode_set = mode_set;
  call_.completes_command = completes;
  w.patch_u32(count_at, count);
}

// The reply is out: this call's pooled memory goes back to the pool for the next one.
void Worker::end_call() {
  retained_.bind(0);  // kept for an object the call did not create: freed
  call_request_ = 0;
  call_.buffers.clear();
  call_.request_bulk.reset();
  call_.bulk_size = call_.bulk_cursor = 0;
  call_.out.clear();
  call_.reply.clear();
}

namespace {

// REMORA_RECORD_FRAMES=DIR: every request frame a worker receives after the handshake is
// appended, as received, to DIR/frames-<pid>.bin (the seeds of the request fuzzer,
// tests/fuzz/), and the worker's handle ids use the fixed replay prefix. Off unless set;
// never used in production.
std::FILE* open_frame_record() {
  const char* dir = std::getenv("REMORA_RECORD_FRAMES");
  if (!dir || !*dir) return nullptr;
  std::string path = std::string(dir) + "/frames-" + std::to_string(::getpid()) + ".bin";
  return std::fopen(path.c_str(), "wb");
}

// What a request's fields may take before any of their bytes arrived (recv_growing's
// first step).
constexpr std::size_t kFieldsFirstChunk = std::size_t{1} << 20;

// Receives n bytes into buf, whose memory follows the bytes that arrived, never the length
// the guest announced: a header claiming 1 GiB of fields followed by 1 MiB costs about 1 MiB
// (as recv_frame does for the handshake). Reserving the announced length up front was
// invisible in the resident size natively (untouched pages) but it was address space sized
// by a guest, and ASan (which writes the shadow of every byte allocated) showed it as a
// 138 MiB peak (scripts/test_sanitized_lean.sh, the memory-bomb test).
bool recv_growing(Stream& s, ByteBuffer& buf, std::size_t n) {
  std::size_t have = 0;
  while (have < n) {
    const std::size_t next = std::min(n, have == 0 ? kFieldsFirstChunk : have * 2);
    if (!buf.grow(next) || !s.recv_all(buf.data() + have, next - have)) return false;
    have = next;
  }
  return true;
}

}  // namespace

// Receives one request whole: header, fields (growing as they arrive) and bulk trailer
// (where the guest placed it over shm, else pooled memory the handler uses in place; over
// a byte stream both in one read, recv_vec). Framing errors and oversized or unallocatable
// requests come back as kinds for the serving thread to answer: this may run on the
// read-ahead thread, which never writes to the stream.
void Worker::receive_request(Incoming& in) {
  FrameHeader& h = in.h;
  in.bulk.reset();
  in.bulk_shared = false;
  in.nfields = 0;
  in.why.clear();
  FrameResult r = recv_header(*stream_, h);
  if (r == FrameResult::Closed) {
    in.kind = Incoming::Kind::Closed;
    return;
  }
  if (r == FrameResult::BadMagic || r == FrameResult::BadBulk) {
    // The byte stream can no longer be framed: the guest is told, then dropped.
    in.kind = Incoming::Kind::Broken;
    in.why = r == FrameResult::BadMagic ? "bad frame magic" : "a bulk trailer longer than its frame";
    return;
  }
  if (r == FrameResult::TooLarge) {
    // Skip the oversized body without storing it, then keep serving.
    in.kind = skip_bytes(*stream_, h.length) ? Incoming::Kind::Skipped : Incoming::Kind::Closed;
    in.why = "message larger than the limit";
    return;
  }
  in.kind = Incoming::Kind::Closed;  // until the whole request is in
  const std::size_t nfields = h.length - h.bulk;
  const char* no_memory = "the server cannot allocate the request's buffers";
  if (h.bulk && nfields <= kFieldsFirstChunk && !stream_->places_payloads()) {
    // Fields this small are allocated up front, as recv_growing's first step would.
    in.bulk = pool_.get(h.bulk);
    unsigned char* fields = in.fields.grow(nfields);
    if (!in.bulk || !fields) {
      in.bulk.reset();
      if (skip_bytes(*stream_, h.length)) in.kind = Incoming::Kind::Skipped, in.why = no_memory;
      return;
    }
    iovec parts[2] = {{fields, nfields}, {in.bulk.data(), h.bulk}};
    if (!stream_->recv_vec(parts, 2)) return;
  } else {
    if (!recv_growing(*stream_, in.fields, nfields)) return;
    // Over shm the trailer may be where the guest placed it: used in place.
    if (h.bulk) in.bulk = stream_->recv_placed(h.bulk);
    if (in.bulk) {
      in.bulk_shared = true;
    } else if (h.bulk) {
      in.bulk = pool_.get(h.bulk);
      if (!in.bulk) {
        if (skip_bytes(*stream_, h.bulk)) in.kind = Incoming::Kind::Skipped, in.why = no_memory;
        return;
      }
      if (!stream_->recv_all(in.bulk.data(), h.bulk)) return;
    }
  }
  in.nfields = nfields;
  in.kind = Incoming::Kind::Request;
}

namespace {

// REMORA_READ_AHEAD=1 turns the read-ahead on. Off by default: on the shared 2-core
// host (load 10-15) it lost (remora_bulk_bench --compare REMORA_READ_AHEAD=1: a 256 KiB
// non-blocking write at 22% of the raw socket against 53% without, 8 non-blocking 512 KiB
// pieces 51% against 71%): where no core is free, each hand-over to the second thread
// waits for the scheduler, and pocl's non-blocking writes copy on pocl's own thread, so
// the handler had nothing to overlap. It can pay where the library copies inside the call
// (a guest-split blocking write, the spec's `chunk`) and a core is idle: unmeasured here.
bool read_ahead_enabled() {
  static const bool on = [] {
    const char* e = std::getenv("REMORA_READ_AHEAD");
    return e && std::strcmp(e, "1") == 0;
  }();
  return on;
}

// Below this many bulk bytes a request's handler is over before a wake-up of the
// read-ahead thread would pay (a few microseconds on a loaded host).
constexpr std::uint32_t kReadAheadMinBulk = 256 * 1024;

}  // namespace

// Read-ahead: while the handler of a request that needs no reply and carries a large
// trailer runs (the library copies it: a piece of a split write, a non-blocking write),
// the guest is already sending what follows, typically the next piece. Without a reader
// the socket's buffer fills within ~200 KiB and the guest stalls until the library's copy
// is done: the socket's copies and the library's run one after the other. The read-ahead
// thread receives the next request meanwhile, so they overlap. Only over byte streams:
// over shm the trailer is placed and the library reads it in place (nothing to overlap).
bool Worker::read_ahead_pays(const FrameHeader& h) const {
  return (h.flags & kFlagAsync) && h.bulk >= kReadAheadMinBulk && !stream_->places_payloads() && read_ahead_enabled();
}

void Worker::start_read_ahead(Incoming& into) {
  std::lock_guard<std::mutex> lk(ahead_mutex_);
  if (!ahead_thread_.joinable()) ahead_thread_ = std::thread([this] { read_ahead_main(); });
  ahead_into_ = &into;
  ahead_slot_ = &into;
  ahead_done_ = false;
  ahead_cv_.notify_all();
}

Worker::Incoming* Worker::finish_read_ahead() {
  if (!ahead_slot_) return nullptr;
  std::unique_lock<std::mutex> lk(ahead_mutex_);
  ahead_cv_.wait(lk, [this] { return ahead_done_; });
  return std::exchange(ahead_slot_, nullptr);
}

void Worker::read_ahead_main() {
  std::unique_lock<std::mutex> lk(ahead_mutex_);
  for (;;) {
    ahead_cv_.wait(lk, [this] { return ahead_stop_ || ahead_into_; });
    if (ahead_stop_) return;
    Incoming* in = std::exchange(ahead_into_, nullptr);
    lk.unlock();
    receive_request(*in);
    lk.lock();
    ahead_done_ = true;
    ahead_cv_.notify_all();
  }
}

void Worker::stop_read_ahead() {
  finish_read_ahead();
  {
    std::lock_guard<std::mutex> lk(ahead_mutex_);
    ahead_stop_ = true;
    ahead_cv_.notify_all();
  }
  if (ahead_thread_.joinable()) ahead_thread_.join();
}

void Worker::serve() {
  if (!handshake()) return;
  std::FILE* record = open_frame_record();
  if (record) use_replay_ids();  // so that the recording replays (tests/fuzz/)
  Incoming* cur = &incoming_[0];
  for (;;) {
    if (Incoming* ahead = finish_read_ahead()) cur = ahead;  // received while the last one ran
    else receive_request(*cur);
    const FrameHeader& h = cur->h;
    if (cur->kind == Incoming::Kind::Closed) break;
    if (cur->kind == Incoming::Kind::Broken) {
      std::fprintf(stderr, "%s: %s from the guest; closing its connection\n", api_.program_name, cur->why.c_str());
      send_reply_error(h.request, cur->why + "; connection closed");
      break;
    }
    if (cur->kind == Incoming::Kind::Skipped) {
      if (!(h.flags & kFlagAsync)) send_reply_error(h.request, cur->why);
      continue;
    }
    take_trailer(*cur);
    const unsigned char* fields = cur->fields.data();
    if (record) {
      std::fwrite(&h, sizeof h, 1, record);
      if (cur->nfields) std::fwrite(fields, 1, cur->nfields, record);
      if (h.bulk) std::fwrite(call_.request_bulk.data(), 1, h.bulk, record);
      std::fflush(record);
    }
    // The other slot takes the next request; this one's fields stay put for the handler.
    if (read_ahead_pays(h)) start_read_ahead(cur == &incoming_[0] ? incoming_[1] : incoming_[0]);
    handle_call(h, fields, cur->nfields);
  }
  stop_read_ahead();
  if (record) std::fclose(record);
  release_all();
  serving_done_ = true;
}

void Worker::start_liveness(int heartbeat_ms, int grace_ms) {
  std::thread([this, heartbeat_ms, grace_ms] { liveness_main(heartbeat_ms, grace_ms); }).detach();
}

// One thread per worker. A heartbeat goes out every heartbeat_ms while a sync call has
// been running at least that long, so the guest tells a slow call (a kernel running for
// minutes) from a dead or stopped worker. The socket is watched for the guest hanging
// up: the serving thread notices that by itself unless it is blocked inside the library
// (clWaitForEvents on an event that never completes), so after grace_ms the worker exits.
void Worker::liveness_main(int heartbeat_ms, int grace_ms) {
  int fd;
  {
    std::lock_guard<std::mutex> lk(write_mutex_);
    if (!stream_) return;
    fd = stream_->fd();
  }
  using Clock = std::chrono::steady_clock;
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
  };
  for (;;) {
    pollfd p{fd, POLLRDHUP, 0};
    int r = ::poll(&p, 1, heartbeat_ms);
    if (serving_done_) return;
    if (r > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
      const long long gone_at = now_ms();
      while (now_ms() - gone_at < grace_ms) {
        if (serving_done_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      std::fprintf(stderr,
                   "%s: the guest is gone but the worker is still blocked in the library after %d ms; exiting\n",
                   api_.program_name, grace_ms);
      std::fflush(stderr);
      ::_exit(3);
    }
    std::lock_guard<std::mutex> lk(write_mutex_);
    const std::uint32_t request = call_request_;
    if (request && stream_ && now_ms() - call_since_ms_ >= heartbeat_ms)
      send_frame(*stream_, kMsgHeartbeat, request, 0, nullptr, 0);
  }
}

void Worker::release_all() {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> owned;  // (order, value)
  for (const auto& [value, e] : handles_)
    if (e.live > 0) owned.emplace_back(e.order, value);
  std::sort(owned.begin(), owned.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::size_t released = 0;
  for (const auto& [order, value] : owned) {
    const HandleEntry& e = handles_[value];
    if (api_.release && e.type < api_.handle_type_count) {
      for (std::uint32_t i = 0; i < e.live; ++i) api_.release(e.type, value);
      ++released;
    }
  }
  // Then the stream states it never ended (newest first).
  if (api_.release_states) released += api_.release_states();
  if (released)
    std::fprintf(stderr, "%s: released %zu object(s) the guest left behind\n", api_.program_name, released);
  std::lock_guard<std::mutex> lk(write_mutex_);
  stream_.reset();
}

namespace {
void exec_worker(Stream& stream, const ApiInfo& api, bool shm);
void start_worker(std::unique_ptr<Stream> stream, const ApiInfo& api, bool shm, int listen_fd);
SpareWorker start_spare(const ApiInfo& api, bool shm, int listen_fd);
[[noreturn]] void serve_when_handed(const ApiInfo& api, int control, bool shm);
[[noreturn]] void refuse_guest(Stream& stream, const std::string& why);
std::unique_ptr<Stream> serve_shm(std::unique_ptr<Stream> socket, const ApiInfo& api);
}  // namespace
[[noreturn]] void serve_guest(const ApiInfo& api, std::unique_ptr<Stream> stream);

int run_main(int argc, char** argv, const ApiInfo& api) {
  std::string listen, key_file;
  std::vector<std::string> libs;
  bool no_auth = false;
  int worker_fd = -1;  // internal: a fresh worker started by the listener for one accepted socket
  int spare_fd = -1;   // internal: a spare worker started ahead, handed its socket over this one
  bool worker_shm = false;  // internal: that socket is a shm: guest's (the worker sets up its rings)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      std::string prefix = std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 < argc) return argv[++i];
      return "";
    };
    if (a == "--listen" || a.rfind("--listen=", 0) == 0) listen = value("--listen");
    else if (a == "--lib" || a.rfind("--lib=", 0) == 0)
      libs.push_back(value("--lib"));
    else if (a == "--key" || a.rfind("--key=", 0) == 0) key_file = value("--key");
    else if (a == "--no-auth") no_auth = true;
    else if (a == "--worker-fd" || a.rfind("--worker-fd=", 0) == 0) worker_fd = std::atoi(value("--worker-fd").c_str());
    else if (a == "--worker-spare" || a.rfind("--worker-spare=", 0) == 0)
      spare_fd = std::atoi(value("--worker-spare").c_str());
    else if (a == "--worker-shm") worker_shm = true;
    else if (a == "-h" || a == "--help") {
      usage(api);
      return 0;
    } else {
      std::fprintf(stderr, "%s: unknown option '%s'\n", api.program_name, a.c_str());
      usage(api);
      return 2;
    }
  }
  if ((worker_fd >= 0 || spare_fd >= 0) && !libs.empty()) {
    g_library_args = libs;
    if (!key_file.empty()) {
      std::string err;
      if (!auth::load_key(key_file, g_key, err)) {
        std::fprintf(stderr, "%s: worker: %s\n", api.program_name, err.c_str());
        return 1;
      }
    }
    if (spare_fd >= 0) {
      ::fcntl(spare_fd, F_SETFD, FD_CLOEXEC);
      serve_when_handed(api, spare_fd, worker_shm);
    }
    name_this_process(kWorkerName);
    ::fcntl(worker_fd, F_SETFD, FD_CLOEXEC);
    std::unique_ptr<Stream> stream = std::make_unique<SocketStream>(worker_fd);
    if (worker_shm) stream = serve_shm(std::move(stream), api);
    serve_guest(api, std::move(stream));
  }
  if (listen.empty() || libs.empty()) {
    usage(api);
    return 2;
  }
  std::vector<std::string> paths;
  if (std::string why = assign_libraries(libs, api.library_sonames, api.library_count, paths);
      !why.empty()) {
    std::fprintf(stderr, "%s: %s\n", api.program_name, why.c_str());
    return 2;
  }
  std::string lib;  // what the log says is served
  for (std::uint32_t i = 0; i < api.library_count; ++i) {
    if (paths[i].empty()) {
      if (api.library_count > 1)
        std::fprintf(stderr, "%s: no --lib for %s: calls to its functions are rejected\n",
                     api.program_name, api.library_sonames[i]);
      continue;
    }
    struct stat st {};
    if (::stat(paths[i].c_str(), &st) != 0) {
      std::fprintf(stderr, "%s: --lib %s: %s (give the path of the real %s library)\n",
                   api.program_name, paths[i].c_str(), std::strerror(errno),
                   api.library_sonames[i]);
      return 1;
    }
    lib += (lib.empty() ? "" : ", ") + paths[i];
  }
  g_library_args = libs;
  Address addr;
  std::string err;
  if (!parse_address(listen, addr, err)) {
    std::fprintf(stderr, "%s: %s\n", api.program_name, err.c_str());
    return 2;
  }
  // Transports others can reach authenticate guests by default; the socket files of
  // unix: and shm: are guarded by their permissions instead.
  const bool reachable = addr.kind == Address::Kind::Tcp || addr.kind == Address::Kind::Vsock;
  if ((reachable && !no_auth) || !key_file.empty()) {
    if (key_file.empty()) key_file = auth::default_key_path(lower_name(api.name));
    g_key_path = key_file;
    if (!auth::load_or_create_key(key_file, g_key, err)) {
      std::fprintf(stderr, "%s: %s (or run with --no-auth on a trusted network)\n", api.program_name, err.c_str());
      return 1;
    }
    std::fprintf(stderr, "%s: guests must prove they hold the key in %s (REMORA_KEY_FILE on the guest side)\n",
                 api.program_name, key_file.c_str());
  } else if (reachable) {
    std::fprintf(stderr, "%s: --no-auth: any peer that reaches %s can use the library\n", api.program_name,
                 listen.c_str());
  }
  int lfd = listen_on(addr, err);
  if (lfd < 0) {
    std::fprintf(stderr, "%s: %s\n", api.program_name, err.c_str());
    return 1;
  }
  struct sigaction sa{};
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NOCLDSTOP;  // no SA_RESTART: accept() returns EINTR so we reap promptly
  sigaction(SIGCHLD, &sa, nullptr);
  struct sigaction st_sa{};
  st_sa.sa_handler = on_stop;
  sigemptyset(&st_sa.sa_mask);
  sigaction(SIGTERM, &st_sa, nullptr);
  sigaction(SIGINT, &st_sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::fprintf(stderr, "%s: serving %s from %s on %s\n", api.program_name, api.name, lib.c_str(),
               listen.c_str());
  // A shm: guest's shared memory is set up by its worker (after the exec below, so that
  // it lives in the worker's own address space), not by the listener.
  const bool shm = addr.kind == Address::Kind::Shm;
  const char* spare_env = std::getenv("REMORA_SPARE_WORKER");
  const bool spares = !std::getenv("REMORA_WORKER_NO_EXEC") && !(spare_env && std::strcmp(spare_env, "0") == 0);
  SpareWorker spare;  // the next guest's worker, started ahead
  // Guests handed to a spare that has not said it took them: the listener keeps its copy
  // of each socket until then, so a spare that died first costs its guest only the start
  // of a worker on demand.
  struct HandOver {
    SpareWorker spare;
    std::unique_ptr<Stream> stream;
  };
  std::vector<HandOver> handing;
  std::vector<pid_t> refused;  // spares found gone at a hand-over, not reaped yet
  if (spares) spare = start_spare(api, shm, lfd);
  const auto spare_ended = [&](pid_t pid) {
    if (pid == spare.pid) {
      ::close(spare.control);
      spare = {};
      return true;
    }
    if (std::erase(refused, pid) > 0) return true;
    return std::any_of(handing.begin(), handing.end(), [pid](const HandOver& h) { return h.spare.pid == pid; });
  };
  while (!g_stop) {
    if (g_child_exited) {
      g_child_exited = 0;
      reap_children(api.program_name, spare_ended);
    }
    // Wake up at least twice a second so exited workers are reaped and logged promptly.
    std::vector<pollfd> fds{{lfd, POLLIN, 0}};
    for (const auto& h : handing) fds.push_back({h.spare.control, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 500) <= 0) continue;
    // Hand-overs answered: a byte (the spare took its guest), or its end closed (it died).
    std::vector<HandOver> still;
    for (std::size_t i = 0; i < handing.size(); ++i) {
      HandOver& h = handing[i];
      char taken = 0;
      const ssize_t n = fds[i + 1].revents ? ::recv(h.spare.control, &taken, 1, MSG_DONTWAIT) : -1;
      if (n < 0 && (!fds[i + 1].revents || errno == EAGAIN || errno == EINTR)) {
        still.push_back(std::move(h));
        continue;
      }
      ::close(h.spare.control);
      if (n == 1) {
        std::fprintf(stderr, "%s: guest connected (worker %d)\n", api.program_name, static_cast<int>(h.spare.pid));
      } else {
        std::fprintf(stderr, "%s: the spare worker %d did not take its guest; starting a worker for it\n",
                     api.program_name, static_cast<int>(h.spare.pid));
        start_worker(std::move(h.stream), api, shm, lfd);
      }
    }
    handing = std::move(still);
    if (!(fds[0].revents & POLLIN)) continue;
    auto stream = shm ? accept_from(lfd) : accept_from(lfd, addr);
    if (!stream) continue;
    if (hand_to_spare(spare, stream->fd())) {
      handing.push_back({spare, std::move(stream)});
    } else {
      if (spare.control >= 0) ::close(spare.control);
      if (spare.pid > 0) refused.push_back(spare.pid);
      start_worker(std::move(stream), api, shm, lfd);
    }
    spare = {};
    if (spares) spare = start_spare(api, shm, lfd);  // the next guest's, starting now
  }
  ::close(lfd);
  // The spares see their end close: one waiting for a guest leaves, one that took its
  // guest serves on.
  if (spare.control >= 0) ::close(spare.control);
  for (const auto& h : handing) ::close(h.spare.control);
  if (addr.kind == Address::Kind::Unix || addr.kind == Address::Kind::Shm) ::unlink(addr.path.c_str());
  reap_children(api.program_name, spare_ended);
  return 0;
}

namespace {

// Answers the guest's hello with a failure that says why, and ends the worker.
[[noreturn]] void refuse_guest(Stream& stream, const std::string& why) {
  Writer w;
  w.put_string(why.c_str());
  FrameHeader h;
  std::vector<unsigned char> body;
  recv_frame(stream, h, body);
  send_frame(stream, kMsgHelloFail, 0, 0, w.data(), w.size());
  ::_exit(1);
}

// A shm: guest's rings, made by its worker on the accepted socket (shm_serve); a worker
// that cannot make them ends (the guest's attach fails with the reason).
std::unique_ptr<Stream> serve_shm(std::unique_ptr<Stream> socket, const ApiInfo& api) {
  const int fd = ::fcntl(socket->fd(), F_DUPFD_CLOEXEC, 0);
  socket.reset();
  std::string error;
  auto s = fd >= 0 ? shm_serve(fd, error) : nullptr;
  if (!s) {
    std::fprintf(stderr, "%s: a guest could not be served over shm: %s\n", api.program_name,
                 fd >= 0 ? error.c_str() : std::strerror(errno));
    ::_exit(1);
  }
  return s;
}

// Starts the accepted guest's worker on demand: a fork that re-executes this program
// (exec_worker) or, with REMORA_WORKER_NO_EXEC=1, serves from the fork itself.
void start_worker(std::unique_ptr<Stream> stream, const ApiInfo& api, bool shm, int listen_fd) {
  pid_t pid = ::fork();
  if (pid < 0) {
    std::fprintf(stderr, "%s: fork failed: %s\n", api.program_name, std::strerror(errno));
    return;
  }
  if (pid == 0) {
    ::close(listen_fd);
    name_this_process(kWorkerName);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    // Every guest's worker starts over in a fresh address space: its own ASLR layout
    // (one worker's addresses say nothing about another's) and none of the listener's
    // memory. REMORA_WORKER_NO_EXEC=1 keeps the bare fork (cheaper to start).
    if (!std::getenv("REMORA_WORKER_NO_EXEC")) exec_worker(*stream, api, shm);
    if (shm) stream = serve_shm(std::move(stream), api);
    serve_guest(api, std::move(stream));
  }
  std::fprintf(stderr, "%s: guest connected (worker %d)\n", api.program_name, static_cast<int>(pid));
}

// The arguments of a fresh copy of this program that serves one guest, less the option
// that says how it gets the guest's socket.
std::vector<std::string> worker_args(const ApiInfo& api, bool shm) {
  std::vector<std::string> args{api.program_name};
  for (const auto& lib : g_library_args) {
    args.push_back("--lib");
    args.push_back(lib);
  }
  if (shm) args.push_back("--worker-shm");
  if (!g_key_path.empty()) {
    args.push_back("--key");
    args.push_back(g_key_path);
  }
  return args;
}

// Replaces this process by a fresh copy of this program with `args` and `fd` kept open;
// returns only if that failed.
void exec_with_fd(std::vector<std::string> args, const char* fd_option, int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0 || ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) != 0) return;
  args.insert(args.begin() + 1, {fd_option, std::to_string(fd)});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv("/proc/self/exe", argv.data());
}

// Replaces the forked child by a fresh copy of this program that serves the accepted
// socket (`--worker-fd N`, `--worker-shm` for a shm: guest); returns only if the exec
// failed (the fork then serves).
void exec_worker(Stream& stream, const ApiInfo& api, bool shm) {
  exec_with_fd(worker_args(api, shm), "--worker-fd", stream.fd());
  std::fprintf(stderr, "%s: cannot start a fresh worker (%s); serving from the fork\n", api.program_name,
               std::strerror(errno));
}

// Starts the next guest's worker ahead (remora_spare_worker.h): a fresh copy of this
// program with `--worker-spare N`, N its end of a control socket. No spare (pid -1) when
// that cannot start: guests' workers then start on demand.
SpareWorker start_spare(const ApiInfo& api, bool shm, int listen_fd) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(listen_fd);
    ::close(sv[0]);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    exec_with_fd(worker_args(api, shm), "--worker-spare", sv[1]);
    std::fprintf(stderr, "%s: cannot start a spare worker (%s); guests' workers start on demand\n",
                 api.program_name, std::strerror(errno));
    ::_exit(1);
  }
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    return {};
  }
  return {pid, sv[0]};
}

}  // namespace

namespace {

// A worker before its guest: confined, its libraries loaded, or the reason it cannot serve.
struct PreparedWorker {
  std::string scratch;  // its working directory (sandbox::confine)
  std::string refusal;  // non-empty: what the guest is told instead of being served
};

// Confined before the library is loaded, so that not even its constructors run
// unconfined (remora_sandbox.h); a worker that cannot confine itself does not serve.
PreparedWorker prepare_worker(const ApiInfo& api) {
  PreparedWorker w;
  std::string err;
  sandbox::Options confinement;
  if (!sandbox::options_from_env(confinement, err) || !sandbox::confine(confinement, w.scratch, err)) {
    std::fprintf(stderr, "%s: worker cannot confine itself: %s (REMORA_SANDBOX=off serves unconfined)\n",
                 api.program_name, err.c_str());
    w.refusal = "the server cannot confine its worker: " + err;
    return w;
  }
  // Each library in the spec's order (api.library first); one not given stays null.
  std::vector<std::string> paths;
  assign_libraries(g_library_args, api.library_sonames, api.library_count,
                   paths);  // checked at start
  std::vector<void*> handles(paths.size(), nullptr);
  std::string loaded;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i].empty()) continue;
    handles[i] = ::dlopen(paths[i].c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handles[i]) {
      std::fprintf(stderr, "%s: worker cannot load %s: %s\n", api.program_name, paths[i].c_str(),
                   ::dlerror());
      w.refusal = "the server cannot load the real library: " + paths[i];
      return w;
    }
    loaded += (loaded.empty() ? "" : ", ") + paths[i];
  }
  std::vector<std::string> missing = api.resolve(handles.data());
  if (!missing.empty())
    std::fprintf(stderr, "%s: %zu function(s) not in %s (calls to them are rejected), first: %s\n",
                 api.program_name, missing.size(), loaded.c_str(), missing.front().c_str());
  return w;
}

// Serves the guest on `stream` with the prepared worker, or refuses it with the reason.
[[noreturn]] void serve_prepared(const ApiInfo& api, const PreparedWorker& prepared, std::unique_ptr<Stream> stream) {
  if (!prepared.refusal.empty()) {
    sandbox::remove_scratch(prepared.scratch);
    refuse_guest(*stream, prepared.refusal);
  }
  // Never destroyed: API threads may still call a trampoline (which uses the worker)
  // until the process exits.
  auto* worker = new Worker(api, std::move(stream));
  if (!g_key.empty()) worker->require_key(g_key);
  worker->start_liveness(env_ms("REMORA_HEARTBEAT_MS", 1000), env_ms("REMORA_WORKER_GRACE_MS", 5000));
  worker->serve();
  sandbox::remove_scratch(prepared.scratch);
  std::fflush(stderr);
  ::_exit(0);  // the process exit frees everything else; skip static destructors
}

// A spare's life (remora_spare_worker.h): prepared ahead, then its guest's socket arrives
// on `control` (a shm: guest's rings are made then, in this address space), or the
// listener stopped first and it leaves quietly.
[[noreturn]] void serve_when_handed(const ApiInfo& api, int control, bool shm) {
  name_this_process(kSpareName);
  const PreparedWorker prepared = prepare_worker(api);
  const int fd = wait_for_guest(control);
  // Taken: the listener drops its copy of the socket. If it has stopped meanwhile (the
  // send fails), this worker serves its guest all the same, as a running worker would.
  const char taken = 1;
  if (fd >= 0) (void)::send(control, &taken, 1, MSG_NOSIGNAL);
  ::close(control);
  if (fd < 0) {
    sandbox::remove_scratch(prepared.scratch);
    ::_exit(0);
  }
  name_this_process(kWorkerName);
  std::unique_ptr<Stream> stream = std::make_unique<SocketStream>(fd);
  if (shm) stream = serve_shm(std::move(stream), api);
  serve_prepared(api, prepared, std::move(stream));
}

}  // namespace

// The worker's life: load the library, serve one guest, release what it left, exit.
void serve_guest(const ApiInfo& api, std::unique_ptr<Stream> stream) {
  serve_prepared(api, prepare_worker(api), std::move(stream));
}

}  // namespace remora::server
