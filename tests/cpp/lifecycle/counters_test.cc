// The report counters are exact: after random command sequences (visits,
// redos, reopens, terminations, merges, co-handlers, escalations), the
// counters kept incrementally equal a recount of the whole log for every day,
// bulletin day and month — in memory, in a durable store across batches,
// rollbacks and reopening, and in a store written before the counters existed.
#include "lifecycle/counters.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fixture.h"
#include "lifecycle/lifecycle.h"
#include "random_walk.h"
#include "report/assessment.h"
#include "store/sqlite_schema.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

using core::CounterTotals;
using core::Period;
using core::UnitTally;

// Requests received in the period, recounted from the log the way the volume
// counters count them.
std::map<std::string, std::int64_t> recount_volumes(const Engine& e, Period p) {
  std::map<std::string, std::int64_t> out;
  (void)e.for_each_logged([&](const core::Event& ev) {
    if (ev.type != EventType::kSubmitted || !p.contains(ev.time)) return;
    const Intake& in = *ev.intake;
    std::string d(in.location.district);
    ++out["area|" + d + "|" + std::string(in.location.street) + "|" +
          std::string(in.location.community)];
    ++out["category|" + d + "|" + std::string(in.category[0]) + "|" + std::string(in.category[1]) +
          "|" + std::string(in.category[2])];
    ++out["channel|" + d + "|" + std::to_string(static_cast<int>(in.channel)) + "|" +
          std::to_string(static_cast<int>(in.kind))];
  });
  return out;
}

std::map<std::string, std::int64_t> volumes_of(const CounterTotals& t) {
  std::map<std::string, std::int64_t> out;
  for (const core::VolumeTotal& v : t.volumes) {
    switch (v.dim) {
      case core::VolumeDim::kArea:
        out["area|" + v.district + "|" + v.path[0] + "|" + v.path[1]] += v.received;
        break;
      case core::VolumeDim::kCategory:
        out["category|" + v.district + "|" + v.path[0] + "|" + v.path[1] + "|" + v.path[2]] +=
            v.received;
        break;
      case core::VolumeDim::kChannel:
        out["channel|" + v.district + "|" + std::to_string(static_cast<int>(v.channel)) + "|" +
            std::to_string(static_cast<int>(v.kind))] += v.received;
        break;
    }
  }
  return out;
}

std::string describe(const std::map<UnitId, UnitTally>& tallies) {
  std::string out;
  for (const auto& [unit, t] : tallies) {
    out += std::to_string(unit) + ":";
    for (const std::int64_t* f : t.fields()) out += " " + std::to_string(*f);
    out += "\n";
  }
  return out;
}

// Every half-day-edged period over the walk: each day, each bulletin day, the
// assessment months, and all of it.
std::vector<Period> periods(TimeMs until) {
  std::vector<Period> out;
  Period month = core::assessment_month(2021, 10);
  for (TimeMs day = month.from; day < until; day += kDay) {
    out.push_back({day, day + kDay});
    out.push_back({day + 12 * kHour, day + 36 * kHour});
  }
  out.push_back(month);
  out.push_back(core::assessment_month(2021, 11));
  out.push_back(core::assessment_month(2021, 12));
  out.push_back({month.from - 30 * kDay, core::bucket_start(core::bucket_of(until) + 120)});
  // Whole months with half-days either side (a durable store reads the months
  // from its monthly rows).
  out.push_back({month.from - 3 * kDay - 12 * kHour, core::assessment_month(2022, 2).until + kDay});
  return out;
}

void expect_counters_equal_recount(const Engine& e, TimeMs until) {
  int counted_periods = 0;
  for (const Period& p : periods(until)) {
    absl::StatusOr<CounterTotals> kept = e.counter_totals(p.from, p.until);
    ASSERT_TRUE(kept.ok()) << kept.status();
    absl::StatusOr<std::map<UnitId, UnitTally>> recounted = core::recount(
        [&e](const std::function<void(const core::Event&)>& v) { return e.for_each_logged(v); }, p);
    ASSERT_TRUE(recounted.ok()) << recounted.status();
    EXPECT_EQ(describe(kept->units), describe(*recounted)) << "period from " << p.from;
    EXPECT_EQ(volumes_of(*kept), recount_volumes(e, p)) << "period from " << p.from;
    if (!recounted->empty()) ++counted_periods;
  }
  EXPECT_GT(counted_periods, 10) << "the walk must give the periods something to count";
}

