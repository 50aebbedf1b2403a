// Assessment: the three rates, the on-time indicators and rankings on a small
// fixture whose numbers are worked out by hand below; periods in China time.
#include "report/assessment.h"

#include <vector>

#include "fixture.h"
#include "policy/policy.h"

namespace jszb::testing {
namespace {

using core::Period;
using core::UnitScore;

// 2021-09-19 00:00 in Beijing (UTC+8): the October assessment month begins.
constexpr TimeMs kSep19 = 1631980800000;
// 2021-09-23, a Thursday and a working day, 09:00 in Beijing.
constexpr TimeMs kThursday = kSep19 + 4 * kDay + 9 * kHour;

TEST(AssessmentPeriods, TheMonthRunsFromThe19thAndTheDayFromNoon) {
  Period oct = core::assessment_month(2021, 10);
  EXPECT_EQ(oct.from, kSep19);
  EXPECT_EQ(oct.until, kSep19 + 30 * kDay);      // 2021-10-19 00:00 +08:00
  Period jan = core::assessment_month(2022, 1);  // across a year's end
  EXPECT_EQ(jan.until - jan.from, 31 * kDay);
  EXPECT_EQ(core::assessment_month(2022, 3).until - core::assessment_month(2022, 3).from,
            28 * kDay);  // 2022-02-19 .. 2022-03-19
  Period day = core::bulletin_day(2021, 9, 20);
  EXPECT_EQ(day.from, kSep19 + 12 * kHour);  // 09-19 12:00 .. 09-20 12:00
  EXPECT_EQ(day.until, kSep19 + 36 * kHour);
  EXPECT_TRUE(day.contains(day.from));
  EXPECT_FALSE(day.contains(day.until));
}

class AssessmentFixture : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine.load_policy(core::Policy::beijing()).ok()); }

  // A case dispatched to `unit` at `t`; returns its id.
  CaseId dispatched(const std::string& ref, UnitId unit, TimeMs t) {
    CaseId id = submit(engine, ref, t);
    Command c = good_command(CommandKind::kDispatch, *engine.find(id), t + kMinute);
    c.payload.unit = unit;
    c.payload.copy_to = {};
    must(engine, c);
    return id;
  }
  void sign(CaseId id, TimeMs t) {
    must(engine, good_command(CommandKind::kSign, *engine.find(id), t));
  }
  // Signed a minute before its sign deadline.
  void sign_on_time(CaseId id) {
    sign(id, engine.find(id)->deadline(core::StepId::kSign).due - kMinute);
  }
  void reply(CaseId id, TimeMs t) {
    must(engine, good_command(CommandKind::kReply, *engine.find(id), t));
  }
  void visit(CaseId id, TimeMs t, bool valid, bool contacted, bool solved, Satisfaction s) {
    Command c = good_command(CommandKind::kVisit, *engine.find(id), t);
    c.payload.valid_visit = valid;
    c.payload.contacted = contacted;
    c.payload.solved = solved;
    c.payload.satisfaction = valid ? s : Satisfaction::kUnspecified;
    must(engine, c);
  }
  // Dispatched, signed on time, replied an hour later, visited at `visit_at`.
  CaseId visited(const std::string& ref, UnitId unit, TimeMs visit_at, bool valid, bool contacted,
                 bool solved, Satisfaction s) {
    CaseId id = dispatched(ref, unit, kThursday);
    sign_on_time(id);
    reply(id, engine.find(id)->last_event + kHour);
    visit(id, visit_at, valid, contacted, solved, s);
    return id;
  }

  std::vector<UnitScore> assess(Period p) {
    absl::StatusOr<std::vector<UnitScore>> s = core::assess(
        [this](const std::function<void(const core::Event&)>& v) {
          return engine.for_each_logged(v);
        },
        p);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : std::vector<UnitScore>();
  }
  static const UnitScore* of(const std::vector<UnitScore>& v, UnitId u) {
    for (const UnitScore& s : v) {
      if (s.unit == u) return &s;
    }
    return nullptr;
  }

  Engine engine;
};

