// The header-only C++ wrapper, linked against the shared library only: what a
// C++ integrator sees.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "jszb/jszb.hpp"

namespace {

constexpr jszb::TimeMs kT0 = 1632009600000;
constexpr jszb::TimeMs kMinute = 60000;
constexpr jszb::UnitId kStreet = 110105007;
constexpr jszb::UnitId kDistrict = 110105;

jszb::Request request(const std::string& ref) {
  jszb::Request r;
  r.time = kT0;
  r.channel_ref = ref;
  r.kind = jszb::Kind::kComplaint;
  r.category = {"市场管理", "预付式消费", "退费难"};
  r.district = "朝阳区";
  r.street = "和平街街道";
  r.point = std::make_pair(39.97, 116.42);
  r.content = "健身房关门跑路，预付卡无法退费";
  r.contact_phone = "13700000000";
  return r;
}

TEST(Wrapper, DrivesACaseFromIntakeToClose) {
  jszb::Engine e;
  std::vector<int> seen;
  e.add_listener([&seen](const jszb_event& ev) { seen.push_back(ev.type); });
  bool created = false;
  jszb::CaseId id = e.submit(request("w-1"), &created);
  EXPECT_TRUE(created);
  auto t = [](int minutes) { return kT0 + minutes * kMinute; };
  e.apply(jszb::Command::dispatch(id, t(5), jszb::dispatcher_actor(7), kStreet, {kDistrict}));
  e.apply(jszb::Command::make(jszb::CommandKind::kSign, id, t(30), jszb::unit_actor(kStreet)));
  e.apply(jszb::Command::reply(id, t(600), jszb::unit_actor(kStreet), true, true, "已协调退费"));
  e.apply(jszb::Command::visit(id, t(700), jszb::operator_actor(3), true, true,
                               jszb::Satisfaction::kBasicallySatisfied));
  e.apply(jszb::Command::make(jszb::CommandKind::kClose, id, t(701), jszb::operator_actor(3)));

  jszb::CaseSnapshot c = e.get(id);
  EXPECT_EQ(c.state(), jszb::State::kClosed);
  EXPECT_EQ(c.lead_unit(), kStreet);
  EXPECT_EQ(c.event_count(), 6u);
  EXPECT_EQ(c.info().visit_satisfaction, JSZB_BASICALLY_SATISFIED);
  EXPECT_EQ(c.info().intake->has_point, 1);
  EXPECT_DOUBLE_EQ(c.info().intake->lat, 39.97);
  EXPECT_EQ(std::string(c.event(3).payload->text), "已协调退费");
  EXPECT_EQ(seen, (std::vector<int>{JSZB_EVENT_SUBMITTED, JSZB_EVENT_DISPATCHED, JSZB_EVENT_SIGNED,
                                    JSZB_EVENT_REPLIED, JSZB_EVENT_VISITED, JSZB_EVENT_CLOSED}));
  std::string json = c.to_json();
  EXPECT_NE(json.find("\"STATE_CLOSED\""), std::string::npos) << json;
  EXPECT_NE(json.find("退费难"), std::string::npos) << json;
  EXPECT_EQ(e.list(jszb::State::kClosed), std::vector<jszb::CaseId>{id});
  EXPECT_EQ(jszb::name(c.state()), "closed");
  // The visit counts for the street, basically satisfied, in its assessment month.
  const jszb::TimeMs from = 1631980800000, until = from + 30 * 24 * 60 * kMinute;
  std::vector<jszb_unit_order> orders =
      e.unit_orders(kStreet, from, until, JSZB_FIGURE_BASICALLY_SATISFIED);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].case_id, id);
  EXPECT_EQ(orders[0].time_ms, t(700));
  EXPECT_EQ(orders.size(), e.assess(from, until).at(0).basically_satisfied);
  EXPECT_TRUE(e.unit_orders(kStreet, from, until, JSZB_FIGURE_NOT_SOLVED).empty());
  EXPECT_THROW(e.unit_orders(kStreet, until, from, JSZB_FIGURE_VISITS), jszb::Error);
  EXPECT_THROW(e.unit_orders(kStreet, from, until, 99), jszb::Error);
}

