// Builds the marshalling plan from the spec: general rules over annotations and
// types only (never per-function knowledge).
#include "plan.h"

#include "c_type.h"
#include "checked_size.h"
#include "plan_state.h"
#include "remora/spec/c_names.h"
#include "remora/spec/ctype.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace remora::codegen {

using spec::Annotation;
using spec::Direction;
using spec::Kind;
using spec::SizeExpr;

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

namespace {

// Why a call that allocates memory for the program to use is refused (`void
// *sqlite3_malloc(int)`, `clSVMAlloc`, `png_malloc`): its address is the server's.
constexpr const char* kAllocatedForProgram =
    "returns memory it allocates for the program to fill and use in place, an address in the server the "
    "program would write through in its own memory; refused (the program gets NULL)";

// A pointer (at any depth, through typedefs) to volatile-qualified memory.
bool points_to_volatile(const spec::CType& t) {
  for (const spec::CType* layer = &spec::bare(t); layer && !layer->empty();) {
    if (layer->kind != spec::CTypeKind::Pointer && layer->kind != spec::CTypeKind::Array) return false;
    if (!layer->to) return false;
    const spec::CType& to = *layer->to;
    if (to.is_volatile || spec::strip_typedefs(to).is_volatile) return true;
    layer = &spec::bare(to);
  }
  return false;
}

// Whether a handle parameter takes one more reference to its object (clRetainMemObject's
// memobj): evidence that the call neither creates nor releases the object it names is
// what a "Retains/Increments the reference count of ..." page says (the docs' lifecycle
// rule, which also drops a name-based release claim on such a page). The worker counts
// these references, so the last release, not the first, makes the handle unknown.
bool claims_a_reference(const spec::Param& p) {
  for (const auto& e : p.evidence)
    if (e.says.allocates == std::optional<bool>(false) && e.says.deallocates == std::optional<bool>(false)) return true;
  return false;
}

// A `when.if` / `async_if` predicate as generated C: parsed and re-emitted from
// the tree (a spec is input, not code), "" with `why` set when it is not a
// predicate. The names it uses are the call's own parameters and API constants.
// `parse` and `custom` serve an `in_order` predicate (parse_creation_predicate, and
// its property() nodes emitted by the caller).
std::string predicate_c(const std::string& text, std::string& why,
                        spec::SizeExprParse (*parse)(std::string_view) = spec::parse_predicate,
                        const std::function<std::string(const spec::SizeExpr&)>& custom = {}) {
  spec::SizeExprParse parsed = parse(text);
  if (!parsed) {
    why = "\"" + text + "\" is not a predicate: " + parsed.error->message;
    return "";
  }
  std::string c = checked_size_c(*parsed.expr, {}, {}, custom);
  // Every use wraps it in parentheses already: drop the outermost pair of a comparison.
  using Op = spec::SizeExpr::Op;
  auto op = parsed.expr->op;
  if (op == Op::Compare || op == Op::Logical || op == Op::Not) c = c.substr(1, c.size() - 2);
  return c;
}

// Removes cv-qualifiers and collapses whitespace: "const  char * const" -> "char *".
std::string strip_cv(const std::string& t) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word != "const" && word != "volatile" && word != "restrict" && word != "__restrict") {
      if (!out.empty() && out.back() != '*') out += ' ';
      out += word;
    }
    word.clear();
  };
  for (char c : t) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else {
      flush();
      if (c == '*') out += out.empty() || out.back() == '*' ? "*" : " *";
    }
  }
  flush();
  return out;
}

std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= 0xff;
  h *= 1099511628211ull;
  return h;
}

void split_top_level(const std::string& s, std::vector<std::string>& out) {
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty()) out.push_back(trim(cur));
}

