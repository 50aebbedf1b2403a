// Reports: volumes against the previous period, hot spots, rising problems by
// the stated test, request groups in a day's requests, scope by district, and
// the CSV and HTML renderings (escaped, self-contained), on requests counted
// by hand.
#include "report/report.h"

#include <cmath>
#include <deque>
#include <iterator>
#include <string>
#include <vector>

#include "fixture.h"
#include "policy/policy.h"
#include "report/report_render.h"

namespace jszb::testing {
namespace {

using core::ReportOptions;

// 2021-10-01 00:00 China time: a whole day, and the week before it.
constexpr TimeMs kOct1 = 1633017600000;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine.load_policy(core::Policy::beijing()).ok()); }

  // A request at t in a street and category, in the given words.
  void add(TimeMs t, const char* district, const char* street, const char* community,
           const char* cat1, const char* cat2, const char* text, const char* address = "") {
    refs.push_back("r-" + std::to_string(refs.size()));
    texts.emplace_back(text);
    addresses.emplace_back(address);
    Intake in = request(refs.back(), t);
    in.location.address = addresses.back();
    in.location.district = district;
    in.location.street = street;
    in.location.community = community;
    in.category = {cat1, cat2, ""};
    in.content = texts.back();
    absl::StatusOr<core::SubmitResult> r = engine.submit(in);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  v1::Report report(TimeMs from, TimeMs until, const std::string& district = "") {
    ReportOptions o;
    o.from = from;
    o.until = until;
    o.district = district;
    absl::StatusOr<v1::Report> r = core::build_report(engine, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : v1::Report();
  }

  Engine engine;
  std::deque<std::string> refs, texts, addresses;  // the intakes view them
};

std::int64_t count_of(const google::protobuf::RepeatedPtrField<v1::Count>& rows,
                      const std::string& key) {
  for (const v1::Count& c : rows) {
    if (c.key() == key) return c.count();
  }
  return 0;
}

TEST_F(ReportTest, VolumesHotSpotsAndTheirPreviousPeriod) {
  for (int i = 0; i < 3; ++i) {
    add(kOct1 - kDay + i * kHour, "朝阳区", "望京街道", "望京西园社区", "城乡建设", "噪音", "噪音");
  }
  for (int i = 0; i < 5; ++i) {
    add(kOct1 + i * kHour, "朝阳区", "望京街道", "望京西园社区", "城乡建设", "噪音", "噪音");
  }
  add(kOct1 + kHour, "海淀区", "中关村街道", "科源社区", "交通管理", "停车", "停车");
  v1::Report r = report(kOct1, kOct1 + kDay);
  EXPECT_EQ(r.received(), 6);
  EXPECT_EQ(r.previous_received(), 3);
  EXPECT_EQ(count_of(r.by_category1(), "城乡建设"), 5);
  EXPECT_EQ(count_of(r.by_category2(), "交通管理/停车"), 1);
  EXPECT_EQ(count_of(r.by_district(), "海淀区"), 1);
  ASSERT_GE(r.by_community_size(), 2);
  EXPECT_EQ(r.by_community(0).key(), "朝阳区/望京街道/望京西园社区");  // the hottest first
  EXPECT_EQ(r.by_community(0).count(), 5);
  EXPECT_EQ(r.by_community(0).previous(), 3);
  EXPECT_EQ(r.rising_communities(0).key(), "朝阳区/望京街道/望京西园社区");  // +2
  EXPECT_EQ(count_of(r.by_channel(), "phone"), 6);
  // One district's report leaves the other out.
  v1::Report chaoyang = report(kOct1, kOct1 + kDay, "朝阳区");
  EXPECT_EQ(chaoyang.received(), 5);
  EXPECT_EQ(chaoyang.by_district_size(), 1);
}

TEST_F(ReportTest, RisingProblemsStandWellAboveTheirOwnBaseline) {
  // Each of the four days before: 2 parking and 10 noise requests; on the day:
  // 20 parking (z = (20 - 2) / sqrt(3) = 10.4) and 12 noise (z = 0.6).
  for (int d = 1; d <= 4; ++d) {
    TimeMs day = kOct1 - d * kDay;
    for (int i = 0; i < 2; ++i)
      add(day + i * kHour, "朝阳区", "望京街道", "", "交通管理", "停车", "停车");
    for (int i = 0; i < 10; ++i)
      add(day + i * kMinute, "朝阳区", "望京街道", "", "城乡建设", "噪音", "噪音");
  }
  for (int i = 0; i < 20; ++i) {
    add(kOct1 + i * kMinute, "朝阳区", "望京街道", "", "交通管理", "停车", "停车");
  }
  for (int i = 0; i < 12; ++i) {
    add(kOct1 + i * kMinute, "朝阳区", "望京街道", "", "城乡建设", "噪音", "噪音");
  }
  v1::Report r = report(kOct1, kOct1 + kDay);
  ASSERT_EQ(r.rising_size(), 1);
  EXPECT_EQ(r.rising(0).category(), "交通管理/停车");
  EXPECT_EQ(r.rising(0).count(), 20);
  EXPECT_DOUBLE_EQ(r.rising(0).baseline(), 2.0);
  EXPECT_NEAR(r.rising(0).z(), 18 / std::sqrt(3.0), 1e-9);
  EXPECT_NE(r.rising_test().find("sqrt(m + 1)"), std::string::npos);
}

TEST_F(ReportTest, NothingRisesWithoutABaseline) {
  // 20 requests today and none in the days before: no history, no test.
  for (int i = 0; i < 20; ++i) {
    add(kOct1 + i * kMinute, "朝阳区", "望京街道", "", "交通管理", "停车", "停车");
  }
  v1::Report r = report(kOct1, kOct1 + kDay);
  EXPECT_EQ(r.rising_size(), 0);
  EXPECT_NE(r.rising_test().find("Not tested this time: only 0 of those periods"),
            std::string::npos)
      << r.rising_test();
}

TEST_F(ReportTest, RequestGroupsAreFoundAcrossWordingsInTheDay) {
  const char* said[] = {"望京西园三区楼下的槐树生了很多虫子，掉得到处都是",
                        "望京西园三区槐树上虫子很多，请来打药",
                        "西园三区的槐树长虫了，虫子掉在身上",
                        "望京西园三区树上虫子太多了，希望治理",
                        "槐树虫害严重，望京西园三区，请园林部门处理",
                        "望京西园三区槐树有虫，掉到行人身上",
                        "西园三区门口槐树虫子多，请尽快打药",
                        "望京西园三区的树生虫了，虫子满地",
                        "望京西园三区槐树虫子掉下来吓到孩子",
                        "请处理望京西园三区槐树上的虫子",
                        "望京西园三区槐树虫害，已经好几天了"};
  // The operator records the estate for most calls; the callers word it
  // their own way. Other requests come from other estates.
  for (std::size_t i = 0; i < std::size(said); ++i) {
    add(kOct1 + static_cast<TimeMs>(i) * kHour, "朝阳区", "望京街道", "望京西园社区", "城乡建设",
        "园林绿化", said[i], i % 4 == 0 ? "" : "望京西园三区5号楼");
  }
  for (int i = 0; i < 30; ++i) {
    static const char* other[] = {"小区停车位被外来车辆占用", "地铁站口共享单车乱停",
                                  "超市预付卡无法退款", "楼道灯坏了很久没人修", "供暖温度不达标"};
    static const char* estate[] = {"花家地北里", "南湖东园", "利泽西园", "方舟苑", "望花路东里"};
    add(kOct1 + i * kMinute, "朝阳区", "望京街道", "望京西园社区", "城乡建设", "园林绿化",
        other[i % 5], estate[i % 5]);
  }
  v1::Report r = report(kOct1, kOct1 + kDay);
  ASSERT_EQ(r.groups_size(), 1);
  EXPECT_EQ(r.groups(0).size(), 11);
  EXPECT_EQ(r.groups(0).area(), "朝阳区/望京街道");
  EXPECT_NE(r.groups(0).text().find("虫"), std::string::npos);
  // A month is too long a window to look for groups in.
  EXPECT_EQ(report(core::assessment_month(2021, 10).from, core::assessment_month(2021, 10).until)
                .groups_size(),
            0);
}

TEST_F(ReportTest, CsvAndHtmlEscapeWhatTheyCarry) {
  add(kOct1, "朝阳区", "望京街道", "A, \"B\" <社区>", "城乡建设", "<script>alert(1)</script>", "x");
  v1::Report r = report(kOct1, kOct1 + kDay);
  std::string csv = core::report_csv(r);
  EXPECT_NE(csv.find("\"朝阳区/望京街道/A, \"\"B\"\" <社区>\",1,0"), std::string::npos) << csv;
  std::string html = core::report_html(r);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST_F(ReportTest, BadOptionsAreRefusedByName) {
  ReportOptions o;
  o.from = kOct1;
  o.until = kOct1 + kDay;
  o.district = "不存在区";
  absl::StatusOr<v1::Report> r = core::build_report(engine, o);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("不存在区"));
  o.district = "";
  o.until = kOct1 + kHour;
  r = core::build_report(engine, o);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("half-day edge"));
  o.until = kOct1 + kDay;
  o.baseline_periods = 0;
  EXPECT_FALSE(core::build_report(engine, o).ok());
}

}  // namespace
}  // namespace jszb::testing
