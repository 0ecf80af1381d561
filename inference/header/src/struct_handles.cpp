// Handles spelled as pointers to structs (`libusb_context *`, `struct fooHandle_t *`,
// `gzFile` = pointer to a public struct): recognised from the object's lifecycle
// across the whole API, not from one declaration. A struct pointer is an object
// reference when the API hands it out (returned, or written through `T **` by a
// create/open/alloc call) and takes it back in a release/destroy/close/free call.
// A struct the caller allocates and fills (`z_stream *`) is never handed out by the
// API, so it stays a struct the API reads and writes.
#include <map>
#include <set>
#include <vector>

#include "function_words.h"
#include "remora/inference/header_rules.h"
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

bool is_record_pointer(const TypeInfo& t) {
  return t.shape == TypeShape::Pointer && !t.is_handle && t.pointee &&
         t.pointee->shape == TypeShape::Record && !t.pointee->record_name.empty();
}

// `typedef void BZFILE;` used as `BZFILE *`: a named type with no layout at all.
bool is_void_typedef_pointer(const TypeInfo& t) {
  return t.shape == TypeShape::Pointer && !t.is_handle && t.pointee &&
         t.pointee->shape == TypeShape::Void && !t.pointee->typedef_name.empty();
}

// `typedef void *EGLDisplay;` used by value: a named pointer with nothing behind it. Not one
// whose name says it is untyped memory (voidpf, png_voidp, gpointer, LPVOID, data_ptr).
bool is_void_pointer_typedef(const TypeInfo& t) {
  if (t.shape != TypeShape::Pointer || t.is_handle || t.typedef_name.empty() || !t.pointee ||
      t.pointee->shape != TypeShape::Void || !t.pointee->typedef_name.empty())
    return false;
  std::string lower = to_lower(t.typedef_name);
  for (const char* generic : {"void", "ptr", "pointer", "data", "buf", "mem", "addr"})
    if (lower.find(generic) != std::string::npos) return false;
  return true;
}

bool is_object_pointer(const TypeInfo& t) {
  return is_record_pointer(t) || is_void_typedef_pointer(t) || is_void_pointer_typedef(t);
}

// The key an object type goes by: the struct's name, or the void typedef's.
std::string object_key(const TypeInfo& t) {
  if (is_record_pointer(t)) return t.pointee->record_name;
  return "typedef " + (is_void_pointer_typedef(t) ? t.typedef_name : t.pointee->typedef_name);
}

struct Lifecycle {
  bool complete = false;
  std::vector<std::string> produced_by;  // functions that hand the pointer out
  std::vector<std::string> created_by;   // ... and whose name says they create/open/alloc it
  std::vector<std::string> released_by;  // release/destroy/close/free functions taking it
  std::string display;                   // how to name the handle type
  bool void_typedef = false;             // `typedef void BZFILE`: no layout to tell from
  bool void_pointer_typedef = false;     // `typedef void *EGLDisplay`
  std::set<std::string> taken_by;        // functions taking it by value
};

void note_output(std::map<std::string, Lifecycle>& life, const TypeInfo& t, const ParsedFunction& f,
                 const names::Words& words) {
  if (!is_object_pointer(t)) return;
  Lifecycle& l = life[object_key(t)];
  l.produced_by.push_back(f.name);
  if (names::creates_object(words)) l.created_by.push_back(f.name);
}

// The name a handle type goes by (a C identifier, as the spec requires): the
// typedef of the pointer (gzFile), else the struct's typedef or tag (sqlite3,
// libusb_context for `libusb_context *`).
std::string display_name(const TypeInfo& pointer) {
  if (!pointer.typedef_name.empty()) return pointer.typedef_name;
  if (is_void_typedef_pointer(pointer)) return pointer.pointee->typedef_name;
  const TypeInfo& r = *pointer.pointee;
  if (!r.typedef_name.empty()) return r.typedef_name;
  std::string tag = r.record_name;
  for (const char* prefix : {"struct ", "union "})
    if (tag.rfind(prefix, 0) == 0) tag = tag.substr(std::string(prefix).size());
  return tag;
}

void promote(TypeInfo& t, const std::map<std::string, std::string>& handles, int depth = 0) {
  if (depth > 8) return;
  if (is_object_pointer(t)) {
    auto it = handles.find(object_key(t));
    if (it != handles.end()) {
      if (t.typedef_name.empty()) t.typedef_name = display_name(t);
      t.is_handle = true;
      t.handle_why = it->second;
    }
  }
  if (t.pointee) promote(*t.pointee, handles, depth + 1);
}

}  // namespace

