import lzma, os, subprocess
native = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}  # xz itself runs natively
data = open("input.txt", "rb").read()
packed = lzma.compress(data)                                   # lzma_easy_encoder + lzma_code
assert packed == subprocess.run(["xz", "-c"], input=data, capture_output=True, env=native).stdout
assert lzma.decompress(packed) == data                         # lzma_auto_decoder + lzma_code
d = lzma.LZMADecompressor()                                    # streaming, 4 KiB at a time
assert b"".join(d.decompress(packed[i:i + 4096]) for i in range(0, len(packed), 4096)) == data
print(len(data), "bytes ->", len(packed), "xz bytes, the same bytes as xz -c; decompressed back, whole and streamed")
