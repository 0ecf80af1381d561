// format_diagnostic: the "file:line: severity: message" shape editors parse.
#include <catch2/catch.hpp>

#include "remora/spec/diagnostics.h"

using namespace remora::spec;

TEST_CASE("diagnostics format as file:line: severity: message") {
  CHECK(format_diagnostic({Diagnostic::Severity::Warning, "CL/cl.h", 120, "no docs for clFoo"}) ==
        "CL/cl.h:120: warning: no docs for clFoo");
  CHECK(format_diagnostic({Diagnostic::Severity::Error, "a.h", 0, "cannot parse"}) ==
        "a.h: error: cannot parse");
  CHECK(format_diagnostic({Diagnostic::Severity::Note, "", 0, "3 functions skipped"}) ==
        "note: 3 functions skipped");
}
