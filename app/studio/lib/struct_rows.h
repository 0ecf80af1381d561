// Struct-field annotations reviewed like parameters. A struct whose members
// need a marshalling decision (pointer members: direction, kind, size over
// sibling fields, nullable) appears in the function list as one row, "struct
// T", shaped like a function whose parameters are those members. Every review
// tool (badges, J/F8, chips, the editor, evidence, confirm/edit/revert, undo,
// bulk confirm) then works on members unchanged; the session writes the row
// back into the spec's types[] (the project and exported spec keep it there).
#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "remora/spec/model.h"

namespace remora::studio {

// "struct z_stream_s": a space never occurs in a function name, so the row
// names of functions and structs cannot collide.
QString struct_row_name(const spec::Type& type);
bool is_struct_row(const QString& name);
bool is_struct_row(const spec::Function& row);
QString struct_type_name(const QString& row_name);  // "struct T" -> "T"

// A member a reviewer must settle: one that needs marshalling (a pointer), or
// one that already has evidence or a human decision.
bool field_reviewable(const spec::StructField& field);

// The row of one struct (its reviewable members as parameters), or nullopt when
// it has none.
std::optional<spec::Function> struct_row(const spec::Type& type);
// Rows for every struct of the spec with reviewable members, in types[] order.
std::vector<spec::Function> struct_rows(const spec::Spec& spec);
// Writes a row's member annotations (and their review state) back into the type.
void apply_struct_row(const spec::Function& row, spec::Type& type);

// Every member of the type as a parameter (sizes of a member may name any sibling,
// reviewable or not): for size validation and completion.
spec::Function all_fields_as_function(const spec::Type& type);

}  // namespace remora::studio
