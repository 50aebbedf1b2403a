// Arena: stable copies, unit lists copied and joined into it.
#include "base/arena.h"

#include <cstring>
#include <string>
#include <vector>

#include "fixture.h"
#include "model/deep_copy.h"

namespace jszb::testing {
namespace {

TEST(Arena, CopiesAreStableAndNulTerminated) {
  core::Arena arena;
  std::vector<std::string_view> views;
  for (int i = 0; i < 100000; ++i) views.push_back(arena.copy("案件" + std::to_string(i)));
  std::string big(200 * 1024, 'x');  // larger than a quarter block: a block of its own
  std::string_view big_view = arena.copy(big);
  views.push_back(arena.copy("after the big one"));
  for (int i = 0; i < 100000; ++i) {
    ASSERT_EQ(views[i], "案件" + std::to_string(i));
    ASSERT_EQ(views[i].data()[views[i].size()], '\0');
  }
  EXPECT_EQ(big_view, big);
  EXPECT_EQ(views.back(), "after the big one");
  EXPECT_TRUE(arena.copy("").empty());
  EXPECT_GE(arena.bytes_reserved(), arena.bytes_used());
}

TEST(Arena, ConcatenatesUnitLists) {
  core::Arena arena;
  const UnitId a[] = {1, 2};
  const UnitId b[] = {3};
  core::UnitList ab = core::concat({a, 2}, {b, 1}, arena);
  EXPECT_EQ(ab.to_vector(), (std::vector<UnitId>{1, 2, 3}));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(ab.data) % alignof(UnitId), 0u);
  EXPECT_TRUE(core::concat({}, {}, arena).empty());
}

}  // namespace
}  // namespace jszb::testing
