// Plans the deep copy of structs from the spec's member annotations and typed C
// model. General rules only: what a member is (ctype) and what its annotation
// says (kind, size over sibling members, direction) decide how it travels.
#include "struct_plan.h"

#include "checked_size.h"

#include <cctype>

#include "remora/spec/size_expr.h"

namespace remora::codegen {

using spec::CType;
using spec::CTypeKind;
using spec::Kind;

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string shown(const spec::Type& owner, const spec::StructField& f) {
  return owner.name + "." + f.name + " (" + f.type + ")";
}

}  // namespace

std::string struct_c_name(const spec::Spec& spec, const spec::Type& type) {
  if (!is_identifier(type.name)) return "";
  // A tag hidden by a function of the same name (`struct stat`) needs its keyword.
  if (spec.find_function(type.name))
    return (type.record == "union" ? "union " : "struct ") + type.name;
  return type.name;
}

StructPlan::StructPlan(const spec::Spec& spec, std::function<int(const std::string&)> handle_index,
                       CallbackResolver callback_signature)
    : spec_(spec),
      handle_index_(std::move(handle_index)),
      callback_signature_(std::move(callback_signature)) {}

const spec::Type* StructPlan::record_of(const CType& t) const {
  const CType& b = spec::bare(t);
  if (b.kind != CTypeKind::Record) return nullptr;
  const spec::Type* st = spec_.find_type(b.name);
  return st && st->kind == spec::TypeKind::Struct ? st : nullptr;
}

bool StructPlan::is_handle(const CType& t, const spec::Annotation& a) const {
  if (a.kind == Kind::Handle || spec::is_opaque_handle(t)) return true;
  // A typedef the spec classifies as a handle (an integer handle, a pointer typedef).
  for (const CType* c = &t; c && !c->empty();
       c = c->kind == CTypeKind::Typedef ? c->to.get() : nullptr)
    if (c->kind == CTypeKind::Typedef)
      if (const spec::Type* st = spec_.find_type(c->name); st && st->kind == spec::TypeKind::Handle)
        return true;
  return false;
}

// The handle type a member holds: its annotation's, else the first typedef of its type
// the spec calls a handle, else its first typedef (an opaque struct pointer).
int StructPlan::handle_type_of(const CType& t, const spec::Annotation& a) const {
  std::string name = a.handle_type, first;
  for (const CType* c = &t; name.empty() && c && !c->empty();
       c = c->kind == CTypeKind::Typedef ? c->to.get() : nullptr) {
    if (c->kind != CTypeKind::Typedef) continue;
    if (first.empty()) first = c->name;
    if (const spec::Type* st = spec_.find_type(c->name); st && st->kind == spec::TypeKind::Handle)
      name = c->name;
  }
  if (name.empty()) name = first;
  if (name.empty() || !handle_index_) return 0;
  const int k = handle_index_(name);
  return k < 0 ? 0 : k;
}

bool StructPlan::needs_copy(const spec::Type& type) {
  auto it = needs_.find(type.name);
  if (it != needs_.end()) return it->second == 1;  // 2 (being computed): a cycle adds nothing
  needs_[type.name] = 2;
  bool needs = false;
  for (const auto& f : type.fields) {
    const CType& b = spec::bare(f.ctype);
    if (f.ctype.empty()) {
      needs = true;  // not recorded: only a planned copy can tell (and refuses)
    } else if (b.kind == CTypeKind::Pointer || b.kind == CTypeKind::Function) {
      needs = true;
    } else if (b.kind == CTypeKind::Array) {
      const CType& e = spec::bare(*b.to);
      if (e.kind == CTypeKind::Pointer || e.kind == CTypeKind::Function)
        needs = true;
      else if (const spec::Type* st = record_of(e))
        needs = needs_copy(*st);
    } else if (const spec::Type* st = record_of(f.ctype)) {
      needs = needs_copy(*st);
    } else if (is_handle(f.ctype, f.ann) && type.record != "union") {
      needs = true;  // a handle to check (which member of a union is live is unknown)
    }
    if (needs) break;
  }
  needs_[type.name] = needs ? 1 : 0;
  return needs;
}

