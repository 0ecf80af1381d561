"""Hand-written zlib truth labels for /usr/include/zlib.h (zlib 1.2.13), read from
the comment block that FOLLOWS each prototype in zlib.h (zlib's manual is that
header). Rules and judgment calls: NOTES.md.

`deflateInit`, `inflateInit`, `deflateInit2`, `inflateInit2` are macros over
`deflateInit_` ..., so the truth labels the real functions. `Bytef` is
`unsigned char`: its arrays are typed, so sized in elements (= bytes). `gzFile`
is `struct gzFile_s *`, documented as an opaque file handle ("gzFile ... the
application must not modify"), hence a handle."""

HANDLE_TYPES = {"gzFile"}
NULLABLE_HANDLES = set()
STATUS_TYPES = {}

STRM = ("inout element -- one z_stream the call reads and updates: \"The application must update next_in and avail_in "
        "when avail_in has dropped to zero\" / the call \"updates next_in and avail_in\", next_out, avail_out, total_*, msg")
VERSION = "in string -- ZLIB_VERSION passed by the deflateInit/inflateInit macros: \"the version ... checked by the library\""

LABELS = {
    "zlibVersion": {"ret": "string -- \"The application can compare zlibVersion and ZLIB_VERSION\": a NUL-terminated version string"},
    "deflate": {"params": {"strm": STRM}},
    "deflateEnd": {"params": {"strm": "inout element -- \"All dynamically allocated data structures for this stream are freed\"; msg may be set"}},
    "inflate": {"params": {"strm": STRM}},
    "inflateEnd": {"params": {"strm": "inout element -- \"All dynamically allocated data structures for this stream are freed\""}},
    "deflateInit_": {"params": {
        "strm": "inout element -- \"The fields zalloc, zfree and opaque must be initialized before by the caller\"; the call sets up state",
        "version": VERSION}},
    "inflateInit_": {"params": {
        "strm": "inout element -- \"The fields next_in, avail_in, zalloc, zfree and opaque must be initialized before by the caller\"",
        "version": VERSION}},
    "deflateInit2_": {"params": {
        "strm": "inout element -- the caller initializes zalloc, zfree, opaque; the call sets up state",
        "version": VERSION}},
    "inflateInit2_": {"params": {
        "strm": "inout element -- the caller initializes next_in, avail_in, zalloc, zfree, opaque",
        "version": VERSION}},
    "deflateSetDictionary": {"params": {
        "strm": "inout element -- the dictionary is loaded into the stream state",
        "dictionary": "in buffer size=dictLength elements -- \"Initializes the compression dictionary from the given byte sequence\" of dictLength bytes"}},
    "deflateGetDictionary": {"params": {
        "strm": "in element -- \"Returns the sliding dictionary being maintained by deflate\"",
        "dictionary": "out buffer size=*dictLength elements nullable -- \"dictLength is set to the number of bytes in the dictionary, and that many bytes are copied to dictionary ... 32768 bytes is always enough. If ... dictionary equal to Z_NULL, then only the dictionary length is returned\"",
        "dictLength": "out element nullable -- \"if dictLength is Z_NULL, then it is not set\""}},
    "deflateCopy": {"params": {
        "dest": "out element -- \"Sets the destination stream as a complete copy of the source stream\"",
        "source": "in element -- the stream copied"}},
    "deflateReset": {"params": {"strm": "inout element -- \"equivalent to deflateEnd followed by deflateInit, but does not free and reallocate the internal compression state\""}},
    "deflateParams": {"params": {"strm": "inout element -- \"Dynamically update the compression level and compression strategy\"; may compress pending input like deflate"}},
    "deflateTune": {"params": {"strm": "inout element -- \"Fine tune deflate's internal compression parameters\""}},
    "deflateBound": {"params": {"strm": "in element -- \"returns an upper bound on the compressed size\"; reads the stream's parameters"}},
    "deflatePending": {"params": {
        "strm": "in element -- reads the stream state",
        "pending": "out element nullable -- \"If pending or bits are Z_NULL, then those values are not set\"",
        "bits": "out element nullable -- \"If pending or bits are Z_NULL, then those values are not set\""}},
    "deflatePrime": {"params": {"strm": "inout element -- \"inserts bits in the deflate output stream\""}},
    "deflateSetHeader": {"params": {
        "strm": "inout element -- records the header to write",
        "head": "in element -- \"provides gzip header information for when a gzip stream is requested\": one gz_header read (kept until deflate writes it)"}},
    "inflateSetDictionary": {"params": {
        "strm": "inout element -- the dictionary is loaded into the stream state",
        "dictionary": "in buffer size=dictLength elements -- \"Initializes the decompression dictionary from the given uncompressed byte sequence\""}},
    "inflateGetDictionary": {"params": {
        "strm": "in element -- \"Returns the sliding dictionary being maintained by inflate\"",
        "dictionary": "out buffer size=*dictLength elements nullable -- \"that many bytes are copied to dictionary ... If ... dictionary equal to Z_NULL, then only the dictionary length is returned\"",
        "dictLength": "out element nullable -- \"if dictLength is Z_NULL, then it is not set\""}},
    "inflateSync": {"params": {"strm": "inout element -- \"Skips invalid compressed data until a possible full flush point\": consumes input"}},
    "inflateCopy": {"params": {
        "dest": "out element -- \"Sets the destination stream as a complete copy of the source stream\"",
        "source": "in element -- the stream copied"}},
    "inflateReset": {"params": {"strm": "inout element -- \"equivalent to inflateEnd followed by inflateInit\""}},
    "inflateReset2": {"params": {"strm": "inout element -- \"the same as inflateReset, but it also permits changing the wrap and window size\""}},
    "inflatePrime": {"params": {"strm": "inout element -- \"inserts bits in the inflate input stream\""}},
    "inflateMark": {"params": {"strm": "in element -- \"returns two values\" about the stream position, read from the state"}},
    "inflateGetHeader": {"params": {
        "strm": "inout element -- records where to store the header",
        "head": "out element -- \"requests that gzip header information be stored in the provided gz_header structure\" (filled as inflate proceeds)"}},
    "inflateBack": {"params": {
        "strm": "inout element -- the stream initialized by inflateBackInit",
        "in": "callback -- \"inflateBack() uses two subroutines supplied by the caller that are then called by inflateBack() for input and output\"",
        "in_desc": "userdata nullable -- \"The in_desc and out_desc parameters of inflateBack() is passed as the first parameter of in() and out() respectively\"",
        "out": "callback -- the output subroutine",
        "out_desc": "userdata nullable -- passed as the first parameter of out()"}},
    "inflateBackEnd": {"params": {"strm": "inout element -- \"All memory allocated by inflateBackInit() is freed\""}},
    "zlibCompileFlags": {},
    # ------------------------------------------------------------ utility functions
    "compress": {"params": {
        "dest": "out buffer size=*destLen elements -- \"Compresses the source buffer into the destination buffer ... Upon entry, destLen is the total size of the destination buffer\"",
        "destLen": "inout element -- \"Upon entry, destLen is the total size of the destination buffer ... Upon exit, destLen is the actual size of the compressed data\"",
        "source": "in buffer size=sourceLen elements -- \"sourceLen is the byte length of the source buffer\""}},
    "compress2": {"params": {
        "dest": "out buffer size=*destLen elements -- as compress: destLen is the destination's total size on entry",
        "destLen": "inout element -- \"Upon entry, destLen is the total size of the destination buffer ... Upon exit, destLen is the actual size of the compressed data\"",
        "source": "in buffer size=sourceLen elements -- \"sourceLen is the byte length of the source buffer\""}},
    "compressBound": {},
    "uncompress": {"params": {
        "dest": "out buffer size=*destLen elements -- \"Upon entry, destLen is the total size of the destination buffer, which must be large enough to hold the entire uncompressed data\"",
        "destLen": "inout element -- \"Upon exit, destLen is the actual size of the uncompressed data\"",
        "source": "in buffer size=sourceLen elements -- \"sourceLen is the byte length of the source buffer\""}},
    "uncompress2": {"params": {
        "dest": "out buffer size=*destLen elements -- as uncompress",
        "destLen": "inout element -- as uncompress",
        "source": "in buffer size=*sourceLen elements -- \"the length of the source is *sourceLen\"",
        "sourceLen": "inout element -- \"On return, *sourceLen is the number of source bytes consumed\""}},
    # ------------------------------------------------------------ gzip files
    "gzopen": {"ret": "handle allocates -- \"gzopen returns NULL if the file could not be opened\"; otherwise a new gzFile",
               "params": {"arg0": "in string -- the prototype declares no names (arg0 = path of the documented `gzopen(const char *path, const char *mode)`): \"Open the gzip (.gz) file at path for reading and decompressing, or compressing and writing\"",
                          "arg1": "in string -- arg1 = mode: \"The mode parameter is as in fopen (\\\"rb\\\" or \\\"wb\\\")\""}},
    "gzdopen": {"ret": "handle allocates -- \"Associate a gzFile with the file descriptor fd\"",
                "params": {"mode": "in string -- \"The mode parameter is as in gzopen\""}},
    "gzbuffer": {},
    "gzsetparams": {},
    "gzread": {"params": {"buf": "out buffer size=len bytes -- \"Read and decompress up to len uncompressed bytes from file into buf\""}},
    "gzfread": {"params": {"buf": "out buffer size=size*nitems bytes -- \"Read and decompress up to nitems items of size size from file into buf\""}},
    "gzwrite": {"params": {"buf": "in buffer size=len bytes -- \"Compress and write the len uncompressed bytes at buf to file\""}},
    "gzfwrite": {"params": {"buf": "in buffer size=size*nitems bytes -- \"Compress and write nitems items of size size from buf to file\""}},
    "gzputs": {"params": {"s": "in string -- \"Compress and write the given null-terminated string s to file, excluding the terminating null character\""}},
    "gzgets": {"ret": "string -- \"gzgets returns buf which is a null-terminated string, or it returns NULL for end-of-file or in case of error\"",
               "params": {"buf": "out buffer size=len elements -- \"Read and decompress bytes from file into buf, until len-1 characters are read ... A null character is appended\""}},
    "gzputc": {},
    "gzungetc": {},
    "gzflush": {},
    "gzrewind": {},
    "gzeof": {},
    "gzdirect": {},
    "gzclose": {"params": {"file": "handle deallocates -- \"Flush all pending output for file, if necessary, close file and deallocate the (de)compression state\""}},
    "gzclose_r": {"params": {"file": "handle deallocates -- \"Same as gzclose(), but gzclose_r() is only for use when reading\""}},
    "gzclose_w": {"params": {"file": "handle deallocates -- \"Same as gzclose(), but ... gzclose_w() is only for use when writing or appending\""}},
    "gzerror": {"ret": "string -- \"Return the error message for the last error which occurred on file\"; \"The application must not modify the returned string\"",
                "params": {"errnum": "out element -- \"errnum is set to zlib error number\" (zlib also accepts NULL, but the docs do not say so)"}},
    "gzclearerr": {},
    # ------------------------------------------------------------ checksums
    "adler32": {"params": {"buf": "in buffer size=len elements nullable -- \"Update a running Adler-32 checksum with the bytes buf[0..len-1] ... If buf is Z_NULL, this function returns the required initial value\""}},
    "adler32_z": {"params": {"buf": "in buffer size=len elements nullable -- \"Same as adler32(), but with a size_t length\""}},
    "crc32": {"params": {"buf": "in buffer size=len elements nullable -- \"Update a running CRC-32 with the bytes buf[0..len-1] ... If buf is Z_NULL, this function returns the required initial value\""}},
    "crc32_z": {"params": {"buf": "in buffer size=len elements nullable -- \"Same as crc32(), but with a size_t length\""}},
    "zError": {"ret": "string -- \"exported to allow conversion of error code to string for compress() and uncompress()\""},
    "get_crc_table": {"ret": "buffer size=256 elements -- \"This function can be used by asm versions of crc32()\": the 256-entry CRC table"},
}
