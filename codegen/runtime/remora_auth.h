// Remora runtime: authentication of guests on transports that others can reach
// (tcp:, vsock:). A per-server secret key (a file only its owner can read) and a
// challenge-response at connect: the server sends a random nonce, the guest answers
// HMAC-SHA256(key, "remora-guest" || nonce) with a nonce of its own, and the server
// proves it holds the key too with HMAC-SHA256(key, "remora-server" || guest nonce)
// in its hello-ok. The key never travels; a replayed answer fails (fresh nonces).
// unix: and shm: rely on the socket file's permissions instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace remora::auth {

inline constexpr std::size_t kNonceBytes = 32;
inline constexpr std::size_t kMacBytes = 32;

// SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104): small and dependency-free, so the
// generated project builds with no crypto library.
std::vector<unsigned char> sha256(const void* data, std::size_t n);
std::vector<unsigned char> hmac_sha256(const std::vector<unsigned char>& key, const void* data, std::size_t n);
// The proof one side sends: HMAC(key, role || nonce).
std::vector<unsigned char> proof(const std::vector<unsigned char>& key, const char* role, const unsigned char* nonce);
// Constant-time comparison (a timing difference must not reveal how many bytes matched).
bool equal(const unsigned char* a, const unsigned char* b, std::size_t n);
// kNonceBytes from the kernel's random source; false if it is unavailable.
bool random_nonce(unsigned char* out);

// Where a key lives by default: $XDG_CONFIG_HOME/remora/<api>.key (~/.config if unset).
std::string default_key_path(const std::string& api_lower);
// Reads a key file (hex, at least 16 bytes of key). Refuses a file others can read or
// write. False + error text.
bool load_key(const std::string& path, std::vector<unsigned char>& key, std::string& error);
// Loads the key at path, creating it (32 random bytes, mode 0600, folder 0700) if it
// does not exist. False + error text.
bool load_or_create_key(const std::string& path, std::vector<unsigned char>& key, std::string& error);

}  // namespace remora::auth
