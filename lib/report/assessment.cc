#include "report/assessment.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/arena.h"
#include "base/china_time.h"
#include "lifecycle/projection.h"
#include "model/deep_copy.h"

namespace jszb::core {

namespace {

TimeMs china_ms(absl::CivilSecond t) {
  return absl::ToUnixMillis(absl::FromCivil(t, china_zone()));
}

// The visit that stands for an order, and who it counts for.
struct StandingVisit {
  TimeMs time = 0;
  bool valid = false;
  bool contacted = false;
  bool solved = false;
  Satisfaction satisfaction = Satisfaction::kUnspecified;
  bool overturned = false;      // an upheld appeal took it out of scoring
  bool held_long_term = false;  // on the pending list (挂账), out of the rates
  std::vector<UnitId> units;    // the lead, then the co-handlers
};

// One order as the recompute follows it.
struct Followed {
  Case c;
  std::optional<StandingVisit> visit;
  bool excluded = false;  // terminated or merged
};

double ratio(std::uint32_t n, std::uint32_t d) { return d == 0 ? 0 : static_cast<double>(n) / d; }

// A tally that counts one in `field`.
UnitTally one(std::int64_t UnitTally::*field) {
  UnitTally d;
  d.*field = 1;
  return d;
}

// Counts a standing visit for each unit it counts for, if it is valid, stands
// in scoring and falls in the period.
void count_standing(CaseId id, const StandingVisit& v, Period period, const CountSink& count) {
  if (!v.valid || v.overturned || v.held_long_term || !period.contains(v.time)) return;
  for (UnitId u : v.units) {
    UnitTally d;
    d.visits = 1;
    if (resolution_only(
            {v.valid, v.contacted, v.solved, v.satisfaction, VisitMethod::kUnspecified})) {
      d.resolution_only_visits = 1;
    }
    d.contacted = v.contacted;
    d.solved = v.solved;
    d.satisfied = v.satisfaction == Satisfaction::kSatisfied;
    d.basically_satisfied = v.satisfaction == Satisfaction::kBasicallySatisfied;
    d.not_satisfied = v.satisfaction == Satisfaction::kNotSatisfied;
    count({u, id, v.time, d});
  }
}

// The parts of an order before an event that its counts look at.
struct Before {
  UnitId lead = 0;
  Deadline sign;
  Deadline reply;
  TimeMs first_contact = 0;
  bool expired = false;  // its Art. 23 result of this cycle stands
};

// Counts what event `e` of the period does to the units' tallies, `c` being
// the order after it.
void count_in_period(const Before& before, const Case& c, const Event& e, const CountSink& count) {
  auto add = [&](UnitId u, const UnitTally& d) { count({u, e.case_id, e.time, d}); };
  const UnitId lead = c.lead_unit;
  switch (e.type) {
    case EventType::kDispatched:
    case EventType::kReturnApproved:
      if (lead != 0) add(lead, one(&UnitTally::dispatched));
      break;
    case EventType::kSigned:
      if (before.lead != 0) {
        UnitTally d = one(&UnitTally::sign_outcomes);
        d.signed_on_time = !before.sign.running() || e.time <= before.sign.due;
        add(before.lead, d);
      }
      break;
    case EventType::kAutoReturned:
      if (before.lead != 0) add(before.lead, one(&UnitTally::sign_outcomes));
      break;
    case EventType::kReplied:
      if (before.lead != 0 && !before.expired) {
        UnitTally d = one(&UnitTally::replies);
        d.replied_on_time = !before.reply.running() || e.time <= before.reply.due;
        add(before.lead, d);
      }
      break;
    case EventType::kAutoVisited:  // Art. 23: a completion, late
      if (before.lead != 0 && !before.expired) add(before.lead, one(&UnitTally::replies));
      break;
    case EventType::kClosed:
      if (lead != 0) {
        UnitTally d = one(&UnitTally::closed);
        d.handling_ms = e.time - c.intake->time;
        add(lead, d);
      }
      break;
    case EventType::kDeadlineBreached:
      for (UnitId u : breached_by(c, e)) add(u, one(&UnitTally::breached));
      break;
    default:
      break;
  }
  if (supervises(e) && lead != 0) add(lead, one(&UnitTally::supervised));
  if (e.type == EventType::kHeldLongTerm && lead != 0) add(lead, one(&UnitTally::long_term_held));
  if (before.first_contact == 0 && c.first_contact != 0 && lead != 0) {
    UnitTally d = one(&UnitTally::first_contacts);
    d.response_ms = c.first_contact - c.dispatched;
    add(lead, d);
  }
}

}  // namespace

Period assessment_month(int year, int month) {
  absl::CivilMonth m(year, month);
  absl::CivilDay until(m.year(), m.month(), 19);
  absl::CivilMonth before = m - 1;
  absl::CivilDay from(before.year(), before.month(), 19);
  return {china_ms(absl::CivilSecond(from)), china_ms(absl::CivilSecond(until))};
}

Period bulletin_day(int year, int month, int day) {
  absl::CivilDay d(year, month, day);
  absl::CivilSecond noon = absl::CivilSecond(d) + 12 * 3600;
  return {china_ms(noon - 24 * 3600), china_ms(noon)};
}

std::string china_time_text(TimeMs t) {
  const char* format = t % 60000 == 0 ? "%Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M:%E3S";
  return absl::FormatTime(format, absl::FromUnixMillis(t), china_zone());
}

absl::Status check_period(TimeMs from, TimeMs until, std::string_view from_name,
                          std::string_view until_name) {
  for (auto [t, name] : {std::pair{from, from_name}, std::pair{until, until_name}}) {
    if (absl::Status s = check_time(name, t); !s.ok()) return s;
  }
  if (until <= from) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is %d (%s China time) and %s is %d (%s): %s", from_name, from,
                        china_time_text(from), until_name, until, china_time_text(until),
                        until == from ? "the period is empty (it must end after it starts)"
                                      : "the period ends before it starts"));
  }
  return absl::OkStatus();
}

