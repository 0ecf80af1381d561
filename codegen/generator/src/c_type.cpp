// Parses C type spellings into CType trees and resolves them through the spec's
// typedefs. The grammar is C's abstract declarator: specifiers, pointers (each
// with its own cv-qualifiers), a parenthesised inner declarator, and array or
// parameter-list suffixes.
#include "c_type.h"

#include <cctype>
#include <functional>

namespace remora::codegen {

namespace {

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
// A word token: an identifier, possibly qualified (`std::size_t`, `::ns::t`).
bool is_name_token(const std::string& t) { return !t.empty() && (is_ident_char(t[0]) || t.rfind("::", 0) == 0); }

std::vector<std::string> tokenize(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (is_ident_char(c) || (s.compare(i, 2, "::") == 0 && i + 2 < s.size() && is_ident_char(s[i + 2]))) {
      // A C++ header's qualified name (`std::size_t`) is one name.
      std::size_t b = i;
      while (i < s.size() && (is_ident_char(s[i]) || (s.compare(i, 2, "::") == 0 && i + 2 < s.size() &&
                                                       is_ident_char(s[i + 2]))))
        i += s.compare(i, 2, "::") == 0 ? 2 : 1;
      out.push_back(s.substr(b, i - b));
    } else if (s.compare(i, 3, "...") == 0) {
      out.push_back("...");
      i += 3;
    } else {
      out.push_back(std::string(1, c));
      ++i;
    }
  }
  return out;
}

bool is_qualifier(const std::string& w) {
  return w == "const" || w == "volatile" || w == "restrict" || w == "__restrict" || w == "__restrict__" ||
         w == "_Nonnull" || w == "_Nullable" || w == "__unaligned";
}

// Words that are part of a builtin type's spelling (so a following word is not a parameter name).
bool is_builtin_word(const std::string& w) {
  static const std::set<std::string> words = {"void", "char", "short", "int", "long", "float", "double", "signed",
                                              "unsigned", "_Bool", "bool", "__int128", "_Complex", "wchar_t",
                                              "char16_t", "char32_t", "char8_t"};
  return words.count(w) > 0;
}

bool is_tag_keyword(const std::string& w) { return w == "struct" || w == "enum" || w == "union" || w == "class"; }

CTypePtr make(CType t) { return std::make_shared<const CType>(std::move(t)); }

CTypePtr with_const(const CTypePtr& t, bool c) {
  if (!c || t->is_const) return t;
  CType copy = *t;
  copy.is_const = true;
  return make(std::move(copy));
}

class Parser {
 public:
  explicit Parser(std::vector<std::string> toks) : t_(std::move(toks)) {}

  CTypePtr type() {
    CTypePtr base = specifiers();
    return declarator(base, t_.size());
  }

 private:
  bool at(std::size_t end, const char* s) const { return i_ < end && t_[i_] == s; }

  // Specifier words up to the first declarator token; a trailing word that cannot
  // be part of the type (a parameter name) is skipped.
  CTypePtr specifiers() {
    std::vector<std::string> words;
    bool is_const = false, after_tag = false, have_named = false;
    std::string tag;
    while (i_ < t_.size() && is_name_token(t_[i_])) {
      const std::string& w = t_[i_];
      if (is_qualifier(w)) {
        is_const |= w == "const";
      } else if (is_tag_keyword(w)) {
        after_tag = true;
        tag = w == "class" ? "struct" : w;
      } else if (w.rfind("__attribute", 0) == 0) {
        skip_parens_after();
        continue;
      } else {
        bool builtin = is_builtin_word(w);
        // A second name after a non-builtin (typedef/tag) name is a parameter name.
        if (have_named && !after_tag && (!builtin || !all_builtin(words))) break;
        if (!builtin) have_named = true;
        words.push_back(w);
        after_tag = false;
      }
      ++i_;
    }
    CType n;
    n.kind = CType::Kind::Named;
    n.is_const = is_const;
    n.tag = tag;
    for (const auto& w : words) n.name += (n.name.empty() ? "" : " ") + w;
    if (n.name.empty()) n.name = "int";
    return make(std::move(n));
  }

