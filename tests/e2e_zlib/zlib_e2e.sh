#!/usr/bin/env bash
# zlib end to end through the stack generated from the INFERRED spec (no edits): a
# stream program of our own (zero-initialised z_streams, as zlib documents) and a real
# third-party program (Debian's CPython, whose zlib module links libz.so.1 and leaves
# `msg` and `avail_in` unset before deflateInit) run natively and through the stack;
# outputs must be byte-identical. Prints remoted/native wall-time ratios.
# Usage: zlib_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libz.so.1)
[ -n "$lib" ] && [ -e /usr/include/zlib.h ] || { echo "REMORA-SKIP: zlib1g-dev is not installed"; exit 0; }
start_stack_server "$stack" zlib "$lib" "$work"

# 1. Our own stream program: zero-initialised streams, several alive at once, uneven
# cursors, deflateParams/deflateCopy, the library's msg on corrupt input, one never ended.
cc -O1 -o zlib_stream_roundtrip "$src" -lz
t0=$(now); ./zlib_stream_roundtrip 300000 >native.txt; t1=$(now)
remote ./zlib_stream_roundtrip 300000 >remote.txt; t2=$(now)
diff native.txt remote.txt
grep -q '^identical$' remote.txt
grep -q 'msg "incorrect header check"' remote.txt
echo "own stream program: identical output ($(wc -l <remote.txt) lines); remoted/native $(ratio $t0 $t1 $t2)"

# 2. A real third-party program: CPython's zlib module (Debian python3 links libz.so.1).
py=/usr/bin/python3
if [ ! -x $py ] || ! $py -c 'import zlib' 2>/dev/null || ! command -v gzip >/dev/null; then
  echo "REMORA-SKIP: python3 or gzip is not installed"
  exit 0
fi
{ head -c 200000 "$py"; for i in $(seq 2000); do echo "line $i of a compressible text"; done; } >input.bin
cat >py_zlib.py <<'PY'
import sys, zlib
mode, src, dst = sys.argv[1:4]
data = open(src, 'rb').read()
if mode == 'c':  # one shot
    out = zlib.compress(data, 6)
elif mode == 'g':  # a compressor object, gzip framing, uneven pieces, a full flush between
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = co.compress(data[:100001]) + co.flush(zlib.Z_FULL_FLUSH) + co.compress(data[100001:]) + co.flush()
elif mode == 'd':  # one shot
    out = zlib.decompress(data)
else:  # a decompressor object (header auto-detected) fed in pieces, output bounded per call
    do = zlib.decompressobj(47)
    parts = []
    for i in range(0, len(data), 7777):
        parts.append(do.decompress(data[i:i + 7777], 65536))
        while do.unconsumed_tail:
            parts.append(do.decompress(do.unconsumed_tail, 65536))
    out = b''.join(parts) + do.flush()
open(dst, 'wb').write(out)
PY
for m in c g; do
  t0=$(now); $py py_zlib.py $m input.bin native.$m; t1=$(now)
  remote $py py_zlib.py $m input.bin remote.$m; t2=$(now)
  cmp native.$m remote.$m
  echo "python zlib ($m) through the stack: identical to native ($(stat -c %s remote.$m) bytes); remoted/native $(ratio $t0 $t1 $t2)"
done
gzip -dc remote.g | cmp - input.bin
gzip -c input.bin >input.gz
for m in d:native.c x:input.gz; do
  mode=${m%%:*} in=${m#*:}
  t0=$(now); $py py_zlib.py $mode $in back_native.$mode; t1=$(now)
  remote $py py_zlib.py $mode $in back_remote.$mode; t2=$(now)
  cmp back_native.$mode input.bin
  cmp back_remote.$mode input.bin
  echo "python zlib ($mode) through the stack: identical to the input; remoted/native $(ratio $t0 $t1 $t2)"
done
# The library's message (z_stream.msg, which CPython never initialises) reaches the program.
probe='import zlib
try: zlib.decompress(b"garbage!" * 10)
except zlib.error as e: print(e)
print(zlib.ZLIB_RUNTIME_VERSION, zlib.crc32(b"abc"), zlib.adler32(b"abc"))'
$py -c "$probe" >native_msg.txt
remote $py -c "$probe" >remote_msg.txt
diff native_msg.txt remote_msg.txt
echo "python zlib error message through the stack: $(head -1 remote_msg.txt)"
echo "zlib end to end: OK"
