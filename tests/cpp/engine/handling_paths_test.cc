// Paths a real hotline takes beside the main line (issue 10): the lead replies
// while a co-handler is still to report, whose clock and breach are its own;
// the centre re-dispatches (改派) an order sent back to redo, whose redo cycle
// has its own extension (or, under EXTENSION_ALLOWANCE_PER_DISPATCH, only a
// new dispatch has) and whose first unit keeps its result; a unit asks for a
// suspension that the centre decides; the lead unit's district supervises (督办).
#include <map>
#include <string>
#include <vector>

#include "engine/scoring_fixture.h"
#include "fixture.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"

namespace jszb::testing {
namespace {

constexpr UnitId kMarketDept = 110105901;  // 朝阳市场监管局

Command report_to_lead(CaseId id, TimeMs t, UnitId from) {
  Command c = cmd(CommandKind::kReportToLead, id, t, unit(from));
  c.payload.text = "已按职责处理";
  return c;
}

TEST(CoHandlers, TheLeadRepliesWhileACoHandlerIsStillToReport) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = submit_req(b.e, Req{}.at(t));
  ASSERT_TRUE(dispatch_to(b.e, id, t, kStreet, {kMarketDept}).ok());
  ASSERT_TRUE(sign(b.e, id, t + 10 * kMinute).ok());
  ASSERT_EQ(b.e.find(id)->state, State::kCoHandling);
  const TimeMs report_due = deadline(b.e, id, StepId::kCoHandlerReport).due;
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok()) << "the lead does not wait for a silent department";
  const core::Case& c = *b.e.find(id);
  EXPECT_EQ(c.state, State::kReplied);
  EXPECT_TRUE(c.is_pending_co_handler(kMarketDept));
  EXPECT_TRUE(deadline(b.e, id, StepId::kCoHandlerReport).running()) << "its clock runs on";
  EXPECT_EQ(deadline(b.e, id, StepId::kCoHandlerReport).due, report_due);
  EXPECT_FALSE(deadline(b.e, id, StepId::kReply).running());

  // The department misses its report deadline: its breach, not the street's.
  ASSERT_TRUE(b.e.advance(report_due).ok());
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kMarketDept].breached, 1);
  EXPECT_EQ(tallies[kStreet].breached, 0);
  EXPECT_EQ(tallies[kStreet].replied_on_time, 1);

  // Only the pending co-handler may still report; then its clock stops.
  EXPECT_EQ(refusal(b.e.apply(report_to_lead(id, report_due + kHour, kStreet2))),
            Refusal::kNotCoHandler);
  ASSERT_TRUE(b.e.apply(report_to_lead(id, report_due + kHour, kMarketDept)).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kReplied);
  EXPECT_FALSE(b.e.find(id)->is_pending_co_handler(kMarketDept));
  EXPECT_FALSE(deadline(b.e, id, StepId::kCoHandlerReport).running());
  EXPECT_EQ(refusal(b.e.apply(report_to_lead(id, report_due + 2 * kHour, kMarketDept))),
            Refusal::kNotCoHandler)
      << "once";
  // The visit and close go on as usual.
  ASSERT_TRUE(visit(b.e, id, report_due + kDay, true).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, report_due + kDay + kHour, op()).ok());
  expect_counters_agree(b.e);
}

TEST(CoHandlers, AVisitEndsAnyReportStillOutstanding) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = submit_req(b.e, Req{}.at(t));
  ASSERT_TRUE(dispatch_to(b.e, id, t, kStreet, {kMarketDept}).ok());
  ASSERT_TRUE(sign(b.e, id, t + 10 * kMinute).ok());
  ASSERT_TRUE(reply(b.e, id, t + kHour).ok());
  ASSERT_TRUE(visit(b.e, id, t + 2 * kHour, true).ok());
  EXPECT_EQ(b.e.find(id)->co_pending, 0u);
  EXPECT_FALSE(deadline(b.e, id, StepId::kCoHandlerReport).running());
  EXPECT_EQ(refusal(b.e.apply(report_to_lead(id, t + 3 * kHour, kMarketDept))), Refusal::kState);
}

