// The hotline keeps dispatching at the end of the calendar's last year: with
// the built-in policy, orders whose deadlines or escalation levels reach 2027
// are timed on the provisional schedule (and marked estimated) instead of
// refused, as are those a suspension or an extension moves there; past 2030
// they are refused; a calendar that chooses
// BEYOND_SCHEDULE_REFUSE still refuses past its last year. Once next year's
// official schedule is loaded (a new policy version), adopting it re-plans the
// estimated deadlines of open cases.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "policy_fixture.h"

namespace jszb::testing {
namespace {

using core::Deadline;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct BeijingEngine {
  Engine e;
  BeijingEngine() { EXPECT_TRUE(e.load_policy(Policy::beijing()).ok()); }
};

// The reply step's escalation events of a case, as "type mark @time".
std::vector<std::string> reply_timers(const Engine& e, CaseId id) {
  std::vector<std::string> out;
  for (const core::Event& ev : timer_events(e, id)) {
    std::string d = describe_timer(ev);
    if (absl::StrContains(d, "STEP_REPLY")) out.push_back(d);
  }
  return out;
}

// A complex matter (15 days to reply) received and dispatched at t, signed
// 10 minutes and the citizen contacted 20 minutes later.
CaseId complex_order(Engine& e, TimeMs t, const char* ref) {
  CaseId id = submit_req(e, Req{}.named(ref).at(t).category("住房", "房屋买卖", "网签"));
  EXPECT_TRUE(dispatch_to(e, id, t, kStreet).ok());
  EXPECT_TRUE(sign(e, id, t + 10 * kMinute).ok());
  EXPECT_TRUE(contact(e, id, t + 20 * kMinute).ok());
  return id;
}

TEST(CalendarContinuity, AComplexOrderDispatchedOn2026_12_20IsTimedProvisionally) {
  BeijingEngine b;
  CaseId id = complex_order(b.e, bj(2026, 12, 20, 10, 0), "complex");
  ASSERT_NE(id, 0u);
  // 15 natural days: the due instant itself is exact, but the supervision
  // levels after it count working days of 2027, on the provisional schedule.
  const Deadline& d = deadline(b.e, id, StepId::kReply);
  EXPECT_EQ(show(d.due), "2027-01-04 10:00");
  EXPECT_FALSE(d.working);
  EXPECT_TRUE(d.estimated);
  // The provisional 2027: Friday Jan 1 off; district supervision one working
  // day after the breach (Tuesday Jan 5), the city six (Jan 5-8, 11, 12).
  ASSERT_TRUE(b.e.advance(bj(2027, 1, 31)).ok());
  EXPECT_THAT(reply_timers(b.e, id),
              ElementsAre("deadline_warning STEP_REPLY mark 0 @2027-01-01 10:00",
                          "deadline_breached STEP_REPLY mark 1 @2027-01-04 10:00",
                          "deadline_escalated STEP_REPLY mark 2 @2027-01-05 10:00",
                          "deadline_escalated STEP_REPLY mark 3 @2027-01-12 10:00"));
}

TEST(CalendarContinuity, ANormalOrderFrom2026_12_17AndWorkingDayClocksInto2027) {
  BeijingEngine b;
  // 7 natural days to Dec 24; the city's level, six working days after it,
  // is Monday Jan 4 2027 (Jan 1 off): estimated.
  CaseId normal = submit_req(b.e, Req{}.named("normal").at(bj(2026, 12, 17, 10, 0)));
  ASSERT_TRUE(dispatch_to(b.e, normal, bj(2026, 12, 17, 10, 0), kStreet).ok());
  EXPECT_EQ(show(deadline(b.e, normal, StepId::kReply).due), "2026-12-24 10:00");
  EXPECT_TRUE(deadline(b.e, normal, StepId::kReply).estimated);
  // A working-day clock: co-handlers report within 3 working days of the
  // signing on Wednesday Dec 30: Dec 31, Jan 4, Jan 5.
  CaseId co = submit_req(b.e, Req{}.named("co").at(bj(2026, 12, 30, 9, 0)));
  ASSERT_TRUE(dispatch_to(b.e, co, bj(2026, 12, 30, 9, 30), kStreet, {kDept}).ok());
  ASSERT_TRUE(sign(b.e, co, bj(2026, 12, 30, 10, 0)).ok());
  const Deadline& report = deadline(b.e, co, StepId::kCoHandlerReport);
  EXPECT_TRUE(report.working);
  EXPECT_EQ(show(report.due), "2027-01-05 10:00");
  EXPECT_TRUE(report.estimated);
  // Deadlines and levels wholly within 2026 are not estimates.
  CaseId early = submit_req(b.e, Req{}.named("early").at(bj(2026, 12, 1, 10, 0)));
  ASSERT_TRUE(dispatch_to(b.e, early, bj(2026, 12, 1, 10, 0), kStreet).ok());
  EXPECT_FALSE(deadline(b.e, early, StepId::kReply).estimated);
  EXPECT_FALSE(deadline(b.e, early, StepId::kSign).estimated);
}

TEST(CalendarContinuity, ASuspensionOrAnExtensionIntoTheProvisionalYearsMakesAnEstimate) {
  BeijingEngine b;
  // Dispatched Dec 1: reply Dec 8, its levels within 2026: exact.
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2026, 12, 1, 10, 0), &id).ok());
  ASSERT_FALSE(deadline(b.e, id, StepId::kReply).estimated);
  // Suspended Dec 2 to Dec 28: the reply moves to Jan 3, its levels into 2027.
  ASSERT_TRUE(
      simple(b.e, CommandKind::kSuspend, id, bj(2026, 12, 2, 10, 0), centre(), "鉴定").ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kResume, id, bj(2026, 12, 28, 10, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kReply).due), "2027-01-03 10:00");
  EXPECT_TRUE(deadline(b.e, id, StepId::kReply).estimated);
  // An extension the centre approves until Jan 20 2027: still an estimate.
  BeijingEngine b2;
  CaseId ext = 0;
  ASSERT_TRUE(in_hand(b2.e, bj(2026, 12, 1, 10, 0), &ext).ok());
  Command ask = cmd(CommandKind::kRequestExtension, ext, bj(2026, 12, 3, 10, 0), unit(kStreet));
  ask.payload.until = bj(2027, 1, 20, 10, 0);
  ask.payload.text = "需协调产权单位";
  ASSERT_TRUE(b2.e.apply(ask).ok());
  ASSERT_TRUE(
      simple(b2.e, CommandKind::kApproveExtension, ext, bj(2026, 12, 3, 12, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b2.e, ext, StepId::kReply).due), "2027-01-20 10:00");
  EXPECT_TRUE(deadline(b2.e, ext, StepId::kReply).estimated);
}

