// Emitters of the generated sources. Each returns the text of one file.
#pragma once

#include <string>
#include <vector>

#include "plan.h"

namespace remora::codegen {

// Indented line writer for readable generated code.
class Code {
 public:
  Code& line(const std::string& s = "") {
    if (s.empty()) {
      text_ += "\n";
      return *this;
    }
    text_.append(static_cast<std::size_t>(indent_) * 2, ' ');
    // Spec text (docs, reasons, sizes) reaches comments: one line stays one line,
    // and a comment cannot end in '\' (a line splice would comment out the next line).
    bool comment = s.rfind("//", 0) == 0;
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) c = ' ';
      else if (comment && c == '\\') c = '/';
      text_ += c;
    }
    text_ += "\n";
    return *this;
  }
  Code& open(const std::string& s) {
    line(s);
    ++indent_;
    return *this;
  }
  // A line at the enclosing level between two indented blocks ("} else {").
  Code& mid(const std::string& s) {
    --indent_;
    line(s);
    ++indent_;
    return *this;
  }
  Code& close(const std::string& s = "}") {
    --indent_;
    line(s);
    return *this;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  int indent_ = 0;
};

// `if (c1) {...} else if (c2) {...} else {...}` over the variants of a pointer param.
template <class F>
void for_variants(Code& c, const ParamPlan& pp, F&& body) {
  if (pp.variants.size() == 1) {
    body(pp.variants[0]);
    return;
  }
  for (std::size_t i = 0; i < pp.variants.size(); ++i) {
    const auto& v = pp.variants[i];
    if (i == 0) c.open("if (" + v.condition + ") {");
    else if (!v.condition.empty()) c.mid("} else if (" + v.condition + ") {");
    else c.mid("} else {");
    body(v);
  }
  c.close();
}

// Names derived from the API: "OpenCL" -> "opencl".
std::string lower_name(const std::string& api);
std::string server_program_name(const spec::Spec& spec);
std::string quote(const std::string& s);  // C string literal
// `#include <...>` lines and the parameter list shared by both sides.
std::string include_lines(const spec::Spec& spec);
// `using` aliases of every type the spec spells: the build fails unless each one
// names a type (a function name spelled as a type would turn a cast into a call).
void emit_type_checks(Code& c, const spec::Spec& spec);
std::string param_decl(const FunctionPlan& fp, const ParamPlan& pp);
// A spelling usable where a declaration needs a type-id followed by a name.
std::string type_id(const std::string& spelling);
// The type of a pointer to the API function, from the spec's prototype:
// `decltype(static_cast<R (*)(A...)>(&::f))`. The cast checks the spec against the
// header and picks the C function among C++ overloads of the same name.
std::string function_type(const spec::Function& f);
std::string function_address(const spec::Function& f);  // static_cast<R (*)(A...)>(&::f)
std::string return_type_decl(const FunctionPlan& fp);

// The helpers behind query(FN, ...) in sizes (guest: FN through the stack;
// server: the real FN).
void emit_query_helpers(Code& c, const StackPlan& plan, bool guest);

// The struct codecs (deep copy, emit_struct.cpp): guest rm_sput_<k>, server rm_sdec_<k>.
void emit_struct_codecs(Code& c, const StackPlan& plan, bool guest);

std::string emit_guest_source(const StackPlan& plan);
std::string emit_server_source(const StackPlan& plan);

}  // namespace remora::codegen
