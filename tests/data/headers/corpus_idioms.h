/* A fictional C API ("kv") written in the styles of the accuracy corpus (zlib,
 * bzip2, SQLite, the CUDA libraries, Vulkan), one prototype per rule that the
 * corpus misses taught (docs/accuracy.md). Never compiled into a library: it is
 * only read by tests/inference/test_corpus_idioms.cpp. */
#include <stddef.h>
#include <stdio.h>

typedef struct kv_handle_st *kvHandle;       /* an opaque handle */
typedef unsigned long long kvAddr;           /* an address in device memory */
typedef enum { KV_OPTION_LOG = 1, KV_OPTION_FAST = 2 } kvOption;
enum kvCopyKind { kvCopyHostToHost, kvCopyHostToDevice, kvCopyDeviceToHost, kvCopyDeviceToDevice };

/* zlib's gz* style: lower-case verbs glued to the prefix, a public struct the API
 * allocates (gzopen) and frees (gzclose). */
struct kvgFile_s { unsigned have; unsigned char *next; };
typedef struct kvgFile_s *kvgFile;
kvgFile kvgopen(const char *path, const char *mode);
int kvgread(kvgFile file, void *buf, unsigned len);
int kvgbuffer(kvgFile file, unsigned size);
int kvgclose(kvgFile file);

/* bzip2's style: `typedef void` objects, FILE * of the caller, write calls with
 * non-const data, char * sources. */
typedef void KVDB;
KVDB *kvDbOpen(int *err, FILE *f, int verbosity);
void kvDbPut(int *err, KVDB *db, void *buf, int len);
void kvDbClose(int *err, KVDB *db);
size_t kvDbRead(void *buf, size_t size, size_t nitems, KVDB *db);
int kvBuffCompress(char *dest, unsigned int *destLen, char *source, unsigned int sourceLen);

/* State struct (z_stream style): caller-owned, passed non-const to many calls. */
typedef struct { const unsigned char *next_in; unsigned avail_in; unsigned char *next_out; } kv_stream;
int kvStreamRun(kv_stream *strm, int flush);
int kvStreamReset(kv_stream *strm);
int kvStreamTune(kv_stream *strm, int good_length, int max_lazy);
unsigned long kvStreamBound(kv_stream *strm, unsigned long sourceLen);
int kvStreamGetState(kv_stream *strm, int *state);
int kvStreamCopy(kv_stream *dest, kv_stream *source);

/* Accelerator-library style. */
int kvModuleLoadData(kvHandle *module, const void *image, unsigned int numOptions, kvOption *options);
int kvProgramDestroy(kvHandle *prog);
int kvGetProgramLog(kvHandle prog, char *log);
int kvGetSupportedArchs(int *supportedArchs);
int kvEventElapsedTime(float *pMilliseconds, kvHandle start, kvHandle end);
int kvGetAttribute(kvHandle pool, int attr, void *value);
int kvOccupancy(int *numBlocks, const void *func, int blockSize);
int kvHostRegister(void *ptr, size_t size, unsigned int flags);
int kvExchangeMode(int *mode);
int kvMemcpyDtoH(void *dstHost, kvAddr srcDevice, size_t ByteCount);
int kvMemcpy(void *dst, const void *src, size_t count, enum kvCopyKind kind);
void kvFreeTable(char **result);
/**
 * \brief Generates numbers.
 * \param generator - Generator to use
 * \param outputPtr - Pointer to device memory to store GPU-generated results, or
 *                    Pointer to host memory to store CPU-generated results
 * \param num - Number of values to generate
 */
int kvGenerate(kvHandle generator, unsigned int *outputPtr, size_t num);

/* Vulkan style: a count naming the whole array wins over one naming part of it; a
 * table of callbacks between arrays is one object. */
typedef struct { int sType; const void *pNext; } kvBarrier;
typedef struct { void *(*pfnAllocation)(void *user, size_t size); void *pUserData; } kvAllocationCallbacks;
typedef struct { int flags; } kvThingCreateInfo;
void kvCmdBarrier(kvHandle cmd, unsigned memoryBarrierCount, const kvBarrier *pMemoryBarriers,
                  unsigned bufferMemoryBarrierCount, const kvBarrier *pBufferMemoryBarriers);