TEST(CalendarContinuity, PastTheProvisionalScheduleTheCommandIsRefused) {
  BeijingEngine b;
  // A complex order late in 2030: its supervision levels fall in 2031.
  CaseId id =
      submit_req(b.e, Req{}.named("late").at(bj(2030, 12, 20, 10, 0)).category("住房", "房屋买卖"));
  ASSERT_NE(id, 0u);
  core::Case before = *b.e.find(id);
  absl::Status s = dispatch_to(b.e, id, bj(2030, 12, 20, 10, 0), kStreet);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("provisional schedule to 2030"));
  EXPECT_TRUE(*b.e.find(id) == before);
  // Earlier in 2030 the same is timed (provisionally).
  CaseId ok = complex_order(b.e, bj(2030, 11, 1, 10, 0), "ok");
  EXPECT_TRUE(deadline(b.e, ok, StepId::kReply).running());
}

TEST(CalendarContinuity, ACalendarThatRefusesStillRefusesPast2026) {
  std::string china = slurp(repo_path("lib/data/china-calendar.textproto"));
  std::string refuse = absl::StrReplaceAll(
      china, {{"beyond: BEYOND_SCHEDULE_PROVISIONAL", "beyond: BEYOND_SCHEDULE_REFUSE"}});
  ASSERT_NE(refuse, china);
  absl::StatusOr<PolicyPtr> p = load_policy_text(beijing_text(), "beijing-policy.textproto",
                                                 {{"china-calendar.textproto", refuse}});
  ASSERT_TRUE(p.ok()) << p.status();
  Engine e;
  ASSERT_TRUE(e.load_policy(*p).ok());
  CaseId id = submit_req(
      e, Req{}.named("refused").at(bj(2026, 12, 20, 10, 0)).category("住房", "房屋买卖"));
  absl::Status s = dispatch_to(e, id, bj(2026, 12, 20, 10, 0), kStreet);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("past calendar china's last year 2026"));
}