// A member's size: an expression over its sibling value members, as generated C
// over `rm_s`. It reads only integers the struct holds (what the server received),
// and divides only by a non-zero constant (a guest-chosen 0 must not trap).
std::string StructPlan::size_c(const spec::Type& owner, const spec::StructField& f,
                               std::string& why) {
  const std::string& text = f.ann.size;
  if (text.empty()) {
    why = "member " + shown(owner, f) + " has no size";
    return "";
  }
  auto parsed = spec::parse_size_expr(text);
  if (!parsed) {
    why = "size of member " + shown(owner, f) + " ('" + text + "'): " + parsed.error->message;
    return "";
  }
  using Op = spec::SizeExpr::Op;
  std::function<bool(const spec::SizeExpr&)> ok = [&](const spec::SizeExpr& e) -> bool {
    switch (e.op) {
      case Op::Int:
      case Op::Sizeof:
        return true;
      case Op::Param: {
        const spec::StructField* s = owner.find_field(e.name);
        if (!s || s->ctype.empty() || !spec::is_integer_like(s->ctype)) {
          why = "size of member " + shown(owner, f) + " ('" + text + "') reads " + e.name +
                ", which is not an integer member of " + owner.name;
          return false;
        }
        return true;
      }
      case Op::Div:
        if (e.b->op != Op::Int || e.b->value == 0) {
          why = "size of member " + shown(owner, f) + " ('" + text + "') divides by a non-constant";
          return false;
        }
        return ok(*e.a);
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Min:
      case Op::Max:
        return ok(*e.a) && ok(*e.b);
      case Op::Neg:
        return ok(*e.a);
      case Op::Terminated:  // only the member itself, ended by one of its elements
        if (!e.args.empty() && e.name == f.name && &e == parsed.expr.get()) return true;
        why = "size of member " + shown(owner, f) + " ('" + text +
              "'): terminated() may only be the whole size of the member itself, "
              "ended by one of its elements";
        return false;
      default:
        why = "size of member " + shown(owner, f) + " ('" + text +
              "') uses more than its sibling integer members";
        return false;
    }
  };
  if (!ok(*parsed.expr)) return "";
  // Only the guest evaluates a terminated() member (the server checks what arrived): it
  // scans no further than the program's readable memory.
  auto bounded = [](const spec::SizeExpr& e) -> std::string {
    if (e.op != spec::SizeExpr::Op::Terminated || e.args.empty()) return "";
    const std::string m = "rm_s->" + e.name;
    return bounded_terminated_count_c(e, m, "remora::guest::readable_elements(" + m + ")");
  };
  return checked_size_c(*parsed.expr, [](std::string_view n) { return "rm_s->" + std::string(n); }, {},
                        bounded);
}

