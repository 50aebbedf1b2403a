// Themes (每月一题): which requests belong to one, every refusal naming what
// is wrong and changing nothing, counts before and after the start, the
// cases across units and states, candidates from the rising problems, the
// report's section, and themes surviving a reopen of a durable store.
#include "report/themes.h"

#include <deque>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "report/report.h"
#include "report/report_render.h"
#include "store/sqlite_schema.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

using core::Theme;
using core::ThemeTask;
using ::testing::HasSubstr;

constexpr TimeMs kOct1 = 1633017600000;  // 2021-10-01 00:00 China time
constexpr TimeMs kSep1 = kOct1 - 30 * kDay;
constexpr TimeMs kNov1 = kOct1 + 31 * kDay;
constexpr UnitId kMarket = 110105901;  // 朝阳市场监管局
constexpr UnitId kEducation = 110105903;

Theme prepaid() {
  Theme t;
  t.name = "预付式消费退费难";
  t.start = kOct1;
  t.lead = kMarket;
  t.categories = {"市场管理/预付式消费"};
  t.keywords = {"退费"};
  t.areas = {"朝阳区"};
  return t;
}

// Requests kept alive for the engine (intakes view their strings).
struct Requests {
  std::deque<std::string> refs, texts, streets, cats;
  CaseId add(Engine& e, TimeMs t, const std::string& street, const std::string& cat1,
             const std::string& cat2, const std::string& text, const char* district = "朝阳区") {
    refs.push_back("t-" + std::to_string(refs.size()));
    texts.push_back(text);
    streets.push_back(street);
    cats.push_back(cat1);
    cats.push_back(cat2);
    Intake in = request(refs.back(), t);
    in.location.district = district;
    in.location.street = streets.back();
    in.category = {cats[cats.size() - 2], cats.back(), ""};
    in.content = texts.back();
    absl::StatusOr<core::SubmitResult> r = e.submit(in);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->id : 0;
  }
};

TEST(ThemeMatch, AreaAndEitherCategoryPrefixOrKeyword) {
  Theme t = prepaid();
  Intake in = request("m-1");
  in.location.district = "朝阳区";
  in.location.street = "望京街道";
  in.category = {"市场管理", "预付式消费", "健身卡"};
  in.content = "健身房关门";
  EXPECT_TRUE(core::theme_matches(t, in)) << "the category prefix, by whole levels";
  in.category = {"市场管理", "预付式消费券", ""};
  EXPECT_FALSE(core::theme_matches(t, in)) << "a level is compared whole";
  in.content = "培训机构不给退费";
  EXPECT_TRUE(core::theme_matches(t, in)) << "a keyword in the content";
  in.location.district = "海淀区";
  EXPECT_FALSE(core::theme_matches(t, in)) << "outside the theme's areas";
  t.areas = {"海淀区/中关村街道"};
  in.location.street = "中关村街道";
  EXPECT_TRUE(core::theme_matches(t, in));
  t.areas.clear();
  in.location.district = "西城区";
  EXPECT_TRUE(core::theme_matches(t, in)) << "no areas: the city";
}

class ThemesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine.load_policy(core::Policy::beijing()).ok()); }

  // The refusal leaves the themes as they were.
  void expect_refused(const absl::Status& s, absl::StatusCode code, const std::string& words) {
    EXPECT_EQ(s.code(), code) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(words));
    absl::StatusOr<std::vector<Theme>> now = core::list_themes(engine);
    ASSERT_TRUE(now.ok());
    ASSERT_EQ(now->size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      EXPECT_EQ((*now)[i].name, before[i].name);
      EXPECT_EQ((*now)[i].start, before[i].start);
      EXPECT_EQ((*now)[i].tasks.size(), before[i].tasks.size());
    }
  }
  void snapshot() { before = *core::list_themes(engine); }

  Engine engine;
  Requests requests;
  std::vector<Theme> before;
};

