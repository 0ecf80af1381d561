// Runtime modules: hand-written runtime code an API needs beyond what its spec can say
// (CUDA's hidden registration API is in no public header, and a kernel launch's
// argument sizes are in the program's fat binary, not in any parameter). A module is
// chosen by the spec's library, never by function names in the emitters: the emitters
// only ask the plan which functions a module implements and which wire calls it adds.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "remora/spec/model.h"

namespace remora::codegen {

struct RuntimeModule {
  std::string id;            // "cuda"
  std::string library_stem;  // applies when the spec's library (or a soname) is <stem>.so*
  std::string what;          // one line for the README and the summary
  std::vector<std::string> guest_sources;   // runtime/ files compiled into the guest library
  std::vector<std::string> server_sources;  // and into the server
  std::vector<std::string> include_dirs;    // runtime/ subfolders both sides include from
  std::string server_header;                // declares the server handlers and the resolve hook
  std::string server_resolve;  // C++ name: void(void* library, std::vector<std::string>&)
  struct WireCall {
    std::string name;     // in the call table after the spec's functions (and the fingerprint)
    std::string handler;  // C++ name of the server handler
  };
  std::vector<WireCall> calls;
  // Spec functions the module implements in the guest (they travel as its wire calls).
  std::vector<std::string> overrides;
  // Spec functions whose generated stub the module wraps: the stub is emitted as usual
  // (remoted by the spec, or failing with its reason) but under the hidden name
  // remora_wrapped_<name>, and the module exports <name>, calling it and keeping what
  // it needs from the call (the CUDA module parses the module images a program loads).
  std::vector<std::string> wraps;
  // Symbols the guest exports that no spec function names (under the real library's versions).
  std::vector<std::string> exports;
  // Spec functions the module knows cannot be remoted, with why (they fail with the
  // error value): what the spec could say about them would be a silent wrong answer.
  std::vector<std::pair<std::string, std::string>> refuses;
  // Spec functions the module knows cannot be remoted for some arguments: calls where
  // `condition` (a predicate over the call's parameters, as in `when.if`) holds fail in
  // the guest with the error value and the reason; the others are remoted as planned.
  struct ConditionalRefusal {
    std::string function;
    std::string condition;
    std::string reason;
  };
  std::vector<ConditionalRefusal> refuses_when;
  // The module maps opaque input values before they travel (remora_module.h's
  // guest_opaque_in): CUDA's host stub addresses become the server's kernels.
  bool translates_opaque = false;
};

// The module the spec's library asks for, or nullptr.
const RuntimeModule* runtime_module_for(const spec::Spec& spec);

// Every module this build knows (docs, tests).
const std::vector<RuntimeModule>& runtime_modules();

}  // namespace remora::codegen
