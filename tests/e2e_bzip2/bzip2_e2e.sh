#!/usr/bin/env bash
# bzip2 end to end through the stack generated from the INFERRED spec of bzlib.h (no human
# edit): a real third-party program, Debian's CPython (its _bz2 module links libbz2.so.1.0,
# a soname the guest answers to), runs natively and through the stack; the outputs must be
# identical. The stream struct is a stream state (its allocator callbacks stay the
# program's: the server's copy uses the library's own).
# Usage: bzip2_e2e.sh STACK_DIR WORK_DIR PYTHON_PROGRAM
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libbz2.so.1.0)
[ -n "$lib" ] && [ -e /usr/include/bzlib.h ] || { echo "REMORA-SKIP: libbz2-dev is not installed"; exit 0; }
py=/usr/bin/python3
if [ ! -x $py ] || ! $py -c "import bz2" 2>/dev/null; then
  echo "REMORA-SKIP: Debian's python3 with its bz2 module is not installed"
  exit 0
fi
start_stack_server "$stack" bzip2 "$lib" "$work"
t0=$(now); $py "$src" >native.txt; t1=$(now)
remote $py "$src" >remote.txt 2>remote.err || { echo "python's bz2 module failed through the stack:"; cat remote.err; exit 1; }
t2=$(now)
diff native.txt remote.txt
guest_connected || { echo "the program never reached the stack's server:"; cat server.log; exit 1; }
grep -q "streamed level 9 .* True True" remote.txt
cat remote.txt
echo "python bz2 module through the stack: identical output ($(wc -l <remote.txt) lines); remoted/native $(ratio $t0 $t1 $t2)"
