// Stream-state structs: the roles of their members (docs/spec-format.md, "Memory
// the library keeps between calls"). Only pointer members need a role; every
// other member travels as the struct's bytes, both ways, around every call.
#include "plan_state.h"

#include "checked_size.h"

#include <cctype>

#include "remora/spec/size_expr.h"

namespace remora::codegen {

using spec::Direction;
using spec::Kind;
using spec::SizeExpr;

const spec::Type* state_struct_of(const TypeModel& types, const spec::Param& p) {
  if (!p.when.empty() || types.pointer_depth(p.type) != 1 || types.function_pointer(p.type))
    return nullptr;
  CTypePtr pointee = types.pointee(p.type);
  if (!pointee) return nullptr;
  const spec::Type* t = types.struct_type(*pointee);
  return t && t->state ? t : nullptr;
}

namespace {

// A cursor's size may only name sibling members and integers: both sides evaluate it
// over the same bytes of the struct (the guest's, and the copy the server received).
std::string cursor_count(const spec::Type& t, const spec::StructField& f, std::string& why) {
  auto parsed = spec::parse_size_expr(f.ann.size);
  if (!parsed) {
    why = "size of " + t.name + "." + f.name + " ('" + f.ann.size + "'): " + parsed.error->message;
    return "";
  }
  std::function<std::string(const SizeExpr&)> custom = [&](const SizeExpr& n) -> std::string {
    using Op = SizeExpr::Op;
    if (n.op == Op::Param || n.op == Op::Int || n.op == Op::Add || n.op == Op::Sub ||
        n.op == Op::Mul || n.op == Op::Min || n.op == Op::Max || n.op == Op::Sizeof)
      return "";
    why = "size of cursor " + t.name + "." + f.name + " ('" + f.ann.size +
          "') may only use sibling members and arithmetic";
    return "0";
  };
  for (const auto& name : spec::size_expr_params(*parsed.expr))
    if (!t.find_field(name)) {
      why = "size of " + t.name + "." + f.name + " names '" + name + "', which is not a member";
      return "";
    }
  auto rename = [](std::string_view n) { return "rm_st->" + std::string(n); };
  std::string c = checked_size_c(*parsed.expr, rename, {}, custom);
  return why.empty() ? c : "";
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool names_allocation(const std::string& name) {
  std::string n = lower(name);
  return n.find("alloc") != std::string::npos || n.find("free") != std::string::npos;
}

// A member that only says how the library allocates its private memory: an
// allocation callback (zlib's zalloc/zfree), or a pointer to a struct of such
// callbacks and their user data (lzma_allocator). That memory lives on the server,
// so the server's copy uses the library's default allocator instead.
bool is_allocator(const TypeModel& types, const spec::StructField& f) {
  if (types.function_pointer(f.type) || f.ann.kind == Kind::Callback)
    return names_allocation(f.name);
  CTypePtr pointee = types.pointee(f.type);
  const spec::Type* st = pointee ? types.struct_type(*pointee) : nullptr;
  return st && lower(st->name).find("alloc") != std::string::npos && is_allocation_suite(types, *st);
}

}  // namespace

bool is_allocation_suite(const TypeModel& types, const spec::Type& t) {
  int callbacks = 0;
  for (const auto& m : t.fields) {
    if (!types.is_pointer(m.type)) continue;
    bool callback = types.function_pointer(m.type) || m.ann.kind == Kind::Callback;
    if (callback && names_allocation(m.name)) ++callbacks;
    else if (m.ann.kind != Kind::Userdata) return false;
  }
  return callbacks > 0;
}

std::string state_companion_blocker(const FunctionPlan& fp) {
  const ParamPlan* state = nullptr;
  for (const auto& pp : fp.params)
    if (pp.scalar == ScalarWire::State && !pp.deallocates) state = &pp;
  if (!state) return "";
  // Only one the library may write or keep: a struct it only reads during the call (a
  // decoder's `const lzma_mt *` options) is copied per call like any other input; one it
  // writes later (zlib's `gz_header`, filled during inflate) or keeps needs the state's life.
  for (const auto& pp : fp.params)
    for (const auto& v : pp.variants)
      if (v.elem == ElemWire::Struct && (v.ann.direction != Direction::In || !v.ann.retain.empty()))
        return "parameter " + pp.name + " points to " + v.struct_name +
               ", a struct holding pointers passed beside stream state " + state->name +
               ": the library may keep it with the state for later calls, which a per-call copy "
               "cannot serve";
  return "";
}

std::string plan_state_struct(const TypeModel& types, const spec::Type& t, StatePlan& out) {
  out = StatePlan{};
  out.type = t.name;
  int outputs = 0;
  for (const auto& f : t.fields) {
    bool pointer = types.is_pointer(f.type) && !types.handle(*types.resolve(f.type));
    if (!pointer) {
      // A value member travels as bytes: it must not hide a pointer itself.
      if (std::string blocker = types.flat_copy_blocker(types.resolve(f.type)); !blocker.empty())
        return "state struct " + t.name + ": member " + f.name +
               " cannot travel as bytes: " + blocker;
      continue;
    }
    if (types.resolve(f.type)->kind == CType::Kind::Array)
      return "state struct " + t.name + ": member " + f.name + " is an array of pointers";
    StateMember m;
    m.name = f.name;
    const spec::Annotation& a = f.ann;
    bool cursor = a.kind == Kind::Buffer && !a.size.empty() && !types.function_pointer(f.type) &&
                  a.direction != Direction::InOut && (!a.element || a.element->kind == Kind::Value);
    if (cursor) {
      CTypePtr pointee = types.pointee(f.type);
      if (pointee &&
          (pointee->is_pointer_like() || types.struct_type(*pointee) || types.handle(*pointee)))
        cursor = false;  // a cursor walks over plain bytes or numbers
    }
    if (cursor) {
      std::string why;
      m.count = cursor_count(t, f, why);
      if (!why.empty()) return why;
      if (a.size_unit == spec::SizeUnit::Bytes)
        m.count = "(" + m.count + ") / remora::elem_size_v<decltype(rm_st->" + f.name + ")>";
      m.role = a.direction == Direction::Out ? StateMember::Role::CursorOut
                                             : StateMember::Role::CursorIn;
      if (m.role == StateMember::Role::CursorOut && ++outputs > 1)
        return "state struct " + t.name + " has more than one output cursor";
    } else if (a.kind == Kind::Opaque) {
      m.role = StateMember::Role::Library;
    } else if (is_allocator(types, f)) {
      m.role = StateMember::Role::Allocator;
    } else if (a.kind == Kind::String && a.direction != Direction::In &&
               !types.function_pointer(f.type)) {
      // The library sets it (an error message) and the program only reads it: the
      // program's value, often never initialised (CPython's zlib), is not the library's input.
      m.role = StateMember::Role::LibraryString;
    } else {
      m.role = StateMember::Role::NullOnly;
    }
    out.members.push_back(std::move(m));
  }
  // The user data of allocation callbacks goes with them (zlib's `opaque`).
  bool allocators = false;
  for (const auto& m : out.members) allocators |= m.role == StateMember::Role::Allocator;
  if (allocators)
    for (auto& m : out.members) {
      const spec::StructField* f = t.find_field(m.name);
      if (m.role == StateMember::Role::NullOnly && f && f->ann.kind == Kind::Userdata)
        m.role = StateMember::Role::Allocator;
    }
  return "";
}

}  // namespace remora::codegen
