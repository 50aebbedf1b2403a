// Two paths of issue 10: 挂账, the long-term pending list for matters explained
// to the citizen but not solvable now, with a review date and a policy choice
// on the rates; and the community level, where the lead street forwards an
// order to one of its communities (居委会/村委会) and stays responsible.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "engine/scoring_fixture.h"
#include "fixture.h"

namespace jszb::testing {
namespace {

// Communities of the built-in policy: jszb's code, from the national one.
constexpr UnitId kShengguzhuang = 2105007039;  // 胜古庄社区居委会, under 和平街街道 (kStreet)
constexpr UnitId kYinghuayuan = 2105007040;  // 樱花园社区居委会, under 和平街街道
constexpr UnitId kHuajiadi = 2105026034;  // 花家地西里社区居委会, under 望京街道 (kStreet2)

Command hold(CaseId id, TimeMs t, TimeMs review_on, Actor by = centre()) {
  Command c = cmd(CommandKind::kHoldLongTerm, id, t, by);
  c.payload.until = review_on;
  c.payload.text = "需纳入明年老旧小区改造计划";
  return c;
}

// A request of its own (ref), in hand at t, replied to a day later (contacted,
// not solvable now) and visited not satisfied the day after.
CaseId visited_unsatisfied(Engine& e, TimeMs t, const std::string& ref) {
  CaseId id = submit_req(e, Req{}.named(ref).at(t));
  EXPECT_TRUE(dispatch_to(e, id, t, kStreet).ok());
  EXPECT_TRUE(sign(e, id, t + 10 * kMinute).ok());
  EXPECT_TRUE(reply(e, id, t + kDay).ok());
  EXPECT_TRUE(visit(e, id, t + 2 * kDay, false).ok());
  return id;
}

// The built-in policy, one version on, with `extra` appended.
PolicyPtr beijing_with(const std::string& extra) {
  std::string text = absl::StrReplaceAll(
      beijing_text(), {{absl::StrFormat("\nversion: %d\n", kBeijingVersion),
                        absl::StrFormat("\nversion: %d\n", kBeijingVersion + 1)}});
  absl::StatusOr<PolicyPtr> p = load_policy_text(text + extra, "beijing-policy.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

// ------------------------------------------------------------------ 挂账

TEST(LongTermPending, AReplyOrVisitGoesOnTheListUntilItsReviewDate) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  // Not before the citizen has been answered: a matter in hand is handled.
  EXPECT_EQ(refusal(b.e.apply(hold(id, t + kHour, t + 90 * kDay))), Refusal::kState);
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  ASSERT_TRUE(deadline(b.e, id, StepId::kReturnVisit).running());

  const TimeMs review = bj(2024, 6, 1, 9, 0);
  ASSERT_TRUE(b.e.apply(hold(id, t + 2 * kDay, review)).ok());
  const core::Case& c = *b.e.find(id);
  EXPECT_EQ(c.state, State::kLongTermPending);
  EXPECT_FALSE(deadline(b.e, id, StepId::kReturnVisit).running()) << "off the handling clocks";
  const core::Deadline& r = deadline(b.e, id, StepId::kLongTermReview);
  EXPECT_TRUE(r.running());
  EXPECT_EQ(r.start, t + 2 * kDay);
  EXPECT_EQ(r.due, review);
  std::vector<core::Event> held = events_of_type(b.e, id, EventType::kHeldLongTerm);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_FALSE(held[0].payload.valid_visit) << "the built-in policy keeps it out of the rates";
  EXPECT_EQ(held[0].payload.text, "需纳入明年老旧小区改造计划");
  expect_replays(b.e, {id});
}

TEST(LongTermPending, BadHoldsAreRefusedAndChangeNothing) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  const core::Case before = *b.e.find(id);
  const TimeMs now = t + 2 * kDay;

  EXPECT_EQ(refusal(b.e.apply(hold(id, now, now + 30 * kDay, unit(kStreet)))),
            Refusal::kNotReviewer);
  EXPECT_EQ(refusal(b.e.apply(hold(id, now, now + 30 * kDay, op()))), Refusal::kNotReviewer);
  Command no_date = hold(id, now, 0);
  EXPECT_THAT(b.e.apply(no_date).message(), ::testing::HasSubstr("payload.until_ms is missing"));
  Command no_reason = hold(id, now, now + 30 * kDay);
  no_reason.payload.text = {};
  EXPECT_THAT(b.e.apply(no_reason).message(), ::testing::HasSubstr("payload.text is missing"));
  EXPECT_THAT(b.e.apply(hold(id, now, now - kHour)).message(),
              ::testing::HasSubstr("is not after the command's time"));
  Command own_verdict = hold(id, now, now + 30 * kDay);
  own_verdict.payload.valid_visit = true;
  EXPECT_THAT(b.e.apply(own_verdict).message(),
              ::testing::HasSubstr("the engine sets it from the policy"));
  EXPECT_TRUE(*b.e.find(id) == before);
  EXPECT_EQ(b.e.events(id).size(), before.event_count);
}

TEST(LongTermPending, TheReviewReopensToHandlingOrCloses) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId reopened = visited_unsatisfied(b.e, t, "held-1");
  CaseId closed = visited_unsatisfied(b.e, t, "held-2");
  for (CaseId id : {reopened, closed}) {
    ASSERT_TRUE(b.e.apply(hold(id, t + 3 * kDay, t + 30 * kDay)).ok());
  }
  // Only the centre reviews; a unit cannot take its order off the list.
  EXPECT_EQ(refusal(simple(b.e, CommandKind::kRedo, reopened, t + 20 * kDay, unit(kStreet))),
            Refusal::kNotCentre);

