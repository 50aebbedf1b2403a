// Bad input to reports and request groups: each refused with the field named
// and its value (InvalidArgument), an unknown district NotFound, nothing read;
// a valid period in which nothing happened gives a report marked empty, in its
// JSON field and in the CSV's and HTML's headers.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "fixture.h"
#include "policy/policy.h"
#include "report/report.h"
#include "report/report_render.h"

namespace jszb::testing {
namespace {

using core::ReportOptions;
using ::testing::HasSubstr;

constexpr TimeMs kOct1 = 1633017600000;  // 2021-10-01 00:00 China time
constexpr TimeMs kMin = std::numeric_limits<TimeMs>::min();
constexpr TimeMs kMax = std::numeric_limits<TimeMs>::max();

class ReportInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine.load_policy(core::Policy::beijing()).ok());
    // One request in 和平街街道 of 朝阳区 on 1 October, dispatched the next day.
    id = submit(engine, "in-1", kOct1 + 9 * kHour);
    must(engine, good_command(CommandKind::kDispatch, *engine.find(id), kOct1 + kDay + kHour));
  }

  ReportOptions day(TimeMs from) const {
    ReportOptions o;
    o.from = from;
    o.until = from + kDay;
    return o;
  }

  Engine engine;
  CaseId id = 0;
};

// The report refuses `o` with `code`, naming every part of `words`.
void expect_refused(Engine& engine, const ReportOptions& o, absl::StatusCode code,
                    const std::vector<std::string>& words) {
  absl::StatusOr<v1::Report> r = core::build_report(engine, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status();
  for (const std::string& w : words) EXPECT_THAT(std::string(r.status().message()), HasSubstr(w));
}

TEST_F(ReportInputTest, AValidPeriodWithNothingInItIsAnEmptyReportThatSaysSo) {
  absl::StatusOr<v1::Report> later = core::build_report(engine, day(kOct1 + 30 * kDay));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->empty());
  EXPECT_EQ(later->received(), 0);
  EXPECT_EQ(later->units_size(), 0);
  EXPECT_THAT(core::report_csv(*later),
              HasSubstr("from,until,district,received,previous_received,empty,previous_empty,"
                        "time_zone,min_visits\n"
                        "2021-10-31 00:00,2021-11-01 00:00,,0,0,true,true,UTC+8,10\n"));
  EXPECT_THAT(core::report_html(*later), HasSubstr("本期无数据。"));

  // The day of the request, and the day of only its dispatch, are not empty.
  absl::StatusOr<v1::Report> received = core::build_report(engine, day(kOct1));
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_FALSE(received->empty());
  EXPECT_EQ(received->received(), 1);
  EXPECT_THAT(core::report_csv(*received), HasSubstr(",1,0,false,true,UTC+8,10\n"));
  EXPECT_EQ(core::report_html(*received).find("本期无数据"), std::string::npos);
  absl::StatusOr<v1::Report> dispatched = core::build_report(engine, day(kOct1 + kDay));
  ASSERT_TRUE(dispatched.ok()) << dispatched.status();
  EXPECT_EQ(dispatched->received(), 0);
  EXPECT_FALSE(dispatched->empty());  // the street's dispatch counts

  // A district of the policy where nothing happened: empty, while the city is not.
  ReportOptions haidian = day(kOct1);
  haidian.district = "海淀区";
  absl::StatusOr<v1::Report> h = core::build_report(engine, haidian);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TRUE(h->empty());
  EXPECT_THAT(core::report_html(*h), HasSubstr("海淀区在 2021-10-01 00:00 至"));
}

TEST_F(ReportInputTest, AnUnknownDistrictIsNotFoundAndNamed) {
  ReportOptions o = day(kOct1);
  o.district = "不存在区";
  expect_refused(engine, o, absl::StatusCode::kNotFound, {"不存在区", "beijing"});
  // An alias names a district, but requests count under its name.
  o.district = "朝阳";
  expect_refused(engine, o, absl::StatusCode::kNotFound, {"\"朝阳\" is an alias", "朝阳区"});
  o.district = "\xff\xfe";
  expect_refused(engine, o, absl::StatusCode::kInvalidArgument, {"district is not valid UTF-8"});
  // Without a policy no district is known; the whole city still reports.
  Engine bare;
  submit(bare, "bare-1", kOct1 + kHour);
  o.district = "朝阳区";
  expect_refused(bare, o, absl::StatusCode::kNotFound, {"朝阳区", "no policy is loaded"});
  o.district = "";
  absl::StatusOr<v1::Report> city = core::build_report(bare, o);
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->received(), 1);
}

