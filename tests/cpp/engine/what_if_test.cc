// What-if replay (engine/what_if.h): a store's history replayed under the same
// policy gives the live engine's counters; under shorter deadlines the
// on-time counts fall; commands the new policy refuses are skipped and listed.
#include "engine/what_if.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "engine/durable_engine.h"
#include "fixture.h"
#include "policy_fixture.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

using core::CounterTotals;
using core::WhatIfOptions;
using core::WhatIfReplay;
using K = CommandKind;

constexpr TimeMs kNoon = kT0 - 4 * kHour;  // a half-day edge before kT0
constexpr TimeMs kEnd = kNoon + 60 * kDay;

// A history of `count` cases: most replied three days after signing, visited
// and closed; every seventh left dispatched (its marks fire, it is returned
// automatically); every fifth extended twice (the live engine allows two).
void build_history(const std::string& path, int count) {
  core::EngineOptions two;
  two.max_extensions = 2;
  absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, {}, two);
  ASSERT_TRUE(d.ok()) << d.status();
  Engine& e = *d->engine;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  for (int i = 0; i < count; ++i) {
    TimeMs t = kT0 + i * 10 * kMinute;
    absl::StatusOr<core::SubmitResult> r = e.submit(request("wi-" + std::to_string(i), t));
    ASSERT_TRUE(r.ok()) << r.status();
    std::vector<K> path = {K::kDispatch};
    if (i % 7 != 3) path.push_back(K::kSign);
    if (i % 5 == 0 && i % 7 != 3) {
      path.insert(path.end(), {K::kRequestExtension, K::kApproveExtension, K::kRequestExtension,
                               K::kApproveExtension});
    }
    if (i % 7 != 3) path.insert(path.end(), {K::kReply, K::kVisit, K::kClose});
    for (K k : path) {
      const core::Case* c = e.find(r->id);
      ASSERT_NE(c, nullptr);
      TimeMs at = c->last_event + (k == K::kReply ? 3 * kDay : kMinute);
      Command cmd = good_command(k, *c, at);
      if (k == K::kRequestExtension) cmd.payload.until = at + 20 * kDay;
      must(e, cmd);
    }
  }
  ASSERT_TRUE(e.advance(kEnd).ok());
}

CounterTotals totals(const Engine& e) {
  absl::StatusOr<CounterTotals> t = e.counter_totals(kNoon - 10 * kDay, kEnd + 10 * kDay);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : CounterTotals();
}

std::int64_t sum_of(const CounterTotals& t, std::int64_t core::UnitTally::*field) {
  std::int64_t n = 0;
  for (const auto& [unit, tally] : t.units) n += tally.*field;
  return n;
}

WhatIfOptions same_options() {
  WhatIfOptions o;
  o.policy = Policy::beijing();
  o.engine.max_extensions = 2;
  return o;
}