TEST(Redispatch, TheCentreRedispatchesAnOrderSentBackToRedo) {
  Beijing b;
  CaseId id = 0;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  // Not in redo: the centre cannot take an order in hand away.
  Command early = cmd(CommandKind::kDispatch, id, t + kHour, centre());
  early.payload.unit = kStreet2;
  core::Case before = *b.e.find(id);
  EXPECT_EQ(refusal(b.e.apply(early)), Refusal::kNotInRedo);
  EXPECT_TRUE(*b.e.find(id) == before);

  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  ASSERT_TRUE(visit(b.e, id, t + 2 * kDay, false).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kRedo, id, t + 2 * kDay + kHour, op()).ok());
  ASSERT_EQ(b.e.find(id)->state, State::kHandling);

  // A unit may not re-dispatch; the centre may, to another street.
  Command by_unit = cmd(CommandKind::kDispatch, id, t + 3 * kDay, unit(kStreet));
  by_unit.payload.unit = kStreet2;
  EXPECT_EQ(refusal(b.e.apply(by_unit)), Refusal::kNotCentre);
  Command again = cmd(CommandKind::kDispatch, id, t + 3 * kDay, centre());
  again.payload.unit = kStreet2;
  ASSERT_TRUE(b.e.apply(again).ok());
  const core::Case& c = *b.e.find(id);
  EXPECT_EQ(c.state, State::kDispatched);
  EXPECT_EQ(c.lead_unit, kStreet2);
  EXPECT_EQ(c.signed_for, 0);
  EXPECT_EQ(c.credit.time, 0) << "the first unit's result is settled: no longer the case's";
  EXPECT_TRUE(deadline(b.e, id, StepId::kSign).running()) << "a new sign-for clock";
  EXPECT_EQ(deadline(b.e, id, StepId::kSign).start, t + 3 * kDay);
  EXPECT_EQ(deadline(b.e, id, StepId::kReply).start, t + 3 * kDay);
  EXPECT_FALSE(deadline(b.e, id, StepId::kFirstContact).running());

  ASSERT_TRUE(sign(b.e, id, t + 3 * kDay + 10 * kMinute).ok());
  ASSERT_TRUE(reply(b.e, id, t + 4 * kDay).ok());
  ASSERT_TRUE(visit(b.e, id, t + 5 * kDay, true).ok());
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kStreet2].dispatched, 1);
  EXPECT_EQ(tallies[kStreet2].visits, 1) << "the new unit's own result counts for it";
  EXPECT_EQ(tallies[kStreet2].satisfied, 1);
  EXPECT_EQ(tallies[kStreet].visits, 1) << "the first unit keeps the result that sent it back";
  EXPECT_EQ(tallies[kStreet].not_satisfied, 1);
  EXPECT_EQ(tallies[kStreet].dispatched, 1);
  expect_counters_agree(b.e);
}

// ------------------------------------------- 改派: the first unit keeps its result

constexpr UnitId kStreet3 = 110105004;  // 三里屯街道

// The first unit's result falls in the assessment month "March" (to 18 March),
// the later units' in "April".
const core::Period kMarchMonth = core::assessment_month(2024, 3);
const core::Period kAprilMonth = core::assessment_month(2024, 4);

// The counters equal the recount over each month and over both.
void expect_agree_by_month(const Engine& e) {
  expect_counters_agree(e, kMarchMonth);
  expect_counters_agree(e, kAprilMonth);
  expect_counters_agree(e, kMarch2024);
}

absl::Status visit_as(Engine& e, CaseId id, TimeMs t, bool solved, Satisfaction how) {
  return visit_with(e, id, t, true, solved, how);
}

// The lead replies at t, the citizen is visited an hour later (not solved,
// `how`) and the centre sends the order back to redo an hour after that.
void sent_back(Engine& e, CaseId id, TimeMs t, Satisfaction how = Satisfaction::kNotSatisfied) {
  ASSERT_TRUE(reply(e, id, t).ok());
  ASSERT_TRUE(visit_as(e, id, t + kHour, false, how).ok());
  ASSERT_TRUE(simple(e, CommandKind::kRedo, id, t + 2 * kHour, op()).ok());
}

