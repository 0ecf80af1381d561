// Every general header rule on tests/data/headers/rules_demo.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {

const Function& fn(const char* name) {
  const Function* f = remora::test::demo_result().spec.find_function(name);
  REQUIRE(f);
  return *f;
}
const Param& param(const char* function, const char* name) {
  const Param* p = fn(function).find_param(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("status type, success and general error from a macro family", "[rules]") {
  const Type* status = remora::test::demo_result().spec.find_type("demo_status");
  REQUIRE(status);
  CHECK(status->kind == TypeKind::Status);
  CHECK(status->success == "DEMO_SUCCESS");
  CHECK(status->error == "DEMO_INVALID_OPERATION");
  const Type* handle = remora::test::demo_result().spec.find_type("demo_ctx");
  REQUIRE(handle);
  CHECK(handle->kind == TypeKind::Handle);
  const Type* callback = remora::test::demo_result().spec.find_type("demo_log_fn");
  REQUIRE(callback);
  CHECK(callback->kind == TypeKind::Callback);
}

TEST_CASE("pointer rules: buffers, sizes, strings, handles, _ret outputs", "[rules]") {
  const Param& value = param("demoGetInfo", "param_value");
  CHECK(value.ann.direction == Direction::Out);
  CHECK(value.ann.kind == Kind::Buffer);
  CHECK(value.ann.size == "param_value_size");
  CHECK(value.ann.size_unit == SizeUnit::Bytes);
  CHECK(value.ann.nullable);
  const Param& size_ret = param("demoGetInfo", "param_value_size_ret");
  CHECK(size_ret.ann.kind == Kind::Element);
  CHECK(size_ret.ann.direction == Direction::Out);
  CHECK(size_ret.ann.nullable);

  const Param& contexts = param("demoGetContexts", "contexts");
  CHECK(contexts.ann.kind == Kind::Buffer);
  CHECK(contexts.ann.size == "num_entries");
  REQUIRE(contexts.ann.element);
  CHECK(contexts.ann.element->kind == Kind::Handle);
  CHECK(contexts.ann.element->handle_type == "demo_ctx");

  CHECK(param("demoSetName", "name").ann.kind == Kind::String);
  CHECK(param("demoWriteBuffer", "ptr").ann.direction == Direction::In);
  CHECK(param("demoReadBuffer", "ptr").ann.direction == Direction::Out);

  const Param& wait = param("demoReadBuffer", "event_wait_list");
  CHECK(wait.ann.kind == Kind::Buffer);
  CHECK(wait.ann.direction == Direction::In);
  CHECK(wait.ann.size == "num_events_in_wait_list");
  const Param& event = param("demoReadBuffer", "event");
  CHECK(event.ann.kind == Kind::Element);
  CHECK(event.ann.direction == Direction::Out);

  const Param& props = param("demoCreateContext", "properties");
  CHECK(props.ann.kind == Kind::Buffer);
  CHECK(props.ann.size == "terminated(properties)");
  CHECK(param("demoCreateContext", "pfn_log").ann.kind == Kind::Callback);
  CHECK(param("demoCreateContext", "user_data").ann.kind == Kind::Userdata);
  CHECK(param("demoQueryInfo", "info").ann.kind == Kind::Element);
  CHECK(param("demoQueryInfo", "info").ann.direction == Direction::Out);
}

TEST_CASE("function rules: lifecycle, sync, barrier, map/unmap, variadic", "[rules]") {
  CHECK(fn("demoCreateContext").ret.ann.allocates);
  CHECK(fn("demoCreateContext").ret.ann.kind == Kind::Handle);
  CHECK(param("demoReleaseContext", "ctx").ann.deallocates);
  CHECK(param("demoFree", "devPtr").ann.deallocates);
  const Function& read = fn("demoReadBuffer");
  CHECK(read.sync.mode == Sync::Mode::AsyncIf);
  CHECK(read.sync.condition == "blocking_read == DEMO_FALSE");
  CHECK(fn("demoFinish").barrier);
  // Queued work completes after the call returns: asynchronous, with the cost (errors
  // reported by the next synchronous call) noted for the reviewer.
  const Function& enqueue = fn("demoEnqueueKernel");
  CHECK(enqueue.sync.mode == Sync::Mode::Async);
  bool noted = false;
  for (const auto& e : enqueue.evidence) noted = noted || e.why.find("next synchronous call") != std::string::npos;
  CHECK(noted);
  CHECK_FALSE(enqueue.barrier);
  CHECK(param("demoEnqueueKernel", "event").ann.allocates);
  const Function& map = fn("demoMapBuffer");
  CHECK(map.ret.ann.kind == Kind::Buffer);
  CHECK(map.ret.ann.size == "size");
  CHECK(map.ret.ann.shadow == "map");
  CHECK(param("demoUnmapBuffer", "mapped_ptr").ann.shadow == "unmap");
  CHECK(param("demoUnmapBuffer", "mapped_ptr").ann.kind == Kind::Opaque);
  // A persistent mapping returned through `void **` (vkMapMemory), ended by the handle.
  const Param& data = param("demoMapMemory", "ppData");
  CHECK(data.ann.direction == Direction::Out);
  CHECK(data.ann.kind == Kind::Element);
  REQUIRE(data.ann.element);
  CHECK(data.ann.element->kind == Kind::Buffer);
  CHECK(data.ann.element->size == "size");
  CHECK(data.ann.element->size_unit == SizeUnit::Bytes);
  CHECK(data.ann.element->shadow == "map");
  CHECK(param("demoUnmapMemory", "mem").ann.shadow == "unmap");
  CHECK(param("demoUnmapMemory", "ctx").ann.shadow.empty());  // the parent, not the mapped object
  CHECK(param("demoUnmapBuffer", "buf").ann.shadow.empty());  // an address parameter says what ends
  CHECK_FALSE(fn("demoLog").supported);
  CHECK_FALSE(fn("demoLog").unsupported_reason.empty());
  const Param& dev = param("demoMalloc", "devPtr");
  CHECK(dev.ann.direction == Direction::Out);
  CHECK(dev.ann.kind == Kind::Element);
  CHECK(dev.ann.allocates);
  CHECK(fn("demoMallocCompat").symbol == "demoMalloc_v2");
}

TEST_CASE("Doxygen evidence is attached with quotes and locations", "[rules][docs]") {
  const Param& dev = param("demoMalloc", "devPtr");
  bool found = false;
  for (const auto& e : dev.evidence)
    if (e.source == EvidenceSource::Docs && e.why.find("Pointer to allocated device memory") != std::string::npos) {
      found = true;
      CHECK(e.location.find("rules_demo.h:") == 0);
    }
  CHECK(found);
  CHECK(fn("demoMalloc").doc == "Allocates device memory.");
}

TEST_CASE("every evidence item says why and where", "[rules]") {
  for (const auto& f : remora::test::demo_result().spec.functions)
    for (const auto& p : f.params)
      for (const auto& e : p.evidence) {
        CHECK_FALSE(e.why.empty());
        CHECK_FALSE(e.location.empty());
        CHECK(e.weight > 0.0);
        CHECK(e.weight <= 1.0);
      }
}

TEST_CASE("copies with a host/device direction enum get conditional annotations", "[rules]") {
  const Param& dst = param("demoMemcpy", "dst");
  REQUIRE(dst.when.size() == 3);
  CHECK(dst.when[0].condition == "kind == DEMO_COPY_HOST_TO_DEVICE");
  CHECK(dst.when[0].overrides.kind == Kind::Opaque);
  CHECK(dst.when[1].condition == "kind == DEMO_COPY_DEVICE_TO_HOST");
  CHECK(dst.when[1].overrides.kind == Kind::Buffer);
  CHECK(dst.when[1].overrides.direction == Direction::Out);
  const Param& src = param("demoMemcpy", "src");
  REQUIRE(src.when.size() == 3);
  CHECK(src.when[0].overrides.kind == Kind::Buffer);
  CHECK(src.when[0].overrides.direction == Direction::In);
  CHECK(src.when[1].overrides.kind == Kind::Opaque);
  CHECK(param("demoMemcpy", "count").when.empty());
}
