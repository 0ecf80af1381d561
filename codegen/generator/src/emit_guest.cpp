// The guest library: one exported function per API call. Each marshals its
// arguments exactly as the plan says, sends them, and unmarshals the reply.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>
#include <utility>

#include "emit.h"
#include "emit_state.h"

namespace remora::codegen {

using spec::Direction;
using Shape = PointerVariant::Shape;

std::string lower_name(const std::string& api) {
  std::string s;
  for (char c : api) s += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return s.empty() ? "api" : s;
}

std::string server_program_name(const spec::Spec& spec) { return lower_name(spec.api.name) + "-server"; }

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += '\\';
    if (u < 0x20 || u == 0x7f) {  // control bytes as three-digit octal: nothing ends the literal
      const char oct[] = {'\\', static_cast<char>('0' + (u >> 6)), static_cast<char>('0' + ((u >> 3) & 7)),
                          static_cast<char>('0' + (u & 7)), '\0'};
      out += oct;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string include_lines(const spec::Spec& spec) {
  std::string out;
  for (const auto& h : spec.api.headers) out += "#include <" + h + ">\n";
  return out;
}

// A C spelling as C++ reads it: the words C spells differently are swapped whole
// (C's `restrict` is `__restrict` there; `_Bool`, which a C header's `bool` from
// <stdbool.h> becomes once parsed, is `bool`).
std::string cxx_spelling(const std::string& spelling) {
  static const std::pair<std::string_view, std::string_view> kCWords[] = {{"restrict", "__restrict"},
                                                                           {"_Bool", "bool"}};
  auto is_word_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  std::string out;
  std::size_t i = 0;
  while (i < spelling.size()) {
    if (is_word_char(spelling[i]) && (i == 0 || !is_word_char(spelling[i - 1]))) {
      std::size_t end = i;
      while (end < spelling.size() && is_word_char(spelling[end])) ++end;
      std::string_view word(spelling.data() + i, end - i);
      auto swap = std::find_if(std::begin(kCWords), std::end(kCWords), [&](const auto& w) { return w.first == word; });
      out += swap == std::end(kCWords) ? word : swap->second;
      i = end;
    } else {
      out += spelling[i++];
    }
  }
  return out;
}

std::string type_id(const std::string& spelling) {
  std::string t = cxx_spelling(trim(spelling));
  if (t.empty()) return "void";
  // Arrays and function pointers do not take a name after them: type_identity_t does.
  return is_simple_type(t) ? t : "std::type_identity_t<" + t + ">";
}

std::string function_address(const spec::Function& f) {
  std::string sig = type_id(f.ret.type) + " (*)(";
  for (std::size_t i = 0; i < f.params.size(); ++i) sig += (i ? ", " : "") + type_id(f.params[i].type);
  // C's `f()` (no prototype) reaches the spec as variadic without parameters: C++ reads it as `f(void)`.
  if (f.variadic && !f.params.empty()) sig += ", ...";
  sig += ")";
  return "static_cast<" + sig + ">(&::" + f.name + ")";
}

std::string function_type(const spec::Function& f) { return "decltype(" + function_address(f) + ")"; }

void emit_type_checks(Code& c, const spec::Spec& spec) {
  std::vector<std::string> seen;
  auto add = [&](const std::string& t) {
    std::string tt = cxx_spelling(trim(t));
    if (tt.empty() || std::find(seen.begin(), seen.end(), tt) != seen.end()) return;
    seen.push_back(tt);
  };
  for (const auto& f : spec.functions) {
    add(f.ret.type);
    add(f.ret.ann.pointee);
    for (const auto& p : f.params) {
      add(p.type);
      add(p.ann.pointee);
    }
  }
  c.line("// The spec is input: each type it spells must name a type the header declares.");
  c.open("namespace rm_spec_types {");
  for (std::size_t i = 0; i < seen.size(); ++i) c.line("using t" + std::to_string(i) + " = " + seen[i] + ";");
  c.close("}  // namespace rm_spec_types");
  c.line();
}

// A `restrict` after the last `*` qualifies the parameter variable, not the function's type
// (which ignores it), so the definition leaves it out: decltype(param) is then the plain
// pointer the runtime's traits read the pointee of (`struct crypt_data *restrict data`:
// elem_size_v<decltype(data)> is the struct's size, not the pointer's).
static std::string without_top_restrict(std::string t) {
  for (std::string_view q : {"__restrict", "restrict"}) {
    if (t.size() <= q.size() || t.compare(t.size() - q.size(), q.size(), q) != 0) continue;
    std::string head = trim(t.substr(0, t.size() - q.size()));
    if (!head.empty() && head.back() == '*') return head;
  }
  return t;
}

std::string param_decl(const FunctionPlan& fp, const ParamPlan& pp) {
  (void)fp;
  std::string tt = type_id(without_top_restrict(trim(pp.param->type)));
  return tt + (tt.back() == '*' ? "" : " ") + pp.name;
}

std::string return_type_decl(const FunctionPlan& fp) { return type_id(fp.fn->ret.type); }

namespace {

class GuestEmitter {
 public:
  explicit GuestEmitter(const StackPlan& plan) : plan_(plan), spec_(*plan.spec) {}

  std::string run() {
    c_.line("// Guest library for " + spec_.api.name + ", generated by `remora generate`. Do not edit:");
    c_.line("// regenerate from the spec instead. Every function below forwards one API call to");
    c_.line("// " + server_program_name(spec_) + " (see runtime/remora_guest.h for how the server is found).");
    c_.line("// Threads: one connection per process; concurrent calls are serialized.");
    c_.line("#include <algorithm>");
    c_.line("#include <cstddef>");
    c_.line("#include <cstdint>");
    c_.line("#include <cstdio>");
    c_.line("#include <cstring>");
    c_.line("#include <limits>");
    c_.line("#include <string>");
    c_.line("#include <type_traits>");
    c_.line("#include <vector>");
    c_.line();
    for (const auto& h : spec_.api.headers) c_.line("#include <" + h + ">");
    c_.line();
    c_.line("#include \"remora_deep_copy.h\"");
    c_.line("#include \"remora_guest.h\"");
    c_.line("#include \"remora_image_size.h\"");
    c_.line("#include \"remora_state.h\"");
    if (plan_.module) c_.line("#include \"remora_module.h\"");
    c_.line();
    emit_type_checks(c_, spec_);
    c_.line("#define REMORA_EXPORT extern \"C\" __attribute__((visibility(\"default\")))");
    c_.line();
    emit_api_info();
    if (plan_.has_proc_address) c_.line("void (*rm_own_function(const char* name))();  // defined at the end");
    emit_query_helpers(c_, plan_, /*guest=*/true);
    emit_struct_codecs(c_, plan_, /*guest=*/true);
    for (const auto& fp : plan_.functions) {
      if (fp.module_owned) {
        c_.line("// " + fp.fn->name + ": implemented by the " + plan_.module->id + " runtime module (runtime/" +
                plan_.module->guest_sources.front() + ")");
        c_.line();
      } else if (fp.supported) {
        emit_function(fp);
      } else {
        emit_stub(fp);
      }
    }
    if (plan_.module) emit_module_accessors();
    if (plan_.has_proc_address) emit_own_functions();
    return c_.text();
  }

 private:
  void emit_api_info() {
    c_.open("namespace {");
    c_.line();
    c_.open("const char* const kFunctionNames[] = {");
    for (const auto& fp : plan_.functions) c_.line(quote(fp.fn->name) + ",");
    if (plan_.module)
      for (const auto& call : plan_.module->calls) c_.line(quote(call.name) + ",  // " + plan_.module->id + " runtime module");
    if (plan_.functions.empty() && !plan_.module) c_.line("\"\",");
    c_.close("};");
    c_.line();
    for (std::size_t i = 0; i < plan_.callbacks.size(); ++i) emit_callback_runner(static_cast<int>(i));
    c_.open("void rm_dispatch_callback(std::uint32_t signature, std::uint64_t fn, std::uint64_t user_data, remora::Reader& args, "
            "remora::Writer* result) {");
    c_.line("bool ok = false;");
    if (plan_.callbacks.empty()) {
      c_.line("(void)signature;");
      c_.line("(void)fn;");
      c_.line("(void)user_data;");
      c_.line("(void)args;");
      c_.line("(void)result;");
    } else {
      c_.open("switch (signature) {");
      for (std::size_t i = 0; i < plan_.callbacks.size(); ++i)
        c_.line("case " + std::to_string(i) + ": ok = rm_run_callback_" + std::to_string(i) + "(fn, user_data, args, result); break;");
      c_.line("default: break;");
      c_.close();
    }
    c_.line("if (!ok) std::fprintf(stderr, \"remora: ignored a malformed callback message\\n\");");
    c_.close();
    c_.line();
    bool has_callbacks = !plan_.callbacks.empty();
    c_.open("const remora::guest::ApiInfo kApi = {");
    c_.line(quote(spec_.api.name) + ",");
    c_.line(quote(server_program_name(spec_)) + ",");
    c_.line(std::to_string(plan_.fingerprint) + "ull,  // spec fingerprint");
    c_.line("kFunctionNames,");
    c_.line(std::to_string(plan_.functions.size() + (plan_.module ? plan_.module->calls.size() : 0)) + ",");
    c_.line("rm_dispatch_callback,");
    c_.line(std::string(has_callbacks ? "true" : "false") + ",");
    c_.close("};");
    c_.line();
    c_.close("}  // namespace");
    c_.line();
  }

  bool translates_opaque() const { return plan_.module && plan_.module->translates_opaque; }

  // The runtime module's calls follow the spec's functions (runtime/remora_module.h).
  void emit_module_accessors() {
    c_.line("// For the " + plan_.module->id + " runtime module: " + plan_.module->what + ".");
    c_.line("const remora::guest::ApiInfo& remora::module::guest_api() { return kApi; }");
    c_.line("std::uint32_t remora::module::guest_first_call() { return " + std::to_string(plan_.functions.size()) + "; }");
    c_.line();
  }

  // Proc-address functions hand out this library's own stubs, looked up by name.
  void emit_own_functions() {
    c_.line("// This library's remoted functions by name, for the proc-address functions.");
    c_.open("void (*rm_own_function(const char* name))() {");
    c_.line("using rm_fn = void (*)();");
    c_.line("struct Entry { const char* name; rm_fn fn; };");
    c_.open("static const Entry kOwn[] = {");
    for (const auto& fp : plan_.functions)
      if (fp.supported) c_.line("{" + quote(fp.fn->name) + ", reinterpret_cast<rm_fn>(" + function_address(*fp.fn) + ")},");
    c_.line("{nullptr, nullptr},");
    c_.close("};");
    c_.line("if (!name) return nullptr;");
    c_.line("for (const Entry* e = kOwn; e->name; ++e)");
    c_.line("  if (std::strcmp(e->name, name) == 0) return e->fn;");
    c_.line("return nullptr;");
    c_.close();
    c_.line();
  }

  void emit_callback_runner(int index) {
    const CallbackSignature& sig = plan_.callbacks[index];
    using A = CallbackSignature::Arg;
    c_.line("// Runs a guest callback of type " + sig.text);
    c_.open("bool rm_run_callback_" + std::to_string(index) +
            "(std::uint64_t fn, std::uint64_t user_data, remora::Reader& args, remora::Writer* result) {");
    std::string call_args, fn_type = sig.ret + " (*)(";
    for (std::size_t i = 0; i < sig.args.size(); ++i) {
      std::string a = "a" + std::to_string(i);
      fn_type += (i ? ", " : "") + sig.args[i];
      std::string value;
      switch (sig.kinds[i]) {
        case A::Value:
          c_.line("std::remove_const_t<" + sig.args[i] + "> " + a + "{};");
          c_.line("if (!args.get_value(" + a + ")) return false;");
          value = a;
          break;
        case A::Handle:
          c_.line("std::uint64_t " + a + " = 0;");
          c_.line("if (!args.get_u64(" + a + ")) return false;");
          value = "remora::from_u64<" + sig.args[i] + ">(" + a + ")";
          break;
        case A::String:
          c_.line("std::string " + a + ";");
          c_.line("bool " + a + "_present = false;");
          c_.line("if (!remora::guest::read_string(args, " + a + ", " + a + "_present)) return false;");
          // data(): a `char *` as well as a `const char *` parameter takes it.
          value = a + "_present ? " + a + ".data() : nullptr";
          break;
        case A::Bytes:
          c_.line("std::string " + a + ";");
          c_.line("bool " + a + "_present = false;");
          c_.line("if (!remora::guest::read_string(args, " + a + ", " + a + "_present)) return false;");
          value = a + "_present ? static_cast<" + sig.args[i] + ">(static_cast<const void*>(" + a + ".data())) : nullptr";
          break;
        case A::StringArray:
        case A::StringList:
        case A::HandleArray:
          // A StringArray's or HandleArray's length must match the count argument's value
          // (checked after every argument is decoded); a StringList ends with NULL as it did
          // in the library.
          c_.line(std::string(sig.kinds[i] == A::HandleArray ? "remora::guest::HandleArray " : "remora::guest::StringArray ") +
                  a + ";");
          c_.line("if (!" + a + ".read(args)) return false;");
          value = a + ".pointers<" + sig.args[i] + ">()";
          break;
        case A::Null: value = "nullptr"; break;
        case A::Userdata: value = "remora::from_u64<void*>(user_data)"; break;
      }
      call_args += (i ? ", " : "") + value;
    }
    for (std::size_t i = 0; i < sig.args.size(); ++i) {
      const std::string a = "a" + std::to_string(i);
      if (sig.kinds[i] == A::StringArray || sig.kinds[i] == A::HandleArray)  // the program reads as many as the count says
        c_.line("if (!" + a + ".counted_by(a" + std::to_string(sig.count_arg) + ")) return false;");
      if (sig.kinds[i] == A::Bytes) {  // ... and as many bytes as the length says
        const std::string n = "a" + std::to_string(sig.length_arg[i]);
        c_.line("if (" + a + "_present && " + a + ".size() != (" + n + " > 0 ? static_cast<std::size_t>(" + n +
                ") : 0u)) return false;");
      }
    }
    fn_type += ")";
    c_.line("if (!args.at_end()) return false;");
    const std::string call = "reinterpret_cast<" + fn_type + ">(static_cast<std::uintptr_t>(fn))(" + call_args + ")";
    if (sig.returns_value) {
      // The library waits for this value (the worker reads it inside the API call).
      c_.line("const auto rm_r = " + call + ";");
      c_.line("if (result) result->put_value(rm_r);");
    } else {
      c_.line(call + ";");
      c_.line("(void)result;");
    }
    if (sig.userdata_arg < 0) c_.line("(void)user_data;");
    c_.line("return true;");
    c_.close();
    c_.line();
  }

  // The parameter list of the exported function, as declared.
  std::string parameter_list(const FunctionPlan& fp) {
    std::string s = "(";
    for (std::size_t i = 0; i < fp.params.size(); ++i) s += (i ? ", " : "") + param_decl(fp, fp.params[i]);
    if (fp.fn->variadic && !fp.params.empty()) s += ", ...";
    if (fp.params.empty()) s += "void";
    return s + ")";
  }

  // A function the header declares with C++ linkage (outside its extern "C"): the C
  // symbol is defined under another name whose assembler label is the API's name; C++
  // code still sees the header's declaration.
  static bool labelled(const FunctionPlan& fp) { return fp.fn->cxx_linkage && !fp.module_wrapped; }

  std::string signature(const FunctionPlan& fp) {
    // The name in parentheses: a function-like macro of the same name (zlib's gzgetc)
    // does not expand, so the real symbol is defined.
    if (fp.module_wrapped)  // the module exports the API's name and calls this one
      return "extern \"C\" __attribute__((visibility(\"hidden\"))) " + return_type_decl(fp) + " (remora_wrapped_" +
             fp.fn->name + ")" + parameter_list(fp);
    const std::string name = labelled(fp) ? "remora_c_" + fp.fn->name : fp.fn->name;
    return "REMORA_EXPORT " + return_type_decl(fp) + " (" + name + ")" + parameter_list(fp);
  }

  // Opens the definition of the exported function (GCC takes an assembler label on a
  // declaration only, so a labelled one is declared first).
  void open_exported(const FunctionPlan& fp) {
    if (labelled(fp)) c_.line(signature(fp) + " __asm__(\"" + fp.fn->exported_symbol() + "\");");
    c_.open(signature(fp) + " {");
  }

  void comment(const FunctionPlan& fp) {
    c_.line("// " + fp.fn->name + ": " + fp.comment);
    if (!fp.fn->ret.type.empty() && fp.fn->ret.type != "void") {
      std::string r = "//   returns " + fp.fn->ret.type;
      if (fp.ret == ReturnWire::Handle) r += " (handle" + std::string(fp.ret_allocates ? ", allocates" : "") + ")";
      if (fp.ret == ReturnWire::MapShadow) r += " (mapped; guest shadow of " + fp.fn->ret.ann.size + " bytes)";
      if (fp.status_type) r += " (status; success " + fp.success + ")";
      c_.line(r);
    }
    for (const auto& pp : fp.params) c_.line("//   " + pp.comment);
  }

  // The failure path: the error value, NULL, or (when the return type has no value the
  // caller could tell from success) a message and abort; plus the out status parameter.
  void emit_fail_lambda(const FunctionPlan& fp) {
    std::string ret = "rm_ret_t";
    bool is_void = fp.ret == ReturnWire::Void;
    c_.line("using rm_ret_t = " + return_type_decl(fp) + ";");
    c_.open("auto rm_fail = [&]() -> " + ret + " {");
    if (fp.fail == FailMode::Abort) {
      c_.line("remora::guest::abort_call(" + quote(fp.fn->name) + ", " + quote(fp.fail_why) + ");");
      c_.close("};");
      return;
    }
    if (fp.errcode_param >= 0) {
      const std::string& n = fp.params[fp.errcode_param].name;
      c_.line("if (" + n + ") *" + n + " = " + fp.errcode_error + ";");
    }
    if (fp.fail == FailMode::ReturnError && !is_void) c_.line("return static_cast<" + ret + ">(" + fp.error_value + ");");
    else if (!is_void) c_.line("return " + ret + "{};");
    c_.close("};");
  }

  void emit_stub(const FunctionPlan& fp) {
    comment(fp);
    c_.line("//   NOT REMOTED: " + fp.reason);
    open_exported(fp);
    for (const auto& pp : fp.params) c_.line("(void)" + pp.name + ";");
    if (fp.fail == FailMode::Abort) {
      c_.line("remora::guest::abort_call(" + quote(fp.fn->name) + ", " +
              quote("it is not supported by this remoting stack (" + fp.reason + ") and " + fp.fail_why) + ");");
      c_.close();
      c_.line();
      return;
    }
    c_.line("remora::guest::log_unsupported_once(" + quote(fp.fn->name) + ", " + quote(fp.reason) + ");");
    emit_fail_lambda(fp);
    c_.line("return rm_fail();");
    c_.close();
    c_.line();
  }

  // The value sent for a pointer passed by address. A released one may be the guest's
  // copy of the library's memory (an allocated string): the library gets its own back.
  static std::string opaque_address(const std::string& n, bool released) {
    const std::string value = "remora::to_u64(" + n + ")";
    return released ? "remora::guest::library_address(" + value + ")" : value;
  }

  // The program's copy of a string the reply holds in `s` (`s_present` read): one that
  // stays, or, for memory the program frees, one that remembers the library's address
  // (read here, after the string).
  std::string string_copy(const std::string& s, bool allocates, const std::string& bad) {
    if (!allocates) return "remora::guest::intern(" + s + ")";  // the library's string stays on the server
    read_library_address(s + "_present", bad);
    return "remora::guest::library_copy(" + s + ", rm_lib)";
  }

  // Memory the program frees (a string or bytes the reply holds, when `present`): the
  // library's address follows it, into rm_lib, for the copy to remember.
  void read_library_address(const std::string& present, const std::string& bad) {
    c_.line("// Memory the program frees: a copy of its own, which remembers the library's address.");
    c_.line("std::uint64_t rm_lib = 0;");
    c_.line("if (" + present + " && !rm_r.get_u64(rm_lib)) " + bad);
  }

  void emit_send_scalar(const FunctionPlan& fp, const ParamPlan& pp) {
    const std::string& n = pp.name;
    switch (pp.scalar) {
      case ScalarWire::Value: c_.line("rm_w.put_value(" + n + ");"); break;
      case ScalarWire::Opaque:
        if (translates_opaque() && !pp.is_pointer) {
          c_.line("rm_w.put_u64(rm_opaque_" + n + ");");
          break;
        }
        c_.line("rm_w.put_u64(" + opaque_address(n, pp.param->ann.deallocates && pp.raw_address) + ");");
        break;
      case ScalarWire::Handle:
      case ScalarWire::Callback:
      case ScalarWire::Userdata: c_.line("rm_w.put_u64(remora::to_u64(" + n + "));"); break;
      case ScalarWire::MapOut: c_.line("rm_w.put_u8(" + n + " != nullptr ? 1 : 0);"); break;
      case ScalarWire::State:
        emit_guest_state_send(c_, fp, pp, plan_.states[static_cast<std::size_t>(pp.state)]);
        break;
      case ScalarWire::Unmap:
        c_.line("std::uint64_t rm_real_" + n + " = 0, rm_size_" + n + " = 0;");
        c_.line("bool rm_shadow_" + n + " = remora::guest::shadow_lookup(" + n + ", rm_real_" + n + ", rm_size_" + n + ");");
        c_.line("if (!rm_shadow_" + n + ") rm_real_" + n + " = remora::to_u64(" + n + ");");
        c_.line("rm_w.put_u64(rm_real_" + n + ");");
        c_.line("rm_w.put_u64(rm_size_" + n + ");");
        c_.line("if (rm_size_" + n + ") remora::put_buffer(rm_w, " + n + ", rm_size_" + n + ");");
        break;
    }
    (void)fp;
  }

  std::string wire_esize(const PointerVariant& v) {
    return v.elem == ElemWire::Raw || v.elem == ElemWire::Struct ? v.elem_size_guest : "8";
  }
  static std::string written(const PointerVariant& v) { return v.ann.direction != Direction::In ? "true" : "false"; }
  // The program's pointer as a pointer to the deep-copied struct (a `void *` may hold them).
  static std::string as_struct(const PointerVariant& v, const std::string& n) {
    return "static_cast<const " + v.struct_name + "*>(static_cast<const void*>(" + n + "))";
  }

  void emit_send_pointer(const FunctionPlan& fp, const ParamPlan& pp) {
    const std::string& n = pp.name;
    std::string what = quote(fp.fn->name + "." + n);
    for_variants(c_, pp, [&](const PointerVariant& v) {
      bool in = v.ann.direction != Direction::Out;
      if (!v.unsupported_reason.empty()) {
        // The base variant (no condition) is refused for the values no clause matches.
        const std::string when = v.condition.empty() ? std::string(" for ") + n : " when " + v.condition;
        c_.line("remora::guest::log_unsupported_once(" + quote(fp.fn->name + when) + ", " +
                quote(v.unsupported_reason) + ");");
        c_.line("return rm_fail();");
        return;
      }
      switch (v.shape) {
        case Shape::Opaque: c_.line("rm_w.put_u64(" + opaque_address(n, v.ann.deallocates) + ");"); break;
        case Shape::String: c_.line("rm_w.put_string(" + n + ");"); break;
        case Shape::Element:
          c_.line("rm_w.put_u8(" + n + " != nullptr);");
          if (pp.guest_assigned) {
            // The new handle is named here when no reply will bring the real one.
            c_.open("if (" + n + ") {");
            c_.line("const std::uint64_t rm_assigned = rm_async ? remora::guest::assign_handle() : 0;");
            c_.line("if (rm_assigned) remora::set_elem(" + n + ", 0, remora::from_u64<remora::handle_elem_t<decltype(" + n +
                    ")>>(rm_assigned));");
            c_.line("rm_w.put_u64(rm_assigned);");
            c_.close();
          }
          if (v.elem == ElemWire::Struct) {
            // Sent whatever the direction: an output struct's tag, chain and capacities are inputs.
            if (v.ann.direction == Direction::Out)
              c_.line("if (" + n + ") rm_sfresh_" + std::to_string(v.struct_index) + "(" + n +
                      ");  // what the library would read through is the program's stale memory");
            c_.line("if (" + n + ") rm_w.put_raw(" + n + ", " + v.elem_size_guest + ");");
            c_.line("if (" + n + " && !rm_sput_" + std::to_string(v.struct_index) + "(rm_w, " + as_struct(v, n) +
                    ", rm_dc, " + written(v) + ")) return rm_fail();");
          } else if (in) {
            if (v.elem == ElemWire::Handle) c_.line("if (" + n + ") rm_w.put_u64(remora::to_u64(remora::elem_at(" + n + ", 0)));");
            else c_.line("if (" + n + ") rm_w.put_raw(" + n + ", " + v.elem_size_guest + ");");
          } else if (v.seeded()) {
            // The server starts from the program's bytes: what the library leaves unwritten
            // comes back unchanged. A cached request is its own key: zeros keep it stable.
            const std::string seed = "rm_w.put_raw(" + n + ", " + v.elem_size_guest + ");  // the program's current value";
            if (!fp.cache_condition.empty()) {
              c_.line("if (" + n + " && rm_cacheable) rm_w.put_zeros(" + v.elem_size_guest + ");");
              c_.line("else if (" + n + ") " + seed);
            } else {
              c_.line("if (" + n + ") " + seed);
            }
          }
          break;
        case Shape::Buffer:
          c_.line("rm_w.put_u8(" + n + " != nullptr);");
          c_.open("if (" + n + ") {");
          c_.line("if (!remora::guest::checked_count(static_cast<long long>(" + v.count_before + "), " + wire_esize(v) +
                  ", " + what + ", rm_n_" + n + ")) return rm_fail();");
          c_.line("rm_w.put_u64(rm_n_" + n + ");");
          if (v.elem == ElemWire::Buffer) {
            emit_send_inner_buffers(fp, pp, v);
          } else if (v.elem == ElemWire::Struct) {
            if (v.ann.direction == Direction::Out)
              c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n_" + n + "; ++rm_i) rm_sfresh_" +
                      std::to_string(v.struct_index) + "(" + n + " + rm_i);");
            c_.line("rm_w.put_raw(" + n + ", static_cast<std::size_t>(rm_n_" + n + " * " + v.elem_size_guest + "));");
            c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n_" + n + "; ++rm_i)");
            c_.line("  if (!rm_sput_" + std::to_string(v.struct_index) + "(rm_w, " + as_struct(v, n) + " + rm_i, rm_dc, " +
                    written(v) + ")) return rm_fail();");
          } else if (in) {
            if (v.elem == ElemWire::Raw) {
              c_.line("remora::put_buffer(rm_w, " + n + ", rm_n_" + n + " * " + v.elem_size_guest + ");");
              if (v.ann.direction == Direction::In && v.ann.retain == "object" && v.pad_count_server.empty())
                c_.line("rm_w.put_u64(remora::to_u64(" + n + "));  // the library keeps it: maps of the object alias it");
              if (v.ann.direction == Direction::In && v.ann.retain == "command")
                c_.line("rm_call.input_kept_until_done(" + n + ");  // unchanged until the command completes");
            }
            else if (v.elem == ElemWire::Handle)
              c_.line("for (std::uint64_t i = 0; i < rm_n_" + n + "; ++i) rm_w.put_u64(remora::to_u64(remora::elem_at(" + n + ", i)));");
            else c_.line("for (std::uint64_t i = 0; i < rm_n_" + n + "; ++i) rm_w.put_string(remora::elem_at(" + n + ", i));");
          }
          if (v.ann.direction != Direction::In && v.elem != ElemWire::Struct && !fp.cache_condition.empty())
            c_.line("rm_w.put_u64(0);  // never async: no address (the request is the cache key)");
          else if (v.ann.direction != Direction::In && v.elem != ElemWire::Struct)
            c_.line("rm_w.put_u64(remora::to_u64(" + n + "));  // where async results land");
          if (v.ann.direction != Direction::In && v.elem == ElemWire::Raw)
            c_.line("rm_call.receive_into(" + std::to_string(pp.index) + ", remora::wptr(" + n + "), rm_n_" + n + " * " +
                    v.elem_size_guest + ");  // large outputs land here directly");
          c_.close();
          break;
      }
    });
  }

