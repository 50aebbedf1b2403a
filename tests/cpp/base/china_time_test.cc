#include "base/china_time.h"

#include <gtest/gtest.h>

namespace jszb::core {
namespace {

// 2021-09-30 12:00:00 +08:00 = 04:00:00 UTC.
constexpr std::int64_t kNoon = 1632974400000;

TEST(ChinaTime, WritesChinaTimeWithOffset) {
  EXPECT_EQ(rfc3339_china(kNoon), "2021-09-30T12:00:00+08:00");
  EXPECT_EQ(rfc3339_china(kNoon + 7), "2021-09-30T12:00:00.007+08:00");
  EXPECT_EQ(rfc3339_china(kNoon - 12 * 3600 * 1000), "2021-09-30T00:00:00+08:00");
}

TEST(ChinaTime, ReadsAnyOffsetToTheSameInstant) {
  EXPECT_EQ(*parse_rfc3339("2021-09-30T12:00:00+08:00"), kNoon);
  EXPECT_EQ(*parse_rfc3339("2021-09-30T04:00:00Z"), kNoon);
  EXPECT_EQ(*parse_rfc3339("2021-09-29T23:00:00-05:00"), kNoon);
  EXPECT_EQ(*parse_rfc3339("2021-09-30T12:00:00.250+08:00"), kNoon + 250);
}

TEST(ChinaTime, RoundTripsEveryMillisecond) {
  for (std::int64_t ms : {kNoon, kNoon + 1, kNoon + 999, kNoon + 86'399'999, std::int64_t{0}}) {
    EXPECT_EQ(*parse_rfc3339(rfc3339_china(ms)), ms) << rfc3339_china(ms);
  }
}

TEST(ChinaTime, RefusesWhatItCannotReadExactly) {
  for (const char* bad : {"2021-09-30", "2021-09-30 12:00:00", "2021-09-30T12:00:00",
                          "2021-13-30T12:00:00+08:00", "yesterday", ""}) {
    auto parsed = parse_rfc3339(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
  }
  auto fine = parse_rfc3339("2021-09-30T12:00:00.0001+08:00");
  ASSERT_FALSE(fine.ok());
  EXPECT_NE(fine.status().message().find("finer than a millisecond"), std::string::npos);
}

}  // namespace
}  // namespace jszb::core
