// Art. 23: an order is visited when its deadline expires or after the reply.
// Once the reply deadline has passed, the centre may visit an order in hand;
// if neither a reply nor a visit comes within the return-visit window after
// the deadline, the order enters scoring on its own (JSZB_EVENT_AUTO_VISITED),
// as the policy says. A unit cannot score by not replying.
#include <map>
#include <string>
#include <vector>

#include "engine/scoring_fixture.h"
#include "fixture.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"

namespace jszb::testing {
namespace {

using core::Period;
using core::UnitScore;

UnitScore score_of(const Engine& e, UnitId unit, Period p) {
  absl::StatusOr<std::vector<UnitScore>> all = core::assess(log_of(e), p);
  EXPECT_TRUE(all.ok()) << all.status();
  for (const UnitScore& s : *all) {
    if (s.unit == unit) return s;
  }
  return UnitScore{};
}

// A request of its own (ref), dispatched to the street at t, signed and the
// citizen contacted (in_hand() for several cases).
CaseId in_hand_named(Engine& e, TimeMs t, const std::string& ref) {
  CaseId id = submit_req(e, Req{}.named(ref).at(t));
  EXPECT_TRUE(dispatch_to(e, id, t, kStreet).ok());
  EXPECT_TRUE(sign(e, id, t + 10 * kMinute).ok());
  EXPECT_TRUE(contact(e, id, t + 20 * kMinute).ok());
  return id;
}

TEST(Expiry, AStreetCannotScoreByNotReplying) {
  // 3 orders signed; one replied and visited satisfied; two never replied,
  // supervised up to the city for a month.
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId done = in_hand_named(b.e, t, "done");
  CaseId silent1 = in_hand_named(b.e, t, "silent-1");
  CaseId silent2 = in_hand_named(b.e, t, "silent-2");
  ASSERT_TRUE(reply(b.e, done, bj(2024, 3, 6, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, done, bj(2024, 3, 7, 10, 0), true).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  EXPECT_EQ(b.e.find(silent1)->supervision_level, SupervisionLevel::kCity);

  for (CaseId id : {silent1, silent2}) {
    std::vector<core::Event> result = events_of_type(b.e, id, EventType::kAutoVisited);
    ASSERT_EQ(result.size(), 1u) << "case " << id;
    // The window: 3 working days after the breach of 11 March.
    EXPECT_EQ(show(result[0].time), "2024-03-14 10:00");
    EXPECT_EQ(result[0].actor, sys());
    EXPECT_EQ(result[0].state, State::kHandling) << "the order stays in hand";
    EXPECT_TRUE(result[0].payload.valid_visit);
    EXPECT_FALSE(result[0].payload.contacted);
    EXPECT_FALSE(result[0].payload.solved);
    EXPECT_EQ(result[0].payload.satisfaction, Satisfaction::kNotSatisfied);
    EXPECT_NE(result[0].payload.text.find("Art. 23"), std::string_view::npos);
    EXPECT_TRUE(b.e.find(id)->credit.automatic);
    EXPECT_EQ(b.e.find(id)->visited, 0) << "nobody visited";
  }
  UnitScore s = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(s.visits, 3u) << "the overdue orders are among the valid visits";
  EXPECT_EQ(s.solved, 1u);
  EXPECT_EQ(s.satisfied, 1u);
  EXPECT_LT(s.composite, 1.0);
  EXPECT_NEAR(s.composite, 1.0 / 3, 1e-9);
  EXPECT_EQ(s.replies, 3u) << "each expired order is a late completion";
  EXPECT_EQ(s.replied_on_time, 1u);
  EXPECT_NEAR(s.completion_on_time_rate(), 1.0 / 3, 1e-9);
  expect_counters_agree(b.e, kMarch2024);
  expect_replays(b.e, {done, silent1, silent2});
}

TEST(Expiry, AReplyAMinuteBeforeTheDeadlineIsOnTimeAndNothingExpires) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kReply).due), "2024-03-11 10:00");
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 11, 9, 59)).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  EXPECT_TRUE(events_of_type(b.e, id, EventType::kAutoVisited).empty());
  EXPECT_FALSE(deadline(b.e, id, StepId::kExpiryVisit).running());
  UnitScore s = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(s.replies, 1u);
  EXPECT_EQ(s.replied_on_time, 1u);
  EXPECT_EQ(s.visits, 0u) << "replied: the centre's return visit decides";
  expect_counters_agree(b.e, kMarch2024);
}

