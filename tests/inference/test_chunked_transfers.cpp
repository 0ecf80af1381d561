// The chunked-transfer rule (inference/fusion/src/chunked_transfers.cpp) on a made-up
// header, tests/data/headers/chunked/blob_store.h: which calls get `chunk` and why not.
#include <catch2/catch.hpp>

#include "remora/spec/json_io.h"
#include "test_support.h"

using namespace remora::spec;

namespace {

const remora::inference::InferResult& inferred() {
  return remora::test::inferred_header("chunked/blob_store.h", "libblobstore.so.1");
}

const Function& function(const char* name) {
  const Function* f = inferred().spec.find_function(name);
  REQUIRE(f);
  return *f;
}

}  // namespace

TEST_CASE("chunked transfers: a data buffer sized next to an offset into an object is splittable",
          "[fusion][chunk]") {
  REQUIRE(inferred().ok);
  const Function& write = function("bsWriteBlob");
  REQUIRE(write.chunk);
  CHECK(write.chunk->buffer == "data");
  CHECK(write.chunk->size == "size");
  CHECK(write.chunk->offset == "offset");
  CHECK(write.chunk->status == ReviewStatus::Inferred);
  CHECK(write.chunk->confidence > 0.5);
  CHECK(write.chunk->why.find("offset") != std::string::npos);
  // Elements: the offset counts what the size counts.
  const Function& read = function("bsReadFloats");
  REQUIRE(read.chunk);
  CHECK(read.chunk->buffer == "values");
  CHECK(read.chunk->size == "count");
  CHECK(read.chunk->offset == "first_offset");
}

TEST_CASE("chunked transfers: look-alikes without the evidence are not marked", "[fusion][chunk]") {
  REQUIRE(inferred().ok);
  CHECK_FALSE(function("bsFillBlob").chunk);     // the offset starts another size's range
  CHECK_FALSE(function("bsReplaceBlob").chunk);  // no offset
  CHECK_FALSE(function("bsStampBlob").chunk);    // the offset is not next to the size
  CHECK_FALSE(function("bsReadSome").chunk);     // returns a count, not a status
  CHECK_FALSE(function("bsCreateBlob").chunk);
}

TEST_CASE("chunked transfers: the annotation round-trips through JSON and a reviewed one is kept",
          "[fusion][chunk]") {
  Spec s = inferred().spec;
  Function* write = s.find_function("bsWriteBlob");
  REQUIRE(write);
  REQUIRE(write->chunk);
  SpecLoad back = spec_from_json_text(spec_to_json_text(s));
  CHECK(back.ok());
  REQUIRE(back.spec.find_function("bsWriteBlob"));
  REQUIRE(back.spec.find_function("bsWriteBlob")->chunk);
  CHECK(*back.spec.find_function("bsWriteBlob")->chunk == *write->chunk);
  // A reviewer refuses the split: fusion does not bring it back.
  write->chunk->status = ReviewStatus::Unsupported;
  remora::inference::refuse_spec(s);
  REQUIRE(s.find_function("bsWriteBlob")->chunk);
  CHECK(s.find_function("bsWriteBlob")->chunk->status == ReviewStatus::Unsupported);
}

TEST_CASE("chunked transfers: validation names what a split cannot use", "[fusion][chunk]") {
  Spec s = inferred().spec;
  Function* write = s.find_function("bsWriteBlob");
  REQUIRE(write);
  write->chunk->offset = "blob";  // a handle, not an integer
  bool named = false;
  for (const auto& e : validate_spec(s))
    named |= e.message.find("offset 'blob' must be an integer") != std::string::npos;
  CHECK(named);
  // A valid one passes.
  for (const auto& e : validate_spec(inferred().spec))
    CHECK(e.where.find("chunk") == std::string::npos);
}
