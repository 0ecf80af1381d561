// The helpers behind query(FN, args...)[k] in size expressions. Each calls an
// "info query" function of the API -- (leading args..., value size, value,
// size needed) -- and returns integer k of the value, or a size function --
// (leading args..., integer *answer), or (leading args...) returning the integer --
// and returns its answer; -1 when the call fails (the size is then refused, so the
// call that needed it fails cleanly).
//
// The guest calls FN through the stack (its own exported stub) inside an
// InternalCall scope, so an error an earlier asynchronous call left pending is
// kept for the program's next call instead of being swallowed here. The server
// calls the real FN: both sides compute the same size from the same state.
#include "emit.h"

namespace remora::codegen {

namespace {

std::string ptype(const QueryHelper& h, int k) {
  return "remora::param_t<" + function_type(*h.fn) + ", " + std::to_string(k) + ">";
}

// One call of FN with the leading args a0..aN, the given size/value/size-needed.
std::string call(const QueryHelper& h, bool guest, const std::string& size, const std::string& value,
                 const std::string& needed) {
  // Parenthesised: the API may also define FN as a function-like macro.
  std::string text = (guest ? "(::" + h.fn->name + ")(" : "real_" + h.fn->name + "(");
  for (std::size_t k = 0; k < h.fn->params.size(); ++k) {
    std::string arg;
    int i = static_cast<int>(k);
    if (k < h.leading) arg = "a" + std::to_string(k);
    else if (i == h.size_param) arg = "static_cast<" + ptype(h, i) + ">(" + size + ")";
    else if (i == h.value_param) arg = value;
    else if (i == h.size_ret_param) arg = needed;
    else arg = "{}";
    text += (k ? ", " : "") + arg;
  }
  text += ")";
  return h.success.empty() ? text : "(" + text + " == " + h.success + ")";
}

void emit_helper(Code& c, const QueryHelper& h, bool guest, bool remoted) {
  std::string decl = "[[maybe_unused]] long long " + h.name + "(";
  for (std::size_t k = 0; k < h.leading; ++k) decl += ptype(h, static_cast<int>(k)) + " a" + std::to_string(k) + ", ";
  decl += "std::uint64_t index) {";
  c.line("// query(" + h.fn->name + ", " + std::to_string(h.leading) + " arguments)[index] in a size: integer `index` of");
  c.line("// what " + h.fn->name + " writes, read as " + h.value_elem + "; -1 when it fails.");
  c.open(decl);
  if (!remoted) {
    for (std::size_t k = 0; k < h.leading; ++k) c.line("(void)a" + std::to_string(k) + ";");
    c.line("(void)index;");
    c.line("return -1;  // " + h.fn->name + " is not remoted by this stack");
    c.close();
    c.line();
    return;
  }
  std::string key = "rm_helper";
  if (guest) {
    c.line("static const char* const rm_helper = " + quote(h.name) + ";  // its key in the answer cache");
    // One program call may need the same query several times (a size repeats it): the
    // answer is kept until the program's next call.
    std::string keys;
    for (std::size_t k = 0; k < h.leading; ++k) keys += "remora::to_u64(a" + std::to_string(k) + "), ";
    c.line("const std::uint64_t rm_key[] = {" + keys + "index};");
    c.line("long long rm_known = 0;");
    c.line("if (remora::guest::query_cache_get(" + key + ", rm_key, " + std::to_string(h.leading + 1) + ", rm_known)) return rm_known;");
    c.line("remora::guest::InternalCall rm_scope;");
  } else {
    c.line("if (!real_" + h.fn->name + ") return -1;");
  }
  std::string elem = h.value_elem;
  if (h.answer_returned) {
    // The answer is FN's result (`sqlite3_column_bytes(stmt, i)`).
    c.line("if (index != 0) return -1;");
    c.line("const long long rm_v = static_cast<long long>(" + call(h, guest, "0", "nullptr", "{}") + ");");
    if (guest) c.line("remora::guest::query_cache_put(" + key + ", rm_key, " + std::to_string(h.leading + 1) + ", rm_v);");
    c.line("return rm_v;");
    c.close();
    c.line();
    return;
  }
  if (h.value_param < 0) {
    // The answer is the one integer FN writes through its last parameter.
    c.line("if (index != 0) return -1;");
    c.line(elem + " rm_v{};");
    std::string ok = call(h, guest, "0", "nullptr", "&rm_v");
    if (!h.success.empty()) c.line("if (!" + ok + ") return -1;");
    else c.line(ok + ";");
    if (guest) c.line("remora::guest::query_cache_put(" + key + ", rm_key, " + std::to_string(h.leading + 1) + ", static_cast<long long>(rm_v));");
    c.line("return static_cast<long long>(rm_v);");
    c.close();
    c.line();
    return;
  }
  c.line("std::uint64_t rm_bytes = (index + 1) * sizeof(" + elem + ");");
  if (h.size_ret_param >= 0) {
    std::string needed_t = "std::remove_pointer_t<" + ptype(h, h.size_ret_param) + ">";
    c.line(needed_t + " rm_needed{};");
    std::string ok = call(h, guest, "0", "nullptr", "&rm_needed");
    if (!h.success.empty()) c.line("if (!" + ok + ") return -1;");
    else c.line(ok + ";");
    c.line("rm_bytes = static_cast<std::uint64_t>(rm_needed);");
  }
  c.line("if (rm_bytes > remora::max_message_bytes() || (index + 1) * sizeof(" + elem + ") > rm_bytes) return -1;");
  c.line("std::vector<unsigned char> rm_value(rm_bytes);");
  std::string ok = call(h, guest, "rm_bytes", "rm_value.data()", h.size_ret_param >= 0 ? "nullptr" : "{}");
  if (!h.success.empty()) c.line("if (!" + ok + ") return -1;");
  else c.line(ok + ";");
  c.line(elem + " rm_v{};");
  c.line("std::memcpy(&rm_v, rm_value.data() + index * sizeof(" + elem + "), sizeof rm_v);");
  if (guest) c.line("remora::guest::query_cache_put(" + key + ", rm_key, " + std::to_string(h.leading + 1) + ", static_cast<long long>(rm_v));");
  c.line("return static_cast<long long>(rm_v);");
  c.close();
  c.line();
}

}  // namespace

void emit_query_helpers(Code& c, const StackPlan& plan, bool guest) {
  if (plan.queries.empty()) return;
  c.open("namespace {");
  c.line();
  for (const auto& h : plan.queries) {
    bool remoted = false;
    for (const auto& fp : plan.functions)
      if (fp.fn == h.fn) remoted = fp.supported;
    emit_helper(c, h, guest, remoted);
  }
  c.close("}  // namespace");
  c.line();
}

}  // namespace remora::codegen
