// Assessment: the three rates of Art. 32 per handling unit and period, the
// extra on-time indicators, and rankings within a unit class, computed from
// the event log (DOMAIN.md "The three rates and the monthly score").
//
// What counts, exactly:
// - An order counts once, with the return visit that stands: its latest visit.
//   A visit after a redo replaces the earlier one (wherever that fell); an
//   invalid visit (no valid visit possible) leaves the order uncounted until a
//   valid one comes. The order counts in the period its standing visit falls
//   in, for the unit that led it then, and for each of its co-handlers
//   (whistle co-handling is assessed on both sides).
// - A re-dispatch after a redo (改派) to another unit settles the result
//   standing then (settles_credit, lifecycle/projection.h): it stays counted
//   for its units in its period, whatever the order does later (visits, Art. 23
//   results, appeals, termination, merging), and the new unit's own result
//   counts for the new unit. So an order re-dispatched from A to B counts once
//   for A and once for B, each with its own result.
// - Not counted: orders never dispatched, orders terminated after review,
//   orders merged into another, visit results overturned on appeal (an upheld
//   appeal takes the standing result out; a later visit stands again).
// - Rates over the counted orders: response = contacted / visits, resolution =
//   solved / visits, satisfaction = (satisfied + 0.9 × basically satisfied) /
//   visits; composite = weighted sum (0.1 / 0.5 / 0.4 unless the caller says).
//   An order whose result counts in the resolution rate only (the engine's
//   Art. 23 result under EXPIRY_COUNTED_AS_NOT_SOLVED: a valid visit without
//   the citizen's answer, counters.h resolution_only()) is among the visits of
//   the resolution rate, unsolved, and left out of the response and
//   satisfaction rates' visits.
// - On-time sign-for: each sign-for in the period, by the unit it was sent to,
//   on time if no later than its sign deadline; an order the engine returned
//   for not being signed in time counts as late for that unit.
// - On-time completion: each reply in the period, by the replying unit, on
//   time if no later than the reply deadline then running.
//
// recount() and assess() are the full recompute: they read every event. The
// incremental counters (counters.h) must give the same numbers, and
// Engine-level assessment uses them whenever the period falls on half-day
// edges.
#ifndef JSZB_LIB_REPORT_ASSESSMENT_H
#define JSZB_LIB_REPORT_ASSESSMENT_H

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "base/time_range.h"
#include "jszb/types.hpp"
#include "lifecycle/counters.h"
#include "model/event.h"
#include "policy/policy.h"

namespace jszb::core {

// [from, until), ms since the epoch.
struct Period {
  TimeMs from = 0;
  TimeMs until = 0;
  bool contains(TimeMs t) const { return t >= from && t < until; }
};

// The assessment month named by its last day's month: from the 19th of the
// month before, 00:00, to the 19th of this month, 00:00, China time (UTC+8).
Period assessment_month(int year, int month);
// The daily bulletin's day: from noon of the day before to noon of this day.
Period bulletin_day(int year, int month, int day);

// A period given by a caller, checked: both ends in [kTimeMinMs, kTimeMaxMs]
// and `until` after `from`. InvalidArgument names the ends as the caller
// calls them (from_name, until_name) with their values and China-time
// readings, and says what is wrong.
absl::Status check_period(TimeMs from, TimeMs until, std::string_view from_name = "from_ms",
                          std::string_view until_name = "until_ms");
// "2021-10-01 12:00" (China time; seconds and milliseconds shown when not 0).
std::string china_time_text(TimeMs t);

struct RateWeights {
  double response = 0.1;
  double resolution = 0.5;
  double satisfaction = 0.4;
};
// Weights are finite numbers >= 0 and not all 0 (the composite would rank
// nothing). InvalidArgument names each bad one as `what`.response, ...
absl::Status check_weights(const RateWeights& w, std::string_view what);

struct UnitScore {
  UnitId unit = 0;
  // Orders with a standing valid visit in the period.
  std::uint32_t visits = 0;
  std::uint32_t contacted = 0;
  std::uint32_t solved = 0;
  std::uint32_t satisfied = 0;
  std::uint32_t basically_satisfied = 0;
  std::uint32_t not_satisfied = 0;
  // Of the visits, those counted in the resolution rate only: response and
  // satisfaction are over visits - resolution_only_visits.
  std::uint32_t resolution_only_visits = 0;
  double response = 0;  // 0 when there is no visit (that counts in it)
  double resolution = 0;
  double satisfaction = 0;
  double composite = 0;
  // On-time indicators.
  std::uint32_t sign_outcomes = 0;  // signed or returned unsigned
  std::uint32_t signed_on_time = 0;
  std::uint32_t replies = 0;
  std::uint32_t replied_on_time = 0;
  double sign_on_time_rate() const {
    return sign_outcomes ? 1.0 * signed_on_time / sign_outcomes : 0;
  }
  double completion_on_time_rate() const { return replies ? 1.0 * replied_on_time / replies : 0; }
};

// Scores by unit (ascending), for every unit with something counted in the
// period. `for_each_logged` is the log (Engine::for_each_logged).
using LogReader = std::function<absl::Status(const std::function<void(const Event&)>&)>;

// One count the recount makes: what it adds to `unit`'s tally for the order
// `case_id`, at `time` (the standing visit's time for the visit counts, the
// event's for the others). recount() is the sum of these; the drill-down
// (drill_down.h) lists them, so a figure and its orders cannot disagree.
struct Counted {
  UnitId unit = 0;
  CaseId case_id = 0;
  TimeMs time = 0;
  UnitTally delta;
};
using CountSink = std::function<void(const Counted&)>;
// The recount's walk over the log: every count of the period, the events'
// in log order, then the visits that stand at the end (in no order).
absl::Status walk_counts(const LogReader& for_each_logged, Period period, const CountSink& count);
// What the period counts per unit, recounted from the log (every counter of
// counters.h: the incremental counters must equal this).
absl::StatusOr<std::map<UnitId, UnitTally>> recount(const LogReader& for_each_logged,
                                                    Period period);
// The scores of counted units, by unit.
std::vector<UnitScore> scores(const std::map<UnitId, UnitTally>& tallies,
                              const RateWeights& weights = {});
absl::StatusOr<std::vector<UnitScore>> assess(const LogReader& for_each_logged, Period period,
                                              const RateWeights& weights = {});

struct Ranked {
  UnitScore score;
  int rank = 0;                      // 1: best composite in its class
  std::optional<int> previous_rank;  // in the previous period, if it was ranked
  int change() const { return previous_rank ? *previous_rank - rank : 0; }  // > 0: moved up
};

// Units of one class (streets, departments, enterprises …, by the policy),
// ranked by composite (ties: more visits first, then unit code), with their
// rank in `previous` for the change. Units with fewer valid visits than
// `min_visits` (at least 1) are not ranked, in either period.
std::vector<Ranked> rank(const std::vector<UnitScore>& now, const std::vector<UnitScore>& previous,
                         const Policy& policy, UnitClass unit_class, std::int64_t min_visits = 1);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_ASSESSMENT_H