  // A buffer of buffers: each element's presence, count and (for inputs) bytes.
  // The counts stay in rm_ec_<param> for copying outputs back.
  void emit_send_inner_buffers(const FunctionPlan& fp, const ParamPlan& pp, const PointerVariant& v) {
    const std::string& n = pp.name;
    std::string ec = "rm_ec_" + n + "[rm_i]";
    c_.line("rm_ec_" + n + ".assign(rm_n_" + n + ", 0);");
    c_.open("for (std::uint64_t rm_i = 0; rm_i < rm_n_" + n + "; ++rm_i) {");
    c_.line("const void* rm_e = remora::pointer_at(" + n + ", rm_i);");
    c_.line("rm_w.put_u8(rm_e != nullptr);");
    c_.line("if (!rm_e) continue;");
    c_.line("if (!remora::guest::checked_count(static_cast<long long>(" + v.inner_count_guest + "), " + v.inner_esize +
            ", " + quote(fp.fn->name + "." + n + "[i]") + ", " + ec + ")) return rm_fail();");
    c_.line("rm_w.put_u64(" + ec + ");");
    if (v.inner_direction != Direction::Out) c_.line("remora::put_buffer(rm_w, rm_e, " + ec + " * " + v.inner_esize + ");");
    c_.close();
  }

