// The struct codecs of both sides (deep copy of structs holding pointers), from
// the StructPlan: the guest's rm_sput_<k> writes a struct's tail (what its members
// point to), the server's rm_sdec_<k> reads it back into scratch memory and points
// the struct's members there, validating every count and handle. Extension chains
// dispatch on the member's tag value (rm_chain_put / rm_chain_dec).
#include <set>

#include "emit.h"

namespace remora::codegen {

namespace {

class StructEmitter {
 public:
  StructEmitter(Code& c, const StackPlan& plan, bool guest) : c_(c), plan_(plan), guest_(guest) {}

  void run() {
    if (plan_.structs.empty()) return;
    c_.line("// Deep copy of structs that hold pointers (remora_deep_copy.h, codegen/README.md).");
    for (std::size_t k = 0; k < plan_.structs.size(); ++k)
      c_.line(signature(static_cast<int>(k)) + ";");
    if (guest_)
      for (std::size_t k = 0; k < plan_.structs.size(); ++k) {
        c_.line("void rm_skeep_" + std::to_string(k) + "(void* rm_now, const void* rm_before);");
        c_.line("[[maybe_unused]] void rm_sfresh_" + std::to_string(k) + "(void* rm_now);");
      }
    if (!plan_.chain_members.empty()) {
      c_.line(chain_signature() + ";");
      if (guest_) c_.line("[[maybe_unused]] bool rm_chain_knows(std::int64_t rm_tag);");
    }
    c_.line();
    if (guest_)
      for (std::size_t k = 0; k < plan_.structs.size(); ++k) {
        emit_keep(static_cast<int>(k));
        emit_fresh(static_cast<int>(k));
      }
    for (std::size_t k = 0; k < plan_.structs.size(); ++k) emit_codec(static_cast<int>(k));
    if (!plan_.chain_members.empty()) emit_chain();
  }

 private:
  const StructCopy& st(int k) const { return plan_.structs[k]; }
  static std::string written(const FieldCopy& f) { return f.out() ? "true" : "false"; }

  std::string signature(int k) const {
    const std::string& t = st(k).c_name.empty() ? std::string("void") : st(k).c_name;
    if (guest_)
      return "[[maybe_unused]] bool rm_sput_" + std::to_string(k) +
             "(remora::Writer& rm_w, const " + t +
             "* rm_s, remora::DeepCopy& rm_c, bool rm_written)";
    return "[[maybe_unused]] bool rm_sdec_" + std::to_string(k) +
           "(remora::server::Worker& rm, remora::Reader& rm_in, " + t +
           "* rm_s, remora::DeepCopy& rm_c, bool rm_written)";
  }
  std::string chain_signature() const {
    if (guest_)
      return "bool rm_chain_put(remora::Writer& rm_w, std::int64_t rm_tag, const void* rm_p, "
             "remora::DeepCopy& rm_c, bool rm_written)";
    return "bool rm_chain_dec(remora::server::Worker& rm, remora::Reader& rm_in, void*& rm_p, "
           "remora::DeepCopy& rm_c, bool rm_written)";
  }

  // The call of struct k's codec on this side, on the struct at `at`.
  std::string codec_call(int k, const std::string& at, const std::string& written) const {
    if (guest_) return "rm_sput_" + std::to_string(k) + "(rm_w, " + at + ", rm_c, " + written + ")";
    return "rm_sdec_" + std::to_string(k) + "(rm, rm_in, " + at + ", rm_c, " + written + ")";
  }

  // The bytes of one element of an array member (a pointer's: 8 on the wire).
  std::string element_size(const FieldCopy& f) const {
    if (f.wire == FieldWire::Raw) return f.esize;
    if (f.wire == FieldWire::Structs) return "sizeof(" + st(f.target).c_name + ")";
    return "8";
  }

  // A failure: the guest logs it (the call then fails with the API's error); the
  // server rejects the request. Spec text reaches only escaped literals.
  std::string fail(const std::string& what, const std::string& why) const {
    if (guest_)
      return "{ std::fprintf(stderr, \"remora: %s\\n\", " + quote(what + ": " + why) +
             "); return false; }";
    return "return rm.fail(\"%s: %s\", " + quote(what) + ", " + quote(why) + ");";
  }

