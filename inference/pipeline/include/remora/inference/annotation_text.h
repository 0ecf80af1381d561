// Human-readable text for annotations and evidence, shared by `remora show`,
// `remora explain` and the studio so they all say the same thing.
#pragma once

#include <string>

#include "remora/spec/model.h"

namespace remora::inference {

// "out buffer: param_value_size bytes, nullable"
std::string describe_annotation(const spec::Annotation& ann);
// "direction=out kind=buffer size=param_value_size"
std::string describe_patch(const spec::AnnotationPatch& patch);
// "sync" | "async" | "async if blocking_read == CL_FALSE"
std::string describe_sync(const spec::Sync& sync);
// "void *param_value", "void (*pfn_notify)(cl_program, void *)"
std::string declare(const std::string& type, const std::string& name);
// One annotated prototype line per function; params wrapped one per line when long.
std::string annotated_prototype(const spec::Function& f);

}  // namespace remora::inference