TEST(Expiry, ASuspendedOrderDoesNotExpireWhilePaused) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kSuspend, id, bj(2024, 3, 5, 10, 0), centre(), "鉴定").ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 30)).ok());
  EXPECT_TRUE(events_of_type(b.e, id, EventType::kAutoVisited).empty());
  EXPECT_FALSE(deadline(b.e, id, StepId::kExpiryVisit).running());
  // Nor may the centre visit it as expired.
  absl::Status early = visit(b.e, id, bj(2024, 4, 30, 10, 0), false);
  EXPECT_EQ(refusal(early), Refusal::kState) << early;
  // Resumed, the clock goes on where it stopped: 6 days left.
  ASSERT_TRUE(simple(b.e, CommandKind::kResume, id, bj(2024, 5, 6, 10, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kReply).due), "2024-05-12 10:00");
  ASSERT_TRUE(b.e.advance(bj(2024, 6, 1)).ok());
  EXPECT_EQ(events_of_type(b.e, id, EventType::kAutoVisited).size(), 1u);
}

TEST(Expiry, TheCentreVisitsOnlyOnceTheReplyDeadlineHasPassed) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 11, 10, 0)).ok());  // the breach fires
  core::Case before = *b.e.find(id);
  absl::Status early = visit(b.e, id, bj(2024, 3, 11, 10, 0), false);
  EXPECT_EQ(refusal(early), Refusal::kNotOverdue) << early;
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(*b.e.find(id) == before) << "a refusal changes nothing";
  // A unit may not visit, overdue or not.
  Command by_unit = cmd(CommandKind::kVisit, id, bj(2024, 3, 11, 10, 1), unit(kStreet));
  by_unit.payload.valid_visit = true;
  by_unit.payload.satisfaction = Satisfaction::kNotSatisfied;
  EXPECT_EQ(refusal(b.e.apply(by_unit)), Refusal::kNotCentre);
  // A minute after the deadline: the centre calls the citizen, unsolved.
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 11, 10, 1), false).ok());
  const core::Case& c = *b.e.find(id);
  EXPECT_EQ(c.state, State::kVisited);
  EXPECT_EQ(c.replied, 0) << "visited without a reply";
  EXPECT_FALSE(c.credit.automatic);
  EXPECT_FALSE(deadline(b.e, id, StepId::kReply).running()) << "the visit ends the unit's clock";
  // Unsolved: redo, with a new reply deadline, as after any visit.
  ASSERT_TRUE(simple(b.e, CommandKind::kRedo, id, bj(2024, 3, 11, 11, 0), op()).ok());
  EXPECT_EQ(b.e.find(id)->state, State::kHandling);
  EXPECT_TRUE(deadline(b.e, id, StepId::kReply).running());
  UnitScore s = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(s.visits, 1u);
  EXPECT_EQ(s.solved, 0u);
  expect_counters_agree(b.e, kMarch2024);
  expect_replays(b.e, {id});
}

TEST(Expiry, ALaterReplyIsLateAndALaterVisitReplacesTheResult) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 15)).ok());
  ASSERT_TRUE(b.e.find(id)->credit.automatic);
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 15, 10, 0)).ok());
  UnitScore after_reply = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(after_reply.replies, 1u) << "counted once, late, when the order expired";
  EXPECT_EQ(after_reply.replied_on_time, 0u);
  EXPECT_EQ(after_reply.visits, 1u);
  EXPECT_EQ(after_reply.solved, 0u) << "the engine's result stands until a visit";
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 16, 10, 0), true).ok());
  EXPECT_FALSE(b.e.find(id)->credit.automatic);
  UnitScore after_visit = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(after_visit.visits, 1u) << "the visit that stands replaces the engine's";
  EXPECT_EQ(after_visit.solved, 1u);
  EXPECT_EQ(after_visit.satisfied, 1u);
  EXPECT_EQ(after_visit.replies, 1u);
  expect_counters_agree(b.e, kMarch2024);
  expect_replays(b.e, {id});
}