int kvCreateThings(kvHandle device, unsigned createInfoCount, const kvThingCreateInfo *pCreateInfos,
                   const kvAllocationCallbacks *pAllocator, kvHandle *pThings);

/* Vulkan getters whose struct is the answer (in/out through its pNext chain), a set
 * of bits spelled in the plural, and a call named Write... that fills its data. */
typedef unsigned kvFeatureFlags;
typedef struct { int sType; void *pNext; unsigned long size; } kvMemoryRequirements;
void kvGetBufferMemoryRequirements(kvHandle device, kvMemoryRequirements *pMemoryRequirements);
void kvGetImageMemoryRequirements(kvHandle device, kvMemoryRequirements *pMemoryRequirements);
void kvGetDeviceMemoryRequirements(kvHandle device, kvMemoryRequirements *pMemoryRequirements);
void kvGetPeerFeatures(kvHandle device, kvFeatureFlags *pPeerFeatures);
int kvWriteThingsProperties(kvHandle device, size_t dataSize, void *pData);

/* bzip2's stream: allocation callbacks with their user data `opaque`, beside the library's
 * private `state`, both untyped. */
typedef struct {
  char *next_in;
  unsigned int avail_in;
  char *next_out;
  unsigned int avail_out;
  void *state;
  void *(*bzalloc)(void *, int, int);
  void (*bzfree)(void *, void *);
  void *opaque;
} kv_bzstream;
int kvBzCompressInit(kv_bzstream *strm, int blockSize100k);
int kvBzCompress(kv_bzstream *strm, int action);
int kvBzCompressEnd(kv_bzstream *strm);

/* expat's feature list: a struct the header defines and the API only ever returns. */
typedef struct { int feature; const char *name; long value; } kvFeature;
const kvFeature *kvGetFeatureList(void);

/* libuuid's style: a typedef of a fixed array of bytes, passed as the array it names. */
typedef unsigned char kv_id_t[16];
int kvIdCompare(const kv_id_t a, const kv_id_t b);
void kvIdNew(kv_id_t out);
void kvIdHash(kv_id_t out, const kv_id_t ns, const char *name, size_t len);

/* glibc's __REDIRECT: an alias labelled with another declared function's symbol, and a
 * function whose symbol is a later version. */
int kvCrypt(const char *phrase, int n);
int kvCryptAlias(const char *phrase, int n) __asm__("kvCrypt");
int kvVersioned(int n) __asm__("kvVersioned_v2");

/* fontconfig's style: UTF-8 text as a one-byte integer named for its unit width. */
typedef unsigned char KvChar8;
int kvNameParse(const KvChar8 *name);
KvChar8 *kvNameUnparse(int id);
int kvNameGet(int id, KvChar8 **name);

/* amd_comgr's style: the callbacks' user data beside a size the call writes. */
int kvDisassemble(kvHandle info, unsigned long long address, void *user_data, unsigned long long *size);

/* One length after two pointers: a copy's ends share it, parallel arrays share it, a
 * digest of its own size does not. */
void kvHashBuffer(int algo, void *digest, const void *buffer, size_t length);
void kvCopyBytes(void *dstptr, const void *srcptr, size_t size);
int kvCapabilities(unsigned int *capabilities, const int *operations, unsigned int count);

/* OpenGL's style: image data through untyped pointers sized by a format, not a parameter. */
void kvTexImage(int width, int height, unsigned int format, const void *pixels);
void kvReadPixels(int x, int y, int width, int height, unsigned int format, void *pixels);

/* libmagic's style: unnamed parameters, where size_t is the only name a length has. */
const char *kvBufferType(kvHandle, const void *, size_t);

/* liblzma's style: options with reserved pointers for later versions, and a chain the
 * header never sizes but its docs end (a sentinel id), whose entries point to id-dependent
 * options. */
#define KV_FILTER_END 0xFFFFFFFFFFFFFFFFULL
/**
 * \brief Filter options
 *
 * A filter chain is an array of kv_filter structures. The array is terminated with
 * .id = KV_FILTER_END.
 */