  void emit_codec(int k) {
    const StructCopy& s = st(k);
    c_.line("// " + (s.type ? s.type->name : std::string("?")) +
            (s.tag_value.empty() ? "" : " (tag " + s.tag_value + ")"));
    c_.open(signature(k) + " {");
    c_.line("(void)rm_s;");
    c_.line("(void)rm_c;");
    c_.line("(void)rm_written;");
    c_.line(guest_ ? "(void)rm_w;" : "(void)rm_in;");
    if (!s.failed.empty()) {
      c_.line(fail(s.type->name, "not remoted: " + s.failed));
      c_.close();
      c_.line();
      return;
    }
    c_.line("remora::DeepCopy::Level rm_level(rm_c);");
    c_.line("if (!rm_level) " + fail(s.type->name, "structs nested too deeply (a cycle?)"));
    // The library writes this struct: its bytes come back after the call (guest: with the
    // program's pointer members put back).
    if (guest_)
      c_.line("if (rm_written) rm_c.record(rm_s, sizeof(" + s.c_name + "), &rm_skeep_" +
              std::to_string(k) + ");");
    else
      c_.line("if (rm_written) rm_c.record(rm_s, sizeof(" + s.c_name + "));");
    for (const auto& f : s.fields) emit_field(s, f);
    c_.line("return true;");
    c_.close();
    c_.line();
  }

  // One walk over a struct's members for both sides: what both do alike (a member
  // that must be NULL, a nested struct's codec) is said here, the rest is each side's
  // wire form (emit_put_field writes it, emit_dec_field reads it back).
  void emit_field(const StructCopy& s, const FieldCopy& f) {
    const std::string m = "rm_s->" + f.name;
    switch (f.wire) {
      case FieldWire::NullOnly:
        c_.line("if (" + m + ") " +
                fail(s.type->name + "." + f.name, f.reason + "; only NULL is remoted"));
        return;
      case FieldWire::Nested:
        if (f.extent > 0) {
          c_.line("for (std::size_t rm_i = 0; rm_i < " + std::to_string(f.extent) + "; ++rm_i)");
          c_.line("  if (!" + codec_call(f.target, "&" + m + "[rm_i]", "false") +
                  ") return false;");
        } else {
          c_.line("if (!" + codec_call(f.target, "&" + m, "false") + ") return false;");
        }
        return;
      default:
        if (guest_)
          emit_put_field(s, f);
        else
          emit_dec_field(s, f);
    }
  }

  // ------------------------------------------------------------------ guest

  // One statement over a nested struct member, each element of a fixed array of them:
  // `call` spells it for the member's access path ("inner", "inner[rm_i]").
  template <class Call>
  void for_each_nested(const FieldCopy& f, Call call) {
    if (f.extent > 0)
      c_.line("for (std::size_t rm_i = 0; rm_i < " + std::to_string(f.extent) + "; ++rm_i) " +
              call(f.name + "[rm_i]") + ";");
    else
      c_.line(call(f.name) + ";");
  }

  // The library wrote a struct's bytes (the server's copy, with the server's pointers):
  // put the program's own pointer members back, nested structs included.
  void emit_keep(int k) {
    const StructCopy& s = st(k);
    c_.open("void rm_skeep_" + std::to_string(k) + "(void* rm_now, const void* rm_before) {");
    c_.line("(void)rm_now;");
    c_.line("(void)rm_before;");
    if (s.failed.empty()) {
      bool any = false;
      for (const auto& f : s.fields) {
        if (f.wire == FieldWire::Handle || f.wire == FieldWire::HandleArray ||
            f.wire == FieldWire::Pass)
          continue;
        if (!any) {
          c_.line("auto* rm_d = static_cast<" + s.c_name + "*>(rm_now);");
          c_.line("auto* rm_o = static_cast<const " + s.c_name + "*>(rm_before);");
          any = true;
        }
        if (f.wire == FieldWire::Callback) {
          // The server's copy holds its trampoline and record: the program's come back.
          c_.line("rm_d->" + f.name + " = rm_o->" + f.name + ";");
          c_.line("rm_d->" + f.userdata + " = rm_o->" + f.userdata + ";");
        } else if (f.wire == FieldWire::Nested)
          for_each_nested(f, [&](const std::string& at) {
            return "rm_skeep_" + std::to_string(f.target) + "(&rm_d->" + at + ", &rm_o->" + at + ")";
          });
        else
          c_.line("rm_d->" + f.name + " = rm_o->" + f.name + ";");
      }
    }
    c_.close();
  }