  void emit_receive_inner_buffers(const ParamPlan& pp, const PointerVariant& v, const std::string& bad) {
    const std::string& n = pp.name;
    c_.open("for (std::uint64_t rm_i = 0; rm_i < rm_n_" + n + "; ++rm_i) {");
    c_.line("bool rm_present_i = false;");
    c_.line("if (!rm_r.get_presence(rm_present_i)) " + bad);
    c_.line("if (!rm_present_i) continue;");
    c_.line("std::uint64_t rm_k = 0, rm_bytes = 0;");
    c_.line("if (!rm_r.get_u64(rm_k) || !remora::mul_size(rm_k, " + v.inner_esize + ", rm_bytes) || rm_bytes > rm_r.remaining()) " + bad);
    c_.line("const unsigned char* rm_b = rm_r.take(rm_bytes);");
    c_.line("void* rm_e = remora::pointer_at(" + n + ", rm_i);");
    c_.line("const std::uint64_t rm_keep = std::min(rm_k, rm_ec_" + n + "[rm_i]);");
    c_.line("if (rm_e && rm_keep) std::memcpy(rm_e, rm_b, rm_keep * " + v.inner_esize + ");");
    c_.close();
  }

  void emit_receive_pointer(const FunctionPlan& fp, const ParamPlan& pp) {
    const std::string& n = pp.name;
    std::string bad = "{ rm_call.bad_reply(" + quote(n) + "); return rm_fail(); }";
    bool any_out = false;
    for (const auto& v : pp.variants) any_out |= v.has_outputs();
    if (!any_out) return;
    for_variants(c_, pp, [&](const PointerVariant& v) {
      if (!v.has_outputs() || !v.unsupported_reason.empty()) return;
      if (v.has_inner_outputs()) {
        c_.open("{");
        c_.line("bool rm_present = false;");
        c_.line("if (!rm_r.get_presence(rm_present)) " + bad);
        c_.open("if (rm_present) {");
        emit_receive_inner_buffers(pp, v, bad);
        c_.close();
        c_.close();
        return;
      }
      c_.open("{");
      c_.line("bool rm_present = false;");
      c_.line("if (!rm_r.get_presence(rm_present)) " + bad);
      c_.open("if (rm_present) {");
      std::string elem_t = "remora::handle_elem_t<decltype(" + n + ")>";
      if (v.shape == Shape::Element) {
        if (v.elem == ElemWire::Handle) {
          c_.line("std::uint64_t rm_h = 0;");
          c_.line("if (!rm_r.get_u64(rm_h)) " + bad);
          c_.line("if (" + n + ") remora::set_elem(" + n + ", 0, remora::from_u64<" + elem_t + ">(rm_h));");
        } else if (v.elem == ElemWire::Into) {
          c_.line("std::uint64_t rm_off = 0;");
          c_.line("if (!rm_r.get_u64(rm_off)) " + bad);
          c_.line("// The same offset into the program's own " + v.into_param + ".");
          c_.line("if (" + n + ") remora::set_elem(" + n + ", 0, remora::guest::address_inside<" + elem_t + ">(" +
                  v.into_param + ", rm_off, " + quote(fp.fn->name + "." + n) + "));");
        } else if (v.elem == ElemWire::String) {
          c_.line("std::string rm_s;");
          c_.line("bool rm_s_present = false;");
          c_.line("if (!remora::guest::read_string(rm_r, rm_s, rm_s_present)) " + bad);
          const std::string copy = string_copy("rm_s", v.elem_allocates, bad);
          c_.line("if (" + n + ") remora::set_elem(" + n + ", 0, remora::text_as<" + elem_t + ">(rm_s_present ? " + copy +
                  " : nullptr));");
        } else {
          c_.line("const unsigned char* rm_b = rm_r.take(" + v.elem_size_guest + ");");
          c_.line("if (!rm_b) " + bad);
          c_.line("if (" + n + ") std::memcpy(remora::wptr(" + n + "), rm_b, " + v.elem_size_guest + ");");
        }
      } else {
        c_.line("std::uint64_t rm_n = 0;");
        c_.line("if (!rm_r.get_u64(rm_n)) " + bad);
        c_.line("std::uint64_t rm_keep = std::min(rm_n, rm_n_" + n + ");");
        if (v.elem == ElemWire::Handle) {
          c_.open("for (std::uint64_t i = 0; i < rm_n; ++i) {");
          c_.line("std::uint64_t rm_h = 0;");
          c_.line("if (!rm_r.get_u64(rm_h)) " + bad);
          c_.line("if (" + n + " && i < rm_keep) remora::set_elem(" + n + ", i, remora::from_u64<" + elem_t + ">(rm_h));");
          c_.close();
        } else {
          // A non-blocking call's bytes come with a later reply, as a pending output.
          if (!fp.async_condition.empty()) c_.open("if (!rm_nonblocking) {");
          c_.line("std::uint64_t rm_bytes = 0;");
          c_.line("if (!remora::mul_size(rm_n, " + v.elem_size_guest + ", rm_bytes)) " + bad);
          c_.open("if (remora::travels_as_bulk(rm_bytes)) {");
          c_.line("if (!rm_call.received(" + std::to_string(pp.index) + ", rm_bytes)) " + bad + "  // already in place");
          c_.mid("} else {");
          c_.line("const unsigned char* rm_b = rm_r.take(rm_bytes);");
          c_.line("if (!rm_b) " + bad);
          c_.line("if (" + n + " && rm_keep) std::memcpy(remora::wptr(" + n + "), rm_b, rm_keep * " + v.elem_size_guest + ");");
          c_.close();
          if (!fp.async_condition.empty()) c_.close();
        }
      }
      c_.close();
      c_.close();
    });
    (void)fp;
  }

