// Short human-readable renderings of annotations, claims and statuses, shared
// by the chips, the function list and the evidence panel (one spelling everywhere).
#pragma once

#include <QString>

#include "remora/spec/model.h"

namespace remora::studio {

QString qs(std::string_view s);

// "out · buffer[param_value_size] bytes · nullable"
QString annotation_summary(const spec::Annotation& ann);
// "direction=out, size=param_value_size"
QString patch_summary(const spec::AnnotationPatch& patch);
// "sync" | "async" | "async if blocking_read == CL_FALSE"
QString sync_text(const spec::Sync& sync);
// "cl_int clGetDeviceInfo(cl_device_id device, ...)" on one line.
QString prototype_text(const spec::Function& f);
// "struct T { const float * data; size_t count; }" for a struct row (struct_rows.h).
QString struct_text(const spec::Function& row);

}  // namespace remora::studio