class CountersTest : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(CountersTest, InMemoryCountersEqualARecountOfTheLog) {
  Engine e;
  ASSERT_TRUE(e.load_policy(core::Policy::beijing()).ok());
  Walk walk(GetParam());
  walk.run(e, 150, 3000);
  expect_counters_equal_recount(e, walk.clock());
  // The walk reached what the counters must take back: a second visit and a
  // termination or merge after a visit.
  absl::StatusOr<std::map<UnitId, UnitTally>> all = core::recount(
      [&e](const std::function<void(const core::Event&)>& v) { return e.for_each_logged(v); },
      {0, walk.clock() + 365 * kDay});
  ASSERT_TRUE(all.ok());
  std::int64_t visits = 0, breached = 0, signs = 0;
  for (const auto& [unit, t] : *all) {
    visits += t.visits;
    breached += t.breached;
    signs += t.sign_outcomes;
  }
  // Art. 23 results count among the visits; the walk reaches them too.
  int automatic = 0;
  ASSERT_TRUE(e.for_each_logged([&](const core::Event& ev) {
                 automatic += ev.type == EventType::kAutoVisited;
               }).ok());
  EXPECT_GT(automatic, 0);
  EXPECT_GT(visits, 15);
  EXPECT_GT(breached, 5);
  EXPECT_GT(signs, 50);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CountersTest, ::testing::Values(1, 7, 20211018));

TEST(CountersTest, AssessmentMonthsStartOnThe19thInChinaTime) {
  for (int month = 1; month <= 12; ++month) {
    Period p = core::assessment_month(2021, month);
    core::Month m = core::month_of(core::bucket_of(p.from));
    EXPECT_EQ(core::first_bucket(m), core::bucket_of(p.from)) << month;
    EXPECT_EQ(core::first_bucket(m + 1), core::bucket_of(p.until)) << month;
    EXPECT_EQ(core::month_of(core::bucket_of(p.until) - 1), m) << "the last half-day";
  }
}

TEST(CountersTest, PeriodsOffTheHalfDayEdgesAreRefusedByTheCounters) {
  Engine e;
  absl::StatusOr<CounterTotals> t = e.counter_totals(kT0 + kHour, kT0 + kDay);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(std::string(t.status().message()), ::testing::HasSubstr("half-day edge"));
  EXPECT_FALSE(e.counter_totals(kT0 + kDay, kT0).ok());
}

TEST(DurableCounters, CountersSurviveBatchesRollbacksAndReopen) {
  ScratchDir dir;
  std::string path = dir.file("counted.jszb");
  core::SqliteStoreOptions small;
  small.checkpoint_events = 53;
  Walk walk(99);
  {
    core::DurableEngine d = open_ok(path, small);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    walk.run(*d.engine, 120, 2500, /*batches=*/true);
    expect_counters_equal_recount(*d.engine, walk.clock());
  }
  core::DurableEngine d = open_ok(path, small);
  expect_counters_equal_recount(*d.engine, walk.clock());
  walk.run(*d.engine, 30, 800, /*batches=*/true);
  expect_counters_equal_recount(*d.engine, walk.clock());
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(DurableCounters, VerifyFindsCountersThatDisagreeWithTheLog) {
  ScratchDir dir;
  std::string path = dir.file("tampered.jszb");
  Walk walk(5);
  {
    core::DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    walk.run(*d.engine, 40, 600);
  }
  raw_sql(path,
          "UPDATE unit_counters SET visits = visits + 1 WHERE (bucket, unit) IN "
          "(SELECT bucket, unit FROM unit_counters LIMIT 1)");
  core::DurableEngine d = open_ok(path);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_FALSE(v->ok());
  EXPECT_THAT(v->problems.front(), ::testing::HasSubstr("differ from a recount of the log"));
}

TEST(DurableCounters, AStoreFromBeforeTheCountersIsRecountedOnOpen) {
  ScratchDir dir;
  std::string path = dir.file("v2.jszb");
  Walk walk(31);
  {
    core::DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    walk.run(*d.engine, 60, 1200);
  }
  // Back to schema 2: no counters, projections without credits.
  raw_sql(path,
          "DROP TABLE unit_counters; DROP TABLE volume_counters; DROP TABLE unit_counters_month; "
          "DROP TABLE volume_counters_month; "
          "DELETE FROM meta WHERE key = 'counters_complete'; PRAGMA user_version = 2;");
  {
    core::DurableEngine d = open_ok(path);
    expect_counters_equal_recount(*d.engine, walk.clock());
    // It goes on counting after the recount.
    walk.run(*d.engine, 10, 300);
    expect_counters_equal_recount(*d.engine, walk.clock());
  }
  EXPECT_EQ(raw_int(path, "SELECT value FROM meta WHERE key = 'counters_complete'"), 1);
}

}  // namespace
}  // namespace jszb::testing