TEST(Wrapper, RefusalsThrowTypedErrors) {
  jszb::Engine e;
  jszb::CaseId id = e.submit(request("w-2"));
  try {
    e.apply(jszb::Command::make(jszb::CommandKind::kSign, id, kT0 + kMinute,
                                jszb::unit_actor(kStreet)));
    FAIL() << "signing an undispatched case must throw";
  } catch (const jszb::Error& err) {
    EXPECT_EQ(err.code(), JSZB_E_STATE);
    EXPECT_EQ(err.state(), jszb::State::kReceived);
    EXPECT_EQ(err.command(), jszb::CommandKind::kSign);
    EXPECT_EQ(err.refusal(), jszb::Refusal::kState);
    EXPECT_NE(std::string(err.what()).find("received"), std::string::npos) << err.what();
  }
  EXPECT_EQ(e.try_apply(jszb::Command::dispatch(id, kT0, jszb::unit_actor(kStreet), kStreet)),
            JSZB_E_DENIED);
  EXPECT_THROW(e.get(999), jszb::Error);
  jszb::Request bad = request("w-3");
  bad.content.clear();
  EXPECT_THROW(e.submit(bad), jszb::Error);
  EXPECT_EQ(e.case_count(), 1u);
  EXPECT_EQ(e.get(id).event_count(), 1u);
}

TEST(Wrapper, AppliesManyWithAResultEach) {
  jszb::Engine e;
  jszb::CaseId id = e.submit(request("w-many"));
  auto sign = jszb::Command::make(jszb::CommandKind::kSign, id, kT0 + 2 * kMinute,
                                  jszb::unit_actor(kStreet));
  std::vector<jszb::Command> cmds = {
      sign,  // not dispatched yet: refused
      jszb::Command::dispatch(id, kT0 + kMinute, jszb::dispatcher_actor(7), kStreet, {kDistrict}),
      sign};
  EXPECT_EQ(e.apply_many(cmds), (std::vector<int>{JSZB_E_STATE, JSZB_OK, JSZB_OK}));
  EXPECT_EQ(std::string(jszb_error_last()->message).rfind("commands[0]: ", 0), 0u);
  EXPECT_EQ(e.get(id).event_count(), 3u);
  EXPECT_TRUE(e.apply_many({}).empty());
}

}  // namespace

namespace {

TEST(Wrapper, RoutesByPolicyAndRunsTheClock) {
  jszb::Engine e;
  jszb::Policy p = jszb::Policy::beijing();
  EXPECT_EQ(p.name(), "beijing");
  EXPECT_TRUE(p.is_working_day(2024, 2, 18));   // a make-up Sunday
  EXPECT_FALSE(p.is_working_day(2024, 2, 12));  // Spring Festival
  e.set_policy(p);
  jszb::CaseId id = e.submit(request("w-route"));
  jszb::Route r = e.route(id);
  EXPECT_EQ(r.outcome, JSZB_ROUTE_DISPATCH);
  // A prepaid-card refund in 和平街街道 goes straight to the street (直派街乡),
  // copied to 朝阳区; the street whistles for the market regulator if need be.
  EXPECT_EQ(r.lead, kStreet);
  EXPECT_EQ(r.rule, "street-first");
  EXPECT_EQ(r.copy_to, std::vector<jszb::UnitId>{kDistrict});
  EXPECT_FALSE(r.verdicts.empty());
  e.dispatch_routed(id, kT0 + kMinute, jszb::dispatcher_actor());
  EXPECT_EQ(e.get(id).lead_unit(), kStreet);
  EXPECT_EQ(e.deadlines(id, kT0 + kMinute).size(), 2u);  // sign and reply
  EXPECT_EQ(e.timers_pending(), 1u);
  e.advance(kT0 + 2 * 60 * kMinute);  // not signed within the hour
  EXPECT_EQ(e.get(id).state(), jszb::State::kReceived);
  EXPECT_THROW(jszb::Policy::load("name: \"x\""), jszb::Error);
  // Its deadlines are not estimated (2024): adopting the version moves nothing.
  EXPECT_EQ(e.adopt_schedule(p.version(), kT0 + 3 * 60 * kMinute), 0u);
  EXPECT_THROW(e.adopt_schedule(12345, kT0 + 3 * 60 * kMinute), jszb::Error);
}

}  // namespace