  // A call the spec lets the guest split (`chunk`): the body below becomes
  // rm_piece_<fn>(..., rm_piece) and the exported function decides how to send it.
  void emit_function(const FunctionPlan& fp) {
    emit_function_body(fp);
    if (fp.chunk) emit_split(fp);
  }

  // The piece function's signature: the API's parameters, then which piece this is
  // (0: the whole call; 1: a piece of a write with more to follow, sent without a reply;
  // 2: the last; 3: a piece of a read with more to follow, its reply read after the next
  // piece is sent).
  std::string piece_signature(const FunctionPlan& fp) {
    std::string s = "static " + return_type_decl(fp) + " rm_piece_" + fp.fn->name + "(";
    for (std::size_t i = 0; i < fp.params.size(); ++i) s += param_decl(fp, fp.params[i]) + ", ";
    return s + "int rm_piece)";
  }

  // The exported function of a `chunk` call: a transfer larger than one piece (chunk_step:
  // chunk_bytes() at most, fewer bytes when REMORA_CHUNK_PIECES asks for more pieces) goes as
  // pieces on consecutive sub-ranges (offset and size advance, the pointer with them), so
  // the transport carries one piece while the server's library copies the one before
  // (not over shm where the buffer's pages are shared: there is no transport copy to overlap).
  // A write's pieces but the last go without a reply; a read's each get one, read after
  // the next piece is sent (under a SplitScope). Whole when splitting is off
  // (REMORA_CHUNK_BYTES=0, REMORA_STRICT=1), the buffer is NULL, an output the program
  // reads (an event) or a callback is passed, a read does not block, or the range would
  // not fit the offset's type.
  void emit_split(const FunctionPlan& fp) {
    const auto& k = *fp.chunk;
    const std::string& buf = fp.params[static_cast<std::size_t>(k.buffer)].name;
    const std::string& size = fp.params[static_cast<std::size_t>(k.size)].name;
    const std::string& off = fp.params[static_cast<std::size_t>(k.offset)].name;
    const bool is_void = fp.ret == ReturnWire::Void;
    open_exported(fp);
    c_.line("// Large transfers: pipelined pieces of " + buf + " (spec chunk: sized by " + size + ", placed at " + off +
            ").");
    c_.line("const std::uint64_t rm_esize = " + k.esize + ";");
    std::string cond = "remora::guest::chunk_bytes() && rm_esize && " + buf + " != nullptr && " + size + " > 0 && remora::guest::not_negative(" + off + ")";
    for (const auto& n : k.must_be_null) cond += " && " + n + " == nullptr";
    if (k.out && !fp.async_condition.empty() && fp.async_condition != "false")
      cond += " && !(" + fp.async_condition + ")";  // a read that blocks
    c_.open("if (" + cond + ") {");
    c_.line("const std::uint64_t rm_total = static_cast<std::uint64_t>(" + size + ");");
    c_.line("// Elements per piece (0: one piece), sized from the whole transfer (remora_guest.h).");
    // In place over shm: a read's output always, a write's input when the write blocks (its
    // pieces return with the last one) or the program leaves it alone until the command
    // completes (retain: command); another non-blocking write copies its input as it goes.
    const bool blocks_always = fp.async_condition.empty() || fp.async_condition == "false";
    const bool kept = fp.params[static_cast<std::size_t>(k.buffer)].variants[0].ann.retain == "command";
    const std::string in_place = k.out || blocks_always || kept ? "true" : "!(" + fp.async_condition + ")";
    c_.line("const std::uint64_t rm_step = remora::guest::chunk_step(" + buf + ", rm_total, rm_esize, " + in_place +
            ");");
    c_.line("using rm_off_t = std::remove_cv_t<decltype(" + off + ")>;");
    c_.line("const bool rm_fits = static_cast<std::uint64_t>(std::numeric_limits<rm_off_t>::max()) - "
            "static_cast<std::uint64_t>(" + off + ") >= rm_total;");
    c_.open("if (rm_step && rm_fits) {");
    if (k.out) c_.line("remora::guest::SplitScope rm_scope;  // piece replies outstanding: this thread reads them");
    c_.open("for (std::uint64_t rm_done = 0;;) {");
    c_.line("const std::uint64_t rm_n = std::min(rm_step, rm_total - rm_done);");
    c_.line("const bool rm_last = rm_done + rm_n == rm_total;");
    std::string args;
    for (std::size_t i = 0; i < fp.params.size(); ++i) {
      const std::string& n = fp.params[i].name;
      if (static_cast<int>(i) == k.buffer)
        args += "reinterpret_cast<decltype(" + n + ")>(reinterpret_cast<std::uintptr_t>(" + n + ") + rm_done * rm_esize)";
      else if (static_cast<int>(i) == k.size)
        args += "static_cast<std::remove_cv_t<decltype(" + n + ")>>(rm_n)";
      else if (static_cast<int>(i) == k.offset)
        args += "static_cast<rm_off_t>(static_cast<std::uint64_t>(" + n + ") + rm_done)";
      else
        args += n;
      args += ", ";
    }
    args += k.out ? "rm_last ? 2 : 3" : "rm_last ? 2 : 1";
    if (is_void) {
      c_.line("rm_piece_" + fp.fn->name + "(" + args + ");");
      c_.line("if (rm_last) return;");
    } else {
      c_.line("const auto rm_r = rm_piece_" + fp.fn->name + "(" + args + ");");
      c_.line(k.out ? "// A piece that could not be sent fails the call; the last reports the first failure of all."
                    : "// A piece that could not be sent (no server) fails the call; the last reports the first failure.");
      c_.line("if (rm_last || !(rm_r == " + fp.success + ")) return rm_r;");
    }
    c_.line("rm_done += rm_n;");
    c_.close();
    c_.close();
    c_.close();
    std::string all;
    for (const auto& pp : fp.params) all += pp.name + ", ";
    c_.line(std::string(is_void ? "" : "return ") + "rm_piece_" + fp.fn->name + "(" + all + "0);");
    c_.close();
    c_.line();
  }