  ASSERT_TRUE(simple(b.e, CommandKind::kRedo, reopened, t + 20 * kDay, op()).ok());
  EXPECT_EQ(b.e.find(reopened)->state, State::kHandling);
  EXPECT_TRUE(deadline(b.e, reopened, StepId::kReply).running()) << "a new handling cycle";
  EXPECT_EQ(deadline(b.e, reopened, StepId::kReply).start, t + 20 * kDay);
  EXPECT_FALSE(deadline(b.e, reopened, StepId::kLongTermReview).running());

  ASSERT_TRUE(simple(b.e, CommandKind::kClose, closed, t + 20 * kDay, op()).ok());
  EXPECT_EQ(b.e.find(closed)->state, State::kClosed);
  EXPECT_FALSE(deadline(b.e, closed, StepId::kLongTermReview).running());
  expect_replays(b.e, {reopened, closed});
}

TEST(LongTermPending, AnOrderRepliedToButNeverVisitedCanBeClosedFromTheList) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  ASSERT_TRUE(b.e.apply(hold(id, t + 2 * kDay, t + 30 * kDay)).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, t + 25 * kDay, op()).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kClosed);
  EXPECT_EQ(b.e.find(id)->visited, 0);
  expect_counters_agree(b.e);
}

TEST(LongTermPending, ByDefaultAListedOrderLeavesTheRates) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = visited_unsatisfied(b.e, t, "held-3");
  ASSERT_EQ(recounted(b.e)[kStreet].visits, 1);
  ASSERT_TRUE(b.e.apply(hold(id, t + 3 * kDay, t + 30 * kDay)).ok());
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kStreet].visits, 0) << "its unsatisfied visit no longer counts";
  EXPECT_EQ(tallies[kStreet].not_satisfied, 0);
  EXPECT_EQ(tallies[kStreet].replies, 1) << "the reply's timeliness still counts";
  EXPECT_EQ(tallies[kStreet].long_term_held, 1) << "counted on its own";
  expect_counters_agree(b.e);
  // Closed from the list, it stays out.
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, t + 20 * kDay, op()).ok());
  EXPECT_EQ(recounted(b.e)[kStreet].visits, 0);
  expect_counters_agree(b.e);
  // A result out of the rates is nothing to appeal.
  EXPECT_EQ(
      refusal(simple(b.e, CommandKind::kAppeal, id, t + 21 * kDay, unit(kStreet), "回访结果有误")),
      Refusal::kNotAppealable);
}