TEST(WhatIf, TheSamePolicyGivesTheLiveCounters) {
  ScratchDir dir;
  std::string path = dir.file("history.jszb");
  build_history(path, 140);
  CounterTotals live;
  {
    core::DurableEngine d = open_ok(path);
    live = totals(*d.engine);
  }
  std::uint64_t calls = 0;
  WhatIfOptions o = same_options();
  o.progress_every = 100;
  o.progress = [&calls](const core::WhatIfProgress& p) {
    ++calls;
    EXPECT_LE(p.events_read, p.events_total);
    return true;
  };
  absl::StatusOr<std::unique_ptr<WhatIfReplay>> r = WhatIfReplay::run(path, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const core::WhatIfResult& res = (*r)->result();
  EXPECT_EQ(res.commands_skipped, 0u)
      << (res.skipped.empty() ? "" : res.skipped[0].status.message());
  EXPECT_EQ(res.submissions, 140u);
  EXPECT_GT(res.engine_events, 0u);  // marks and automatic returns, recomputed
  EXPECT_TRUE(res.memory_bounded);
  EXPECT_GE(calls, res.events_read / 100);
  CounterTotals replayed = totals((*r)->engine());
  EXPECT_EQ(replayed.units, live.units);
  ASSERT_EQ(replayed.volumes.size(), live.volumes.size());
  for (std::size_t i = 0; i < live.volumes.size(); ++i) {
    EXPECT_EQ(replayed.volumes[i].received, live.volumes[i].received) << i;
  }
  EXPECT_GT(sum_of(live, &core::UnitTally::replied_on_time), 0);
  // Finished cases left memory: the open ones (left dispatched) stay.
  EXPECT_LE((*r)->engine().case_count(), 140u / 7 + 1);
}

TEST(WhatIf, ShorterReplyDeadlinesLowerTheOnTimeCounts) {
  ScratchDir dir;
  std::string path = dir.file("history.jszb");
  build_history(path, 70);
  std::string text = absl::StrReplaceAll(
      beijing_text(),
      {{"deadline_rules { id: \"reply\" step: STEP_REPLY priority: 0 limit { amount: 7 unit: "
        "TIME_UNIT_DAYS } }",
        "deadline_rules { id: \"reply\" step: STEP_REPLY priority: 0 limit { amount: 2 unit: "
        "TIME_UNIT_DAYS } }"},
       {"version: 3", "version: 77"}});
  ASSERT_NE(text, beijing_text());
  WhatIfOptions o = same_options();
  o.policy = must_load(text, "beijing-policy.textproto");
  absl::StatusOr<std::unique_ptr<WhatIfReplay>> shorter = WhatIfReplay::run(path, o);
  ASSERT_TRUE(shorter.ok()) << shorter.status();
  absl::StatusOr<std::unique_ptr<WhatIfReplay>> same = WhatIfReplay::run(path, same_options());
  ASSERT_TRUE(same.ok()) << same.status();
  CounterTotals a = totals((*same)->engine()), b = totals((*shorter)->engine());
  EXPECT_EQ(sum_of(b, &core::UnitTally::replies), sum_of(a, &core::UnitTally::replies));
  EXPECT_LT(sum_of(b, &core::UnitTally::replied_on_time),
            sum_of(a, &core::UnitTally::replied_on_time));
  EXPECT_GT(sum_of(b, &core::UnitTally::breached), sum_of(a, &core::UnitTally::breached));
}

TEST(WhatIf, RefusedCommandsAreSkippedCountedAndListed) {
  ScratchDir dir;
  std::string path = dir.file("history.jszb");
  build_history(path, 30);
  WhatIfOptions o = same_options();
  o.engine.max_extensions = 1;  // the second extension of a cycle is refused
  o.max_listed = 3;
  absl::StatusOr<std::unique_ptr<WhatIfReplay>> r = WhatIfReplay::run(path, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const core::WhatIfResult& res = (*r)->result();
  // Cases 0, 5, 10, 15, 20, 25 minus those left dispatched (10): five cases,
  // each with a refused request and the approval that then has nothing to approve.
  EXPECT_EQ(res.skipped_by_kind.at(K::kRequestExtension), 5u);
  EXPECT_EQ(res.skipped_by_kind.at(K::kApproveExtension), 5u);
  EXPECT_EQ(res.commands_skipped, 10u);
  ASSERT_EQ(res.skipped.size(), 3u);
  EXPECT_EQ(res.skipped[0].case_id, 1u);
  EXPECT_EQ(res.skipped[0].kind, K::kRequestExtension);
  EXPECT_FALSE(res.skipped[0].status.message().empty());
  EXPECT_FALSE(res.skipped[0].status.ok());
  EXPECT_EQ(res.submissions, 30u);
}

TEST(WhatIf, BadOptionsAreRefused) {
  WhatIfOptions o;
  EXPECT_EQ(WhatIfReplay::run("/nonexistent.jszb", o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = same_options();
  o.from = kEnd;
  o.until = kNoon;
  EXPECT_EQ(WhatIfReplay::run("/nonexistent.jszb", o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = same_options();
  EXPECT_FALSE(WhatIfReplay::run("/nonexistent/history.jszb", o).ok());
}

}  // namespace
}  // namespace jszb::testing