  // A struct the call only writes (an out parameter: `lzma_lzma_preset(lzma_options_lzma
  // *options, preset)` on the program's uninitialised stack struct): the members the
  // library would read through (input arrays, strings of arrays, callbacks) hold whatever
  // was in that memory, so they are cleared before the struct is sent; the copy would
  // otherwise follow a stale pointer, and the program would get it back after the call.
  // The tag, the chain and output members (capacities the program set) stay: inputs
  // even in a struct the library fills.
  void emit_fresh(int k) {
    const StructCopy& s = st(k);
    c_.open("void rm_sfresh_" + std::to_string(k) + "(void* rm_now) {");
    c_.line("(void)rm_now;");
    if (s.failed.empty()) {
      bool any = false;
      for (const auto& f : s.fields) {
        const bool cleared = !f.out() && (f.wire == FieldWire::Strings || f.wire == FieldWire::Handles ||
                                          f.wire == FieldWire::Raw || f.wire == FieldWire::Structs ||
                                          f.wire == FieldWire::NullOnly || f.wire == FieldWire::Callback);
        if (!cleared && f.wire != FieldWire::Nested) continue;
        if (!any) {
          c_.line("auto* rm_d = static_cast<" + s.c_name + "*>(rm_now);");
          any = true;
        }
        if (f.wire == FieldWire::Nested)
          for_each_nested(f, [&](const std::string& at) {
            return "rm_sfresh_" + std::to_string(f.target) + "(&rm_d->" + at + ")";
          });
        else
          c_.line("rm_d->" + f.name + " = nullptr;");
      }
    }
    c_.close();
  }

  void emit_put_field(const StructCopy& s, const FieldCopy& f) {
    const std::string m = "rm_s->" + f.name;
    const std::string w = s.type->name + "." + f.name;
    switch (f.wire) {
      case FieldWire::Handle:
      case FieldWire::HandleArray:
      case FieldWire::Pass:
      case FieldWire::Callback:
        return;  // their bits travel with the struct (a callback's: the guest's function)
      case FieldWire::NullOnly:
      case FieldWire::Nested:
        return;  // emit_field
      case FieldWire::String:
        // In a struct the library writes, it points the member at its own string.
        c_.line("if (rm_written) rm_c.record_string(&" + m + "); else rm_w.put_string(" + m + ");");
        return;
      case FieldWire::Chain:
        c_.open("{");
        c_.line("const void* rm_p = " + m + ";");
        if (f.out()) {
          // An output member this stack does not know (a struct of another header: Vulkan's
          // beta extensions) is unlinked for the call, with a line on stderr: the library
          // does not see it, the program's copy stays as the program set it (as with a
          // library that does not know it). Each member has the parent's tag and chain
          // members at the same offsets. An unknown input member still fails the call.
          const std::string tag = "remora::read_tag<decltype(rm_s->" + s.tag_field + ")>(rm_p, offsetof(" +
                                  s.c_name + ", " + s.tag_field + "))";
          c_.line("for (int rm_k = 0; rm_p && rm_k < remora::DeepCopy::kMaxDepth && !rm_chain_knows(" + tag +
                  "); ++rm_k)");
          c_.line("  rm_p = remora::skip_unknown_output(rm_p, " + tag + ", offsetof(" + s.c_name + ", " + f.name +
                  "));");
        }
        c_.line("rm_w.put_u8(rm_p != nullptr);");
        c_.line("if (rm_p && !rm_chain_put(rm_w, remora::read_tag<decltype(rm_s->" + s.tag_field +
                ")>(rm_p, offsetof(" + s.c_name + ", " + s.tag_field + ")), rm_p, rm_c, " +
                written(f) + ")) return false;");
        c_.close();
        return;
      case FieldWire::Strings:
      case FieldWire::Handles:
      case FieldWire::Raw:
      case FieldWire::Structs:
        break;
    }
    const std::string esize = element_size(f);
    c_.line("rm_w.put_u8(" + m + " != nullptr);");
    c_.open("if (" + m + ") {");
    c_.line("std::uint64_t rm_n = 0;");
    c_.line("if (!remora::guest::checked_count(static_cast<long long>(" + f.count + "), " + esize +
            ", " + quote(w) + ", rm_n)) return false;");
    c_.line("rm_w.put_u64(rm_n);");
    switch (f.wire) {
      case FieldWire::Strings:
        c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i) rm_w.put_string(" + m +
                "[rm_i]);");
        break;
      case FieldWire::Handles:
        c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i) rm_w.put_u64(remora::to_u64(" +
                m + "[rm_i]));");
        break;
      case FieldWire::Raw:
        // An output sends only its capacity; it comes back with the call's records.
        if (f.direction != spec::Direction::Out)
          c_.line("remora::put_buffer(rm_w, " + m + ", rm_n * " + esize + ");");
        if (f.out()) c_.line("rm_c.record(" + m + ", rm_n * " + esize + ");");
        break;
      default:
        c_.line("rm_w.put_raw(" + m + ", static_cast<std::size_t>(rm_n * " + esize + "));");
        c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i)");
        c_.line("  if (!" + codec_call(f.target, "&" + m + "[rm_i]", written(f)) +
                ") return false;");
        break;
    }
    c_.close();
  }