// "void (const char *, void *)" / "void (CL_CALLBACK *)(cl_program, void *)".
bool parse_signature(const std::string& text, std::string& ret, std::vector<std::string>& args) {
  std::string s = trim(text);
  if (s.empty() || s.back() != ')') return false;
  int depth = 0;
  std::size_t open = std::string::npos;
  for (std::size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') ++depth;
    if (s[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  auto first = s.find('(');
  if (open == std::string::npos || first == std::string::npos) return false;
  ret = trim(s.substr(0, first));
  if (ret.empty()) return false;
  std::string inner = s.substr(open + 1, s.size() - open - 2);
  args.clear();
  split_top_level(inner, args);
  if (args.size() == 1 && strip_cv(args[0]) == "void") args.clear();
  // Drop parameter names: keep only the type spelling ("const char *errinfo" -> "const char *").
  for (auto& a : args) {
    std::string t = trim(a);
    std::size_t e = t.size();
    std::size_t b = e;
    while (b > 0 && (std::isalnum(static_cast<unsigned char>(t[b - 1])) || t[b - 1] == '_')) --b;
    std::string before = trim(t.substr(0, b));
    if (b < e && !before.empty() && before != "const" && before != "unsigned" && before != "signed" &&
        before != "struct" && before != "enum" && before != "long" && before != "short")
      t = before;
    a = t;
  }
  return true;
}

class Planner {
 public:
  explicit Planner(const spec::Spec& s)
      : spec_(s),
        types_(s),
        structs_(
            s, [this](const std::string& n) { return handle_index(n); },
            [this](const spec::StructField& f, std::string& why) { return callback_of(f.ann, f.type, why); }) {
    plan_.spec = &s;
  }

  StackPlan run() {
    for (const auto& t : spec_.types)
      if (t.kind == spec::TypeKind::Handle) handle_index(t.name);
    std::uint32_t id = 0;
    std::uint64_t fp = 1469598103934665603ull;
    for (const auto& f : spec_.functions) {
      FunctionPlan fpn = plan_function(f, id++);
      fp = fnv1a(fp, f.name + "|" + f.ret.type + "|" + (fpn.supported ? "1" : "0"));
      // Calls without a reply and guest-assigned handles change what travels.
      fp = fnv1a(fp, std::string(fpn.can_be_async ? "a" : "s") + (fpn.defer_reply ? "d" : "") +
                         (fpn.cache_condition.empty() ? "" : "c") +
                         (fpn.prefetch_siblings ? "p" : "") + (fpn.chunk ? "k" : ""));
      for (const auto& pp : fpn.params) {
        if (pp.guest_assigned) fp = fnv1a(fp, "g" + pp.name);
        // A single-value output travels both ways (the program's bytes, then the result).
        for (const auto& v : pp.variants)
          if (v.seeded()) fp = fnv1a(fp, "o" + pp.name);
      }
      for (const auto& p : f.params)
        fp = fnv1a(fp, p.type + "|" + std::string(spec::to_string(p.ann.kind)) + "|" +
                           std::string(spec::to_string(p.ann.direction)) + "|" + p.ann.size + "|" +
                           std::string(spec::to_string(p.ann.size_unit)) + "|" + std::to_string(p.when.size()));
      plan_.functions.push_back(std::move(fpn));
    }
    structs_.finish();
    // The deep-copied structs are part of the wire format too.
    for (const auto& st : structs_.structs) {
      std::string d = st.type->name + "|" + st.failed + "|" + st.tag_value;
      for (const auto& f : st.fields)
        d += "|" + f.name + ":" + std::to_string(static_cast<int>(f.wire)) + ":" + f.count + ":" + f.esize + ":" +
             std::to_string(f.target) + ":" + std::to_string(f.extent) + ":" + std::to_string(f.signature) + ":" +
             f.userdata;
      fp = fnv1a(fp, d);
    }
    // Callback signatures (and whether the guest answers with a value) too.
    for (const auto& cb : plan_.callbacks) {
      std::string kinds;
      for (auto k : cb.kinds) kinds += static_cast<char>('a' + static_cast<int>(k));
      fp = fnv1a(fp, "callback|" + cb.text + (cb.returns_value ? "|r" : "") + "|" + kinds);
    }
    // The roles of state members shape the wire format too.
    for (const auto& st : plan_.states) {
      fp = fnv1a(fp, "state|" + st.type);
      for (const auto& m : st.members) fp = fnv1a(fp, m.name + "|" + std::to_string(static_cast<int>(m.role)) + "|" + m.count);
    }
    plan_.fingerprint = fp;
    plan_.structs = std::move(structs_.structs);
    plan_.chain_members = std::move(structs_.chain_members);
    find_releasers();
    find_held_user_data();
    finish_callback_signatures();
    find_handle_classes();
    find_waitable_types();
    find_state_ends();
    return std::move(plan_);
  }

 private:
  const spec::Type* find_type(const std::string& name) const { return spec_.find_type(name); }

  bool is_handle_type(const std::string& name) const { return types_.handle(*parse_c_type(name)) != nullptr; }
  // The spelling of a resolved type without its top-level const (a declarable element type).
  static std::string unqualified(const CTypePtr& t) {
    CType c = *t;
    c.is_const = false;
    return spell(c);
  }
  // The pointee of a pointer parameter: the annotation's `pointee` when it names one
  // (a `void *` holding structs), else the declared type with one level removed.
  CTypePtr pointee_type(const spec::Param& p, const Annotation& a) const {
    if (!a.pointee.empty()) return types_.resolve(a.pointee);
    CTypePtr t = types_.pointee(p.type);
    return t ? t : types_.resolve(p.type);
  }
  bool is_status_type(const spec::Type* t) const {
    return t && (t->kind == spec::TypeKind::Status || !t->success.empty());
  }

  // The index of a state struct in plan_.states (planned once); -1 and why when it cannot be kept.
  int state_index(const spec::Type& t, std::string& why) {
    auto it = state_index_.find(t.name);
    if (it != state_index_.end()) {
      why = state_why_[t.name];
      return it->second;
    }
    StatePlan sp;
    why = plan_state_struct(types_, t, sp);
    int idx = -1;
    if (why.empty()) {
      idx = static_cast<int>(plan_.states.size());
      plan_.states.push_back(std::move(sp));
    }
    state_index_[t.name] = idx;
    state_why_[t.name] = why;
    return idx;
  }

  // The function that ends each state (one parameter, the state, deallocates): the
  // worker calls it for every state a guest leaves behind.
  void find_state_ends() {
    for (const auto& fp : plan_.functions) {
      if (!fp.supported || fp.params.size() != 1) continue;
      const ParamPlan& pp = fp.params[0];
      if (pp.scalar != ScalarWire::State || !pp.deallocates || pp.state < 0) continue;
      std::string& end = plan_.states[static_cast<std::size_t>(pp.state)].end_function;
      if (end.empty()) end = fp.fn->name;
    }
  }

  int handle_index(const std::string& name) {
    auto it = plan_.handle_type_index.find(name);
    if (it != plan_.handle_type_index.end()) return it->second;
    int i = static_cast<int>(plan_.handle_types.size());
    plan_.handle_types.push_back(name);
    plan_.handle_type_index[name] = i;
    return i;
  }

  // Which handle types name the same kind of object: those whose parameters' C types are
  // the same pointer to a struct the header never defines (is_opaque_handle). A type seen
  // only otherwise (`void *`, an integer handle) has no class: never checked. A spec written
  // before the typed model (no `ctype` at all) tells kinds apart by the handle type's name.
  void find_handle_classes() {
    std::vector<std::string> key(plan_.handle_types.size());
    std::vector<bool> typed(plan_.handle_types.size(), false);
    for (const auto& fp : plan_.functions)
      for (const auto& pp : fp.params) {
        if (pp.scalar != ScalarWire::Handle || pp.handle_type_index < 0 || !pp.param) continue;
        const auto i = static_cast<std::size_t>(pp.handle_type_index);
        if (pp.param->ctype.empty() || typed[i]) continue;
        typed[i] = true;
        if (spec::is_opaque_handle(pp.param->ctype)) {
          spec::CType bare = spec::strip_typedefs(pp.param->ctype);
          bare.is_const = bare.is_volatile = false;
          key[i] = spec::declare(bare);
        }
      }
    // (Only then: in a typed spec, a type never seen as a parameter stays unchecked, since
    // its name could be another spelling of a typed kind.)
    const bool untyped_spec = std::none_of(typed.begin(), typed.end(), [](bool t) { return t; });
    for (std::size_t i = 0; untyped_spec && i < key.size(); ++i)
      if (spec::is_c_identifier(plan_.handle_types[i]) && plan_.handle_types[i] != "void")
        key[i] = "named " + plan_.handle_types[i];
    plan_.handle_classes.assign(plan_.handle_types.size(), -1);
    for (std::size_t i = 0; i < key.size(); ++i) {
      if (key[i].empty()) continue;
      plan_.handle_classes[i] = static_cast<int>(i);
      for (std::size_t j = 0; j < i; ++j)
        if (key[j] == key[i]) {
          plan_.handle_classes[i] = plan_.handle_classes[j];
          break;
        }
    }
  }

  // The handle types a `barrier` function takes (clFinish's queue, clWaitForEvents's
  // events, a stream): work queued on such an object may still run after its call
  // returns, so the server keeps what a released object kept until a barrier names it
  // (runtime/remora_queued_work.h). Work on any other type (a kernel's argument, a create
  // in a context) cannot be waited for: it is done when the call returns.
  void find_waitable_types() {
    plan_.waitable_types.assign(plan_.handle_types.size(), 0);
    auto mark = [&](int i) {
      if (i >= 0 && static_cast<std::size_t>(i) < plan_.waitable_types.size())
        plan_.waitable_types[static_cast<std::size_t>(i)] = 1;
    };
    for (const auto& fp : plan_.functions) {
      if (!fp.fn || !fp.fn->barrier) continue;
      for (const auto& pp : fp.params) {
        if (pp.scalar == ScalarWire::Handle) mark(pp.handle_type_index);
        for (const auto& v : pp.variants)
          if (v.elem == ElemWire::Handle) mark(v.handle_type_index);
      }
    }
  }

  // Callbacks registered without a user-data parameter whose signature passes one
  // (expat's XML_SetStartElementHandler(parser, handler), handler(void *userData, ...)):
  // the user data is what a setter gave the handle they are registered on: the API's one
  // function that takes a handle of that type and a user data, nothing else
  // (XML_SetUserData(parser, userData)), or of several such, the one whose name says "user"
  // (not XML_SetExternalEntityRefHandlerArg, the data of one handler). The handle then
  // holds a record of the guest's functions (codegen/README.md, Callbacks).
  void find_held_user_data() {
    plan_.held_setters.assign(plan_.handle_types.size(), "");
    std::vector<int> setters(plan_.handle_types.size(), 0), user_named(plan_.handle_types.size(), 0);
    std::vector<FunctionPlan*> setter_of(plan_.handle_types.size(), nullptr);
    std::vector<FunctionPlan*> user_named_of(plan_.handle_types.size(), nullptr);
    for (auto& fp : plan_.functions) {
      if (!fp.supported || fp.params.size() != 2) continue;
      const ParamPlan& h = fp.params[0];
      const ParamPlan& u = fp.params[1];
      if (h.scalar != ScalarWire::Handle || h.handle_type_index < 0 || h.deallocates) continue;
      if (u.scalar != ScalarWire::Userdata || u.callback_param >= 0) continue;
      const auto type = static_cast<std::size_t>(h.handle_type_index);
      ++setters[type];
      setter_of[type] = &fp;
      std::string lower = fp.fn->name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.find("user") != std::string::npos) {
        ++user_named[type];
        user_named_of[type] = &fp;
      }
    }
    for (std::size_t type = 0; type < setters.size(); ++type)
      if (setters[type] > 1 && user_named[type] == 1) {
        setters[type] = 1;
        setter_of[type] = user_named_of[type];
      }
    int slots = 0;
    for (auto& fp : plan_.functions) {
      if (!fp.supported) continue;
      int handle = -1, handles = 0;
      for (std::size_t i = 0; i < fp.params.size(); ++i)
        if (fp.params[i].scalar == ScalarWire::Handle) {
          handle = static_cast<int>(i);
          ++handles;
        }
      if (handles != 1) continue;
      const int type = fp.params[static_cast<std::size_t>(handle)].handle_type_index;
      if (type < 0 || setters[static_cast<std::size_t>(type)] != 1) continue;
      for (auto& pp : fp.params) {
        if (pp.scalar != ScalarWire::Callback || !pp.sentinel_only || pp.callback_signature < 0) continue;
        if (plan_.callbacks[static_cast<std::size_t>(pp.callback_signature)].userdata_arg < 0) continue;
        pp.sentinel_only = false;
        pp.held_slot = slots++;
        pp.held_by = handle;
        pp.handle_type_index_held = type;
        FunctionPlan& setter = *setter_of[static_cast<std::size_t>(type)];
        setter.params[1].holds_user_data = true;
        plan_.held_setters[static_cast<std::size_t>(type)] = setter.fn->name;
      }
    }
  }

  // Once every function is planned: the getters callbacks take their user data from
  // (find_user_data_getter) return the stack's record where the program gave its user data,
  // so their results are translated; and the objects callbacks are shown get the handle
  // type of the parameters spelled as they are, so the worker checks their kind when the
  // program passes them on.
  void finish_callback_signatures() {
    for (auto& sig : plan_.callbacks) {
      for (auto& fp : plan_.functions)
        if (fp.supported && fp.fn->name == sig.userdata_getter && fp.ret == ReturnWire::Opaque) fp.ret_user_data = true;
      sig.handle_type.assign(sig.args.size(), -1);
      for (std::size_t i = 0; i < sig.args.size(); ++i) {
        using A = CallbackSignature::Arg;
        if (sig.kinds[i] != A::Handle && sig.kinds[i] != A::HandleArray) continue;
        // An array's elements are the handles.
        const std::string object =
            object_named(sig.kinds[i] == A::HandleArray ? unqualified(types_.pointee(sig.args[i])) : sig.args[i]);
        for (const auto& fp : plan_.functions)
          for (const auto& pp : fp.params)
            if (sig.handle_type[i] < 0 && pp.scalar == ScalarWire::Handle && pp.handle_type_index >= 0 &&
                object_named(pp.param->type) == object)
              sig.handle_type[i] = pp.handle_type_index;
      }
    }
  }

  void find_releasers() {
    plan_.releasers.assign(plan_.handle_types.size(), "");
    plan_.releaser_by_pointer.assign(plan_.handle_types.size(), false);
    for (const auto& fp : plan_.functions) {
      if (!fp.supported || fp.params.size() != 1) continue;
      const ParamPlan& p = fp.params[0];
      bool by_value = p.scalar == ScalarWire::Handle && p.deallocates && p.handle_type_index >= 0;
      bool by_pointer = releases_through_pointer(p);
      int type = by_value ? p.handle_type_index : by_pointer ? p.variants.back().handle_type_index : -1;
      if (type < 0 || !plan_.releasers[type].empty()) continue;
      plan_.releasers[type] = fp.fn->name;
      plan_.releaser_by_pointer[type] = by_pointer;
    }
  }

  // The callback signature of a function-pointer parameter or struct member: spelled by
  // its annotation's pointee, its type, or the function type behind its typedef.
  int callback_of(const spec::Annotation& a, const std::string& type, std::string& why) {
    std::string text = a.pointee;
    if (text.find('(') == std::string::npos) text = type;
    if (text.find('(') == std::string::npos)
      if (CTypePtr fn = types_.function_pointer(type)) text = spell(*fn);
    return callback_signature(text, annotated_callback_type(type), why);
  }

  // A nullable input pointer to a struct of allocation callbacks (plan_state.h): the
  // library may be given NULL, its default allocator.
  bool allocation_suite_of(const spec::Param& p) const {
    if (!p.ann.nullable || p.ann.direction != Direction::In || !p.when.empty()) return false;
    if (p.ann.kind != Kind::Element && p.ann.kind != Kind::Buffer) return false;
    CTypePtr to = types_.pointee(p.type);
    const spec::Type* st = to ? types_.struct_type(*to) : nullptr;
    return st && types_.pointer_depth(p.type) == 1 && is_allocation_suite(types_, *st);
  }

  // The callback type a parameter or member is spelled with, when the spec annotates its
  // arguments (read from the typedef's parameter names and comment).
  const spec::Type* annotated_callback_type(const std::string& type) const {
    const spec::Type* t = spec_.find_type(trim(type));
    return t && t->kind == spec::TypeKind::Callback && !t->fields.empty() ? t : nullptr;
  }

  int callback_signature(const std::string& text, const spec::Type* annotated, std::string& why) {
    // Two callback types of one signature may pass different things (text and its length,
    // or a name and a number): each annotated type is its own signature.
    const std::string type_name = annotated ? annotated->name : "";
    for (std::size_t i = 0; i < plan_.callbacks.size(); ++i)
      if (plan_.callbacks[i].text == text && plan_.callbacks[i].type_name == type_name) return static_cast<int>(i);
    CallbackSignature sig;
    sig.text = text;
    sig.type_name = type_name;
    if (!parse_signature(text, sig.ret, sig.args)) {
      why = "callback signature '" + text + "' cannot be parsed";
      return -1;
    }
    // A printf-style callback (libxml2's `void (*)(void *ctx, const char *msg, ...)`): the
    // library passes arguments past `...` that no signature describes.
    if (std::find(sig.args.begin(), sig.args.end(), "...") != sig.args.end()) {
      why = "callback signature '" + text + "' is variadic: the arguments after '...' cannot be marshalled";
      return -1;
    }
    // A returned value comes back from the guest by value: a pointer would be a guest
    // address, a struct with pointers would carry guest addresses.
    if (CTypePtr r = types_.resolve(sig.ret); !r->is_void()) {
      if (r->is_pointer_like() || r->kind == CType::Kind::Function || types_.handle(*r)) {
        why = "callbacks returning a pointer or handle are not remoted ('" + text + "')";
        return -1;
      }
      if (std::string why_flat = types_.flat_copy_blocker(r); !why_flat.empty()) {
        why = "callback signature '" + text + "' returns a struct that cannot be copied as bytes: " + why_flat;
        return -1;
      }
      sig.returns_value = true;
    }
    auto is_void_pointer = [&](const std::string& t) {
      CTypePtr p = types_.pointee(t);
      return p && p->is_void() && types_.pointer_depth(t) == 1;
    };
    // The user data is the `void *` argument (a `const void *` one is data the API shows the
    // callback, OpenCL's private_info); two writable ones (`void (*)(void *pUserData, void
    // *pMemory)`) leave it ambiguous, so the record could land in the wrong one.
    int writable = 0;
    for (std::size_t i = 0; i < sig.args.size(); ++i)
      if (is_void_pointer(sig.args[i]) && !types_.pointee(sig.args[i])->is_const) {
        sig.userdata_arg = static_cast<int>(i);
        ++writable;
      }
    if (writable == 0)
      for (std::size_t i = 0; i < sig.args.size(); ++i)
        if (is_void_pointer(sig.args[i])) sig.userdata_arg = static_cast<int>(i);
    // The arguments as the callback type's annotations say, where they say it.
    const std::vector<spec::StructField>* notes =
        annotated && annotated->fields.size() == sig.args.size() ? &annotated->fields : nullptr;
    if (notes && writable > 1) {
      int named = -1, count = 0;
      for (std::size_t i = 0; i < sig.args.size(); ++i)
        if ((*notes)[i].ann.kind == spec::Kind::Userdata && is_void_pointer(sig.args[i])) {
          named = static_cast<int>(i);
          ++count;
        }
      if (count == 1) {
        sig.userdata_arg = named;
        writable = 1;
      }
    }
    if (writable > 1) {
      why = "callback signature '" + text + "' has several void* arguments: which one is the user data is unknown";
      return -1;
    }
    if (sig.userdata_arg < 0) {
      const std::string getters = find_user_data_getter(sig);
      if (sig.userdata_handle_arg < 0) {
        why = "callback signature '" + text + "' has no void* user-data argument" +
              (getters.empty() ? "" : ", and its handle argument's object has several functions returning a void * (" +
                                          getters + "): which one returns the user data is unknown");
        return -1;
      }
    }
    const int count_arg = callback_count_arg(sig);
    sig.length_arg.assign(sig.args.size(), -1);
    const int length_side = bytes_length_side(sig);
    for (std::size_t i = 0; i < sig.args.size(); ++i) {
      CTypePtr a = types_.resolve(sig.args[i]);
      using A = CallbackSignature::Arg;
      const std::size_t length_at = i + static_cast<std::size_t>(length_side);  // wraps for i = 0, side -1
      const bool sized = length_at < sig.args.size() && static_cast<int>(i) != sig.userdata_arg &&
                         is_byte_pointer(a) && is_count_type(sig.args[length_at]);
      if (sized && !types_.pointee(sig.args[i])->is_const) {
        // `char *buf, int len`: the callback may fill it (a read callback) or read it (a
        // write callback); the header does not say which, and reading it as a string would
        // read past it.
        why = "callback signature '" + text + "' passes a writable buffer (" + sig.args[i] + ") with its length (" +
              sig.args[i + 1] + "): whether the callback fills it or reads it is unknown";
        return -1;
      }
      if (static_cast<int>(i) == sig.userdata_arg) sig.kinds.push_back(A::Userdata);
      else if (int length = notes ? annotated_length(sig, *notes, i) : -1; length >= 0) {
        sig.kinds.push_back(A::Bytes);  // text with its length ("s is not 0 terminated")
        sig.length_arg[i] = length;
      } else if (notes && annotated_null_terminated((*notes)[i], a)) {
        sig.kinds.push_back(A::StringList);
      } else if (sized) {
        sig.kinds.push_back(A::Bytes);
        sig.length_arg[i] = static_cast<int>(length_at);
      }
      else if (types_.handle(*a) || spelled_as_handle_params(sig.args[i])) sig.kinds.push_back(A::Handle);
      else if (is_handle_array(sig.args[i]) && count_arg >= 0) {
        sig.kinds.push_back(A::HandleArray);
        sig.count_arg = count_arg;
      }
      else if (types_.is_char_pointer(a)) sig.kinds.push_back(A::String);
      else if (is_string_array(a) && count_arg >= 0) {
        sig.kinds.push_back(A::StringArray);
        sig.count_arg = count_arg;
      }
      else if (CTypePtr to = a->is_pointer_like() ? types_.resolve(a->inner) : nullptr; to && !to->is_void()) {
        // The program's function would read or write through it (a struct, an int, a
        // `unsigned char **` it fills): NULL would be a silent wrong answer or a crash.
        const bool record = types_.struct_type(*to) || (to->kind == CType::Kind::Named && !to->tag.empty() && to->tag != "enum");
        why = "callback signature '" + text + "' passes a pointer to " + (record ? "a struct (" : "data (") + spell(*to) +
              "), which is not copied to the guest";
        return -1;
      } else if (is_byte_pointer(a)) {
        // Data the library shows the callback with no length beside it: NULL would be a
        // silent wrong answer, and its size is unknown.
        why = "callback signature '" + text + "' passes data (" + sig.args[i] + ") without a length beside it";
        return -1;
      } else if (a->is_pointer_like() || a->kind == CType::Kind::Function) sig.kinds.push_back(A::Null);
      else if (std::string why_flat = types_.flat_copy_blocker(a); !why_flat.empty()) {
        why = "callback signature '" + text + "' passes a struct that cannot be copied as bytes: " + why_flat;
        return -1;
      } else sig.kinds.push_back(A::Value);
    }
    plan_.callbacks.push_back(sig);
    return static_cast<int>(plan_.callbacks.size() - 1);
  }

  // A signature without a `void *` user data may still carry one: a handle argument whose
  // object hands it out through the API's one function that takes only such a handle and
  // returns a writable `void *` (`void *sqlite3_user_data(sqlite3_context *)` for
  // `xFunc(sqlite3_context *, int, sqlite3_value **)`): the library returns from it what the
  // registering call was given as user data. Sets userdata_handle_arg and the getter; with
  // several such functions (libpng's png_get_io_ptr, png_get_error_ptr, ...) which one is
  // meant is unknown: returns their names and sets nothing.
  std::string find_user_data_getter(CallbackSignature& sig) {
    std::string ambiguous;
    for (std::size_t i = 0; i < sig.args.size(); ++i) {
      const std::string object = object_named(sig.args[i]);
      if (object.empty()) continue;
      std::vector<std::string> getters;
      for (const auto& f : spec_.functions) {
        if (!f.supported || f.params.size() != 1 || f.params[0].ann.kind != Kind::Handle) continue;
        if (f.ret.ann.kind != Kind::Opaque && f.ret.ann.kind != Kind::Userdata) continue;
        CTypePtr r = types_.pointee(f.ret.type.empty() ? "void" : f.ret.type);
        if (!r || !r->is_void() || r->is_const || types_.pointer_depth(f.ret.type) != 1) continue;
        if (object_named(f.params[0].type) == object) getters.push_back(f.name);
      }
      if (getters.size() == 1) {
        sig.userdata_handle_arg = static_cast<int>(i);
        sig.userdata_getter = getters[0];
        return "";
      }
      for (const auto& g : getters) ambiguous += (ambiguous.empty() ? "" : ", ") + g;
    }
    return ambiguous;
  }
  // The object a handle spelling names, whatever typedef or const it is spelled with
  // (`png_structp`, `png_const_structrp`); "" for what is not a handle.
  std::string object_named(const std::string& spelling) {
    CTypePtr t = types_.resolve(spelling);
    CTypePtr to;
    if (const spec::Type* h = types_.handle(*t)) {
      // Handle typedefs of one struct (`png_structp`, `png_const_structrp`) name one object.
      to = types_.pointee(h->underlying);
      if (!to || to->is_void()) return h->name;  // `void *` handles name no one kind of object
    } else {
      if (!spelled_as_handle_params(spelling)) return "";
      to = types_.pointee(spelling);
      if (!to) return "";
    }
    return "*" + unqualified(to);
  }
  // A pointer to the API's handles (`sqlite3_value **`).
  bool is_handle_array(const std::string& arg) {
    CTypePtr to = types_.pointee(arg);
    if (!to || !to->is_pointer_like() || to->kind == CType::Kind::Function) return false;
    return types_.handle(*to) || spelled_as_handle_params(unqualified(to));
  }

  // A callback argument spelled as the API's handle parameters are (`sqlite3 *`, a pointer
  // to a struct the header never defines, whose type the spec calls a handle where
  // functions take it): the library passes an object the guest knows by its id.
  bool spelled_as_handle_params(const std::string& arg) {
    if (handle_spellings_.empty()) {
      handle_spellings_.insert("");  // built once, even when the API has none
      for (const auto& f : spec_.functions)
        for (const auto& p : f.params)
          if (p.ann.kind == Kind::Handle && types_.is_pointer(p.type) && types_.pointee(p.type) &&
              types_.pointee(p.type)->kind == CType::Kind::Named && !types_.pointee(p.type)->is_void() &&
              !types_.is_char_pointer(types_.resolve(p.type)))  // `void *` handles name no kind of object
            handle_spellings_.insert(without_const(p.type));
    }
    return handle_spellings_.count(without_const(arg)) > 0;
  }
  static std::string without_const(std::string t) {
    t = trim(t);
    if (t.rfind("const ", 0) == 0) t = trim(t.substr(6));
    return t;
  }

  // Which integer sizes a byte pointer of a signature without names: the one after it
  // (`const void *data, size_t size`: +1), unless that leaves one of them unsized where the
  // one before it sizes them all (SQLite's collation `int (void *, int, const void *, int,
  // const void *)`: -1; read after, the first would take the second's length and the second
  // would reach the program as NULL).
  int bytes_length_side(const CallbackSignature& sig) const {
    auto sizes_all = [&](int side) {
      for (std::size_t i = 0; i < sig.args.size(); ++i) {
        if (static_cast<int>(i) == sig.userdata_arg || !is_byte_pointer(types_.resolve(sig.args[i]))) continue;
        const std::size_t at = i + static_cast<std::size_t>(side);
        if (at >= sig.args.size() || !is_count_type(sig.args[at])) return false;
      }
      return true;
    };
    return !sizes_all(+1) && sizes_all(-1) ? -1 : +1;
  }

  // An argument annotated as a constant buffer the library passes, sized by one integer
  // argument of the signature (`const XML_Char *s, int len`): that argument's index.
  int annotated_length(const CallbackSignature& sig, const std::vector<spec::StructField>& notes,
                       std::size_t i) const {
    const spec::Annotation& note = notes[i].ann;
    if (note.kind != spec::Kind::Buffer || note.direction != spec::Direction::In || note.size.empty()) return -1;
    // Bytes or text (the annotation, not the type, says it has a length), constant: a
    // writable one may be filled.
    CTypePtr a = types_.resolve(sig.args[i]);
    if (!is_byte_pointer(a) && !types_.is_char_pointer(a)) return -1;
    CTypePtr spelled_to = types_.pointee(sig.args[i]);
    if (!spelled_to || !spelled_to->is_const) return -1;
    auto parsed = spec::parse_size_expr(note.size);
    if (!parsed || parsed.expr->op != SizeExpr::Op::Param) return -1;
    // Only a length after the text (`s, len`): the server reads that many bytes where the
    // library points, so a count before it (an allocation hook's `num, file`: a size, then
    // a file name) must not size it.
    for (std::size_t j = i + 1; j < sig.args.size(); ++j)
      if (notes[j].name == parsed.expr->name && is_count_type(sig.args[j])) return static_cast<int>(j);
    return -1;
  }

  // An array of strings the docs end with a NULL element: `terminated(p, 0)` on itself.
  bool annotated_null_terminated(const spec::StructField& note, const CTypePtr& a) const {
    if (note.ann.kind != spec::Kind::Buffer || !is_string_array(a)) return false;
    auto parsed = spec::parse_size_expr(note.ann.size);
    return parsed && parsed.expr->op == SizeExpr::Op::Terminated && parsed.expr->name == note.name &&
           parsed.expr->args == std::vector<std::string>{"0"};
  }

  // A pointer to bytes: untyped, or a one-byte integer that is not text (unsigned or signed
  // char, uint8_t). Plain `char` is text: `const char *, int` is as often a name and an
  // unrelated number (SQLite's WAL hook: the database name, the frame count) as text and its
  // length, and a signature carries no parameter names to tell which; it stays a string.
  bool is_byte_pointer(const CTypePtr& a) const {
    if (!a->is_pointer_like() || a->kind == CType::Kind::Function) return false;
    CTypePtr to = types_.resolve(a->inner);
    if (to->is_void()) return true;
    return to->kind == CType::Kind::Named && (to->name == "signed char" || to->name == "unsigned char" ||
                                              to->name == "int8_t" || to->name == "uint8_t");
  }
  bool is_count_type(const std::string& type) const {
    CTypePtr t = types_.resolve(type);
    return t->kind == CType::Kind::Named && !t->is_pointer_like() && kCountTypes.count(t->name) > 0;
  }

  // `char **` / `const char *const *`: an array of strings, when something counts it.
  bool is_string_array(const CTypePtr& a) const {
    if (!a->is_pointer_like() || a->kind == CType::Kind::Function) return false;
    CTypePtr to = types_.resolve(a->inner);
    return to && to->is_pointer_like() && types_.is_char_pointer(to);
  }

  // The argument that counts a callback's string arrays: its only integer argument (the
  // user data aside). With none, or several, which one counts them is unknown and the
  // arrays stay refused: reading a wrong count of pointers would read past the array.
  inline static const std::set<std::string> kCountTypes = {
      "int",      "unsigned int", "unsigned", "long",    "unsigned long", "long long", "unsigned long long",
      "size_t",   "int32_t",      "uint32_t", "int64_t", "uint64_t",      "short",     "unsigned short"};
  int callback_count_arg(const CallbackSignature& sig) const {
    int found = -1;
    for (std::size_t i = 0; i < sig.args.size(); ++i) {
      CTypePtr a = types_.resolve(sig.args[i]);
      if (static_cast<int>(i) == sig.userdata_arg || a->is_pointer_like() || types_.handle(*a)) continue;
      if (a->kind != CType::Kind::Named || !kCountTypes.count(a->name)) continue;
      if (found >= 0) return -1;
      found = static_cast<int>(i);
    }
    return found;
  }

  // ------------------------------------------------------- size expressions

  // Does the expression read the return value or something the call writes?
  bool depends_on_outputs(const SizeExpr& e, const std::set<std::string>& outs) const {
    using Op = SizeExpr::Op;
    if (e.op == Op::Ret) return true;
    if ((e.op == Op::Param || e.op == Op::Terminated) && outs.count(e.name)) return true;
    if (e.a && depends_on_outputs(*e.a, outs)) return true;
    if (e.b && depends_on_outputs(*e.b, outs)) return true;
    return false;
  }

  // The part of the size known before the call: min(x, output-dependent) -> x.
  spec::SizeExprPtr before_call(const spec::SizeExprPtr& e, const std::set<std::string>& outs) const {
    if (!depends_on_outputs(*e, outs)) return e;
    if (e->op == SizeExpr::Op::Min) {
      bool a = depends_on_outputs(*e->a, outs), b = depends_on_outputs(*e->b, outs);
      if (a && !b) return e->b;
      if (b && !a) return e->a;
    }
    return nullptr;
  }

  static void collect_terminated(const SizeExpr& e, std::vector<PointerVariant::TerminatedList>& out) {
    if (e.op == SizeExpr::Op::Terminated) out.push_back({e.name, spec::terminator_predicate_c(e)});
    if (e.a) collect_terminated(*e.a, out);
    if (e.b) collect_terminated(*e.b, out);
  }

  static void collect_indexes(const SizeExpr& e, std::map<std::string, std::int64_t>& out) {
    if (e.op == SizeExpr::Op::Index && !e.a) {
      auto [it, fresh] = out.emplace(e.name, e.value);
      if (!fresh) it->second = std::max(it->second, e.value);
    }
    if (e.a) collect_indexes(*e.a, out);
    if (e.b) collect_indexes(*e.b, out);
  }

  // p[i] with `i` the element index (sizes of the elements of a buffer of buffers).
  // strlen(self[i]) measures the element being sized, not an integer array: not a read.
  static void collect_element_indexes(const SizeExpr& e, std::set<std::string>& out) {
    if (is_own_strlen(e)) return;
    if (e.op == SizeExpr::Op::Index && e.a) out.insert(e.name);
    if (e.a) collect_element_indexes(*e.a, out);
    if (e.b) collect_element_indexes(*e.b, out);
  }

  // strlen(p[i]): the length of element i of the array of pointers p (an element size
  // of p itself: "lengths[i], or NUL-terminated when it is 0").
  static bool is_own_strlen(const SizeExpr& e) {
    return e.op == SizeExpr::Op::Strlen && e.a && e.a->op == SizeExpr::Op::Index && e.a->a &&
           e.a->a->op == SizeExpr::Op::ElementIndex;
  }

  // strlen() of an element may only measure the element being sized (the server
  // measures the bytes that arrived for it); strlen(other[i]) would read an array
  // the server holds no bound for. "" when every strlen() is allowed.
  static std::string misplaced_element_strlen(const SizeExpr& e, const std::string& self) {
    if (e.op == SizeExpr::Op::Strlen && e.a && e.a->op == SizeExpr::Op::Index &&
        (!is_own_strlen(e) || e.a->name != self))
      return "strlen(" + spec::print_size_expr(*e.a) + ") may only measure " + self +
             "'s own elements (strlen(" + self + "[i]))";
    for (const auto& c : {e.a, e.b})
      if (c)
        if (std::string why = misplaced_element_strlen(*c, self); !why.empty()) return why;
    return "";
  }

  // strlen(self) somewhere in a parameter's own size.
  static bool measures_itself(const SizeExpr& e, const std::string& self) {
    if (e.op == SizeExpr::Op::Strlen && e.a && e.a->op == SizeExpr::Op::Param && e.a->name == self) return true;
    return (e.a && measures_itself(*e.a, self)) || (e.b && measures_itself(*e.b, self));
  }

  static bool is_own_strlen_somewhere(const SizeExpr& e) {
    return is_own_strlen(e) || (e.a && is_own_strlen_somewhere(*e.a)) ||
           (e.b && is_own_strlen_somewhere(*e.b));
  }

  // `p != 0` / `p == 0` with p a pointer: the size tests whether the program passed p
  // (a NULL `lengths` means "every element is NUL-terminated").
  static bool tests_null(const SizeExpr& e, const std::string& p) {
    if (const SizeExpr* tested = compared_with_zero(e); tested && tested->name == p) return true;
    return (e.a && tests_null(*e.a, p)) || (e.b && tests_null(*e.b, p));
  }

  // The parameter `e` compares with 0 (`p == 0`, `0 != p`), or null.
  static const SizeExpr* compared_with_zero(const SizeExpr& e) {
    using Op = SizeExpr::Op;
    if (e.op != Op::Compare || (e.name != "==" && e.name != "!=") || !e.a || !e.b) return nullptr;
    if (e.a->op == Op::Param && e.b->op == Op::Int && e.b->value == 0) return e.a.get();
    if (e.b->op == Op::Param && e.a->op == Op::Int && e.a->value == 0) return e.b.get();
    return nullptr;
  }

  // p[i] in a size reads an element of another parameter: it must be an input
  // array of plain values with one fixed annotation, so that both sides hold
  // its elements before any size is computed (the server decodes every pointer
  // parameter before it computes sizes) and the server can bound i by its count.
  std::string plan_index_reads(const spec::Function& f, const std::string& name, const SizeExpr& size,
                               PointerVariant& v) {
    std::map<std::string, std::int64_t> reads;
    collect_indexes(size, reads);
    std::set<std::string> per_element;
    collect_element_indexes(size, per_element);
    for (const auto& param : per_element) reads.emplace(param, 0);
    for (const auto& [param, max_index] : reads) {
      const spec::Param* p = f.find_param(param);
      std::string why = "size of " + name + " reads " + param + "[" + std::to_string(max_index) + "], but " + param;
      if (!p || !types_.is_pointer(p->type)) return why + " is not a pointer";
      if (p->ann.kind != Kind::Buffer && p->ann.kind != Kind::Element) return why + " is not an array";
      if (p->ann.direction == Direction::Out) return why + " is written by the call";
      if (!p->when.empty()) return why + " has conditional annotations";
      CTypePtr pointee = pointee_type(*p, p->ann);
      if (types_.handle(*pointee) || pointee->is_pointer_like() || pointee->kind == CType::Kind::Function ||
          pointee->is_void() || types_.struct_type(*pointee))
        return why + " does not hold integers";
      if (p->ann.kind == Kind::Element && (max_index > 0 || per_element.count(param)))
        return why + " is a single element";
      v.index_reads.push_back({param, max_index, p->ann.kind == Kind::Buffer,
                               per_element.count(param) > 0, tests_null(size, param)});
    }
    return "";
  }

  // --------------------------------------------------- size text per side

  // ServerPad: the server's upper bound for a readable() size (readable = the message limit).
  enum class Side { Guest, Server, ServerPad };

  // C text of a size on one side of the stack. query(), readable() and `i` need
  // the side: the guest queries through the stack and measures its own memory;
  // the server calls the real function and knows what the guest sent.
  // `self` is the parameter being sized, `self_esize_server` its element size.
  std::string size_text(const SizeExpr& e, Side side, const std::set<std::string>& pointer_params,
                        const std::string& self, const std::string& self_esize_server, std::string& why) {
    auto rename = [&](std::string_view n) -> std::string {
      std::string s(n);
      return pointer_params.count(s) ? "remora::nn(" + s + ")" : s;
    };
    auto index = [&](std::string_view p, std::int64_t i) -> std::string {
      return "remora::index_or_zero(" + std::string(p) + ", " + std::to_string(i) + ")";
    };
    std::function<std::string(const SizeExpr&)> custom = [&](const SizeExpr& n) -> std::string {
      using Op = SizeExpr::Op;
      // The call's result is rm_result in generated code (an API parameter may be named ret).
      if (n.op == Op::Ret) return "rm_result";
      if (n.op == Op::ElementIndex) return "rm_i";
      if (n.op == Op::Index && n.a) return "remora::index_or_zero(" + n.name + ", rm_i)";
      // A pointer compared with 0 is tested for NULL (rename would make it never NULL).
      if (const SizeExpr* ptr = compared_with_zero(n); ptr && pointer_params.count(ptr->name))
        return "(" + ptr->name + (n.name == "==" ? " == nullptr)" : " != nullptr)");
      // strlen(self[i]): the guest measures the program's element (which it then sends
      // whole, NUL included); the server measures what arrived, never past it.
      if (is_own_strlen(n) && n.a->name == self) {
        if (side == Side::Guest) return "std::strlen(static_cast<const char*>(rm_e))";
        return "remora::strlen_within(rm_ep_" + self + "[rm_i], rm_ec_" + self + "[rm_i] * " +
               self_esize_server + ", rm_unterminated)";
      }
      // strlen(self): the guest measures the program's string (a NULL one as empty); the
      // server measures the bytes that arrived, never past them.
      if (n.op == Op::Strlen && n.a && n.a->op == Op::Param && n.a->name == self && side != Side::Guest)
        return "remora::strlen_within(" + self + ", rm_n_" + self + " * " + self_esize_server + ", rm_unterminated)";
      // terminated(p, MEMBER, END): the guest scans no further than the program's readable
      // memory; the server no further than what arrived.
      if (n.op == Op::Terminated && !n.args.empty()) {
        return bounded_terminated_count_c(
            n, n.name, side == Side::Guest ? "remora::guest::readable_elements(" + n.name + ")" : "rm_n_" + n.name);
      }
      if (n.op == Op::Readable) {
        if (n.name != self) {
          why = "readable(" + n.name + ") may only size " + n.name + " itself";
          return "0";
        }
        // Unsigned, as the C sizes it meets are: no signed/unsigned mix in min().
        if (side == Side::Guest) return "static_cast<std::uint64_t>(remora::guest::readable_bytes(" + n.name + "))";
        if (side == Side::ServerPad) return "remora::max_message_bytes()";
        return "(rm_n_" + n.name + " * " + self_esize_server + ")";
      }
      if (n.op == Op::Measured) {
        if (n.name != self) {
          why = "measured(" + n.name + ", ...) may only size " + n.name + " itself";
          return "0";
        }
        // The formats are the parser's closed list of words: safe in a literal.
        std::string formats;
        for (const auto& fmt : n.args) formats += (formats.empty() ? "" : ",") + fmt;
        const std::string lit = "\"" + formats + "\", \"" + n.name + "\"";
        if (side == Side::Guest)
          return "remora::measured_in_guest(" + n.name + ", remora::guest::readable_bytes(" + n.name +
                 "), remora::max_message_bytes(), " + lit + ")";
        // The server measures what arrived again: it must be exactly one image.
        return "remora::measured_on_server(" + n.name + ", rm_n_" + n.name + " * " + self_esize_server + ", " + lit + ")";
      }
      if (n.op == Op::Query) {
        std::string helper = query_helper(n, why);
        if (helper.empty()) return "0";
        // -1 (failed) becomes a huge unsigned size, which both sides refuse.
        std::string call = "static_cast<std::uint64_t>(" + helper + "(";
        for (const auto& arg : n.args) call += rename(arg) + ", ";
        std::string at = "0";
        if (n.a) at = n.a->op == Op::ElementIndex ? "rm_i" : std::to_string(n.a->value);
        return call + at + "))";
      }
      return "";
    };
    return checked_size_c(e, rename, index, custom);
  }

  // The helper for query(FN, args...): FN's parameters after the given ones
  // must be a value size (in), the value (out buffer of that many bytes) and,
  // optionally, the bytes the value needs (out element) -- an "info query".
  std::string query_helper(const SizeExpr& q, std::string& why) {
    const spec::Function* fn = spec_.find_function(q.name);
    std::string shown = "query(" + q.name + ", ...)";
    if (!fn) {
      why = shown + ": no function " + q.name + " in the spec";
      return "";
    }
    std::string name = "rm_query_" + q.name + "_" + std::to_string(q.args.size());
    for (const auto& h : plan_.queries)
      if (h.name == name) return name;
    if (!fn->supported || fn->variadic) {
      why = shown + ": " + q.name + " is not remoted";
      return "";
    }
    QueryHelper h;
    h.name = name;
    h.fn = fn;
    h.leading = q.args.size();
    for (std::size_t k = q.args.size(); k < fn->params.size(); ++k) {
      const spec::Param& p = fn->params[k];
      const Annotation& a = p.ann;
      if (a.kind == Kind::Buffer && a.direction == Direction::Out && h.value_param < 0) h.value_param = static_cast<int>(k);
      else if (a.kind == Kind::Element && a.direction == Direction::Out && h.size_ret_param < 0)
        h.size_ret_param = static_cast<int>(k);
      else if (!types_.is_pointer(p.type) && h.size_param < 0) h.size_param = static_cast<int>(k);
      else h.size_param = -2;  // anything else: not an info query
    }
    // A function of exactly the given arguments whose result is the answer
    // (`sqlite3_column_bytes(stmt, i)`): an integer, never a status.
    if (fn->params.size() == q.args.size()) {
      const std::string rtype = fn->ret.type.empty() ? "void" : fn->ret.type;
      CTypePtr answer = types_.resolve(rtype);
      if (!answer || answer->kind != CType::Kind::Named || answer->is_void() || types_.handle(*answer) ||
          types_.struct_type(*answer) || status_type_of(rtype)) {
        why = shown + ": " + q.name + " takes only the given arguments but returns no integer";
        return "";
      }
      h.answer_returned = true;
      h.value_elem = unqualified(answer);
      plan_.queries.push_back(h);
      return name;
    }
    // The other shape: one integer written through the last parameter, the answer itself
    // (`nvrtcGetPTXSize(prog, size_t *ptxSizeRet)`).
    bool single = h.value_param < 0 && h.size_param < 0 && h.size_ret_param == static_cast<int>(q.args.size()) &&
                  fn->params.size() == q.args.size() + 1;
    if (single) {
      CTypePtr answer = types_.resolve(types_.pointee(fn->params[h.size_ret_param].type));
      if (!answer || answer->kind != CType::Kind::Named || answer->is_void() || types_.handle(*answer) ||
          types_.struct_type(*answer)) {
        why = shown + ": " + q.name + " writes no integer through its last parameter";
        return "";
      }
      h.value_elem = unqualified(types_.pointee(fn->params[h.size_ret_param].type));
      if (const spec::Type* rt = status_type_of(fn->ret.type.empty() ? "void" : fn->ret.type)) h.success = rt->success;
      plan_.queries.push_back(h);
      return name;
    }
    if (h.value_param < 0 || h.size_param < 0 ||
        fn->params[h.value_param].ann.size != fn->params[h.size_param].name) {
      why = shown + ": the parameters of " + q.name + " after the " + std::to_string(q.args.size()) +
            " given are not (value size, value, size needed), nor one integer it writes";
      return "";
    }
    CTypePtr pointee = types_.pointee(fn->params[h.value_param].type);
    if (!pointee) pointee = parse_c_type("void");
    h.value_elem = pointee->is_void() ? "std::size_t" : unqualified(pointee);
    if (const spec::Type* rt = status_type_of(fn->ret.type.empty() ? "void" : fn->ret.type)) h.success = rt->success;
    plan_.queries.push_back(h);
    return name;
  }

  // ------------------------------------------------------------- params

  // A pointer to structs that hold pointers (or handles the server must check) is
  // deep-copied by a struct codec (struct_plan.h). False: not such a struct (copied
  // as bytes, if at all); true: planned, or `why` says why it cannot be.
  bool plan_struct(const std::string& name, const CTypePtr& pointee, PointerVariant& v, std::string& why) {
    const spec::Type* st = types_.struct_type(*pointee);
    if (!st || types_.handle(*pointee) || !structs_.needs_copy(*st)) return false;
    bool typed = std::all_of(st->fields.begin(), st->fields.end(), [](const auto& f) { return !f.ctype.empty(); });
    // Bytes only (or the reason they are not enough, naming the member): structs of specs
    // written before the typed model, and structs the library writes that hold no pointer
    // (their handles are the library's own).
    if (!typed || (v.ann.direction != Direction::In && types_.flat_copy_blocker(pointee).empty())) return false;
    if (v.ann.kind == Kind::Buffer && v.ann.size_unit == spec::SizeUnit::Bytes) {
      why = "buffer " + name + " of structs " + st->name + " is sized in bytes: give its size in elements";
      return true;
    }
    int k = structs_.plan(*st, why);
    if (k < 0) {
      why = "parameter " + name + " points to " + st->name + ", which cannot be deep-copied: " + why;
      return true;
    }
    v.elem = ElemWire::Struct;
    v.struct_index = k;
    v.struct_name = structs_.structs[k].c_name;
    v.elem_size_guest = v.elem_size_server = "sizeof(" + v.struct_name + ")";
    return true;
  }

  std::string param_name(const spec::Param& p, std::size_t i) const {
    return p.name.empty() ? "arg" + std::to_string(i) : p.name;
  }

  bool is_pointer_kind(Kind k) const { return k == Kind::Element || k == Kind::Buffer || k == Kind::String; }

  // Returns "" on success, else why the variant cannot be remoted.
  // The info-query idiom (size S, out buffer V of S bytes, out element R): R says how
  // many bytes the call wrote into V, so the reply carries those, not the capacity S
  // (a 1 GiB capacity for a 4-byte answer must not make a 1 GiB reply). Without R the
  // capacity is sent. "" when the idiom does not apply.
  std::string written_count(const spec::Function& f, const ParamPlan& pp, const SizeExpr& size,
                            const PointerVariant& v) {
    std::size_t k = static_cast<std::size_t>(pp.index);
    if (size.op != SizeExpr::Op::Param || v.elem != ElemWire::Raw || v.ann.size_unit != spec::SizeUnit::Bytes ||
        k == 0 || k + 1 >= f.params.size())
      return "";
    const spec::Param& cap = f.params[k - 1];
    const spec::Param& ret = f.params[k + 1];
    if (cap.name != size.name || types_.is_pointer(cap.type) || !ret.when.empty() ||
        ret.ann.kind != Kind::Element || ret.ann.direction != Direction::Out)
      return "";
    CTypePtr written = types_.pointee(ret.type);
    if (!written || unqualified(written) != unqualified(types_.resolve(cap.type))) return "";
    std::string r = param_name(ret, k + 1), es = v.elem_size_server;
    return "(" + r + " ? (remora::sz(*" + r + ") + remora::sz(" + es + ") - remora::sz(1)) / remora::sz(" + es +
           ") : remora::sz(rm_n_" + pp.name + "))";
  }

  // The base annotation of a pointer with `when` clauses applies to every value no
  // clause matches. When the clauses disagree with it about what the pointer is (memory
  // the stack copies, or a value passed through as a number: cudaMemcpy's host buffer
  // vs device pointer by `kind`), an unmatched value (cudaMemcpyDefault, a kind added by
  // a later release) says nothing about which one it is: passing the guest's address
  // raw would let the server dereference a guest address in its own memory, and copying
  // a device value would read guest memory that is not there. Such calls are refused
  // ("" when the base is safe: every clause agrees with it, or a last clause whose
  // condition is always true (`"if": "1"`) says explicitly that the base applies).
  std::string unmatched_blocker(const ParamPlan& pp) const {
    if (pp.variants.size() < 2) return "";
    const PointerVariant& base = pp.variants.back();
    if (!base.unsupported_reason.empty()) return "";
    const bool base_raw = base.shape == PointerVariant::Shape::Opaque;
    std::vector<std::string> differ;
    for (std::size_t i = 0; i + 1 < pp.variants.size(); ++i) {
      const PointerVariant& v = pp.variants[i];
      if (always_true(pp.param->when[i].condition)) return "";
      if ((v.shape == PointerVariant::Shape::Opaque) != base_raw) differ.push_back(v.condition);
    }
    if (differ.empty()) return "";
    std::string list;
    for (const auto& d : differ) list += (list.empty() ? "" : ", ") + d;
    return std::string("no `when` clause matches, and the clauses (") + list + ") make " + pp.name + " " +
           (base_raw ? "memory the stack copies" : "a value passed through unread") + " where the base annotation makes it " +
           (base_raw ? "a value passed through unread (a guest address would reach the server)"
                     : "memory the stack copies (a value that is not guest memory would be read)");
  }
  // A predicate that holds for every call: a nonzero integer literal.
  static bool always_true(const std::string& text) {
    spec::SizeExprParse parsed = spec::parse_predicate(text);
    return parsed && parsed.expr->op == spec::SizeExpr::Op::Int && parsed.expr->value != 0;
  }

  std::string plan_variant(const spec::Function& f, const ParamPlan& pp, PointerVariant& v,
                           const std::set<std::string>& outs, const std::set<std::string>& pointer_params) {
    const Annotation& a = v.ann;
    const std::string& type = pp.param->type;
    const std::string& name = pp.name;
    std::string idx = std::to_string(pp.index);
    std::string guest_esize = "remora::elem_size_v<decltype(" + name + ")>";
    std::string server_esize = "remora::elem_size_v<remora::param_t<rm_fn, " + idx + ">>";
    CTypePtr pointee = pointee_type(*pp.param, a);
    if (a.kind == Kind::Opaque || a.kind == Kind::Userdata || a.kind == Kind::Value) {
      v.shape = PointerVariant::Shape::Opaque;
      return "";
    }
    if (!types_.is_pointer(type)) return "parameter " + name + " is annotated as a pointer but has type " + type;
    // A string with a size (`zSql` of `nByte` bytes, NUL-terminated when that is negative)
    // travels as the bytes its size says (a buffer, below).
    if (a.kind == Kind::String && a.direction == Direction::In && a.size.empty()) {
      v.shape = PointerVariant::Shape::String;
      return "";
    }
    // Copied as bytes: a struct holding pointers would reach the other side with the
    // guest's addresses in it (the library would read or write the server's memory there).
    auto flat_ok = [&]() -> std::string {
      std::string blocker = types_.flat_copy_blocker(pointee);
      if (blocker.empty()) return "";
      return "parameter " + name + " points to " + unqualified(pointee) + ", which cannot be copied as bytes: " + blocker +
             " (a struct holding pointers needs typed field annotations for a deep copy)";
    };
    bool pointee_is_handle = types_.handle(*pointee) != nullptr;
    bool pointee_is_pointer = !pointee_is_handle && (pointee->is_pointer_like() || pointee->kind == CType::Kind::Function);
    if (a.kind == Kind::Element && !a.points_into.empty()) {
      // The library sets a pointer inside another parameter's memory: the program gets the
      // same offset into its own (`tail - zSql` must mean what it means natively).
      v.shape = PointerVariant::Shape::Element;
      const spec::Param* into = f.find_param(a.points_into);
      if (a.direction == Direction::In || !pointee_is_pointer)
        return "points_into on " + name + ", which is not a pointer the call sets";
      if (!into || !types_.is_pointer(into->type) || into->ann.direction != Direction::In || !into->when.empty() ||
          (into->ann.kind != Kind::String && into->ann.kind != Kind::Buffer))
        return name + " points into " + a.points_into + ", which is not an input string or buffer of the call";
      v.elem = ElemWire::Into;
      v.into_param = a.points_into;
      v.into_string = into->ann.kind == Kind::String && into->ann.size.empty();
      v.elem_size_guest = guest_esize;
      v.elem_size_server = server_esize;
      return "";
    }
    if (a.kind == Kind::Element) {
      v.shape = PointerVariant::Shape::Element;
      bool handle = (a.element && a.element->kind == Kind::Handle) || pointee_is_handle || !a.handle_type.empty();
      if (handle) {
        v.elem = ElemWire::Handle;
        v.handle_type = !a.handle_type.empty() ? a.handle_type
                        : (a.element && !a.element->handle_type.empty()) ? a.element->handle_type
                                                                         : unqualified(pointee);
        v.handle_type_index = handle_index(v.handle_type);
        v.elem_allocates = a.allocates || (a.element && a.element->allocates);
      } else if (a.element && a.element->kind == Kind::String && types_.is_char_pointer(pointee)) {
        // One string pointer the library sets (`const char **description`): it points
        // into the library's memory, so the text travels and the guest keeps a copy.
        if (a.direction != Direction::Out)
          return "element " + name + " is a string pointer the library reads (only one it writes is remoted)";
        v.elem = ElemWire::String;
        v.elem_size_guest = guest_esize;
        v.elem_size_server = server_esize;
        v.elem_allocates = a.allocates || (a.element && a.element->allocates);
        return "";
      } else if (pointee_is_pointer && !(a.element && a.element->kind == Kind::Opaque)) {
        return "element " + name + " points to a pointer (" + type + ")";
      } else if (std::string why; plan_struct(name, pointee, v, why)) {
        return why;
      } else if (std::string why = flat_ok(); !why.empty()) {
        return why;
      }
      v.elem_size_guest = guest_esize;
      v.elem_size_server = server_esize;
      if (types_.pointee(type)->is_void() && !a.pointee.empty() && !pointee->is_void())
        v.elem_size_guest = v.elem_size_server = "sizeof(" + a.pointee + ")";
      return "";
    }
    // Buffers (and out strings with a size, which are char buffers).
    if (a.kind != Kind::Buffer && a.kind != Kind::String) return "unsupported kind for " + name;
    v.shape = PointerVariant::Shape::Buffer;
    Kind ek = a.element ? a.element->kind : Kind::Value;
    bool elem_is_pointer = types_.pointer_depth(type) >= 2 || pointee_is_pointer;
    if (a.kind == Kind::String) ek = Kind::Value;
    else if (!a.element && pointee_is_handle) ek = Kind::Handle;
    else if (!a.element && elem_is_pointer && types_.is_char_pointer(pointee)) ek = Kind::String;
    if (ek == Kind::Handle) {
      v.elem = ElemWire::Handle;
      v.handle_type = (a.element && !a.element->handle_type.empty()) ? a.element->handle_type : unqualified(pointee);
      // A `void *` buffer whose elements the spec marks handles without naming their type
      // (an info query's variant: "param_value_size / sizeof(cl_context)"): the size counts
      // elements of the type it divides by, and when that is a handle type the elements are
      // those. Left `void`, they would be handles of no kind, which the worker cannot refuse
      // where another kind goes (found by the OpenCL fuzz target: a platform id from
      // clGetDeviceInfo(CL_DEVICE_PLATFORM) passed as a cl_device_id reached pocl).
      if (!(a.element && !a.element->handle_type.empty()) && !pointee_is_handle)
        if (auto counted = spec::parse_size_expr(a.size); counted && counted.expr->op == spec::SizeExpr::Op::Div &&
                                                          counted.expr->b && counted.expr->b->op == spec::SizeExpr::Op::Sizeof)
          if (CTypePtr t = types_.resolve(counted.expr->b->name); t && types_.handle(*t)) v.handle_type = counted.expr->b->name;
      v.handle_type_index = handle_index(v.handle_type);
      v.elem_allocates = a.allocates || (a.element && a.element->allocates);
    } else if (ek == Kind::String && a.element && !a.element->size.empty()) {
      // Strings given by their bytes (`lengths[i]`, or NUL-terminated when that is 0):
      // each travels as a buffer of exactly its size, checked against what arrived.
      v.elem = ElemWire::Buffer;
      if (std::string why = plan_inner_buffers(f, pp, v, outs, pointer_params); !why.empty())
        return why;
    } else if (ek == Kind::String) {
      v.elem = ElemWire::String;
      if (a.direction != Direction::In) return "out array of strings " + name + " is not remoted";
    } else if (ek == Kind::Value || ek == Kind::Opaque) {
      if (elem_is_pointer && ek == Kind::Value && !a.element)
        return "buffer " + name + " holds pointers (" + type + ") without an element annotation";
      v.elem = ElemWire::Raw;
      if (ek == Kind::Value && !elem_is_pointer) {
        std::string why;
        if (plan_struct(name, pointee, v, why)) {
          if (!why.empty()) return why;
        } else if (why = flat_ok(); !why.empty()) {
          return why;
        }
      }
    } else if (ek == Kind::Buffer) {
      v.elem = ElemWire::Buffer;
      if (std::string why = plan_inner_buffers(f, pp, v, outs, pointer_params); !why.empty()) return why;
    } else {
      return "buffer " + name + " has elements of kind " + std::string(spec::to_string(ek)) + ", which are not remoted";
    }
    bool bytes = a.size_unit == spec::SizeUnit::Bytes && v.elem == ElemWire::Raw;
    bool declared_void = types_.pointee(type) && types_.pointee(type)->is_void();
    if (v.elem == ElemWire::Struct) {
      // sizeof the struct, set by plan_struct
    } else if (bytes) {
      v.elem_size_guest = v.elem_size_server = "1";
    } else if (declared_void && !a.pointee.empty() && !pointee->is_void()) {
      v.elem_size_guest = v.elem_size_server = "sizeof(" + a.pointee + ")";
    } else {
      v.elem_size_guest = guest_esize;
      v.elem_size_server = server_esize;
    }
    if (a.size.empty()) return "buffer " + name + " has no size";
    auto parsed = spec::parse_size_expr(a.size);
    if (!parsed) return "size of " + name + " ('" + a.size + "'): " + parsed.error->message;
    if (std::string why = check_refs(f, name, a.size, *parsed.expr); !why.empty()) return why;
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::ElementIndex))
      return "size of " + name + " ('" + a.size + "') uses i, which only the size of an element may";
    collect_terminated(*parsed.expr, v.terminated_params);
    if (std::string why = plan_index_reads(f, name, *parsed.expr, v); !why.empty()) return why;
    bool dep = depends_on_outputs(*parsed.expr, outs);
    if (dep && a.direction == Direction::In)
      return "size of input buffer " + name + " depends on the call's outputs";
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Readable) && a.direction != Direction::In)
      return "size of " + name + " uses readable(), which only bounds input buffers";
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Measured) && a.direction != Direction::In)
      return "size of " + name + " uses measured(), which only sizes input images";
    v.self_strlen = measures_itself(*parsed.expr, name);
    if (v.self_strlen && (a.direction != Direction::In || !types_.is_char_pointer(types_.resolve(type))))
      return "size of " + name + " uses strlen(" + name + "), which only sizes input char strings";
    auto before = before_call(parsed.expr, outs);
    if (!before) return "capacity of output buffer " + name + " ('" + a.size + "') cannot be known before the call";
    std::string why;
    v.count_before = size_text(*before, Side::Guest, pointer_params, name, v.elem_size_server, why);
    v.count_before_server = size_text(*before, Side::Server, pointer_params, name, v.elem_size_server, why);
    if (dep) v.count_after_server = size_text(*parsed.expr, Side::Server, pointer_params, name, v.elem_size_server, why);
    else if (a.direction == Direction::Out) v.count_after_server = written_count(f, pp, *parsed.expr, v);
    // The guest alone knows readable(p): the server cannot check that it sent what the library
    // will read, so it pads the copy with zeros up to the size's bound (readable = unlimited).
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Readable))
      v.pad_count_server = size_text(*parsed.expr, Side::ServerPad, pointer_params, name, v.elem_size_server, why);
    if (!why.empty()) return "size of " + name + ": " + why;
    // A buffer of pointers sized in bytes holds size / sizeof(void *) of them.
    if (v.elem == ElemWire::Buffer && a.size_unit == spec::SizeUnit::Bytes) {
      v.count_before = "(" + v.count_before + ") / sizeof(void*)";
      v.count_before_server = "(" + v.count_before_server + ") / sizeof(void*)";
    }
    return "";
  }

  // Every parameter a size names must exist; remembers them (out elements a size
  // reads are always allocated on the server).
  std::string check_refs(const spec::Function& f, const std::string& name, const std::string& text, const SizeExpr& e) {
    // A name only a condition uses and no parameter has is an API constant (pasted
    // as a C identifier, which the API header defines), as in a predicate.
    std::vector<std::string> constants = spec::size_expr_condition_only_names(e);
    for (const auto& ref : spec::size_expr_params(e)) {
      if (!f.find_param(ref)) {
        if (std::find(constants.begin(), constants.end(), ref) != constants.end() && spec::is_c_identifier(ref)) continue;
        return "size of " + name + " ('" + text + "') refers to unknown parameter '" + ref + "'";
      }
      size_refs_.insert(ref);
    }
    return "";
  }

  // A buffer of buffers: each element points to its own buffer whose size the
  // element annotation gives (it may use `i`, the element's index).
  std::string plan_inner_buffers(const spec::Function& f, const ParamPlan& pp, PointerVariant& v,
                                 const std::set<std::string>& outs, const std::set<std::string>& pointer_params) {
    const Annotation& a = v.ann;
    const Annotation& inner = *a.element;
    const std::string& name = pp.name;
    if (a.direction != Direction::In)
      return "buffer of buffers " + name + " must be an input (its pointers are read; the buffers they point to carry the direction)";
    if (inner.size.empty()) return "the buffers " + name + " points to have no size (element size)";
    auto parsed = spec::parse_size_expr(inner.size);
    if (!parsed) return "element size of " + name + " ('" + inner.size + "'): " + parsed.error->message;
    if (std::string why = check_refs(f, name, inner.size, *parsed.expr); !why.empty()) return why;
    if (depends_on_outputs(*parsed.expr, outs)) return "element size of " + name + " depends on the call's outputs";
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Readable)) return "element size of " + name + " uses readable()";
    if (spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Measured)) return "element size of " + name + " uses measured()";
    if (std::string why = misplaced_element_strlen(*parsed.expr, name); !why.empty())
      return "element size of " + name + ": " + why;
    v.inner_strlen = is_own_strlen_somewhere(*parsed.expr);
    if (v.inner_strlen && inner.direction != Direction::In)
      return "element size of " + name +
             " measures its elements with strlen(), which only inputs have";
    if (CTypePtr outer = types_.pointee(pp.param->type);
        v.inner_strlen && !(outer && types_.is_char_pointer(outer)))
      return "element size of " + name +
             " measures its elements with strlen(), but they are not char strings";
    if (std::string why = plan_index_reads(f, name, *parsed.expr, v); !why.empty()) return why;
    if (inner.size_unit == spec::SizeUnit::Bytes) {
      v.inner_esize = "1";
    } else {
      CTypePtr outer = types_.pointee(pp.param->type);
      CTypePtr t = outer && outer->is_pointer_like() ? types_.resolve(outer->inner) : nullptr;
      if (!t || t->is_void() || t->kind == CType::Kind::Function)
        return "element size of " + name + " is in elements of an unknown type: give it in bytes";
      v.inner_esize = "sizeof(" + unqualified(t) + ")";
    }
    v.inner_direction = inner.direction;
    std::string why;
    v.inner_count_guest = size_text(*parsed.expr, Side::Guest, pointer_params, name, v.inner_esize, why);
    v.inner_count_server = size_text(*parsed.expr, Side::Server, pointer_params, name, v.inner_esize, why);
    if (!why.empty()) return "element size of " + name + ": " + why;
    return "";
  }

  std::string describe(const Annotation& a) {
    std::string s = std::string(spec::to_string(a.direction)) + " " + std::string(spec::to_string(a.kind));
    if (!a.size.empty()) s += ", size " + a.size + (a.size_unit == spec::SizeUnit::Bytes ? " bytes" : " elements");
    if (a.element) s += ", each " + std::string(spec::to_string(a.element->kind));
    if (a.nullable) s += ", nullable";
    if (a.allocates) s += ", allocates";
    if (a.deallocates) s += ", deallocates";
    if (!a.shadow.empty()) s += ", shadow " + a.shadow;
    return s;
  }

  FunctionPlan plan_function(const spec::Function& f, std::uint32_t id) {
    FunctionPlan fp;
    size_refs_.clear();
    fp.fn = &f;
    fp.id = id;
    auto unsupported = [&](const std::string& why) {
      if (fp.supported) {
        fp.supported = false;
        fp.reason = why;
      }
    };
    // A function declared never to return (png_error) ends the process or longjmps to a
    // setjmp of the caller's: in the server that would kill the worker or jump into
    // nothing, and the guest could not carry the jump back. Refused: its stub aborts.
    if (f.noreturn)
      unsupported("declared noreturn: it ends the process or jumps out of the library, which cannot cross the stack");
    if (!f.supported || f.status == spec::ReviewStatus::Unsupported)
      unsupported(f.unsupported_reason.empty() ? "marked unsupported in the spec" : f.unsupported_reason);
    if (f.variadic) unsupported("variadic function");
    // The generated code's own names: `ret` (the result, which sizes may read) and rm_*.
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const std::string n = param_name(f.params[i], i);
      if (n == "rm" || n.rfind("rm_", 0) == 0)
        unsupported("parameter name '" + n + "' collides with the generated code's names (rm, rm_*)");
      // GMP's `volatile mp_limb_t *`: the library relies on every access reaching that
      // memory (constant-time code, memory another agent changes), which a copy sent to
      // the server and back does not give. Refused rather than copied as plain memory.
      if (points_to_volatile(f.params[i].ctype))
        unsupported("parameter " + n + " points to volatile memory: the library expects every access to reach it, "
                    "and the stack would copy it");
    }

    // Which params does the call write (for size dependence)?
    std::set<std::string> outs, pointer_params;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const auto& p = f.params[i];
      std::string n = param_name(p, i);
      if (is_pointer_kind(p.ann.kind) && p.ann.direction == Direction::Out) outs.insert(n);
      if (is_pointer_kind(p.ann.kind) || !p.when.empty()) pointer_params.insert(n);
    }

    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const spec::Param& p = f.params[i];
      ParamPlan pp;
      pp.param = &p;
      pp.index = static_cast<int>(i);
      pp.name = param_name(p, i);
      pp.comment = pp.name + ": " + describe(p.ann);
      for (const auto& w : p.when) {
        std::string d;
        if (w.overrides.direction) d += " direction " + std::string(spec::to_string(*w.overrides.direction));
        if (w.overrides.kind) d += " kind " + std::string(spec::to_string(*w.overrides.kind));
        if (w.overrides.size) d += " size " + *w.overrides.size;
        std::string why;
        pp.comment += "; when (" + predicate_c(w.condition, why) + "):" + d;
      }
      const Annotation& a = p.ann;
      if (const spec::Type* st = state_struct_of(types_, p)) {
        // A stream state: the server keeps a persistent copy (plan_state.h).
        pp.scalar = ScalarWire::State;
        pp.deallocates = a.deallocates;
        CTypePtr declared = types_.resolve(p.type);
        pp.state_const = declared->inner && declared->inner->is_const;
        std::string why;
        pp.state = state_index(*st, why);
        if (pp.state < 0) unsupported("parameter " + pp.name + ": " + why);
        pp.comment = pp.name + ": stream state " + st->name + " (kept by the server)" +
                     (pp.deallocates ? ", ended by this call" : "");
      } else if (allocation_suite_of(p)) {
        // Allocation callbacks for the library's own memory (expat's memsuite): that memory
        // lives on the server, so the library gets NULL, its default allocator; the
        // program's functions are never called (as for a stream state's allocator).
        pp.scalar = ScalarWire::Opaque;
        pp.library_default = true;
        pp.comment = pp.name + ": allocation callbacks; the library gets NULL (its own allocator on the server)";
      } else if (a.element && a.element->shadow == "map" && p.when.empty()) {
        // A persistent mapping returned through an out parameter (vkMapMemory's ppData): the
        // program gets a guest shadow it keeps across calls until the unmap of the object.
        pp.scalar = ScalarWire::MapOut;
        plan_.has_persistent_mappings = true;
        std::string why = plan_map_out(f, pp, *a.element);
        if (!why.empty()) unsupported(pp.name + ": " + why);
      } else if (a.shadow == "unmap" && a.kind == Kind::Handle) {
        // vkUnmapMemory(device, memory): ends the persistent mappings of this object.
        pp.scalar = ScalarWire::Handle;
        pp.handle_type = !a.handle_type.empty() ? a.handle_type : unqualified(types_.resolve(p.type));
        pp.handle_type_index = handle_index(pp.handle_type);
        pp.unmaps_owner = true;
      } else if (a.shadow == "unmap") {
        pp.scalar = ScalarWire::Unmap;
      } else if (is_pointer_kind(a.kind) || !p.when.empty()) {
        pp.is_pointer = true;
        for (const auto& w : p.when) {
          PointerVariant v;
          std::string why;
          v.condition = predicate_c(w.condition, why);
          if (v.condition.empty()) {
            unsupported(pp.name + ": " + why);
            v.condition = "false";
          }
          v.ann = a;
          spec::apply(v.ann, w.overrides);
          if (w.overrides.element_kind) {
            if (!v.ann.element) v.ann.element = spec::Box<Annotation>(Annotation{});
            v.ann.element->kind = *w.overrides.element_kind;
          }
          pp.variants.push_back(std::move(v));
        }
        PointerVariant base;
        base.ann = a;
        pp.variants.push_back(std::move(base));
        for (auto& v : pp.variants) {
          std::string why = plan_variant(f, pp, v, outs, pointer_params);
          if (why.empty()) continue;
          // A conditional variant that cannot be remoted fails only the calls that take it.
          if (v.condition.empty()) unsupported(why);
          else {
            v.unsupported_reason = why;
            plan_.warnings.push_back(f.name + ": calls where (" + v.condition + ") return an error: " + why);
          }
        }
        if (std::string why = unmatched_blocker(pp); !why.empty()) {
          pp.variants.back().unsupported_reason = why;
          plan_.warnings.push_back(f.name + ": calls no `when` clause of " + pp.name + " matches return an error: " + why);
        }
      } else if (a.kind == Kind::Handle) {
        pp.scalar = ScalarWire::Handle;
        pp.handle_type = !a.handle_type.empty() ? a.handle_type : unqualified(types_.resolve(p.type));
        pp.handle_type_index = handle_index(pp.handle_type);
        pp.deallocates = a.deallocates;
        pp.retains = !a.deallocates && claims_a_reference(p);
      } else if (a.kind == Kind::Opaque) {
        pp.scalar = ScalarWire::Opaque;
      } else if (a.kind == Kind::Callback) {
        pp.scalar = ScalarWire::Callback;
        std::string why;
        pp.callback_signature = callback_of(a, p.type, why);
        // A call that returns nothing cannot report the refusal (the program would abort at
        // the call): it registers a function that refuses when the library calls it, which
        // the library may never do (a handler for an event the program's data never raises).
        // One that returns a value refuses when the program gives a function, and goes
        // through with NULL: no callback to forward (`sqlite3_trace_v2(db, 0, NULL, NULL)`
        // turns tracing off).
        if (pp.callback_signature < 0 && types_.function_pointer(p.type)) {
          pp.refused_callback = why;
          if (!types_.resolve(f.ret.type)->is_void()) pp.refused_when_given = true;
        } else if (pp.callback_signature < 0) {
          unsupported(why);
        }
      } else if (a.kind == Kind::Userdata) {
        pp.scalar = ScalarWire::Userdata;
      } else {
        pp.scalar = ScalarWire::Value;
        // A struct passed by value travels as its bytes: only safe without pointers inside.
        if (std::string blocker = types_.flat_copy_blocker(types_.resolve(p.type)); !blocker.empty())
          unsupported("parameter " + pp.name + " is a struct passed by value that cannot be copied as bytes: " + blocker);
      }
      // A pointer that travels as a number: the user must know the library never dereferences it.
      bool pointer_type = types_.is_pointer(p.type) && !types_.function_pointer(p.type) && !types_.handle(*types_.resolve(p.type));
      if (pointer_type && !pp.is_pointer && !pp.library_default &&
          (pp.scalar == ScalarWire::Opaque || pp.scalar == ScalarWire::Value))
        pp.raw_address = true;
      for (const auto& v : pp.variants)
        if (pointer_type && v.shape == PointerVariant::Shape::Opaque && v.ann.kind != Kind::Userdata) pp.raw_address = true;
      fp.params.push_back(std::move(pp));
    }
    // Pair each callback with the next user-data parameter. One the call is refused with
    // (refused_when_given) never reaches the library, so its user data serves the others.
    for (std::size_t i = 0; i < fp.params.size(); ++i) {
      if (fp.params[i].scalar != ScalarWire::Callback || fp.params[i].refused_when_given) continue;
      for (std::size_t j = i + 1; j < fp.params.size(); ++j)
        if (fp.params[j].scalar == ScalarWire::Userdata && fp.params[j].callback_param < 0) {
          fp.params[i].userdata_param = static_cast<int>(j);
          fp.params[j].callback_param = static_cast<int>(i);
          break;
        }
    }
    share_user_data_before(fp);
    for (std::size_t i = 0; i < fp.params.size(); ++i) {
      if (fp.params[i].scalar != ScalarWire::Callback) continue;
      // A refused one's user data goes to the library unchanged: no trampoline reads it.
      if (!fp.params[i].refused_callback.empty()) continue;
      if (fp.params[i].userdata_param < 0) {
        fp.params[i].sentinel_only = true;
        fp.params[i].null_allowed = std::none_of(fp.params.begin(), fp.params.end(), [](const ParamPlan& q) {
          return q.is_pointer && std::any_of(q.variants.begin(), q.variants.end(), [](const PointerVariant& v) {
                   return v.ann.direction != Direction::Out && v.shape != PointerVariant::Shape::Opaque;
                 });
        });
      }
    }
    if (std::string why = state_companion_blocker(fp); !why.empty()) unsupported(why);
    // A persistent mapping belongs to the call's last handle (vkMapMemory's memory; the
    // first ones name its parents): the unmap of that handle ends it.
    for (std::size_t i = 0; i < fp.params.size(); ++i) {
      if (fp.params[i].scalar != ScalarWire::MapOut) continue;
      for (std::size_t j = 0; j < fp.params.size(); ++j)
        if (fp.params[j].scalar == ScalarWire::Handle) fp.map_owner_param = static_cast<int>(j);
      if (fp.map_owner_param < 0) unsupported(fp.params[i].name + ": a persistent mapping needs a handle that owns it");
    }
    plan_return(f, fp, unsupported);
    // retain: object ties the server's copy to the handle the call returns. An object made
    // through an out parameter would keep nothing: the copy would be freed after the call
    // while the library still uses it, so such a call is refused instead.
    if (fp.ret != ReturnWire::Handle)
      for (const auto& pp : fp.params)
        for (const auto& v : pp.variants)
          if (v.ann.retain == "object" && v.ann.direction == Direction::In)
            unsupported(pp.name + ": the library keeps it for the object the call creates (retain: object), "
                        "which the stack supports only for an object the call returns");
    // Out elements read by a size expression are always allocated on the server.
    for (auto& pp : fp.params)
      if (pp.is_pointer && size_refs_.count(pp.name)) pp.referenced_by_size = true;
    plan_status(f, fp);
    plan_async(f, fp);
    plan_cache(f, fp);
    plan_in_order(f, fp);
    plan_chunk(f, fp);
    // Said once the function is known to be remoted (a refused one says why it is not).
    if (fp.supported)
      for (const auto& pp : fp.params)
        if (pp.refused_when_given)
          plan_.warnings.push_back(f.name + ": calls where (" + pp.name + " != nullptr) return an error: " +
                                   pp.refused_callback);
    fp.comment = describe_function(f);
    if (!fp.cache_condition.empty())
      fp.comment += "; answered by the guest after the first call" +
                    (fp.cache_condition == "true" ? std::string() : " when (" + fp.cache_condition + ")");
    if (fp.defer_reply) fp.comment += "; only a status: sent without waiting for a reply";
    if (fp.chunk) fp.comment += "; large transfers split at " + f.chunk->offset + " (spec chunk)";
    return fp;
  }

  // The size of a persistent mapping returned through `void **` (bytes, over the call's
  // scalar parameters; "" when it can be made, else why not).
  std::string plan_map_out(const spec::Function& f, ParamPlan& pp, const Annotation& element) {
    const Annotation& a = pp.param->ann;
    if (a.direction != Direction::Out || a.kind != Kind::Element)
      return "a mapping (element shadow map) is returned through an out element";
    if (element.size_unit != spec::SizeUnit::Bytes) return "the mapping's size must be in bytes";
    auto parsed = spec::parse_size_expr(element.size);
    if (!parsed) return "the mapping has no valid size ('" + element.size + "')";
    PointerVariant checks;
    if (std::string why = plan_index_reads(f, "the mapping", *parsed.expr, checks); !why.empty()) return why;
    if (!checks.index_reads.empty()) return "the mapping's size may only read scalar parameters";
    std::string why;
    pp.map_size_server = size_text(*parsed.expr, Side::Server, {}, "", "1", why);
    return why.empty() ? "" : "mapping size: " + why;
  }

  // The `const char *` parameter a proc-address function looks up (-1 if none or several).
  int name_parameter(const spec::Function& f) const {
    int found = -1;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const auto& p = f.params[i];
      if (p.ann.kind != Kind::String || p.ann.direction != Direction::In) continue;
      if (found >= 0) return -1;
      found = static_cast<int>(i);
    }
    return found;
  }

  // The names of the call's pointer parameters (a return size tests them for NULL).
  static std::set<std::string> pointer_param_names(const FunctionPlan& fp) {
    std::set<std::string> names;
    for (const auto& pp : fp.params)
      if (pp.is_pointer) names.insert(pp.name);
    return names;
  }

  // Constant data the program reads, sized after the call: the bytes travel and the guest
  // keeps a copy. Without a size the stack cannot tell how much to copy: refused.
  template <class U>
  void plan_returned_bytes(const spec::Function& f, FunctionPlan& fp, U& unsupported) {
    const auto& r = f.ret;
    if (r.ann.size.empty()) {
      unsupported("returns " + r.type + ", data the program reads in the server's memory, and the spec gives "
                  "no size to copy it by (set the return value's size)");
      return;
    }
    // Writable memory the program may write for the library to read later: a copy in the
    // guest would keep those writes (the map and persistent shadows carry them back).
    // Memory handed over to the program (`allocates`: it frees it) is its own to write.
    if (CTypePtr to = types_.pointee(r.type); to && !to->is_const && !r.ann.allocates) {
      unsupported("returns " + r.type + ", writable memory the program may write for the library, which a copy in "
                  "the guest would keep from it (annotate the return `shadow: persistent` if the object keeps it "
                  "until a later call)");
      return;
    }
    auto parsed = spec::parse_size_expr(r.ann.size);
    if (!parsed) {
      unsupported("returned data has no valid size ('" + r.ann.size + "')");
      return;
    }
    // Handed over, but of a size the program chose (`sqlite3_malloc(n)`): memory for the
    // program to fill, not data the library made (sized by what the call wrote or answers).
    if (r.ann.allocates && returns_writable_data(r.type) && !spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Deref) &&
        !spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Query) && !spec::size_expr_uses(*parsed.expr, SizeExpr::Op::Ret)) {
      unsupported(kAllocatedForProgram + std::string(" (") + r.type + " of " + r.ann.size + ")");
      return;
    }
    CTypePtr pointee = types_.pointee(r.type);
    if (!pointee || (!pointee->is_void() && !types_.flat_copy_blocker(pointee).empty() &&
                     !string_members_only(pointee, fp.ret_string_members))) {
      unsupported("returns " + r.type + ", whose elements cannot be copied as bytes");
      return;
    }
    // A list the library ends with a sentinel element (terminated(ret, MEMBER, END)): counted
    // on the server in the library's own memory, no further than a message can carry.
    if (const SizeExpr& e = *parsed.expr; e.op == SizeExpr::Op::Terminated && e.name == "ret" && !e.args.empty()) {
      fp.ret_count_server = "remora_terminated_count_by(rm_result, " + spec::terminator_predicate_c(e) +
                            ", remora::max_message_bytes() / sizeof(*rm_result))";
      fp.ret_elem_size = "sizeof(" + unqualified(pointee) + ")";
      fp.ret = ReturnWire::Bytes;
      return;
    }
    const std::set<std::string> pointer_params = pointer_param_names(fp);
    // It is evaluated on the server after the call, from values, queries and what the call
    // itself wrote into an out element (`*piSize`: the server's own storage for it): nothing
    // the program's pointers point to is read there.
    using Op = SizeExpr::Op;
    static constexpr Op kReads[] = {Op::Field, Op::Index, Op::Strlen, Op::Readable, Op::Measured, Op::Terminated};
    const bool reads_memory = std::any_of(std::begin(kReads), std::end(kReads),
                                          [&](Op op) { return spec::size_expr_uses(*parsed.expr, op); }) ||
                              !derefs_only_outputs(f, *parsed.expr);
    if (reads_memory) {
      unsupported("the size of the returned data reads the program's memory ('" + r.ann.size + "')");
      return;
    }
    for (const auto& ref : spec::size_expr_params(*parsed.expr)) size_refs_.insert(ref);
    std::string why;
    fp.ret_count_server = size_text(*parsed.expr, Side::Server, pointer_params, "", "1", why);
    if (!why.empty()) {
      unsupported("returned data size: " + why);
      return;
    }
    fp.ret_elem_size = pointee->is_void() || r.ann.size_unit == spec::SizeUnit::Bytes
                           ? "1"
                           : "sizeof(" + unqualified(pointee) + ")";
    fp.ret = ReturnWire::Bytes;
    // Handed over (the program frees it): its copy keeps the library's address for that.
    fp.ret_allocates = r.ann.allocates;
  }

  // A pointer to writable data (not an object, a function or text): memory the program may
  // read and write in place.
  bool returns_writable_data(const std::string& type) const {
    CTypePtr to = types_.pointee(type);
    if (!to || to->is_const || types_.function_pointer(type) || types_.handle(*types_.resolve(type))) return false;
    return !types_.is_char_pointer(types_.resolve(type));
  }

  // Whether every `*p` of a returned size reads an out or in-out element the call writes (the
  // server allocates those itself, see referenced_by_size), not the program's memory.
  static bool derefs_only_outputs(const spec::Function& f, const SizeExpr& e) {
    if (e.op == SizeExpr::Op::Deref) {
      if (!e.a || e.a->op != SizeExpr::Op::Param) return false;
      const spec::Param* p = f.find_param(e.a->name);
      return p && p->ann.kind == Kind::Element && p->ann.direction != Direction::In;
    }
    return (!e.a || derefs_only_outputs(f, *e.a)) && (!e.b || derefs_only_outputs(f, *e.b));
  }

  // A struct whose pointer members are all strings (`const char *name`), and whose other
  // members copy as bytes: its elements travel as bytes and the strings beside them.
  bool string_members_only(const CTypePtr& pointee, std::vector<std::string>& strings) const {
    const spec::Type* st = types_.struct_type(*pointee);
    if (!st || st->fields.empty()) return false;
    std::vector<std::string> found;
    for (const auto& m : st->fields) {
      if (types_.is_pointer(m.type)) {
        if (m.ann.kind != Kind::String || !types_.is_char_pointer(types_.resolve(m.type))) return false;
        found.push_back(m.name);
      } else if (!types_.flat_copy_blocker(types_.resolve(m.type)).empty()) {
        return false;
      }
    }
    strings = std::move(found);
    return !strings.empty();
  }

  // A callback with user data of its own and no user-data parameter after it takes the
  // nearest one before it: the library passes that one value to every callback of the call
  // (`sqlite3_create_collation_v2(db, name, enc, pArg, xCompare, xDestroy)`). A user-data
  // parameter that serves several callbacks becomes one record with a slot per callback
  // (remora::server::HeldCallbacks, made per call): the library gets that record, each
  // callback its slot's trampoline.
  void share_user_data_before(FunctionPlan& fp) {
    for (std::size_t i = 0; i < fp.params.size(); ++i) {
      ParamPlan& cb = fp.params[i];
      if (cb.scalar != ScalarWire::Callback || cb.userdata_param >= 0 || !cb.refused_callback.empty()) continue;
      if (cb.callback_signature < 0 || !plan_.callbacks[static_cast<std::size_t>(cb.callback_signature)].has_user_data())
        continue;
      for (std::size_t j = i; j-- > 0;)
        if (fp.params[j].scalar == ScalarWire::Userdata) {
          cb.userdata_param = static_cast<int>(j);
          if (fp.params[j].callback_param < 0) fp.params[j].callback_param = static_cast<int>(i);
          break;
        }
    }
    for (std::size_t j = 0; j < fp.params.size(); ++j) {
      if (fp.params[j].scalar != ScalarWire::Userdata) continue;
      std::vector<std::size_t> served;
      for (std::size_t i = 0; i < fp.params.size(); ++i)
        if (fp.params[i].scalar == ScalarWire::Callback && fp.params[i].userdata_param == static_cast<int>(j))
          served.push_back(i);
      if (served.size() < 2) continue;
      for (std::size_t slot = 0; slot < served.size(); ++slot) fp.params[served[slot]].shared_slot = static_cast<int>(slot);
    }
  }

  template <class U>
  void plan_return(const spec::Function& f, FunctionPlan& fp, U& unsupported) {
    const auto& r = f.ret;
    CTypePtr rt = types_.resolve(r.type.empty() ? "void" : r.type);
    bool returns_function = types_.function_pointer(r.type.empty() ? "void" : r.type) != nullptr;
    // What the stub returns if planning stops early (the C return type decides the failure value).
    fp.ret = rt->is_void() ? ReturnWire::Void : rt->is_pointer_like() ? ReturnWire::Opaque : ReturnWire::Value;
    if (rt->is_void()) {
      fp.ret = ReturnWire::Void;
    } else if (returns_function || r.ann.kind == Kind::Callback) {
      // A function pointer from the server is an address in the server: the guest can only
      // hand out its own stubs. Looked up by a name: a proc-address function.
      fp.name_param = name_parameter(f);
      if (fp.name_param < 0) {
        unsupported("returns a function pointer, but takes no single `const char *` name to look it up by");
        return;
      }
      if (!types_.is_pointer(r.type)) {
        unsupported("returns a function (kind callback) in a non-pointer type " + r.type);
        return;
      }
      fp.ret = ReturnWire::ProcAddress;
      plan_.has_proc_address = true;
    } else if (r.ann.shadow == "map" || r.ann.shadow == "persistent") {
      fp.ret = ReturnWire::MapShadow;
      if (r.ann.shadow == "persistent") {
        // The object that lends it: the last handle (as for a persistent mapping through `void **`).
        fp.map_persistent = true;
        plan_.has_persistent_mappings = true;
        for (std::size_t j = 0; j < fp.params.size(); ++j)
          if (fp.params[j].scalar == ScalarWire::Handle) fp.map_owner_param = static_cast<int>(j);
        if (fp.map_owner_param < 0) {
          unsupported("the returned persistent mapping needs a handle parameter that owns it");
          return;
        }
      }
      auto parsed = spec::parse_size_expr(r.ann.size);
      if (!parsed) {
        unsupported("mapped return value has no valid size ('" + r.ann.size + "')");
        return;
      }
      const std::set<std::string> pointer_params = pointer_param_names(fp);
      // p[i] reads are checked on the server before the call, as for buffer sizes.
      PointerVariant checks;
      if (std::string why = plan_index_reads(f, "the mapped return value", *parsed.expr, checks); !why.empty()) {
        unsupported(why);
        return;
      }
      fp.map_index_reads = checks.index_reads;
      for (const auto& ref : spec::size_expr_params(*parsed.expr)) size_refs_.insert(ref);
      std::string why;
      fp.map_size_server = size_text(*parsed.expr, Side::Server, pointer_params, "", "1", why);
      if (!why.empty()) unsupported("mapped return size: " + why);
    } else if (r.ann.kind == Kind::Handle || types_.handle(*rt)) {
      fp.ret = ReturnWire::Handle;
      fp.ret_handle_type = !r.ann.handle_type.empty() ? r.ann.handle_type : unqualified(rt);
      fp.ret_handle_type_index = handle_index(fp.ret_handle_type);
      fp.ret_allocates = r.ann.allocates;
    } else if (r.ann.kind == Kind::String || types_.is_char_pointer(rt)) {
      fp.ret = ReturnWire::String;
      fp.ret_allocates = r.ann.allocates;  // the program frees it: its copy keeps the library's address
    } else if (r.ann.kind == Kind::Buffer) {
      plan_returned_bytes(f, fp, unsupported);
    } else if (rt->is_pointer_like() && r.ann.kind == Kind::Element) {
      // Its address is the server's: the program would read (or call) memory it does not have.
      unsupported("returns a pointer to data the program reads (" + spell(*rt) +
                  "), which lives in the server; only opaque pointers, handles and strings are returned");
    } else if (rt->is_pointer_like()) {
      fp.ret = ReturnWire::Opaque;
      if (r.ann.allocates && returns_writable_data(r.type))
        unsupported(kAllocatedForProgram + std::string(" (") + r.type + ")");
    } else {
      fp.ret = ReturnWire::Value;
      if (std::string blocker = types_.flat_copy_blocker(rt); !blocker.empty())
        unsupported("returns a struct by value that cannot be copied as bytes: " + blocker);
    }
  }

  // The status type a spelling names, directly or through typedefs (nullptr if none).
  const spec::Type* status_type_of(const std::string& spelling) const {
    return types_.along_chain(spelling, [this](const spec::Type& t) { return is_status_type(&t); });
  }

  void plan_status(const spec::Function& f, FunctionPlan& fp) {
    const spec::Type* rt = status_type_of(f.ret.type.empty() ? "void" : f.ret.type);
    if (fp.ret == ReturnWire::Value && rt) {
      fp.status_type = rt;
      fp.success = rt->success;
      if (!fp.success.empty()) fp.failed = failure_predicate(*rt);
    }
    for (const auto& pp : fp.params) {
      if (!pp.is_pointer) continue;
      const auto& a = pp.param->ann;
      if (a.kind != Kind::Element || a.direction != Direction::Out) continue;
      CTypePtr pointee = types_.pointee(pp.param->type);
      const spec::Type* t = pointee ? status_type_of(unqualified(pointee)) : nullptr;
      if (!t) t = pointee && pointee->kind == CType::Kind::Named ? status_type_of(pp.param->ann.pointee) : nullptr;
      if (!t || t->error == "abort") continue;
      fp.errcode_param = pp.index;
      fp.errcode_error = t->error.empty() ? "-1" : t->error;
      break;
    }
    plan_failure(f, fp);
  }

  // When a returned status means failure: any value but success, except where the
  // type's constants put negative errors beside positive values around a zero success
  // (Vulkan's VK_INCOMPLETE, zlib's Z_STREAM_END): those report how the call succeeded,
  // and its outputs are written. CUDA (positive errors) and OpenCL (negative) differ.
  static std::string failure_predicate(const spec::Type& status) {
    bool success_zero = false, negative = false, positive = false;
    for (const auto& k : status.constants) {
      if (k.name == status.success) success_zero = k.value == 0;
      else if (k.value < 0) negative = true;
      else if (k.value > 0) positive = true;
    }
    if (success_zero && negative && positive) return "static_cast<long long>(rm_result) < 0";
    return "rm_result != " + status.success;
  }

  // What a call that cannot be made returns: never a value the caller takes for success.
  // The spec's `error` along the return type's typedef chain decides ("abort" = abort),
  // else the return's own `error` (a plain `int` documented "0 on error"); a status type
  // without one returns -1; pointers return NULL; anything else (void, plain numbers,
  // structs) has no way to say it failed, so the stub aborts.
  void plan_failure(const spec::Function& f, FunctionPlan& fp) {
    std::string rtype = f.ret.type.empty() ? "void" : f.ret.type;
    if (f.noreturn) {  // its stub must not return either (the compiler holds it to that)
      fp.fail = FailMode::Abort;
      fp.fail_why = "it is declared never to return";
      return;
    }
    std::string err = types_.error_value(rtype);
    if (err.empty() && fp.status_type) err = fp.status_type->error;
    // A plain number whose failure value the spec gives on the return itself.
    if (err.empty() && fp.ret == ReturnWire::Value) err = f.ret.ann.error;
    if (err == "abort") {
      fp.fail = FailMode::Abort;
      fp.fail_why = "the spec says calls returning " + rtype + " abort when they cannot be made";
      return;
    }
    if (!err.empty() && fp.ret != ReturnWire::Void) {
      fp.fail = FailMode::ReturnError;
      fp.error_value = err;
      return;
    }
    if (fp.status_type) {
      fp.fail = FailMode::ReturnError;
      fp.error_value = "-1";
      if (warned_types_.insert(fp.status_type->name).second)
        plan_.warnings.push_back("status type " + fp.status_type->name + " has no error value; failed calls return -1");
      return;
    }
    switch (fp.ret) {
      case ReturnWire::Handle:
      case ReturnWire::Opaque:
      case ReturnWire::Bytes:
      case ReturnWire::String:
      case ReturnWire::MapShadow:
      case ReturnWire::ProcAddress: fp.fail = FailMode::ReturnNull; return;
      case ReturnWire::Void:
        fp.fail = FailMode::Abort;
        fp.fail_why = "it returns void, so it cannot report the failure";
        return;
      case ReturnWire::Value: break;
    }
    fp.fail = FailMode::Abort;
    fp.fail_why = "its return type " + rtype + " has no error value in the spec";
  }

  // Only its status comes back: no pointer parameter with outputs, a status return.
  static bool status_only_call(const FunctionPlan& fp) {
    if (!fp.status_type || fp.success.empty()) return false;
    for (const auto& pp : fp.params) {
      if (pp.scalar == ScalarWire::Unmap) return false;  // releases a guest shadow
      // Writes into the program's memory: a persistent mapping's address, a stream
      // state's cursors and counters, the end of an object's persistent mappings.
      if (pp.scalar == ScalarWire::MapOut || pp.scalar == ScalarWire::State || pp.unmaps_owner) return false;
      // A callback may run during the call, and the program expects it to have run when
      // the call returns (callbacks raised during a call run before it returns).
      if (pp.scalar == ScalarWire::Callback) return false;
      for (const auto& v : pp.variants) {
        // Anything the call writes into the program's memory (deep-copied structs too).
        bool writes = v.ann.direction != Direction::In && v.shape != PointerVariant::Shape::Opaque &&
                      v.shape != PointerVariant::Shape::String;
        if (writes || v.has_outputs() || !v.unsupported_reason.empty()) return false;
      }
    }
    return true;
  }

  // Skipping the reply of a status-only call answers it with the success value. That is
  // only right where every other value of the status type is a failure (reported later,
  // as documented for async calls), never where a value carries information: Vulkan's
  // VK_NOT_READY / VK_TIMEOUT (positive, beside negative errors), CUDA's
  // cudaErrorNotReady from a stream query. Structural test: the success value is 0 and
  // every other constant of the type is negative (OpenCL's errors); no constants, no skip.
  static bool status_means_only_failure(const spec::Type& status) {
    bool any = false;
    for (const auto& k : status.constants) {
      if (k.name == status.success) {
        if (k.value != 0) return false;
        continue;
      }
      if (k.value >= 0) return false;
      any = true;
    }
    return any;
  }

  void plan_async(const spec::Function& f, FunctionPlan& fp) {
    if (!fp.supported) return;
    if (f.sync.mode == spec::Sync::Mode::Sync) {
      // A plain `sync` call that only returns a status and waits for nothing (not a
      // barrier) needs no reply: its error is reported by the next synchronous call, as
      // for async calls. An `async_if` call whose condition is false is not one of these:
      // the spec says it completes its work (a build) before returning its status.
      if (!f.barrier && status_only_call(fp) && status_means_only_failure(*fp.status_type)) {
        fp.can_be_async = true;
        fp.defer_reply = true;
      }
      return;
    }
    // Non-blocking at the API level: out buffers and mappings fill in later either way.
    std::string why;
    fp.async_condition = f.sync.mode == spec::Sync::Mode::Async ? "true" : predicate_c(f.sync.condition, why);
    if (fp.async_condition.empty()) {  // not a predicate: the call is made synchronously
      fp.async_condition = "false";
      plan_.warnings.push_back(f.name + ": async_if " + why + "; the call is made synchronously");
    }
    bool status_only = fp.ret == ReturnWire::Void || (fp.status_type && !fp.success.empty());
    if (!status_only) return;  // the caller needs the return value: the call waits for its reply
    fp.can_be_async = true;
    for (auto& pp : fp.params) {
      if (!pp.is_pointer) continue;
      for (const auto& v : pp.variants) {
        bool out = v.ann.direction != Direction::In;
        bool blocks = (out && (v.shape == PointerVariant::Shape::Element || v.elem != ElemWire::Raw)) ||
                      v.has_inner_outputs();
        if (blocks && guest_assignable(pp)) {
          pp.guest_assigned = true;  // the guest names the new handle: no reply needed
          break;
        }
        if (blocks) {
          fp.async_blockers.push_back(pp.name);
          break;
        }
      }
    }
  }

  // `cacheable`: what the guest can replay is a reply made of values and outputs that the
  // arguments alone decide. Calls without a reply, new handles, mappings, returned strings,
  // inputs behind pointers (their bytes would be part of the key) and buffers of buffers
  // are not replayable; the spec's claim is then ignored with a warning.
  void plan_cache(const spec::Function& f, FunctionPlan& fp) {
    if (f.cacheable.empty() || !fp.supported) return;
    std::string why;
    if (fp.can_be_async || !fp.async_condition.empty()) why = "it may run without a reply";
    else if (fp.ret != ReturnWire::Void && fp.ret != ReturnWire::Value) why = "its return value is not a plain value";
    for (const auto& pp : fp.params) {
      if (!why.empty()) break;
      if (pp.scalar == ScalarWire::Callback || pp.scalar == ScalarWire::Userdata || pp.scalar == ScalarWire::Unmap)
        why = "parameter " + pp.name + " is not a plain value";
      for (const auto& v : pp.variants) {
        bool replayable = v.shape == PointerVariant::Shape::Buffer || v.shape == PointerVariant::Shape::Element;
        if (!v.unsupported_reason.empty()) continue;
        if (!replayable || v.ann.direction != Direction::Out || v.elem == ElemWire::Buffer || v.elem == ElemWire::String ||
            v.elem == ElemWire::Struct || v.elem_allocates)
          why = "parameter " + pp.name + " is not only an output of values";
      }
    }
    std::string c = f.cacheable == "true" ? "true" : predicate_c(f.cacheable, why);
    if (!why.empty() || c.empty()) {
      plan_.warnings.push_back(f.name + ": cacheable ignored: " + why);
      return;
    }
    fp.cache_condition = c;
    // Siblings: the same request with another handle in the first field (the first
    // parameter is a scalar handle, so its u64 opens the fields). Their answers are kept
    // only on success, which the server checks by comparing the status with the asked
    // call's; a predicate naming that handle could differ for them, so it rules them out.
    if (fp.params.empty() || fp.params[0].is_pointer || fp.params[0].scalar != ScalarWire::Handle || !fp.status_type ||
        fp.success.empty())
      return;
    if (c != "true") {
      spec::SizeExprParse parsed = spec::parse_predicate(f.cacheable);
      if (!parsed) return;
      for (const auto& n : spec::size_expr_params(*parsed.expr))
        if (n == fp.params[0].name) return;
    }
    fp.prefetch_siblings = true;
  }

  // `in_order`: evaluated by the server after the creating call succeeded, on its decoded
  // arguments. `property(p, KEY)` reads the key/value list p as the server received it
  // (its element count is rm_n_p); any other memory read is not a predicate.
  void plan_in_order(const spec::Function& f, FunctionPlan& fp) {
    if (f.in_order.empty() || f.in_order == "false" || !fp.supported) return;
    bool makes_handle = fp.ret == ReturnWire::Handle && fp.ret_allocates;
    for (const auto& pp : fp.params)
      for (const auto& v : pp.variants)
        if (v.elem == ElemWire::Handle && v.elem_allocates &&
            v.shape == PointerVariant::Shape::Element)
          makes_handle = true;
    if (!makes_handle) {
      plan_.warnings.push_back(f.name + ": in_order ignored: the call makes no handle");
      return;
    }
    if (f.in_order == "true") {
      fp.in_order_condition = "true";
      return;
    }
    std::string why;
    auto custom = [&](const spec::SizeExpr& n) -> std::string {
      if (n.op != spec::SizeExpr::Op::Property) return "";
      const ParamPlan* list = nullptr;
      for (const auto& pp : fp.params)
        if (pp.name == n.name && pp.is_pointer) list = &pp;
      if (!list || n.args.size() != 1) {
        why = "property() of " + n.name + ", which is not a list the call takes";
        return "0";
      }
      return "remora::property_value(" + n.name + ", rm_n_" + n.name + ", " + n.args[0] + ")";
    };
    std::string c = predicate_c(f.in_order, why, spec::parse_creation_predicate, custom);
    if (!why.empty() || c.empty()) {
      plan_.warnings.push_back(f.name + ": in_order ignored: " + why);
      return;
    }
    fp.in_order_condition = c;
  }

  // An integer by value: the typed model when the spec has it, else the resolved spelling.
  bool integer_param(const ParamPlan& pp) const {
    if (!pp.param->ctype.empty()) return spec::is_integer_like(pp.param->ctype);
    CTypePtr t = types_.resolve(pp.param->type);
    if (t->kind != CType::Kind::Named || types_.handle(*t) || types_.struct_type(*t)) return false;
    return t->name != "float" && t->name != "double" && t->name != "long double" && !t->is_void();
  }

  // `chunk`: the guest may send a large transfer as several calls on consecutive pieces,
  // so that the transport carries piece k+1 while the library copies piece k. Only where
  // the pieces together mean what the one call means: a data buffer of raw elements in
  // one variant, sized by the by-value `size` alone, `offset` by value; a status whose
  // every other value is a failure (the last piece reports the first failure) or no
  // return value; no callbacks. Outputs other than the status and the buffer (an event,
  // an errcode) or callbacks passed at run time make the call go whole (must_be_null).
  // An input buffer (a write): all pieces but the last without a reply. An out buffer
  // (a read): every piece with a reply, read after the next piece is sent (pipelined),
  // and only when the call blocks (a non-blocking read's bytes come at the next
  // synchronisation, so its pieces would overlap nothing).
  void plan_chunk(const spec::Function& f, FunctionPlan& fp) {
    if (!f.chunk || f.chunk->status == spec::ReviewStatus::Unsupported || !fp.supported) return;
    std::string why;
    auto index_of = [&](const std::string& n) {
      for (std::size_t i = 0; i < fp.params.size(); ++i)
        if (fp.params[i].name == n) return static_cast<int>(i);
      return -1;
    };
    FunctionPlan::Chunk c;
    c.buffer = index_of(f.chunk->buffer);
    c.size = index_of(f.chunk->size);
    c.offset = index_of(f.chunk->offset);
    if (c.buffer < 0 || c.size < 0 || c.offset < 0 || c.size == c.offset) why = "it names parameters the call lacks";
    if (why.empty()) {
      const ParamPlan& b = fp.params[static_cast<std::size_t>(c.buffer)];
      const ParamPlan& s = fp.params[static_cast<std::size_t>(c.size)];
      const ParamPlan& o = fp.params[static_cast<std::size_t>(c.offset)];
      if (!b.is_pointer || b.variants.size() != 1 || b.variants[0].shape != PointerVariant::Shape::Buffer ||
          b.variants[0].elem != ElemWire::Raw ||
          (b.variants[0].ann.direction != Direction::In && b.variants[0].ann.direction != Direction::Out))
        why = "only an input or output buffer of plain elements without `when` is split";
      else if (trim(b.variants[0].ann.size) != s.name)
        why = "the buffer is not sized by " + s.name + " alone";
      else if (s.is_pointer || o.is_pointer || s.scalar != ScalarWire::Value || o.scalar != ScalarWire::Value ||
               !integer_param(s) || !integer_param(o))
        why = "size and offset must be integers passed by value";
      else if (!(fp.ret == ReturnWire::Void ||
                 (fp.status_type && !fp.success.empty() && status_means_only_failure(*fp.status_type))))
        why = "its return value is not a status whose every other value is a failure";
      else if (b.variants[0].ann.retain == "object")
        why = "the library keeps the buffer for the object the call creates";
      else {
        c.esize = b.variants[0].elem_size_guest;
        c.out = b.variants[0].ann.direction == Direction::Out;
      }
    }
    for (std::size_t i = 0; why.empty() && i < fp.params.size(); ++i) {
      const ParamPlan& pp = fp.params[i];
      if (static_cast<int>(i) == c.buffer) continue;
      if (pp.scalar == ScalarWire::Callback || pp.scalar == ScalarWire::Userdata || pp.scalar == ScalarWire::State ||
          pp.scalar == ScalarWire::MapOut || pp.scalar == ScalarWire::Unmap || pp.deallocates)
        why = "parameter " + pp.name + " is not a plain input";
      if (!pp.is_pointer) continue;
      bool input = true;
      for (const auto& v : pp.variants) input &= v.ann.direction == Direction::In && !v.has_outputs() && !v.elem_allocates;
      if (!input || pp.guest_assigned || static_cast<int>(i) == fp.errcode_param) c.must_be_null.push_back(pp.name);
    }
    if (!why.empty()) {
      plan_.warnings.push_back(f.name + ": chunk ignored: " + why);
      return;
    }
    fp.chunk = std::move(c);
  }

  // An out element that receives one new handle in every variant (an enqueue's event).
  static bool guest_assignable(const ParamPlan& pp) {
    if (!pp.is_pointer || pp.referenced_by_size || pp.variants.empty()) return false;
    for (const auto& v : pp.variants)
      if (v.shape != PointerVariant::Shape::Element || v.elem != ElemWire::Handle ||
          v.ann.direction != Direction::Out || !v.elem_allocates || !v.unsupported_reason.empty())
        return false;
    return true;
  }

  std::string describe_function(const spec::Function& f) {
    std::string s;
    if (f.sync.mode == spec::Sync::Mode::Async) s += "async";
    else if (f.sync.mode == spec::Sync::Mode::AsyncIf) {
      std::string why;
      s += "async if (" + predicate_c(f.sync.condition, why) + ")";
    }
    else s += "sync";
    if (f.barrier) s += ", barrier";
    return s;
  }

  const spec::Spec& spec_;
  std::set<std::string> handle_spellings_;  // spelled_as_handle_params
  TypeModel types_;
  std::map<std::string, int> state_index_;
  std::map<std::string, std::string> state_why_;
  StackPlan plan_;
  StructPlan structs_;
  std::set<std::string> size_refs_;  // params read by the current function's size expressions
  std::set<std::string> warned_types_;
};

}  // namespace