// The centre re-dispatches the order (改派) to `to` at t; it signs 10 minutes later.
void redispatched(Engine& e, CaseId id, TimeMs t, UnitId to) {
  Command c = cmd(CommandKind::kDispatch, id, t, centre());
  c.payload.unit = to;
  ASSERT_TRUE(e.apply(c).ok());
  ASSERT_TRUE(sign(e, id, t + 10 * kMinute).ok());
}

// A log replayed into a fresh engine gives the same case and the same counts.
void expect_replays_and_verifies(const Engine& e, CaseId id) {
  Beijing fresh;
  for (const core::Event& ev : e.events(id)) ASSERT_TRUE(fresh.e.replay(ev).ok()) << ev.seq;
  EXPECT_TRUE(*fresh.e.find(id) == *e.find(id));
  EXPECT_EQ(recounted(fresh.e), recounted(e));
  absl::StatusOr<core::VerifyReport> v = fresh.e.verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(Redispatch, TheFirstUnitsUnsatisfiedResultStaysInItsPeriod) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
  sent_back(b.e, id, bj(2024, 3, 18, 9, 0));  // visited 18 March 10:00: "March"
  redispatched(b.e, id, bj(2024, 3, 18, 14, 0), kStreet2);
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 19, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 20, 10, 0), true).ok());  // "April"
  EXPECT_EQ(b.e.find(id)->credit.lead, kStreet2) << "the new cycle's result is the case's";

  std::map<UnitId, core::UnitTally> march = recounted(b.e, kMarchMonth);
  EXPECT_EQ(march[kStreet].visits, 1) << "one valid visit, in its own period";
  EXPECT_EQ(march[kStreet].contacted, 1);
  EXPECT_EQ(march[kStreet].solved, 0);
  EXPECT_EQ(march[kStreet].satisfied, 0);
  EXPECT_EQ(march[kStreet].not_satisfied, 1);
  EXPECT_EQ(march[kStreet2].visits, 0);
  std::map<UnitId, core::UnitTally> april = recounted(b.e, kAprilMonth);
  EXPECT_EQ(april[kStreet].visits, 0);
  EXPECT_EQ(april[kStreet2].visits, 1);
  EXPECT_EQ(april[kStreet2].solved, 1);
  EXPECT_EQ(april[kStreet2].satisfied, 1);
  // The scores say so too: the first street's satisfaction is 0, not gone.
  absl::StatusOr<std::vector<core::UnitScore>> scores = core::assess(log_of(b.e), kMarchMonth);
  ASSERT_TRUE(scores.ok()) << scores.status();
  std::map<UnitId, core::UnitScore> by_unit;
  for (const core::UnitScore& s : *scores) by_unit[s.unit] = s;
  EXPECT_EQ(by_unit[kStreet].visits, 1u);
  EXPECT_DOUBLE_EQ(by_unit[kStreet].satisfaction, 0);
  EXPECT_EQ(by_unit[kStreet2].visits, 0u) << "dispatched and signed in March, visited in April";
  expect_agree_by_month(b.e);
  expect_replays_and_verifies(b.e, id);
}

TEST(Redispatch, AChainOfTwoRedispatchesKeepsEachUnitsResult) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
  sent_back(b.e, id, bj(2024, 3, 18, 9, 0));  // A: not satisfied, "March"
  redispatched(b.e, id, bj(2024, 3, 18, 14, 0), kStreet2);
  sent_back(b.e, id, bj(2024, 3, 19, 9, 0), Satisfaction::kBasicallySatisfied);  // B, "April"
  redispatched(b.e, id, bj(2024, 3, 19, 14, 0), kStreet3);
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 20, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 21, 10, 0), true).ok());  // C: satisfied
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, bj(2024, 3, 21, 11, 0), op()).ok());

  std::map<UnitId, core::UnitTally> march = recounted(b.e, kMarchMonth);
  EXPECT_EQ(march[kStreet].visits, 1);
  EXPECT_EQ(march[kStreet].not_satisfied, 1);
  std::map<UnitId, core::UnitTally> april = recounted(b.e, kAprilMonth);
  EXPECT_EQ(april[kStreet].visits, 0);
  EXPECT_EQ(april[kStreet2].visits, 1);
  EXPECT_EQ(april[kStreet2].basically_satisfied, 1);
  EXPECT_EQ(april[kStreet2].solved, 0);
  EXPECT_EQ(april[kStreet3].visits, 1);
  EXPECT_EQ(april[kStreet3].satisfied, 1);
  EXPECT_EQ(april[kStreet3].closed, 1);
  expect_agree_by_month(b.e);
  expect_replays_and_verifies(b.e, id);
}