TEST_F(ThemesTest, BadInputIsRefusedByNameAndChangesNothing) {
  absl::StatusOr<core::ThemeId> id = core::define_theme(engine, prepaid(), kOct1);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, 1u);
  ThemeTask task{0, kEducation, "清理培训机构预收费", kOct1 + 20 * kDay};
  ASSERT_TRUE(core::set_theme_task(engine, *id, task, kOct1).ok());
  snapshot();
  auto define = [&](auto change) {
    Theme t = prepaid();
    t.name = "房产证办理难";
    change(t);
    return core::define_theme(engine, t, kOct1).status();
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  const auto kNotFound = absl::StatusCode::kNotFound;
  expect_refused(define([](Theme& t) { t.name = ""; }), kInvalid, "name is empty");
  expect_refused(define([](Theme& t) { t.name = "预付式消费退费难"; }), kInvalid,
                 "is taken by theme 1");
  expect_refused(define([](Theme& t) { t.name = "\xff\xfe"; }), kInvalid, "not valid UTF-8");
  expect_refused(define([](Theme& t) { t.keywords = {"退\n费"}; }), kInvalid, "control character");
  expect_refused(define([](Theme& t) { t.lead = 999; }), kNotFound, "lead_unit 999");
  expect_refused(define([](Theme& t) { t.lead = 0; }), kInvalid, "lead_unit is 0");
  expect_refused(define([](Theme& t) { t.areas = {"朝阳"}; }), kNotFound, "\"朝阳\"");
  expect_refused(define([](Theme& t) { t.areas = {"朝阳区/中关村街道"}; }), kNotFound,
                 "not a street or township of 朝阳区");
  expect_refused(define([](Theme& t) { t.areas = {"朝阳区/望京街道/x"}; }), kInvalid,
                 "district/street");
  expect_refused(define([](Theme& t) { t.categories = {"a/b/c/d"}; }), kInvalid, "1 to 3");
  expect_refused(define([](Theme& t) { t.categories = {"a//b"}; }), kInvalid, "1 to 3");
  expect_refused(define([](Theme& t) { t.keywords = {"x", "x"}; }), kInvalid, "given twice");
  expect_refused(define([](Theme& t) {
                   t.categories.clear();
                   t.keywords.clear();
                 }),
                 kInvalid, "neither categories nor keywords");
  expect_refused(define([](Theme& t) { t.id = 7; }), kNotFound, "theme 7 does not exist");
  // Redefining the start past a task's due time.
  Theme later = prepaid();
  later.id = *id;
  later.start = kNov1;
  expect_refused(core::define_theme(engine, later, kOct1).status(), kInvalid, "after the due time");
  // Tasks.
  ThemeTask bad = task;
  bad.due = kOct1 - kDay;
  expect_refused(core::set_theme_task(engine, *id, bad, kOct1).status(), kInvalid,
                 "before the start");
  bad = task;
  bad.owner = 4242;
  expect_refused(core::set_theme_task(engine, *id, bad, kOct1).status(), kNotFound,
                 "owner_unit 4242");
  bad = task;
  bad.title = "";
  expect_refused(core::set_theme_task(engine, *id, bad, kOct1).status(), kInvalid,
                 "title is empty");
  expect_refused(core::set_theme_task(engine, 9, task, kOct1).status(), kNotFound,
                 "theme 9 does not exist");
  bad = task;
  bad.id = 5;
  expect_refused(core::set_theme_task(engine, *id, bad, kOct1).status(), kNotFound, "no task 5");
  expect_refused(core::remove_theme(engine, 9, kOct1), kNotFound, "theme 9");
  expect_refused(core::set_theme_task(engine, *id, task, -kOct1).status(), kInvalid, "time_ms");
  // Not inside a batch: a theme change is durable on its own.
  ASSERT_TRUE(engine.begin().ok());
  expect_refused(define([](Theme&) {}), absl::StatusCode::kFailedPrecondition, "batch");
  engine.rollback();
  // Without a policy, no unit is known.
  Engine bare;
  absl::Status none = core::define_theme(bare, prepaid(), kOct1).status();
  EXPECT_EQ(none.code(), kNotFound);
  EXPECT_THAT(std::string(none.message()), HasSubstr("no policy is loaded"));
}

