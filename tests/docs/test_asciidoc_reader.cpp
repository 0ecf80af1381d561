#include <catch2/catch.hpp>

#include "remora/inference/docs/asciidoc_reader.h"

using namespace remora::inference::docs;
using remora::spec::Diagnostics;

namespace {

const char* kPage = R"(= Chapter

Intro prose outside any page is ignored.

[open,refpage='fooRead',desc='Reads things from a widget\'s store.',type='protos',alias='fooWrite']
--
To read, call

include::{generated}/api/protos/fooRead.txt[]
include::{generated}/api/version-notes/fooRead.asciidoc[]
ifdef::foo_ext[]
include::{generated}/api/protos/fooReadEXT.txt[]
endif::foo_ext[]

  * _widget_ is a valid widget created with {fooCreate}.
  * _blocking_read_ and _blocking_write_ indicate if the operations are
    _blocking_ or _non-blocking_.
  * _pfn_notify_ is the callback.
    The parameters of this callback are:
  ** _widget_ is the widget passed to the callback.
  * _ptr_ is a pointer to memory where data will be returned, see
    <<tbl-anchor, the table>> footnote:[{fn-note}].

[[tbl-anchor]]
.Table
|====
| _widget_ | must not be mentioned
|====

If _blocking_read_ is {FOO_TRUE}, {fooRead} does not return until done.

// refError

{fooRead} returns {FOO_SUCCESS}. Otherwise, it returns one of the following errors:

  * {FOO_INVALID_VALUE} if _ptr_ is `NULL`.
  * {FOO_INVALID_WIDGET}
  ** if _widget_ is not a valid widget
--

[open,refpage='fooStruct',desc='A struct',type='structs']
--
  * _member_ is ignored: not a prototype page.
--
)";

const ParamDoc* param(const DocSection& s, std::string_view name) {
  for (const auto& p : s.params)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("refpage blocks become sections with aliases and included prototypes") {
  Diagnostics d;
  auto read = read_asciidoc(kPage, "page.adoc", d);
  CHECK(d.empty());
  REQUIRE(read.sections.size() == 1);
  const DocSection& s = read.sections[0];
  CHECK(s.functions == std::vector<std::string>{"fooRead", "fooWrite", "fooReadEXT"});
  CHECK(s.line == 5);
  REQUIRE(!s.body.empty());
  CHECK(s.body[0].text == "Reads things from a widget's store.");
}

TEST_CASE("bullets give parameter sentences with markup stripped and lines kept") {
  Diagnostics d;
  auto read = read_asciidoc(kPage, "page.adoc", d);
  const DocSection& s = read.sections.at(0);
  const ParamDoc* widget = param(s, "widget");
  REQUIRE(widget);
  REQUIRE(widget->sentences.size() == 1);  // the nested callback-argument bullet is not about this param
  CHECK(widget->sentences[0].text == "widget is a valid widget created with fooCreate.");
  CHECK(widget->sentences[0].line == 15);
  CHECK(widget->sentences[0].file == "page.adoc");

  const ParamDoc* ptr = param(s, "ptr");
  REQUIRE(ptr);
  CHECK(ptr->sentences.at(0).text == "ptr is a pointer to memory where data will be returned, see the table.");
  CHECK(ptr->sentences.at(0).line == 21);

  const ParamDoc* blocking = param(s, "blocking_read");
  REQUIRE(blocking);
  CHECK(blocking->co_subjects == std::vector<std::string>{"blocking_write"});
  REQUIRE(param(s, "blocking_write"));
}

TEST_CASE("table cells are function-level prose and error lists are marked") {
  Diagnostics d;
  auto read = read_asciidoc(kPage, "page.adoc", d);
  const DocSection& s = read.sections.at(0);
  bool found_table_text = false, found_error = false, found_nested_error = false, found_prose = false;
  for (const auto& b : s.body) {
    found_table_text |= b.text == "must not be mentioned";
    if (b.text.find("FOO_INVALID_VALUE if ptr is NULL") != std::string::npos) found_error = b.error_context;
    if (b.text.find("if widget is not a valid widget") != std::string::npos) found_nested_error = b.error_context;
    if (b.text.find("does not return until done") != std::string::npos) found_prose = !b.error_context;
  }
  CHECK(found_table_text);  // a cell of its own, not glued to its neighbour
  CHECK(found_error);
  CHECK(found_nested_error);
  CHECK(found_prose);
}

TEST_CASE("inline markup keeps identifiers as marked mentions") {
  MarkedText t = normalize_asciidoc_inline("If _param_value_size_ret_ is `NULL`, see {clFoo_anchor} and *bold text*.", 7);
  CHECK(t.text == "If param_value_size_ret is NULL, see clFoo and bold text.");
  REQUIRE(t.mentions.size() == 3);
  CHECK(t.mentions[0].name == "param_value_size_ret");
  CHECK(t.mentions[0].begin == 3);
  CHECK(t.mentions[2].name == "clFoo");
}

TEST_CASE("an unterminated refpage is reported and skipped - later pages still read") {
  std::string text =
      "[open,refpage='broken',desc='Broken.',type='protos']\n--\n  * _a_ is lost.\n\n"
      "[open,refpage='fine',desc='Creates a fine object.',type='protos']\n--\n  * _b_ can be `NULL`.\n--\n";
  Diagnostics d;
  auto read = read_asciidoc(text, "bad.adoc", d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 1);
  CHECK(d[0].message.find("not terminated") != std::string::npos);
  REQUIRE(read.sections.size() == 1);
  CHECK(read.sections[0].functions.at(0) == "fine");
}

TEST_CASE("a refpage without an opening delimiter is reported") {
  Diagnostics d;
  auto read = read_asciidoc("[open,refpage='x',type='protos']\nno delimiter\n", "bad.adoc", d);
  CHECK(read.sections.empty());
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("no '--'") != std::string::npos);
}

TEST_CASE("Vulkan-style semantic macros are mentions too") {
  MarkedText t = normalize_asciidoc_inline("pname:pAllocator controls flink:vkCreateBuffer; returns ename:VK_SUCCESS or code:NULL.", 1);
  CHECK(t.text == "pAllocator controls vkCreateBuffer; returns VK_SUCCESS or NULL.");
  REQUIRE(t.mentions.size() == 4);
  CHECK(t.mentions[0].name == "pAllocator");
  CHECK(t.mentions[0].begin == 0);
  Diagnostics d;
  auto read = read_asciidoc("[open,refpage='vkFoo',desc='Foo.',type='protos']\n--\n  * pname:device is the logical device.\n--\n",
                            "vk.adoc", d);
  REQUIRE(read.sections.size() == 1);
  REQUIRE(read.sections[0].params.size() == 1);
  CHECK(read.sections[0].params[0].name == "device");
}

TEST_CASE("each nested error condition is a sentence naming its error code") {
  Diagnostics d;
  auto read = read_asciidoc(
      "[open,refpage='f',desc='F.',type='protos']\n--\n// refError\n\n  * {E_INVALID_VALUE}\n"
      "  ** if _a_ is `NULL`\n  ** if _b_ is `NULL`\n--\n",
      "e.adoc", d);
  REQUIRE(read.sections.size() == 1);
  std::vector<std::string> errors;
  for (const auto& b : read.sections[0].body)
    if (b.error_context) errors.push_back(b.text);
  CHECK(errors == std::vector<std::string>{"E_INVALID_VALUE if a is NULL.", "E_INVALID_VALUE if b is NULL"});
}
