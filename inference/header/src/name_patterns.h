// Naming conventions shared by C APIs, as general predicates over identifier
// words (text_util.h: identifier_words). No API's function names live here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace remora::inference::names {

using Words = std::vector<std::string>;

bool has_word(const Words& words, std::string_view word);
bool identifier_words_end_with(const std::string& identifier, std::string_view word);
bool has_any_word(const Words& words, std::initializer_list<std::string_view> candidates);

// A parameter that counts or sizes something: size, len, length, count, num_*,
// n*, *_size, *_count, nbytes, work_dim ...
bool is_size_like(const std::string& param_name);
// A length glued to what it measures, C's terse spelling: outlen, keylen, mlen, buflen,
// bufsize, hex_maxlen (a word of at least one letter followed by len, length, size or sz;
// not resize, minlen, bytesize, whose first part is a unit or a lower bound). is_size_like does not
// count these: a pointer so named is not taken for a two-call count, and a by-value one
// only gives the length of byte data (size_companions.cpp).
bool is_glued_size(const std::string& param_name);
// The words of a size-like name that say *what* is counted
// ("num_events_in_wait_list" -> {event, wait, list}).
Words counted_subject(const std::string& param_name);
// The words of a pointer name, singularized ("event_wait_list" -> {event, wait, list}).
Words subject(const std::string& param_name);
// Names that say the value is in bytes ("size", "nbytes", "*_size", "bytes").
bool names_bytes(const std::string& param_name);

// "*_ret" / "*Ret": an optional output (errcode_ret, param_value_size_ret).
bool is_ret_name(const std::string& param_name);
// A plural or list-like pointer name ("devices", "event_wait_list", "lengths").
bool is_plural_name(const std::string& param_name);
// A singular name with "pos", "position" or "cursor" in it (out_pos, pPosition): a place
// in some data, not the data.
bool names_position(const std::string& param_name);
// Callback user data: user_data, userData, pUserData, data, arg, ctx, context_data ...
bool is_user_data_name(const std::string& param_name);
bool is_properties_name(const std::string& param_name);
bool is_blocking_name(const std::string& param_name);
// Multi-dimensional coordinates (origin, region, shape, dims, coords, strides):
// a small fixed-length array, never a single value.
bool is_geometry_name(const std::string& param_name);
// An address in device memory: devPtr, dev_ptr, devicePtr, dptr, d_ptr, deviceAddress.
bool is_device_address_name(const std::string& param_name);

// Names of what a call reads, even through a non-const pointer: source / src
// (the other side of a copy), and option or parameter lists (jitOptions,
// ctxCreateParams: configuration handed to the call).
bool is_source_name(const std::string& param_name);
bool is_destination_name(const std::string& param_name);  // dest, dst, destination
bool is_configuration_name(const std::string& param_name);
// The address of code or of a global of the calling program (symbol, func,
// function, entry): a value the API looks up, never data it copies.
bool is_code_address_name(const std::string& param_name);

// Verbs in a function name (words of "clCreateBuffer" = {cl, create, buffer}).
bool creates_object(const Words& function_words);   // create, alloc, malloc, new, open, clone, link
// realloc: memory moved to a new size; what it returns is the caller's (the old block is gone).
bool reallocates_memory(const Words& function_words);
bool releases_object(const Words& function_words);  // release, destroy, free, delete, close, dispose
bool only_queries(const Words& function_words);     // get, query, info
bool waits_for_work(const Words& function_words);   // finish, synchronize, wait (not "wait list")
bool enqueues_work(const Words& function_words);    // enqueue, async, launch
bool maps_memory(const Words& function_words);      // map (not unmap)
bool unmaps_memory(const Words& function_words);    // unmap
bool names_buffer(const Words& function_words);     // buffer, buf
bool writes_data(const Words& function_words);      // ends with write/send/put/push/upload (not read/get/receive)
bool registers_memory(const Words& function_words); // register, pin, lock, unregister (a range, not its bytes)
bool exchanges_value(const Words& function_words);  // exchange, swap

}  // namespace remora::inference::names
