#include <catch2/catch.hpp>

#include "remora/inference/docs/text_util.h"

using namespace remora::inference::docs;

TEST_CASE("sentences split at full stops but not at abbreviations") {
  std::string p = "The list is terminated with 0. It may be NULL, i.e. absent. Done";
  auto r = split_sentences(p);
  REQUIRE(r.size() == 3);
  CHECK(p.substr(r[0].begin, r[0].end - r[0].begin) == "The list is terminated with 0.");
  CHECK(p.substr(r[1].begin, r[1].end - r[1].begin) == "It may be NULL, i.e. absent.");
}

TEST_CASE("quotes are shortened at word boundaries and never inside a UTF-8 code point") {
  std::string text = "donn\xC3\xA9" "es \xC3\xA9" "crites " + std::string(300, 'x');
  for (std::size_t max = 4; max < 40; ++max) {
    std::string s = shorten_utf8(text, max);
    CHECK(is_valid_utf8(s));
    CHECK(s.ends_with("..."));
  }
  CHECK(shorten_utf8("short sentence", 100) == "short sentence");
  CHECK(shorten_utf8("alpha beta gamma delta", 13) == "alpha beta...");
}

TEST_CASE("phrases match on word boundaries only") {
  CHECK(has_phrase("if ptr is null, it is ignored", "is null"));
  CHECK_FALSE(has_phrase("this is nullable", "is null"));
  CHECK(find_phrase("size_t size is the size", "size") == 7);
}

TEST_CASE("entities decode to UTF-8") {
  CHECK(decode_entities("a &lt;b&gt; &amp; &#233; &#x2014; &bogus;") == "a <b> & \xC3\xA9 \xE2\x80\x94 &bogus;");
}

TEST_CASE("UTF-8 validation rejects broken sequences") {
  CHECK(is_valid_utf8("plain \xE2\x80\x94 text"));
  CHECK_FALSE(is_valid_utf8("cut \xE2\x80"));
  CHECK_FALSE(is_valid_utf8("\xFF\xFE"));
}
