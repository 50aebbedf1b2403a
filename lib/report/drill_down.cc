#include "report/drill_down.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <utility>

#include "absl/strings/str_format.h"

namespace jszb::core {

namespace {

constexpr bool known(Figure f) {
  return static_cast<int>(f) >= kFigureFirst && static_cast<int>(f) <= kFigureLast;
}

absl::Status check_request(UnitId unit, Period period) {
  if (unit == 0) {
    return absl::InvalidArgumentError("unit is 0: give the code of the unit to drill down into");
  }
  return check_period(period.from, period.until);
}

// Each figure's name and its value in a tally (nullptr: no tally counts it),
// in the order of their numbers.
struct FigureDef {
  std::string_view name;
  std::int64_t (*of)(const UnitTally&);
};
using T = const UnitTally&;
constexpr FigureDef kFigures[] = {
    {"visits", [](T t) { return t.visits; }},
    {"not_contacted", [](T t) { return t.visits - t.resolution_only_visits - t.contacted; }},
    {"not_solved", [](T t) { return t.visits - t.solved; }},
    {"not_satisfied", [](T t) { return t.not_satisfied; }},
    {"basically_satisfied", [](T t) { return t.basically_satisfied; }},
    {"satisfied", [](T t) { return t.satisfied; }},
    {"late_sign_for", [](T t) { return t.sign_outcomes - t.signed_on_time; }},
    {"late_reply", [](T t) { return t.replies - t.replied_on_time; }},
    {"breached", [](T t) { return t.breached; }},
    {"appealed", nullptr},
    {"supervised", [](T t) { return t.supervised; }},
    {"dispatched", [](T t) { return t.dispatched; }},
    {"closed", [](T t) { return t.closed; }},
    {"long_term_held", [](T t) { return t.long_term_held; }},
    {"resolution_only", [](T t) { return t.resolution_only_visits; }},
};
static_assert(std::size(kFigures) == kFigureLast - kFigureFirst + 1);

}  // namespace

std::string_view name(Figure f) {
  return known(f) ? kFigures[static_cast<int>(f) - kFigureFirst].name : "";
}

std::optional<std::int64_t> figure_of(const UnitTally& t, Figure f) {
  if (!known(f)) return std::nullopt;
  const FigureDef& def = kFigures[static_cast<int>(f) - kFigureFirst];
  if (def.of == nullptr) return std::nullopt;
  return def.of(t);
}

absl::StatusOr<UnitFigureOrders> drill_down_units(const LogReader& log,
                                                  const std::function<bool(UnitId)>& wanted,
                                                  Period period) {
  if (absl::Status s = check_period(period.from, period.until); !s.ok()) return s;
  UnitFigureOrders out;
  auto lists = [&out](UnitId unit) -> std::map<Figure, std::vector<UnitOrder>>& {
    auto [it, added] = out.try_emplace(unit);
    if (added) {
      for (int f = kFigureFirst; f <= kFigureLast; ++f) it->second[static_cast<Figure>(f)];
    }
    return it->second;
  };
  // Appeals are no tally's count: the unit's own, seen as the walk reads them.
  LogReader watched = [&](const std::function<void(const Event&)>& visit) {
    return log([&](const Event& e) {
      if (e.type == EventType::kAppealed && e.actor.unit != 0 && period.contains(e.time) &&
          wanted(e.actor.unit)) {
        lists(e.actor.unit)[Figure::kAppealed].push_back({e.case_id, e.time});
      }
      visit(e);
    });
  };
  absl::Status negative;
  absl::Status walked = walk_counts(watched, period, [&](const Counted& c) {
    if (!wanted(c.unit)) return;
    for (auto& [figure, orders] : lists(c.unit)) {
      std::optional<std::int64_t> n = figure_of(c.delta, figure);
      if (!n) continue;
      // A figure is a sum of these counts: one that took something away would
      // leave its list longer than the figure.
      if (*n < 0 && negative.ok()) {
        negative = absl::InternalError(
            absl::StrFormat("a count of case %d takes %d from figure %s of unit %d", c.case_id, -*n,
                            name(figure), c.unit));
      }
      for (std::int64_t i = 0; i < *n; ++i) orders.push_back({c.case_id, c.time});
    }
  });
  if (!walked.ok()) return walked;
  if (!negative.ok()) return negative;
  for (auto& [unit, figures] : out) {
    for (auto& [figure, orders] : figures) std::sort(orders.begin(), orders.end());
  }
  return out;
}

absl::StatusOr<std::map<Figure, std::vector<UnitOrder>>> drill_down(const LogReader& log,
                                                                    UnitId unit, Period period) {
  if (absl::Status s = check_request(unit, period); !s.ok()) return s;
  absl::StatusOr<UnitFigureOrders> all = drill_down_units(
      log, [unit](UnitId u) { return u == unit; }, period);
  if (!all.ok()) return all.status();
  if (auto it = all->find(unit); it != all->end()) return std::move(it->second);
  std::map<Figure, std::vector<UnitOrder>> none;
  for (int f = kFigureFirst; f <= kFigureLast; ++f) none[static_cast<Figure>(f)];
  return none;
}

absl::StatusOr<std::vector<UnitOrder>> unit_orders(const Engine& engine, UnitId unit, Period period,
                                                   Figure figure) {
  if (!known(figure)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("figure is %d: expected a jszb_figure (%d..%d)", static_cast<int>(figure),
                        kFigureFirst, kFigureLast));
  }
  if (absl::Status s = check_request(unit, period); !s.ok()) return s;
  if (const Policy* p = engine.policy(); p != nullptr && p->unit(unit) == nullptr) {
    // As an unknown district is for a report: not found.
    return absl::NotFoundError(
        absl::StrFormat("unit %d is not a unit of the current policy", unit));
  }
  LogReader log = [&engine](const std::function<void(const Event&)>& visit) {
    return engine.for_each_logged(visit);
  };
  absl::StatusOr<std::map<Figure, std::vector<UnitOrder>>> all = drill_down(log, unit, period);
  if (!all.ok()) return all.status();
  return std::move((*all)[figure]);
}

}  // namespace jszb::core