// What the new cycle does stays in the new cycle: the new unit's Art. 23
// result, a later visit and a termination touch only its own result.
TEST(Redispatch, TheNewCycleNoLongerTouchesTheSettledResult) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
  sent_back(b.e, id, bj(2024, 3, 18, 9, 0));
  redispatched(b.e, id, bj(2024, 3, 18, 14, 0), kStreet2);
  // The second street never replies: its order expires (Art. 23).
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 10)).ok());
  ASSERT_EQ(events_of_type(b.e, id, EventType::kAutoVisited).size(), 1u);
  EXPECT_TRUE(b.e.find(id)->credit.automatic);
  EXPECT_EQ(b.e.find(id)->credit.lead, kStreet2);
  std::map<UnitId, core::UnitTally> april = recounted(b.e, kAprilMonth);
  EXPECT_EQ(april[kStreet2].visits, 1) << "the engine's result, for the second street";
  EXPECT_EQ(april[kStreet2].replies, 1) << "a late completion";
  EXPECT_EQ(april[kStreet].visits, 0);
  EXPECT_EQ(recounted(b.e, kMarchMonth)[kStreet].visits, 1);
  expect_agree_by_month(b.e);

  // The centre visits it after all, then ends it after review: only the
  // second street's result goes.
  ASSERT_TRUE(visit(b.e, id, bj(2024, 4, 10, 10, 0), false).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kTerminate, id, bj(2024, 4, 10, 11, 0), centre(), "拒不配合").ok());
  EXPECT_EQ(recounted(b.e, kAprilMonth)[kStreet2].visits, 0);
  std::map<UnitId, core::UnitTally> march = recounted(b.e, kMarchMonth);
  EXPECT_EQ(march[kStreet].visits, 1) << "terminating the order leaves the first street's";
  EXPECT_EQ(march[kStreet].not_satisfied, 1);
  expect_agree_by_month(b.e);
  expect_replays_and_verifies(b.e, id);
}

// 申诉 after a 改派: the case's appealable result is the new cycle's. The first
// unit's settled result is no longer appealable (it is not the case's credit);
// the new unit's is, and an upheld appeal takes out only that one.
TEST(Redispatch, OnlyTheNewCyclesResultIsAppealable) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
  sent_back(b.e, id, bj(2024, 3, 18, 9, 0));
  redispatched(b.e, id, bj(2024, 3, 18, 14, 0), kStreet2);
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 19, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 20, 10, 0), false).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, bj(2024, 3, 20, 11, 0), op()).ok());

  core::Case before = *b.e.find(id);
  absl::Status first =
      simple(b.e, CommandKind::kAppeal, id, bj(2024, 3, 20, 12, 0), unit(kStreet), "已按要求办理");
  EXPECT_EQ(refusal(first), Refusal::kNotCredited) << first;
  EXPECT_TRUE(*b.e.find(id) == before);
  ASSERT_TRUE(
      simple(b.e, CommandKind::kAppeal, id, bj(2024, 3, 20, 12, 0), unit(kStreet2), "诉求不合理")
          .ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kUpholdAppeal, id, bj(2024, 3, 21, 10, 0), centre(), "诉求超出职责")
          .ok());
  EXPECT_EQ(recounted(b.e, kAprilMonth)[kStreet2].visits, 0) << "set aside on appeal";
  EXPECT_EQ(recounted(b.e, kMarchMonth)[kStreet].visits, 1) << "untouched";
  expect_agree_by_month(b.e);
  expect_replays_and_verifies(b.e, id);
}

