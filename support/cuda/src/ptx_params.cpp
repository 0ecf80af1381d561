#include "remora/cuda/ptx_params.h"

#include <cctype>
#include <string>

namespace remora::cuda {
namespace {

// PTX without its comments (// to the end of the line, /* ... */); strings never
// hold parameter lists, so a plain scan is enough.
std::string strip_comments(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      while (i < s.size() && s[i] != '\n') ++i;
      out += '\n';
    } else if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      auto end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 1;
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.' ||
         c == '%';
}

// Tokens: identifiers and directives (.param, .u32, names), numbers, and single
// punctuation characters.
struct Lexer {
  std::string_view s;
  std::size_t at = 0;
  std::string_view next() {
    while (at < s.size() && std::isspace(static_cast<unsigned char>(s[at]))) ++at;
    if (at >= s.size()) return {};
    std::size_t begin = at;
    if (ident_char(s[at])) {
      while (at < s.size() && ident_char(s[at])) ++at;
    } else {
      ++at;
    }
    return s.substr(begin, at - begin);
  }
  std::string_view peek() {
    std::size_t saved = at;
    std::string_view t = next();
    at = saved;
    return t;
  }
};

// Bytes of a scalar PTX type (.u32 -> 4), 0 if it is not one.
std::uint32_t type_size(std::string_view t) {
  if (t.size() < 3 || t[0] != '.') return 0;
  const char k = t[1];
  if (k != 'u' && k != 's' && k != 'b' && k != 'f') return 0;
  const std::string_view bits = t.substr(2);
  if (bits == "8" && k != 'f') return 1;
  if (bits == "16") return 2;
  if (bits == "32") return 4;
  if (bits == "64") return 8;
  return 0;
}

bool number(std::string_view t, std::uint32_t& out) {
  if (t.empty() || t.size() > 9) return false;
  out = 0;
  for (char c : t) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return true;
}

// One `.param ...` declaration; the lexer is past ".param".
bool parse_param(Lexer& lx, KernelInfo& k, std::string& error) {
  std::uint32_t align = 0, size = 0;
  bool pointer = false;
  std::string_view t = lx.next();
  for (;; t = lx.next()) {
    if (t == ".align") {
      std::uint32_t a = 0;
      if (!number(lx.next(), a) || a == 0 || (a & (a - 1))) {
        error = "a bad .align in the parameters of " + k.name;
        return false;
      }
      // After .ptr, .align is the pointee's alignment: the parameter is the address.
      if (!pointer) align = a;
    } else if (t == ".ptr") {
      pointer = true;
    } else if (t == ".global" || t == ".const" || t == ".local" || t == ".shared") {
      // The state space a .ptr parameter points into.
    } else if (std::uint32_t s = type_size(t)) {
      if (size) {
        error = "two types for one parameter of " + k.name;
        return false;
      }
      size = s;
    } else {
      break;
    }
  }
  if (!size) {
    error = "a parameter of " + k.name + " has no scalar type ('" + std::string(t) + "')";
    return false;
  }
  if (t.empty() || t[0] == '.' || !ident_char(t[0])) {
    error = "a parameter of " + k.name + " has no name";
    return false;
  }
  std::uint32_t count = 1;
  if (lx.peek() == "[") {
    lx.next();
    if (!number(lx.next(), count) || lx.next() != "]") {
      error = "a bad array extent in the parameters of " + k.name;
      return false;
    }
  }
  if (!align) align = size;
  std::uint32_t bytes = size * count;
  std::uint32_t offset = k.params.empty() ? 0 : k.params.back().offset + k.params.back().size;
  offset = (offset + align - 1) / align * align;
  if (bytes > 32764 || offset > 32764 - bytes) {
    error = "the parameters of " + k.name + " exceed CUDA's 32764 bytes";
    return false;
  }
  KernelParam p;
  p.ordinal = static_cast<std::uint32_t>(k.params.size());
  p.offset = offset;
  p.size = bytes;
  k.params.push_back(p);
  k.param_bytes = offset + bytes;
  return true;
}

}  // namespace

KernelParse parse_ptx_params(std::string_view ptx) {
  KernelParse out;
  const std::string text = strip_comments(ptx);
  Lexer lx{text};
  for (std::string_view t = lx.next(); !t.empty(); t = lx.next()) {
    if (t != ".entry") continue;
    KernelInfo k;
    std::string_view name = lx.next();
    if (name.empty() || name[0] == '.' || !ident_char(name[0])) {
      out.error = "an .entry without a name";
      return out;
    }
    k.name = std::string(name);
    if (lx.peek() == "(") {
      lx.next();
      if (lx.peek() == ")") {
        lx.next();
      } else {
        for (;;) {
          if (lx.next() != ".param") {
            out.error = "the parameter list of " + k.name + " holds something other than .param";
            return out;
          }
          if (!parse_param(lx, k, out.error)) return out;
          std::string_view sep = lx.next();
          if (sep == ")") break;
          if (sep != ",") {
            out.error = "the parameter list of " + k.name + " is not closed";
            return out;
          }
        }
      }
    }
    out.kernels.push_back(std::move(k));
  }
  return out;
}

}  // namespace remora::cuda
