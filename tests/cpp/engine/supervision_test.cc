// 督办 sets a deadline of its own (step SUPERVISION, issue 10): a supervision of
// an order whose lead still owes its reply starts the policy's supervision
// clock (2 working days in the Beijing policy), a later one starts it again,
// the lead's reply stops it, and so does the order leaving handling; a
// suspension pauses it. Its breach is the lead's, the escalation ladder may
// name it, and every supervision of a unit as lead is counted for it.
#include <map>
#include <string>
#include <vector>

#include "engine/scoring_fixture.h"
#include "fixture.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"

namespace jszb::testing {
namespace {

using ::testing::ElementsAre;

Command supervise(CaseId id, TimeMs t, Actor by) {
  Command c = cmd(CommandKind::kSupervise, id, t, by);
  c.payload.level = SupervisionLevel::kDistrict;
  c.payload.unit = by.unit;
  c.payload.text = "请加快办理";
  return c;
}

// The Beijing policy, changed by `edit`, under a version of its own.
template <class Edit>
PolicyPtr beijing_with(Edit edit) {
  v1::Policy msg = Policy::beijing()->message();
  msg.set_version(msg.version() + 200);
  edit(msg);
  std::string text;
  EXPECT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  return must_load(text, "beijing.textproto");
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

std::vector<std::string> supervision_timers(const Engine& e, CaseId id) {
  std::vector<std::string> out;
  for (const core::Event& ev : timer_events(e, id)) {
    if (ev.payload.step == static_cast<std::uint8_t>(StepId::kSupervision)) {
      out.push_back(describe_timer(ev));
    }
  }
  return out;
}

TEST(SupervisionDeadline, ASupervisionStartsItAndALaterOneStartsItAgain) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());  // Monday
  EXPECT_FALSE(deadline(b.e, id, StepId::kSupervision).running()) << "no supervision yet";
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 5, 10, 0), unit(kDistrict))).ok());
  const core::Deadline& d = deadline(b.e, id, StepId::kSupervision);
  EXPECT_TRUE(d.running());
  EXPECT_TRUE(d.working);
  EXPECT_EQ(show(d.due), "2024-03-07 10:00") << "2 working days";
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 6, 10, 0), centre())).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kSupervision).due), "2024-03-08 10:00");
  // The lead's reply is what the supervision pressed for.
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 7, 15, 0)).ok());
  EXPECT_FALSE(deadline(b.e, id, StepId::kSupervision).running());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 11, 9, 0)).ok());  // before the return visit is due
  EXPECT_THAT(supervision_timers(b.e, id), ::testing::IsEmpty());
  core::UnitTally t = recounted(b.e).at(kStreet);
  EXPECT_EQ(t.supervised, 2);
  EXPECT_EQ(t.breached, 0);
  expect_counters_agree(b.e);
}

TEST(SupervisionDeadline, ItsBreachIsTheLeadsAndTheLadderMayNameIt) {
  PolicyPtr p = beijing_with([](v1::Policy& msg) {
    v1::EscalationLevel* l = msg.mutable_escalation()->add_ladder();
    l->set_step(v1::STEP_SUPERVISION);
    l->mutable_after_breach()->set_amount(1);
    l->mutable_after_breach()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
    l->set_action(v1::ESCALATION_ACTION_SUPERVISE_CITY);
  });
  Beijing b(p);
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId id = submit_req(b.e, Req{}.at(t));
  constexpr UnitId kMarketDept = 110105901;  // 朝阳市场监管局
  ASSERT_TRUE(dispatch_to(b.e, id, t, kStreet, {kMarketDept}).ok());
  ASSERT_TRUE(sign(b.e, id, t + 10 * kMinute).ok());
  ASSERT_TRUE(contact(b.e, id, t + 20 * kMinute).ok());
  ASSERT_EQ(b.e.find(id)->state, State::kCoHandling);
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 5, 10, 0), unit(kDistrict))).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 8, 12, 0)).ok());
  EXPECT_THAT(supervision_timers(b.e, id),
              ElementsAre("deadline_warning STEP_SUPERVISION mark 0 @2024-03-06 15:42",
                          "deadline_breached STEP_SUPERVISION mark 1 @2024-03-07 10:00",
                          "deadline_escalated STEP_SUPERVISION mark 2 @2024-03-08 10:00"));
  EXPECT_EQ(b.e.find(id)->supervision_level, SupervisionLevel::kCity) << "the ladder's action";
  std::map<UnitId, core::UnitTally> tallies = recounted(b.e);
  EXPECT_EQ(tallies[kStreet].breached, 1) << "the supervision's breach is the lead's";
  EXPECT_EQ(tallies[kMarketDept].breached, 1) << "only its own report, due on the 7th";
  EXPECT_EQ(tallies[kStreet].supervised, 2) << "by the district, then by the ladder";
  EXPECT_EQ(tallies[kMarketDept].supervised, 0);
  expect_counters_agree(b.e);
}

