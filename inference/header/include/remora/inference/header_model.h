// What the header parser extracts from a vendor header: functions, types,
// macros and doc comments, with enough type structure for the header rules.
// Plain data, no libclang types, so rules and tests never touch libclang.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::inference {

// The shape of a type once typedefs are looked through.
enum class TypeShape { Void, Bool, Char, Integer, Floating, Enum, Record, Pointer, Function, Array, Other };

struct TypeInfo {
  std::string spelling;       // as written: "const cl_event *"
  TypeShape shape = TypeShape::Other;
  bool is_const = false;      // const-qualified at this level
  bool is_handle = false;     // spelled with a typedef of a pointer to an opaque struct
  std::string typedef_name;   // the typedef it is spelled with ("cl_bool"), "" if none
  std::string handle_why;     // is_handle from the API's lifecycle (recognise_struct_handles): the reason
  bool record_complete = false;           // Record: has a definition
  std::string record_name;                // Record: the struct's own name, unqualified ("struct z_stream_s")
  long long array_size = -1;              // Array: declared length (`const float blend[4]` -> 4), -1 if none
  long long size_bytes = -1;              // sizeof the type, -1 when it has none (void, incomplete)
  std::shared_ptr<TypeInfo> pointee;      // Pointer / Array: what it points to
  std::string function_signature;         // Pointer to function: "void (const char *, void *)"
  bool function_variadic = false;

  bool is_pointer() const { return shape == TypeShape::Pointer || shape == TypeShape::Array; }
  bool is_integer_like() const {
    return shape == TypeShape::Integer || shape == TypeShape::Bool || shape == TypeShape::Enum ||
           shape == TypeShape::Char;
  }
  bool is_function_pointer() const {
    return is_pointer() && pointee && pointee->shape == TypeShape::Function;
  }
};

struct DocParam {
  std::string name;
  std::string direction;  // "in" | "out" | "in,out" | "" when not stated
  std::string text;
};

// A Doxygen comment attached to (or found directly above) a declaration.
struct DocComment {
  std::string brief;
  std::string body;                 // the whole comment, markers stripped
  int body_offset = 0;              // lines from the comment's first line to the body's
  std::vector<DocParam> params;
  std::string returns;
  // The comment's paragraphs of running text (not a \param, \return or \sa list): the
  // brief, the description, \note and \warning text, and a paragraph that follows a
  // command after a blank line. Each line as written (inline commands kept: "\p size"
  // marks a name), with its offset from the comment's first line.
  std::vector<std::pair<int, std::string>> prose;
  std::string file;                 // file and first line of the comment
  int line = 0;
  bool from_libclang = false;       // false: read from the raw text above the declaration
  bool empty() const { return brief.empty() && body.empty() && params.empty() && returns.empty(); }
};

struct ParsedParam {
  std::string name;  // "" in the header -> "argN" is filled in by the parser
  bool unnamed = false;  // the header gives no name: `name` is the parser's argN
  TypeInfo type;
  spec::CType ctype;
  int line = 0;
  // Its own trailing comment (`void *dst, ///< [out] where to copy`), Level Zero's
  // style of documenting each parameter: read as that parameter's \param.
  std::optional<DocParam> trailing_doc;
  // The header's C++ declaration gives it a default argument of 0, NULL or nullptr
  // (`cudaStream_t stream __dv(0)`, `hipStream_t stream = NULL` under __cplusplus): a
  // C++ caller may leave it out, so NULL is a value the library takes.
  bool defaults_to_null = false;
  // Declared as a C99 array whose extent is another parameter, or what it points to
  // (`uint8_t buf[*encoded_size]`): that parameter's name.
  std::string array_extent_param;
};

struct ParsedFunction {
  std::string name;    // the name programs call (macro name for #define renames)
  std::string symbol;  // the declared symbol when it differs from name
  TypeInfo ret;
  spec::CType ret_ctype;
  std::vector<ParsedParam> params;
  bool variadic = false;
  // Declared `f()` in C: no prototype. Taken as no arguments (what C++, C23 and the
  // library's own build read it as); the function evidence says so for review.
  bool no_prototype = false;
  bool cxx_linkage = false;  // C++ linkage when the header is read as C++ (default_arguments.h)
  bool noreturn = false;  // declared never to return (_Noreturn, [[noreturn]], __attribute__((noreturn)))
  std::string file;    // display file name ("cl.h")
  std::string path;    // the header that declares it, as libclang names it
  int line = 0;
  DocComment doc;
  // The first parse error inside this prototype ("" if none): its types may be
  // wrong (clang reads an unknown type as int), so the call must not be remoted.
  std::string error;
};

struct ParsedMacro {
  std::string name;
  std::string body;                 // tokens joined by spaces
  std::optional<long long> value;   // integer value when the body is an integer constant
  std::string file;
  int line = 0;
};

// What the field rules need about one struct member beyond spec::StructField.
struct ParsedField {
  TypeInfo type;
  int line = 0;
  bool in_union = false;  // shares its storage with other members (a union, or an anonymous union member)
  std::string doc;        // its doc comment's raw text ("" if none)
};

struct ParsedType {
  enum class Form { Typedef, Enum, Struct } form = Form::Typedef;
  std::string name;
  TypeInfo underlying;                          // Typedef: the aliased type
  spec::CType ctype;                            // Typedef: the aliased type, typed
  std::vector<spec::EnumConstant> constants;    // Enum
  // Struct: members with name, spelling, ctype, offset (anonymous struct/union
  // members are flattened in, as C lets a program name them), and beside each
  // the rules' view of its type.
  std::vector<spec::StructField> fields;
  std::vector<ParsedField> field_info;          // parallel to fields
  std::string record;                           // Struct: "struct" | "union"
  long long size = -1;                          // Struct: sizeof / alignof
  long long align = -1;
  std::string file;
  int line = 0;
  std::string doc;  // Struct, Typedef: the doc comment's raw text ("" if none)
  // Typedef of a function pointer: its parameters with the names the header gives them
  // (types come from `underlying`'s signature); empty for other typedefs.
  std::vector<ParsedParam> callback_params;
};

struct ParsedHeader {
  std::string main_file;     // absolute path of the (first) header
  std::vector<std::string> headers;  // absolute paths of every header named by the user
  std::string language;      // "c" or "c++"
  int errors = 0;            // parse errors (see the diagnostics)
  std::vector<ParsedFunction> functions;
  std::vector<ParsedType> types;
  std::vector<ParsedMacro> macros;

  const ParsedMacro* find_macro(const std::string& name) const;
  const ParsedType* find_type(const std::string& name) const;
  const ParsedFunction* find_function(const std::string& name) const;
};

}  // namespace remora::inference