  static bool all_builtin(const std::vector<std::string>& words) {
    for (const auto& w : words)
      if (!is_builtin_word(w)) return false;
    return true;
  }

  void skip_parens_after() {
    ++i_;
    if (i_ < t_.size() && t_[i_] == "(") i_ = match(i_, t_.size()) + 1;
  }

  // Index of the ')' matching the '(' at `open` (or end).
  std::size_t match(std::size_t open, std::size_t end) const {
    int depth = 0;
    for (std::size_t k = open; k < end; ++k) {
      if (t_[k] == "(") ++depth;
      if (t_[k] == ")" && --depth == 0) return k;
    }
    return end;
  }

  // Pointers, then a parenthesised inner declarator or the suffixes, within [i_, end).
  CTypePtr declarator(CTypePtr base, std::size_t end) {
    // Calling-convention macros left in a spelling: `void (CL_CALLBACK *)(...)`.
    while (i_ < end && is_name_token(t_[i_]) && !is_qualifier(t_[i_])) ++i_;
    while (i_ < end && (t_[i_] == "*" || t_[i_] == "&" || t_[i_] == "^")) {
      CType p;
      p.kind = CType::Kind::Pointer;
      p.inner = base;
      ++i_;
      while (i_ < end && is_name_token(t_[i_]) && is_qualifier(t_[i_])) {
        p.is_const |= t_[i_] == "const";
        ++i_;
      }
      base = make(std::move(p));
    }
    // Calling-convention macros and a parameter name may sit here.
    while (i_ < end && is_name_token(t_[i_])) ++i_;
    // A parenthesised inner declarator is followed by suffixes: `R (*)(args)`, `T (*)[3]`;
    // parentheses at the end are a function's parameter list (`void (const char *, void *)`).
    if (at(end, "(") && match(i_, end) + 1 < end &&
        (t_[match(i_, end) + 1] == "(" || t_[match(i_, end) + 1] == "[")) {
      // `R (*)(args)`: the suffixes after the parentheses apply first, then the inner declarator.
      std::size_t open = i_, close = match(i_, end);
      i_ = close + 1;
      CTypePtr outer = suffixes(base, end);
      std::size_t after = i_;
      i_ = open + 1;
      CTypePtr inner = declarator(outer, close);
      i_ = after;
      return inner;
    }
    return suffixes(base, end);
  }

  CTypePtr suffixes(CTypePtr base, std::size_t end) {
    // `T [2][3]` is an array of 2 arrays of 3: collect, then apply from the right.
    struct Suffix {
      bool array;
      long long extent;
      std::vector<CTypePtr> args;
      bool variadic;
    };
    std::vector<Suffix> list;
    while (i_ < end) {
      if (t_[i_] == "[") {
        long long extent = -1;
        ++i_;
        std::string text;
        while (i_ < end && t_[i_] != "]") text += t_[i_++];
        if (i_ < end) ++i_;
        if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) extent = std::atoll(text.c_str());
        list.push_back({true, extent, {}, false});
      } else if (t_[i_] == "(") {
        std::size_t close = match(i_, end);
        Suffix s{false, -1, {}, false};
        std::size_t b = i_ + 1;
        int depth = 0;
        for (std::size_t k = b; k <= close && k < end; ++k) {
          if (t_[k] == "(") ++depth;
          if (t_[k] == ")") --depth;
          if ((t_[k] == "," && depth == 0) || k == close) {
            std::vector<std::string> sub(t_.begin() + static_cast<long>(b), t_.begin() + static_cast<long>(k));
            b = k + 1;
            if (sub.empty()) continue;
            if (sub.size() == 1 && sub[0] == "...") {
              s.variadic = true;
              continue;
            }
            if (sub.size() == 1 && sub[0] == "void") continue;
            s.args.push_back(Parser(sub).type());
          }
        }
        list.push_back(std::move(s));
        i_ = close + 1;
      } else {
        ++i_;  // stray tokens (attributes) are ignored
      }
    }
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      CType c;
      if (it->array) {
        c.kind = CType::Kind::Array;
        c.extent = it->extent;
      } else {
        c.kind = CType::Kind::Function;
        c.args = it->args;
        c.variadic = it->variadic;
      }
      c.inner = base;
      base = make(std::move(c));
    }
    return base;
  }

  std::vector<std::string> t_;
  std::size_t i_ = 0;
};

}  // namespace