TEST(SupervisionDeadline, ASuspensionPausesIt) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 5, 10, 0), unit(kDistrict))).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kSuspend, id, bj(2024, 3, 6, 10, 0), centre(), "鉴定").ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 8, 9, 0)).ok());
  EXPECT_THAT(supervision_timers(b.e, id), ::testing::IsEmpty())
      << "nothing fires while suspended (the warning was due on the 6th, 15:42)";
  // Resumed on Friday with one working day left: due on Monday.
  ASSERT_TRUE(simple(b.e, CommandKind::kResume, id, bj(2024, 3, 8, 10, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kSupervision).due), "2024-03-11 10:00");
}

TEST(SupervisionDeadline, ASupervisionWhileSuspendedCountsFromTheResume) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kSuspend, id, bj(2024, 3, 5, 10, 0), centre(), "鉴定").ok());
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 6, 10, 0), unit(kDistrict))).ok());
  EXPECT_TRUE(deadline(b.e, id, StepId::kSupervision).running());
  ASSERT_TRUE(simple(b.e, CommandKind::kResume, id, bj(2024, 3, 8, 10, 0), centre()).ok());
  EXPECT_EQ(show(deadline(b.e, id, StepId::kSupervision).due), "2024-03-12 10:00")
      << "two working days from the resume: paused from its own start only";
  expect_counters_agree(b.e);
}

TEST(SupervisionDeadline, ItStopsWhenTheOrderLeavesHandling) {
  Beijing b;
  CaseId terminated = in_hand_named(b.e, bj(2024, 3, 4, 10, 0), "terminated");
  CaseId moved = in_hand_named(b.e, bj(2024, 3, 4, 11, 0), "moved");
  CaseId visited = in_hand_named(b.e, bj(2024, 3, 4, 12, 0), "visited");
  // Terminated (as merged, closed...): every clock stops.
  ASSERT_TRUE(b.e.apply(supervise(terminated, bj(2024, 3, 5, 10, 0), centre())).ok());
  ASSERT_TRUE(
      simple(b.e, CommandKind::kTerminate, terminated, bj(2024, 3, 5, 11, 0), centre(), "转信访")
          .ok());
  EXPECT_FALSE(deadline(b.e, terminated, StepId::kSupervision).running());
  // Re-dispatched after a redo (改派): the new unit gets its own time.
  ASSERT_TRUE(reply(b.e, moved, bj(2024, 3, 5, 10, 0)).ok());
  ASSERT_TRUE(visit(b.e, moved, bj(2024, 3, 5, 11, 0), false).ok());
  ASSERT_TRUE(simple(b.e, CommandKind::kRedo, moved, bj(2024, 3, 5, 12, 0), op()).ok());
  ASSERT_TRUE(b.e.apply(supervise(moved, bj(2024, 3, 5, 14, 0), unit(kDistrict))).ok());
  EXPECT_TRUE(deadline(b.e, moved, StepId::kSupervision).running()) << "the redo owes a reply";
  ASSERT_TRUE(dispatch_to(b.e, moved, bj(2024, 3, 5, 15, 0), kStreet2).ok());
  EXPECT_FALSE(deadline(b.e, moved, StepId::kSupervision).running());
  // A visit on expiry (Art. 23) ends the unit's work, and the supervision's clock.
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 11, 12, 30)).ok());  // the reply deadline passed
  ASSERT_TRUE(b.e.apply(supervise(visited, bj(2024, 3, 11, 13, 0), centre())).ok());
  EXPECT_TRUE(deadline(b.e, visited, StepId::kSupervision).running());
  ASSERT_TRUE(visit(b.e, visited, bj(2024, 3, 11, 14, 0), false).ok());
  EXPECT_FALSE(deadline(b.e, visited, StepId::kSupervision).running());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 20)).ok());
  for (CaseId id : {visited, terminated, moved}) {
    EXPECT_THAT(supervision_timers(b.e, id), ::testing::IsEmpty()) << "case " << id;
  }
  expect_counters_agree(b.e);
}

