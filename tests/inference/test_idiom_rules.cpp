// The common C-API idiom rules on tests/data/headers/idioms_demo.h: two-call
// enumeration, struct-pointer handles from their lifecycle, fixed-size arrays,
// counts inside an input struct, device addresses.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {

const remora::inference::InferResult& idioms() {
  return remora::test::inferred_header("idioms_demo.h", "libidioms.so.1");
}

const Param& param(const char* function, const char* name) {
  const Function* f = idioms().spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("two-call enumeration: the count is inout, the array is sized by *count and may be NULL",
          "[idioms]") {
  const Param& count = param("idmEnumerateSessions", "pSessionCount");
  CHECK(count.ann.direction == Direction::InOut);
  CHECK(count.ann.kind == Kind::Element);
  const Param& items = param("idmEnumerateSessions", "pSessions");
  CHECK(items.ann.kind == Kind::Buffer);
  CHECK(items.ann.direction == Direction::Out);
  CHECK(items.ann.size == "*pSessionCount");
  CHECK(items.ann.size_unit == SizeUnit::Elements);
  CHECK(items.ann.nullable);
  REQUIRE(items.ann.element);
  CHECK(items.ann.element->kind == Kind::Handle);

  const Param& data = param("idmGetBlob", "data");
  CHECK(data.ann.kind == Kind::Buffer);
  CHECK(data.ann.size == "*dataLength");
  CHECK(data.ann.size_unit == SizeUnit::Bytes);
  CHECK(param("idmGetBlob", "dataLength").ann.direction == Direction::InOut);
}

TEST_CASE(
    "struct pointers the API hands out and takes back are handles; caller-filled structs are not",
    "[idioms]") {
  const Param& out = param("idmOpenSession", "session");
  CHECK(out.ann.kind == Kind::Element);
  CHECK(out.ann.direction == Direction::Out);
  CHECK(out.ann.allocates);
  REQUIRE(out.ann.element);
  CHECK(out.ann.element->kind == Kind::Handle);
  const Param& used = param("idmSessionPing", "session");
  CHECK(used.ann.kind == Kind::Handle);
  CHECK(used.ann.handle_type == "idm_session");  // a C identifier, as the spec requires
  CHECK(out.ann.element->handle_type == "idm_session");
  CHECK(param("idmCloseSession", "session").ann.deallocates);

  // A typedef of a pointer to a public struct, created by *Open and released by *Close.
  CHECK(param("idmReaderRead", "reader").ann.kind == Kind::Handle);
  CHECK(param("idmReaderClose", "reader").ann.deallocates);
  const Type* reader = idioms().spec.find_type("idmReader");
  REQUIRE(reader);
  CHECK(reader->kind == TypeKind::Handle);

  // The caller allocates and fills idm_stream: a struct the API reads and writes.
  const Param& stream = param("idmStreamInit", "stream");
  CHECK(stream.ann.kind == Kind::Element);
  CHECK(stream.ann.direction != Direction::In);
}

TEST_CASE("units: fixed-size arrays and typed element counts", "[idioms]") {
  const Param& blend = param("idmSetBlend", "blend");
  CHECK(blend.ann.kind == Kind::Buffer);
  CHECK(blend.ann.direction == Direction::In);
  CHECK(blend.ann.size == "4");
  CHECK(blend.ann.size_unit == SizeUnit::Elements);
  const Param& values = param("idmScale", "values");
  CHECK(values.ann.size == "count");
  CHECK(values.ann.size_unit == SizeUnit::Elements);
  // The docs say the count is of floats: an untyped buffer of count * sizeof(float) bytes.
  const Param& samples = param("idmUpload", "samples");
  CHECK(samples.ann.size == "count*sizeof(float)");
  CHECK(samples.ann.size_unit == SizeUnit::Bytes);
  const Param& buf = param("idmReaderRead", "buf");
  CHECK(buf.ann.size == "len");
  CHECK(buf.ann.size_unit == SizeUnit::Bytes);
}

TEST_CASE("a count held in a field of an input struct sizes an output array", "[idioms]") {
  const Param& blocks = param("idmAllocateBlocks", "pBlocks");
  CHECK(blocks.ann.kind == Kind::Buffer);
  CHECK(blocks.ann.direction == Direction::Out);
  CHECK(blocks.ann.size == "pAllocInfo->blockCount");
}

TEST_CASE("device addresses are passed through, even when typed", "[idioms]") {
  const Param& alloc = param("idmMalloc", "devPtr");
  CHECK(alloc.ann.direction == Direction::Out);
  REQUIRE(alloc.ann.element);
  CHECK(alloc.ann.element->kind == Kind::Opaque);
  CHECK(param("idmFree", "devPtr").ann.kind == Kind::Opaque);
  CHECK(param("idmFill", "devPtr").ann.kind == Kind::Opaque);
}