std::string StructPlan::plan_field(const spec::Type& owner, const spec::StructField& f,
                                   FieldCopy& fc) {
  fc.name = f.name;
  fc.direction = f.ann.direction;
  const spec::Annotation& a = f.ann;
  if (f.ctype.empty()) return "member " + shown(owner, f) + " has no typed C model (ctype)";
  if (!is_identifier(f.name))
    return "member " + shown(owner, f) + " has no name generated code can use";
  if (f.bit_width >= 0) return "";  // a bit-field is a value
  const CType& b = spec::bare(f.ctype);
  auto nested = [&](const spec::Type& st, long long extent) -> std::string {
    if (!needs_copy(st)) return "";
    std::string why;
    int k = plan(st, why);
    if (k < 0) return "in member " + shown(owner, f) + ": " + why;
    fc.wire = FieldWire::Nested;
    fc.target = k;
    fc.extent = extent;
    fc.direction = spec::Direction::In;  // its own members carry their directions
    return "";
  };
  if (b.kind == CTypeKind::Array) {
    const CType& e = spec::bare(*b.to);
    long long extent = b.extent.value_or(0);
    if (is_handle(*b.to, a.element ? *a.element : spec::Annotation{}) ||
        (a.element && a.element->kind == Kind::Handle)) {
      if (owner.record == "union") return "";
      fc.wire = FieldWire::HandleArray;
      fc.extent = extent;
      fc.handle_type = handle_type_of(*b.to, a.element ? *a.element : spec::Annotation{});
      return extent > 0 ? ""
                        : "member " + shown(owner, f) + " is an array of handles without an extent";
    }
    if (e.kind == CTypeKind::Pointer || e.kind == CTypeKind::Function)
      return "member " + shown(owner, f) + " is an array of pointers, which is not deep-copied";
    if (const spec::Type* st = record_of(e)) {
      if (extent <= 0 && needs_copy(*st))
        return "member " + shown(owner, f) + " is an array without an extent";
      return nested(*st, extent);
    }
    return "";
  }
  if (b.kind == CTypeKind::Record) {
    const spec::Type* st = record_of(b);
    if (!st) return "";
    return nested(*st, 0);
  }
  if (b.kind != CTypeKind::Pointer && b.kind != CTypeKind::Function) {
    if (is_handle(f.ctype, a) && owner.record != "union") {
      fc.wire = FieldWire::Handle;
      fc.handle_type = handle_type_of(f.ctype, a);
    }
    return "";
  }
  // A pointer member.
  if (owner.record == "union")
    return "member " + shown(owner, f) +
           " is a pointer in a union (which member is live is unknown)";
  if (is_handle(f.ctype, a)) {
    fc.wire = FieldWire::Handle;
    fc.handle_type = handle_type_of(f.ctype, a);
    return "";
  }
  if (a.kind == Kind::Opaque || a.kind == Kind::Userdata) {
    fc.wire = FieldWire::Pass;
    return "";
  }
  // A callback member is forwarded as a parameter callback is (a trampoline on the
  // server, the program's function run by the guest with its user data), once it is
  // paired with a user-data member (pair_user_data). One that cannot be forwarded and
  // that the program may leave NULL is remoted as NULL only (a non-NULL one fails the
  // call with a line naming it); a required one makes the struct uncopyable.
  auto null_only = [&](const std::string& why) -> std::string {
    if (!a.nullable) return why;
    fc.wire = FieldWire::NullOnly;
    fc.reason = why;
    return "";
  };
  if (a.kind == Kind::Callback || spec::is_function_pointer(f.ctype)) {
    std::string why = "no callback signature";
    const int sig = callback_signature_ ? callback_signature_(f, why) : -1;
    if (sig < 0)
      return null_only("member " + shown(owner, f) + " is a callback that cannot be forwarded: " +
                       why);
    fc.wire = FieldWire::Callback;
    fc.signature = sig;
    return "";
  }
  if (a.kind == Kind::Chain) {
    fc.wire = FieldWire::Chain;
    uses_chains = true;
    if (owner.tag.field.empty() || !owner.find_field(owner.tag.field))
      return "member " + shown(owner, f) + " is an extension chain, but " + owner.name +
             " has no type tag member";
    return "";
  }
  // What the library writes comes back as bytes: arrays of values and structs (whose own
  // pointer members are the program's), never strings or handles it would hand out.
  auto out_refused = [&](const char* what) {
    return "member " + shown(owner, f) + " is an output " + what + ", which is not remoted";
  };
  const bool out = a.direction != spec::Direction::In;
  const CType* to = spec::pointee_of(f.ctype);
  const CType& pb = spec::bare(*to);
  if (a.kind == Kind::String) {
    if (!spec::is_char(*to))
      return "member " + shown(owner, f) + " is a string but does not point to char";
    // A member annotated as an output string is a buffer the library fills (or the spec
    // is unsure): not remoted. In a struct the library writes, an input-annotated string
    // member is the library's (DeepCopy::strings).
    if (out) return (out_refused("string"));
    fc.wire = FieldWire::String;
    return "";
  }
  if (a.kind != Kind::Buffer && a.kind != Kind::Element)
    return null_only("member " + shown(owner, f) +
                     " is a pointer without an annotation saying how to copy it (kind " +
                     std::string(spec::to_string(a.kind)) + ")");
  std::string why;
  fc.count = a.kind == Kind::Element ? "1" : size_c(owner, f, why);
  // An array nothing sizes travels only where the program leaves it NULL (lzma_mt's
  // `filters`, unused by decoders); a non-NULL one fails the call with the reason.
  if (fc.count.empty() && a.size.empty())
    return null_only("member " + shown(owner, f) + " is an array of unknown size");
  if (fc.count.empty()) return (why);
  if (auto parsed = spec::parse_size_expr(a.size); parsed && a.kind == Kind::Buffer) {
    fc.ends = spec::terminator_predicate_c(*parsed.expr);
    // Its count is read from the program's elements: an array the library fills has none yet.
    if (!fc.ends.empty() && out)
      return "member " + shown(owner, f) + " is an output array ended by an element (" + a.size +
             "), which is not remoted";
  }
  Kind ek = a.element ? a.element->kind : Kind::Value;
  if (ek == Kind::Handle || is_handle(*to, spec::Annotation{})) {
    if (out) return (out_refused("array of handles"));
    fc.wire = FieldWire::Handles;
    return "";
  }
  if (pb.kind == CTypeKind::Pointer) {
    if (ek == Kind::String && spec::is_char(*spec::pointee_of(*to))) {
      if (out) return (out_refused("array of strings"));
      fc.wire = FieldWire::Strings;
      return "";
    }
    return ("member " + shown(owner, f) + " points to pointers whose kind is not annotated");
  }
  if (pb.kind == CTypeKind::Function)
    return ("member " + shown(owner, f) + " points to a function");
  if (const spec::Type* st = record_of(*to)) {
    if (needs_copy(*st)) {
      int k = plan(*st, why);
      if (k < 0) return ("in member " + shown(owner, f) + ": " + why);
      fc.wire = FieldWire::Structs;
      fc.target = k;
      return "";
    }
  } else if (pb.kind == CTypeKind::Record) {
    return ("member " + shown(owner, f) + " points to " + pb.name +
            ", whose members are not in the spec");
  }
  fc.wire = FieldWire::Raw;
  if (a.size_unit == spec::SizeUnit::Bytes)
    fc.esize = "1";
  else if (pb.kind == CTypeKind::Void)
    return ("member " + shown(owner, f) + " counts elements of void: give its size in bytes");
  else
    fc.esize = "remora::elem_size_v<decltype(rm_s->" + f.name + ")>";
  return "";
}

