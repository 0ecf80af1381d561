// The rules the accuracy corpus misses taught (docs/accuracy.md), each on a
// prototype of tests/data/headers/corpus_idioms.h written in the style of the
// API it came from, but naming none of them: the rules must read the idiom.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {

const remora::inference::InferResult& inferred() {
  return remora::test::inferred_header("corpus_idioms.h", "libkv.so.1");
}

const Param& param(const char* function, const char* name) {
  const Function* f = inferred().spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

bool is(const Param& p, Direction d, Kind k) { return p.ann.direction == d && p.ann.kind == k; }

}  // namespace

TEST_CASE("objects: verbs glued to the API prefix, typedefs of void, another library's FILE", "[idioms][corpus]") {
  REQUIRE(inferred().ok);
  // kvgopen / kvgclose read as open / close: the public struct is the API's object.
  CHECK(is(param("kvgread", "file"), Direction::In, Kind::Handle));
  CHECK(param("kvgclose", "file").ann.deallocates);
  // ... and no longer a buffer sized by the `size` that follows it.
  CHECK(is(param("kvgbuffer", "file"), Direction::In, Kind::Handle));
  CHECK(param("kvgbuffer", "file").ann.size.empty());
  // typedef void KVDB, created by *Open and released by *Close.
  CHECK(is(param("kvDbPut", "db"), Direction::In, Kind::Handle));
  CHECK(is(param("kvDbPut", "err"), Direction::Out, Kind::Element));
  // The caller's FILE * means nothing in another process: an address, not a struct to copy.
  CHECK(is(param("kvDbOpen", "f"), Direction::In, Kind::Opaque));
}

TEST_CASE("non-const inputs: sources, data of a write call, option lists", "[idioms][corpus]") {
  const Param& put = param("kvDbPut", "buf");
  CHECK(is(put, Direction::In, Kind::Buffer));
  CHECK(put.ann.size == "len");
  const Param& source = param("kvBuffCompress", "source");
  CHECK(is(source, Direction::In, Kind::Buffer));
  CHECK(source.ann.size == "sourceLen");
  CHECK(is(param("kvBuffCompress", "dest"), Direction::Out, Kind::Buffer));
  const Param& options = param("kvModuleLoadData", "options");
  CHECK(is(options, Direction::In, Kind::Buffer));
  CHECK(options.ann.size == "numOptions");
  // The bytes a new object is built from: read, of a size the prototype does not give.
  CHECK(is(param("kvModuleLoadData", "image"), Direction::In, Kind::Buffer));
}

TEST_CASE("state structs: read by queries, copied from a source, never sized by another length",
          "[idioms][corpus]") {
  CHECK(is(param("kvStreamRun", "strm"), Direction::InOut, Kind::Element));
  CHECK(is(param("kvStreamTune", "strm"), Direction::InOut, Kind::Element));
  CHECK(is(param("kvStreamBound", "strm"), Direction::In, Kind::Element));
  CHECK(is(param("kvStreamGetState", "strm"), Direction::In, Kind::Element));
  CHECK(is(param("kvStreamCopy", "dest"), Direction::Out, Kind::Element));
  CHECK(is(param("kvStreamCopy", "source"), Direction::In, Kind::Element));
}

TEST_CASE("outputs: char arrays, plural names, getters' untyped values, released handles", "[idioms][corpus]") {
  // The caller's capacity is what marshalling needs: a buffer to annotate, not a string.
  const Param& log = param("kvGetProgramLog", "log");
  CHECK(is(log, Direction::Out, Kind::Buffer));
  CHECK_FALSE(inferred().spec.find_function("kvGetProgramLog")->supported);
  CHECK(is(param("kvGetSupportedArchs", "supportedArchs"), Direction::Out, Kind::Buffer));
  CHECK(is(param("kvEventElapsedTime", "pMilliseconds"), Direction::Out, Kind::Element));
  CHECK(is(param("kvGetAttribute", "value"), Direction::Out, Kind::Buffer));
  const Param& prog = param("kvProgramDestroy", "prog");
  CHECK(is(prog, Direction::In, Kind::Element));
  CHECK(prog.ann.deallocates);
  const Param& table = param("kvFreeTable", "result");
  CHECK(is(table, Direction::In, Kind::Opaque));
  CHECK(table.ann.deallocates);
}

TEST_CASE("addresses: code and symbols, registered ranges, exchanged values", "[idioms][corpus]") {
  CHECK(is(param("kvOccupancy", "func"), Direction::In, Kind::Opaque));
  CHECK(is(param("kvHostRegister", "ptr"), Direction::In, Kind::Opaque));
  CHECK(is(param("kvExchangeMode", "mode"), Direction::InOut, Kind::Element));
}

