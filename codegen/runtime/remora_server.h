// Remora runtime, server side: the listening parent and the per-guest worker.
//
// The parent never loads the vendor library. It accepts connections and forks one
// worker per guest (a socket guest's worker then re-executes the server binary with the
// accepted socket, for an address space of its own); the worker dlopens the real
// library, serves that guest, and on disconnect releases what the guest created
// (reverse creation order) and exits.
// The worker is the trust boundary: generated handlers validate every count,
// presence flag, string and handle through the helpers below before use.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "remora_buffer_pool.h"
#include "remora_handle_ids.h"
#include "remora_queued_work.h"
#include "remora_retained.h"
#include "remora_transport.h"
#include "remora_wire.h"

namespace remora::server {

class Worker;
// A generated handler: decodes arguments from `in`, calls the real function,
// encodes outputs into `out`. False: the request was rejected (w.fail() says why).
using Handler = bool (*)(Worker& w, Reader& in, Writer& out);

struct FunctionEntry {
  const char* name;
  Handler handler;              // null: not remoted (the request is rejected)
  std::uint64_t reject_status;  // status reported when an asynchronous call is rejected
  // A `cacheable` query whose first argument is a handle: the width of its status (0: none
  // of this). A guest's kFlagSiblings request also gets the answers, with that status, to
  // the same request about this guest's other objects of the handle's type.
  std::uint32_t sibling_status_bytes = 0;
};

struct ApiInfo {
  const char* name;          // "OpenCL"
  const char* program_name;  // "opencl-server"
  std::uint64_t fingerprint;
  const FunctionEntry* functions;
  std::uint32_t function_count;
  // Resolves the real functions, each in its own library (`libraries[i]` is the dlopened
  // `library_sonames[i]`, null when not loaded); returns the names not found.
  std::vector<std::string> (*resolve)(void* const* libraries);
  // Releases one object of a handle type (index into handle_types); null: none known.
  void (*release)(std::uint32_t handle_type, std::uint64_t value);
  const char* const* handle_types;
  std::uint32_t handle_type_count;
  // Ends the stream states (remora_state.h) the guest left behind; returns how many.
  std::size_t (*release_states)();
  // The vendor libraries, api.library first (remora_libraries.h: which --lib is which).
  const char* const* library_sonames;
  std::uint32_t library_count;
  // Per handle type: the kind of object it names (-1: unchecked); handle types of one kind
  // share it. A live handle of another kind where a handle goes is refused (take_handle).
  const int* handle_classes = nullptr;
  // Per handle type: 1 when a `barrier` function takes it (a queue, a stream, an event):
  // work queued on such an object can be waited for, so it may still run after the call
  // (remora_queued_work.h). Null: every type.
  const unsigned char* waitable_types = nullptr;
};

// `<api>-server --listen ADDR --lib [SONAME=]PATH...`. Returns the process exit code.
int run_main(int argc, char** argv, const ApiInfo& api);

// Guest callback registered with the API: the generated trampoline receives it as its user data.
struct CallbackRecord {
  Worker* worker;
  std::uint32_t signature;
  std::uint64_t guest_fn;
  std::uint64_t guest_user_data;
};

// A handle whose library passes every callback registered on it the one user data a
// setter gave the handle (expat's XML_SetUserData before XML_SetStartElementHandler): the
// library holds this record as that user data instead, and each registration fills a slot
// (one per registering function and callback parameter) with the guest's function. The
// registrations carry no user data of their own (codegen/README.md, Callbacks).
struct HeldCallbacks {
  HeldCallbacks();  // listed as live (held_record checks), until destroyed
  ~HeldCallbacks();
  HeldCallbacks(const HeldCallbacks&) = delete;
  HeldCallbacks& operator=(const HeldCallbacks&) = delete;
  Worker* worker = nullptr;
  std::uint64_t guest_user_data = 0;  // what the guest's setter call passed (0 until then)
  bool installed = false;             // the library holds this record as the handle's user data
  std::vector<std::uint64_t> guest_fns;  // per slot; 0: none
  void set(int slot, std::uint64_t fn) {
    if (guest_fns.size() <= static_cast<std::size_t>(slot)) guest_fns.resize(static_cast<std::size_t>(slot) + 1);
    guest_fns[static_cast<std::size_t>(slot)] = fn;
  }
};
// What a trampoline of `slot` forwards with, from the user data the library passed: the
// handle's record with that slot's function (in `scratch`). nullptr when that user data is
// no live record (the program made the library pass something else, or reset it).
CallbackRecord* held_record(void* user_data, int slot, std::uint32_t signature, CallbackRecord& scratch);
// The handles a callback receives in an array with their count (`int argc, sqlite3_value
// **argv`): presence, count, then each object's id (HandleArray in the guest).
template <class H, class Count>
void put_handle_array(Writer& w, Worker& worker, H* handles, Count count, int type);
// A callback the stack cannot forward was called: says why on stderr and ends the worker
// (the guest's call fails with the connection); never an invented result.
[[noreturn]] void refuse_callback(const char* what, const char* why);

class Worker {
 public:
  Worker(const ApiInfo& api, std::unique_ptr<Stream> stream);
  // Serves until the guest disconnects, then releases its objects.
  void serve();
  // Handle ids with the fixed replay prefix (HandleIds::use_replay_prefix): what a worker
  // recording its frames uses, and what the fuzz target replays them with. Before serve().
  void use_replay_ids() { ids_.use_replay_prefix(); }
  // Requires the guest to prove it holds `key` at the handshake (tcp:, vsock:).
  void require_key(std::vector<unsigned char> key) { key_ = std::move(key); }
  // Liveness (a thread of its own): heartbeats to the guest while a sync call runs longer
  // than heartbeat_ms (slow is not dead), and an exit when the guest is gone but the
  // serving thread stays blocked in the library for grace_ms (a wait that never ends).
  void start_liveness(int heartbeat_ms, int grace_ms);