// A callback member's user data: the record the server hands the API in its place
// names the guest's function and the guest's own user data. General rule: a `void *`
// member annotated as user data, the nearest one after the callback (as for parameters),
// else the nearest before it; each carries one callback. A callback left without one
// cannot be forwarded (NULL only when the program may leave it NULL).
void StructPlan::pair_user_data(const spec::Type& owner, std::vector<FieldCopy>& fields) {
  std::vector<std::pair<std::size_t, std::string>> free;  // (member position, name)
  for (std::size_t i = 0; i < owner.fields.size(); ++i) {
    const spec::StructField& f = owner.fields[i];
    const CType* to = f.ctype.empty() ? nullptr : spec::pointee_of(f.ctype);
    if (f.ann.kind == Kind::Userdata && to && spec::bare(*to).kind == CTypeKind::Void &&
        is_identifier(f.name))
      free.emplace_back(i, f.name);
  }
  auto position = [&](const std::string& name) {
    for (std::size_t i = 0; i < owner.fields.size(); ++i)
      if (owner.fields[i].name == name) return i;
    return owner.fields.size();
  };
  for (auto& fc : fields) {
    if (fc.wire != FieldWire::Callback) continue;
    const std::size_t at = position(fc.name);
    auto best = free.end();
    for (auto it = free.begin(); it != free.end(); ++it) {
      if (best == free.end()) {
        best = it;
        continue;
      }
      // After the callback beats before it; then the nearer one.
      const bool after = it->first > at, best_after = best->first > at;
      const std::size_t d = after ? it->first - at : at - it->first;
      const std::size_t bd = best_after ? best->first - at : at - best->first;
      if ((after && !best_after) || (after == best_after && d < bd)) best = it;
    }
    const spec::StructField& f = owner.fields[at];
    if (best == free.end()) {
      const std::string why = "member " + shown(owner, f) +
                              " is a callback without a user-data member to carry it";
      if (f.ann.nullable) {
        fc.wire = FieldWire::NullOnly;
        fc.reason = why;
      } else {
        fc.reason = why;  // plan() fails the struct with it
      }
      continue;
    }
    fc.userdata = best->second;
    free.erase(best);
  }
}