TEST(LongTermPending, APolicyMayKeepListedOrdersInTheRates) {
  PolicyPtr in_rates = beijing_with("long_term_pending: LONG_TERM_IN_RATES\n");
  ASSERT_NE(in_rates, nullptr);
  Beijing b(in_rates);
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = visited_unsatisfied(b.e, t, "held-4");
  ASSERT_TRUE(b.e.apply(hold(id, t + 3 * kDay, t + 30 * kDay)).ok());
  EXPECT_TRUE(events_of_type(b.e, id, EventType::kHeldLongTerm)[0].payload.valid_visit);
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kStreet].visits, 1);
  EXPECT_EQ(tallies[kStreet].not_satisfied, 1);
  expect_counters_agree(b.e);
  expect_replays(b.e, {id}, in_rates);
}

// Art. 23's result is appealed like a visit's, once the order is closed: an
// order that expired unreplied, was answered late and then listed and closed
// under a policy that keeps it in the rates.
TEST(LongTermPending, TheEnginesResultIsAppealedLikeAVisitsOnceClosed) {
  PolicyPtr in_rates = beijing_with("long_term_pending: LONG_TERM_IN_RATES\n");
  ASSERT_NE(in_rates, nullptr);
  Beijing b(in_rates);
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(b.e.advance(t + 20 * kDay).ok());
  ASSERT_TRUE(b.e.find(id)->credit.automatic) << "expired without reply or visit";
  ASSERT_EQ(recounted(b.e)[kStreet].visits, 1);
  ASSERT_TRUE(reply(b.e, id, t + 20 * kDay + kHour).ok());
  ASSERT_TRUE(b.e.apply(hold(id, t + 21 * kDay, t + 90 * kDay)).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kClose, id, t + 22 * kDay, op()).ok());
  ASSERT_TRUE(b.e.find(id)->credit.automatic) << "still the engine's result";
  ASSERT_TRUE(simple(b.e, CommandKind::kAppeal, id, t + 22 * kDay + kHour, unit(kStreet),
                     "逾期前已电话联系诉求人")
                  .ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kUpholdAppeal, id, t + 23 * kDay, centre(), "核实通话记录").ok());
  EXPECT_EQ(recounted(b.e)[kStreet].visits, 0) << "set aside on appeal";
  expect_counters_agree(b.e);
  expect_replays(b.e, {id}, in_rates);
}

TEST(LongTermPending, AnUnknownRatesChoiceIsRefusedAtLoad) {
  absl::StatusOr<PolicyPtr> p =
      load_policy_text(beijing_text() + "long_term_pending: 9\n", "beijing-policy.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(),
              ::testing::HasSubstr("long_term_pending 9: expected LONG_TERM_OUT_OF_RATES"));
}

TEST(LongTermPending, AMissedReviewIsTheCentresNotTheUnits) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = visited_unsatisfied(b.e, t, "held-5");
  const TimeMs review = t + 10 * kDay;
  ASSERT_TRUE(b.e.apply(hold(id, t + 3 * kDay, review)).ok());
  ASSERT_TRUE(b.e.advance(review + kHour).ok());
  bool breached = false;
  for (const core::Event& ev : events_of_type(b.e, id, EventType::kDeadlineBreached)) {
    breached = breached || ev.payload.step == static_cast<std::uint8_t>(StepId::kLongTermReview);
  }
  EXPECT_TRUE(breached) << "the review date passing is announced";
  EXPECT_EQ(recounted(b.e)[kStreet].breached, 0);
  expect_counters_agree(b.e);
}

// ------------------------------------------------------------- communities

Command forward(CaseId id, TimeMs t, UnitId community, UnitId by = kStreet) {
  Command c = cmd(CommandKind::kForwardToCommunity, id, t, unit(by));
  c.payload.unit = community;
  c.payload.text = "请社区入户核实";
  return c;
}

Command community_reply(CaseId id, TimeMs t, UnitId community) {
  Command c = cmd(CommandKind::kCommunityReply, id, t, unit(community));
  c.payload.text = "已协调物业修复";
  c.payload.solved = true;
  return c;
}

