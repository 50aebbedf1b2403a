// The HTML report for a district official: sections in the order an official
// reads them, Chinese labels and no raw identifiers, a headline box whose every
// number is the structured report's, units with too few visits listed apart.
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "fixture.h"
#include "policy/policy.h"
#include "report/assessment.h"
#include "report/labels.h"
#include "report/report_render.h"

namespace jszb::testing {
namespace {

void add_count(google::protobuf::RepeatedPtrField<v1::Count>* rows, const std::string& key,
               std::int64_t n) {
  v1::Count* c = rows->Add();
  c->set_key(key);
  c->set_count(n);
  c->set_previous(n / 2);
}

v1::UnitRow* add_unit(v1::Report& r, UnitId id, const std::string& name, v1::UnitClass c, int rank,
                      std::int64_t visits, std::int64_t breached) {
  v1::UnitRow* u = r.add_units();
  u->set_unit(id);
  u->set_name(name);
  u->set_unit_class(c);
  u->set_rank(rank);
  u->set_visits(visits);
  u->set_breached(breached);
  return u;
}

// A district's week, by hand: every channel and kind, four streets (one with
// too few visits to rank), a department, 25 groups and a rising problem.
v1::Report sample() {
  v1::Report r;
  r.set_from_ms(1631980800000);  // 2021-09-19 00:00 China time
  r.set_until_ms(1632585600000);
  r.set_district("朝阳区");
  r.set_received(17205);
  r.set_previous_received(16907);
  r.set_min_visits(10);
  for (const char* ch : {"phone", "web", "wechat_mini", "wechat_account", "app", "leaders_board",
                         "national_mini", "weibo", "toutiao", "merged_hotline"}) {
    add_count(r.mutable_by_channel(), ch, 100);
  }
  for (const char* k : {"consultation", "help", "complaint", "report", "suggestion"}) {
    add_count(r.mutable_by_kind(), k, 50);
  }
  add_count(r.mutable_by_category1(), "城乡建设", 900);
  add_count(r.mutable_by_street(), "朝阳区/望京街道", 300);
  add_unit(r, 1, "望京街道", v1::UNIT_CLASS_STREET, 1, 40, 3);
  add_unit(r, 2, "和平街街道", v1::UNIT_CLASS_STREET, 2, 30, 5);
  add_unit(r, 3, "酒仙桥街道", v1::UNIT_CLASS_STREET, 3, 20, 7);
  add_unit(r, 4, "小关街道", v1::UNIT_CLASS_STREET, 4, 12, 1);
  add_unit(r, 5, "东风乡", v1::UNIT_CLASS_STREET, 0, 3, 2);
  add_unit(r, 6, "区城管委", v1::UNIT_CLASS_DEPARTMENT, 1, 15, 4);
  for (int i = 0; i < 25; ++i) {
    v1::GroupRow* g = r.add_groups();
    g->set_area("朝阳区/望京街道");
    g->set_category("城乡建设/噪音");
    g->set_size(40 - i);
    g->set_text(i == 20 ? "第二十一组" : "施工噪音");
  }
  v1::RisingRow* x = r.add_rising();
  x->set_district("朝阳区");
  x->set_category("城乡建设/噪音");
  x->set_count(90);
  return r;
}

TEST(ReportHtml, SectionsComeInTheOrderAnOfficialReadsThem) {
  std::string html = core::report_html(sample());
  std::vector<std::string> order = {"id=headline", "id=rankings", "约谈单位", "id=volumes",
                                    "id=hotspots", "id=groups",   "id=rising"};
  std::size_t at = 0;
  for (const std::string& marker : order) {
    std::size_t found = html.find(marker);
    ASSERT_NE(found, std::string::npos) << marker;
    EXPECT_GT(found, at) << marker << " out of order";
    at = found;
  }
}

TEST(ReportHtml, LabelsAreChineseAndNoIdentifierShows) {
  std::string html = core::report_html(sample());
  for (const char* zh :
       {"电话", "网站", "微信小程序", "微信公众号", "北京通App", "领导留言板", "国务院小程序",
        "微博", "头条", "并线热线", "咨询", "求助", "投诉", "举报", "建议", "街道乡镇", "部门"}) {
    EXPECT_NE(html.find(zh), std::string::npos) << zh;
  }
  for (const char* id : {"wechat_mini", "wechat_account", "leaders_board", "national_mini",
                         "merged_hotline", "toutiao", "consultation", "complaint", "suggestion",
                         "UNIT_CLASS", "department", "street"}) {
    EXPECT_EQ(html.find(id), std::string::npos) << id;
  }
  // Names do not wrap in a narrow column.
  EXPECT_NE(html.find("td.nm,th{white-space:nowrap}"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"t nm\">望京街道"), std::string::npos);
  // A district's report names its streets without the district.
  EXPECT_EQ(html.find("朝阳区/望京街道"), std::string::npos);
  EXPECT_EQ(core::chinese_label("weibo"), "微博");
  EXPECT_EQ(core::chinese_label("unknown"), "unknown");
  EXPECT_EQ(core::chinese_class(v1::UNIT_CLASS_COMMUNITY), "社区(村)");
  EXPECT_EQ(core::chinese_class(v1::UNIT_CLASS_CENTRE), "12345中心");
}

TEST(ReportHtml, EveryHeadlineNumberIsTheReportsField) {
  v1::Report r = sample();
  // A utility that handled the district's orders: its city-wide row is not
  // among the district's sums.
  add_unit(r, 100, "自来水集团", v1::UNIT_CLASS_ENTERPRISE, 1, 500, 50);
  r.add_outside_units(100);
  std::string html = core::report_html(r);
  std::size_t begin = html.find("<section id=headline");
  std::size_t end = html.find("</section>", begin);
  ASSERT_NE(end, std::string::npos);
  std::string box = html.substr(begin, end - begin);
  std::int64_t visits = 0, breached = 0;
  for (const v1::UnitRow& u : r.units()) {
    if (u.unit() == 100) continue;
    visits += u.visits();
    breached += u.breached();
  }
  std::map<std::string, std::int64_t> want = {
      {"received", r.received()},  {"previous_received", r.previous_received()},
      {"visits", visits},          {"breached", breached},
      {"groups", r.groups_size()}, {"rising", r.rising_size()}};
  std::regex field(R"re(data-field=(\w+)>(\d+)<)re");
  std::map<std::string, std::int64_t> got;
  for (std::sregex_iterator it(box.begin(), box.end(), field), stop; it != stop; ++it) {
    got[(*it)[1]] = std::stoll((*it)[2]);
  }
  EXPECT_EQ(got, want);
  // No number in the box goes without its field.
  std::regex any_number(R"(>[^<]*\d[^<]*<)");
  std::size_t numbers = std::distance(std::sregex_iterator(box.begin(), box.end(), any_number),
                                      std::sregex_iterator());
  EXPECT_EQ(numbers, want.size());
}

TEST(ReportHtml, TooFewVisitsAreListedApartAndTheLargestGroupsShown) {
  std::string html = core::report_html(sample());
  std::size_t apart = html.find("回访量过少、不参与排名（有效回访少于 10 件）：1 个单位");
  ASSERT_NE(apart, std::string::npos);
  EXPECT_GT(html.find("东风乡"), apart);
  EXPECT_NE(html.find("有效回访少于 10 件的单位单独列出、不参与排名"), std::string::npos);
  // Units to call in: the lowest three of the four ranked streets, lowest
  // first, not 望京 (first) and not the one ranked department.
  std::size_t call_in = html.find("约谈单位");
  std::size_t xiaoguan = html.find("小关街道", call_in),
              jiuxianqiao = html.find("酒仙桥街道", call_in),
              hepingjie = html.find("和平街街道", call_in);
  EXPECT_LT(xiaoguan, jiuxianqiao);
  EXPECT_LT(jiuxianqiao, hepingjie);
  std::size_t streets = html.find("<h3>街道乡镇", call_in);
  EXPECT_LT(hepingjie, streets);
  EXPECT_GT(html.find("区城管委", call_in), streets);
  EXPECT_GT(html.find("望京街道", call_in), streets);
  EXPECT_NE(html.find("本期共 25 组，此处列出最大的 20 组"), std::string::npos);
  // The 21st is not among the largest, only in the full list the page links to.
  std::size_t all = html.find("<h2 id=groups-all>");
  ASSERT_NE(all, std::string::npos);
  EXPECT_NE(html.find("<a href=\"#groups-all\">全部 25 组见附录</a>"), std::string::npos);
  EXPECT_GT(html.find("第二十一组"), all);
  EXPECT_GT(all, html.find("id=rising"));
}

TEST(ReportHtml, TheHeaderStatesThePeriodItsTimeZoneAndWhatItCounts) {
  v1::Report r = sample();
  std::string html = core::report_html(r);
  std::size_t defs = html.find("<section id=definitions");
  ASSERT_NE(defs, std::string::npos);
  EXPECT_LT(defs, html.find("id=headline"));
  for (const char* said :
       {"2021-09-19 00:00 至 2021-09-26 00:00（北京时间 UTC+8，含起点、不含终点）",
        "上期：2021-09-12 00:00 至 2021-09-19 00:00", "含直接答复和不予派单（《条例》第十一条）",
        "不派单的诉求不进入任何单位，也不计入三率", "有效回访少于 10 件的单位单独列出"}) {
    EXPECT_NE(html.find(said, defs), std::string::npos) << said;
  }
  // Every volume chart adds up to the requests received.
  std::regex sum(
      R"re(data-total=(\d+)>以上 \d+ 项 <span data-shown>(\d+)</span> 件(?:，[^<]*<span data-rest>(\d+)</span> 件)?)re");
  int charts = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), sum), stop; it != stop; ++it, ++charts) {
    std::int64_t rest = (*it)[3].matched ? std::stoll((*it)[3]) : 0;
    EXPECT_EQ(std::stoll((*it)[1]), r.received());
    EXPECT_EQ(std::stoll((*it)[2]) + rest, r.received());
  }
  EXPECT_EQ(charts, 4);  // level-1 categories, channels, kinds, streets (the others are empty)
}