TEST(Expiry, AnExtensionApprovedAfterTheDeadlineMovesItButTheExpiryStaysCounted) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 12, 10, 0)).ok());  // breached on the 11th
  EXPECT_TRUE(deadline(b.e, id, StepId::kExpiryVisit).running());
  Command ask = cmd(CommandKind::kRequestExtension, id, bj(2024, 3, 12, 10, 0), unit(kStreet));
  ask.payload.until = bj(2024, 3, 20, 10, 0);
  ask.payload.text = "需协调产权单位";
  ASSERT_TRUE(b.e.apply(ask).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kApproveExtension, id, bj(2024, 3, 12, 11, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kReply).due), "2024-03-20 10:00");
  EXPECT_FALSE(deadline(b.e, id, StepId::kExpiryVisit).running()) << "not expired any more";
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 19, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 20, 10, 0), true).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  EXPECT_TRUE(events_of_type(b.e, id, EventType::kAutoVisited).empty());
  core::UnitTally t = recounted(b.e).at(kStreet);
  EXPECT_EQ(t.breached, 1) << "the breach of the 11th stays counted";
  EXPECT_EQ(t.replied_on_time, 1) << "on time against the deadline as extended";
  expect_counters_agree(b.e, kMarch2024);
}

TEST(Expiry, AnOrderThatExpiresTwiceInOneCycleCountsOneLateCompletion) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 15)).ok());  // the first result, 14 March
  // An extension approved after it: the deadline moves, and passes again unanswered.
  Command ask = cmd(CommandKind::kRequestExtension, id, bj(2024, 3, 15, 9, 0), unit(kStreet));
  ask.payload.until = bj(2024, 3, 18, 10, 0);
  ask.payload.text = "需协调产权单位";
  ASSERT_TRUE(b.e.apply(ask).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kApproveExtension, id, bj(2024, 3, 15, 10, 0), centre()).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  EXPECT_EQ(events_of_type(b.e, id, EventType::kAutoVisited).size(), 2u);
  UnitScore s = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(s.replies, 1u) << "one order, one late completion";
  EXPECT_EQ(s.visits, 1u) << "the latest result stands";
  expect_counters_agree(b.e, kMarch2024);
}

TEST(Expiry, APolicyMayRecordTheResultWithoutCountingIt) {
  v1::Policy msg = Policy::beijing()->message();
  msg.set_version(msg.version() + 100);
  msg.set_expiry_result(v1::EXPIRY_NOT_COUNTED);
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  PolicyPtr p = must_load(text, "beijing.textproto");
  Beijing b(p);
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  std::vector<core::Event> result = events_of_type(b.e, id, EventType::kAutoVisited);
  ASSERT_EQ(result.size(), 1u);
  EXPECT_FALSE(result[0].payload.valid_visit);
  EXPECT_NE(result[0].payload.text.find("not counted"), std::string_view::npos);
  UnitScore s = score_of(b.e, kStreet, kMarch2024);
  EXPECT_EQ(s.visits, 0u);
  EXPECT_EQ(s.replies, 1u) << "still a late completion";
  expect_counters_agree(b.e, kMarch2024);
}

// The gaming scenario of AStreetCannotScoreByNotReplying in `b` (the done
// order, then the two silent ones in *ids); the street's score over March.
UnitScore gaming_scenario(Beijing& b, std::vector<CaseId>* ids) {
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId done = in_hand_named(b.e, t, "done");
  ids->assign({done, in_hand_named(b.e, t, "silent-1"), in_hand_named(b.e, t, "silent-2")});
  EXPECT_TRUE(reply(b.e, done, bj(2024, 3, 6, 10, 0)).ok());
  EXPECT_TRUE(visit(b.e, done, bj(2024, 3, 7, 10, 0), true).ok());
  EXPECT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  return score_of(b.e, kStreet, kMarch2024);
}