  // ---- used by generated handlers ----
  // Rejects the request with a message (printf-style); always returns false.
  bool fail(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  // Handle values the guest sees are ids of this worker (remora_handle_ids.h), never host
  // addresses. A handle value from the guest: translated in place to the real handle; it
  // must name one of this guest's live objects (or be NULL: the library reports a NULL it
  // does not accept).
  // `type`: the handle type the parameter expects (index into handle_types; -1: any).
  bool take_handle(std::uint64_t& value, bool nullable, const char* what, int type = -1);
  // The same for a handle stored in a struct member the library reads.
  template <class T>
  bool take_handle_member(T& member, const char* what) {
    std::uint64_t v = to_u64(member);
    if (!take_handle(v, true, what)) return false;
    member = from_u64<T>(v);
    return true;
  }
  // Records a handle the real library produced (returned or written to an output).
  void add_handle(std::uint64_t value, std::uint32_t type, bool allocated);
  // The guest released an object it created: one reference fewer. When none is left the
  // handle is unknown from then on (a double release or a use after release is rejected
  // before it reaches the library). Handles the guest never owned (live 0) stay known.
  void drop_handle(std::uint64_t value);
  // Before a call that releases `value`: the guest must hold a reference to it (one it
  // created or retained and has not released). A handle it only saw (a device from a list,
  // a context named by an info query) is the library's: releasing it would drop a
  // reference that another object holds, and the library would free that object under it.
  bool check_release(std::uint64_t value, const char* what);
  // The handle type names a kind take_handle checks (its class is not -1).
  bool checked_kind(std::uint32_t type) const;
  // Guest-assigned handles (remora_handle_ids.h): the value the guest chose for a new
  // handle (0: none; anything else must be in the guest range), and its mapping to the
  // real handle once the call returned.
  bool get_guest_handle(Reader& in, std::uint64_t& v, const char* what);
  void alias_handle(std::uint64_t guest, std::uint64_t real) { ids_.alias(guest, real); }
  // The value to send the guest for a real handle: its id (a new one for a handle the
  // guest has not seen yet). Any thread (callback trampolines).
  std::uint64_t guest_value(std::uint64_t real) { return ids_.name(real); }
  // The same for an object the library shows a callback (a function's context, its
  // argument values: objects no call of the guest's returned): the guest may then pass it
  // to calls, as an object of handle type `type` (-1: unchecked). Any thread.
  std::uint64_t callback_handle(std::uint64_t real, int type);
  // Bytes the spec says may hold handles (`may_hold_handles`: a kernel argument's value, a
  // property list): every aligned 8-byte word that is one of this guest's handle values
  // becomes the real handle; a word shaped like one that names no live object (released,
  // or another worker's) is refused; any other word is data and passes as it is.
  bool translate_handles_in(void* bytes, std::uint64_t size, const char* what);
  // After the call, the other way: every aligned word that is one of this guest's live
  // real handles becomes its id (the library put the object there: an info result).
  void translate_handles_out(void* bytes, std::uint64_t size);
  // The guest took one more reference to an object it owns (a `retains` parameter).
  void retain_handle(std::uint64_t value);
  // The call's mode from its own arguments as the server decoded them (the spec's
  // async_if), never from the frame's flags: a non-blocking call keeps its inputs and
  // outputs alive until a barrier. A frame that asks for no reply is accepted only for a
  // call that may skip it (a non-blocking one, or a status-only call the spec lets the
  // guest send without waiting). False: rejected (w.fail says why).
  // completes_command: the function may be non-blocking (async_if) and these arguments
  // made it blocking, so its command was done when the library returned.
  bool set_call_mode(bool nonblocking, bool may_skip_reply, bool completes_command = false);
  // The object this call made completes its queued work in order (the spec's `in_order`
  // held for the creating call's arguments): a later command's completion on it retires
  // what earlier non-blocking calls on it left held or pending.
  void note_in_order(std::uint64_t real);
  // Zeroed scratch memory for one call: count elements of esize bytes, bounded.
  void* scratch(std::uint64_t count, std::uint64_t esize, const char* what);
  // A raw input buffer of `bytes` the guest sent: in place in the request's bulk trailer
  // (aligned, no copy) when it travels as bulk, else copied from the fields into scratch.
  // Over shm a trailer may lie in memory the guest can still write while the call runs:
  // it is used in place only with shared_ok (bytes only the library reads, that no size
  // or check of this worker depends on), else copied first.
  const void* take_buffer(Reader& in, std::uint64_t bytes, const char* what, bool shared_ok = false);
  // Trailer bytes the handler has not taken (a valid request leaves none).
  std::uint64_t bulk_left() const { return call_.bulk_size - call_.bulk_cursor; }
  // Memory for a raw output of one call. Transfer-sized ones come from the pool and are
  // not zeroed (the API is about to write them); small ones are zeroed scratch.
  void* output_buffer(std::uint64_t count, std::uint64_t esize, const char* what);
  // The same for an output the guest receives at guest_addr: over shm, where the guest
  // shares the pages there, the program's buffer itself (the library's write is the copy).
  void* output_buffer(std::uint64_t guest_addr, std::uint64_t count, std::uint64_t esize, const char* what);
  // The real call failed: its pending outputs are dropped (the API will not write them)
  // and its pooled outputs zeroed (the reply carries no stale bytes).
  void call_failed();
  // `bytes` of data followed by zeros up to `total` bytes (readable()-bounded inputs). The
  // zeros are an untouched anonymous mapping, so a generous bound costs address space only.
  void* zero_padded(const void* data, std::uint64_t bytes, std::uint64_t total, const char* what);
  // Memory that outlives the call: an asynchronous out buffer, returned to the
  // guest (at guest_addr) with every sync reply until a barrier call.
  void* pending_output(std::uint64_t guest_addr, std::uint64_t count, std::uint64_t esize, const char* what);
  // Mapped regions (shadow "map"/"unmap"). A mapping made by a non-blocking call is
  // also watched: its bytes go back with later replies (when they change) until a
  // barrier call or the unmap, so the guest's shadow ends up with the final contents.
  void add_mapping(void* real, std::uint64_t size);
  // A persistent mapping (vkMapMemory's ppData): watched until the unmap of `owner`, not
  // retired by barriers. Every reply carries its bytes when they changed; every request
  // flagged kFlagMappedWrites first writes the guest's changes into it.
  void add_persistent_mapping(void* real, std::uint64_t size, std::uint64_t owner);
  // The unmap of `owner`: its persistent mappings are no longer the guest's.
  void drop_mappings_of(std::uint64_t owner);
  // kFlagMappedWrites: validates and applies the writes at the start of a request.
  bool apply_mapped_writes(Reader& in);
  // Validates an unmap: the pointer must be a live mapping, the bytes must fit.
  void* take_mapping(std::uint64_t real, std::uint64_t len, const char* what);
  // Buffers the library keeps after the call (remora_retained.h): a copy of the guest's
  // bytes for the library, kept by the object the call creates (retain_bind after the
  // call) until that object is released.
  void* retain(const void* data, std::uint64_t bytes, std::uint64_t guest_addr, const char* what);
  void retain_bind(std::uint64_t handle) { retained_.bind(handle); }
  std::uint64_t retained_alias(const void* p, std::uint64_t bytes) const { return retained_.guest_alias(p, bytes); }
  CallbackRecord* callback_record(std::uint32_t signature, std::uint64_t fn, std::uint64_t user_data);
  // The record of callbacks registered on `handle` (created on first use), and the one a
  // setter call installs with the guest's user data; a new object at the address of a
  // released one starts without any.
  HeldCallbacks* held_callbacks(std::uint64_t handle);
  HeldCallbacks* hold_user_data(std::uint64_t handle, std::uint64_t guest_user_data);
  void forget_held_callbacks(std::uint64_t handle);
  // A record for callbacks of one call that share its user data (a comparison and its
  // destructor given one pArg): kept for the worker's life, as the library may call them
  // as long as what it registered them on lives.
  HeldCallbacks* shared_callbacks(std::uint64_t guest_user_data);
  // What the program gave as user data where the library holds a record of the stack's
  // in its place (a getter of the library returns it: sqlite3_user_data); any other value
  // unchanged.
  std::uint64_t guest_user_data_of(std::uint64_t value) const;
  // Decoding helpers (false: malformed, already failed with a message).
  bool get_value_bytes(Reader& in, void* out, std::size_t n, const char* what);
  // A handle value from the guest, translated to the real handle (take_handle).
  bool get_handle_u64(Reader& in, std::uint64_t& v, bool nullable, const char* what, int type = -1);
  bool get_presence(Reader& in, bool& present, const char* what);
  bool get_count(Reader& in, std::uint64_t& count, std::uint64_t esize, const char* what);
  bool get_string(Reader& in, const char*& s, const char* what);
  // A barrier call just replied: retire pending outputs.
  void mark_barrier() { call_.barrier = true; }
  // Called when a handled call returns a failing status asynchronously.
  void note_async_failure(std::uint64_t bits);
  bool current_call_async() const { return call_.async; }
  // The request is a piece of a split transfer that goes without a reply (kFlagPiece).
  bool piece_of_split() const { return call_.piece; }
  // The call is non-blocking at the API level: its out buffers fill in later, so
  // they are kept as pending outputs (even when the guest waits for the reply).
  bool current_call_deferred() const { return call_.deferred; }

  // A callback whose function returns nothing (from any thread; see send_callback).
  void send_callback(const Writer& body, const char* what);
  // A callback whose function returns a value (`size` bytes into `result`): sent flagged
  // kFlagWantsResult, then the worker reads the guest's answer itself. Only possible on
  // the serving thread during a call (the guest is waiting for that call's reply and runs
  // the callback at once); raised on another thread it cannot be answered: the worker says
  // so and aborts (never an invented value). `what` names the signature in messages.
  // Calls the program makes from inside the callback are served meanwhile (serve_nested).
  void call_callback(const Writer& body, void* result, std::size_t size, const char* what);

 private:
  struct HandleEntry {
    std::uint32_t type = 0;
    std::uint32_t live = 0;   // references the guest created and has not released
    std::uint64_t order = 0;  // creation order, for releasing in reverse
    bool created = false;     // the guest's references began with a call that made the object
    // The spec says this object completes its queued work in the order it was queued (`in_order`).
    bool in_order = false;
    // Made by a call queued on an in-order object (an event): that object and the call's
    // number. Waiting for it proves every earlier call on that object done too.
    std::uint64_t made_on = 0;
    std::uint64_t made_seq = 0;
  };
  // The object a non-blocking call was queued on (its first handle argument: the queue
  // or stream) and the handles it produced (its event): a barrier that names either
  // retires what the call left pending; no other barrier does.
  struct Owner {
    bool any = false;  // the call had a handle argument
    std::uint64_t object = 0;
    std::vector<std::uint64_t> made;
    std::uint64_t seq = 0;  // the call's number on this worker (CallState::seq)
  };
  struct Pending {
    std::uint64_t guest_addr;
    std::uint64_t size;
    PooledBuffer data;
    std::uint64_t sent_hash = 0;  // hash of what the guest was sent (when sent)
    bool sent = false;
    bool settled = false;  // the call that made it succeeded (its bytes may be sent)
    Owner owner;
  };
  Owner current_owner() const;
  // Whether this call retires work an earlier call left pending or held: a barrier naming
  // its object or a handle it made, or a completion that proves it done (done_upto_).
  bool retired_by_this_call(const Owner& o) const;
  bool is_in_order(std::uint64_t object) const;
  void find_completed_work();
  void liveness_main(int heartbeat_ms, int grace_ms);
  // Sends pending outputs that changed (under pending_mutex_ and write_mutex_).
  void send_changed_outputs_locked();
  // A request as received (receive_request): the current one, or the next one that the
  // read-ahead thread receives while the current one's handler runs.
  struct Incoming {
    enum class Kind { Request, Closed, Broken, Skipped };
    Kind kind = Kind::Closed;
    FrameHeader h;
    std::string why;  // Broken, Skipped: what the guest is told (Skipped: unless async)
    ByteBuffer fields;
    std::size_t nfields = 0;
    PooledBuffer bulk;
    bool bulk_shared = false;  // where the guest placed it (shm:)
  };
  bool handshake();
  void receive_request(Incoming& in);
  bool read_ahead_pays(const FrameHeader& h) const;
  void start_read_ahead(Incoming& into);
  Incoming* finish_read_ahead();  // the request it received; nullptr when none was started
  void read_ahead_main();
  void stop_read_ahead();
  void handle_call(const FrameHeader& h, const unsigned char* body, std::size_t n);
  // A request that came while the library waits for a callback (call_callback): served
  // in the middle of the outer call, whose CallState is set aside meanwhile.
  void serve_nested(Incoming& in, const char* what);
  // The request's bulk trailer becomes the current call's (serve, serve_nested).
  void take_trailer(Incoming& in);
  // A callback frame, after the pending outputs that changed (the callback may read them).
  void send_callback_frame(std::uint32_t request, std::uint32_t flags, const Writer& body);
  void drop_current_pending();
  bool count_call_bytes(std::uint64_t count, std::uint64_t esize, const char* what, std::uint64_t& bytes);
  void end_call();
  void recycle_scratch();
  // kFlagSiblings: appends to the reply the answers of the same query about the other
  // objects of its first handle's type that succeed as it did (see kFlagSiblings).
  void prefetch_answers(const FrameHeader& h, const unsigned char* body, std::size_t n, Writer& w);
  void send_reply_error(std::uint32_t request, const std::string& why);
  void release_all();

  const ApiInfo& api_;
  std::unique_ptr<Stream> stream_;
  // Before every holder of pooled memory (it must outlive them).
  BufferPool pool_;
  Incoming incoming_[2];
  std::thread ahead_thread_;
  std::mutex ahead_mutex_;
  std::condition_variable ahead_cv_;
  Incoming* ahead_into_ = nullptr;  // the read-ahead thread's next job
  Incoming* ahead_slot_ = nullptr;  // started and not yet taken by finish_read_ahead
  bool ahead_done_ = false, ahead_stop_ = false;
  std::mutex write_mutex_;
  std::unordered_map<std::uint64_t, HandleEntry> handles_;
  // handles_'s entry for a real handle, taking in one the library showed a callback.
  std::unordered_map<std::uint64_t, HandleEntry>::iterator find_handle(std::uint64_t real);
  HandleIds ids_;
  std::uint64_t next_order_ = 1;
  std::vector<std::vector<unsigned char>> scratch_spare_;  // finished calls' small scratch_
  struct Mapping {
    void* at = nullptr;
    std::size_t bytes = 0;
    Mapping(void* a, std::size_t n) : at(a), bytes(n) {}
    Mapping(Mapping&& o) noexcept : at(o.at), bytes(o.bytes) { o.at = nullptr; }
    Mapping& operator=(Mapping&&) = delete;
    Mapping(const Mapping&) = delete;
    ~Mapping();
  };
  // Inputs of one non-blocking call, alive until a barrier on its owner.
  struct Held {
    Owner owner;
    std::uint64_t bytes = 0;  // counted in held_bytes_ while it lives
    std::vector<std::vector<unsigned char>> scratch;
    std::vector<Mapping> padded;
    std::vector<PooledBuffer> buffers;
    // Memory a released object kept, which this queued work may still use.
    std::vector<std::shared_ptr<RetainedMemory::Kept>> kept;
  };
  // What serving one call uses, from its request to its reply. A call the program makes
  // from inside a callback the library raised during another call is served in the middle
  // of that call (call_callback): with a fresh state, the outer call's set aside meanwhile.
  struct CallState {
    PooledBuffer request_bulk;  // the request's bulk trailer
    bool request_bulk_shared = false;  // the trailer is where the guest placed it (shm:)
    std::uint64_t bulk_size = 0, bulk_cursor = 0;
    std::vector<PooledBuffer> buffers;  // output_buffer() of the call
    std::size_t pending_before = 0;     // pending outputs made before the call
    Writer reply, out;                  // reused: no allocation per call
    std::string error;
    std::vector<std::vector<unsigned char>> scratch;
    std::uint64_t scratch_bytes = 0;  // scratch, in bytes
    std::vector<Mapping> padded;      // zero_padded() of the call
    std::vector<std::uint64_t> handles;  // handles the guest passed to the call, in order
    std::vector<std::uint64_t> made;     // handles the call produced
    std::vector<std::uint64_t> created;  // handles the call allocated
    bool barrier = false;
    bool completes_command = false;  // set_call_mode: blocking by its own arguments
    // In-order objects whose calls up to a number are known complete by the call: a wait
    // on an event made on one, or a blocking call on one.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> done_upto;
    bool async = false;
    bool piece = false;  // kFlagPiece
    bool deferred = false;
    bool mode_set = false;  // set_call_mode() ran for the call
    std::uint32_t fn = 0;
    // The call's number (calls_served_ when it began): calls served inside it come after
    // it, though it ends after them.
    std::uint64_t seq = 0;
  };
  CallState call_;
  int nesting_ = 0;  // calls being served inside callbacks of outer calls (serve_nested)
  bool guest_gone_ = false;  // the stream ended while the library waited for a void callback
  std::vector<std::unique_ptr<Held>> held_;  // inputs of non-blocking calls, until a barrier on their owner
  // What held_ holds, in bytes, and the per-guest bound on it (max_held_bytes()): a
  // non-blocking call whose inputs would pass it is refused before the library sees it.
  std::uint64_t held_bytes_ = 0;
  bool within_held_bound(std::uint64_t more, const char* what);
  // Guards pending_ (API threads flush it before a callback) and their send state.
  std::mutex pending_mutex_;
  // Objects named for callbacks (callback_handle), by real handle: their handle type. The
  // serving thread takes one into handles_ when the guest first passes it.
  std::mutex callback_handles_mutex_;
  std::unordered_map<std::uint64_t, std::uint32_t> callback_handles_;
  std::atomic<bool> callback_handles_named_{false};  // none: take_handle skips the lock
  std::vector<std::unique_ptr<Pending>> pending_;
  std::vector<unsigned char> key_;           // non-empty: the guest must prove it holds it
  // Liveness: the sync call being served (0: none) and since when (steady clock, ms).
  std::atomic<std::uint32_t> call_request_{0};
  std::atomic<long long> call_since_ms_{0};
  std::atomic<bool> serving_done_{false};
  std::map<std::uint64_t, std::uint64_t> mappings_;  // real pointer -> size
  struct View {
    std::uint64_t size;
    std::vector<unsigned char> last_sent;
    bool persistent = false;  // until the unmap of its owner, not the next barrier
    Owner owner;
  };
  std::multimap<std::uint64_t, std::uint64_t> mapping_owners_;  // owner handle -> persistent mapping
  std::map<std::uint64_t, View> views_;  // watched mappings of non-blocking map calls
  // Records live for the worker's life: the API may call a callback after the call that
  // registered it returns (a debug messenger, an event), as long as its object lives.
  // One record per distinct (signature, function, user data).
  std::vector<std::unique_ptr<CallbackRecord>> callbacks_;
  std::unordered_map<std::uint64_t, std::unique_ptr<HeldCallbacks>> held_callbacks_;  // by real handle
  std::vector<std::unique_ptr<HeldCallbacks>> shared_callbacks_;
  // Sibling answers already sent, per request without its handle (function + fields):
  // the guest keeps them until it releases the handle, so they are not sent again.
  std::unordered_map<std::string, std::unordered_set<std::uint64_t>> siblings_sent_;
  std::size_t siblings_sent_count_ = 0;
  Writer sibling_out_;  // one sibling's answer
  std::map<std::tuple<std::uint32_t, std::uint64_t, std::uint64_t>, CallbackRecord*> callback_index_;
  std::uint32_t callback_seq_ = 0;  // request ids of callbacks that want a result
  RetainedMemory retained_;
  // Objects with work queued since their last barrier, while an object keeps memory.
  QueuedWork queued_;
  // Objects created by a call that named an object keeping memory (a sub-buffer of a
  // USE_HOST_PTR buffer, the event of a copy from it): the library may use that memory
  // through them, so a released object's memory also lives until each of them is released
  // (then, until the work queued before that release is retired). Created -> keepers named.
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> derived_from_;
  std::unordered_map<std::uint64_t, std::vector<QueuedWork::KeptPtr>>
      inherited_;                            // live object -> shares
  void share_kept(const QueuedWork::KeptPtr& kept);
  bool queued_on_waitable(std::uint64_t object) const;
  std::uint64_t calls_served_ = 0;  // numbers the calls (Owner::seq)
  bool has_async_error_ = false;
  std::uint32_t async_error_fn_ = 0;
  std::uint64_t async_error_bits_ = 0;
};

// The worker serving the current thread's call (for trampolines).
Worker* current_worker();

template <class H, class Count>
void put_handle_array(Writer& w, Worker& worker, H* handles, Count count, int type) {
  w.put_u8(handles != nullptr);
  if (!handles) return;
  const std::uint64_t n = count > 0 ? static_cast<std::uint64_t>(count) : 0;
  w.put_u64(n);
  for (std::uint64_t i = 0; i < n; ++i) w.put_u64(worker.callback_handle(to_u64(handles[i]), type));
}

}  // namespace remora::server