TEST(SupervisionDeadline, NoClockWhenTheLeadOwesNoReplyOrThePolicyHasNoRule) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  ASSERT_TRUE(reply(b.e, id, bj(2024, 3, 5, 10, 0)).ok());
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 5, 11, 0), unit(kDistrict))).ok());
  EXPECT_FALSE(deadline(b.e, id, StepId::kSupervision).running()) << "replied: nothing owed";
  ASSERT_TRUE(visit(b.e, id, bj(2024, 3, 6, 10, 0), true).ok());
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 6, 11, 0), centre())).ok());
  EXPECT_FALSE(deadline(b.e, id, StepId::kSupervision).running()) << "visited: nothing owed";
  EXPECT_EQ(recounted(b.e).at(kStreet).supervised, 2) << "counted all the same";

  PolicyPtr without_rule = beijing_with([](v1::Policy& msg) {
    auto* rules = msg.mutable_deadline_rules();
    for (int i = rules->size() - 1; i >= 0; --i) {
      if (rules->Get(i).step() == v1::STEP_SUPERVISION) rules->DeleteSubrange(i, 1);
    }
  });
  Beijing other(without_rule);
  CaseId untimed = 0;
  ASSERT_TRUE(in_hand(other.e, bj(2024, 3, 4, 10, 0), &untimed).ok());
  ASSERT_TRUE(other.e.apply(supervise(untimed, bj(2024, 3, 5, 10, 0), centre())).ok());
  EXPECT_FALSE(deadline(other.e, untimed, StepId::kSupervision).running());
  EXPECT_EQ(recounted(other.e).at(kStreet).supervised, 1);
}

TEST(SupervisionDeadline, EscalationsThatSuperviseAreCountedAndTheLogReplays) {
  Beijing b;
  CaseId id = 0;
  ASSERT_TRUE(in_hand(b.e, bj(2024, 3, 4, 10, 0), &id).ok());
  // Overdue on the 11th: the district supervises a working day later, the
  // city five after that (the Beijing ladder), both counted for the street.
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 13)).ok());
  EXPECT_EQ(recounted(b.e).at(kStreet).supervised, 1);
  ASSERT_TRUE(b.e.apply(supervise(id, bj(2024, 3, 13, 10, 0), unit(kDistrict))).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 3, 20)).ok());
  core::UnitTally t = recounted(b.e).at(kStreet);
  EXPECT_EQ(t.supervised, 3);
  EXPECT_EQ(t.breached, 3) << "the reply deadline, the Art. 23 window and the supervision's";
  EXPECT_THAT(supervision_timers(b.e, id),
              ElementsAre("deadline_warning STEP_SUPERVISION mark 0 @2024-03-14 15:42",
                          "deadline_breached STEP_SUPERVISION mark 1 @2024-03-15 10:00"));
  expect_counters_agree(b.e);
  expect_replays_with_and_without_policy(b.e, id);
}

}  // namespace
}  // namespace jszb::testing
