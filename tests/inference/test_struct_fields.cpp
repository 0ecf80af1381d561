// The typed C model and struct-member annotations on a small idiom header and
// on real headers: zlib's z_stream, Vulkan's create infos, CUDA's structs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "remora/inference/fusion.h"
#include "remora/spec/json_io.h"
#include "test_support.h"

using namespace remora::spec;

namespace {

remora::inference::InferResult infer(const std::string& header, std::vector<std::string> defines = {}) {
  remora::inference::InferOptions o;
  o.header = header;
  o.defines = std::move(defines);
  o.library = "libtest.so.1";
  return remora::inference::infer_spec(o);
}

const StructField& field(const Spec& spec, const std::string& type, const std::string& name) {
  const Type* t = spec.find_type(type);
  INFO(type);
  REQUIRE(t);
  const StructField* f = t->find_field(name);
  INFO(type << "." << name);
  REQUIRE(f);
  return *f;
}

bool has_header_evidence(const StructField& f) {
  for (const auto& e : f.evidence)
    if (e.source == EvidenceSource::Header) return true;
  return false;
}

}  // namespace

TEST_CASE("struct idioms: counted arrays, strings, chains, handles, callbacks", "[structs]") {
  auto result = infer(remora::test::headers_dir() + "struct_fields.h");
  REQUIRE(result.ok);
  const Spec& spec = result.spec;
  for (const auto& issue : validate_spec(spec)) UNSCOPED_INFO(format_issue(issue));
  CHECK(validate_spec(spec).empty());

  const Type* info = spec.find_type("TdxSessionCreateInfo");
  REQUIRE(info);
  CHECK(info->kind == TypeKind::Struct);  // the typedef of the same name did not hide the fields
  CHECK(info->size > 0);
  CHECK(info->tag.field == "sType");
  CHECK(info->tag.value == "TDX_STRUCT_KIND_SESSION_CREATE_INFO");
  CHECK(spec.find_type("TdxDebugOptionsEXT")->tag.value == "TDX_STRUCT_KIND_DEBUG_OPTIONS_EXT");

  const auto& next = field(spec, "TdxSessionCreateInfo", "pNext");
  CHECK(next.ann.kind == Kind::Chain);
  CHECK(next.ann.direction == Direction::In);
  CHECK(next.ann.nullable);
  CHECK(field(spec, "TdxDebugOptionsEXT", "pNext").ann.direction == Direction::InOut);

  const auto& names = field(spec, "TdxSessionCreateInfo", "ppEnabledFeatureNames");
  CHECK(names.ann.kind == Kind::Buffer);
  CHECK(names.ann.size == "enabledFeatureCount");
  CHECK(names.ann.direction == Direction::In);
  REQUIRE(names.ann.element);
  CHECK(names.ann.element->kind == Kind::String);
  CHECK(names.confidence >= 0.8);

  CHECK(field(spec, "TdxSessionCreateInfo", "pQueueIndices").ann.size == "queueIndexCount");
  CHECK(field(spec, "TdxSessionCreateInfo", "pQueuePriorities").ann.size == "queueIndexCount");  // parallel array
  const auto& code = field(spec, "TdxSessionCreateInfo", "pCode");
  CHECK(code.ann.size == "codeSize");
  CHECK(code.ann.size_unit == SizeUnit::Bytes);
  const auto& app = field(spec, "TdxSessionCreateInfo", "pAppInfo");
  CHECK(app.ann.kind == Kind::Element);
  CHECK(app.ann.direction == Direction::In);
  const auto& queues = field(spec, "TdxSessionCreateInfo", "queues");
  CHECK(queues.ann.kind == Kind::Buffer);
  CHECK(queues.ann.size == "4");
  CHECK(queues.ann.handle_type == "tdx_queue");
  CHECK(field(spec, "TdxSessionCreateInfo", "pfnLog").ann.kind == Kind::Callback);
  CHECK(field(spec, "TdxSessionCreateInfo", "pUserData").ann.kind == Kind::Userdata);
  CHECK(field(spec, "TdxAppInfo", "pAppName").ann.kind == Kind::String);
  CHECK_FALSE(has_header_evidence(field(spec, "TdxSessionCreateInfo", "enabledFeatureCount")));  // a plain value
  CHECK(info->supported);

  // The stream struct: in/out byte buffers sized by their avail_* siblings,
  // private state passed through, and what cannot be sized named.
  const Type* stream = spec.find_type("tdx_stream");
  REQUIRE(stream);
  CHECK(field(spec, "tdx_stream", "next_in").ann.size == "avail_in");
  CHECK(field(spec, "tdx_stream", "next_in").ann.direction == Direction::In);
  CHECK(field(spec, "tdx_stream", "next_out").ann.size == "avail_out");
  CHECK(field(spec, "tdx_stream", "next_out").ann.direction == Direction::Out);
  CHECK(field(spec, "tdx_stream", "state").ann.kind == Kind::Opaque);
  // Input and output cursors beside library-private state: a stream state the server keeps.
  CHECK(stream->state);
  CHECK(field(spec, "tdx_stream", "as_floats").offset >= 0);  // anonymous union member, flattened
  CHECK_FALSE(stream->supported);
  // `void *scratch`: nothing says what it points to, so only NULL travels there (the stack
  // fails a call that sets it); a reviewer is asked. The union's pointer makes it uncopyable.
  CHECK(stream->unsupported_reason.find("'scratch'") == std::string::npos);
  CHECK(stream->unsupported_reason.find("'as_floats'") != std::string::npos);
  CHECK(remora::inference::needs_review(field(spec, "tdx_stream", "scratch")));
  const Type* origin = spec.find_type("tdx_stream.origin");  // untagged struct member type
  REQUIRE(origin);
  CHECK(origin->fields.size() == 2);
  CHECK(bare(field(spec, "tdx_stream", "origin").ctype).name == "tdx_stream.origin");

  // Typed parameters: a pointer to a const typedef'd struct, read as structure.
  const Param* p = spec.find_function("tdxCreateSession")->find_param("info");
  REQUIRE(p);
  REQUIRE(pointee_of(p->ctype));
  CHECK(pointee_of(p->ctype)->is_const);
  CHECK(bare(*pointee_of(p->ctype)).name == "TdxSessionCreateInfo");
  CHECK(declare(p->ctype, "info") == "const TdxSessionCreateInfo *info");
  CHECK(declare(field(spec, "TdxSessionCreateInfo", "pfnLog").ctype, "f") == "tdx_log_fn f");
  CHECK(declare(strip_typedefs(field(spec, "TdxSessionCreateInfo", "pfnLog").ctype), "f") ==
        "void (*f)(const char *, void *)");

  // The whole spec survives a JSON round trip.
  SpecLoad again = spec_from_json_text(spec_to_json_text(spec));
  REQUIRE(again.ok());
  CHECK(again.spec == spec);
}