TEST_F(AssessmentFixture, RatesRankingsAndOnTimeIndicatorsMatchTheHandCount) {
  const TimeMs in_oct = kThursday + 2 * kDay;
  // Street A (和平街街道):
  visited("a1", kStreet, in_oct, true, true, true, Satisfaction::kSatisfied);
  visited("a2", kStreet, in_oct, true, true, false, Satisfaction::kBasicallySatisfied);
  // a3: not contacted, unsatisfied -> redo -> a second visit that replaces it.
  CaseId a3 = visited("a3", kStreet, in_oct, true, false, false, Satisfaction::kNotSatisfied);
  must(engine, good_command(CommandKind::kRedo, *engine.find(a3), in_oct + kHour));
  reply(a3, in_oct + 2 * kHour);
  visit(a3, in_oct + 3 * kHour, true, true, true, Satisfaction::kSatisfied);
  // a4: no valid visit possible: not counted.
  visited("a4", kStreet, in_oct, false, false, false, Satisfaction::kUnspecified);
  // a5: terminated after review: not counted, though it was signed.
  CaseId a5 = dispatched("a5", kStreet, kThursday);
  sign_on_time(a5);
  must(engine, good_command(CommandKind::kTerminate, *engine.find(a5), kThursday + 2 * kHour));
  // a6: not signed in time: the engine returns it to the centre (late for A).
  CaseId a6 = dispatched("a6", kStreet, kThursday);
  ASSERT_TRUE(engine.advance(engine.find(a6)->deadline(core::StepId::kSign).due + kMinute).ok());
  ASSERT_EQ(engine.find(a6)->state, State::kReceived);
  // Street B (望京街道): one unsolved, unsatisfied order; another visited in November.
  visited("b1", kStreet2, in_oct, true, true, false, Satisfaction::kNotSatisfied);
  visited("b2", kStreet2, kSep19 + 32 * kDay, true, true, true, Satisfaction::kSatisfied);

  std::vector<UnitScore> oct = assess(core::assessment_month(2021, 10));
  const UnitScore* a = of(oct, kStreet);
  ASSERT_NE(a, nullptr);
  // A: a1, a2 and a3's second visit. contacted 3/3, solved 2/3, satisfaction
  // (2 satisfied + 0.9 × 1 basically) / 3.
  EXPECT_EQ(a->visits, 3u);
  EXPECT_EQ(a->contacted, 3u);
  EXPECT_EQ(a->solved, 2u);
  EXPECT_EQ(a->satisfied, 2u);
  EXPECT_EQ(a->basically_satisfied, 1u);
  EXPECT_DOUBLE_EQ(a->response, 1.0);
  EXPECT_DOUBLE_EQ(a->resolution, 2.0 / 3);
  EXPECT_DOUBLE_EQ(a->satisfaction, 2.9 / 3);
  EXPECT_NEAR(a->composite, 0.1 * 1.0 + 0.5 * (2.0 / 3) + 0.4 * (2.9 / 3), 1e-12);
  // Signed: a1..a5 on time; a6 returned unsigned. Replies: a1, a2, a3 twice, a4, on time.
  EXPECT_EQ(a->sign_outcomes, 6u);
  EXPECT_EQ(a->signed_on_time, 5u);
  EXPECT_EQ(a->replies, 5u);
  EXPECT_EQ(a->replied_on_time, 5u);

  const UnitScore* b = of(oct, kStreet2);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->visits, 1u);  // b2's visit falls in November
  EXPECT_DOUBLE_EQ(b->response, 1.0);
  EXPECT_DOUBLE_EQ(b->resolution, 0.0);
  EXPECT_DOUBLE_EQ(b->satisfaction, 0.0);
  EXPECT_DOUBLE_EQ(b->composite, 0.1);

  // Streets ranked against streets; September had nothing, November only b2.
  std::vector<UnitScore> sep = assess(core::assessment_month(2021, 9));
  std::vector<core::Ranked> ranked =
      core::rank(oct, sep, *core::Policy::beijing(), v1::UNIT_CLASS_STREET);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].score.unit, kStreet);
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_FALSE(ranked[0].previous_rank.has_value());
  EXPECT_EQ(ranked[1].score.unit, kStreet2);

  std::vector<UnitScore> nov = assess(core::assessment_month(2021, 11));
  std::vector<core::Ranked> next =
      core::rank(nov, oct, *core::Policy::beijing(), v1::UNIT_CLASS_STREET);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].score.unit, kStreet2);
  EXPECT_EQ(next[0].score.visits, 1u);
  EXPECT_EQ(next[0].previous_rank, 2);
  EXPECT_EQ(next[0].change(), 1);  // from second to first
  // Departments are ranked apart: none here.
  EXPECT_TRUE(core::rank(oct, sep, *core::Policy::beijing(), v1::UNIT_CLASS_DEPARTMENT).empty());
}

