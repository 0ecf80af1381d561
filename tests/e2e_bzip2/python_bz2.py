# A real third-party program on bzip2: Debian's CPython, whose _bz2 module links
# libbz2.so.1.0 and installs its own allocator in bz_stream (bzalloc/bzfree/opaque).
# One-shot and streaming compression and decompression, several streams alive at once.
# Run natively and through the stack by bzip2_e2e.sh: the outputs must be identical.
import bz2
import hashlib

data = b"".join(b"line %d of some text\n" % i for i in range(20000)) + bytes(range(256)) * 100
packed = bz2.compress(data, 9)
print("one-shot:", len(packed), hashlib.sha256(packed).hexdigest()[:16], bz2.decompress(packed) == data)
compressors = [bz2.BZ2Compressor(level) for level in (1, 5, 9)]
parts = [[] for _ in compressors]
for at in range(0, len(data), 7000):
    for c, out in zip(compressors, parts):
        out.append(c.compress(data[at:at + 7000]))
for c, out in zip(compressors, parts):
    out.append(c.flush())
for level, out in zip((1, 5, 9), parts):
    d = bz2.BZ2Decompressor()
    back = b"".join(d.decompress(p) for p in out)
    print("streamed level", level, len(b"".join(out)), back == data, d.eof)
try:
    bz2.decompress(b"BZh9" + b"\x00" * 64)
except (OSError, ValueError) as e:
    print("corrupt input:", type(e).__name__, e)