TEST(Expiry, APolicyMayCountTheResultAsNotSolvedOnly) {
  v1::Policy msg = Policy::beijing()->message();
  msg.set_version(msg.version() + 100);
  msg.set_expiry_result(v1::EXPIRY_COUNTED_AS_NOT_SOLVED);
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  PolicyPtr p = must_load(text, "beijing.textproto");
  Beijing b(p);
  std::vector<CaseId> ids;
  UnitScore s = gaming_scenario(b, &ids);
  for (CaseId id : {ids[1], ids[2]}) {
    std::vector<core::Event> result = events_of_type(b.e, id, EventType::kAutoVisited);
    ASSERT_EQ(result.size(), 1u);
    EXPECT_TRUE(result[0].payload.valid_visit);
    EXPECT_FALSE(result[0].payload.contacted);
    EXPECT_FALSE(result[0].payload.solved);
    EXPECT_EQ(result[0].payload.satisfaction, Satisfaction::kUnspecified) << "nobody answered";
    EXPECT_NE(result[0].payload.text.find("resolution rate only"), std::string_view::npos);
  }
  // Resolution drops; response and satisfaction stay those of the one visit.
  EXPECT_EQ(s.visits, 3u);
  EXPECT_EQ(s.resolution_only_visits, 2u);
  EXPECT_EQ(s.solved, 1u);
  EXPECT_NEAR(s.resolution, 1.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(s.response, 1.0);
  EXPECT_DOUBLE_EQ(s.satisfaction, 1.0);
  EXPECT_NEAR(s.composite, 0.1 + 0.5 / 3 + 0.4, 1e-9);
  EXPECT_EQ(s.replies, 3u);
  EXPECT_EQ(s.replied_on_time, 1u);
  // Under the default, the same orders drop all three rates.
  Beijing failed;
  std::vector<CaseId> failed_ids;
  UnitScore d = gaming_scenario(failed, &failed_ids);
  EXPECT_EQ(d.resolution_only_visits, 0u);
  EXPECT_NEAR(d.response, 1.0 / 3, 1e-9);
  EXPECT_NEAR(d.resolution, s.resolution, 1e-9);
  EXPECT_LT(d.composite, s.composite);
  expect_counters_agree(b.e, kMarch2024);
  EXPECT_EQ(recounted(b.e).at(kStreet).resolution_only_visits, 2);
  // A later real visit replaces the engine's result, and its marker.
  ASSERT_TRUE(visit(b.e, ids[1], bj(2024, 4, 5, 10, 0), true).ok());
  EXPECT_EQ(recounted(b.e).at(kStreet).resolution_only_visits, 1);
  EXPECT_EQ(recounted(b.e).at(kStreet).visits, 3);
  expect_counters_agree(b.e, kMarch2024);
  Engine fresh;
  ASSERT_TRUE(fresh.load_policy(p).ok());
  absl::Status replayed = absl::OkStatus();
  ASSERT_TRUE(b.e.for_each_logged([&](const core::Event& ev) {
                   if (replayed.ok()) replayed = fresh.replay(ev);
                 })
                  .ok());
  ASSERT_TRUE(replayed.ok()) << replayed;
  for (CaseId id : ids) EXPECT_TRUE(*fresh.find(id) == *b.e.find(id)) << "case " << id;
}

TEST(Expiry, AnUnknownResultIsRefusedAtLoad) {
  absl::StatusOr<PolicyPtr> p =
      load_policy_text(beijing_text() + "expiry_result: 9\n", "beijing.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("expiry_result"), std::string_view::npos) << p.status();
}

TEST(Expiry, AReplayedResultMustFitItsCase) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 20)).ok());
  std::vector<core::Event> log = b.e.events(id);
  Engine fresh;
  ASSERT_TRUE(fresh.load_policy(Policy::beijing()).ok());
  for (const core::Event& ev : log) {
    if (ev.type == EventType::kAutoVisited) {
      // Early: before the window ran out.
      core::Event early = ev;
      early.time = ev.time - kHour;
      core::Event forged = ev;
      forged.actor = centre();
      EXPECT_EQ(fresh.replay(early).code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(fresh.replay(forged).code(), absl::StatusCode::kInvalidArgument);
    }
    ASSERT_TRUE(fresh.replay(ev).ok()) << core::name(ev.type);
  }
  EXPECT_TRUE(*fresh.find(id) == *b.e.find(id));
}

}  // namespace
}  // namespace jszb::testing
