#include "remora_auth.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace remora::auth {
namespace {

constexpr std::uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::uint32_t h[8], const unsigned char* block) {
  std::uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; ++i) {
    std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
    std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::vector<unsigned char> sha256(const void* data, std::size_t n) {
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* p = static_cast<const unsigned char*>(data);
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) compress(h, p + i);
  unsigned char tail[128] = {};
  std::size_t rest = n - i;
  if (rest) std::memcpy(tail, p + i, rest);
  tail[rest] = 0x80;
  std::size_t blocks = rest + 9 <= 64 ? 1 : 2;
  const std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int k = 0; k < 8; ++k) tail[blocks * 64 - 1 - k] = static_cast<unsigned char>(bits >> (8 * k));
  for (std::size_t b = 0; b < blocks; ++b) compress(h, tail + 64 * b);
  std::vector<unsigned char> out(32);
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 4; ++j) out[4 * k + j] = static_cast<unsigned char>(h[k] >> (24 - 8 * j));
  return out;
}

std::vector<unsigned char> hmac_sha256(const std::vector<unsigned char>& key, const void* data, std::size_t n) {
  std::vector<unsigned char> k = key.size() > 64 ? sha256(key.data(), key.size()) : key;
  k.resize(64, 0);
  std::vector<unsigned char> inner(64 + n), outer(64 + 32);
  for (int i = 0; i < 64; ++i) {
    inner[i] = k[i] ^ 0x36;
    outer[i] = k[i] ^ 0x5c;
  }
  if (n) std::memcpy(inner.data() + 64, data, n);
  std::vector<unsigned char> ih = sha256(inner.data(), inner.size());
  std::memcpy(outer.data() + 64, ih.data(), 32);
  return sha256(outer.data(), outer.size());
}

std::vector<unsigned char> proof(const std::vector<unsigned char>& key, const char* role, const unsigned char* nonce) {
  std::vector<unsigned char> msg(role, role + std::strlen(role));
  msg.insert(msg.end(), nonce, nonce + kNonceBytes);
  return hmac_sha256(key, msg.data(), msg.size());
}

bool equal(const unsigned char* a, const unsigned char* b, std::size_t n) {
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool random_nonce(unsigned char* out) {
  std::size_t got = 0;
  while (got < kNonceBytes) {
    ssize_t r = ::getrandom(out + got, kNonceBytes - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

std::string default_key_path(const std::string& api_lower) {
  std::string dir;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) dir = x;
  else if (const char* h = std::getenv("HOME"); h && *h) dir = std::string(h) + "/.config";
  else dir = "/tmp";
  return dir + "/remora/" + api_lower + ".key";
}

bool load_key(const std::string& path, std::vector<unsigned char>& key, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    error = "cannot read the key file " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
    ::close(fd);
    error = "the key file " + path + " must be a regular file that only its owner can read (chmod 600)";
    return false;
  }
  char text[257];
  ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n < 0) n = 0;
  key.clear();
  for (ssize_t i = 0; i + 1 < n; i += 2) {
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) break;
    key.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  if (key.size() < 16) {
    error = "the key file " + path + " holds no key (expected at least 32 hex digits)";
    return false;
  }
  return true;
}

bool load_or_create_key(const std::string& path, std::vector<unsigned char>& key, std::string& error) {
  if (::access(path.c_str(), F_OK) == 0) return load_key(path, key, error);
  // Create the folder (owner only) and the key; O_EXCL: of two servers starting at once,
  // one writes it and the other reads what the first wrote.
  std::string::size_type slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    std::string dir = path.substr(0, slash);
    std::string::size_type parent = dir.rfind('/');
    if (parent != std::string::npos && parent > 0) ::mkdir(dir.substr(0, parent).c_str(), 0700);
    ::mkdir(dir.c_str(), 0700);
  }
  unsigned char raw[kNonceBytes];
  if (!random_nonce(raw)) {
    error = "no random source to create a key";
    return false;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      ::usleep(100000);  // another server is writing it
      return load_key(path, key, error);
    }
    error = "cannot create the key file " + path + ": " + std::strerror(errno);
    return false;
  }
  static const char kHex[] = "0123456789abcdef";
  char text[2 * kNonceBytes + 1];
  for (std::size_t i = 0; i < kNonceBytes; ++i) {
    text[2 * i] = kHex[raw[i] >> 4];
    text[2 * i + 1] = kHex[raw[i] & 15];
  }
  text[2 * kNonceBytes] = '\n';
  bool ok = ::write(fd, text, sizeof text) == static_cast<ssize_t>(sizeof text);
  ::close(fd);
  if (!ok) {
    error = "cannot write the key file " + path;
    return false;
  }
  key.assign(raw, raw + kNonceBytes);
  return true;
}

}  // namespace remora::auth