// Without a 改派 the latest visit stands, as always: the redo's result
// replaces the first one, wherever that fell. A re-dispatch to the same unit is
// a redo like any other.
TEST(Redispatch, APlainRedoStillReplacesTheResult) {
  for (bool same_unit_again : {false, true}) {
    SCOPED_TRACE(same_unit_again ? "re-dispatched to the same street" : "plain redo");
    Beijing b;
    CaseId id = 0;
    ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
    sent_back(b.e, id, bj(2024, 3, 18, 9, 0));
    if (same_unit_again) redispatched(b.e, id, bj(2024, 3, 18, 14, 0), kStreet);
    ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 19, 10, 0)).ok());
    ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 20, 10, 0), true).ok());
    EXPECT_EQ(recounted(b.e, kMarchMonth)[kStreet].visits, 0) << "replaced";
    std::map<UnitId, core::UnitTally> april = recounted(b.e, kAprilMonth);
    EXPECT_EQ(april[kStreet].visits, 1);
    EXPECT_EQ(april[kStreet].satisfied, 1);
    expect_agree_by_month(b.e);
    expect_replays_and_verifies(b.e, id);
  }
}

// A reopen starts a new cycle of the same order (a later call on the same
// matter): as before, its latest result stands, whichever unit it goes to.
TEST(Redispatch, AReopenedOrdersLatestResultStandsAsBefore) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 14, 10, 0), &id).ok());
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 18, 9, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 18, 10, 0), false).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, bj(2024, 3, 18, 11, 0), op()).ok());
  EXPECT_EQ(recounted(b.e, kMarchMonth)[kStreet].visits, 1);
  ASSERT_TRUE(simple(b.e, CommandKind::kReopen, id, bj(2024, 3, 19, 9, 0), op()).ok());
  ASSERT_TRUE(dispatch_to(b.e, id, bj(2024, 3, 19, 10, 0), kStreet2).ok());
  ASSERT_TRUE(sign(b.e, id, bj(2024, 3, 19, 10, 10)).ok());
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 19, 12, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 20, 10, 0), true).ok());
  EXPECT_EQ(recounted(b.e, kMarchMonth)[kStreet].visits, 0);
  EXPECT_EQ(recounted(b.e, kAprilMonth)[kStreet2].visits, 1);
  expect_agree_by_month(b.e);
  expect_replays_and_verifies(b.e, id);
}

// ------------------------------------------------------------- extensions

// The lead asks for 5 more days at `at` and a reviewer approves an hour later.
absl::Status extend(Engine& e, CaseId id, TimeMs at) {
  Command ask = cmd(CommandKind::kRequestExtension, id, at, unit(e.find(id)->lead_unit));
  ask.payload.until = at + 5 * kDay;
  ask.payload.text = "需协调";
  if (absl::Status s = e.apply(ask); !s.ok()) return s;
  return simple(e, CommandKind::kApproveExtension, id, at + kHour, centre());
}

// Replied, visited unsolved a day later and sent back to redo, from t on.
void sent_back_a_day_on(Engine& e, CaseId id, TimeMs t) {
  ASSERT_TRUE(reply(e, id, t).ok());
  ASSERT_TRUE(visit(e, id, t + kDay, false).ok());
  ASSERT_TRUE(simple(e, CommandKind::kRedo, id, t + kDay + kHour, op()).ok());
}

// The Beijing policy with an extension allowance, under a version of its own.
PolicyPtr beijing_allowing(v1::ExtensionAllowance allowance) {
  v1::Policy msg = Policy::beijing()->message();
  msg.set_version(msg.version() + 300 + allowance);
  msg.set_extension_allowance(allowance);
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  return must_load(text, "beijing.textproto");
}

TEST(Redo, ARedoRenewsTheExtensionAllowance) {
  // By default, and as EXTENSION_ALLOWANCE_PER_HANDLING_CYCLE says.
  for (PolicyPtr p :
       {Policy::beijing(), beijing_allowing(v1::EXTENSION_ALLOWANCE_PER_HANDLING_CYCLE)}) {
    Beijing b(p);
    CaseId id = 0;
    TimeMs t = bj(2024, 3, 4, 10, 0);
    ASSERT_TRUE(in_hand(b.e, t, &id).ok());
    ASSERT_TRUE(extend(b.e, id, t + kHour).ok());
    EXPECT_EQ(refusal(extend(b.e, id, t + 3 * kHour)), Refusal::kExtensionLimit) << "one per cycle";
    sent_back_a_day_on(b.e, id, t + kDay);
    EXPECT_EQ(b.e.find(id)->extension_count, 0u);
    EXPECT_EQ(b.e.find(id)->dispatch_extension_count, 1u);
    ASSERT_TRUE(extend(b.e, id, t + 3 * kDay).ok()) << "the redo cycle has its own";
    EXPECT_EQ(refusal(extend(b.e, id, t + 3 * kDay + 3 * kHour)), Refusal::kExtensionLimit);
    EXPECT_EQ(b.e.find(id)->dispatch_extension_count, 2u);
  }
}