TEST_CASE("zlib: z_streamp is a pointer to z_stream_s, whose buffers are sized by avail_*", "[structs]") {
  if (!std::filesystem::exists("/usr/include/zlib.h")) {
    WARN("skipped: /usr/include/zlib.h is absent (install zlib1g-dev)");
    return;
  }
  auto result = infer("/usr/include/zlib.h");
  REQUIRE(result.ok);
  const Spec& spec = result.spec;
  const Type* streamp = spec.find_type("z_streamp");
  REQUIRE(streamp);
  CHECK(is_pointer(streamp->ctype));
  CHECK(bare(*pointee_of(streamp->ctype)).name == "z_stream_s");
  const Param* strm = spec.find_function("deflate")->find_param("strm");
  REQUIRE(strm);
  CHECK(is_pointer(strm->ctype));
  CHECK(strm->ctype.name == "z_streamp");

  const Type* z = spec.find_type("z_stream_s");
  REQUIRE(z);
  CHECK(z->fields.size() == 14);
  CHECK(z->size == 112);
  CHECK(field(spec, "z_stream_s", "next_in").ann.size == "avail_in");
  CHECK(field(spec, "z_stream_s", "next_in").ann.direction == Direction::In);
  CHECK(field(spec, "z_stream_s", "next_out").ann.size == "avail_out");
  CHECK(field(spec, "z_stream_s", "next_out").ann.direction == Direction::Out);
  CHECK(field(spec, "z_stream_s", "next_out").offset == 24);
  CHECK(field(spec, "z_stream_s", "state").ann.kind == Kind::Opaque);
  CHECK(field(spec, "z_stream_s", "zalloc").ann.kind == Kind::Callback);
  CHECK(field(spec, "z_stream_s", "opaque").ann.kind == Kind::Userdata);
  CHECK(field(spec, "z_stream_s", "msg").ann.kind == Kind::String);
  CHECK(z->supported);
  // A stream state (input/output cursors, private state), ended by deflateEnd/inflateEnd;
  // gz_header has buffers but no private state.
  CHECK(z->state);
  CHECK(spec.find_function("deflateEnd")->params[0].ann.deallocates);
  CHECK(spec.find_function("inflateEnd")->params[0].ann.deallocates);
  CHECK_FALSE(spec.find_function("deflate")->params[0].ann.deallocates);
  CHECK_FALSE(spec.find_type("gz_header_s")->state);
  // gz_header: extra sized by extra_len, comment by its comm_max capacity.
  CHECK(field(spec, "gz_header_s", "extra").ann.size == "extra_len");
  CHECK(field(spec, "gz_header_s", "comment").ann.size == "comm_max");
}

