#!/usr/bin/env bash
# liblzma end to end through the stack generated from the INFERRED spec (no edits):
# a stream program of our own and a real third-party program (Debian's CPython,
# whose _lzma module links liblzma.so.5) run natively and through the stack; the
# .xz bytes must be identical to what the real `xz` writes, and decompression and
# round trips identical to the input. Prints remoted/native wall-time ratios.
# Usage: lzma_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library liblzma.so.5)
[ -n "$lib" ] && [ -e /usr/include/lzma.h ] || { echo "REMORA-SKIP: liblzma-dev is not installed"; exit 0; }
start_stack_server "$stack" lzma "$lib" "$work"

# 1. Our own stream program: several streams alive at once, uneven cursors, one never ended.
cc -O1 -o lzma_stream_roundtrip "$src" -llzma
./lzma_stream_roundtrip 300000 >native.txt
remote ./lzma_stream_roundtrip 300000 >remote.txt
diff native.txt remote.txt
grep -q identical remote.txt
echo "own stream program: identical output ($(wc -l <remote.txt) lines)"

# 2. A real third-party program: CPython's lzma module (Debian python3, _lzma links liblzma.so.5).
py=/usr/bin/python3
if [ ! -x $py ] || ! command -v xz >/dev/null; then
  echo "REMORA-SKIP: python3 or xz-utils is not installed"
  exit 0
fi
# A few hundred KB: text and binary, compressible and not.
{ head -c 200000 /usr/bin/xz; for i in $(seq 2000); do echo "line $i of a compressible text"; done; } >input.bin
cat >py_xz.py <<'PY'
import lzma, sys
mode, src, dst = sys.argv[1:4]
data = open(src, 'rb').read()
open(dst, 'wb').write(lzma.compress(data) if mode == 'c' else lzma.decompress(data))
PY
xz -c input.bin >xz_native.xz
t0=$(now); $py py_xz.py c input.bin py_native.xz; t1=$(now)
remote $py py_xz.py c input.bin py_remote.xz; t2=$(now)
cmp py_native.xz xz_native.xz
cmp py_remote.xz xz_native.xz
echo "python lzma.compress through the stack: .xz identical to xz -c ($(stat -c %s py_remote.xz) bytes); remoted/native $(ratio $t0 $t1 $t2)"
t0=$(now); $py py_xz.py d xz_native.xz back_native.bin; t1=$(now)
remote $py py_xz.py d xz_native.xz back_remote.bin; t2=$(now)
cmp back_remote.bin input.bin
xz -dc py_remote.xz | cmp - input.bin
echo "python lzma.decompress through the stack: identical; round trip with xz -dc: identical; remoted/native $(ratio $t0 $t1 $t2)"
# More of the module: the .lzma (LZMA_Alone) format, whose options struct the module
# fills with lzma_lzma_preset on its uninitialised stack; integrity checks; a decompressor
# with a memory limit, fed in pieces; and the library's errors on bad data.
cat >py_lzma_more.py <<'PY'
import lzma
data = b"".join(b"line %d of a compressible text\n" % i for i in range(3000))
print("checks:", [lzma.is_check_supported(c) for c in (lzma.CHECK_NONE, lzma.CHECK_CRC32, lzma.CHECK_CRC64, lzma.CHECK_SHA256)])
for fmt in (lzma.FORMAT_XZ, lzma.FORMAT_ALONE):
    c = lzma.compress(data, format=fmt, preset=6 | lzma.PRESET_EXTREME)
    print("format", fmt, len(c), lzma.decompress(c) == data)
comp = lzma.LZMACompressor(check=lzma.CHECK_SHA256)
x = comp.compress(data[:5000]) + comp.compress(data[5000:]) + comp.flush()
d = lzma.LZMADecompressor(memlimit=1 << 30)
out = d.decompress(x, max_length=1000)
while not d.eof:
    out += d.decompress(b"", max_length=5000)
print("pieces", len(x), out == data, d.check)
for name, f in (("corrupt", lambda: lzma.decompress(x[:-5] + b"xxxxx")),
                ("memlimit", lambda: lzma.LZMADecompressor(memlimit=1000).decompress(x))):
    try:
        f()
    except lzma.LZMAError as e:
        print(name, "LZMAError:", e)
PY
$py py_lzma_more.py >more_native.txt
remote $py py_lzma_more.py >more_remote.txt
diff more_native.txt more_remote.txt
echo "python lzma: .lzma format, checks, a limited decompressor in pieces and errors identical ($(wc -l <more_remote.txt) lines)"
# 3. The real `xz` makes calls the inferred stack cannot (it hands the multi-threaded
# decoder an unterminated filter chain the decoder ignores; see README.md): it must fail
# loudly (a remora line, then xz's own error for the failure value), never write wrong bytes.
if remote xz -dc xz_native.xz >xz_remote.out 2>xz_remote.err; then
  cmp xz_remote.out input.bin
  echo "xz -dc through the stack: identical"
else
  grep -q "^remora: " xz_remote.err
  [ ! -s xz_remote.out ] || cmp -n "$(stat -c %s xz_remote.out)" xz_remote.out input.bin
  echo "xz -dc through the stack fails loudly as expected: $(grep -m1 '^remora: ' xz_remote.err | cut -c1-120)"
fi
echo "lzma end to end: OK"