TEST(Communities, TheBuiltInPolicyHasEveryCommunityUnderItsStreet) {
  PolicyPtr p = Policy::beijing();
  const core::UnitInfo* u = p->unit(kShengguzhuang);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->name, "胜古庄社区居委会");
  EXPECT_EQ(u->unit_class, v1::UNIT_CLASS_COMMUNITY);
  EXPECT_EQ(u->street, kStreet);
  EXPECT_EQ(u->district, 110105u) << "its street's district";
  EXPECT_EQ(u->national_code, 110105007039u);
  int communities = 0;
  for (const v1::Unit& unit : p->message().units()) {
    communities += unit.unit_class() == v1::UNIT_CLASS_COMMUNITY;
  }
  EXPECT_EQ(communities, 7535);
}

TEST(Communities, TheStreetForwardsAndStaysResponsible) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  const TimeMs reply_due = deadline(b.e, id, StepId::kReply).due;
  ASSERT_TRUE(b.e.apply(forward(id, t + kHour, kShengguzhuang)).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kCommunitySign, id, t + kHour + 5 * kMinute, unit(kShengguzhuang))
          .ok());
  ASSERT_TRUE(b.e.apply(community_reply(id, t + 5 * kHour, kShengguzhuang)).ok());
  const core::Case& c = *b.e.find(id);
  EXPECT_EQ(c.state, State::kHandling);
  EXPECT_EQ(c.lead_unit, kStreet) << "the street stays the lead";
  EXPECT_EQ(c.community_unit, kShengguzhuang);
  EXPECT_EQ(c.community_signed, t + kHour + 5 * kMinute);
  EXPECT_EQ(c.community_replied, t + 5 * kHour);
  EXPECT_EQ(deadline(b.e, id, StepId::kReply).due, reply_due) << "the street's clock runs on";

  // The community's report is not the street's reply: only the street replies,
  // and the order is scored for the street alone.
  Command by_community = cmd(CommandKind::kReply, id, t + 6 * kHour, unit(kShengguzhuang));
  by_community.payload.text = "已处理";
  EXPECT_EQ(refusal(b.e.apply(by_community)), Refusal::kNotOwner);
  ASSERT_TRUE(reply(b.e, id, t + 6 * kHour).ok());
  ASSERT_TRUE(visit(b.e, id, t + kDay, true).ok());
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kStreet].visits, 1);
  EXPECT_EQ(tallies.count(kShengguzhuang), 0u);
  expect_counters_agree(b.e);
  expect_replays(b.e, {id});
}

TEST(Communities, WrongUnitsAreRefusedAndChangeNothing) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  const core::Case before = *b.e.find(id);
  const TimeMs now = t + kHour;
  EXPECT_EQ(refusal(b.e.apply(forward(id, now, kHuajiadi))), Refusal::kNotCommunityOfLead)
      << "another street's community";
  EXPECT_EQ(refusal(b.e.apply(forward(id, now, kStreet2))), Refusal::kNotCommunityOfLead)
      << "not a community";
  EXPECT_EQ(refusal(b.e.apply(forward(id, now, kShengguzhuang, kStreet2))), Refusal::kNotOwner);
  EXPECT_EQ(refusal(simple(b.e, CommandKind::kCommunitySign, id, now, unit(kShengguzhuang))),
            Refusal::kNotCommunity)
      << "not forwarded yet";
  Command no_unit = forward(id, now, 0);
  EXPECT_THAT(b.e.apply(no_unit).message(), ::testing::HasSubstr("payload.unit is missing"));
  EXPECT_TRUE(*b.e.find(id) == before);

  ASSERT_TRUE(b.e.apply(forward(id, now, kShengguzhuang)).ok());
  const core::Case forwarded = *b.e.find(id);
  EXPECT_EQ(refusal(simple(b.e, CommandKind::kCommunitySign, id, now, unit(kYinghuayuan))),
            Refusal::kNotCommunity)
      << "a sister community";
  Command silent = community_reply(id, now, kShengguzhuang);
  silent.payload.text = {};
  EXPECT_THAT(b.e.apply(silent).message(), ::testing::HasSubstr("payload.text is missing"));
  EXPECT_THAT(b.e.apply(forward(id, now, kShengguzhuang)).message(),
              ::testing::HasSubstr("the community case"));
  EXPECT_TRUE(*b.e.find(id) == forwarded);

  // Forwarded on to a sister community: that one signs now, the first no more.
  ASSERT_TRUE(b.e.apply(forward(id, now + kHour, kYinghuayuan)).ok());
  EXPECT_EQ(
      refusal(simple(b.e, CommandKind::kCommunitySign, id, now + kHour, unit(kShengguzhuang))),
      Refusal::kNotCommunity);
  EXPECT_TRUE(simple(b.e, CommandKind::kCommunitySign, id, now + kHour, unit(kYinghuayuan)).ok());
}