TEST_F(AssessmentFixture, CoHandlersAreAssessedWithTheLead) {
  CaseId id = dispatched("w1", kStreet, kThursday);
  sign_on_time(id);
  Command whistle = good_command(CommandKind::kAddCoHandlers, *engine.find(id),
                                 engine.find(id)->last_event + kMinute);
  const UnitId helpers[] = {kStreet2};
  whistle.payload.units = {helpers, 1};
  must(engine, whistle);
  must(engine, good_command(CommandKind::kReportToLead, *engine.find(id),
                            engine.find(id)->last_event + kMinute));
  reply(id, engine.find(id)->last_event + kHour);
  visit(id, engine.find(id)->last_event + kHour, true, true, true, Satisfaction::kSatisfied);
  std::vector<UnitScore> oct = assess(core::assessment_month(2021, 10));
  ASSERT_NE(of(oct, kStreet), nullptr);
  ASSERT_NE(of(oct, kStreet2), nullptr);
  EXPECT_EQ(of(oct, kStreet)->visits, 1u);
  EXPECT_EQ(of(oct, kStreet2)->visits, 1u);
  EXPECT_DOUBLE_EQ(of(oct, kStreet2)->composite, 1.0);
}

// 申诉: an upheld appeal takes the visit result out of scoring, in the counters
// and in the recount alike; a rejected one leaves it; the centre's review is
// timed; only a unit the result is scored for may appeal, and only once.
TEST_F(AssessmentFixture, AnUpheldAppealTakesTheResultOutOfScoring) {
  const TimeMs in_oct = kThursday + 2 * kDay;
  CaseId kept = visited("kept", kStreet, in_oct, true, true, true, Satisfaction::kSatisfied);
  CaseId upheld = visited("up", kStreet, in_oct, true, false, false, Satisfaction::kNotSatisfied);
  CaseId rejected = visited("rej", kStreet, in_oct, true, true, false, Satisfaction::kNotSatisfied);
  for (CaseId id : {kept, upheld, rejected}) {
    must(engine, good_command(CommandKind::kClose, *engine.find(id), in_oct + kHour));
  }
  // Someone else's order: refused, nothing changes.
  Command other = good_command(CommandKind::kAppeal, *engine.find(upheld), in_oct + 2 * kHour);
  other.actor = unit(kStreet2);
  absl::Status s = engine.apply(other);
  EXPECT_EQ(refusal(s), Refusal::kNotCredited) << s;
  EXPECT_EQ(engine.find(upheld)->state, State::kClosed);

  for (CaseId id : {upheld, rejected}) {
    must(engine, good_command(CommandKind::kAppeal, *engine.find(id), in_oct + 2 * kHour));
    EXPECT_EQ(engine.find(id)->state, State::kAppealed);
    // The centre has five working days to decide.
    const core::Deadline& review = engine.find(id)->deadline(core::StepId::kAppealReview);
    ASSERT_TRUE(review.running());
    EXPECT_TRUE(review.working);
    EXPECT_GE(review.due - review.start, 5 * kDay);
  }
  must(engine, good_command(CommandKind::kUpholdAppeal, *engine.find(upheld), in_oct + 3 * kHour));
  must(engine,
       good_command(CommandKind::kRejectAppeal, *engine.find(rejected), in_oct + 3 * kHour));
  for (CaseId id : {upheld, rejected}) {
    EXPECT_EQ(engine.find(id)->state, State::kClosed);
    EXPECT_FALSE(engine.find(id)->deadline(core::StepId::kAppealReview).running());
    // Once is all: a second appeal is refused.
    s = engine.apply(good_command(CommandKind::kAppeal, *engine.find(id), in_oct + 4 * kHour));
    EXPECT_EQ(refusal(s), Refusal::kNotAppealable) << s;
  }
  EXPECT_TRUE(engine.find(upheld)->credit.overturned);
  EXPECT_FALSE(engine.find(rejected)->credit.overturned);
  // The record says why: the upheld appeal's event carries the reviewer's words.
  std::vector<core::Event> history = engine.events(upheld);
  EXPECT_EQ(history.back().type, EventType::kAppealUpheld);
  EXPECT_FALSE(history.back().payload.text.empty());

  // Counted: kept and rejected (2 visits: contacted 2, solved 1, satisfied 1).
  core::Period oct = core::assessment_month(2021, 10);
  std::vector<UnitScore> scores = assess(oct);
  const UnitScore* a = of(scores, kStreet);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->visits, 2u);
  EXPECT_EQ(a->contacted, 2u);
  EXPECT_EQ(a->solved, 1u);
  EXPECT_EQ(a->satisfied, 1u);
  EXPECT_EQ(a->not_satisfied, 1u);
  absl::StatusOr<core::CounterTotals> counted = engine.counter_totals(oct.from, oct.until);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->units.at(kStreet).visits, 2);
  EXPECT_EQ(counted->units.at(kStreet).not_satisfied, 1);
}

}  // namespace
}  // namespace jszb::testing