namespace {

// 每月一题 through the C++ face: a theme and a task, read back, its cases,
// its trend around its start, and refusals as jszb::Error.
TEST(Wrapper, Themes) {
  jszb::Engine e;
  e.set_policy(jszb::Policy::beijing());
  jszb::CaseId refund = e.submit(request("w-theme-1"));
  jszb::Theme t;
  t.name = "预付式消费退费难";
  t.start = kT0 - (8 + 18 * 24) * 60 * kMinute;  // 2021-09-01 00:00 China time
  t.lead = 110105901;                            // 朝阳市场监管局
  t.categories = {"市场管理/预付式消费"};
  t.keywords = {"退费"};
  t.areas = {"朝阳区"};
  std::uint64_t id = e.define_theme(t, kT0);
  EXPECT_EQ(id, 1u);
  std::uint32_t task = e.set_theme_task(id, {0, 110105903, "约谈培训机构", kT0 + kMinute}, kT0);
  e.set_theme_task(id, {task, 110105903, "约谈培训机构", kT0 + kMinute, jszb::TaskState::kDone},
                   kT0 + 2 * kMinute);
  std::vector<jszb::Theme> themes = e.themes();
  ASSERT_EQ(themes.size(), 1u);
  EXPECT_EQ(themes[0].name, t.name);
  EXPECT_EQ(themes[0].areas, t.areas);
  ASSERT_EQ(themes[0].tasks.size(), 1u);
  EXPECT_EQ(themes[0].tasks[0].state, jszb::TaskState::kDone);
  EXPECT_EQ(themes[0].tasks[0].done, kT0 + 2 * kMinute);
  EXPECT_EQ(e.theme_cases(id), std::vector<jszb::CaseId>{refund});
  std::vector<jszb_theme_count> trend = e.theme_trend(id, jszb::ThemePeriod::kMonth, 1, 1);
  ASSERT_EQ(trend.size(), 2u);
  EXPECT_EQ(trend[1].received, 1u);
  EXPECT_EQ(trend[1].from_ms, t.start);
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  o.from_ms = kT0 - 8 * 60 * kMinute;  // 2021-09-19 00:00 China time
  o.until_ms = o.from_ms + 24 * 60 * kMinute;
  EXPECT_TRUE(e.theme_candidates(o).empty());
  try {
    e.define_theme(t, kT0);
    FAIL() << "a second theme of the same name";
  } catch (const jszb::Error& err) {
    EXPECT_EQ(err.code(), JSZB_E_INVALID);
    EXPECT_NE(std::string(err.what()).find("taken"), std::string::npos);
  }
  EXPECT_THROW(e.remove_theme(9, kT0), jszb::Error);
  e.remove_theme(id, kT0);
  EXPECT_TRUE(e.themes().empty());
}

}  // namespace

namespace {

// Export streams in pieces; an import of it into a fresh engine gives the
// same export; a bad line refuses the import with its line number.
TEST(Wrapper, ExportsAndImportsJsonLines) {
  jszb::Engine a;
  jszb::CaseId id = a.submit(request("w-x"));
  a.apply(jszb::Command::dispatch(id, kT0 + kMinute, jszb::dispatcher_actor(7), kStreet, {}));
  jszb_export_options out = JSZB_EXPORT_OPTIONS_INIT;
  out.format = JSZB_EXPORT_JSONL;
  out.with_personal = 1;
  std::string first;
  a.export_to(out, [&first](std::string_view piece) { first += piece; });
  EXPECT_NE(first.find("\"13700000000\""), std::string::npos) << first;

  jszb::Engine b;
  jszb_import_options in = JSZB_IMPORT_OPTIONS_INIT;
  in.format = JSZB_EXPORT_JSONL;
  jszb::Engine::ImportOutcome done = b.import_from(in, first);
  EXPECT_FALSE(done.refused);
  EXPECT_EQ(done.imported, 1u);
  std::string second;
  b.export_to(out, [&second](std::string_view piece) { second += piece; });
  EXPECT_EQ(first, second);

  jszb::Engine c;
  jszb::Engine::ImportOutcome refused =
      c.import_from(in, first + "{\"record\":\"case\",\"id\":\"x\"}\n");
  EXPECT_TRUE(refused.refused);
  ASSERT_EQ(refused.bad.size(), 1u);
  EXPECT_EQ(refused.bad[0].first, 4u);
  EXPECT_EQ(c.case_count(), 0u);
  EXPECT_THROW(a.export_to(out, [](std::string_view) { throw std::runtime_error("full"); }),
               std::runtime_error);
}

}  // namespace
