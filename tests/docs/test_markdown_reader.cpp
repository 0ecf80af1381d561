#include <catch2/catch.hpp>

#include "remora/inference/docs/markdown_reader.h"

using namespace remora::inference::docs;
using remora::spec::Diagnostics;
using remora::spec::Direction;

namespace {

const ParamDoc* param(const DocSection& s, std::string_view name) {
  for (const auto& p : s.params)
    if (p.name == name) return &p;
  return nullptr;
}

const char* kMarkdown = R"(# Widget API

Some intro.

## `wgtQuery(handle, out, out_size)`

Queries a widget.

### Parameters

- `handle`: the widget to query.
- [out] `out` - buffer where the answer will be returned.
- **out_size**: size in bytes of `out`.

```c
wgtQuery(h, buf, sizeof buf);
```

## wgtFree

| Parameter | Direction | Description |
|-----------|-----------|-------------|
| `w` | in | The widget to be released. |
)";

}  // namespace

TEST_CASE("markdown headings start sections - lists and tables give parameters") {
  Diagnostics d;
  auto read = read_markdown(kMarkdown, "api.md", [](std::string_view n) { return n.starts_with("wgt"); }, d);
  REQUIRE(read.sections.size() == 2);
  const DocSection& q = read.sections[0];
  CHECK(q.functions == std::vector<std::string>{"wgtQuery"});
  CHECK(q.line == 5);
  CHECK(q.params_complete);
  REQUIRE(q.params.size() == 3);
  CHECK(q.params[1].name == "out");
  CHECK(q.params[1].tagged == Direction::Out);
  CHECK(q.params[1].sentences.at(0).text == "out buffer where the answer will be returned.");
  CHECK(q.params[1].sentences.at(0).line == 12);
  CHECK(q.params[2].sentences.at(0).text == "out_size size in bytes of out.");
  CHECK(q.body.at(0).text == "Queries a widget.");

  const DocSection& f = read.sections[1];
  CHECK(f.functions.at(0) == "wgtFree");
  const ParamDoc* w = param(f, "w");
  REQUIRE(w);
  CHECK(w->tagged == Direction::In);
  CHECK(w->sentences.at(0).text == "w The widget to be released.");
}

TEST_CASE("without known names - code-formatted or call-like headings are functions") {
  Diagnostics d;
  auto read = read_markdown(kMarkdown, "api.md", {}, d);
  REQUIRE(read.sections.size() == 1);  // "## wgtFree" is plain text: not taken without a header to confirm it
  CHECK(read.sections[0].functions.at(0) == "wgtQuery");
}

TEST_CASE("HTML pages are read like Markdown - doxygen parameter tables included") {
  const char* html = R"(<!DOCTYPE html><html><head><style>h2 { color: red }</style></head><body>
<h2 class="memtitle">wgtQuery()</h2>
<p>Queries a widget &amp; reports.</p>
<table class="params">
<tr><td class="paramdir">[out]</td><td class="paramname"><em>out</em></td><td>buffer where the answer will be returned</td></tr>
<tr><td class="paramdir">[in]</td><td class="paramname"><em>out_size</em></td><td>size in bytes of <code>out</code></td></tr>
</table>
<script>var x = "<h2>fake</h2>";</script>
</body></html>)";
  Diagnostics d;
  auto read = read_html(html, "api.html", [](std::string_view n) { return n == "wgtQuery"; }, d);
  REQUIRE(read.sections.size() == 1);
  const DocSection& s = read.sections[0];
  CHECK(s.line == 2);
  CHECK(s.body.at(0).text == "Queries a widget & reports.");
  const ParamDoc* out = param(s, "out");
  REQUIRE(out);
  CHECK(out->tagged == Direction::Out);
  CHECK(out->sentences.at(0).line == 5);
  const ParamDoc* size = param(s, "out_size");
  REQUIRE(size);
  CHECK(size->sentences.at(0).text == "out_size size in bytes of out");
}

TEST_CASE("a heading holding the whole prototype names the function, not its return type") {
  const char* md = "### `cl_int wgtQuery(wgt_t w, void *out)`\n\n- `out`: where the answer will be returned.\n";
  Diagnostics d;
  auto known = read_markdown(md, "p.md", [](std::string_view n) { return n == "wgtQuery"; }, d);
  REQUIRE(known.sections.size() == 1);
  CHECK(known.sections[0].functions.at(0) == "wgtQuery");
  auto unknown = read_markdown(md, "p.md", {}, d);
  REQUIRE(unknown.sections.size() == 1);
  CHECK(unknown.sections[0].functions.at(0) == "wgtQuery");
}
