#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;
using spec::SizeUnit;

namespace {
spec::Spec list_spec() {
  spec::Spec s;
  s.types.push_back(handle_type("dev_t"));
  s.functions.push_back(function("devList", "int",
                                 {param("num_entries", "unsigned int"), param("devices", "dev_t *"),
                                  param("info_size", "size_t"), param("info", "void *"),
                                  param("count", "unsigned int"), param("names", "const char **"),
                                  param("props", "const long *")}));
  return s;
}

const spec::Evidence* size_claim(const spec::Spec& s, const char* p) {
  return find_docs_evidence(param_of(s, "devList", p).evidence, [](const auto& says) { return says.size.has_value(); });
}
}  // namespace

TEST_CASE("'size in bytes of memory pointed to by X' sizes X in bytes") {
  auto s = list_spec();
  mine(s, "l.adoc",
       refpage("devList", "List devices",
               "  * _info_size_ specifies the size in bytes of memory pointed to by\n    _info_."));
  auto* e = size_claim(s, "info");
  REQUIRE(e);
  CHECK(*e->says.size == "info_size");
  CHECK(e->says.size_unit == SizeUnit::Bytes);
  CHECK(e->why.find("pointed to by info") != std::string::npos);
}

TEST_CASE("'number of entries in X' and 'array of N' size in elements") {
  auto s = list_spec();
  mine(s, "l.adoc",
       refpage("devList", "List devices",
               "  * _num_entries_ is the number of entries that can be added to _devices_.\n"
               "  * _names_ is an array of _count_ pointers to null-terminated strings."));
  auto* devices = size_claim(s, "devices");
  REQUIRE(devices);
  CHECK(*devices->says.size == "num_entries");
  CHECK(devices->says.size_unit == SizeUnit::Elements);
  auto* names = size_claim(s, "names");
  REQUIRE(names);
  CHECK(*names->says.size == "count");
  CHECK(find_docs_evidence(param_of(s, "devList", "names").evidence,
                           [](const auto& says) { return says.element_kind == spec::Kind::String; }));
}

TEST_CASE("0-terminated property lists are sized with terminated()") {
  auto s = list_spec();
  mine(s, "l.adoc",
       refpage("devList", "List devices",
               "  * _props_ specifies a list of properties and their values.\n    The list is terminated with 0."));
  auto* e = size_claim(s, "props");
  REQUIRE(e);
  CHECK(*e->says.size == "terminated(props)");
}

TEST_CASE("sizes name only parameters of the function - unrelated numbers give nothing") {
  auto s = list_spec();
  mine(s, "l.adoc",
       refpage("devList", "List devices", "  * _num_entries_ is the number of CPU cores in the machine."));
  CHECK_FALSE(size_claim(s, "devices"));
  CHECK_FALSE(size_claim(s, "info"));
}

TEST_CASE("registry len attributes size arrays - also through a struct field") {
  spec::Spec s;
  s.functions.push_back(function("vkMake", "int",
                                 {param("pInfo", "const VkMakeInfo *"), param("count", "uint32_t"),
                                  param("pValues", "const uint32_t *"), param("pNames", "const char *const *"),
                                  param("pAllocator", "const void *")}));
  mine(s, "vk.xml",
       "<registry><commands><command><proto><type>int</type> <name>vkMake</name></proto>"
       "<param>const <type>VkMakeInfo</type>* <name>pInfo</name></param>"
       "<param><type>uint32_t</type> <name>count</name></param>"
       "<param len=\"pInfo-&gt;count\">const <type>uint32_t</type>* <name>pValues</name></param>"
       "<param len=\"count,null-terminated\">const <type>char</type>* const* <name>pNames</name></param>"
       "<param optional=\"true\">const <type>void</type>* <name>pAllocator</name></param>"
       "</command></commands></registry>");
  auto* values = find_docs_evidence(param_of(s, "vkMake", "pValues").evidence, [](const auto& x) { return x.size.has_value(); });
  REQUIRE(values);
  CHECK(*values->says.size == "pInfo->count");
  CHECK(values->location.find("vk.xml:1") != std::string::npos);
  auto* names = find_docs_evidence(param_of(s, "vkMake", "pNames").evidence, [](const auto& x) { return x.size.has_value(); });
  REQUIRE(names);
  CHECK(*names->says.size == "count");
  CHECK(names->says.element_kind == spec::Kind::String);
  CHECK(find_docs_evidence(param_of(s, "vkMake", "pAllocator").evidence,
                           [](const auto& x) { return x.nullable == true; }));
}