TEST(ExtensionAllowance, PerDispatchARedoDoesNotRenewItANewDispatchDoes) {
  Beijing b(beijing_allowing(v1::EXTENSION_ALLOWANCE_PER_DISPATCH));
  CaseId id = 0;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(extend(b.e, id, t + kHour).ok());
  sent_back_a_day_on(b.e, id, t + kDay);
  core::Case before = *b.e.find(id);
  Command ask = cmd(CommandKind::kRequestExtension, id, t + 3 * kDay, unit(kStreet));
  ask.payload.until = t + 8 * kDay;
  ask.payload.text = "需协调";
  absl::Status refused = b.e.apply(ask);
  EXPECT_EQ(refusal(refused), Refusal::kExtensionLimit) << "the redo does not renew it";
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(*b.e.find(id) == before) << "a refusal changes nothing";
  // 改派: the new unit's dispatch has its own allowance.
  ASSERT_TRUE(dispatch_to(b.e, id, t + 3 * kDay, kStreet2).ok());
  ASSERT_TRUE(sign(b.e, id, t + 3 * kDay + 10 * kMinute).ok());
  EXPECT_EQ(b.e.find(id)->dispatch_extension_count, 0u);
  ASSERT_TRUE(extend(b.e, id, t + 3 * kDay + kHour).ok());
  EXPECT_EQ(refusal(extend(b.e, id, t + 3 * kDay + 3 * kHour)), Refusal::kExtensionLimit);
  expect_counters_agree(b.e);
}

TEST(ExtensionAllowance, AReplayTrustsTheLogWithoutItsPolicyAndChecksItWithIt) {
  // A log written under the default (a second extension after the redo) ...
  Beijing b;
  CaseId id = 0;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(extend(b.e, id, t + kHour).ok());
  sent_back_a_day_on(b.e, id, t + kDay);
  ASSERT_TRUE(extend(b.e, id, t + 3 * kDay).ok());
  // ... replays without a policy, and with its own.
  Engine without;
  Engine with_own;
  ASSERT_TRUE(with_own.load_policy(Policy::beijing()).ok());
  for (Engine* fresh : {&without, &with_own}) {
    for (const core::Event& ev : b.e.events(id)) {
      ASSERT_TRUE(fresh->replay(ev).ok()) << core::name(ev.type);
    }
    EXPECT_TRUE(*fresh->find(id) == *b.e.find(id));
  }
  // Under a per-dispatch policy of the same version the second request does not fit.
  PolicyPtr strict = beijing_allowing(v1::EXTENSION_ALLOWANCE_PER_DISPATCH);
  v1::Policy msg = strict->message();
  msg.set_version(kBeijingVersion);
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  Engine with_strict;
  ASSERT_TRUE(with_strict.load_policy(must_load(text, "beijing.textproto")).ok());
  absl::Status replayed = absl::OkStatus();
  for (const core::Event& ev : b.e.events(id)) {
    replayed = with_strict.replay(ev);
    if (!replayed.ok()) {
      EXPECT_EQ(ev.type, EventType::kExtensionRequested);
      EXPECT_EQ(ev.seq, b.e.find(id)->event_count - 1) << "the request after the redo";
      break;
    }
  }
  EXPECT_EQ(refusal(replayed), Refusal::kExtensionLimit) << replayed;
}

