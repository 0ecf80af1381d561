// Remora runtime, guest side: the one connection of this process to the API
// server, used by every generated stub.
//
// Finding the server: $REMORA_SERVER, else `server=ADDR` in
// $XDG_CONFIG_HOME/remora/<api>.conf (~/.config if unset) or /etc/remora/<api>.conf,
// else unix:/tmp/remora-<api>.sock. The connection is opened lazily on the first call.
//
// Threads: one connection per process, guarded by a recursive mutex held for a
// whole call. Calls from several threads are serialized (a documented limit);
// API calls made from inside a callback re-enter the same mutex and work.
//
// Accounting: the runtime counts the program's API calls, round trips (calls that
// wait for a reply), frames sent, bytes on the wire (both ways) and writes to the
// transport (a batch of calls without a reply is one); REMORA_STATS=1 prints them to
// stderr at exit: "remora: N calls, M round trips, K frames, B bytes, S sends".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "remora_wire.h"
#include "remora_returned_copies.h"

namespace remora::guest {

// Filled in by the generated guest library.
struct ApiInfo {
  const char* name;         // "OpenCL"
  const char* server_name;  // "opencl-server" (for messages)
  std::uint64_t fingerprint;
  const char* const* function_names;
  std::uint32_t function_count;
  // Runs one guest callback described by a kMsgCallback body. `result` (non-null when the
  // server waits for it, kFlagWantsResult) receives the value the program's function returned.
  void (*dispatch_callback)(std::uint32_t signature, std::uint64_t fn, std::uint64_t user_data, Reader& args,
                            Writer* result);
  bool has_callbacks;  // start the background thread that delivers asynchronous callbacks
};


// An output buffer of a call whose reply trailer may carry its bytes (Call::receive_into).
struct ReplyDestination {
  std::uint32_t param;
  void* dest;
  std::uint64_t capacity;
  std::uint64_t delivered;  // bytes the trailer had for it (~0: none)
};

// How to read the status of a pipelined piece's reply (Call::pipeline).
struct PipelinedPiece {
  bool on = false;
  std::size_t ret_size = 0;
  std::uint64_t (*status)(const unsigned char*) = nullptr;
  std::uint64_t success = 0;
  std::uint64_t failure = 0;
};

// One remote call. Construction takes the connection lock and connects if needed.
class Call {
 public:
  Call(const ApiInfo* api, std::uint32_t function);
  ~Call();
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  bool connected() const { return connected_; }
  Writer& args() { return *args_; }
  // An output buffer of parameter #param: if the reply carries its bytes in the bulk
  // trailer they are received straight into dest (at most capacity bytes).
  void receive_into(std::uint32_t param, void* dest, std::uint64_t capacity);
  // After run(): the trailer delivered exactly `bytes` for parameter #param.
  bool received(std::uint32_t param, std::uint64_t bytes) const;
  // Sends the call. Sync: waits for the reply (running callbacks that arrive first),
  // applies pending outputs. Async: returns at once. False: the call failed
  // (server unreachable, gone, or it rejected the request); already logged.
  // deferred_outputs: the API call is non-blocking (its out buffers fill in later).
  bool run(bool async, bool deferred_outputs = false);
  Reader& reply() { return reply_; }
  // `cacheable` calls: the answer a call with the same request got before, made the reply
  // (true) without a round trip; and, after a successful call decoded its reply, keeping
  // that answer (not when it came partly in the bulk trailer, or was itself replayed).
  // `handles`: the handle arguments, whose release forgets the answer.
  bool replay_cached();
  void keep_cached(std::initializer_list<std::uint64_t> handles);
  // A cacheable query whose first field is a handle: the reply also brings the answers to
  // the same request about the server's other objects of its type that succeed as this
  // one (kFlagSiblings); keep_cached keeps them under their own keys.
  void want_siblings() { want_siblings_ = true; }
  // An input (its bulk bytes start at p) that the program leaves unchanged until the
  // command this call queues completes (retain: "command"): over shm the server may read
  // it in the program's own pages even when the call goes without a reply.
  void input_kept_until_done(const void* p) { kept_inputs_.push_back(p); }
  // One piece of a split transfer with more to follow (kFlagPiece): sent without a reply.
  void mark_piece() { piece_ = true; }
  // One piece of a split read with more to follow: sent with a reply wanted, which is read
  // (its trailer straight into the receive_into destinations) only after the next piece
  // is sent, so the program's copy of piece k overlaps the library's call on piece k+1.
  // `status`: the call's return value from the reply's raw bytes (ret_size of them), as
  // to_u64 gives it; a value other than `success` (or a rejected request: `failure`) is
  // the failure the split call's last piece reports (take_piece_failure). ret_size 0:
  // no return value.
  void pipeline(std::size_t ret_size, std::uint64_t (*status)(const unsigned char*), std::uint64_t success,
                std::uint64_t failure) {
    pipeline_ = {true, ret_size, status, success, failure};
  }
  // run() sent this pipelined piece: its reply is read later (the call returns success).
  bool pipelined() const { return pipelined_sent_; }
  // The last piece of a split read: reports the first failure of the pieces before it.
  void mark_last_piece() { last_piece_ = true; }
  // The first failure of an earlier asynchronous call, reported with this reply.
  bool has_async_error() const { return has_async_error_; }
  std::uint64_t async_error_bits() const { return async_error_bits_; }
  // The reply was malformed (log and fail the call).
  void bad_reply(const char* what);