TEST_CASE("Vulkan: create infos with counted arrays, strings and pNext chains", "[structs]") {
  const char* header = "/usr/include/vulkan/vulkan_core.h";
  if (!std::filesystem::exists(header)) {
    WARN("skipped: vulkan_core.h is absent (install libvulkan-dev)");
    return;
  }
  auto result = infer(header);
  REQUIRE(result.ok);
  const Spec& spec = result.spec;
  const Type* ici = spec.find_type("VkInstanceCreateInfo");
  REQUIRE(ici);
  CHECK(ici->kind == TypeKind::Struct);
  CHECK(ici->tag.field == "sType");
  CHECK(ici->tag.value == "VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO");
  CHECK(field(spec, "VkInstanceCreateInfo", "pNext").ann.kind == Kind::Chain);
  CHECK(field(spec, "VkInstanceCreateInfo", "pApplicationInfo").ann.kind == Kind::Element);
  const auto& ext = field(spec, "VkInstanceCreateInfo", "ppEnabledExtensionNames");
  CHECK(ext.ann.kind == Kind::Buffer);
  CHECK(ext.ann.size == "enabledExtensionCount");
  REQUIRE(ext.ann.element);
  CHECK(ext.ann.element->kind == Kind::String);
  CHECK(field(spec, "VkInstanceCreateInfo", "ppEnabledLayerNames").ann.size == "enabledLayerCount");
  CHECK(ici->supported);

  CHECK(field(spec, "VkBufferCreateInfo", "pQueueFamilyIndices").ann.size == "queueFamilyIndexCount");
  CHECK(field(spec, "VkBufferCreateInfo", "size").ann.kind == Kind::Value);

  const auto& waits = field(spec, "VkSubmitInfo", "pWaitSemaphores");
  CHECK(waits.ann.size == "waitSemaphoreCount");
  REQUIRE(waits.ann.element);
  CHECK(waits.ann.element->kind == Kind::Handle);
  CHECK(field(spec, "VkSubmitInfo", "pWaitDstStageMask").ann.size == "waitSemaphoreCount");
  CHECK(field(spec, "VkSubmitInfo", "pCommandBuffers").ann.size == "commandBufferCount");
  CHECK(field(spec, "VkSubmitInfo", "pSignalSemaphores").ann.size == "signalSemaphoreCount");
  CHECK(spec.find_type("VkSubmitInfo")->supported);
  CHECK(field(spec, "VkShaderModuleCreateInfo", "pCode").ann.size_unit == SizeUnit::Bytes);

  // Over the whole header: most tagged structs find their tag value, and the
  // chains are recognised wherever a struct has sType + pNext.
  std::size_t tagged = 0, valued = 0, chains = 0;
  for (const auto& t : spec.types) {
    if (t.tag.field.empty()) continue;
    ++tagged;
    if (!t.tag.value.empty()) ++valued;
    if (const StructField* n = t.find_field("pNext"); n && n->ann.kind == Kind::Chain) ++chains;
  }
  CHECK(tagged > 500);
  CHECK(chains == tagged);
  CHECK(valued * 100 >= tagged * 95);
}