  void emit_function_body(const FunctionPlan& fp) {
    comment(fp);
    const bool piece = fp.chunk.has_value();
    if (piece) c_.open(piece_signature(fp) + " {");
    else open_exported(fp);
    std::string ret = "rm_ret_t";
    emit_fail_lambda(fp);
    std::vector<std::pair<std::string, std::string>> refused = fp.refused_when;
    for (const auto& pp : fp.params)
      if (pp.refused_when_given) refused.emplace_back(pp.name + " != nullptr", pp.refused_callback);
    for (const auto& [condition, why] : refused) {
      c_.open("if (" + condition + ") {");
      c_.line("remora::guest::log_unsupported_once(" + quote(fp.fn->name + " when " + condition) + ", " + quote(why) +
              ");");
      c_.line("return rm_fail();");
      c_.close();
    }
    if (fp.ret == ReturnWire::ProcAddress) {
      c_.line("// A name this stack does not remote gets NULL without asking the server.");
      c_.line("if (!rm_own_function(" + fp.params[fp.name_param].name + ")) return nullptr;");
    }
    if (translates_opaque())
      for (const auto& pp : fp.params)
        if (pp.scalar == ScalarWire::Opaque && !pp.is_pointer)
          c_.line("const std::uint64_t rm_opaque_" + pp.name + " = remora::module::guest_opaque_in(remora::to_u64(" +
                  pp.name + "));  // " + plan_.module->id + " runtime module");
    c_.line("remora::guest::Call rm_call(&kApi, " + std::to_string(fp.id) + ");");
    c_.line("if (!rm_call.connected()) return rm_fail();");
    c_.line("remora::Writer& rm_w = rm_call.args();");
    if (fp.params.empty()) c_.line("(void)rm_w;");
    // Asynchronous calls return at once; an output the caller waits for makes them sync.
    // A piece with more to follow goes without a reply whatever the call's mode.
    const std::string piece_or = piece ? " || rm_piece == 1" : "";
    if (fp.defer_reply) {
      c_.line("// Only a status comes back: sent without a reply (an error is reported by the next sync call).");
      c_.line("const bool rm_nonblocking = false;");
      c_.line("const bool rm_async = remora::guest::async_enabled()" + piece_or + ";");
    } else if (fp.can_be_async) {
      c_.line("// Non-blocking at the API level: no reply unless the caller waits for an output.");
      c_.line("const bool rm_nonblocking = (" + fp.async_condition + ");");
      std::string cond = "rm_nonblocking && remora::guest::async_enabled()";
      for (const auto& b : fp.async_blockers) cond += " && " + b + " == nullptr";
      c_.line("const bool rm_async = " + (piece ? "(" + cond + ")" : cond) + piece_or + ";");
    } else if (!fp.async_condition.empty()) {
      c_.line("// Non-blocking at the API level, but the caller needs the return value: wait for the reply.");
      c_.line("const bool rm_nonblocking = (" + fp.async_condition + ");");
      c_.line("const bool rm_async = false" + piece_or + ";");
    } else {
      c_.line("const bool rm_nonblocking = false;");
      c_.line("const bool rm_async = false" + piece_or + ";");
    }
    if (!fp.cache_condition.empty()) {
      c_.line("// Cannot change for the same arguments: a repeat is answered by the guest.");
      c_.line("const bool rm_cacheable = (" + fp.cache_condition + ") && remora::guest::async_enabled();");
    }
    // Answers about a released object are forgotten (its address may come back).
    for (const auto& pp : fp.params)
      if (pp.scalar == ScalarWire::Handle && pp.deallocates)
        c_.line("remora::guest::cache_forget_handle(remora::to_u64(" + pp.name + "));");
    for (const auto& pp : fp.params)
      if (!pp.is_pointer) emit_send_scalar(fp, pp);
    if (uses_deep_copy(fp)) c_.line("remora::DeepCopy rm_dc;  // bounds the depth of the struct trees it sends");
    for (const auto& pp : fp.params) {
      if (!pp.is_pointer) continue;
      bool has_buffer = false;
      for (const auto& v : pp.variants) has_buffer |= v.shape == Shape::Buffer;
      // Unused when every buffer variant is one that is not remoted.
      if (has_buffer) c_.line("[[maybe_unused]] std::uint64_t rm_n_" + pp.name + " = 0;");
      if (pp.has_nested_buffers()) c_.line("std::vector<std::uint64_t> rm_ec_" + pp.name + ";  // bytes of each buffer it points to");
    }
    for (const auto& pp : fp.params)
      if (pp.is_pointer) emit_send_pointer(fp, pp);
    if (fp.prefetch_siblings)
      c_.line("if (rm_cacheable) rm_call.want_siblings();  // answers about the other objects of its type come along");
    if (piece) {
      c_.line("if (rm_piece == 1) rm_call.mark_piece();");
      if (fp.chunk->out) {
        c_.line("if (rm_piece == 2) rm_call.mark_last_piece();");
        if (fp.ret == ReturnWire::Void)
          c_.line("if (rm_piece == 3) rm_call.pipeline(0, nullptr, 0, 0);");
        else
          c_.line("if (rm_piece == 3) rm_call.pipeline(sizeof(" + ret + "), [](const unsigned char* rm_p) { " + ret +
                  " rm_v; std::memcpy(&rm_v, rm_p, sizeof rm_v); return remora::to_u64(rm_v); }, "
                  "remora::to_u64(static_cast<" + ret + ">(" + fp.success + ")), remora::to_u64(rm_fail()));");
      }
    }
    if (!fp.cache_condition.empty())
      c_.line("if (!(rm_cacheable && rm_call.replay_cached()) && !rm_call.run(rm_async, rm_nonblocking)) return rm_fail();");
    else
      c_.line("if (!rm_call.run(rm_async, rm_nonblocking)) return rm_fail();");
    for (const auto& pp : fp.params)
      if (pp.scalar == ScalarWire::Unmap && !pp.is_pointer)
        c_.line("if (rm_shadow_" + pp.name + ") remora::guest::shadow_release(" + pp.name + ");");
    for (const auto& pp : fp.params)
      if (pp.unmaps_owner || (pp.scalar == ScalarWire::Handle && pp.deallocates && plan_.has_persistent_mappings))
        c_.line("remora::guest::shadow_release_owned(remora::to_u64(" + pp.name + "));  // its mappings end");
    if (fp.can_be_async || piece) {
      const std::string early = piece && fp.chunk->out ? "rm_async || rm_call.pipelined()" : "rm_async";
      if (fp.ret == ReturnWire::Void) c_.line("if (" + early + ") return;");
      else c_.line("if (" + early + ") return static_cast<" + ret + ">(" + fp.success + ");");
    }
    c_.line("remora::Reader& rm_r = rm_call.reply();");
    c_.line("(void)rm_r;");
    std::string bad_ret = "{ rm_call.bad_reply(\"return value\"); return rm_fail(); }";
    switch (fp.ret) {
      case ReturnWire::Void: break;
      case ReturnWire::Value:
        c_.line(ret + " rm_result{};");
        c_.line("if (!rm_r.get_value(rm_result)) " + bad_ret);
        break;
      case ReturnWire::ProcAddress:
        c_.line("std::uint64_t rm_ret = 0;");
        c_.line("if (!rm_r.get_u64(rm_ret)) " + bad_ret);
        c_.line("// The real function exists on the server: the program gets this library's own stub.");
        c_.line(ret + " rm_result = rm_ret ? reinterpret_cast<" + ret + ">(rm_own_function(" + fp.params[fp.name_param].name +
                ")) : nullptr;");
        break;
      case ReturnWire::Handle:
      case ReturnWire::Opaque:
        c_.line("std::uint64_t rm_ret = 0;");
        c_.line("if (!rm_r.get_u64(rm_ret)) " + bad_ret);
        c_.line(ret + " rm_result = remora::from_u64<" + ret + ">(rm_ret);");
        break;
      case ReturnWire::String: {
        c_.line("std::string rm_ret;");
        c_.line("bool rm_ret_present = false;");
        c_.line("if (!remora::guest::read_string(rm_r, rm_ret, rm_ret_present)) " + bad_ret);
        const std::string copy = string_copy("rm_ret", fp.ret_allocates, bad_ret);
        c_.line(ret + " rm_result = rm_ret_present ? remora::text_as<" + ret + ">(" + copy + ") : nullptr;");
        break;
      }
      case ReturnWire::Bytes: {
        c_.line("std::uint8_t rm_present = 0;");
        c_.line("std::uint64_t rm_size = 0;");
        c_.line("if (!rm_r.get_u8(rm_present) || !rm_r.get_u64(rm_size) || rm_size > rm_r.remaining()) " + bad_ret);
        c_.line("const unsigned char* rm_bytes = rm_r.take(rm_size);");
        if (!fp.ret_string_members.empty()) {
          // Structs with string members: each member points to the guest's copy of its string
          // (kept for the process), so the same answer gives the same bytes and the same copy.
          c_.line("using rm_elem_t = std::remove_cv_t<std::remove_pointer_t<" + ret + ">>;");
          c_.line("if (rm_size % sizeof(rm_elem_t)) " + bad_ret);
          c_.line("std::vector<unsigned char> rm_fixed(rm_bytes, rm_bytes + rm_size);");
          c_.open("for (std::uint64_t rm_i = 0; rm_i < rm_size / sizeof(rm_elem_t); ++rm_i) {");
          c_.line("auto* rm_e = reinterpret_cast<rm_elem_t*>(rm_fixed.data() + rm_i * sizeof(rm_elem_t));");
          for (const auto& m : fp.ret_string_members) {
            c_.line("std::string rm_s_" + m + ";");
            c_.line("bool rm_p_" + m + " = false;");
            c_.line("if (!remora::guest::read_string(rm_r, rm_s_" + m + ", rm_p_" + m + ")) " + bad_ret);
            c_.line("rm_e->" + m + " = rm_p_" + m + " ? remora::text_as<decltype(rm_e->" + m + ")>(remora::guest::intern(rm_s_" +
                    m + ")) : nullptr;");
          }
          c_.close();
          c_.line("rm_bytes = rm_fixed.data();");
        }
        if (fp.ret_allocates) {
          read_library_address("rm_present", bad_ret);
          c_.line(ret + " rm_result = rm_present ? static_cast<" + ret +
                  ">(remora::guest::library_copy(rm_bytes, rm_size, rm_lib)) : nullptr;");
          break;
        }
        std::string key;
        for (const auto& pp : fp.params) key += (key.empty() ? "" : ", ") + ("remora::to_u64(" + pp.name + ")");
        c_.line("// A copy the stack keeps until this call returns other bytes for the same arguments.");
        c_.line("const std::uint64_t rm_key[] = {" + (key.empty() ? std::string("0") : key) + "};");
        c_.line(ret + " rm_result = rm_present ? static_cast<" + ret + ">(remora::guest::returned_copy(" + quote(fp.fn->name) +
                ", rm_key, " + std::to_string(std::max<std::size_t>(fp.params.size(), 1)) + ", rm_bytes, rm_size)) : nullptr;");
        break;
      }
      case ReturnWire::MapShadow:
        c_.line("std::uint64_t rm_real = 0, rm_size = 0, rm_alias = 0;");
        c_.line("if (!rm_r.get_u64(rm_real) || !rm_r.get_u64(rm_size) || !rm_r.get_u64(rm_alias) || rm_size > rm_r.remaining()) " + bad_ret);
        c_.line("const unsigned char* rm_bytes = rm_r.take(rm_size);");
        if (fp.map_persistent) {
          const std::string owner = "remora::to_u64(" + fp.params[fp.map_owner_param].name + ")";
          c_.line("// Lent by " + fp.params[fp.map_owner_param].name +
                  ": its earlier shadow ends; this one is kept coherent at every call.");
          c_.line("remora::guest::shadow_release_owned(" + owner + ");");
          c_.line(ret + " rm_result = rm_real ? static_cast<" + ret +
                  ">(remora::guest::shadow_create_persistent(rm_real, rm_bytes, rm_size, " + owner + ")) : nullptr;");
          c_.line("(void)rm_alias;");
          break;
        }
        c_.line("// The program gets a guest shadow of the server's mapping (its own memory when the object");
        c_.line("// retains it, CL_MEM_USE_HOST_PTR); unmap sends it back.");
        c_.line(ret + " rm_result = !rm_real ? nullptr : rm_alias ? static_cast<" + ret +
                ">(remora::guest::shadow_adopt(rm_real, rm_alias, rm_bytes, rm_size)) : static_cast<" + ret +
                ">(remora::guest::shadow_create(rm_real, rm_bytes, rm_size));");
        break;
    }
    for (const auto& pp : fp.params) {
      if (pp.scalar != ScalarWire::MapOut) continue;
      const std::string& n = pp.name;
      const std::string& owner = fp.params[fp.map_owner_param].name;
      c_.open("{");
      c_.line("std::uint64_t rm_real = 0, rm_size = 0;");
      c_.line("if (!rm_r.get_u64(rm_real) || !rm_r.get_u64(rm_size) || rm_size > rm_r.remaining()) " + bad_ret);
      c_.line("const unsigned char* rm_bytes = rm_r.take(rm_size);");
      c_.line("// A persistent mapping: the program keeps this shadow until the unmap of " + owner + ";");
      c_.line("// it is kept coherent with the server's mapping at every call.");
      c_.line("void* rm_shadow = rm_real ? remora::guest::shadow_create_persistent(rm_real, rm_bytes, rm_size, "
              "remora::to_u64(" + owner + ")) : nullptr;");
      c_.line("if (" + n + " && rm_shadow) *" + n + " = rm_shadow;  // untouched when the call failed, as natively");
      c_.close();
    }
    for (const auto& pp : fp.params)
      if (pp.is_pointer) emit_receive_pointer(fp, pp);
    if (uses_deep_copy(fp))
      c_.line("if (!rm_dc.receive(rm_r)) { rm_call.bad_reply(\"struct outputs\"); return rm_fail(); }");
    for (const auto& pp : fp.params)
      if (pp.scalar == ScalarWire::State) emit_guest_state_receive(c_, fp, pp, plan_.states[static_cast<std::size_t>(pp.state)]);
    if (!fp.cache_condition.empty()) {
      std::string handles;
      for (const auto& pp : fp.params)
        if (pp.scalar == ScalarWire::Handle) handles += (handles.empty() ? "" : ", ") + ("remora::to_u64(" + pp.name + ")");
      std::string ok = fp.status_type && !fp.success.empty() ? " && rm_result == " + fp.success : "";
      c_.line("if (rm_cacheable" + ok + ") rm_call.keep_cached({" + handles + "});");
    }
    if (fp.status_type && !fp.success.empty()) {
      // The last piece of a split reports the first failure: an earlier piece's comes first.
      c_.open("if (rm_call.has_async_error() && (rm_result == " + fp.success + (piece ? " || rm_piece == 2" : "") + ")) {");
      c_.line("rm_result = remora::from_u64<" + ret + ">(rm_call.async_error_bits());  // an earlier async call failed");
      c_.close();
    }
    if (fp.ret != ReturnWire::Void) c_.line("return rm_result;");
    c_.close();
    c_.line();
  }

  const StackPlan& plan_;
  const spec::Spec& spec_;
  Code c_;
};

}  // namespace

std::string emit_guest_source(const StackPlan& plan) { return GuestEmitter(plan).run(); }

}  // namespace remora::codegen
