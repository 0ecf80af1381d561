// Type rules: opaque handles, status types (with their success and general
// error constants), enums, structs and callback typedefs.
#include <algorithm>
#include <map>

#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

spec::Evidence type_evidence(std::string why, const ParsedType& t, double weight) {
  return header_evidence({}, weight, std::move(why), t.file + ":" + std::to_string(t.line));
}

bool names_success(const std::string& name) {
  return names::has_word(identifier_words(name), "success");
}

// A constant ending in OK (LZMA_OK, CURLE_OK). Not read from macros: any header's F_OK
// (access()'s "exists") is 0 too.
bool names_ok(const std::string& name) {
  const names::Words w = identifier_words(name);
  return !w.empty() && w.back() == "ok";
}

// Words of a constant after the prefix its family shares ("CL_INVALID_OPERATION"
// -> {invalid, operation}; "cudaErrorNotSupported" -> {not, supported}).
names::Words words_after_prefix(const std::string& name, const names::Words& prefix) {
  names::Words w = identifier_words(name);
  std::size_t k = 0;
  while (k < prefix.size() && k < w.size() && w[k] == prefix[k]) ++k;
  // "cudaErrorNotSupported": the family word "Error" is not part of the meaning.
  while (k + 1 < w.size() && (w[k] == "error" || w[k] == "err" || w[k] == "status" || w[k] == "result")) ++k;
  return names::Words(w.begin() + static_cast<long>(k), w.end());
}

names::Words common_prefix(const std::vector<spec::EnumConstant>& constants) {
  if (constants.size() < 2) return {};
  names::Words prefix = identifier_words(constants.front().name);
  for (const auto& c : constants) {
    names::Words w = identifier_words(c.name);
    std::size_t k = 0;
    while (k < prefix.size() && k < w.size() && prefix[k] == w[k]) ++k;
    prefix.resize(k);
  }
  return prefix;
}

// The general "this call cannot be performed" value, by name pattern.
std::string pick_error_constant(const std::vector<spec::EnumConstant>& constants) {
  names::Words prefix = common_prefix(constants);
  // Exact meanings first, then looser ones.
  const std::vector<names::Words> exact = {{"not", "supported"}, {"invalid", "operation"}, {"not", "implemented"},
                                           {"unsupported"},      {"unknown"},             {"invalid", "usage"},
                                           {"internal", "error"}, {"internal"},
                                           // A general failure by its name (LZMA_PROG_ERROR: "programming error").
                                           {"prog", "error"}, {"program", "error"}, {"programming", "error"},
                                           {"general", "error"}, {"generic", "error"}, {"fatal", "error"}};
  for (const auto& pattern : exact)
    for (const auto& c : constants)
      if (words_after_prefix(c.name, prefix) == pattern) return c.name;
  for (const char* word : {"unsupported", "unknown"})
    for (const auto& c : constants)
      if (names::has_word(identifier_words(c.name), word)) return c.name;
  for (const auto& c : constants)
    if (c.value != 0) return c.name;
  return "";
}

// The constant of a family that says only "error" (or failure) after the family's prefix
// (XML_STATUS_ERROR), "" when none or several do.
std::string plain_error_constant(const std::vector<spec::EnumConstant>& constants) {
  const names::Words prefix = common_prefix(constants);
  std::string found;
  for (const auto& c : constants) {
    const names::Words w = words_after_prefix(c.name, prefix);
    if (w.size() == 1 && (w[0] == "error" || w[0] == "failure" || w[0] == "failed" || w[0] == "fail")) {
      if (!found.empty()) return "";
      found = c.name;
    }
  }
  return found;
}

// A macro family around a *SUCCESS* macro of value 0: the consecutive block of
// integer macros it sits in (CL_SUCCESS, CL_DEVICE_NOT_FOUND, ... CL_INVALID_*).
std::vector<spec::EnumConstant> macro_family(const ParsedHeader& header, const ParsedMacro& success) {
  std::vector<const ParsedMacro*> same_file;
  for (const auto& m : header.macros)
    if (m.file == success.file && m.value) same_file.push_back(&m);
  std::sort(same_file.begin(), same_file.end(), [](auto* a, auto* b) { return a->line < b->line; });
  auto at = std::find(same_file.begin(), same_file.end(), &success);
  if (at == same_file.end()) return {};
  auto begin = at, end = at + 1;
  while (begin != same_file.begin() && (*begin)->line - (*(begin - 1))->line <= 3) --begin;
  while (end != same_file.end() && (*end)->line - (*(end - 1))->line <= 3) ++end;
  std::vector<spec::EnumConstant> out;
  for (auto it = begin; it != end; ++it) out.push_back({(*it)->name, *(*it)->value});
  return out;
}

// Success macro for an integer status typedef: prefer the typedef's prefix (cl_int -> CL_).
const ParsedMacro* success_macro(const ParsedHeader& header, const std::string& type_name) {
  names::Words type_words = identifier_words(type_name);
  const ParsedMacro* fallback = nullptr;
  for (const auto& m : header.macros) {
    if (!m.value || *m.value != 0 || !names_success(m.name)) continue;
    names::Words w = identifier_words(m.name);
    if (!type_words.empty() && !w.empty() && w.front() == type_words.front()) return &m;
    if (!fallback) fallback = &m;
  }
  return fallback;
}

bool is_cxx_builtin_type_name(const std::string& name) {
  return name == "char8_t" || name == "char16_t" || name == "char32_t" || name == "wchar_t" || name == "bool";
}

}  // namespace

