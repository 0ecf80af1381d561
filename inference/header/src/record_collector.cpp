#include "record_collector.h"

#include "clang_util.h"
#include "ctype_builder.h"
#include "type_facts.h"

namespace remora::inference {

namespace {

constexpr int kMaxNesting = 16;

struct Walk {
  CXType outer;                  // the record whose offsets we report
  ParsedType& record;
  std::vector<ParsedType>& nested;
  std::string file;
  bool in_union = false;
  int depth = 0;
};

// An untagged record used as a field's type gets the name "<record>.<field>",
// in every layer of the field's ctype that refers to it (struct { ... } pos[4]).
void rename_unnamed(spec::CType& t, const std::string& unnamed_spelling, const std::string& name) {
  spec::CType* layer = &t;
  for (int guard = 0; guard < 32 && layer; ++guard) {
    if (layer->kind == spec::CTypeKind::Record && layer->name == unnamed_spelling) {
      layer->name = name;
      return;
    }
    layer = layer->to ? layer->to.get() : nullptr;
  }
}

// The record declaration behind a field's type, through arrays and sugar.
CXCursor record_decl_of(CXType type) {
  CXType t = clang_getCanonicalType(type);
  for (int guard = 0; guard < 8 && (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray); ++guard)
    t = clang_getCanonicalType(clang_getArrayElementType(t));
  if (t.kind != CXType_Record) return clang_getNullCursor();
  return clang_getTypeDeclaration(t);
}

void walk_members(CXCursor decl, Walk& w);

void add_field(CXCursor c, Walk& w) {
  spec::StructField f;
  f.name = clang_util::spelling(c);
  CXType type = clang_getCursorType(c);
  f.type = clang_util::take(clang_getTypeSpelling(type));
  f.ctype = ctype_of(type);
  long long bits = clang_Type_getOffsetOf(w.outer, f.name.c_str());
  if (bits >= 0) f.offset = bits / 8;
  if (clang_Cursor_isBitField(c)) f.bit_width = clang_getFieldDeclBitWidth(c);

  CXCursor inner = record_decl_of(type);
  if (!clang_Cursor_isNull(inner) && record_name_of(inner).empty() && w.depth < kMaxNesting &&
      clang_isCursorDefinition(clang_getCursorDefinition(inner))) {
    // struct { int x, y; } pos;  -> its own record "<record>.pos"
    std::string unnamed = clang_util::take(clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(inner))));
    std::string name = w.record.name + "." + f.name;
    rename_unnamed(f.ctype, unnamed, name);
    // The record's own name travels in the ctype; nested ones follow the record.
    std::vector<ParsedType> more;
    collect_record(clang_getCursorDefinition(inner), name, w.file, clang_util::location_of(inner).line, more);
    for (auto& m : more) w.nested.push_back(std::move(m));
  }
  ParsedField info;
  info.type = type_info_of(type);
  info.line = clang_util::location_of(c).line;
  info.in_union = w.in_union;
  info.doc = clang_util::take(clang_Cursor_getRawCommentText(c));
  w.record.fields.push_back(std::move(f));
  w.record.field_info.push_back(std::move(info));
}

CXChildVisitResult visit_member(CXCursor c, CXCursor, CXClientData data) {
  Walk& w = *static_cast<Walk*>(data);
  CXCursorKind kind = clang_getCursorKind(c);
  if (kind == CXCursor_FieldDecl) {
    add_field(c, w);
  } else if ((kind == CXCursor_StructDecl || kind == CXCursor_UnionDecl) && clang_isCursorDefinition(c)) {
    if (clang_Cursor_isAnonymousRecordDecl(c)) {
      // C11 anonymous member: its fields are named as if they were ours.
      if (w.depth >= kMaxNesting) return CXChildVisit_Continue;
      Walk inner{w.outer, w.record, w.nested, w.file, w.in_union || kind == CXCursor_UnionDecl, w.depth + 1};
      walk_members(c, inner);
    } else if (std::string name = record_name_of(c); !name.empty() && w.depth < kMaxNesting) {
      // struct A { struct B { ... } b; }: B is a type of its own in C.
      std::vector<ParsedType> more;
      collect_record(c, name, w.file, clang_util::location_of(c).line, more);
      for (auto& m : more) w.nested.push_back(std::move(m));
    }
  }
  return CXChildVisit_Continue;
}

void walk_members(CXCursor decl, Walk& w) { clang_visitChildren(decl, &visit_member, &w); }

}  // namespace

void collect_record(CXCursor definition, const std::string& name, const std::string& file, int line,
                    std::vector<ParsedType>& out) {
  ParsedType t;
  t.form = ParsedType::Form::Struct;
  t.name = name;
  t.file = file;
  t.line = line;
  bool is_union = clang_getCursorKind(definition) == CXCursor_UnionDecl;
  t.record = is_union ? "union" : "struct";
  CXType type = clang_getCursorType(definition);
  long long size = clang_Type_getSizeOf(type), align = clang_Type_getAlignOf(type);
  if (size >= 0) t.size = size;
  if (align > 0) t.align = align;
  t.doc = clang_util::take(clang_Cursor_getRawCommentText(definition));
  std::vector<ParsedType> nested;
  Walk w{type, t, nested, file, is_union, 0};
  walk_members(definition, w);
  out.push_back(std::move(t));
  for (auto& n : nested) out.push_back(std::move(n));
}

}  // namespace remora::inference
