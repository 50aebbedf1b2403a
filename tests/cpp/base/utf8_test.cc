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

}  // namespace
}  // namespace jszb::testing
