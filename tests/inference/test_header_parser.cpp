#include <catch2/catch.hpp>

#include "remora/inference/header_parser.h"
#include "remora/inference/text_util.h"
#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "test_support.h"

using namespace remora::inference;

TEST_CASE("parser reads functions, handles, enums, structs, callbacks and macros", "[header]") {
  HeaderParse parse = parse_header({remora::test::headers_dir() + "rules_demo.h", {}, {}, "", {}, {}});
  REQUIRE(parse.ok);
  const ParsedHeader& h = parse.header;
  CHECK(h.functions.size() == 20);
  auto find = [&](const std::string& n) -> const ParsedFunction* {
    for (const auto& f : h.functions)
      if (f.name == n) return &f;
    return nullptr;
  };
  const ParsedFunction* read = find("demoReadBuffer");
  REQUIRE(read);
  REQUIRE(read->params.size() == 8);
  CHECK(read->params[1].type.is_handle);
  CHECK(read->params[1].type.typedef_name == "demo_buf");
  CHECK(read->params[6].type.pointee->is_const);
  CHECK(read->params[6].type.pointee->is_handle);
  CHECK(find("demoLog")->variadic);

  const ParsedFunction* compat = find("demoMallocCompat");
  REQUIRE(compat);
  CHECK(compat->symbol == "demoMalloc_v2");

  const ParsedFunction* create = find("demoCreateContext");
  REQUIRE(create);
  CHECK(create->params[1].type.is_function_pointer());
  CHECK(create->params[1].type.function_signature == "void (const char *, void *)");

  const ParsedMacro* success = h.find_macro("DEMO_SUCCESS");
  REQUIRE(success);
  REQUIRE(success->value);
  CHECK(*success->value == 0);
  const ParsedMacro* invalid = h.find_macro("DEMO_INVALID_VALUE");
  REQUIRE(invalid->value);
  CHECK(*invalid->value == -1);

  const ParsedType* mode = h.find_type("demo_mode");
  REQUIRE(mode);
  CHECK(mode->constants.size() == 2);
  const ParsedType* info = h.find_type("demo_info");
  REQUIRE(info);
  CHECK(info->fields.size() == 2);
}

TEST_CASE("parser reads Doxygen comments through libclang", "[header][docs]") {
  HeaderParse parse = parse_header({remora::test::headers_dir() + "rules_demo.h", {}, {}, "", {}, {}});
  REQUIRE(parse.ok);
  for (const auto& f : parse.header.functions) {
    if (f.name == "demoMalloc") {
      CHECK(f.doc.brief == "Allocates device memory.");
      REQUIRE(f.doc.params.size() == 2);
      CHECK(f.doc.params[0].name == "devPtr");
      CHECK(f.doc.params[0].text == "Pointer to allocated device memory");
    }
    if (f.name == "demoFree") {
      REQUIRE(f.doc.params.size() == 1);
      CHECK(f.doc.params[0].direction == "in");
    }
  }
}

TEST_CASE("UTF-8 is never cut inside a code point, and invalid bytes are replaced", "[header][text]") {
  std::string dash = "ab\xe2\x80\x94";  // "ab—"
  CHECK(utf8_truncate(dash, 3) == "ab...");
  CHECK(utf8_truncate(dash, 5) == dash);
  CHECK(sanitize_utf8("x\xff y") == "x? y");
  CHECK(identifier_words("num_events_in_wait_list") == std::vector<std::string>{"num", "events", "in", "wait", "list"});
  CHECK(identifier_words("devPtr") == std::vector<std::string>{"dev", "ptr"});
  // A capitalised word after a number starts a word; a unit such as "2D" stays whole.
  CHECK(identifier_words("cuMemsetD8Async") == std::vector<std::string>{"cu", "memset", "d8", "async"});
  CHECK(identifier_words("cuMemcpy2DAsync") == std::vector<std::string>{"cu", "memcpy2d", "async"});
  CHECK(identifier_words("clSVMAlloc") == std::vector<std::string>{"cl", "svm", "alloc"});

  HeaderParse parse = parse_header({remora::test::headers_dir() + "utf8.h", {}, {}, "", {}, {}});
  REQUIRE(parse.ok);
  CHECK(parse.header.functions.size() == 2);
}