 private:
  using Destination = ReplyDestination;
  bool receive_reply(std::uint32_t request, std::vector<Destination>& destinations);
  // Reads the replies of pipelined pieces sent before `keep` (0: all) in order.
  bool drain_pipelined(std::uint32_t keep);

  std::uint32_t function_;
  bool connected_ = false;
  // Reused by every call at the same nesting depth (a callback's calls nest).
  Writer* args_ = nullptr;
  ByteBuffer* body_ = nullptr;
  std::vector<Destination> destinations_;
  Reader reply_;
  bool has_async_error_ = false;
  std::uint64_t async_error_bits_ = 0;
  Reader answer_;         // the reply from the return value on (what a cache keeps)
  struct Sibling {
    std::uint64_t handle;
    const unsigned char* answer;
    std::uint32_t bytes;
  };
  bool want_siblings_ = false;
  bool piece_ = false;
  std::vector<const void*> kept_inputs_;  // input_kept_until_done
  PipelinedPiece pipeline_;
  bool pipelined_sent_ = false;
  bool last_piece_ = false;
  std::vector<Sibling> siblings_;  // into the reply's body, valid until the call ends
  bool replayed_ = false;
  std::unique_lock<std::recursive_mutex> lock_;
};

// While one exists on this thread, calls are internal (a size query the stack
// makes for itself): an earlier asynchronous failure they are told about is kept
// for the program's next call instead.
class InternalCall {
 public:
  InternalCall();
  ~InternalCall();
  InternalCall(const InternalCall&) = delete;
  InternalCall& operator=(const InternalCall&) = delete;
};

// Answers of query() helpers, kept from the first internal call until the program's
// next call (Call::run of a non-internal call forgets them).
bool query_cache_get(const char* helper, const std::uint64_t* key, std::size_t n, long long& value);
void query_cache_put(const char* helper, const std::uint64_t* key, std::size_t n, long long value);

// readable(p) in sizes: bytes from p to the end of the run of readable mappings
// that holds it (0 for NULL or unmapped memory). An upper bound for inputs whose
// size no argument carries; sizes use it inside min() with a bound of their own.
long long readable_bytes(const void* p);
// Elements of T readable from p (what a terminated() scan may read in the program's memory).
template <class T>
std::uint64_t readable_elements(const T* p) {
  const long long bytes = readable_bytes(p);
  return bytes > 0 ? static_cast<std::uint64_t>(bytes) / sizeof(T) : 0;
}

// Reads a string written by Writer::put_string.
bool read_string(Reader& r, std::string& s, bool& present);
// An array a callback receives with its count, kept for the callback's run: NULL when
// the library passed NULL, else as many elements as the signature's count says.
template <class Element>
class CallbackArray {
 public:
  template <class T>
  T pointers() {
    // Through void*: `const char **` (what a `const XML_Char **` argument is) from `char **`.
    return present_ ? static_cast<T>(static_cast<void*>(elements_.data())) : nullptr;
  }
  // The program reads as many elements as the signature's count says: exactly these.
  template <class Count>
  bool counted_by(Count count) const {
    if (!present_) return true;
    return count > 0 ? static_cast<std::uint64_t>(count) == count_ : count_ == 0;
  }

 protected:
  bool present_ = false;
  std::uint64_t count_ = 0;
  std::vector<Element> elements_;
};
// An array of strings a callback receives (Writer::put_string_array): NULL elements stay
// NULL, and a NULL after the last (as argv has).
class StringArray : public CallbackArray<char*> {
 public:
  bool read(Reader& r);