TEST(Communities, AreNeverDispatchedToDirectly) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = submit_req(b.e, Req{}.at(t));
  absl::Status s = dispatch_to(b.e, id, t, kShengguzhuang);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("is a community"));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("110105007"));
  EXPECT_EQ(b.e.find(id)->state, State::kReceived);
}

TEST(Communities, ARedispatchForgetsTheFirstStreetsCommunity) {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, t, &id).ok());
  ASSERT_TRUE(b.e.apply(forward(id, t + kHour, kShengguzhuang)).ok());
  ASSERT_TRUE(reply(b.e, id, t + kDay).ok());
  ASSERT_TRUE(visit(b.e, id, t + 2 * kDay, false).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kRedo, id, t + 2 * kDay + kHour, op()).ok());
  Command again = cmd(CommandKind::kDispatch, id, t + 3 * kDay, centre());
  again.payload.unit = kStreet2;
  ASSERT_TRUE(b.e.apply(again).ok());
  EXPECT_EQ(b.e.find(id)->community_unit, 0u);
  absl::Status signed_for = sign(b.e, id, t + 3 * kDay + 30 * kMinute);
  ASSERT_TRUE(signed_for.ok()) << signed_for;
  EXPECT_TRUE(b.e.apply(forward(id, t + 3 * kDay + 2 * kHour, kHuajiadi, kStreet2)).ok());
  expect_replays(b.e, {id});
}

TEST(Communities, PolicyProblemsAreNamed) {
  const std::string base =
      "name: \"t\" version: 1\n"
      "calendar { name: \"c\" utc_offset_minutes: 480 weekend_days: [6, 7] "
      "working_hours { from: \"09:00\" to: \"17:00\" } first_year: 2024 last_year: 2024 }\n"
      "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n"
      "units { code: 110105007 name: \"和平街街道\" unit_class: UNIT_CLASS_STREET "
      "district: 110105 }\n";
  absl::StatusOr<PolicyPtr> no_street =
      load_policy_text(base +
                       "units { code: 2105007039 name: \"胜古庄社区居委会\" "
                       "unit_class: UNIT_CLASS_COMMUNITY street: 110105 }\n");
  ASSERT_FALSE(no_street.ok());
  EXPECT_THAT(no_street.status().message(),
              ::testing::HasSubstr("units.street 110105 is not a street unit"));
  absl::StatusOr<PolicyPtr> twice = load_policy_text(
      base +
      "units { code: 2105007039 name: \"胜古庄社区居委会\" unit_class: UNIT_CLASS_COMMUNITY "
      "street: 110105007 }\n"
      "units { code: 2105007040 name: \"胜古庄社区居委会\" unit_class: UNIT_CLASS_COMMUNITY "
      "street: 110105007 }\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), ::testing::HasSubstr("is used twice under street"));
  absl::StatusOr<PolicyPtr> street_on_street =
      load_policy_text(base +
                       "units { code: 110105026 name: \"望京街道\" unit_class: UNIT_CLASS_STREET "
                       "district: 110105 street: 110105007 }\n");
  ASSERT_FALSE(street_on_street.ok());
  EXPECT_THAT(street_on_street.status().message(), ::testing::HasSubstr("is not a community"));
}

}  // namespace
}  // namespace jszb::testing