typedef struct {
  unsigned long long id;
  void *options;
} kv_filter;
typedef struct {
  unsigned int threads;
  const kv_filter *filters;
  void *reserved_ptr1;
  void *reserved_ptr2;
} kv_mt_options;
int kvDecoderMt(kvHandle decoder, const kv_mt_options *options);
int kvRawEncoder(kvHandle encoder, const kv_filter *filters);
int kvFilterSize(unsigned int *size, const kv_filter *filter);
int kvFiltersCopy(const kv_filter *src, kv_filter *dest);
/* The other wording: a member's own docs name the value that ends the array. */
typedef struct {
  /** The key; in an array of kv_pair structures, use KV_FILTER_END to indicate end of the pairs. */
  unsigned long long key;
  long long value;
} kv_pair;
int kvSetPairs(kvHandle h, const kv_pair *pairs);
/* Two counts name a member: the one naming more of it sizes it. */
typedef struct {
  unsigned int dict_size;
  const unsigned char *preset_dict;
  unsigned int preset_dict_size;
} kv_lz_options;
int kvLzPreset(kv_lz_options *options, unsigned int preset);
/* A count beside a pointer that does not name it: a count of another noun sizes it
 * (Vulkan's descriptorSetCount beside pSetLayouts); a limit, a measure of something else,
 * or a named count after it does not, and text keeps its NUL. */
struct kv_lib_info { int version; };
typedef struct {
  unsigned int shared_mem_bytes;
  void **kernel_args;
  unsigned int max_recursion_depth;
  const struct kv_lib_info *library_info;
  int n_ref;
  char *err_msg;
  const int *module;
  int n_uses;
  unsigned int set_count;
  const unsigned int *layout_ids;
} kv_launch_params;
int kvLaunch(kvHandle h, const kv_launch_params *params);
/* Doxygen that states a byte buffer's size: a constant of the header, or another
 * parameter's member. */
#define KV_HEADER_SIZE 12
/**
 * \brief Decode a header
 * \param flags Target for the decoded flags.
 * \param in Beginning of the input buffer of KV_HEADER_SIZE bytes.
 */
int kvHeaderDecode(unsigned int *flags, const unsigned char *in);
typedef struct {
  unsigned int header_size;
  unsigned int check;
} kv_block;
/**
 * \brief Encode a block header
 * \param block Block options.
 * \param out Beginning of the output buffer. This must be at least block->header_size bytes.
 */
int kvBlockHeaderEncode(const kv_block *block, unsigned char *out);
/* Callback types whose parameters are named and documented (an XML parser's handlers):
   each argument is read as a parameter of that name would be. */
typedef struct kv_parser_s *kvParser;
/* attrs is array of name/value pairs, terminated by 0;
   names and values are 0 terminated.
*/
typedef void (*kv_start_handler)(void *userData, const char *name, const char **attrs);
/* s is not 0 terminated. */
typedef void (*kv_text_handler)(void *userData, const char *s, int len);
kvParser kvParserCreate(const char *encoding);
void kvParserFree(kvParser parser);
void kvSetStartHandler(kvParser parser, kv_start_handler handler);
void kvSetTextHandler(kvParser parser, kv_text_handler handler);
/* Sets the search path: dirs is a NULL-terminated array of directory names. */
int kvSetSearchPath(kvParser parser, const char *const *dirs);
/* A library's table of its options, ended by the enum's first constant (no docs say so). */
enum kv_option_id { KV_OPTION_END = 0, KV_OPTION_ZLIB, KV_OPTION_THREADS };
typedef struct {
  enum kv_option_id option;
  const char *name;
  long value;
} kv_option;
const kv_option *kvGetOptionList(void);
/* A buffer the parser lends: the program writes the next input into it, then parses it
   in place. Nothing says so but the prototype: a writable void * of len bytes from an
   object, from a function whose name says buffer. */
void *kvGetBuffer(kvParser parser, int len);
int kvParseBuffer(kvParser parser, int len, int isFinal);
/* Not lent: a read-only view, and memory the caller owns. */
const void *kvPeekBuffer(kvParser parser, int len);
void *kvAllocBuffer(kvParser parser, size_t size);
