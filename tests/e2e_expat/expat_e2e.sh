#!/usr/bin/env bash
# Expat end to end through the stack generated from the INFERRED spec of expat.h (no human
# edit): a handler program of our own (expat_handlers.c) runs natively and through the
# stack against the real libexpat; the outputs must be identical. It exercises handlers
# registered without user data that receive what XML_SetUserData gave their parser, NULL-
# terminated attribute arrays and character data with its length (both read from the
# callback typedefs' names and comments).
# Usage: expat_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libexpat.so.1)
[ -n "$lib" ] && [ -e /usr/include/expat.h ] || { echo "REMORA-SKIP: libexpat1-dev is not installed"; exit 0; }
start_stack_server "$stack" expat "$lib" "$work"
cc -O1 -o expat_handlers "$src" -lexpat
t0=$(now); ./expat_handlers 400 >native.txt; t1=$(now)
remote ./expat_handlers 400 >remote.txt 2>remote.err || { echo "the program failed through the stack:"; cat remote.err; exit 1; }
t2=$(now)
diff native.txt remote.txt
grep -q "guest connected" server.log || { echo "the program never reached the stack's server:"; cat server.log; exit 1; }
grep -q "expat handlers: done" remote.txt
grep -q "mismatched tag" remote.txt
cat remote.txt
echo "own expat handler program: identical output ($(wc -l <remote.txt) lines); remoted/native $(ratio $t0 $t1 $t2)"