TEST_F(ReportInputTest, APeriodThatEndsBeforeItStartsIsEmptyOrOffTheEdgesIsRefused) {
  ReportOptions o = day(kOct1);
  o.until = kOct1 - kDay;
  expect_refused(engine, o, absl::StatusCode::kInvalidArgument,
                 {"from_ms is 1633017600000 (2021-10-01 00:00 China time)",
                  "until_ms is 1632931200000 (2021-09-30 00:00)", "ends before it starts"});
  o.until = kOct1;
  expect_refused(engine, o, absl::StatusCode::kInvalidArgument, {"the period is empty"});
  o.until = kOct1 + kDay + 1;
  expect_refused(
      engine, o, absl::StatusCode::kInvalidArgument,
      {"until_ms is 1633104000001 (2021-10-02 00:00:00.001 China time)", "not on a half-day edge"});
  o = day(0);  // 1970-01-01 08:00 China time
  expect_refused(engine, o, absl::StatusCode::kInvalidArgument,
                 {"from_ms is 0", "outside the times jszb accepts"});
  for (auto [from, until, field] :
       {std::tuple{kMin, kOct1, "from_ms"}, std::tuple{kOct1, kMax, "until_ms"},
        std::tuple{kMin, kMax, "from_ms"}, std::tuple{-kDay, kOct1, "from_ms"},
        std::tuple{core::kTimeMinMs - 20 * kHour, kOct1, "from_ms"},
        std::tuple{kOct1, core::kTimeMaxMs + 4 * kHour, "until_ms"}}) {
    o.from = from;
    o.until = until;
    expect_refused(engine, o, absl::StatusCode::kInvalidArgument,
                   {std::string(field) + " is ", "outside the times jszb accepts"});
  }
  // The first and the last half-day edges of the range are fine: 2000-01-01
  // 12:00 and 2200-01-01 00:00 China time.
  o.from = core::kTimeMinMs + 4 * kHour;
  o.until = o.from + kDay;
  EXPECT_TRUE(core::build_report(engine, o).ok());
  o.from = core::kTimeMaxMs - 8 * kHour - kDay;
  o.until = core::kTimeMaxMs - 8 * kHour;
  absl::StatusOr<v1::Report> last = core::build_report(engine, o);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_TRUE(last->empty());
}

TEST_F(ReportInputTest, OptionsOutOfRangeAreRefusedByName) {
  struct Case {
    std::function<void(ReportOptions&)> set;
    std::string named;
  };
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Case> cases = {
      {[](ReportOptions& o) { o.top = -1; }, "top is -1"},
      {[](ReportOptions& o) { o.top = 10001; }, "top is 10001"},
      {[](ReportOptions& o) { o.top = std::numeric_limits<int>::max(); }, "top is 2147483647"},
      {[](ReportOptions& o) { o.baseline_periods = 0; }, "baseline_periods is 0"},
      {[](ReportOptions& o) { o.baseline_periods = 53; }, "baseline_periods is 53"},
      {[](ReportOptions& o) { o.baseline_periods = -4; }, "baseline_periods is -4"},
      {[nan](ReportOptions& o) { o.rising_z = nan; }, "rising_z is nan"},
      {[](ReportOptions& o) { o.rising_z = -3; }, "rising_z is -3"},
      {[](ReportOptions& o) { o.rising_min = 0; }, "rising_min 0"},
      {[](ReportOptions& o) { o.max_group_window = -1; }, "max_group_window is -1"},
      {[](ReportOptions& o) { o.weights.response = -0.1; }, "weights.response is -0.1"},
      {[inf](ReportOptions& o) { o.weights.resolution = inf; }, "weights.resolution is inf"},
      {[nan](ReportOptions& o) { o.weights.satisfaction = nan; }, "weights.satisfaction is nan"},
      {[](ReportOptions& o) {
         o.weights = {0, 0, 0};
       },
       "weights are all 0"},
      {[](ReportOptions& o) { o.groups.rows = 0; }, "groups.rows 0"},
      {[](ReportOptions& o) { o.groups.bands = 100000; }, "groups.bands is 100000"},
      {[](ReportOptions& o) { o.group_scope = static_cast<core::GroupScope>(9); },
       "group scope is 9"},
      {[](ReportOptions& o) { o.groups.max_common = 1.5; }, "groups.max_common is 1.5"},
      {[](ReportOptions& o) { o.groups.min_size = 1; }, "groups.min_size is 1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.named);
    ReportOptions o = day(kOct1);
    c.set(o);
    expect_refused(engine, o, absl::StatusCode::kInvalidArgument, {c.named});
  }
  // The edges of the ranges are accepted.
  ReportOptions o = day(kOct1);
  o.top = 10000;
  o.baseline_periods = 52;
  EXPECT_TRUE(core::build_report(engine, o).ok());
  o.top = 0;
  o.baseline_periods = 1;
  o.weights = {1, 0, 0};
  EXPECT_TRUE(core::build_report(engine, o).ok());
}

TEST_F(ReportInputTest, RequestGroupsRefuseWhatTheReportRefuses) {
  auto groups = [this](TimeMs from, TimeMs until, const std::string& district,
                       const core::GroupOptions& g = {}) {
    return core::request_groups(engine, from, until, district, core::GroupScope::kDistrict, g);
  };
  absl::StatusOr<std::vector<core::RequestGroup>> r = groups(kOct1, kOct1 - 1, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("ends before it starts"));
  r = groups(kOct1, kOct1, "");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("the period is empty"));
  r = groups(kMin, kMax, "");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("outside the times jszb accepts"));
  r = groups(kOct1, kOct1 + kDay, "不存在区");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("不存在区"));
  core::GroupOptions bad;
  bad.rows = 0;
  r = groups(kOct1, kOct1 + kDay, "", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("groups.rows 0"));
  // Any millisecond is a period for groups; a valid one with nothing: none.
  r = groups(kOct1 + 1, kOct1 + kHour, "朝阳区");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->empty());
}

TEST_F(ReportInputTest, CheckPeriodNamesTheCallersFields) {
  absl::Status s = core::check_period(kOct1, kOct1 - kDay, "start", "until");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("start is 1633017600000"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("until is 1632931200000"));
  EXPECT_TRUE(core::check_period(kOct1 + 1, kOct1 + 2).ok());  // any ms
  EXPECT_TRUE(core::check_weights({0.1, 0.5, 0.4}, "w").ok());
  EXPECT_THAT(std::string(core::check_weights({-1, 0, 0}, "w").message()),
              HasSubstr("w.response is -1"));
}

}  // namespace
}  // namespace jszb::testing
