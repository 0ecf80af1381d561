// Khronos registries in general: vk.xml's attributes (len, altlen, optional,
// externsync, noautovalidity), its struct members, and the real vk.xml.
#include <catch2/catch.hpp>
#include <filesystem>

#include "docs_test_support.h"
#include "remora/inference/docs/member_claims.h"

using namespace remora::inference::docs;
using namespace remora::docs_test;
using remora::spec::Diagnostics;
using remora::spec::Direction;
using remora::spec::Kind;

namespace {

const char* kVkStyle = R"(<?xml version="1.0" encoding="UTF-8"?>
<registry>
  <types>
    <type category="handle"><type>VK_DEFINE_HANDLE</type>(<name>VkThing</name>)</type>
    <type category="struct" name="VkMakeInfo">
      <member values="VK_STRUCTURE_TYPE_MAKE_INFO"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member optional="true"><type>uint32_t</type> <name>nameCount</name></member>
      <member len="nameCount,null-terminated">const <type>char</type>* const* <name>ppNames</name><comment>Names, in order</comment></member>
      <member len="null-terminated">const <type>char</type>* <name>pLabel</name></member>
      <member optional="true">const <type>VkAppInfo</type>* <name>pAppInfo</name></member>
      <member len="latexmath:[\textrm{codeSize} \over 4]" altlen="codeSize / 4">const <type>uint32_t</type>* <name>pCode</name></member>
      <member><type>size_t</type> <name>codeSize</name></member>
      <member len="latexmath:[2 \times \mathtt{VK\_UUID\_SIZE}]" altlen="2*VK_UUID_SIZE">const <type>uint8_t</type>* <name>pUuid</name></member>
    </type>
    <type category="struct" name="VkMakeInfoAlias" alias="VkMakeInfo"/>
    <type category="struct" name="VkProps" returnedonly="true">
      <member><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true"><type>void</type>* <name>pNext</name></member>
      <member><type>uint32_t</type> <name>limit</name></member>
    </type>
  </types>
  <commands>
    <command>
      <proto><type>VkResult</type> <name>vkEnumerateThings</name></proto>
      <param><type>VkThing</type> <name>parent</name></param>
      <param optional="false,true"><type>uint32_t</type>* <name>pThingCount</name></param>
      <param optional="true" len="pThingCount"><type>VkThing</type>* <name>pThings</name></param>
    </command>
    <command api="vulkansc">
      <proto><type>VkResult</type> <name>vkEnumerateThings</name></proto>
      <param><type>VkThing</type> <name>parent</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkCmdSetMask</name></proto>
      <param externsync="true"><type>VkThing</type> <name>commandBuffer</name></param>
      <param><type>uint32_t</type> <name>samples</name></param>
      <param len="latexmath:[\lceil{\mathit{samples} \over 32}\rceil]" altlen="(samples + 31) / 32">const <type>uint32_t</type>* <name>pMask</name></param>
      <param noautovalidity="true" optional="true">const <type>VkMakeInfo</type>* <name>pInfo</name></param>
    </command>
  </commands>
</registry>
)";