absl::Status check_weights(const RateWeights& w, std::string_view what) {
  for (auto [v, name] : {std::pair{w.response, "response"}, std::pair{w.resolution, "resolution"},
                         std::pair{w.satisfaction, "satisfaction"}}) {
    if (!std::isfinite(v) || v < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s.%s is %g: rate weights are finite numbers >= 0", what, name, v));
    }
  }
  if (w.response + w.resolution + w.satisfaction == 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s are all 0: the composite would be 0 for every unit and rank nothing", what));
  }
  return absl::OkStatus();
}

absl::Status walk_counts(const LogReader& for_each_logged, Period period, const CountSink& count) {
  Arena arena;
  absl::flat_hash_map<CaseId, Followed> orders;
  absl::Status problem;
  absl::Status read = for_each_logged([&](const Event& logged) {
    if (!problem.ok()) return;
    Event e = deep_copy(logged, arena);
    if (e.type == EventType::kSubmitted) {
      arena.reserve(arena_bytes_to_apply(Case(), e));
      orders[e.case_id].c = case_from_submission(e, arena);
      return;
    }
    auto it = orders.find(e.case_id);
    if (it == orders.end()) {
      problem = absl::DataLossError(absl::StrFormat(
          "event %d of case %d comes before the case's submission", e.seq, e.case_id));
      return;
    }
    Followed& f = it->second;
    const Before before{f.c.lead_unit, f.c.deadline(StepId::kSign), f.c.deadline(StepId::kReply),
                        f.c.first_contact, expired_this_cycle(f.c.credit, f.c)};
    if (e.type == EventType::kVisited || e.type == EventType::kAutoVisited) {
      StandingVisit v;
      v.time = e.time;
      v.valid = e.payload.valid_visit;
      v.contacted = e.payload.contacted;
      v.solved = e.payload.solved;
      v.satisfaction = e.payload.satisfaction;
      if (f.c.lead_unit != 0) v.units.push_back(f.c.lead_unit);
      for (UnitId u : f.c.co_handlers) {
        if (std::find(v.units.begin(), v.units.end(), u) == v.units.end()) v.units.push_back(u);
      }
      f.visit = std::move(v);  // the latest visit stands
    }
    if (f.visit && settles_credit(f.c.lead_unit, e)) {  // 改派: it stays counted, as it is now
      count_standing(e.case_id, *f.visit, period, count);
      f.visit.reset();
    }
    if (e.type == EventType::kTerminated || e.type == EventType::kMerged) f.excluded = true;
    if (e.type == EventType::kAppealUpheld && f.visit) f.visit->overturned = true;
    if (e.type == EventType::kHeldLongTerm && !e.payload.valid_visit && f.visit) {
      f.visit->held_long_term = true;
    }
    arena.reserve(arena_bytes_to_apply(f.c, e));
    apply_event(f.c, e, arena);
    if (period.contains(e.time)) count_in_period(before, f.c, e, count);
  });
  if (!read.ok()) return read;
  if (!problem.ok()) return problem;
  for (const auto& [id, f] : orders) {
    if (!f.excluded && f.visit) count_standing(id, *f.visit, period, count);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<UnitId, UnitTally>> recount(const LogReader& for_each_logged,
                                                    Period period) {
  std::map<UnitId, UnitTally> by_unit;
  absl::Status walked =
      walk_counts(for_each_logged, period, [&](const Counted& c) { by_unit[c.unit].add(c.delta); });
  if (!walked.ok()) return walked;
  for (auto it = by_unit.begin(); it != by_unit.end();) {
    it = it->second.zero() ? by_unit.erase(it) : std::next(it);
  }
  return by_unit;
}

std::vector<UnitScore> scores(const std::map<UnitId, UnitTally>& tallies,
                              const RateWeights& weights) {
  std::vector<UnitScore> out;
  out.reserve(tallies.size());
  auto n = [](std::int64_t v) { return static_cast<std::uint32_t>(v); };
  for (const auto& [unit, t] : tallies) {
    UnitScore s;
    s.unit = unit;
    s.visits = n(t.visits);
    s.contacted = n(t.contacted);
    s.solved = n(t.solved);
    s.satisfied = n(t.satisfied);
    s.basically_satisfied = n(t.basically_satisfied);
    s.not_satisfied = n(t.not_satisfied);
    s.sign_outcomes = n(t.sign_outcomes);
    s.signed_on_time = n(t.signed_on_time);
    s.replies = n(t.replies);
    s.replied_on_time = n(t.replied_on_time);
    s.resolution_only_visits = n(t.resolution_only_visits);
    // Results counted for resolution only stay out of the other two rates.
    const std::uint32_t answered =
        s.visits > s.resolution_only_visits ? s.visits - s.resolution_only_visits : 0;
    s.response = ratio(s.contacted, answered);
    s.resolution = ratio(s.solved, s.visits);
    s.satisfaction = answered == 0 ? 0 : (s.satisfied + 0.9 * s.basically_satisfied) / answered;
    s.composite = weights.response * s.response + weights.resolution * s.resolution +
                  weights.satisfaction * s.satisfaction;
    out.push_back(s);
  }
  return out;
}

absl::StatusOr<std::vector<UnitScore>> assess(const LogReader& for_each_logged, Period period,
                                              const RateWeights& weights) {
  absl::StatusOr<std::map<UnitId, UnitTally>> tallies = recount(for_each_logged, period);
  if (!tallies.ok()) return tallies.status();
  return scores(*tallies, weights);
}

std::vector<Ranked> rank(const std::vector<UnitScore>& now, const std::vector<UnitScore>& previous,
                         const Policy& policy, UnitClass unit_class, std::int64_t min_visits) {
  min_visits = std::max<std::int64_t>(min_visits, 1);
  auto ranked_in_class = [&](const std::vector<UnitScore>& scores) {
    std::vector<UnitScore> in_class;
    for (const UnitScore& s : scores) {
      const UnitInfo* info = policy.unit(s.unit);
      if (info != nullptr && info->unit_class == unit_class && s.visits >= min_visits)
        in_class.push_back(s);
    }
    std::sort(in_class.begin(), in_class.end(), [](const UnitScore& a, const UnitScore& b) {
      if (a.composite != b.composite) return a.composite > b.composite;
      if (a.visits != b.visits) return a.visits > b.visits;
      return a.unit < b.unit;
    });
    return in_class;
  };
  std::vector<UnitScore> before = ranked_in_class(previous);
  absl::flat_hash_map<UnitId, int> previous_rank;
  for (std::size_t i = 0; i < before.size(); ++i) {
    previous_rank[before[i].unit] = static_cast<int>(i) + 1;
  }
  std::vector<Ranked> out;
  for (const UnitScore& s : ranked_in_class(now)) {
    Ranked r;
    r.score = s;
    r.rank = static_cast<int>(out.size()) + 1;
    if (auto it = previous_rank.find(s.unit); it != previous_rank.end())
      r.previous_rank = it->second;
    out.push_back(r);
  }
  return out;
}

}  // namespace jszb::core