int StructPlan::plan(const spec::Type& type, std::string& why) {
  auto it = index_.find(type.name);
  if (it != index_.end()) {
    why = structs[it->second].failed;
    return why.empty() ? it->second : -1;
  }
  const int k = static_cast<int>(structs.size());
  index_[type.name] = k;
  structs.push_back({});
  structs[k].type = &type;
  structs[k].c_name = struct_c_name(spec_, type);
  std::string failed;
  if (!type.supported)
    failed = type.name + " is marked unsupported in the spec" +
             (type.unsupported_reason.empty() ? std::string() : ": " + type.unsupported_reason);
  else if (structs[k].c_name.empty())
    failed = "struct " + type.name + " has no name generated code can spell";
  else if (type.fields.empty() || !type.complete)
    failed = "the members of " + type.name + " are not in the spec";
  std::vector<FieldCopy> fields;
  for (const auto& f : type.fields) {
    if (!failed.empty()) break;
    FieldCopy fc;
    failed = plan_field(type, f, fc);
    if (fc.wire != FieldWire::Pass || fc.out()) fields.push_back(std::move(fc));
  }
  if (failed.empty()) pair_user_data(type, fields);
  for (const auto& fc : fields)
    if (failed.empty() && fc.wire == FieldWire::Callback && fc.userdata.empty()) failed = fc.reason;
  StructCopy& s = structs[k];  // plan_field may have grown the vector
  if (!failed.empty()) {
    s.failed = failed;
    why = failed;
    return -1;
  }
  for (auto& fc : fields) {
    if (fc.wire == FieldWire::Pass) continue;
    s.has_out |= fc.out();
  }
  std::erase_if(fields, [](const FieldCopy& fc) { return fc.wire == FieldWire::Pass; });
  for (const auto& fc : fields)
    if (fc.target >= 0 && structs[fc.target].has_out) s.has_out = true;
  s.fields = std::move(fields);
  // The tag member reads a chain member's tag (VkBaseOutStructure has one and no value).
  if (!type.tag.field.empty() && type.find_field(type.tag.field)) {
    s.tag_field = type.tag.field;
    if (is_identifier(type.tag.value)) s.tag_value = type.tag.value;
  }
  return k;
}

void StructPlan::finish() {
  if (!uses_chains) return;
  // Any tagged struct may be a member of a chain (its tag value says which one it is).
  // One that cannot be copied is kept with its reason: a chain holding it fails the call.
  for (const auto& t : spec_.types) {
    if (t.kind != spec::TypeKind::Struct || t.tag.field.empty() || !is_identifier(t.tag.value) ||
        !t.find_field(t.tag.field))
      continue;
    std::string why;
    plan(t, why);
    int k = index_.at(t.name);
    structs[k].tag_field = t.tag.field;
    structs[k].tag_value = t.tag.value;
    chain_members.push_back(k);
  }
}

}  // namespace remora::codegen
