#!/usr/bin/env bash
# SQLite end to end through the stack generated from the INFERRED spec of sqlite3.h (its
# own doc comments are the docs; no human edit): a client program (sqlite_program.c) and a
# real third-party program (Debian's CPython, whose _sqlite3 module links libsqlite3.so.0:
# python_sqlite.py) run natively and through the stack, and the outputs must be identical.
# Usage: sqlite_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
python_program=$(realpath "$(dirname "$0")/python_sqlite.py")
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
guest_connected || { echo "the program never reached the stack's server:"; cat server.log; exit 1; }
if grep -q "not supported by this remoting stack\|outside the memory" remote.err; then
  echo "the stack refused or could not follow a call:"; cat remote.err; exit 1
fi
grep -q "^done$" remote.txt
cat remote.txt
echo "sqlite end to end: identical output ($(wc -l <remote.txt) lines)"

# A real third-party program: CPython's sqlite3 module (Debian python3).
py=/usr/bin/python3
if [ ! -x $py ] || ! $py -c "import sqlite3" 2>/dev/null; then
  echo "REMORA-SKIP: Debian's python3 with its sqlite3 module is not installed"
  exit 0
fi
t0=$(now); $py "$python_program" "$PWD/py_native.db" >py_native.txt; t1=$(now)
remote $py "$python_program" "$PWD/py_remote.db" >py_remote.txt 2>py_remote.err || {
  echo "python's sqlite3 module failed through the stack:"; cat py_remote.err; exit 1; }
t2=$(now)
diff py_native.txt py_remote.txt
grep -q "big blob roundtrip: True" py_remote.txt
echo "python sqlite3 module through the stack: identical output ($(wc -l <py_remote.txt) lines); remoted/native $(ratio $t0 $t1 $t2)"
