// The header-only C++ wrapper, linked against the shared library only: what a
// C++ integrator sees.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "jszb/jszb.hpp"
#include "jszb/what_if.hpp"

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

TEST(Wrapper, BackupStatsMetricsAndLog) {
  char dir[] = "/tmp/jszb-wrapper-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string store = std::string(dir) + "/s.jszb", copy = std::string(dir) + "/c.jszb";
  std::vector<std::string> heard;
  jszb::set_log(
      [](void* user, int, const char* message) {
        static_cast<std::vector<std::string>*>(user)->push_back(message);
      },
      &heard, JSZB_LOG_INFO);
  {
    jszb::Engine e = jszb::Engine::open_store(store);
    e.submit(request("o-1"));
    e.submit(request("o-2"));
    jszb_store_stats stats = e.store_stats();
    EXPECT_EQ(stats.cases, 2u);
    EXPECT_EQ(stats.cases_by_state[JSZB_STATE_RECEIVED], 2u);
    jszb_metrics m = e.metrics();
    EXPECT_EQ(m.events_applied, 2u);
    EXPECT_EQ(m.commits, 2u);
    EXPECT_NE(e.metrics_prometheus().find("jszb_commits_total 2\n"), std::string::npos);
    e.backup(copy);
    EXPECT_THROW(e.backup(copy), jszb::Error);  // it exists now
  }
  jszb::set_log(nullptr, nullptr, JSZB_LOG_OFF);
  bool told = false;
  for (const std::string& m : heard) told = told || m.find("backup of") != std::string::npos;
  EXPECT_TRUE(told);
  EXPECT_THROW(jszb::backup(store, copy), jszb::Error);
  jszb::backup(store, copy + "2");
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  ro.read_only = 1;
  EXPECT_EQ(jszb::Engine::open_store(copy + "2", ro).store_stats().cases, 2u);
  std::filesystem::remove_all(dir);
}

}  // namespace

namespace {

// Open311 GeoReport v2 through the C++ face: services, a POST, the request
// read back without the contact, and a file of requests imported.
TEST(Wrapper, Open311) {
  jszb::Policy p = jszb::Policy::beijing();
  EXPECT_NE(jszb::open311_services(p, JSZB_OPEN311_XML).find("<service_code>公共服务/供水<"),
            std::string::npos);
  jszb::Engine e;
  e.set_policy(p);
  jszb::CaseId id = e.open311_submit(
      R"({"service_code":"公共服务/供水","lat":39.92,"long":116.44,"description":"停水",)"
      R"("phone":"13700000000"})",
      JSZB_OPEN311_CONTENT_JSON, kT0);
  jszb_open311_query q = JSZB_OPEN311_QUERY_INIT;
  q.case_id = id;
  std::string json = e.open311_requests(q, JSZB_OPEN311_JSON);
  EXPECT_NE(json.find("\"status\":\"open\""), std::string::npos);
  EXPECT_EQ(json.find("13700000000"), std::string::npos);
  EXPECT_THROW(e.open311_submit("service_code=x", JSZB_OPEN311_CONTENT_FORM, kT0), jszb::Error);

  jszb::Engine other;
  jszb::Engine::Open311Import r = other.open311_import(json, JSZB_OPEN311_JSON, false);
  EXPECT_EQ(r.imported, 1u);
  EXPECT_TRUE(r.bad.empty());
  r = other.open311_import("[{}]", JSZB_OPEN311_JSON, true);
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_EQ(r.bad[0].first, 1u);
}

}  // namespace

namespace {

// A store of three cases under the built-in policy, replayed through the
// wrapper: the same assessment comes back; the progress callback is told, and
// an exception it throws stops the replay and reaches the caller.
TEST(Wrapper, WhatIfReplaysAStore) {
  std::string path = ::testing::TempDir() + "wrapper-what-if.jszb";
  auto remove_store = [&path] {
    for (const char* suffix : {"", "-wal", "-shm", "-lsn"}) std::remove((path + suffix).c_str());
  };
  remove_store();
  jszb::Policy beijing = jszb::Policy::beijing();
  const jszb::TimeMs from = 1631980800000, until = from + 30 * 24 * 60 * kMinute;
  std::vector<jszb_unit_score> live;
  {
    jszb::Engine e = jszb::Engine::open_store(path);
    e.set_policy(beijing);
    for (int i = 0; i < 3; ++i) {
      jszb::CaseId id = e.submit(request("wi-" + std::to_string(i)));
      auto t = [](int minutes) { return kT0 + minutes * kMinute; };
      e.apply(jszb::Command::dispatch(id, t(5), jszb::dispatcher_actor(7), kStreet));
      e.apply(jszb::Command::make(jszb::CommandKind::kSign, id, t(30), jszb::unit_actor(kStreet)));
      e.apply(jszb::Command::reply(id, t(600), jszb::unit_actor(kStreet), true, true, "已处理"));
      e.apply(jszb::Command::visit(id, t(700), jszb::operator_actor(3), true, i > 0,
                                   jszb::Satisfaction::kSatisfied));
    }
    live = e.assess(from, until);
  }
  std::uint64_t told = 0;
  jszb::WhatIfOptions o;
  o.progress_every = 4;
  o.progress = [&told](std::uint64_t done, std::uint64_t total) {
    ++told;
    return done <= total;
  };
  jszb::WhatIf r = jszb::what_if(path, beijing, o);
  EXPECT_EQ(r.result.counts.submissions, 3u);
  EXPECT_EQ(r.result.counts.commands_skipped, 0u);
  EXPECT_EQ(told, r.result.counts.events_read / 4 + 1);
  std::vector<jszb_unit_score> replayed = r.engine.assess(from, until);
  ASSERT_EQ(replayed.size(), live.size());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(replayed[0].visits, 3u);
  EXPECT_EQ(replayed[0].solved, live[0].solved);
  EXPECT_EQ(replayed[0].resolution, live[0].resolution);
  EXPECT_EQ(r.engine.case_count(), 3u);  // visited, not closed: still open

  o.progress = [](std::uint64_t, std::uint64_t) -> bool { throw std::runtime_error("enough"); };
  EXPECT_THROW(jszb::what_if(path, beijing, o), std::runtime_error);
  o.progress = [](std::uint64_t, std::uint64_t) { return false; };
  try {
    jszb::what_if(path, beijing, o);
    ADD_FAILURE() << "a progress callback returning false did not stop the replay";
  } catch (const jszb::Error& e) {
    EXPECT_EQ(e.code(), JSZB_E_CANCELLED);
  }
  remove_store();
}

}  // namespace