CTypePtr parse_c_type(const std::string& spelling) { return Parser(tokenize(spelling)).type(); }

std::string spell(const CType& t) {
  switch (t.kind) {
    case CType::Kind::Named: return (t.is_const ? "const " : "") + t.name;
    case CType::Kind::Pointer: {
      std::string in = spell(*t.inner);
      if (t.inner->kind == CType::Kind::Function) {
        // R (*)(args)
        auto paren = in.find(" (");
        std::string ret = paren == std::string::npos ? in : in.substr(0, paren);
        std::string args = paren == std::string::npos ? "()" : in.substr(paren + 1);
        return ret + " (*" + std::string(t.is_const ? "const" : "") + ")" + args;
      }
      return in + (in.back() == '*' ? "*" : " *") + (t.is_const ? "const" : "");
    }
    case CType::Kind::Array:
      return spell(*t.inner) + "[" + (t.extent >= 0 ? std::to_string(t.extent) : "") + "]";
    case CType::Kind::Function: {
      std::string s = spell(*t.inner) + " (";
      for (std::size_t i = 0; i < t.args.size(); ++i) s += (i ? ", " : "") + spell(*t.args[i]);
      if (t.variadic) s += t.args.empty() ? "..." : ", ...";
      if (t.args.empty() && !t.variadic) s += "void";
      return s + ")";
    }
  }
  return t.name;
}

TypeModel::TypeModel(const spec::Spec& spec) : spec_(spec) {}

const spec::Type* TypeModel::find(const std::string& name) const { return spec_.find_type(name); }

CTypePtr TypeModel::resolve(const CTypePtr& t) const {
  CTypePtr cur = t;
  for (int guard = 0; guard < 32 && cur->kind == CType::Kind::Named; ++guard) {
    const spec::Type* st = find(cur->name);
    if (!st || st->kind == spec::TypeKind::Handle || st->kind == spec::TypeKind::Struct) break;
    std::string under = st->underlying;
    if (under.empty() && st->kind == spec::TypeKind::Callback) under = st->signature;
    if (under.empty()) break;
    CTypePtr next = parse_c_type(under);
    // A callback type's signature is the function type itself: the typedef is a pointer to it.
    if (st->kind == spec::TypeKind::Callback && next->kind == CType::Kind::Function) {
      CType p;
      p.kind = CType::Kind::Pointer;
      p.inner = next;
      next = make(std::move(p));
    }
    bool same = next->kind == CType::Kind::Named && next->name == cur->name;  // typedef struct X X
    cur = with_const(next, cur->is_const);
    if (same) break;
  }
  return cur;
}

const spec::Type* TypeModel::handle(const CType& t) const {
  if (t.kind != CType::Kind::Named) return nullptr;
  CTypePtr r = resolve(std::make_shared<const CType>(t));
  if (r->kind != CType::Kind::Named) return nullptr;
  const spec::Type* st = find(r->name);
  return st && st->kind == spec::TypeKind::Handle ? st : nullptr;
}