bool is_simple_type(const std::string& c_type) {
  return !c_type.empty() && c_type.find('(') == std::string::npos && c_type.find('[') == std::string::npos;
}

// The runtime module the spec's library asks for: the functions it implements are
// supported by it (whatever the spec could say about them), and its wire calls are
// part of the wire format.
namespace {
void apply_runtime_module(StackPlan& plan) {
  plan.module = runtime_module_for(*plan.spec);
  if (!plan.module) return;
  std::uint64_t fp = fnv1a(plan.fingerprint, "module|" + plan.module->id);
  for (const auto& c : plan.module->calls) fp = fnv1a(fp, c.name);
  for (auto& fpn : plan.functions)
    for (const auto& [name, why] : plan.module->refuses)
      if (fpn.fn->name == name && fpn.supported) {
        fpn.supported = false;
        fpn.reason = why + " (" + plan.module->id + " runtime module)";
        fp = fnv1a(fp, "refused|" + name);
      }
  for (auto& fpn : plan.functions)
    for (const auto& r : plan.module->refuses_when) {
      if (fpn.fn->name != r.function || !fpn.supported) continue;
      std::string why;
      std::string c = predicate_c(r.condition, why);
      if (c.empty()) {
        fpn.supported = false;
        fpn.reason = why + " (" + plan.module->id + " runtime module)";
      } else {
        fpn.refused_when.emplace_back(c, r.reason + " (" + plan.module->id + " runtime module)");
      }
      fp = fnv1a(fp, "refused_when|" + r.function + "|" + r.condition);
    }
  for (auto& fpn : plan.functions)
    for (const auto& o : plan.module->overrides)
      if (fpn.fn->name == o) {
        fpn.module_owned = true;
        fpn.supported = true;
        fpn.reason.clear();
        fp = fnv1a(fp, "owned|" + o);
      }
  // Wrapping changes no wire format: the stub travels as the spec says.
  for (auto& fpn : plan.functions)
    for (const auto& w : plan.module->wraps)
      if (fpn.fn->name == w && !fpn.module_owned) fpn.module_wrapped = true;
  plan.fingerprint = fp;
}
}  // namespace

StackPlan make_plan(const spec::Spec& spec) {
  StackPlan plan = Planner(spec).run();
  apply_runtime_module(plan);
  return plan;
}

bool uses_deep_copy(const FunctionPlan& fp) {
  for (const auto& pp : fp.params)
    for (const auto& v : pp.variants)
      if (v.elem == ElemWire::Struct && v.unsupported_reason.empty()) return true;
  return false;
}

}  // namespace remora::codegen