namespace {

// The wrapper's face of the rest of the C ABI: names, periods, the calendar
// and units, bulk submission, events moved between engines, a router of the
// caller's, and a durable store's verify, erasure and purge.
TEST(Wrapper, CoversTheRestOfTheAbi) {
  EXPECT_EQ(jszb::library_version(), JSZB_VERSION_STRING);
  EXPECT_EQ(jszb::library_version_number(), JSZB_VERSION_NUMBER);
  EXPECT_EQ(jszb::name(jszb::Kind::kComplaint), "complaint");
  EXPECT_EQ(jszb::name(jszb::Refusal::kState), "state");
  EXPECT_EQ(jszb::code_name(JSZB_E_CANCELLED), "cancelled");
  EXPECT_EQ(jszb::code_name(12345), "");
  EXPECT_EQ(jszb::bulletin_day(2021, 9, 19).second - jszb::bulletin_day(2021, 9, 19).first,
            24 * 60 * kMinute);
  EXPECT_EQ(jszb::assessment_month(2021, 10).first, 1631980800000);
  EXPECT_THROW(jszb::assessment_month(2021, 13), jszb::Error);

  jszb::Policy p = jszb::Policy::beijing();
  ASSERT_GT(p.unit_count(), 0u);
  EXPECT_EQ(p.find_unit(p.unit(0).code), &p.unit(0));
  EXPECT_EQ(p.find_unit(1), nullptr);
  EXPECT_THROW(p.unit(p.unit_count()), std::out_of_range);
  EXPECT_GE(p.next_working_instant(kT0), kT0);

  jszb::Engine e;
  e.set_policy(p);
  jszb::Request bad = request("w-bulk-2");
  bad.content.clear();
  jszb::Engine::SubmitResults r = e.submit_many({request("w-bulk-1"), bad});
  EXPECT_EQ(r.codes, (std::vector<int>{JSZB_OK, JSZB_E_INVALID}));
  EXPECT_EQ(r.case_ids[1], 0u);
  jszb::CaseId id = r.case_ids[0];
  EXPECT_EQ(e.explain(id).verdicts.empty(), false);
  int asked = 0;
  e.set_router([&asked](const jszb_case_info&, jszb_route& out) {
    ++asked;
    out.outcome = JSZB_ROUTE_DISPATCH;
    out.lead = kDistrict;
    out.rule = "mine";
    return JSZB_OK;
  });
  EXPECT_EQ(e.route(id).lead, kDistrict);
  e.set_router(nullptr);
  EXPECT_EQ(e.route(id).lead, kStreet);
  EXPECT_EQ(asked, 1);

  // The case's events, moved into another engine as JSON and as bytes.
  jszb::CaseSnapshot c = e.get(id);
  EXPECT_FALSE(c.to_proto().empty());
  jszb::Engine copy;
  copy.replay_json(jszb::to_json(c.event(0)));
  EXPECT_EQ(copy.get(id).state(), jszb::State::kReceived);
  jszb::Engine copy2;
  copy2.replay_proto(jszb::to_proto(c.event(0)));
  EXPECT_EQ(copy2.stored_case_count(), 1u);
  EXPECT_THROW(e.purge(kT0), jszb::Error);  // in memory: nothing to purge

  std::string path = ::testing::TempDir() + "wrapper-store-ops.jszb";
  for (const char* suffix : {"", "-wal", "-shm", "-lsn"}) std::remove((path + suffix).c_str());
  {
    jszb::Engine d = jszb::Engine::open_store(path);
    jszb::CaseId s = d.submit(request("w-store"));
    jszb::Command nd = jszb::Command::make(jszb::CommandKind::kNotDispatch, s, kT0 + kMinute,
                                           jszb::dispatcher_actor(7), "不属于受理范围");
    nd.reason = jszb::NotDispatchedReason::kOutsideDuty;
    d.apply(nd);
    d.erase_personal(s, kT0 + 2 * kMinute);
    jszb::Engine::VerifyReport v = d.verify();
    EXPECT_EQ(v.mismatches, 0u) << v.problems;
    std::vector<std::string> stages;
    d.verify([&stages](std::string_view stage, std::uint64_t, std::uint64_t) {
      stages.emplace_back(stage);
      return true;
    });
    EXPECT_FALSE(stages.empty());
    EXPECT_THROW(d.verify([](std::string_view, std::uint64_t, std::uint64_t) { return false; }),
                 jszb::Error);
    EXPECT_EQ(d.purge(kT0 + 24 * 60 * kMinute), 1u);
    EXPECT_EQ(d.stored_case_count(), 0u);
  }
  for (const char* suffix : {"", "-wal", "-shm", "-lsn"}) std::remove((path + suffix).c_str());
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