void recognise_struct_handles(ParsedHeader& header) {
  std::map<std::string, Lifecycle> life;
  for (const ParsedFunction& f : header.functions) {
    names::Words words = function_words(header, f.name);
    note_output(life, f.ret, f, words);
    for (const ParsedParam& p : f.params) {
      const TypeInfo& t = p.type;
      // T **out: the API writes an object reference into the caller's variable.
      if (t.shape == TypeShape::Pointer && t.pointee && !t.pointee->is_const)
        note_output(life, *t.pointee, f, words);
    }
    if (names::releases_object(words) && !names::creates_object(words)) {
      for (const ParsedParam& p : f.params)
        if (is_object_pointer(p.type)) {
          life[object_key(p.type)].released_by.push_back(f.name);
          break;  // the first object argument is the one released
        }
    }
    for (const ParsedParam& p : f.params)
      if (is_void_pointer_typedef(p.type)) life[object_key(p.type)].taken_by.insert(f.name);
  }
  // Completeness and display names, from parameters and returns alike (a struct only
  // ever returned, expat's `const XML_Feature *XML_GetFeatureList(void)`, is defined too).
  for (const ParsedFunction& f : header.functions) {
    std::vector<const TypeInfo*> types{&f.ret};
    for (const ParsedParam& p : f.params) types.push_back(&p.type);
    for (const TypeInfo* top : types) {
      const TypeInfo* t = top;
      for (int d = 0; t && d < 4; ++d, t = t->pointee.get())
        if (is_object_pointer(*t)) {
          auto it = life.find(object_key(*t));
          if (it == life.end()) continue;
          it->second.void_typedef = is_void_typedef_pointer(*t);
          it->second.void_pointer_typedef = is_void_pointer_typedef(*t);
          it->second.complete = is_record_pointer(*t) && t->pointee->record_complete;
          if (it->second.display.empty() || !t->typedef_name.empty())
            it->second.display = display_name(*t);
        }
    }
  }

  std::map<std::string, std::string> handles;  // record name -> why
  for (const auto& [record, l] : life) {
    auto first = [](const std::vector<std::string>& v) {
      return v.empty() ? std::string() : v.front();
    };
    std::string why;
    if (l.void_pointer_typedef) {
      // Handed out by the API and handed back by value to several of its functions
      // (eglGetDisplay ... eglInitialize(dpy), eglTerminate(dpy)): an object reference
      // the caller never looks behind.
      if (!l.produced_by.empty() && l.taken_by.size() >= 2)
        why = "'" + l.display + "' (a typedef of void *) is handed out by " + first(l.produced_by) +
              " and passed back by value to " + std::to_string(l.taken_by.size()) +
              " functions: an opaque object reference";
    } else if (l.void_typedef) {
      // A name for `void` (BZFILE) could also be a name for untyped data (GLvoid):
      // only a full lifecycle makes it an object reference.
      if (!l.created_by.empty() && !l.released_by.empty())
        why = "pointer to '" + l.display + "' (a typedef of void) created by " +
              first(l.created_by) + " and released by " + first(l.released_by) +
              ": an opaque object reference";
    } else if (!l.complete && (!l.produced_by.empty() || !l.released_by.empty())) {
      why = "pointer to '" + record + "', a struct the header never defines, that the API " +
            (l.produced_by.empty() ? "takes back in " + first(l.released_by)
                                   : "hands out (" + first(l.produced_by) + ")") +
            ": an opaque object reference";
    } else if (l.complete && !l.created_by.empty() && !l.released_by.empty()) {
      // A public struct the API allocates and frees itself: the caller holds a reference,
      // its fields are the library's (gzFile: gzopen ... gzclose).
      why = "pointer to '" + record + "' created by " + first(l.created_by) + " and released by " +
            first(l.released_by) +
            ": an object reference the API owns (its fields are not marshalled)";
    }
    if (!why.empty()) handles[record] = why;
  }
  if (handles.empty()) return;
  for (ParsedFunction& f : header.functions) {
    promote(f.ret, handles);
    for (ParsedParam& p : f.params) promote(p.type, handles);
  }
  for (ParsedType& t : header.types) {
    promote(t.underlying, handles);
    // The typedef itself (`typedef void *EGLDisplay`) names the handle type.
    if (t.form != ParsedType::Form::Typedef || t.underlying.shape != TypeShape::Pointer ||
        !t.underlying.pointee || t.underlying.pointee->shape != TypeShape::Void)
      continue;
    if (auto it = handles.find("typedef " + t.name); it != handles.end()) {
      t.underlying.is_handle = true;
      t.underlying.handle_why = it->second;
    }
  }
}

}  // namespace remora::inference
