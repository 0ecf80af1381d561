#!/usr/bin/env bash
# Expat end to end through the stack generated from the INFERRED spec of expat.h (no human
# edit), against the real libexpat; each program's output must be identical natively and
# through the stack:
# 1. a handler program of our own (expat_handlers.c): handlers registered without user
#    data that receive what XML_SetUserData gave their parser, NULL-terminated attribute arrays
#    and character data with its length (read from the callback typedefs' names and
#    comments), a memory suite, an unknown-encoding handler the library never calls,
#    handlers that call their parser while it parses (position, handler swap, stop: served
#    inside XML_Parse), and input read into the buffer the parser lends (XML_GetBuffer);
# 2. a real third-party program: Debian's CPython (pyexpat is built into /usr/bin/python3,
#    which links libexpat.so.1), through pyexpat, ElementTree, SAX, minidom and plistlib
#    (python_expat.py beside this script); at import it reads XML_GetFeatureList, a list
#    of structs ended by XML_FEATURE_END.
# Usage: expat_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libexpat.so.1)
[ -n "$lib" ] && [ -e /usr/include/expat.h ] || { echo "REMORA-SKIP: libexpat1-dev is not installed"; exit 0; }
start_stack_server "$stack" expat "$lib" "$work"
cc -O1 -o expat_handlers "$src" -lexpat
compare_native_and_remoted ./expat_handlers 400
grep -q "expat handlers: done" remote.txt
grep -q "mismatched tag" remote.txt
cat remote.txt
echo "own expat handler program: identical output ($(wc -l <remote.txt) lines)"

py=/usr/bin/python3
if [ ! -x $py ] || ! $py -c "import xml.parsers.expat" 2>/dev/null; then
  echo "REMORA-SKIP: Debian's python3 with its expat module is not installed"
  exit 0
fi
prog=$(dirname "$src")/python_expat.py
t0=$(now); $py "$prog" >py_native.txt; t1=$(now)
remote $py "$prog" >py_remote.txt 2>py_remote.err || { echo "python's expat modules failed through the stack:"; cat py_remote.err; exit 1; }
t2=$(now)
diff py_native.txt py_remote.txt
grep -q "python expat: done" py_remote.txt
# Nothing refused or warned on the way.
if grep "^remora:" py_remote.err; then echo "the stack warned (above)"; exit 1; fi
guest_connected 2 || { echo "python never reached the stack's server:"; cat server.log; exit 1; }
cat py_remote.txt | cut -c1-160
echo "python pyexpat, ElementTree, SAX, minidom and plistlib through the stack: identical output ($(wc -l <py_remote.txt) lines); remoted/native $(ratio $t0 $t1 $t2)"