const MemberClaim* claim_on(const std::vector<MemberClaim>& claims, const std::string& field,
                            bool (*what)(const remora::spec::AnnotationPatch&)) {
  for (const auto& c : claims)
    if (c.field == field && what(c.says)) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("vk.xml attributes: altlen, externsync, noautovalidity; one command per name") {
  Diagnostics d;
  auto read = read_registry_xml(kVkStyle, "vk.xml", d);
  CHECK(d.empty());
  REQUIRE(read.commands.size() ==
          2);  // the vulkansc variant of vkEnumerateThings is not a second command
  CHECK(read.commands[0].params.size() == 3);
  const auto& mask = read.commands[1];
  CHECK(mask.params[0].externsync == "true");
  CHECK(mask.params[2].altlen == "(samples + 31) / 32");
  CHECK(mask.params[3].noautovalidity);
  REQUIRE(read.structs.size() == 2);  // the alias is not a struct of its own
  CHECK(read.structs[0].name == "VkMakeInfo");
  CHECK(read.structs[0].members[0].values == "VK_STRUCTURE_TYPE_MAKE_INFO");
  CHECK(read.structs[0].members[3].type ==
        "const char * const *");  // <comment> is not part of the type
  CHECK(read.structs[1].returned_only);
}

TEST_CASE(
    "vk.xml parameters: altlen sizes, two-call counts are inout, noautovalidity weakens optional") {
  remora::spec::Spec s;
  s.types.push_back(handle_type("VkThing"));
  s.functions.push_back(function("vkEnumerateThings", "VkResult",
                                 {param("parent", "VkThing"), param("pThingCount", "uint32_t *"),
                                  param("pThings", "VkThing *")}));
  s.functions.push_back(
      function("vkCmdSetMask", "void",
               {param("commandBuffer", "VkThing"), param("samples", "uint32_t"),
                param("pMask", "const uint32_t *"), param("pInfo", "const VkMakeInfo *")}));
  mine(s, "vk.xml", kVkStyle);

  auto inout = find_docs_evidence(param_of(s, "vkEnumerateThings", "pThingCount").evidence,
                                  [](auto& says) { return says.direction == Direction::InOut; });
  REQUIRE(inout);
  CHECK(inout->why.find("len=\"pThingCount\"") != std::string::npos);
  CHECK(find_docs_evidence(param_of(s, "vkEnumerateThings", "pThings").evidence,
                           [](auto& says) { return says.size == std::string("*pThingCount"); }));

  auto mask = find_docs_evidence(param_of(s, "vkCmdSetMask", "pMask").evidence,
                                 [](auto& says) { return says.size.has_value(); });
  REQUIRE(mask);
  CHECK(*mask->says.size == "(samples + 31) / 32");

  auto optional = find_docs_evidence(param_of(s, "vkCmdSetMask", "pInfo").evidence,
                                     [](auto& says) { return says.nullable == true; });
  REQUIRE(optional);
  CHECK(optional->weight <
        0.8);  // noautovalidity: the prose says when, the attribute alone is weaker
  CHECK(optional->why.find("noautovalidity") != std::string::npos);
}

TEST_CASE("a registry that gives its arrays a len: a typed pointer without one is one element") {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<registry><commands>
  <command><proto><type>VkResult</type> <name>vkMakeThings</name></proto>
    <param><type>uint32_t</type> <name>count</name></param>
    <param len="count">const <type>VkMakeInfo</type>* <name>pInfos</name></param>
    <param optional="true">const <type>VkAllocationCallbacks</type>* <name>pAllocator</name></param>
    <param len="count"><type>VkThing</type>* <name>pThings</name></param>
  </command>
  <command><proto><type>VkResult</type> <name>vkMakeThing</name></proto>
    <param>const <type>VkMakeInfo</type>* <name>pInfo</name></param>
    <param><type>VkThing</type>* <name>pThing</name></param>
    <param><type>void</type>* <name>pData</name></param>
  </command>
</commands></registry>
)";
  remora::spec::Spec s;
  s.types.push_back(handle_type("VkThing"));
  s.functions.push_back(function("vkMakeThings", "VkResult",
                                 {param("count", "uint32_t"), param("pInfos", "const VkMakeInfo *"),
                                  param("pAllocator", "const VkAllocationCallbacks *"), param("pThings", "VkThing *")}));
  s.functions.push_back(function("vkMakeThing", "VkResult",
                                 {param("pInfo", "const VkMakeInfo *"), param("pThing", "VkThing *"),
                                  param("pData", "void *")}));
  mine(s, "vk.xml", xml);
  auto one = [](auto& says) { return says.kind == Kind::Element; };
  // Beside arrays of its own command, and in a command with no len at all: the registry
  // states every array it has.
  CHECK(find_docs_evidence(param_of(s, "vkMakeThings", "pAllocator").evidence, one));
  CHECK(find_docs_evidence(param_of(s, "vkMakeThing", "pInfo").evidence, one));
  CHECK(find_docs_evidence(param_of(s, "vkMakeThing", "pThing").evidence, one));
  CHECK_FALSE(find_docs_evidence(param_of(s, "vkMakeThings", "pInfos").evidence, one));
  CHECK_FALSE(find_docs_evidence(param_of(s, "vkMakeThing", "pData").evidence, one));  // void *: bytes of some size
}

TEST_CASE("vk.xml struct members: sibling counts, strings, one object, altlen, returnedonly") {
  Diagnostics d;
  auto read = read_registry_xml(kVkStyle, "vk.xml", d);
  REQUIRE(read.structs.size() == 2);
  std::vector<MemberClaim> make = member_claims(read.structs[0]);
  for (const auto& c : make) CHECK(c.type == "VkMakeInfo");

  const MemberClaim* names =
      claim_on(make, "ppNames", [](auto& s) { return s.kind == Kind::Buffer; });
  REQUIRE(names);
  CHECK(*names->says.size == "nameCount");
  CHECK(names->says.element_kind == Kind::String);
  CHECK(names->location == "vk.xml:9");
  CHECK(claim_on(make, "pLabel", [](auto& s) { return s.kind == Kind::String; }));
  CHECK(claim_on(make, "pAppInfo", [](auto& s) { return s.kind == Kind::Element; }));
  CHECK(claim_on(make, "pAppInfo", [](auto& s) { return s.nullable == true; }));
  CHECK(claim_on(make, "pCode", [](auto& s) { return s.size == std::string("codeSize / 4"); }));
  CHECK_FALSE(claim_on(make, "pUuid",
                       [](auto& s) { return s.size.has_value(); }));  // 2*VK_UUID_SIZE: a constant
  CHECK_FALSE(claim_on(
      make, "pNext", [](auto& s) { return s.kind.has_value(); }));  // chains: the struct rules' job

  std::vector<MemberClaim> props = member_claims(read.structs[1]);
  CHECK(claim_on(props, "pNext", [](auto& s) { return s.direction == Direction::Out; }));
}

TEST_CASE("the real vk.xml: commands, structs and member claims") {
  const std::string path = "/usr/share/vulkan/registry/vk.xml";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is absent (vulkan registry package)");
    return;
  }
  Diagnostics d;
  auto read = read_registry_xml(read_text(path), path, d);
  CHECK(d.empty());
  CHECK(read.commands.size() > 400);
  CHECK(read.structs.size() > 400);
  const RegistryStruct* create = nullptr;
  for (const auto& s : read.structs)
    if (s.name == "VkInstanceCreateInfo") create = &s;
  REQUIRE(create);
  std::vector<MemberClaim> claims = member_claims(*create);
  const MemberClaim* layers =
      claim_on(claims, "ppEnabledLayerNames", [](auto& s) { return s.kind == Kind::Buffer; });
  REQUIRE(layers);
  CHECK(*layers->says.size == "enabledLayerCount");
  CHECK(layers->says.element_kind == Kind::String);
}