TEST_CASE("C++ headers are parsed as C++ and extern \"C\" blocks are read", "[header][cxx]") {
  HeaderParse parse = parse_header({remora::test::headers_dir() + "cxx_api.hpp", {}, {}, "", {}, {}});
  REQUIRE(parse.ok);
  CHECK(parse.header.language == "c++");
  std::vector<std::string> names;
  for (const auto& f : parse.header.functions) names.push_back(f.name);
  CHECK(names == std::vector<std::string>{"cxxStreamCreate", "cxxStreamDestroy", "cxxCopy"});
  CHECK(parse.header.functions[0].params[0].type.pointee->is_handle);
}

namespace {

// tests/data/headers/c_only_idioms.h inferred once (what only a C header writes).
const remora::inference::InferResult& c_only_result() {
  return remora::test::inferred_header("c_only_idioms.h", "libcdemo.so.1");
}

}  // namespace

TEST_CASE("C's f() declares no parameters, not a variadic function", "[header]") {
  HeaderParse parse = parse_header({remora::test::headers_dir() + "c_only_idioms.h", {}, {}, "", {}, {}});
  REQUIRE(parse.ok);
  auto find = [&](const std::string& n) -> const ParsedFunction* {
    for (const auto& f : parse.header.functions)
      if (f.name == n) return &f;
    return nullptr;
  };
  const ParsedFunction* init = find("cdemoInit");
  REQUIRE(init);
  CHECK(init->no_prototype);
  CHECK_FALSE(init->variadic);
  CHECK(init->params.empty());
  const ParsedFunction* shut_down = find("cdemoShutDown");
  REQUIRE(shut_down);
  CHECK_FALSE(shut_down->no_prototype);
  CHECK_FALSE(shut_down->variadic);
  const ParsedFunction* log = find("cdemoLog");
  REQUIRE(log);
  CHECK(log->variadic);
  CHECK_FALSE(log->no_prototype);
}

TEST_CASE("a C header's f() is remotable with no arguments; its string results are outputs", "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Function* init = result.spec.find_function("cdemoInit");
  REQUIRE(init);
  CHECK(init->supported);
  CHECK_FALSE(init->variadic);
  CHECK(init->params.empty());
  bool said_why = false;
  for (const auto& e : init->evidence) said_why |= e.why.find("without a prototype") != std::string::npos;
  CHECK(said_why);
  const remora::spec::Function* log = result.spec.find_function("cdemoLog");
  REQUIRE(log);
  CHECK_FALSE(log->supported);
  const remora::spec::Function* status_string = result.spec.find_function("cdemoStatusString");
  REQUIRE(status_string);
  const remora::spec::Param* description = status_string->find_param("description");
  REQUIRE(description);
  CHECK(description->ann.direction == remora::spec::Direction::Out);
  CHECK(description->ann.kind == remora::spec::Kind::Element);
  REQUIRE(description->ann.element);
  CHECK(description->ann.element->kind == remora::spec::Kind::String);
}

TEST_CASE("a lower-case API's `stype` tag and `_t` structs make an extension chain; text by the two-call idiom",
          "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Type* desc = result.spec.find_type("_cdemo_queue_desc_t");
  REQUIRE(desc);
  CHECK(desc->tag.field == "stype");
  CHECK(desc->tag.value == "CDEMO_STRUCTURE_TYPE_QUEUE_DESC");
  const remora::spec::StructField* next = nullptr;
  for (const auto& f : desc->fields)
    if (f.name == "pNext") next = &f;
  REQUIRE(next);
  CHECK(next->ann.kind == remora::spec::Kind::Chain);
  const remora::spec::Function* get_log = result.spec.find_function("cdemoQueueGetLog");
  REQUIRE(get_log);
  const remora::spec::Param* log = get_log->find_param("pLog");
  REQUIRE(log);
  CHECK(log->ann.direction == remora::spec::Direction::Out);
  CHECK(log->ann.size == "*pSize");
  CHECK(get_log->find_param("pSize")->ann.direction == remora::spec::Direction::InOut);
}

TEST_CASE("an output sized by a sibling function that answers its size (query-then-fill in two functions)",
          "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  auto param = [&](const char* fn, const char* name) -> const remora::spec::Param& {
    const remora::spec::Function* f = result.spec.find_function(fn);
    REQUIRE(f);
    const remora::spec::Param* p = f->find_param(name);
    REQUIRE(p);
    return *p;
  };
  const remora::spec::Param& trace = param("cdemoQueueGetTrace", "trace");
  CHECK(trace.ann.direction == remora::spec::Direction::Out);
  CHECK(trace.ann.size == "query(cdemoQueueGetTraceSize,hQueue)");
  CHECK(trace.ann.size_unit == remora::spec::SizeUnit::Bytes);
  CHECK(param("__cdemoQueueGetImage_2_1", "image").ann.size == "query(__cdemoQueueGetImageSize_2_1,hQueue)");
  CHECK(param("cdemoQueueGetNotes", "notes").ann.size.empty());
}