 private:
  std::vector<std::string> strings_;
};
// The handles a callback receives in an array with their count (SQLite's `int argc,
// sqlite3_value **argv`; remora::server::put_handle_array): the objects' ids, pointer-sized
// as the API's handles are.
class HandleArray : public CallbackArray<void*> {
 public:
  bool read(Reader& r);
};
// Memory the library allocated for the program (a string it returns that the program
// must free: sqlite3_expanded_sql, sqlite3_exec's errmsg) reaches the program as a copy of
// its own; the copy remembers the library's address until the program releases it.
char* library_copy(const std::string& s, std::uint64_t library_address);
// The same for bytes the program frees (`unsigned char *sqlite3_serialize(...)`); eight
// zero bytes follow them.
void* library_copy(const void* bytes, std::size_t size, std::uint64_t library_address);
// The library's address behind a copy (anything else unchanged), for a call that releases
// it; the copy is freed then, as the library frees its memory.
std::uint64_t library_address(std::uint64_t guest_address);
// The program's address for an out pointer the library set inside `base` (offset_inside):
// NULL for NULL; outside the parameter it points into, the program could not follow it:
// NULL, and a line on stderr says so.
void report_outside(const char* what);
template <class T, class B>
T address_inside(B base, std::uint64_t offset, const char* what) {
  if (offset == kOffsetNull) return nullptr;
  if (offset == kOffsetOutside || !base) {
    report_outside(what);
    return nullptr;
  }
  return reinterpret_cast<T>(reinterpret_cast<std::uintptr_t>(base) + offset);
}
// Keeps a string returned by the API alive for the life of the process.
const char* intern(const std::string& s);
// A size the program computed: negative or beyond the message limit fails the call (logged).
bool checked_count(long long value, std::uint64_t esize, const char* what, std::uint64_t& out);

// False when REMORA_STRICT=1 (or its older name REMORA_ASYNC=0): every call waits for
// its reply, so each call reports its own error (slower). Otherwise calls that return
// only a status or are non-blocking go without a reply, batched (REMORA_BATCH=0: each
// on its own; REMORA_BATCH_BYTES, REMORA_BATCH_US: the size and time thresholds).
bool async_enabled();

// Transfers of at least this many bytes whose spec says how to split them (`chunk`) go as
// calls on consecutive pieces of this size, pipelined: REMORA_CHUNK_BYTES (default 4 MiB;
// 0 turns splitting off, as does REMORA_STRICT=1, which wants each call's own error).
std::uint64_t chunk_bytes();
// How many pieces a transfer larger than the smallest useful piece (256 KiB) is split into
// at least: REMORA_CHUNK_PIECES (default 1: only transfers above chunk_bytes() are split, in
// pieces of chunk_bytes()). With N > 1 a mid-size transfer goes as N pieces, so the
// library's copy of piece k can overlap the channel's copy of k+1.
std::uint64_t chunk_pieces();
// The elements per piece for a `chunk` transfer of `count` elements of `esize` bytes: the
// transfer / chunk_pieces() rounded up to 64 KiB, within [256 KiB, chunk_bytes()]; 0 when
// the transfer goes whole (splitting off, or it fits in one piece).
std::uint64_t chunk_step(std::uint64_t count, std::uint64_t esize);
// The same for a transfer of the program's buffer at p: 0 (whole) when the transport shares
// the buffer's pages with the server (shm:, remora_shared_pages.h), where the library copies
// straight into or out of it and no transport copy is left for pieces to overlap.
// in_place: the call could use the buffer in place (an output; an input of a call that
// returns after the library read it); only then is the whole buffer offered for sharing.
std::uint64_t chunk_step(const void* p, std::uint64_t count, std::uint64_t esize, bool in_place);
// Held by a split read for all its pieces: no other thread's call or the callback thread
// reads the stream while piece replies are outstanding. The destructor forgets a piece
// failure no last piece reported (the split ended early and returned its own failure).
class SplitScope {
 public:
  SplitScope();
  ~SplitScope();
  SplitScope(const SplitScope&) = delete;
  SplitScope& operator=(const SplitScope&) = delete;

 private:
  std::unique_lock<std::recursive_mutex> lock_;
};

// v >= 0 without a warning for unsigned types (generated code tests offsets of any integer type).
template <class T>
constexpr bool not_negative(T v) {
  if constexpr (std::is_signed_v<T>) return v >= 0;
  else return (void)v, true;
}

// A value for a new handle that the guest names itself (remora_handle_ids.h).
std::uint64_t assign_handle();

// The program released a handle: cached answers about it are forgotten.
void cache_forget_handle(std::uint64_t handle);

// Prints "remora: <name> is not supported by this remoting stack ..." once per function.
void log_unsupported_once(const char* function, const char* reason);

// A call that cannot be made and whose return type has no error value (void, plain
// numbers, structs): returning anything would look like success, so this prints
// "remora: <function> cannot be made: <why>; aborting" and aborts the process.
[[noreturn]] void abort_call(const char* function, const char* why);

// Guest shadows of server-side mappings (clEnqueueMapBuffer-like).
void* shadow_create(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size);
// A mapping of memory the object retains from the program (CL_MEM_USE_HOST_PTR): the
// program's own memory at guest_addr is the shadow (filled with the bytes, never freed).
void* shadow_adopt(std::uint64_t server_ptr, std::uint64_t guest_addr, const unsigned char* bytes, std::uint64_t size);
bool shadow_lookup(const void* shadow, std::uint64_t& server_ptr, std::uint64_t& size);
void shadow_release(const void* shadow);
// New contents of the server mapping behind a shadow (non-blocking maps, persistent ones).
void shadow_update(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size);
// Persistent mappings (an element with shadow "map": vkMapMemory's ppData): the program
// reads and writes the shadow across later calls until the unmap of `owner` (the mapped
// object's handle). They are coherent at every call boundary: each request carries what
// the program changed since the last call (collect_mapped_writes), each reply what the
// server's memory changed (shadow_update).
void* shadow_create_persistent(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size,
                               std::uint64_t owner);
void shadow_release_owned(std::uint64_t owner);
// Appends the changed byte range of every persistent shadow (u32 count, then server
// address, offset, length, bytes) and takes it as synchronised; false (nothing written)
// when nothing changed.
bool collect_mapped_writes(Writer& w);

}  // namespace remora::guest
