"""Hand-written bzip2 truth labels for /usr/include/bzlib.h (bzip2 1.0.8), read
from the bzip2 manual (/usr/share/doc/bzip2/manual.html, "Programming with
libbzip2"; the header has no comments). Rules and judgment calls: NOTES.md.

`BZFILE` is `typedef void BZFILE;`: `BZFILE *` is an opaque file object
created by BZ2_bzReadOpen/BZ2_bzWriteOpen/BZ2_bzopen and released by the close
calls, so it is a handle (POINTER_HANDLES). `FILE *f` is a stdio stream of the
calling process: the functions that take one cannot be remoted."""

HANDLE_TYPES = set()
POINTER_HANDLES = {"BZFILE"}
NULLABLE_HANDLES = set()
STATUS_TYPES = {}

STRM = ("inout element -- \"The bz_stream structure holds all data pertaining to the compression activity\"; the caller "
        "sets next_in/avail_in/next_out/avail_out and the call updates them")
BZERROR = "out element -- \"All of the functions take an int* first argument, bzerror. After each call, bzerror should be consulted first\""
FILE_NOTE = "a FILE* of the calling process (\"f should refer to a file which has been opened\") cannot be used by another process"

LABELS = {
    "BZ2_bzCompressInit": {"params": {"strm": "inout element -- \"A bz_stream structure should be allocated and initialised prior to the call\"; the call sets up state"}},
    "BZ2_bzCompress": {"params": {"strm": STRM + "; \"Provides more input and/or output buffer space for the library\""}},
    "BZ2_bzCompressEnd": {"params": {"strm": "inout element -- \"Releases all memory associated with a compression stream\""}},
    "BZ2_bzDecompressInit": {"params": {"strm": "inout element -- \"As with BZ2_bzCompressInit, a bz_stream record should be allocated and initialised before the call\""}},
    "BZ2_bzDecompress": {"params": {"strm": STRM + "; \"Before each call to BZ2_bzDecompress, next_in should point at the compressed data\""}},
    "BZ2_bzDecompressEnd": {"params": {"strm": "inout element -- releases all memory associated with a decompression stream"}},
    "BZ2_bzReadOpen": {"unsupported": FILE_NOTE, "ret": "handle allocates -- returns the BZFILE used by BZ2_bzRead",
                       "params": {
        "bzerror": BZERROR,
        "f": "opaque -- \"Prepare to read compressed data from file handle f\": " + FILE_NOTE,
        "unused": "in buffer size=nUnused bytes nullable -- \"BZ2_bzRead will decompress the nUnused bytes starting at unused ... If this facility is not required, you should pass NULL and 0 for unused and nUnused\""}},
    "BZ2_bzReadClose": {"params": {
        "bzerror": BZERROR,
        "b": "handle deallocates -- \"Releases all memory pertaining to the compressed file b\""}},
    "BZ2_bzReadGetUnused": {"params": {
        "bzerror": BZERROR,
        "b": "handle -- the compressed file",
        "unused": "out element elem=buffer -- \"*unused is set to the address of the data\": a pointer into the library's buffer of *nUnused bytes",
        "nUnused": "out element -- \"*nUnused to the number of bytes\""}},
    "BZ2_bzRead": {"params": {
        "bzerror": BZERROR,
        "b": "handle -- the compressed file",
        "buf": "out buffer size=len bytes -- \"Reads up to len (uncompressed) bytes from the compressed file b into the buffer buf\""}},
    "BZ2_bzWriteOpen": {"unsupported": FILE_NOTE, "ret": "handle allocates -- returns the BZFILE used by BZ2_bzWrite",
                        "params": {
        "bzerror": BZERROR,
        "f": "opaque -- \"Prepare to write compressed data to file handle f\": " + FILE_NOTE}},
    "BZ2_bzWrite": {"params": {
        "bzerror": BZERROR,
        "b": "handle -- the compressed file",
        "buf": "in buffer size=len bytes -- \"Absorbs len bytes from the buffer buf, eventually to be compressed and written to the file\""}},
    "BZ2_bzWriteClose": {"params": {
        "bzerror": BZERROR,
        "b": "handle deallocates -- \"Compresses and flushes to the compressed file all data so far supplied\" and releases the BZFILE",
        "nbytes_in": "out element nullable -- \"If nbytes_in is non-null, *nbytes_in will be set to be the total volume of uncompressed data handled\"",
        "nbytes_out": "out element nullable -- \"Similarly, nbytes_out will be set to the total volume of compressed data written\""}},
    "BZ2_bzWriteClose64": {"params": {
        "bzerror": BZERROR,
        "b": "handle deallocates -- as BZ2_bzWriteClose",
        "nbytes_in_lo32": "out element nullable -- as nbytes_in of BZ2_bzWriteClose (low 32 bits)",
        "nbytes_in_hi32": "out element nullable -- high 32 bits",
        "nbytes_out_lo32": "out element nullable -- as nbytes_out (low 32 bits)",
        "nbytes_out_hi32": "out element nullable -- high 32 bits"}},
    "BZ2_bzBuffToBuffCompress": {"params": {
        "dest": "out buffer size=*destLen elements -- \"Attempts to compress the data in source[0 .. sourceLen-1] into the destination buffer, dest[0 .. *destLen-1]\"",
        "destLen": "inout element -- \"If the destination buffer is big enough, *destLen is set to the size of the compressed data\"",
        "source": "in buffer size=sourceLen elements -- \"source[0 .. sourceLen-1]\""}},
    "BZ2_bzBuffToBuffDecompress": {"params": {
        "dest": "out buffer size=*destLen elements -- \"Attempts to decompress the data in source[0 .. sourceLen-1] into the destination buffer, dest[0 .. *destLen-1]\"",
        "destLen": "inout element -- \"If the destination buffer is big enough, *destLen is set to the size of the uncompressed data\"",
        "source": "in buffer size=sourceLen elements -- \"source[0 .. sourceLen-1]\""}},
    "BZ2_bzlibVersion": {"ret": "string -- the library's version string (\"minimally documented\" zlib-compatibility function)"},
}
