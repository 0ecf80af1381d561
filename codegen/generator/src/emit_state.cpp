// Stream-state parameters: see emit_state.h for the wire format and
// docs/spec-format.md ("Memory the library keeps between calls") for the meaning.
#include "emit_state.h"

namespace remora::codegen {

namespace {

using Role = StateMember::Role;

bool is_cursor(const StateMember& m) {
  return m.role == Role::CursorIn || m.role == Role::CursorOut;
}

std::string esize(const std::string& st, const StateMember& m) {
  return "remora::elem_size_v<decltype(" + st + "->" + m.name + ")>";
}

// Per-call names of one parameter's pieces.
struct Names {
  std::string p;  // the parameter
  std::string count(const StateMember& m) const { return "rm_sn_" + p + "_" + m.name; }
  std::string buffer(const StateMember& m) const { return "rm_cb_" + p + "_" + m.name; }
  std::string received() const { return "rm_rs_" + p; }
  std::string copy() const { return "rm_sh_" + p; }
  std::string key() const { return "rm_key_" + p; }
  std::string type() const { return "rm_state_t_" + p; }
  std::string known() const {
    return "rm_known_" + p;
  }  // guest: the server holds a copy (cursors travel)
};

}  // namespace

void emit_guest_state_send(Code& c, const FunctionPlan& fp, const ParamPlan& pp,
                           const StatePlan& st) {
  Names n{pp.name};
  const std::string& p = pp.name;
  for (const auto& m : st.members)
    if (is_cursor(m)) c.line("[[maybe_unused]] std::uint64_t " + n.count(m) + " = 0;");
  // The calls that create the server's copy (initialise the state) and that end it
  // read no cursor: programs leave the cursors unset or stale around them.
  if (pp.deallocates)
    c.line("[[maybe_unused]] const bool " + n.known() +
           " = false;  // ends the state: no cursor travels");
  else
    c.line("[[maybe_unused]] const bool " + n.known() + " = " + p +
           " && remora::KnownStates::instance().known(" + std::to_string(pp.state) + ", " + p +
           ");  // else this call initialises it: no cursor travels");
  c.line("rm_w.put_u8(" + p + " != nullptr);");
  c.open("if (" + p + ") {");
  c.line("const auto* rm_st = " + p + ";");
  for (const auto& m : st.members) {
    if (m.role != Role::NullOnly) continue;
    // Its pointer would be used in the server's process (an allocator, a callback).
    std::string what = fp.fn->name + " (" + p + "->" + m.name + " set)";
    c.open("if (rm_st->" + m.name + " != nullptr) {");
    c.line("remora::guest::log_unsupported_once(" + quote(what) + ", " +
           quote("member " + st.type + "." + m.name +
                 " of a stream state must be NULL: it would point into the wrong process") +
           ");");
    c.line("return rm_fail();");
    c.close();
  }
  c.line("rm_w.put_u64(remora::to_u64(" + p + "));  // identifies the server's persistent copy");
  c.line("rm_w.put_raw(rm_st, sizeof *rm_st);");
  for (const auto& m : st.members) {
    if (!is_cursor(m)) continue;
    std::string ptr = "rm_st->" + m.name;
    c.line("rm_w.put_u8(" + n.known() + " && " + ptr + " != nullptr);");
    c.open("if (" + n.known() + " && " + ptr + ") {");
    c.line("if (!remora::guest::checked_count(static_cast<long long>(" + m.count + "), " +
           esize("rm_st", m) + ", " + quote(fp.fn->name + "." + p + "->" + m.name) + ", " +
           n.count(m) + ")) return rm_fail();");
    c.line("rm_w.put_u64(" + n.count(m) + ");");
    if (m.role == Role::CursorIn)
      c.line("remora::put_buffer(rm_w, " + ptr + ", " + n.count(m) + " * " + esize("rm_st", m) +
             ");");
    else
      c.line("rm_call.receive_into(" + std::to_string(pp.index) + ", remora::wptr(" + ptr + "), " +
             n.count(m) + " * " + esize("rm_st", m) + ");  // large outputs land here directly");
    c.close();
  }
  c.close();
}

void emit_guest_state_receive(Code& c, const FunctionPlan& fp, const ParamPlan& pp,
                              const StatePlan& st) {
  if (pp.state_const) return;  // the library does not change a const struct
  Names n{pp.name};
  const std::string& p = pp.name;
  std::string bad = "{ rm_call.bad_reply(" + quote(p) + "); return rm_fail(); }";
  c.open("if (" + p + ") {");
  c.line("auto* rm_st = " + p + ";");
  if (pp.deallocates)
    c.line("remora::KnownStates::instance().forget(" + std::to_string(pp.state) + ", " + p +
           ");  // the server ended its copy");
  else
    c.line("remora::KnownStates::instance().remember(" + std::to_string(pp.state) + ", " + p +
           ");");
  for (const auto& m : st.members) {
    if (!is_cursor(m)) continue;
    std::string ptr = "rm_st->" + m.name;
    c.open("if (" + n.known() + " && " + ptr + ") {  // sent with the request");
    c.line("std::uint64_t rm_d = 0;  // elements the library consumed or produced");
    c.line("if (!rm_r.get_u64(rm_d) || rm_d > " + n.count(m) + ") " + bad);
    if (m.role == Role::CursorOut) {
      c.line("const std::uint64_t rm_bytes = rm_d * " + esize("rm_st", m) + ";");
      c.open("if (remora::travels_as_bulk(rm_bytes)) {");
      c.line("if (!rm_call.received(" + std::to_string(pp.index) + ", rm_bytes)) " + bad +
             "  // already in place");
      c.mid("} else {");
      c.line("const unsigned char* rm_b = rm_r.take(rm_bytes);");
      c.line("if (!rm_b) " + bad);
      c.line("if (rm_bytes) std::memcpy(remora::wptr(" + ptr + "), rm_b, rm_bytes);");
      c.close();
    }
    c.line(ptr + " = remora::advanced(" + ptr + ", rm_d * " + esize("rm_st", m) + ");");
    c.close();
  }
  c.line("// Value members (counts, totals) come back; the program keeps its own pointers.");
  c.line("const unsigned char* rm_b = rm_r.take(sizeof *rm_st);");
  c.line("if (!rm_b) " + bad);
  for (const auto& m : st.members) c.line("auto rm_keep_" + m.name + " = rm_st->" + m.name + ";");
  c.line("std::memcpy(static_cast<void*>(rm_st), rm_b, sizeof *rm_st);");
  for (const auto& m : st.members) c.line("rm_st->" + m.name + " = rm_keep_" + m.name + ";");
  for (const auto& m : st.members) {
    if (m.role != Role::LibraryString) continue;
    c.line("// What the library wrote there (a message): the program reads it, never frees it.");
    c.open("{");
    c.line("bool rm_set = false;");
    c.line("if (!rm_r.get_presence(rm_set)) " + bad);
    c.line("std::uint64_t rm_len = 0;");
    c.line("const unsigned char* rm_s = nullptr;");
    c.line("if (rm_set && (!rm_r.get_u64(rm_len) || !(rm_s = rm_r.take(rm_len)))) " + bad);
    c.line("const char* rm_i = rm_set ? remora::interned_string(rm_s, rm_len) : nullptr;");
    c.line("if (rm_set && !rm_i) " + bad);
    c.line("rm_st->" + m.name + " = const_cast<decltype(rm_st->" + m.name + ")>(rm_i);");
    c.close();
  }
  c.close();
  (void)fp;
}

void emit_server_state_decode(Code& c, const FunctionPlan& fp, const ParamPlan& pp,
                              const StatePlan& st) {
  Names n{pp.name};
  const std::string w = quote(fp.fn->name + "." + pp.name);
  c.line("using " + n.type() + " = std::remove_cv_t<std::remove_pointer_t<remora::param_t<rm_fn, " +
         std::to_string(pp.index) + ">>>;");
  c.line(n.type() + " " + n.received() + "{};");
  c.line(n.type() + "* " + n.copy() + " = nullptr;");
  c.line("[[maybe_unused]] std::uint64_t " + n.key() + " = 0;");
  c.line("bool rm_has_" + pp.name + " = false;");
  for (const auto& m : st.members) {
    if (!is_cursor(m)) continue;
    c.line("[[maybe_unused]] std::uint64_t " + n.count(m) + " = 0;");
    c.line("[[maybe_unused]] const void* " + n.buffer(m) + " = nullptr;");
  }
  c.line("if (!rm.get_presence(rm_in, rm_has_" + pp.name + ", " + w + ")) return false;");
  c.open("if (rm_has_" + pp.name + ") {");
  c.line("if (!rm_in.get_u64(" + n.key() + ")) return rm.fail(\"%s: request truncated\", " + w +
         ");");
  c.line("if (!rm.get_value_bytes(rm_in, &" + n.received() + ", sizeof " + n.received() + ", " + w +
         ")) return false;");
  c.line("const auto* rm_st = &" + n.received() + ";");
  for (const auto& m : st.members) {
    if (m.role == Role::NullOnly)
      c.line("if (rm_st->" + m.name + " != nullptr) return rm.fail(\"%s: member " + m.name +
             " of a stream state must be NULL\", " + w + ");");
    if (!is_cursor(m)) continue;
    std::string es = esize("rm_st", m);
    c.open("{");
    c.line("bool rm_present = false;");
    c.line("if (!rm.get_presence(rm_in, rm_present, " + w + ")) return false;");
    c.line("// Absent while the guest's pointer is set: the initialising call (NULL in the copy).");
    c.line("if (rm_present && rm_st->" + m.name + " == nullptr) return rm.fail(\"%s: cursor " +
           m.name + " sent without its pointer\", " + w + ");");
    c.open("if (rm_present) {");
    c.line("if (!rm.get_count(rm_in, " + n.count(m) + ", " + es + ", " + w + ")) return false;");
    c.line("// The server computes the count from its own copy of the struct.");
    c.line("const long long rm_need = static_cast<long long>(" + m.count + ");");
    c.line("if (rm_need < 0) return rm.fail(\"%s: the size of cursor " + m.name + " %s (%lld)\", " + w +
           ", remora::size_problem(rm_need), rm_need);");
    c.line("if (rm_need < 0 || static_cast<std::uint64_t>(rm_need) != " + n.count(m) + ")");
    c.line("  return rm.fail(\"%s: cursor " + m.name +
           " has %llu elements, its size member says %lld\", " + w +
           ", static_cast<unsigned long long>(" + n.count(m) + "), rm_need);");
    if (m.role == Role::CursorIn)
      c.line(n.buffer(m) + " = rm.take_buffer(rm_in, " + n.count(m) + " * " + es + ", " + w + ");");
    else
      c.line(n.buffer(m) + " = rm.output_buffer(" + n.count(m) + ", " + es + ", " + w + ");");
    c.line("if (!" + n.buffer(m) + ") return false;");
    c.close();
    c.close();
  }
  c.close();
}

void emit_server_state_bind(Code& c, const FunctionPlan& fp, const ParamPlan& pp,
                            const StatePlan& st) {
  Names n{pp.name};
  const std::string w = quote(fp.fn->name + "." + pp.name);
  c.open("if (rm_has_" + pp.name + ") {");
  c.line("bool rm_fresh = false;");
  c.line(n.copy() + " = static_cast<" + n.type() + "*>(rm_states.get(" + std::to_string(pp.state) +
         ", " + n.key() + ", sizeof(" + n.type() + "), rm_fresh));");
  c.line("if (!" + n.copy() + ") return rm.fail(\"%s: the worker keeps too many stream states\", " +
         w + ");");
  c.line("auto* rm_sh = " + n.copy() + ";");
  c.line("// Library-owned members (its state, the allocator it installed at init, the message");
  c.line(
      "// it wrote) keep the server's values: NULL in a new copy. Every other member is the "
      "guest's.");
  auto kept = [](const StateMember& m) {
    return m.role == Role::Library || m.role == Role::Allocator || m.role == Role::LibraryString;
  };
  for (const auto& m : st.members)
    if (kept(m)) c.line("auto rm_lib_" + m.name + " = rm_sh->" + m.name + ";");
  c.line("std::memcpy(static_cast<void*>(rm_sh), &" + n.received() + ", sizeof *rm_sh);");
  for (const auto& m : st.members) {
    if (kept(m)) c.line("rm_sh->" + m.name + " = rm_lib_" + m.name + ";");
    if (is_cursor(m))
      c.line("rm_sh->" + m.name + " = remora::ptr_as<decltype(rm_sh->" + m.name +
             ")>(const_cast<void*>(" + n.buffer(m) + "));");
  }
  c.line(pp.name + " = rm_sh;");
  c.close();
}

void emit_server_state_encode(Code& c, const FunctionPlan& fp, const ParamPlan& pp,
                              const StatePlan& st) {
  Names n{pp.name};
  const std::string w = quote(fp.fn->name + "." + pp.name);
  if (!pp.state_const) {
    c.open("if (" + n.copy() + ") {");
    c.line("auto* rm_sh = " + n.copy() + ";");
    for (const auto& m : st.members) {
      if (!is_cursor(m)) continue;
      std::string es = esize("rm_sh", m);
      c.open("if (" + n.buffer(m) + ") {");
      c.line("std::uint64_t rm_d = 0;");
      c.line("if (!remora::cursor_moved(rm_sh->" + m.name + ", " + n.buffer(m) + ", " + n.count(m) +
             " * " + es + ", " + es + ", rm_d))");
      c.line("  return rm.fail(\"%s: the library moved cursor " + m.name +
             " outside its buffer\", " + w + ");");
      c.line("rm_out.put_u64(rm_d);");
      if (m.role == Role::CursorOut)
        c.line("remora::put_buffer(rm_out, " + n.buffer(m) + ", rm_d * " + es + ", " +
               std::to_string(pp.index) + ");");
      c.close();
    }
    c.line("// The struct goes back without any server pointer in it.");
    c.line(n.type() + " rm_back;");
    c.line("std::memcpy(static_cast<void*>(&rm_back), rm_sh, sizeof rm_back);");
    for (const auto& m : st.members) c.line("rm_back." + m.name + " = nullptr;");
    c.line("rm_out.put_raw(&rm_back, sizeof rm_back);");
    for (const auto& m : st.members)
      if (m.role == Role::LibraryString) c.line("rm_out.put_string(rm_sh->" + m.name + ");");
    c.close();
  }
  if (pp.deallocates)
    c.line("if (" + n.copy() + ") rm_states.erase(" + std::to_string(pp.state) + ", " + n.key() +
           ");  // ended");
}

void emit_server_state_table(Code& c) {
  c.line("// Persistent copies of the guest's stream-state structs (remora_state.h).");
  c.line("remora::server::StateTable rm_states;");
  c.line();
}

void emit_server_state_release(Code& c, const StackPlan& plan) {
  c.line("// Stream states a guest never ended are ended with the spec's end function.");
  c.open("std::size_t rm_release_states() {");
  bool any = false;
  for (const auto& st : plan.states) any |= !st.end_function.empty();
  if (!any) {
    c.line("return rm_states.drain([](std::uint32_t, void*) {});");
  } else {
    c.open("return rm_states.drain([](std::uint32_t type, void* copy) {");
    c.open("switch (type) {");
    for (std::size_t i = 0; i < plan.states.size(); ++i) {
      const std::string& e = plan.states[i].end_function;
      if (e.empty()) continue;
      c.line("case " + std::to_string(i) + ":  // " + plan.states[i].type);
      c.line("  if (real_" + e + ") (void)real_" + e + "(static_cast<remora::param_t<decltype(real_" + e +
             "), 0>>(copy));");
      c.line("  break;");
    }
    c.line("default: break;");
    c.close();
    c.close("});");
  }
  c.close();
  c.line();
}

}  // namespace remora::codegen
