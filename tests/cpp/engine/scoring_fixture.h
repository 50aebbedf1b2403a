// Helpers for engine tests that check what an order counts: an engine under
// the built-in policy, the log as a reader, the recount of a period, and the
// check that the engine's counters equal that recount.
#ifndef JSZB_TESTS_CPP_ENGINE_SCORING_FIXTURE_H
#define JSZB_TESTS_CPP_ENGINE_SCORING_FIXTURE_H

#include <functional>
#include <map>
#include <vector>

#include "lifecycle/counters.h"
#include "policy_fixture.h"
#include "report/assessment.h"

namespace jszb::testing {

struct Beijing {
  Engine e;
  explicit Beijing(PolicyPtr p = Policy::beijing()) { EXPECT_TRUE(e.load_policy(p).ok()); }
};

// March 2024 and its neighbours: every test here happens in it.
inline const core::Period kMarch2024 = {bj(2024, 2, 19), bj(2024, 4, 19)};

inline core::LogReader log_of(const Engine& e) {
  return [&e](const std::function<void(const core::Event&)>& v) { return e.for_each_logged(v); };
}

// What the period counts per unit, recounted from the log.
inline std::map<UnitId, core::UnitTally> recounted(const Engine& e, core::Period p = kMarch2024) {
  absl::StatusOr<std::map<UnitId, core::UnitTally>> r = core::recount(log_of(e), p);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::map<UnitId, core::UnitTally>{};
}

// The counters the engine keeps equal a recount of its log.
inline void expect_counters_agree(const Engine& e, core::Period p = kMarch2024) {
  absl::StatusOr<core::CounterTotals> kept = e.counter_totals(p.from, p.until);
  ASSERT_TRUE(kept.ok()) << kept.status();
  std::map<UnitId, core::UnitTally> want = recounted(e, p);
  ASSERT_EQ(kept->units.size(), want.size());
  for (const auto& [unit, tally] : want) {
    EXPECT_TRUE(kept->units.count(unit) && kept->units.at(unit) == tally) << "unit " << unit;
  }
}

// A log replayed into a fresh engine under `p` gives the same cases.
inline void expect_replays(const Engine& e, const std::vector<CaseId>& ids,
                           PolicyPtr p = Policy::beijing()) {
  Engine fresh;
  ASSERT_TRUE(fresh.load_policy(p).ok());
  absl::Status replayed = absl::OkStatus();
  ASSERT_TRUE(e.for_each_logged([&](const core::Event& ev) {
                 if (replayed.ok()) replayed = fresh.replay(ev);
               }).ok());
  ASSERT_TRUE(replayed.ok()) << replayed;
  for (CaseId id : ids) EXPECT_TRUE(*fresh.find(id) == *e.find(id)) << "case " << id;
}

// The case's events replay into a fresh engine with the built-in policy and
// into one without any policy (the log says what the policy would), to the
// same case.
inline void expect_replays_with_and_without_policy(const Engine& e, CaseId id) {
  Engine with_policy;
  ASSERT_TRUE(with_policy.load_policy(Policy::beijing()).ok());
  Engine without;
  for (Engine* fresh : {&with_policy, &without}) {
    for (const core::Event& ev : e.events(id)) {
      ASSERT_TRUE(fresh->replay(ev).ok()) << core::name(ev.type);
    }
    EXPECT_TRUE(*fresh->find(id) == *e.find(id));
  }
}

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_ENGINE_SCORING_FIXTURE_H