TEST_F(ThemesTest, TasksRecordWhenTheyAreDone) {
  core::ThemeId id = *core::define_theme(engine, prepaid(), kOct1);
  ThemeTask a{0, kEducation, "约谈培训机构", kOct1 + 10 * kDay};
  ThemeTask b{0, kMarket, "建立预付费资金监管", kOct1 + 40 * kDay};
  EXPECT_EQ(*core::set_theme_task(engine, id, a, kOct1), 1u);
  EXPECT_EQ(*core::set_theme_task(engine, id, b, kOct1), 2u);
  a.id = 1;
  a.state = core::TaskState::kDone;
  ASSERT_TRUE(core::set_theme_task(engine, id, a, kOct1 + 5 * kDay).ok());
  ASSERT_TRUE(core::set_theme_task(engine, id, a, kOct1 + 6 * kDay).ok());  // stays done
  Theme t = *core::find_theme(engine, id);
  ASSERT_EQ(t.tasks.size(), 2u);
  EXPECT_EQ(t.tasks[0].state, core::TaskState::kDone);
  EXPECT_EQ(t.tasks[0].done, kOct1 + 5 * kDay) << "kept from when it was first marked done";
  EXPECT_EQ(t.tasks[1].done, 0);
  a.state = core::TaskState::kOpen;
  ASSERT_TRUE(core::set_theme_task(engine, id, a, kOct1 + 7 * kDay).ok());
  EXPECT_EQ(core::find_theme(engine, id)->tasks[0].done, 0) << "reopened";
  // Removed, its id is not given out again.
  ASSERT_TRUE(core::remove_theme(engine, id, kOct1).ok());
  EXPECT_EQ(core::find_theme(engine, id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*core::define_theme(engine, prepaid(), kOct1), 2u);
}

TEST_F(ThemesTest, CountsBeforeAndAfterTheStartAndListsEveryCase) {
  core::ThemeId id = *core::define_theme(engine, prepaid(), kOct1);
  std::vector<CaseId> mine;
  // September: 2 by category, 1 by keyword; October: 5; November: 1.
  mine.push_back(
      requests.add(engine, kSep1 + kDay, "望京街道", "市场管理", "预付式消费", "健身卡"));
  mine.push_back(
      requests.add(engine, kSep1 + 2 * kDay, "和平街街道", "市场管理", "预付式消费", "美容卡"));
  mine.push_back(
      requests.add(engine, kSep1 + 3 * kDay, "望京街道", "教育", "校外培训", "培训机构不给退费"));
  for (int i = 0; i < 5; ++i) {
    mine.push_back(requests.add(engine, kOct1 + i * kDay, "望京街道", "教育", "校外培训",
                                "要求退费" + std::to_string(i)));
  }
  mine.push_back(requests.add(engine, kNov1 + kHour, "望京街道", "市场管理", "预付式消费", "x"));
  // Not the theme's: another category and words, another district.
  requests.add(engine, kOct1 + kHour, "望京街道", "城乡建设", "施工扰民", "夜间施工");
  requests.add(engine, kOct1 + kHour, "中关村街道", "市场管理", "预付式消费", "退费", "海淀区");
  // Across units and states: dispatch one to a street, close another.
  must(engine, good_command(CommandKind::kDispatch, *engine.find(mine[3]), kOct1 + kDay));

  core::TrendOptions o;
  o.before = 2;
  o.after = 3;
  absl::StatusOr<std::vector<core::PeriodCount>> trend = core::theme_trend(engine, id, o);
  ASSERT_TRUE(trend.ok()) << trend.status();
  ASSERT_EQ(trend->size(), 5u);
  std::vector<std::int64_t> counts;
  for (const core::PeriodCount& c : *trend) counts.push_back(c.received);
  EXPECT_THAT(counts, ::testing::ElementsAre(0, 3, 5, 1, 0));
  EXPECT_EQ((*trend)[2].from, kOct1);
  EXPECT_EQ((*trend)[2].offset, 0);
  EXPECT_EQ((*trend)[1].until, kOct1);

  absl::StatusOr<std::vector<CaseId>> cases = core::theme_cases(engine, id, 0, 0);
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(*cases, mine);
  EXPECT_EQ(core::theme_cases(engine, id, kOct1, kNov1)->size(), 5u);
  EXPECT_TRUE(core::theme_cases(engine, id, 0, 0, "海淀区")->empty()) << "not in its areas";

  // Weeks and assessment months: the start's period holds it.
  o.period = core::ThemePeriod::kWeek;  // 2021-10-01 is a Friday
  o.before = 0;
  o.after = 1;
  EXPECT_EQ(core::theme_trend(engine, id, o)->front().from, kOct1 - 4 * kDay);
  o.period = core::ThemePeriod::kAssessmentMonth;
  EXPECT_EQ(core::theme_trend(engine, id, o)->front().from, kOct1 - 12 * kDay);  // 09-19
  o.before = -1;
  EXPECT_EQ(core::theme_trend(engine, id, o).status().code(), absl::StatusCode::kInvalidArgument);
  o.before = 0;
  o.district = "朝阳";
  EXPECT_EQ(core::theme_trend(engine, id, o).status().code(), absl::StatusCode::kNotFound);
}

// Every one of 4 days before holds 2 requests of a category in 朝阳区; the
// day itself 15: a rise, offered as a candidate until a theme covers it.
TEST_F(ThemesTest, RisingProblemsNoThemeCoversAreCandidates) {
  for (int d = 1; d <= 4; ++d) {
    for (int i = 0; i < 2; ++i) {
      requests.add(engine, kOct1 - d * kDay + i * kHour, "望京街道", "市场管理", "预付式消费",
                   "卡");
    }
  }
  for (int i = 0; i < 15; ++i) {
    requests.add(engine, kOct1 + i * kMinute, "望京街道", "市场管理", "预付式消费", "卡");
  }
  core::RisingOptions o;
  o.from = kOct1;
  o.until = kOct1 + kDay;
  absl::StatusOr<std::vector<v1::RisingRow>> c = core::theme_candidates(engine, o);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ(c->front().category(), "市场管理/预付式消费");
  // A theme elsewhere, or narrower than the category, covers nothing.
  Theme haidian = prepaid();
  haidian.areas = {"海淀区"};
  ASSERT_TRUE(core::define_theme(engine, haidian, kOct1).ok());
  Theme street = prepaid();
  street.name = "望京预付卡";
  street.areas = {"朝阳区/望京街道"};
  ASSERT_TRUE(core::define_theme(engine, street, kOct1).ok());
  EXPECT_EQ(core::theme_candidates(engine, o)->size(), 1u);
  Theme city = prepaid();
  city.name = "全市市场管理";
  city.categories = {"市场管理"};
  city.areas.clear();
  ASSERT_TRUE(core::define_theme(engine, city, kOct1).ok());
  EXPECT_TRUE(core::theme_candidates(engine, o)->empty()) << "a city-wide parent category";
  o.until = kOct1 + kDay + 1;
  EXPECT_EQ(core::theme_candidates(engine, o).status().code(), absl::StatusCode::kInvalidArgument);

  // The report: each theme with its counts and trend, and no candidate left.
  core::ReportOptions r;
  r.from = kOct1;
  r.until = kOct1 + kDay;
  absl::StatusOr<v1::Report> report = core::build_report(engine, r);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->themes_size(), 3);
  EXPECT_EQ(report->rising_size(), 1);
  EXPECT_EQ(report->theme_candidates_size(), 0);
  const v1::ThemeRow& wangjing = report->themes(1);
  EXPECT_EQ(wangjing.name(), "望京预付卡");
  EXPECT_EQ(wangjing.count(), 15);
  EXPECT_EQ(wangjing.previous(), 2);
  EXPECT_EQ(wangjing.lead_name(), "朝阳市场监管局");
  ASSERT_EQ(wangjing.trend_size(), 4);  // 3 months before, the start's month
  EXPECT_EQ(wangjing.trend(3).count(), 15);
  EXPECT_EQ(wangjing.trend(2).count(), 8);
  // A district's report leaves out the themes of other districts.
  r.district = "海淀区";
  absl::StatusOr<v1::Report> haidian_report = core::build_report(engine, r);
  ASSERT_TRUE(haidian_report.ok()) << haidian_report.status();
  ASSERT_EQ(haidian_report->themes_size(), 2) << "海淀区's own and the city-wide one";
  EXPECT_EQ(haidian_report->themes(0).name(), "预付式消费退费难");
  EXPECT_EQ(haidian_report->themes(1).name(), "全市市场管理");
}