TEST_CASE("a getter's array-syntax lengths are an array; its void * is written unless named as an address",
          "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Function* sequence = result.spec.find_function("cdemoQueueGetSequence");
  REQUIRE(sequence);
  const remora::spec::Param* lengths = sequence->find_param("seqLengthArray");
  REQUIRE(lengths);
  CHECK(lengths->ann.kind == remora::spec::Kind::Buffer);
  CHECK(lengths->ann.size == "arrayLengthRequested");
  const remora::spec::Param* fill = sequence->find_param("paddingFill");
  REQUIRE(fill);
  CHECK(fill->ann.direction == remora::spec::Direction::Out);
  CHECK(fill->ann.kind == remora::spec::Kind::Buffer);
  CHECK(fill->ann.size.empty());  // it depends on the descriptor's data type: annotate it
  const remora::spec::Function* flags = result.spec.find_function("cdemoMemGetFlags");
  REQUIRE(flags);
  CHECK(flags->find_param("p")->ann.kind == remora::spec::Kind::Opaque);
}

TEST_CASE("a typedef of void * handed out and taken back by value is a handle, unless named as memory",
          "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Type* display = result.spec.find_type("cdemo_display");
  REQUIRE(display);
  CHECK(display->kind == remora::spec::TypeKind::Handle);
  const remora::spec::Function* init = result.spec.find_function("cdemoDisplayInit");
  REQUIRE(init);
  CHECK(init->find_param("display")->ann.kind == remora::spec::Kind::Handle);
  const remora::spec::Type* memory = result.spec.find_type("cdemo_voidp");
  REQUIRE(memory);
  CHECK(memory->kind != remora::spec::TypeKind::Handle);
  const remora::spec::Function* fill = result.spec.find_function("cdemoFill");
  REQUIRE(fill);
  CHECK(fill->find_param("p")->ann.kind != remora::spec::Kind::Handle);
}

TEST_CASE("C names that C++ reads differently still give a valid spec", "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  remora::spec::SpecIssues issues;
  remora::spec::validate_spec_into(result.spec, issues);
  for (const auto& issue : issues.errors) FAIL_CHECK(remora::spec::format_issue(issue));
  // The struct with a member C++ cannot name is kept, without members, and never copied.
  const remora::spec::Type* map = result.spec.find_type("cdemo_map");
  REQUIRE(map);
  CHECK_FALSE(map->supported);
  CHECK(map->unsupported_reason == "member 'virtual' is a C++ keyword: the generated C++ cannot name it");
  CHECK(map->fields.empty());
  const remora::spec::Function* open = result.spec.find_function("cdemoOpenW");
  REQUIRE(open);
  CHECK(open->find_param("path")->type == "const wchar_t *");
}

TEST_CASE("a parameter's own trailing comment is its \\param: [in]/[out] and [optional]", "[header][rules][docs]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Function* wait = result.spec.find_function("cdemoQueueWaitFor");
  REQUIRE(wait);
  // A non-const array of handles the header alone reads as filled by the call: [in] says
  // the call reads it (the handles are sent), [optional] that it may be NULL.
  const remora::spec::Param* queues = wait->find_param("phWaitQueues");
  REQUIRE(queues);
  CHECK(queues->ann.direction == remora::spec::Direction::In);
  CHECK(queues->ann.size == "numWaitQueues");
  CHECK(queues->ann.nullable);
  // [in,out] on an array the call fills is not taken for an input (its garbage would be
  // sent as handles): the two-call idiom's direction stands.
  const remora::spec::Function* list = result.spec.find_function("cdemoQueueList");
  REQUIRE(list);
  CHECK(list->find_param("phQueues")->ann.direction == remora::spec::Direction::Out);
}

TEST_CASE("a bare byte size after one struct is the call's own, not the struct's length", "[header][rules]") {
  const remora::inference::InferResult& result = c_only_result();
  REQUIRE(result.ok);
  const remora::spec::Function* alloc = result.spec.find_function("cdemoMemAlloc");
  REQUIRE(alloc);
  const remora::spec::Param* desc = alloc->find_param("alloc_desc");
  REQUIRE(desc);
  CHECK(desc->ann.kind == remora::spec::Kind::Element);
  CHECK(desc->ann.size.empty());
}