TEST_CASE("sizes: fread's size*nitems, a lone byte count, whole-name counts, callback tables", "[idioms][corpus]") {
  CHECK(param("kvDbRead", "buf").ann.size == "size*nitems");
  const Param& host = param("kvMemcpyDtoH", "dstHost");
  CHECK(is(host, Direction::Out, Kind::Buffer));
  CHECK(host.ann.size == "ByteCount");
  CHECK(host.ann.size_unit == SizeUnit::Bytes);
  CHECK(param("kvCmdBarrier", "pMemoryBarriers").ann.size == "memoryBarrierCount");
  CHECK(param("kvCmdBarrier", "pBufferMemoryBarriers").ann.size == "bufferMemoryBarrierCount");
  CHECK(param("kvCreateThings", "pAllocator").ann.kind == Kind::Element);
  CHECK(param("kvCreateThings", "pThings").ann.size == "createInfoCount");
}

TEST_CASE("a copy whose direction is an argument: an address, a sized host buffer per direction",
          "[idioms][corpus]") {
  const Param& dst = param("kvMemcpy", "dst");
  CHECK(is(dst, Direction::In, Kind::Opaque));
  bool host_case = false;
  for (const When& w : dst.when)
    if (w.condition == "kind == kvCopyDeviceToHost") {
      host_case = true;
      CHECK(w.overrides.kind == Kind::Buffer);
      CHECK(w.overrides.direction == Direction::Out);
      CHECK(w.overrides.size == "count");
    }
  CHECK(host_case);
}

TEST_CASE("Doxygen: device memory or host memory depending on another argument is an address",
          "[idioms][corpus][docs]") {
  CHECK(is(param("kvGenerate", "outputPtr"), Direction::In, Kind::Opaque));
}

TEST_CASE("getters whose struct is the answer, bit sets, Write... calls that fill data", "[idioms][corpus]") {
  CHECK(is(param("kvGetImageMemoryRequirements", "pMemoryRequirements"), Direction::InOut, Kind::Element));
  CHECK(is(param("kvGetPeerFeatures", "pPeerFeatures"), Direction::Out, Kind::Element));
  const Param& data = param("kvWriteThingsProperties", "pData");
  CHECK(is(data, Direction::Out, Kind::Buffer));
  CHECK(data.ann.size == "dataSize");
}

TEST_CASE("a stream's untyped private state beside its callbacks' user data; a struct only returned",
          "[idioms][corpus]") {
  const Type* stream = inferred().spec.find_type("kv_bzstream");
  REQUIRE(stream);
  auto field = [&](const char* name) -> const StructField& {
    for (const auto& f : stream->fields)
      if (f.name == name) return f;
    FAIL("no member " << name);
    return stream->fields.front();
  };
  CHECK(field("opaque").ann.kind == Kind::Userdata);
  CHECK(field("state").ann.kind == Kind::Opaque);  // the library's: a callback takes one user data
  CHECK(stream->state);  // so the struct is a stream state, its allocators the library's own
  const Function* features = inferred().spec.find_function("kvGetFeatureList");
  REQUIRE(features);
  // Defined in the header, never created or released: data to read, not an object reference.
  CHECK(features->ret.ann.kind != Kind::Handle);
}

TEST_CASE("a typedef of a fixed array of numbers is that many numbers", "[idioms][corpus]") {
  CHECK(is(param("kvIdCompare", "a"), Direction::In, Kind::Buffer));  // const of the typedef
  CHECK(param("kvIdCompare", "a").ann.size == "16");
  CHECK(is(param("kvIdNew", "out"), Direction::Out, Kind::Buffer));
  CHECK(param("kvIdNew", "out").ann.size == "16");
  // The type's extent, not the length of the call's other data.
  CHECK(param("kvIdHash", "out").ann.size == "16");
  CHECK(param("kvIdHash", "ns").ann.size == "16");
  CHECK(param("kvIdHash", "name").ann.size == "len");
}

TEST_CASE("assembler labels: an alias of another declared function is dropped, a version kept",
          "[idioms][corpus]") {
  const auto& spec = inferred().spec;
  CHECK(spec.find_function("kvCrypt"));
  CHECK_FALSE(spec.find_function("kvCryptAlias"));  // its calls reach kvCrypt's symbol
  const Function* versioned = spec.find_function("kvVersioned");
  REQUIRE(versioned);
  CHECK(versioned->symbol == "kvVersioned_v2");
}

