#include <catch2/catch.hpp>

#include "remora/inference/docs/registry_xml_reader.h"

using namespace remora::inference::docs;
using remora::spec::Diagnostics;

namespace {
const char* kRegistry = R"(<?xml version="1.0" encoding="UTF-8"?>
<registry>
  <types>
    <type category="define">typedef struct _foo_queue * <name>foo_queue</name>;</type>
    <type category="define">typedef <type>int32_t</type> <name>foo_int</name>;</type>
  </types>
  <commands>
    <command>
      <proto><type>foo_int</type> <name>fooGetItems</name></proto>
      <param><type>foo_queue</type> <name>queue</name></param>
      <param><type>uint32_t</type> <name>count</name></param>
      <param len="count" optional="true"><type>foo_queue</type>* <name>items</name></param>
      <param len="null-terminated">const <type>char</type>* <name>label</name></param>
      <param>void (FOO_CALLBACK* <name>pfn_notify</name>)(void* user_data)</param>
    </command>
    <command name="fooGetItemsAlias" alias="fooGetItems"/>
  </commands>
</registry>
)";
}  // namespace

TEST_CASE("registry commands - param types and len/optional attributes are read") {
  Diagnostics d;
  auto read = read_registry_xml(kRegistry, "reg.xml", d);
  CHECK(d.empty());
  REQUIRE(read.commands.size() == 1);
  const auto& cmd = read.commands[0];
  CHECK(cmd.name == "fooGetItems");
  CHECK(cmd.return_type == "foo_int");
  REQUIRE(cmd.params.size() == 5);
  CHECK(cmd.params[2].type == "foo_queue *");
  CHECK(cmd.params[2].len == "count");
  CHECK(cmd.params[2].optional == "true");
  CHECK(cmd.params[2].line == 12);
  CHECK(cmd.params[3].type == "const char *");
  CHECK(cmd.params[4].name == "pfn_notify");
  CHECK(cmd.params[4].type.find('(') != std::string::npos);
  CHECK(read.handle_types == std::set<std::string>{"foo_queue"});
}

TEST_CASE("truncated XML is reported with its line and skipped") {
  std::string text(kRegistry);
  text.resize(text.find("<param len=\"null"));
  Diagnostics d;
  auto read = read_registry_xml(text, "cut.xml", d);
  CHECK_FALSE(read.ok);
  CHECK(read.commands.empty());
  REQUIRE(d.size() == 1);
  CHECK(d[0].file == "cut.xml");
  CHECK(d[0].line > 0);
  CHECK(d[0].message.find("malformed XML") != std::string::npos);
}

TEST_CASE("C type spellings are normalized") {
  CHECK(normalize_c_type(" const  cl_event* ") == "const cl_event *");
  CHECK(normalize_c_type("void**") == "void **");
}

TEST_CASE("vk.xml-style handles and struct-held lengths") {
  const char* vk = R"(<registry><types>
    <type category="handle" objtypeenum="VK_OBJECT_TYPE_DEVICE"><type>VK_DEFINE_HANDLE</type>(<name>VkDevice</name>)</type>
  </types><commands><command>
    <proto><type>VkResult</type> <name>vkMake</name></proto>
    <param><type>VkDevice</type> <name>device</name></param>
    <param>const <type>VkMakeInfo</type>* <name>pInfo</name></param>
    <param len="pInfo-&gt;count">const <type>uint32_t</type>* <name>pValues</name></param>
  </command></commands></registry>)";
  Diagnostics d;
  auto read = read_registry_xml(vk, "vk.xml", d);
  CHECK(d.empty());
  CHECK(read.handle_types == std::set<std::string>{"VkDevice"});
  REQUIRE(read.commands.size() == 1);
  CHECK(read.commands[0].params[2].len == "pInfo->count");
}
