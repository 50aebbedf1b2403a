#include "assessment.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "arena.h"
#include "intern.h"
#include "projection.h"

namespace jszb::core {

namespace {

TimeMs china_ms(absl::CivilSecond t) {
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
  return absl::ToUnixMillis(absl::FromCivil(t, kChina));
}

// The visit that stands for an order, and who it counts for.
struct StandingVisit {
  TimeMs time = 0;
  bool valid = false;
  bool contacted = false;
  bool solved = false;
  Satisfaction satisfaction = Satisfaction::kUnspecified;
  std::vector<UnitId> units;  // the lead, then the co-handlers
};

// One order as the recompute follows it.
struct Followed {
  Case c;
  std::optional<StandingVisit> visit;
  bool excluded = false;  // terminated or merged
};

double ratio(std::uint32_t n, std::uint32_t d) { return d == 0 ? 0 : static_cast<double>(n) / d; }

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

absl::StatusOr<std::vector<UnitScore>> assess(const LogReader& for_each_logged, Period period,
                                              const RateWeights& weights) {
  Arena arena;
  absl::flat_hash_map<CaseId, Followed> orders;
  std::map<UnitId, UnitScore> by_unit;
  auto score = [&by_unit](UnitId u) -> UnitScore& {
    UnitScore& s = by_unit[u];
    s.unit = u;
    return s;
  };
  absl::Status problem;
  absl::Status read = for_each_logged([&](const Event& logged) {
    if (!problem.ok()) return;
    Event e = intern(logged, arena);
    if (e.type == EventType::kSubmitted) {
      orders[e.case_id].c = case_from_submission(e);
      return;
    }
    auto it = orders.find(e.case_id);
    if (it == orders.end()) {
      problem = absl::DataLossError(
          absl::StrFormat("event %d of case %d comes before the case's submission", e.seq, e.case_id));
      return;
    }
    Followed& f = it->second;
    const Case& before = f.c;
    bool in_period = period.contains(e.time);
    switch (e.type) {
      case EventType::kSigned:
        if (in_period && before.lead_unit != 0) {
          UnitScore& s = score(before.lead_unit);
          ++s.sign_outcomes;
          const Deadline& sign = before.deadline(StepId::kSign);
          if (!sign.running() || e.time <= sign.due) ++s.signed_on_time;
        }
        break;
      case EventType::kAutoReturned:
        if (in_period && before.lead_unit != 0) ++score(before.lead_unit).sign_outcomes;
        break;
      case EventType::kReplied:
        if (in_period && before.lead_unit != 0) {
          UnitScore& s = score(before.lead_unit);
          ++s.replies;
          const Deadline& reply = before.deadline(StepId::kReply);
          if (!reply.running() || e.time <= reply.due) ++s.replied_on_time;
        }
        break;
      case EventType::kVisited: {
        StandingVisit v;
        v.time = e.time;
        v.valid = e.payload.valid_visit;
        v.contacted = e.payload.contacted;
        v.solved = e.payload.solved;
        v.satisfaction = e.payload.satisfaction;
        if (before.lead_unit != 0) v.units.push_back(before.lead_unit);
        for (UnitId u : before.co_handlers) {
          if (std::find(v.units.begin(), v.units.end(), u) == v.units.end()) v.units.push_back(u);
        }
        f.visit = std::move(v);  // the latest visit stands
        break;
      }
      case EventType::kTerminated:
      case EventType::kMerged:
        f.excluded = true;
        break;
      default:
        break;
    }
    arena.reserve(arena_bytes_to_apply(f.c, e));
    apply_event(f.c, e, arena);
  });
  if (!read.ok()) return read;
  if (!problem.ok()) return problem;

  for (const auto& [id, f] : orders) {
    if (f.excluded || !f.visit || !f.visit->valid || !period.contains(f.visit->time)) continue;
    const StandingVisit& v = *f.visit;
    for (UnitId u : v.units) {
      UnitScore& s = score(u);
      ++s.visits;
      if (v.contacted) ++s.contacted;
      if (v.solved) ++s.solved;
      if (v.satisfaction == Satisfaction::kSatisfied) ++s.satisfied;
      if (v.satisfaction == Satisfaction::kBasicallySatisfied) ++s.basically_satisfied;
      if (v.satisfaction == Satisfaction::kNotSatisfied) ++s.not_satisfied;
    }
  }
  std::vector<UnitScore> out;
  out.reserve(by_unit.size());
  for (auto& [unit, s] : by_unit) {
    s.response = ratio(s.contacted, s.visits);
    s.resolution = ratio(s.solved, s.visits);
    s.satisfaction =
        s.visits == 0 ? 0 : (s.satisfied + 0.9 * s.basically_satisfied) / s.visits;
    s.composite = weights.response * s.response + weights.resolution * s.resolution +
                  weights.satisfaction * s.satisfaction;
    out.push_back(s);
  }
  return out;
}

std::vector<Ranked> rank(const std::vector<UnitScore>& now, const std::vector<UnitScore>& previous,
                         const Policy& policy, UnitClass unit_class) {
  auto ranked_in_class = [&](const std::vector<UnitScore>& scores) {
    std::vector<UnitScore> in_class;
    for (const UnitScore& s : scores) {
      const UnitInfo* info = policy.unit(s.unit);
      if (info != nullptr && info->unit_class == unit_class && s.visits > 0) in_class.push_back(s);
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
    if (auto it = previous_rank.find(s.unit); it != previous_rank.end()) r.previous_rank = it->second;
    out.push_back(r);
  }
  return out;
}

}  // namespace jszb::core