  // ----------------------------------------------------------------- server

  void emit_dec_field(const StructCopy& s, const FieldCopy& f) {
    const std::string m = "rm_s->" + f.name;
    const std::string w = quote(s.type->name + "." + f.name);
    const std::string as = "remora::ptr_as<decltype(" + m + ")>";
    switch (f.wire) {
      case FieldWire::Pass:
        return;
      case FieldWire::Handle:
      case FieldWire::HandleArray: {
        // In a struct the library writes, handles are its outputs: zeroed before the call
        // (whatever is non-zero after it was written by the library), registered after it.
        const bool array = f.wire == FieldWire::HandleArray;
        const std::string n = array ? std::to_string(f.extent) : "1";
        const std::string at = array ? m : "&" + m;
        c_.open("if (rm_written) {");
        c_.line("rm_c.record_handles(" + at + ", sizeof(" + (array ? m + "[0]" : m) + "), " + n + ", " +
                std::to_string(f.handle_type) + ");");
        c_.line("std::memset(static_cast<void*>(" + at + "), 0, sizeof(" + m + "));");
        c_.mid("} else {");
        if (array) {
          c_.line("for (std::size_t rm_i = 0; rm_i < " + n + "; ++rm_i)");
          c_.line("  if (!rm.take_handle_member(" + m + "[rm_i], " + w + ")) return false;");
        } else {
          c_.line("if (!rm.take_handle_member(" + m + ", " + w + ")) return false;");
        }
        c_.close();
        return;
      }
      case FieldWire::NullOnly:
      case FieldWire::Nested:
        return;  // emit_field
      case FieldWire::Callback: {
        // The bytes hold the guest's function and user data: the API gets a trampoline and a
        // record naming both (kept for the worker's life: the API may call it after this
        // call returns, for as long as the object it creates lives).
        const std::string k = std::to_string(f.signature), u = "rm_s->" + f.userdata;
        c_.open("if (const std::uint64_t rm_fn = remora::to_u64(" + m + ")) {");
        c_.line(u + " = static_cast<decltype(" + u + ")>(rm.callback_record(" + k +
                ", rm_fn, remora::to_u64(" + u + ")));");
        c_.line(m + " = &rm_trampoline_" + k + "<decltype(" + m + ")>::call;");
        c_.close();
        return;
      }
      case FieldWire::String:
        c_.open("if (rm_written) {");
        c_.line(m + " = nullptr;  // the library points it at its own string");
        c_.line("rm_c.record_string(&" + m + ");");
        c_.mid("} else {");
        c_.line("const char* rm_v = nullptr;");
        c_.line("if (!rm.get_string(rm_in, rm_v, " + w + ")) return false;");
        c_.line(m + " = " + as + "(const_cast<char*>(rm_v));");
        c_.close();
        return;
      case FieldWire::Chain:
        c_.open("{");
        c_.line("bool rm_has = false;");
        c_.line("if (!rm.get_presence(rm_in, rm_has, " + w + ")) return false;");
        c_.line("void* rm_p = nullptr;");
        c_.line("if (rm_has && !rm_chain_dec(rm, rm_in, rm_p, rm_c, " + written(f) +
                ")) return false;");
        c_.line(m + " = " + as + "(rm_p);");
        c_.close();
        return;
      case FieldWire::Strings:
      case FieldWire::Handles:
      case FieldWire::Raw:
      case FieldWire::Structs:
        break;
    }
    const std::string esize = element_size(f);
    c_.open("{");
    c_.line("bool rm_has = false;");
    c_.line("if (!rm.get_presence(rm_in, rm_has, " + w + ")) return false;");
    c_.line(m + " = nullptr;");
    c_.open("if (rm_has) {");
    c_.line("std::uint64_t rm_n = 0;");
    c_.line("if (!rm.get_count(rm_in, rm_n, " + esize + ", " + w + ")) return false;");
    if (f.ends.empty()) {
      c_.line("// The count the library will read, from the struct as it arrived.");
      c_.line("const long long rm_need = static_cast<long long>(" + f.count + ");");
    } else {
      c_.line("// The library reads up to the element that ends the array: checked once they arrived.");
      c_.line("const long long rm_need = static_cast<long long>(rm_n);");
    }
    c_.line("if (rm_need < 0) return rm.fail(\"%s: its size %s (%lld)\", " + w + ", remora::size_problem(rm_need), rm_need);");
    c_.line("if (rm_need < 0 || static_cast<std::uint64_t>(rm_need) > rm_n)");
    c_.line("  return rm.fail(\"%s: %llu elements sent, %lld required\", " + w +
            ", static_cast<unsigned long long>(rm_n), rm_need);");
    switch (f.wire) {
      case FieldWire::Raw:
        if (f.direction == spec::Direction::Out) {
          // Room for what the library may write (the count as received), sent back after the call.
          c_.line("void* rm_b = rm.scratch(static_cast<std::uint64_t>(rm_need), " + esize + ", " +
                  w + ");");
        } else {
          c_.line("const void* rm_b = rm.take_buffer(rm_in, rm_n * " + esize + ", " + w + ");");
        }
        c_.line("if (!rm_b) return false;");
        c_.line(m + " = " + as + "(const_cast<void*>(rm_b));");
        emit_terminator_check(f, m, w);
        if (f.out())
          c_.line("rm_c.record(rm_b, static_cast<std::uint64_t>(rm_need) * " + esize + ");");
        break;
      case FieldWire::Strings:
        c_.line("if (rm_n > rm_in.remaining()) return rm.fail(\"%s: request truncated\", " + w +
                ");");
        c_.line("auto* rm_a = static_cast<const char**>(rm.scratch(rm_n, sizeof(const char*), " +
                w + "));");
        c_.line("if (!rm_a) return false;");
        c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i)");
        c_.line("  if (!rm.get_string(rm_in, rm_a[rm_i], " + w + ")) return false;");
        c_.line(m + " = " + as + "(static_cast<void*>(rm_a));");
        break;
      case FieldWire::Handles:
        c_.line("if (rm_n > rm_in.remaining() / 8) return rm.fail(\"%s: request truncated\", " + w +
                ");");
        c_.line("using rm_e = remora::handle_elem_t<decltype(" + m + ")>;");
        c_.line("auto* rm_a = static_cast<rm_e*>(rm.scratch(rm_n, sizeof(rm_e), " + w + "));");
        c_.line("if (!rm_a) return false;");
        c_.open("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i) {");
        c_.line("std::uint64_t rm_u = 0;");
        c_.line("if (!rm.get_handle_u64(rm_in, rm_u, true, " + w + ")) return false;");
        c_.line("rm_a[rm_i] = remora::from_u64<rm_e>(rm_u);");
        c_.close();
        c_.line(m + " = " + as + "(static_cast<void*>(rm_a));");
        break;
      default: {
        const std::string t = st(f.target).c_name;
        c_.line("if (rm_n > rm_in.remaining() / sizeof(" + t +
                ")) return rm.fail(\"%s: request truncated\", " + w + ");");
        c_.line("auto* rm_a = static_cast<" + t + "*>(rm.scratch(rm_n, sizeof(" + t + "), " + w +
                "));");
        c_.line(
            "if (!rm_a || !rm.get_value_bytes(rm_in, rm_a, static_cast<std::size_t>(rm_n * "
            "sizeof(" +
            t + ")), " + w + ")) return false;");
        c_.line("for (std::uint64_t rm_i = 0; rm_i < rm_n; ++rm_i)");
        c_.line("  if (!" + codec_call(f.target, "&rm_a[rm_i]", written(f)) + ") return false;");
        c_.line(m + " = " + as + "(static_cast<void*>(rm_a));");
        emit_terminator_check(f, m, w);
        break;
      }
    }
    c_.close();
    c_.close();
  }

  // terminated(member, MEMBER, END): the library reads up to the first element that
  // ends the array, so one must be among those that arrived (else it would read past).
  void emit_terminator_check(const FieldCopy& f, const std::string& m, const std::string& w) {
    if (f.ends.empty()) return;
    c_.line("if (!remora_has_terminator(" + m + ", rm_n, " + f.ends + "))");
    c_.line("  return rm.fail(\"%s: no element that ends the array arrived\", " + w + ");");
  }

  // ------------------------------------------------------------------ chains

  // An extension chain member: its tag value, then its bytes and tail. The guest
  // refuses a tag it does not know (the call fails with the API's error); the
  // server refuses one it does not know or that disagrees with the member's bytes.
  void emit_chain() {
    if (guest_) {
      // Tag values may repeat (an extension's name aliases the core one): a table, not a switch.
      c_.open("bool rm_chain_knows(std::int64_t rm_tag) {");
      c_.open("static const std::int64_t kTags[] = {");
      std::set<std::string> seen;
      for (int k : plan_.chain_members)
        if (seen.insert(st(k).tag_value).second) c_.line("static_cast<std::int64_t>(" + st(k).tag_value + "),");
      c_.close("};");
      c_.line("for (std::int64_t t : kTags)");
      c_.line("  if (t == rm_tag) return true;");
      c_.line("return false;");
      c_.close();
      c_.line();
    }
    c_.line("// Extension chain members, by their tag value.");
    c_.open(chain_signature() + " {");
    if (guest_) {
      c_.line("rm_w.put_u64(static_cast<std::uint64_t>(rm_tag));");
    } else {
      c_.line("std::uint64_t rm_u = 0;");
      c_.line("if (!rm_in.get_u64(rm_u)) return rm.fail(\"extension chain: request truncated\");");
      c_.line("const std::int64_t rm_tag = static_cast<std::int64_t>(rm_u);");
    }
    for (int k : plan_.chain_members) {
      const StructCopy& s = st(k);
      const std::string t = s.c_name;
      c_.open("if (rm_tag == static_cast<std::int64_t>(" + s.tag_value + ")) {");
      if (guest_) {
        c_.line("rm_w.put_raw(rm_p, sizeof(" + t + "));");
        c_.line("return " + codec_call(k, "static_cast<const " + t + "*>(rm_p)", "rm_written") +
                ";");
      } else {
        c_.line("auto* rm_m = static_cast<" + t + "*>(rm.scratch(1, sizeof(" + t + "), " +
                quote(s.type->name) + "));");
        c_.line("if (!rm_m || !rm.get_value_bytes(rm_in, rm_m, sizeof(" + t + "), " +
                quote(s.type->name) + ")) return false;");
        c_.line("if (static_cast<std::int64_t>(rm_m->" + s.tag_field + ") != rm_tag)");
        c_.line("  return rm.fail(\"%s: its " + s.tag_field +
                " disagrees with the chain's tag\", " + quote(s.type->name) + ");");
        c_.line("rm_p = rm_m;");
        c_.line("return " + codec_call(k, "rm_m", "rm_written") + ";");
      }
      c_.close();
    }
    c_.line("(void)rm_p;");
    c_.line("(void)rm_c;");
    c_.line("(void)rm_written;");
    if (guest_) {
      c_.line(
          "std::fprintf(stderr, \"remora: an extension chain holds a struct with tag value %lld, "
          "which this stack does not \"");
      c_.line("             \"know; the call fails\\n\", static_cast<long long>(rm_tag));");
      c_.line("return false;");
    } else {
      c_.line(
          "return rm.fail(\"extension chain: unknown tag value %lld\", static_cast<long "
          "long>(rm_tag));");
    }
    c_.close();
    c_.line();
  }

  Code& c_;
  const StackPlan& plan_;
  bool guest_;
};

}  // namespace

void emit_struct_codecs(Code& c, const StackPlan& plan, bool guest) {
  StructEmitter(c, plan, guest).run();
}

}  // namespace remora::codegen
