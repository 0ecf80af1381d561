#!/usr/bin/env bash
# SQLite end to end through the stack generated from the INFERRED spec of sqlite3.h (its
# own doc comments are the docs; no human edit): a client program (sqlite_program.c) runs
# natively and through the stack, and the outputs must be identical.
# Usage: sqlite_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libsqlite3.so.0)
[ -n "$lib" ] && [ -e /usr/include/sqlite3.h ] || { echo "REMORA-SKIP: libsqlite3-dev is not installed"; exit 0; }
start_stack_server "$stack" sqlite3 "$lib" "$work"
cc -O1 -o sqlite_program "$src" -lsqlite3
# The database file is opened by the server: an absolute path, so both runs use the work folder.
"./sqlite_program" "$PWD/native.db" 40 >native.txt
remote ./sqlite_program "$PWD/remote.db" 40 >remote.txt 2>remote.err || {
  echo "the program failed through the stack:"; cat remote.err; exit 1; }
diff native.txt remote.txt
grep -q "guest connected" server.log || { echo "the program never reached the stack's server:"; cat server.log; exit 1; }
if grep -q "not supported by this remoting stack\|outside the memory" remote.err; then
  echo "the stack refused or could not follow a call:"; cat remote.err; exit 1
fi
grep -q "^done$" remote.txt
cat remote.txt
echo "sqlite end to end: identical output ($(wc -l <remote.txt) lines)"