TEST(ExtensionAllowance, AnUnknownValueIsRefusedAtLoad) {
  std::string text = beijing_text() + "extension_allowance: 7\n";
  absl::StatusOr<PolicyPtr> p = load_policy_text(text, "beijing.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), ::testing::HasSubstr("extension_allowance"));
}

TEST(SuspensionRequest, TheClockStopsOnlyFromApproval) {
  Beijing b;
  CaseId id = 0;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  const TimeMs due = deadline(b.e, id, StepId::kReply).due;
  // Only the owner asks, with a reason.
  EXPECT_EQ(
      refusal(simple(b.e, CommandKind::kRequestSuspension, id, t + kHour, unit(kStreet2), "鉴定")),
      Refusal::kNotOwner);
  EXPECT_EQ(simple(b.e, CommandKind::kRequestSuspension, id, t + kHour, unit(kStreet)).code(),
            absl::StatusCode::kInvalidArgument)
      << "the reason is required";
  ASSERT_TRUE(
      simple(b.e, CommandKind::kRequestSuspension, id, t + kHour, unit(kStreet), "需司法鉴定")
          .ok());
  EXPECT_EQ(b.e.find(id)->state, State::kSuspensionRequested);
  EXPECT_EQ(b.e.find(id)->suspended_since, 0) << "the clock runs while the centre decides";
  // Only a reviewer decides.
  EXPECT_EQ(refusal(simple(b.e, CommandKind::kApproveSuspension, id, t + kDay, unit(kStreet))),
            Refusal::kNotReviewer);
  ASSERT_TRUE(simple(b.e, CommandKind::kApproveSuspension, id, t + kDay, centre()).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kSuspended);
  EXPECT_EQ(b.e.find(id)->suspended_since, t + kDay);
  // Resumed two days later: the reply deadline moves by the two days approved, not
  // by the day the request waited.
  ASSERT_TRUE(simple(b.e, CommandKind::kResume, id, t + 3 * kDay, centre()).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kHandling);
  EXPECT_EQ(deadline(b.e, id, StepId::kReply).due, due + 2 * kDay);
}

TEST(SuspensionRequest, ARefusalPutsTheOrderBackInHand) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = submit_req(b.e, Req{}.at(t));
  ASSERT_TRUE(dispatch_to(b.e, id, t, kStreet, {kMarketDept}).ok());
  ASSERT_TRUE(sign(b.e, id, t + 10 * kMinute).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kRequestSuspension, id, t + kHour, unit(kStreet), "需司法鉴定")
          .ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kRefuseSuspension, id, t + 2 * kHour, centre()).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kCoHandling) << "back where it was: a report is pending";
  EXPECT_EQ(b.e.find(id)->suspended_since, 0);
  EXPECT_EQ(refusal(simple(b.e, CommandKind::kApproveSuspension, id, t + 3 * kHour, centre())),
            Refusal::kState)
      << "nothing left to decide";
}

Command supervise(CaseId id, TimeMs t, Actor by) {
  Command c = cmd(CommandKind::kSupervise, id, t, by);
  c.payload.level = SupervisionLevel::kDistrict;
  c.payload.unit = by.unit;
  c.payload.text = "请加快办理";
  return c;
}

TEST(Supervision, ADistrictSupervisesItsOwnStreetsOrdersInEveryHandlingState) {
  Beijing b;
  CaseId id = 0;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());  // 和平街街道, in 朝阳区
  constexpr UnitId kHaidianDistrict = 110108;
  // Another district, a street, a citizen: refused, and nothing changes.
  for (Actor who : {unit(kHaidianDistrict), unit(kStreet2), citizen()}) {
    core::Case before = *b.e.find(id);
    absl::Status s = b.e.apply(supervise(id, t + kHour, who));
    EXPECT_EQ(refusal(s), Refusal::kNotSupervisor) << s;
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_TRUE(*b.e.find(id) == before);
  }
  // 朝阳区 supervises while in hand, after the reply and after the visit.
  ASSERT_TRUE(b.e.apply(supervise(id, t + kHour, unit(kDistrict))).ok());
  EXPECT_EQ(b.e.find(id)->supervision_level, SupervisionLevel::kDistrict);
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  ASSERT_TRUE(b.e.apply(supervise(id, t + kDay + kHour, unit(kDistrict))).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kReplied);
  ASSERT_TRUE(visit(b.e, id, t + 2 * kDay, false).ok());
  ASSERT_TRUE(b.e.apply(supervise(id, t + 2 * kDay + kHour, op())).ok()) << "the centre too";
  EXPECT_EQ(b.e.find(id)->state, State::kVisited);
  EXPECT_EQ(events_of_type(b.e, id, EventType::kSupervised).size(), 3u);

  // The log replays with the policy, and without it (the log says who).
  expect_replays_with_and_without_policy(b.e, id);
}

}  // namespace
}  // namespace jszb::testing