TEST(ReportHtml, WithoutAPreviousPeriodThereIsNoChangeToShowAndThePageSaysSo) {
  v1::Report r = sample();
  r.mutable_units(0)->set_previous_rank(3);
  std::string html = core::report_html(r);
  EXPECT_NE(html.find("<th>变化"), std::string::npos);
  EXPECT_NE(html.find("&#9650;2"), std::string::npos);  // 望京 rose from 3 to 1
  EXPECT_NE(html.find("title=上期未参与排名>新"), std::string::npos);
  EXPECT_NE(html.find("data-field=previous_received>16907<"), std::string::npos);

  r.set_previous_empty(true);
  r.set_previous_received(0);
  html = core::report_html(r);
  EXPECT_EQ(html.find("<th>变化"), std::string::npos);
  EXPECT_EQ(html.find("previous_received"), std::string::npos);
  EXPECT_NE(html.find("<b>上期无数据</b>"), std::string::npos);
  EXPECT_NE(html.find("上期无数据，不列排名变化"), std::string::npos);
  EXPECT_EQ(html.find("class=prev"), std::string::npos) << "no previous line in the charts";
}

TEST(ReportHtml, UnitsOfNoDistrictAreMarkedCityWideAndNotCalledIn) {
  v1::Report r = sample();
  for (int rank = 1; rank <= 4; ++rank) {
    add_unit(r, 100 + rank, "自来水集团" + std::to_string(rank), v1::UNIT_CLASS_ENTERPRISE, rank,
             20, 0);
    r.add_outside_units(100 + rank);
  }
  std::string html = core::report_html(r);
  EXPECT_NE(html.find("自来水集团4<span class=tag>全市</span>"), std::string::npos);
  std::size_t call_in = html.find("约谈单位"), table_end = html.find("</table>", call_in);
  EXPECT_EQ(html.substr(call_in, table_end - call_in).find("自来水集团"), std::string::npos);
  EXPECT_NE(html.find("其数字为全市口径"), std::string::npos);
  EXPECT_NE(core::report_csv(r).find(",true\n"), std::string::npos);
}

TEST(ReportHtml, RankingSkipsUnitsWithTooFewVisits) {
  core::UnitScore many, few;
  many.unit = kStreet;
  many.visits = 12;
  many.composite = 0.5;
  few.unit = kStreet2;
  few.visits = 3;
  few.composite = 0.9;
  std::vector<core::UnitScore> now = {many, few};
  std::vector<core::Ranked> all =
      core::rank(now, {}, *core::Policy::beijing(), v1::UNIT_CLASS_STREET);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].score.unit, kStreet2);  // with no minimum, 3 visits top the ranking
  std::vector<core::Ranked> ten =
      core::rank(now, now, *core::Policy::beijing(), v1::UNIT_CLASS_STREET, 10);
  ASSERT_EQ(ten.size(), 1u);
  EXPECT_EQ(ten[0].score.unit, kStreet);
  EXPECT_EQ(ten[0].rank, 1);
  EXPECT_EQ(ten[0].previous_rank, 1);
}

}  // namespace
}  // namespace jszb::testing
