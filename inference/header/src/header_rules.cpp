// The spec skeleton from a parsed header, and the driver that runs every
// header rule family over it.
#include "remora/inference/header_rules.h"

#include "callback_args.h"
#include "optional_handles.h"
#include "rules_internal.h"
#include "queued_work.h"
#include "stream_bound_arrays.h"
#include "struct_rules.h"
#include "terminated_arrays.h"

namespace remora::inference {

namespace {

std::string handle_type_of(const TypeInfo& t) { return t.is_handle ? t.typedef_name : ""; }

// How generated code spells what a pointer points to. libclang spells the pointee of
// `typedef enum { ... } flags_t, *flags_ptr;` as "enum flags_t", which C++ refuses (the
// enum has no tag; flags_t is a typedef): the typed model knows it is tagless.
std::string pointee_spelling(const TypeInfo& pointee, const spec::CType& pointer) {
  const spec::CType* to = spec::pointee_of(pointer);
  if (!to || to->kind == spec::CTypeKind::Typedef) return pointee.spelling;
  const bool tagless = (to->kind == spec::CTypeKind::Enum || to->kind == spec::CTypeKind::Record) && to->tagless;
  return tagless ? spec::declare(*to) : pointee.spelling;
}

// Structural facts of a pointee: what codegen needs whatever the evidence says.
spec::Annotation element_template(const TypeInfo& pointee) {
  spec::Annotation element;
  element.pointee = pointee.spelling;
  if (pointee.is_handle) {
    element.kind = spec::Kind::Handle;
    element.handle_type = pointee.typedef_name;
  } else if (pointee.shape == TypeShape::Pointer && pointee.pointee) {
    element.kind = is_text_unit(*pointee.pointee) ? spec::Kind::String : spec::Kind::Opaque;
    element.pointee = pointee.pointee->spelling;
  }
  return element;
}

spec::ReturnValue return_skeleton(const TypeInfo& t, const spec::CType& ctype) {
  spec::ReturnValue ret;
  ret.type = t.spelling;
  if (t.is_handle) {
    ret.ann.kind = spec::Kind::Handle;
    ret.ann.handle_type = t.typedef_name;
  } else if (t.is_pointer() && t.pointee) {
    ret.ann.direction = spec::Direction::Out;
    ret.ann.pointee = pointee_spelling(*t.pointee, ctype);
    if (is_text_unit(*t.pointee)) ret.ann.kind = spec::Kind::String;
    else if (t.pointee->shape == TypeShape::Void) ret.ann.kind = spec::Kind::Opaque;
    else ret.ann.kind = spec::Kind::Element;
  }
  return ret;
}

}  // namespace

spec::Param param_skeleton(const ParsedParam& p) {
  spec::Param param;
  param.name = p.name;
  param.type = p.type.spelling;
  const TypeInfo& t = p.type;
  if (t.is_handle) {
    param.ann.kind = spec::Kind::Handle;
    param.ann.handle_type = t.typedef_name;
  } else if (t.is_function_pointer()) {
    param.ann.kind = spec::Kind::Callback;
    param.ann.pointee = t.function_signature;
  } else if (t.is_pointer() && t.pointee) {
    param.ann.pointee = pointee_spelling(*t.pointee, p.ctype);
    param.ann.handle_type = handle_type_of(*t.pointee);
    if (t.pointee->is_handle || t.pointee->shape == TypeShape::Pointer)
      param.ann.element = spec::Box<spec::Annotation>(element_template(*t.pointee));
  }
  return param;
}

spec::Spec spec_skeleton(const ParsedHeader& header) {
  spec::Spec spec;
  spec.types = types_from_header(header);
  for (const ParsedFunction& pf : header.functions) {
    spec::Function f;
    f.name = pf.name;
    f.symbol = pf.symbol;
    f.location = pf.file + ":" + std::to_string(pf.line);
    f.variadic = pf.variadic;
    f.cxx_linkage = pf.cxx_linkage;
    f.noreturn = pf.noreturn;
    f.ret = return_skeleton(pf.ret, pf.ret_ctype);
    for (const ParsedParam& p : pf.params) f.params.push_back(param_skeleton(p));
    spec.functions.push_back(std::move(f));
  }
  add_record_types(spec, header);
  return spec;
}

void add_header_evidence(spec::Spec& spec, const ParsedHeader& header) {
  const StreamBindings bindings = find_stream_bindings(header);
  const std::set<std::string> work_queues = find_work_queue_types(header);
  for (const ParsedFunction& pf : header.functions) {
    spec::Function* f = spec.find_function(pf.name);
    if (!f || f->params.size() != pf.params.size()) continue;
    FunctionContext context = make_context(header, pf);
    context.stream_bound = &bindings;
    context.work_queues = &work_queues;
    for (std::size_t i = 0; i < pf.params.size(); ++i) add_param_evidence(context, i, f->params[i]);
    add_function_evidence(context, *f);
    add_queued_work_evidence(context, *f);
    add_transfer_rules(context, *f);
    add_returned_data_evidence(context, *f);
    add_failure_value_evidence(context, *f);
    for (std::size_t i = 0; i < pf.params.size(); ++i) add_null_terminated_evidence(pf, i, f->params[i]);
  }
  add_optional_handle_evidence(spec, header);
  add_field_evidence(spec, header);
  add_terminated_array_evidence(spec, header);
  add_callback_arg_evidence(spec, header);
}

}  // namespace remora::inference