TEST_CASE("Vulkan: the registry's member lengths size struct fields the header cannot", "[structs]") {
  const char* header = "/usr/include/vulkan/vulkan_core.h";
  const char* registry = "/usr/share/vulkan/registry/vk.xml";
  if (!std::filesystem::exists(header) || !std::filesystem::exists(registry)) {
    WARN("skipped: vulkan_core.h or vk.xml is absent (install libvulkan-dev and vulkan-registry)");
    return;
  }
  remora::inference::InferOptions o;
  o.header = header;
  o.library = "libtest.so.1";
  o.docs = {registry};
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  const Spec& spec = result.spec;
  // No sibling is named after these arrays: only vk.xml's len="descriptorCount" sizes them.
  for (const char* name : {"pImageInfo", "pBufferInfo"}) {
    const auto& f = field(spec, "VkWriteDescriptorSet", name);
    INFO(name);
    CHECK(f.ann.kind == Kind::Buffer);
    CHECK(f.ann.size == "descriptorCount");
    CHECK(std::any_of(f.evidence.begin(), f.evidence.end(),
                      [](const Evidence& e) { return e.source == EvidenceSource::Docs; }));
  }
  const auto& samplers = field(spec, "VkDescriptorSetLayoutBinding", "pImmutableSamplers");
  CHECK(samplers.ann.kind == Kind::Buffer);
  CHECK(samplers.ann.size == "descriptorCount");
}

TEST_CASE("CUDA: structs by value, fixed arrays and a pointer nothing sizes", "[structs][cuda]") {
  if (!std::filesystem::exists(remora::test::kCudaRuntimeHeader)) {
    WARN("skipped: /usr/local/cuda is absent (no CUDA toolkit headers installed)");
    return;
  }
  auto result = infer(remora::test::kCudaRuntimeHeader);
  REQUIRE(result.ok);
  const Spec& spec = result.spec;
  const Type* prop = spec.find_type("cudaDeviceProp");
  REQUIRE(prop);
  CHECK(prop->kind == TypeKind::Struct);
  CHECK(prop->supported);  // no pointers: copied as it is
  const auto& name = field(spec, "cudaDeviceProp", "name");
  CHECK(bare(name.ctype).kind == CTypeKind::Array);
  CHECK(bare(name.ctype).extent == 256);
  CHECK(name.offset == 0);
  CHECK(bare(field(spec, "cudaDeviceProp", "maxThreadsDim").ctype).extent == 3);

  // cudaPitchedPtr.ptr: a void * whose extent (pitch * ysize) no rule can see. It may be
  // NULL, so the struct travels with it NULL only (a call that sets it fails, naming it),
  // and a reviewer is asked what it is.
  const Type* pitched = spec.find_type("cudaPitchedPtr");
  REQUIRE(pitched);
  CHECK(pitched->supported);
  CHECK(field(spec, "cudaPitchedPtr", "ptr").ann.nullable);
  CHECK(remora::inference::needs_review(field(spec, "cudaPitchedPtr", "ptr")));
  const Type* copy3d = spec.find_type("cudaMemcpy3DParms");
  REQUIRE(copy3d);
  CHECK(copy3d->supported);  // it holds a cudaPitchedPtr by value
  CHECK(field(spec, "cudaMemcpy3DParms", "srcArray").ann.kind == Kind::Handle);
}
