// UTF-8 validation of strings that come through the C ABI.
#include "base/utf8.h"

#include <string>

#include "fixture.h"

namespace jszb::testing {
namespace {

TEST(Utf8, AcceptsWellFormedAndRefusesTheRest) {
  EXPECT_TRUE(core::is_valid_utf8(""));
  EXPECT_TRUE(core::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(core::is_valid_utf8("接诉即办 12345"));
  EXPECT_TRUE(core::is_valid_utf8("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_TRUE(core::is_valid_utf8("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_FALSE(core::is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(core::is_valid_utf8("\xe6\x8e"));          // truncated
  EXPECT_FALSE(core::is_valid_utf8("\xc1\xbf"));          // overlong
  EXPECT_FALSE(core::is_valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(core::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(core::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(core::is_valid_utf8("\xff"));
}

TEST(Utf8, BoundedKeepsCharactersWholeAndReplacesIllFormedBytes) {
  EXPECT_EQ(core::bounded_utf8("朝阳区", 100), "朝阳区");
  // Ill-formed bytes become U+FFFD; the result is valid.
  std::string fixed = core::bounded_utf8(
      "a\xff\xe6\x9c"
      "b",
      100);
  EXPECT_EQ(fixed,
            "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(core::is_valid_utf8(fixed));
  // Too long: cut at a character, "…" at the end, within the bound.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "朝";
  std::string cut = core::bounded_utf8(many, 1024);
  EXPECT_LE(cut.size(), 1024u);
  EXPECT_TRUE(core::is_valid_utf8(cut));
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
  EXPECT_EQ(cut.size(), 1023u);  // 340 characters of 3 bytes, then the ellipsis
  // Exactly at the bound: nothing cut.
  EXPECT_EQ(core::bounded_utf8(std::string(1024, 'x'), 1024), std::string(1024, 'x'));
}

}  // namespace
}  // namespace jszb::testing
