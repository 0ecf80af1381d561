// The typed layout of the API's structs, and ctypes on typedefs, parameters
// and return values (spec skeleton stage; no evidence here).
#include <algorithm>
#include <map>

#include "remora/spec/c_names.h"
#include "struct_rules.h"

namespace remora::inference {

namespace {

// Does typedef `alias` stand for record `name` itself (typedef struct X {...} X)?
bool names_record(const spec::CType& target, const std::string& record) {
  const spec::CType& bare = spec::bare(target);
  return bare.kind == spec::CTypeKind::Record && bare.name == record && !bare.is_const && !bare.is_volatile;
}

void fill_record(spec::Type& t, const ParsedType& pt) {
  t.kind = spec::TypeKind::Struct;
  t.record = pt.record == "struct" ? "" : pt.record;
  t.complete = true;
  t.size = pt.size;
  t.align = pt.align;
  t.fields = pt.fields;
  // `void *virtual;` (libdrm's drm.h, spelled `virt` under __cplusplus): the stack is C++
  // and cannot name it, so the struct is kept without its members and never copied (the
  // functions that pass it are refused with this reason).
  auto keyword = std::find_if(t.fields.begin(), t.fields.end(),
                              [](const spec::StructField& f) { return !spec::is_c_identifier(f.name); });
  if (keyword != t.fields.end()) {
    t.supported = false;
    t.unsupported_reason = "member '" + keyword->name + "' is a C++ keyword: the generated C++ cannot name it";
    t.fields.clear();
  }
}

}  // namespace

void add_record_types(spec::Spec& spec, const ParsedHeader& header) {
  std::map<std::string, const ParsedType*> typedefs;
  for (const ParsedType& pt : header.types)
    if (pt.form == ParsedType::Form::Typedef) typedefs[pt.name] = &pt;

  for (const ParsedType& pt : header.types) {
    if (pt.form != ParsedType::Form::Struct) continue;
    spec::Type* t = spec.find_type(pt.name);
    if (!t) {
      spec::Type fresh;
      fresh.name = pt.name;
      fill_record(fresh, pt);
      spec.types.push_back(std::move(fresh));
      continue;
    }
    // A typedef of the same name replaced the struct in types_from_header; it
    // says nothing the struct does not, so the struct with its fields wins.
    auto td = typedefs.find(pt.name);
    bool same_record_typedef = td != typedefs.end() && names_record(td->second->ctype, pt.name);
    if (t->kind == spec::TypeKind::Struct || (t->kind == spec::TypeKind::Alias && same_record_typedef)) {
      t->underlying.clear();
      fill_record(*t, pt);
    }
  }
  for (spec::Type& t : spec.types) {
    if (t.kind == spec::TypeKind::Struct) continue;
    auto td = typedefs.find(t.name);
    if (td != typedefs.end()) t.ctype = td->second->ctype;
  }
  for (const ParsedFunction& pf : header.functions) {
    spec::Function* f = spec.find_function(pf.name);
    if (!f) continue;
    f->ret.ctype = pf.ret_ctype;
    if (f->params.size() != pf.params.size()) continue;
    for (std::size_t i = 0; i < pf.params.size(); ++i) f->params[i].ctype = pf.params[i].ctype;
  }
}

}  // namespace remora::inference