TEST_F(ThemesTest, ReportShowsTasksInCsvAndHtml) {
  core::ThemeId id = *core::define_theme(engine, prepaid(), kOct1);
  ThemeTask late{0, kEducation, "约谈<培训>机构", kOct1 + kHour};
  ASSERT_TRUE(core::set_theme_task(engine, id, late, kOct1).ok());
  requests.add(engine, kOct1 + 2 * kHour, "望京街道", "教育", "校外培训", "退费难");
  core::ReportOptions r;
  r.from = kOct1;
  r.until = kOct1 + kDay;
  absl::StatusOr<v1::Report> report = core::build_report(engine, r);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->themes_size(), 1);
  EXPECT_EQ(report->themes(0).count(), 1);
  EXPECT_EQ(report->themes(0).overdue_tasks(), 1);
  EXPECT_TRUE(report->themes(0).tasks(0).overdue());
  std::string csv = core::report_csv(*report);
  EXPECT_THAT(csv, HasSubstr("# themes\n"));
  EXPECT_THAT(csv, HasSubstr("# theme_tasks\n"));
  EXPECT_THAT(csv, HasSubstr("约谈<培训>机构"));
  std::string html = core::report_html(*report);
  EXPECT_THAT(html, HasSubstr("<h2 id=themes>每月一题</h2>"));
  EXPECT_THAT(html, HasSubstr("预付式消费退费难"));
  EXPECT_THAT(html, HasSubstr("已超期"));
  EXPECT_THAT(html, HasSubstr("约谈&lt;培训&gt;机构"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<培训>")));
}

TEST(ThemesStore, SurviveAReopenAndAreRecorded) {
  ScratchDir dir;
  std::string path = dir.file("themes.jszb");
  core::ThemeId id = 0;
  CaseId closed = 0;  // a finished case stays in the store, not in memory
  {
    core::DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    id = *core::define_theme(*d.engine, prepaid(), kOct1);
    ThemeTask task{0, kEducation, "约谈培训机构", kOct1 + 10 * kDay};
    ASSERT_TRUE(core::set_theme_task(*d.engine, id, task, kOct1).ok());
    task.id = 1;
    task.state = core::TaskState::kDone;
    ASSERT_TRUE(core::set_theme_task(*d.engine, id, task, kOct1 + kDay).ok());
    Theme gone = prepaid();
    gone.name = "临时";
    core::ThemeId removed = *core::define_theme(*d.engine, gone, kOct1);
    ASSERT_TRUE(core::remove_theme(*d.engine, removed, kOct1 + kDay).ok());
    closed = case_in_state(*d.engine, State::kClosed, "closed-1");
    ASSERT_TRUE(d.engine->begin().ok());
    EXPECT_EQ(core::define_theme(*d.engine, gone, kOct1).status().code(),
              absl::StatusCode::kFailedPrecondition);
    d.engine->rollback();
  }
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM theme_changes"), 5);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM themes"), 1);
  core::DurableEngine d = open_ok(path);
  absl::StatusOr<std::vector<Theme>> themes = core::list_themes(*d.engine);
  ASSERT_TRUE(themes.ok()) << themes.status();
  ASSERT_EQ(themes->size(), 1u);
  const Theme& t = themes->front();
  EXPECT_EQ(t.name, "预付式消费退费难");
  EXPECT_EQ(t.start, kOct1);
  EXPECT_EQ(t.lead, kMarket);
  EXPECT_EQ(t.categories, std::vector<std::string>{"市场管理/预付式消费"});
  EXPECT_EQ(t.keywords, std::vector<std::string>{"退费"});
  EXPECT_EQ(t.areas, std::vector<std::string>{"朝阳区"});
  ASSERT_EQ(t.tasks.size(), 1u);
  EXPECT_EQ(t.tasks[0].title, "约谈培训机构");
  EXPECT_EQ(t.tasks[0].state, core::TaskState::kDone);
  EXPECT_EQ(t.tasks[0].done, kOct1 + kDay);
  // Ids go on after the removed one; cases are found in the store too.
  Theme next = prepaid();
  next.name = "房产证办理难";
  next.categories = {"住房", "城乡建设/房产证"};
  next.keywords.clear();
  EXPECT_EQ(*core::define_theme(*d.engine, next, kOct1), 3u);
  Requests requests;
  CaseId a = requests.add(*d.engine, kOct1 + kHour, "望京街道", "城乡建设", "房产证", "办证难");
  CaseId noisy = requests.add(*d.engine, kOct1 + kHour, "望京街道", "城乡建设", "施工扰民", "噪音");
  EXPECT_EQ(*core::theme_cases(*d.engine, 3, 0, 0), std::vector<CaseId>{a});
  EXPECT_EQ(*core::theme_cases(*d.engine, id, 0, 0), std::vector<CaseId>());
  // A keyword theme reads the content of the closed case from the store,
  // without loading the case into the engine.
  Theme noise = prepaid();
  noise.name = "夜间施工扰民";
  noise.categories.clear();
  noise.keywords = {"噪音"};
  core::ThemeId noise_id = *core::define_theme(*d.engine, noise, kOct1);
  std::size_t in_memory = d.engine->case_count();
  EXPECT_EQ(*core::theme_cases(*d.engine, noise_id, 0, 0), (std::vector<CaseId>{closed, noisy}));
  EXPECT_EQ(d.engine->case_count(), in_memory);
}

// A store of schema 5 (no themes) migrates to 6 on a writable open and keeps
// what it had.
TEST(ThemesStore, ASchema5StoreGainsThemes) {
  ScratchDir dir;
  std::string path = dir.file("v5.jszb");
  {
    core::DurableEngine d = open_ok(path);
    submit(*d.engine, "v5-1");
  }
  raw_sql(path,
          "DROP TABLE themes; DROP TABLE theme_tasks; DROP TABLE theme_changes; "
          "PRAGMA user_version = 5;");
  core::DurableEngine d = open_ok(path);
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
  EXPECT_EQ(d.engine->event_count(), 1u);
  ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
  EXPECT_EQ(*core::define_theme(*d.engine, prepaid(), kOct1), 1u);
}

}  // namespace
}  // namespace jszb::testing
