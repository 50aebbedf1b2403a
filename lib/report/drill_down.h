// Drill-down: the orders behind each figure of a unit's row, so that a unit
// can see what cost it its rank and appeal the right result.
//
// Each list comes from the recount's own walk (assessment.h walk_counts): an
// entry is one count the recount makes for the unit, so a list's length is the
// figure the recount, the counters and the report give for the same unit and
// period. Entries are occurrences, not distinct orders: (case id, time) with
// the time the count fell at (the standing visit's, or the event's), and an
// order appears once per count (two breaches of one order are two entries; an
// order re-dispatched after a redo (改派) and back can count two visits for one
// unit). Lists are sorted by case id, then time.
//
// The figures (their numbers are jszb_figure's):
// - visits: the valid visits that stand and count (UnitScore::visits);
// - not contacted: of those, the ones in the response rate whose citizen was
//   not contacted (visits - resolution-only visits - contacted);
// - not solved: visits - solved (resolution-only visits among them);
// - not satisfied, basically satisfied, satisfied: by the standing visit;
// - late sign-for: sign outcomes not on time (sign_outcomes - signed_on_time),
//   orders returned unsigned by the engine among them;
// - late reply: replies not on time (replies - replied_on_time), Art. 23 late
//   completions (the engine's result on expiry) among them;
// - breached: deadline breaches attributed to the unit (counters.h breached_by);
// - appealed: the unit's appeals (申诉) of a result, by when it appealed; no
//   tally counts them, so this list has no figure to equal;
// - supervised, dispatched, closed, long-term held (挂账): those events;
// - resolution only: the visits counted in the resolution rate only (Art. 23
//   under EXPIRY_COUNTED_AS_NOT_SOLVED).
// Orders purged from a durable store are no longer in its log: their counts
// stay in the counters, and they leave these lists.
#ifndef JSZB_LIB_REPORT_DRILL_DOWN_H
#define JSZB_LIB_REPORT_DRILL_DOWN_H

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "lifecycle/counters.h"
#include "report/assessment.h"

namespace jszb::core {

// The numbers of jszb_figure (jszb.h).
enum class Figure : std::uint8_t {
  kVisits = 1,
  kNotContacted = 2,
  kNotSolved = 3,
  kNotSatisfied = 4,
  kBasicallySatisfied = 5,
  kSatisfied = 6,
  kLateSignFor = 7,
  kLateReply = 8,
  kBreached = 9,
  kAppealed = 10,
  kSupervised = 11,
  kDispatched = 12,
  kClosed = 13,
  kLongTermHeld = 14,
  kResolutionOnly = 15,
};
inline constexpr int kFigureFirst = 1;
inline constexpr int kFigureLast = 15;

// "not_contacted", ...; "" for a number that is no figure.
std::string_view name(Figure f);

// The figure as a unit's tally gives it; nullopt for kAppealed (no tally
// counts appeals) and for a number that is no figure.
std::optional<std::int64_t> figure_of(const UnitTally& t, Figure f);

struct UnitOrder {
  CaseId case_id = 0;
  TimeMs time = 0;  // when it counted
  friend bool operator==(const UnitOrder& a, const UnitOrder& b) {
    return a.case_id == b.case_id && a.time == b.time;
  }
  friend bool operator<(const UnitOrder& a, const UnitOrder& b) {
    return a.case_id != b.case_id ? a.case_id < b.case_id : a.time < b.time;
  }
};

// Every figure's orders for `unit` in `period`, in one walk of the log (each
// figure present, its list possibly empty). InvalidArgument for unit 0 or an
// empty period; what the recount finds wrong with the log otherwise.
absl::StatusOr<std::map<Figure, std::vector<UnitOrder>>> drill_down(const LogReader& log,
                                                                    UnitId unit, Period period);

// The same for every unit `wanted` says yes to, in one walk of the log (the
// report's unit rows with their orders): each unit counted for in the period
// and wanted is there, with every figure.
using UnitFigureOrders = std::map<UnitId, std::map<Figure, std::vector<UnitOrder>>>;
absl::StatusOr<UnitFigureOrders> drill_down_units(const LogReader& log,
                                                  const std::function<bool(UnitId)>& wanted,
                                                  Period period);

// One figure's orders, from the engine's log (a durable engine's store log).
// InvalidArgument, naming what is wrong, for an unknown figure, unit 0, a
// unit the current policy does not know, or an empty period.
absl::StatusOr<std::vector<UnitOrder>> unit_orders(const Engine& engine, UnitId unit, Period period,
                                                   Figure figure);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_DRILL_DOWN_H