TEST_CASE("a one-byte character type named with its width is text", "[idioms][corpus]") {
  CHECK(is(param("kvNameParse", "name"), Direction::In, Kind::String));
  const Function* unparse = inferred().spec.find_function("kvNameUnparse");
  REQUIRE(unparse);
  CHECK(unparse->ret.ann.kind == Kind::String);
  const Param& got = param("kvNameGet", "name");
  CHECK(got.ann.direction == Direction::Out);
  REQUIRE(got.ann.element);
  CHECK(got.ann.element->kind == Kind::String);
}

TEST_CASE("an untyped pointer named for the user is never data a size beside it counts", "[idioms][corpus]") {
  const Param& user_data = param("kvDisassemble", "user_data");
  CHECK(user_data.ann.size.empty());
  CHECK(user_data.ann.kind != Kind::Buffer);
  CHECK(is(param("kvDisassemble", "size"), Direction::Out, Kind::Element));
}

TEST_CASE("a length after two pointers: shared by a copy's ends and parallel arrays, not by a digest",
          "[idioms][corpus]") {
  CHECK(param("kvHashBuffer", "buffer").ann.size == "length");
  CHECK(param("kvHashBuffer", "digest").ann.size.empty());  // never overfilled with `length` bytes
  CHECK(param("kvCopyBytes", "dstptr").ann.size == "size");
  CHECK(param("kvCapabilities", "capabilities").ann.size == "count");
}

TEST_CASE("untyped image data is a buffer (refused unsized), never an address passed on", "[idioms][corpus]") {
  CHECK(is(param("kvTexImage", "pixels"), Direction::In, Kind::Buffer));
  CHECK(is(param("kvReadPixels", "pixels"), Direction::Out, Kind::Buffer));
  CHECK(param("kvReadPixels", "pixels").ann.size.empty());
}

TEST_CASE("unnamed parameters: a size_t after untyped data is its length", "[idioms][corpus]") {
  CHECK(is(param("kvBufferType", "arg1"), Direction::In, Kind::Buffer));
  CHECK(param("kvBufferType", "arg1").ann.size == "arg2");
}

TEST_CASE("options structs: reserved pointers pass through, an unsized array the program may leave NULL",
          "[idioms][corpus]") {
  const Type* mt = inferred().spec.find_type("kv_mt_options");
  REQUIRE(mt);
  const StructField* reserved = mt->find_field("reserved_ptr1");
  REQUIRE(reserved);
  CHECK(reserved->ann.kind == Kind::Opaque);
  // The entries' `options` has no kind: it travels only where the program leaves it NULL.
  const StructField* filters = mt->find_field("filters");
  REQUIRE(filters);
  CHECK(filters->ann.kind == Kind::Buffer);
  CHECK(filters->ann.nullable);
  CHECK(mt->supported);
  const Type* filter = inferred().spec.find_type("kv_filter");
  REQUIRE(filter);
  CHECK(filter->supported);
}

TEST_CASE("an array of structs the docs end at a sentinel element is sized up to it", "[idioms][corpus]") {
  // The struct's docs: "The array is terminated with .id = KV_FILTER_END".
  const Type* mt = inferred().spec.find_type("kv_mt_options");
  REQUIRE(mt);
  CHECK(mt->find_field("filters")->ann.size == "terminated(filters,id,KV_FILTER_END)");
  CHECK(is(param("kvRawEncoder", "filters"), Direction::In, Kind::Buffer));
  CHECK(param("kvRawEncoder", "filters").ann.size == "terminated(filters,id,KV_FILTER_END)");
  // One struct (a singular name), and an array the library fills (no terminator yet): unchanged.
  CHECK(is(param("kvFilterSize", "filter"), Direction::In, Kind::Element));
  CHECK(param("kvFiltersCopy", "dest").ann.size.empty());
  // A member's own docs: "use KV_FILTER_END to indicate end of the pairs".
  CHECK(param("kvSetPairs", "pairs").ann.size == "terminated(pairs,key,KV_FILTER_END)");
}

TEST_CASE("of two counts naming a member, the one naming more of it sizes it", "[idioms][corpus]") {
  const Type* t = inferred().spec.find_type("kv_lz_options");
  REQUIRE(t);
  CHECK(t->find_field("preset_dict")->ann.size == "preset_dict_size");
}