const spec::Type* TypeModel::struct_type(const CType& t) const {
  CTypePtr r = resolve(std::make_shared<const CType>(t));
  if (r->kind != CType::Kind::Named) return nullptr;
  const spec::Type* st = find(r->name);
  return st && st->kind == spec::TypeKind::Struct && !st->fields.empty() ? st : nullptr;
}

bool TypeModel::is_pointer(const std::string& spelling) const {
  CTypePtr r = resolve(spelling);
  return r->is_pointer_like();
}

int TypeModel::pointer_depth(const std::string& spelling) const {
  int depth = 0;
  CTypePtr r = resolve(spelling);
  while (r->is_pointer_like() && r->inner->kind != CType::Kind::Function) {
    ++depth;
    r = resolve(r->inner);
  }
  return depth;
}

CTypePtr TypeModel::pointee(const std::string& spelling) const {
  CTypePtr r = resolve(spelling);
  if (!r->is_pointer_like()) return nullptr;
  return resolve(r->inner);
}

CTypePtr TypeModel::function_pointer(const std::string& spelling) const {
  CTypePtr r = resolve(spelling);
  if (r->kind == CType::Kind::Function) return r;
  if (r->kind == CType::Kind::Pointer) {
    CTypePtr in = resolve(r->inner);
    if (in->kind == CType::Kind::Function) return in;
  }
  return nullptr;
}

bool TypeModel::is_char_pointer(const CTypePtr& t) const {
  CTypePtr r = resolve(t);
  if (!r->is_pointer_like()) return false;
  CTypePtr in = resolve(r->inner);
  return in->kind == CType::Kind::Named && in->name == "char";
}

std::string TypeModel::flat_copy_blocker(const CTypePtr& t) const {
  std::set<std::string> seen;
  return flat_copy_blocker(t, seen);
}

std::string TypeModel::flat_copy_blocker(const CTypePtr& t, std::set<std::string>& seen) const {
  CTypePtr r = resolve(t);
  if (r->kind == CType::Kind::Array) return flat_copy_blocker(r->inner, seen);
  if (r->kind != CType::Kind::Named || handle(*r)) return "";
  const spec::Type* st = struct_type(*r);
  if (!st) {
    if (r->tag == "struct" || r->tag == "union")
      return "the fields of " + r->tag + " " + r->name + " are not in the spec, so it may hold pointers";
    return "";
  }
  if (!seen.insert(st->name).second) return "";
  for (const auto& f : st->fields) {
    CTypePtr ft = parse_c_type(f.type);
    CTypePtr fr = resolve(ft);
    CTypePtr elem = fr;
    while (elem->kind == CType::Kind::Array) elem = resolve(elem->inner);
    if (handle(*elem)) continue;
    if (elem->kind == CType::Kind::Pointer || elem->kind == CType::Kind::Function)
      return "field " + st->name + "." + f.name + " (" + f.type + ") is a pointer";
    if (std::string inner = flat_copy_blocker(ft, seen); !inner.empty())
      return "in field " + st->name + "." + f.name + ": " + inner;
  }
  return "";
}

const spec::Type* TypeModel::along_chain(const std::string& spelling,
                                         const std::function<bool(const spec::Type&)>& accept) const {
  CTypePtr cur = parse_c_type(spelling);
  for (int guard = 0; guard < 32; ++guard) {
    if (cur->kind != CType::Kind::Named) return nullptr;
    const spec::Type* st = find(cur->name);
    if (!st) return nullptr;
    if (accept(*st)) return st;
    if (st->underlying.empty() || st->kind == spec::TypeKind::Handle) return nullptr;
    CTypePtr next = parse_c_type(st->underlying);
    if (next->kind == CType::Kind::Named && next->name == cur->name) return nullptr;
    cur = next;
  }
  return nullptr;
}

std::string TypeModel::error_value(const std::string& spelling) const {
  const spec::Type* st = along_chain(spelling, [](const spec::Type& t) { return !t.error.empty(); });
  return st ? st->error : "";
}

}  // namespace remora::codegen