std::vector<spec::Type> types_from_header(const ParsedHeader& header) {
  // How many functions return each type: a status type is what most return.
  std::map<std::string, int> returned;
  for (const auto& f : header.functions) {
    std::string name = f.ret.typedef_name.empty() ? f.ret.spelling : f.ret.typedef_name;
    // An enum spelled by its tag (`enum XML_Status`) is the type of that name.
    if (const spec::CType& r = spec::bare(f.ret_ctype); f.ret.typedef_name.empty() && r.kind == spec::CTypeKind::Enum)
      name = r.name;
    ++returned[name];
  }
  int status_threshold = std::max(2, static_cast<int>(header.functions.size() / 10));

  std::vector<spec::Type> types;
  std::map<std::string, std::size_t> index;
  auto put = [&](spec::Type t) {
    auto it = index.find(t.name);
    if (it == index.end()) {
      index[t.name] = types.size();
      types.push_back(std::move(t));
    } else if (types[it->second].kind == spec::TypeKind::Struct || types[it->second].kind == spec::TypeKind::Alias) {
      types[it->second] = std::move(t);  // a typedef says more than the struct tag of the same name
    }
  };

  for (const ParsedType& pt : header.types) {
    // char16_t, char32_t, char8_t, wchar_t, bool: C library typedefs (uchar.h, stddef.h)
    // that name a builtin type of the same size in the C++ the stack is made of. Recorded,
    // the stack's compiler would read a typedef of a keyword.
    if (pt.form == ParsedType::Form::Typedef && is_cxx_builtin_type_name(pt.name)) continue;
    spec::Type t;
    t.name = pt.name;
    switch (pt.form) {
      case ParsedType::Form::Struct:
        t.kind = spec::TypeKind::Struct;
        t.fields = pt.fields;
        break;
      case ParsedType::Form::Enum:
        t.kind = spec::TypeKind::Enum;
        t.constants = pt.constants;
        break;
      case ParsedType::Form::Typedef: {
        const TypeInfo& u = pt.underlying;
        t.underlying = u.spelling;
        if (u.shape == TypeShape::Pointer && u.pointee && u.pointee->shape == TypeShape::Record &&
            !u.pointee->record_complete) {
          t.kind = spec::TypeKind::Handle;
          t.evidence.push_back(type_evidence("typedef of a pointer to '" + u.pointee->spelling +
                                                 "', which the header never defines: an opaque handle",
                                             pt, 0.9));
        } else if (u.is_handle && !u.handle_why.empty()) {
          t.kind = spec::TypeKind::Handle;
          t.evidence.push_back(type_evidence(u.handle_why, pt, 0.8));
        } else if (u.is_function_pointer()) {
          t.kind = spec::TypeKind::Callback;
          t.signature = u.function_signature;
          t.evidence.push_back(type_evidence("typedef of a function pointer: a callback type", pt, 0.9));
        } else if (!pt.constants.empty()) {
          t.kind = spec::TypeKind::Enum;
          t.constants = pt.constants;
        }
        break;
      }
    }

    // Status types: returned by many functions and with a success value of 0.
    if (returned[t.name] >= status_threshold) {
      auto success = std::find_if(t.constants.begin(), t.constants.end(),
                                  [](const spec::EnumConstant& c) { return c.value == 0 && names_success(c.name); });
      if (success != t.constants.end()) {
        t.kind = spec::TypeKind::Status;
        t.success = success->name;
        t.error = pick_error_constant(t.constants);
        t.evidence.push_back(type_evidence("returned by " + std::to_string(returned[t.name]) +
                                               " functions and has the success constant " + t.success + " = 0",
                                           pt, 0.85));
      } else if (pt.form == ParsedType::Form::Typedef && pt.underlying.shape == TypeShape::Integer) {
        if (const ParsedMacro* m = success_macro(header, t.name)) {
          t.kind = spec::TypeKind::Status;
          t.success = m->name;
          t.constants = macro_family(header, *m);
          t.error = pick_error_constant(t.constants);
          t.evidence.push_back(type_evidence("integer type returned by " + std::to_string(returned[t.name]) +
                                                 " functions; macro " + m->name + " = 0 (" + m->file + ":" +
                                                 std::to_string(m->line) + ") is its success value",
                                             pt, 0.8));
        }
      }
      // An enum with an OK of 0 (lzma_ret: LZMA_OK, LZMA_STREAM_END, ..., LZMA_PROG_ERROR):
      // its other values are not all failures (LZMA_STREAM_END reports how the call
      // succeeded), so it stays an enum, whose outputs always come back; a call the stack
      // cannot make returns its general failure instead of aborting the program.
      // With an OK of another value (XML_Status: XML_STATUS_ERROR = 0, XML_STATUS_OK = 1),
      // only a constant that means no more than "error" is its failure.
      if (t.kind == spec::TypeKind::Enum) {
        auto ok = std::find_if(t.constants.begin(), t.constants.end(),
                               [](const spec::EnumConstant& c) { return names_ok(c.name); });
        if (ok != t.constants.end()) {
          t.error = ok->value == 0 ? pick_error_constant(t.constants) : plain_error_constant(t.constants);
          if (!t.error.empty())
            t.evidence.push_back(type_evidence("returned by " + std::to_string(returned[t.name]) +
                                                   " functions with " + ok->name + " = " + std::to_string(ok->value) +
                                                   ": a call that cannot be made returns " +
                                                   t.error + ", chosen by name as a general failure",
                                               pt, 0.5));
        }
      }
      if (t.kind == spec::TypeKind::Status && !t.error.empty())
        t.evidence.push_back(type_evidence("general failure value " + t.error +
                                               " chosen by name (not supported / invalid operation / unknown)",
                                           pt, 0.5));
    }
    put(std::move(t));
  }
  return types;
}

std::string status_type_name(const spec::Spec& spec) {
  for (const auto& t : spec.types)
    if (t.kind == spec::TypeKind::Status) return t.name;
  return "";
}

}  // namespace remora::inference
