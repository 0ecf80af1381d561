// From every function declaration the parse saw, the API's functions: those of
// the headers the user named or selected, else (an umbrella header that
// declares none) those of the neighbours it includes directly. Functions
// declared twice become one. Says loudly when nothing is left, and which
// filter would select the functions the header pulls in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api_files.h"
#include "remora/inference/header_model.h"
#include "remora/spec/diagnostics.h"

namespace remora::inference {

struct DeclaredFunction {
  ParsedFunction function;
  FileRole role = FileRole::Other;
  std::string includer;  // canonical path of the named header that #includes it directly, if any
};

struct FunctionCensus {
  std::map<std::string, int> elsewhere;  // declarations in files not taken, per path
  std::map<std::string, int> per_given;  // declarations per header the user named
};

std::vector<ParsedFunction> select_api_functions(std::vector<DeclaredFunction> declared,
                                                 const ApiFiles& files, const ApiFilter& filter,
                                                 const FunctionCensus& census,
                                                 spec::Diagnostics& diagnostics);

// The name an object-like macro body renames to (`f_v2`, `WRAPPER ( f_v2 )`), or "".
std::string renamed_function(const std::string& body);

// Declarations whose assembler label (their `symbol`) names another declared function
// are aliases of it (glibc's __REDIRECT: `crypt_gensalt_r` -> `crypt_gensalt_rn`): dropped,
// so the stack defines that symbol once. A label naming no declared function stays the
// function's symbol (the server looks that one up, the guest's definition gets it).
void apply_asm_labels(std::vector<ParsedFunction>& functions);

// `#define cuMemAlloc cuMemAlloc_v2`: programs call cuMemAlloc, the library
// exports cuMemAlloc_v2. A declaration of the old name (the previous ABI) is
// merged into the renamed one, which keeps its prototype.
void apply_macro_renames(std::vector<ParsedFunction>& functions,
                         const std::vector<ParsedMacro>& macros);

}  // namespace remora::inference
