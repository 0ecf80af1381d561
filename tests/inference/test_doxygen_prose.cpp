// The running text of Doxygen comments is read like a reference page's (header_prose.cpp),
// and fusion keeps an opaque pointer and a new handle's slot consistent whatever a
// comment's [in]/[out] tag says. tests/data/headers/doxygen_prose.h is the fictional API.
#include <catch2/catch.hpp>

#include "remora/inference/pipeline.h"
#include "test_support.h"

using remora::spec::Direction;
using remora::spec::Kind;
using remora::spec::Sync;

namespace {

const remora::inference::InferResult& prose_result() {
  return remora::test::inferred_header("doxygen_prose.h", "libdp.so.1");
}

const remora::spec::Function& fn(const std::string& name) {
  const remora::spec::Function* f = prose_result().spec.find_function(name);
  REQUIRE(f);
  return *f;
}

const remora::spec::Param& param(const std::string& function, const std::string& name) {
  const remora::spec::Param* p = fn(function).find_param(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("Doxygen prose: 'asynchronous with respect to the host' makes the call async", "[doxygen-prose]") {
  REQUIRE(prose_result().ok);
  CHECK(fn("dpFill").sync.mode == Sync::Mode::Async);
  // "Launches are done with the stream set using ..., or the null stream if ...": queued.
  CHECK(fn("dpGenerate").sync.mode == Sync::Mode::Async);
  // "Makes all future work submitted to stream wait ...": queued, and so not a barrier
  // (the name's "wait" is the stream's, not the caller's).
  CHECK(fn("dpStreamWaitPool").sync.mode == Sync::Mode::Async);
  CHECK_FALSE(fn("dpStreamWaitPool").barrier);
  // "In case ... will return immediately" is a condition, not the call's mode.
  CHECK(fn("dpStreamDestroy").sync.mode == Sync::Mode::Sync);
}

TEST_CASE("Doxygen prose: NULL allowed, refused, or only a terminator", "[doxygen-prose]") {
  CHECK(param("dpGetLastErrorText", "text").ann.nullable);
  // "returns #dpErrorInvalidValue if version is NULL": an error, not an option.
  CHECK_FALSE(param("dpGetVersion", "version").ann.nullable);
  // "a NULL-terminated text" says how the bytes end, not that the pointer may be NULL.
  CHECK_FALSE(param("dpModuleLoad", "image").ann.nullable);
}

TEST_CASE("fusion: an opaque pointer is an input, a new handle's slot an output", "[doxygen-prose][fusion]") {
  // "@param[out] devPtr": the library writes the device memory, the call receives its address.
  const auto& dev = param("dpFill", "devPtr");
  CHECK(dev.ann.kind == Kind::Opaque);
  CHECK(dev.ann.direction == Direction::In);
  // "@param[in,out] stream ... writes the memory with the newly created stream": nothing to read.
  const auto& made = param("dpStreamCreate", "stream");
  CHECK(made.ann.kind == Kind::Element);
  CHECK(made.ann.allocates);
  CHECK(made.ann.direction == Direction::Out);
}

TEST_CASE("Doxygen prose: what a summary frees is the noun its verb takes", "[doxygen-prose]") {
  // "Frees memory with stream ordered semantics": the memory, not the stream.
  CHECK_FALSE(param("dpFreeOrdered", "stream").ann.deallocates);
  CHECK(param("dpFreeOrdered", "devPtr").ann.deallocates);
  CHECK(fn("dpFreeOrdered").sync.mode == Sync::Mode::Async);  // a summary that says "stream ordered"
  // "Releases memory back to the system until the pool ...": the pool lives on.
  CHECK_FALSE(param("dpPoolTrim", "pool").ann.deallocates);
}

TEST_CASE("Doxygen prose: a handle the text calls null may be NULL, unless that is an error", "[doxygen-prose]") {
  CHECK(param("dpStreamSynchronize", "stream").ann.nullable);  // "specifying the null stream"
  CHECK_FALSE(param("dpPoolQuery", "pool").ann.nullable);       // "an error for a null pool"
}

TEST_CASE("a handle output is optional only beside the call's purpose", "[doxygen-prose]") {
  // The first output of a getter is what it is for; the handle queued work hands back is extra.
  CHECK_FALSE(param("dpPoolGetStream", "stream").ann.nullable);
  CHECK(param("dpEnqueueFill", "stream").ann.nullable);
}

TEST_CASE("a C++ default of 0, NULL or nullptr makes a pointer or handle optional", "[doxygen-prose][defaults]") {
  CHECK(param("dpFillAsync", "stream").ann.nullable);
  CHECK(param("dpFillAsync", "done").ann.nullable);
  CHECK_FALSE(param("dpFillAsync", "pool").ann.nullable);  // no default
  CHECK(param("dpRecord", "stream").ann.nullable);
  CHECK_FALSE(param("dpRecord", "pool").ann.nullable);
}

TEST_CASE("NULL spelled as a no-op, as 0 or as the API's own constant", "[doxygen-prose]") {
  CHECK(param("dpPoolRelease", "pool").ann.nullable);  // "a NULL pointer argument is a harmless no-op"
  CHECK(param("dpFree", "devPtr").ann.nullable);       // "If devPtr is 0, no operation is performed"
  CHECK(param("dpChecksum", "buf").ann.nullable);      // "If buf is DP_NULL, ..."
  CHECK(param("dpStreamFlush", "flushed").ann.nullable);  // "If flushed is non-null, ..."
}

TEST_CASE("fusion: a count that sizes a buffer is read before the call, whatever its tag", "[doxygen-prose][fusion]") {
  const auto& streams = param("dpPoolGetStreams", "streams");
  CHECK(streams.ann.kind == Kind::Buffer);
  CHECK(streams.ann.size == "*numStreams");
  CHECK(param("dpPoolGetStreams", "numStreams").ann.direction == Direction::InOut);  // "@param[out]"
}

TEST_CASE("an alloc call's address held in an integer type is a new allocation", "[doxygen-prose]") {
  const auto& dptr = param("dpMemAlloc", "dptr");  // dpDeviceptr *: an integer named as an address
  CHECK(dptr.ann.kind == Kind::Element);
  CHECK(dptr.ann.direction == Direction::Out);
  CHECK(dptr.ann.allocates);
  CHECK_FALSE(param("dpMemGetSize", "bytes").ann.allocates);  // a getter's size is no allocation
  CHECK(param("dpMemAllocAsync", "dptr").ann.allocates);       // stream-ordered: an allocation still
}

TEST_CASE("a handle type that three declarations default to NULL may be NULL everywhere but a release",
          "[doxygen-prose][defaults]") {
  // dpStream_t defaults to 0 or nullptr in dpFillAsync, dpRecord and dpMemAllocAsync.
  CHECK(param("dpStreamFlush", "stream").ann.nullable);
  CHECK(param("dpStreamWaitPool", "stream").ann.nullable);
  CHECK_FALSE(param("dpStreamDestroy", "stream").ann.nullable);  // NULL is no stream to destroy
  CHECK_FALSE(param("dpStreamWaitPool", "pool").ann.nullable);   // dpPool_t has no default anywhere
}

TEST_CASE("a parameter named by its position ('the second parameter to F()')", "[doxygen-prose]") {
  CHECK(param("dpConfigure", "options").ann.nullable);      // "the second parameter to dpConfigure()"
  CHECK_FALSE(param("dpConfigure", "label").ann.nullable);  // "the third parameter to the logger": not this call's
}

TEST_CASE("Doxygen prose: a value written only in some cases is kept otherwise (inout)", "[doxygen-prose]") {
  // "modified if and only if DP_MEMLIMIT_ERROR is returned": the limit is read, and
  // written back only on that error; the condition's "is returned" names the call's result.
  CHECK(param("dpDecodeBuffer", "memlimit").ann.direction == Direction::InOut);
  // "The old contents are ignored ... modified only if this function returns DP_OK": out.
  CHECK(param("dpDecodeBuffer", "chain").ann.direction == Direction::Out);
  CHECK(param("dpDecodeBuffer", "used").ann.direction == Direction::Out);
}