TEST_CASE("a count beside a member that does not name it sizes it only as a count of another noun",
          "[idioms][corpus]") {
  const Type* t = inferred().spec.find_type("kv_launch_params");
  REQUIRE(t);
  CHECK(t->find_field("kernel_args")->ann.size.empty());   // after a measure of shared memory
  CHECK(t->find_field("library_info")->ann.size.empty());  // after a limit
  CHECK(t->find_field("library_info")->ann.kind == Kind::Element);
  CHECK(t->find_field("err_msg")->ann.kind == Kind::String);  // text after a named count
  CHECK(t->find_field("module")->ann.size.empty());           // a named count after it
  CHECK(t->find_field("layout_ids")->ann.size == "set_count");
}

TEST_CASE("an enum with an OK of 0 fails calls with its general error but stays an enum", "[idioms][corpus]") {
  const auto& r = remora::test::inferred_header("ok_enum.h", "liboe.so.1");
  REQUIRE(r.ok);
  const Type* t = r.spec.find_type("oe_ret");
  REQUIRE(t);
  CHECK(t->kind == TypeKind::Enum);  // OE_STREAM_END is no failure: outputs still come back
  CHECK(t->error == "OE_PROG_ERROR");
  // Returned spelled by its tag, with an OK of 1: only the constant that says "error" fails.
  const Type* status = r.spec.find_type("oe_status");
  REQUIRE(status);
  CHECK(status->kind == TypeKind::Enum);
  CHECK(status->error == "OE_STATUS_ERROR");
}

TEST_CASE("Doxygen that states a byte buffer's size in a constant or a member sizes it", "[idioms][corpus]") {
  CHECK(param("kvHeaderDecode", "in").ann.size == "12");  // KV_HEADER_SIZE
  CHECK(param("kvHeaderDecode", "in").ann.size_unit == SizeUnit::Bytes);
  CHECK(param("kvBlockHeaderEncode", "out").ann.size == "block->header_size");
  CHECK(param("kvBlockHeaderEncode", "out").ann.kind == Kind::Buffer);
}

TEST_CASE("a callback type's arguments are read from its typedef's names and comment", "[idioms][corpus]") {
  const Type* start = inferred().spec.find_type("kv_start_handler");
  REQUIRE(start);
  REQUIRE(start->fields.size() == 3);  // its arguments, in order
  CHECK(start->fields[0].ann.kind == Kind::Userdata);
  CHECK(start->fields[1].ann.kind == Kind::String);
  // "attrs is array of name/value pairs, terminated by 0": the library passes it in.
  CHECK(start->fields[2].ann.kind == Kind::Buffer);
  CHECK(start->fields[2].ann.direction == Direction::In);
  CHECK(start->fields[2].ann.size == "terminated(attrs,0)");
  const Type* text = inferred().spec.find_type("kv_text_handler");
  REQUIRE(text);
  REQUIRE(text->fields.size() == 3);
  CHECK(text->fields[1].ann.kind == Kind::Buffer);  // text and its length, not a string
  CHECK(text->fields[1].ann.size == "len");
  // A parameter the docs end with NULL is such an array too.
  const Param& dirs = param("kvSetSearchPath", "dirs");
  CHECK(is(dirs, Direction::In, Kind::Buffer));
  CHECK(dirs.ann.size == "terminated(dirs,0)");
}

TEST_CASE("a returned list of structs ends where the member's enum begins with END = 0", "[idioms][corpus]") {
  const Function* f = inferred().spec.find_function("kvGetOptionList");
  REQUIRE(f);
  CHECK(f->ret.ann.kind == Kind::Buffer);
  CHECK(f->ret.ann.size == "terminated(ret,option,KV_OPTION_END)");
}

TEST_CASE("a writable void * of len bytes an object's buffer function returns is lent memory", "[idioms][corpus]") {
  const Function* f = inferred().spec.find_function("kvGetBuffer");
  REQUIRE(f);
  CHECK(f->ret.ann.shadow == "persistent");
  CHECK(f->ret.ann.kind == Kind::Buffer);
  CHECK(f->ret.ann.size == "len");
  CHECK(f->ret.ann.size_unit == SizeUnit::Bytes);
  CHECK(f->sync.mode == Sync::Mode::Sync);
  // A read-only view is not memory the program fills; an allocation is the caller's.
  const Function* peek = inferred().spec.find_function("kvPeekBuffer");
  REQUIRE(peek);
  CHECK(peek->ret.ann.shadow.empty());
  const Function* alloc = inferred().spec.find_function("kvAllocBuffer");
  REQUIRE(alloc);
  CHECK(alloc->ret.ann.shadow.empty());
}