// The built-in policy under its next version, its calendar carrying an official 2027
// made up for the test: New Year on Friday Jan 1, and Monday and Tuesday Jan
// 4-5 off as well.
PolicyPtr beijing_with_2027() {
  std::string china = slurp(repo_path("lib/data/china-calendar.textproto"));
  std::string with_2027 = absl::StrReplaceAll(china, {{"last_year: 2026", "last_year: 2027"}}) +
                          "holidays { name: \"元旦\" from: \"2027-01-01\" to: \"2027-01-01\" }\n"
                          "holidays { name: \"测试\" from: \"2027-01-04\" to: \"2027-01-05\" }\n";
  std::string text = absl::StrReplaceAll(
      beijing_text(), {{absl::StrFormat("\nversion: %d\n", kBeijingVersion),
                        absl::StrFormat("\nversion: %d\n", kBeijingVersion + 1)}});
  EXPECT_NE(text, beijing_text());
  absl::StatusOr<PolicyPtr> p =
      load_policy_text(text, "beijing-policy.textproto", {{"china-calendar.textproto", with_2027}});
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

// The events of one step's deadline, as reply_timers() says them.
std::vector<std::string> step_timers(const Engine& e, CaseId id, const char* step) {
  std::vector<std::string> out;
  for (const core::Event& ev : timer_events(e, id)) {
    std::string d = describe_timer(ev);
    if (absl::StrContains(d, step)) out.push_back(d);
  }
  return out;
}

TEST(CalendarContinuity, LoadingNextYearsScheduleReplansEstimatedDeadlines) {
  BeijingEngine b;
  // Dispatched on the provisional schedule: a complex order (its levels in
  // 2027), a working-day clock into 2027, and an order wholly within 2026.
  CaseId complex = complex_order(b.e, bj(2026, 12, 20, 10, 0), "complex");
  ASSERT_TRUE(deadline(b.e, complex, StepId::kReply).estimated);
  CaseId co = submit_req(b.e, Req{}.named("co").at(bj(2026, 12, 30, 9, 0)));
  ASSERT_TRUE(dispatch_to(b.e, co, bj(2026, 12, 30, 9, 30), kStreet, {kDept}).ok());
  ASSERT_TRUE(sign(b.e, co, bj(2026, 12, 30, 10, 0)).ok());
  ASSERT_EQ(show(deadline(b.e, co, StepId::kCoHandlerReport).due), "2027-01-05 10:00");
  CaseId early = submit_req(b.e, Req{}.named("early").at(bj(2026, 12, 1, 10, 0)));
  ASSERT_TRUE(dispatch_to(b.e, early, bj(2026, 12, 1, 10, 0), kStreet).ok());
  ASSERT_FALSE(deadline(b.e, early, StepId::kReply).estimated);
  const core::Case early_before = *b.e.find(early);

  PolicyPtr next = beijing_with_2027();
  const std::uint32_t kNext = kBeijingVersion + 1;
  ASSERT_NE(next, nullptr);
  ASSERT_TRUE(b.e.load_policy(next).ok());
  EXPECT_EQ(b.e.adopt_schedule(99, bj(2026, 12, 31, 12, 0)).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::size_t> moved = b.e.adopt_schedule(kNext, bj(2026, 12, 31, 12, 0));
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 2u);
  EXPECT_EQ(b.e.find(complex)->policy_version, kNext);
  EXPECT_EQ(b.e.find(co)->policy_version, kNext);
  // Not estimated: not moved, not touched.
  EXPECT_EQ(b.e.find(early)->policy_version, kBeijingVersion);
  EXPECT_TRUE(*b.e.find(early) == early_before);
  // Three working days after Dec 30 10:00 are Dec 31, Jan 6 and Jan 7 now.
  const Deadline& report = deadline(b.e, co, StepId::kCoHandlerReport);
  EXPECT_EQ(show(report.start), "2026-12-30 10:00");
  EXPECT_EQ(show(report.due), "2027-01-07 10:00");
  EXPECT_FALSE(report.estimated);
  // 15 natural days: the same due, its levels on the official 2027.
  EXPECT_EQ(show(deadline(b.e, complex, StepId::kReply).due), "2027-01-04 10:00");
  EXPECT_FALSE(deadline(b.e, complex, StepId::kReply).estimated);
  std::vector<core::Event> replanned = events_of_type(b.e, co, EventType::kReplanned);
  ASSERT_EQ(replanned.size(), 1u);
  EXPECT_EQ(replanned[0].policy_version, kNext);
  EXPECT_EQ(replanned[0].actor.role, Role::kSystem);
  EXPECT_EQ(replanned[0].state, b.e.find(co)->state);
  EXPECT_EQ(show(replanned[0].time), "2026-12-31 12:00");
  // Adopting it again moves nothing.
  moved = b.e.adopt_schedule(kNext, bj(2026, 12, 31, 13, 0));
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 0u);

  // Nothing fires before its new instant: not the report's breach on Jan 5.
  ASSERT_TRUE(b.e.advance(bj(2027, 1, 7, 9, 59)).ok());
  EXPECT_THAT(step_timers(b.e, co, "STEP_CO_HANDLER_REPORT"),
              ElementsAre("deadline_warning STEP_CO_HANDLER_REPORT mark 0 @2027-01-06 14:18"));
  ASSERT_TRUE(b.e.advance(bj(2027, 1, 7, 10, 0)).ok());
  EXPECT_EQ(step_timers(b.e, co, "STEP_CO_HANDLER_REPORT").size(), 2u);
  ASSERT_TRUE(b.e.advance(bj(2027, 1, 31)).ok());
  EXPECT_THAT(reply_timers(b.e, complex),
              ElementsAre("deadline_warning STEP_REPLY mark 0 @2027-01-01 10:00",
                          "deadline_breached STEP_REPLY mark 1 @2027-01-04 10:00",
                          "deadline_escalated STEP_REPLY mark 2 @2027-01-07 09:00",
                          "deadline_escalated STEP_REPLY mark 3 @2027-01-14 09:00"));

  // The log replays to the same cases in an engine with both versions.
  Engine fresh;
  ASSERT_TRUE(fresh.load_policy(Policy::beijing()).ok());
  ASSERT_TRUE(fresh.load_policy(next).ok());
  absl::Status replayed;
  ASSERT_TRUE(b.e.for_each_logged([&](const core::Event& ev) {
                   if (replayed.ok()) replayed = fresh.replay(ev);
                 })
                  .ok());
  ASSERT_TRUE(replayed.ok()) << replayed;
  for (CaseId id : {complex, co, early}) {
    ASSERT_NE(fresh.find(id), nullptr);
    EXPECT_TRUE(*fresh.find(id) == *b.e.find(id)) << id;
  }
}

}  // namespace
}  // namespace jszb::testing
