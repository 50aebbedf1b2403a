#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/utf8.h"
#include "model/names.h"
#include "report/rising.h"
#include "report/themes.h"

namespace jszb::core {

namespace {

// Counts by key in this period and the previous one.
struct Tally {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_key;
  void add(const std::string& key, std::int64_t n, bool previous) {
    auto& slot = by_key[key];
    (previous ? slot.second : slot.first) += n;
  }
};

std::string joined(const std::array<std::string, 3>& path, int levels) {
  std::vector<std::string> parts;
  for (int i = 0; i < levels && !path[i].empty(); ++i) parts.push_back(path[i]);
  return parts.size() == static_cast<std::size_t>(levels) ? absl::StrJoin(parts, "/") : "";
}

// Fills `out` with the keys counted in this period, largest first (ties by
// key); `top` 0 keeps all. `by_growth`: largest rise first, rises only.
void fill(const Tally& t, int top, bool by_growth,
          google::protobuf::RepeatedPtrField<v1::Count>* out) {
  std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t>> rows;
  for (const auto& [key, counts] : t.by_key) {
    if (key.empty() || counts.first == 0) continue;
    std::int64_t order = by_growth ? counts.first - counts.second : counts.first;
    if (by_growth && order <= 0) continue;
    rows.emplace_back(-order, key, counts.first, counts.second);
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& [order, key, now, before] : rows) {
    if (top > 0 && out->size() >= top) break;
    v1::Count* c = out->Add();
    c->set_key(key);
    c->set_count(now);
    c->set_previous(before);
  }
}

// The options of a report or a group search, checked before anything is read:
// each wrong one is named with its value.
absl::Status check_edges(TimeMs from, TimeMs until) {
  if (absl::Status s = check_period(from, until); !s.ok()) return s;
  for (auto [t, name] : {std::pair{from, "from_ms"}, std::pair{until, "until_ms"}}) {
    if (!on_bucket_edge(t)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is %d (%s China time): not on a half-day edge (00:00 or 12:00 China time); "
          "reports are kept by half-day",
          name, t, china_time_text(t)));
    }
  }
  return absl::OkStatus();
}

absl::Status check_groups(const GroupOptions& g) {
  if (g.shingle < 1 || g.shingle > 8 || g.bands < 1 || g.bands > 256 || g.rows < 1 || g.rows > 16) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "groups.shingle is %d, groups.bands %d, groups.rows %d: expected 1..8, 1..256 and 1..16",
        g.shingle, g.bands, g.rows));
  }
  if (!(g.min_similarity > 0 && g.min_similarity <= 1) ||
      !(g.max_common >= 0 && g.max_common <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("groups.min_similarity is %g and groups.max_common %g: expected (0, 1] "
                        "and [0, 1]",
                        g.min_similarity, g.max_common));
  }
  if (g.min_size < 2) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "groups.min_size is %d: a group is at least 2 requests (10 in the bulletin)", g.min_size));
  }
  return absl::OkStatus();
}

constexpr int kMaxTop = 10000;

absl::Status check_options(const ReportOptions& o) {
  if (absl::Status s = check_edges(o.from, o.until); !s.ok()) return s;
  if (o.top < 0 || o.top > kMaxTop) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "top is %d: expected 0 (every row) to %d rows per hot-spot list", o.top, kMaxTop));
  }
  if (o.baseline_periods < 1 || o.baseline_periods > 52) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "baseline_periods is %d: expected 1..52 earlier periods", o.baseline_periods));
  }
  if (!std::isfinite(o.rising_z) || o.rising_z <= 0 || o.rising_min < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("rising_z is %g and rising_min %d: expected a finite z > 0 and a "
                        "count >= 1",
                        o.rising_z, o.rising_min));
  }
  if (o.min_visits < 1 || o.min_visits > 1000000) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "min_visits is %d: expected 1..1000000 valid visits to rank a unit", o.min_visits));
  }
  if (o.max_group_window < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max_group_window is %d ms: expected >= 0", o.max_group_window));
  }
  if (absl::Status s = check_weights(o.weights, "weights"); !s.ok()) return s;
  return check_groups(o.groups);
}

// The code of the district a report is for; 0 for the whole city. A name no
// district of the current policy has is NotFound (a malformed one, invalid).
absl::StatusOr<UnitId> district_code_of(const Policy* policy, const std::string& district) {
  if (district.empty()) return UnitId{0};
  if (!is_valid_utf8(district)) {
    return absl::InvalidArgumentError("district is not valid UTF-8");
  }
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrFormat(
        "district \"%s\": no policy is loaded, so no district is known (set a policy, or ask "
        "for the whole city with no district)",
        district));
  }
  for (const UnitInfo& u : policy->units()) {
    if (u.unit_class == v1::UNIT_CLASS_DISTRICT && u.name == district) return u.code;
  }
  // Requests are counted under the district's name: an alias would count nothing.
  if (const UnitInfo* named = policy->unit(policy->district_named(district))) {
    return absl::NotFoundError(absl::StrFormat(
        "district \"%s\" is an alias: name the district as the policy does (\"%s\")", district,
        named->name));
  }
  return absl::NotFoundError(
      absl::StrFormat("district \"%s\" is not a district of the current policy (%s v%d)", district,
                      policy->name(), policy->version()));
}

}  // namespace

absl::StatusOr<std::vector<RequestGroup>> request_groups(Engine& engine, TimeMs from, TimeMs until,
                                                         const std::string& district,
                                                         const GroupOptions& options) {
  if (absl::Status s = check_period(from, until); !s.ok()) return s;
  if (absl::Status s = check_groups(options); !s.ok()) return s;
  if (absl::StatusOr<UnitId> d = district_code_of(engine.policy(), district); !d.ok()) {
    return d.status();
  }
  CaseFilter f;
  f.received_from = from;
  f.received_until = until;
  f.district = district;
  absl::StatusOr<std::vector<CaseId>> ids = engine.list(f);
  if (!ids.ok()) return ids.status();
  std::vector<GroupInput> inputs;
  inputs.reserve(ids->size());
  for (CaseId id : *ids) {
    absl::StatusOr<const Case*> c = engine.fetch(id);
    if (!c.ok()) return c.status();
    if (*c == nullptr) continue;
    const Intake& in = *(*c)->intake;
    // Within one street and the category's second level (or first, if that
    // is all the request has): the same words elsewhere are another matter.
    std::string_view category = in.category[1].empty() ? in.category[0] : in.category[1];
    inputs.push_back({id, in.location.street, category, in.content});
  }
  return find_groups(inputs, options);
}

namespace {

bool in_scope(const ReportOptions& o, const std::string& district) {
  return o.district.empty() || district == o.district;
}

// Volumes by channel, kind, category levels and area, against the previous period.
void add_volumes(const ReportOptions& o, const CounterTotals& now, const CounterTotals& before,
                 v1::Report& r) {
  Tally channel, kind, cat1, cat2, cat3, district, street, community;
  for (const auto* totals : {&now, &before}) {
    bool previous = totals == &before;
    for (const VolumeTotal& v : totals->volumes) {
      if (!in_scope(o, v.district)) continue;
      switch (v.dim) {
        case VolumeDim::kArea:
          if (previous) {
            r.set_previous_received(r.previous_received() + v.received);
          } else {
            r.set_received(r.received() + v.received);
          }
          district.add(v.district, v.received, previous);
          if (!v.path[0].empty()) street.add(v.district + "/" + v.path[0], v.received, previous);
          if (!v.path[1].empty()) {
            community.add(v.district + "/" + v.path[0] + "/" + v.path[1], v.received, previous);
          }
          break;
        case VolumeDim::kCategory:
          cat1.add(joined(v.path, 1), v.received, previous);
          cat2.add(joined(v.path, 2), v.received, previous);
          cat3.add(joined(v.path, 3), v.received, previous);
          break;
        case VolumeDim::kChannel:
          channel.add(std::string(name(v.channel)), v.received, previous);
          kind.add(std::string(name(v.kind)), v.received, previous);
          break;
      }
    }
  }
  fill(channel, 0, false, r.mutable_by_channel());
  fill(kind, 0, false, r.mutable_by_kind());
  fill(cat1, 0, false, r.mutable_by_category1());
  fill(cat2, o.top, false, r.mutable_by_category2());
  fill(cat3, o.top, false, r.mutable_by_category3());
  fill(district, 0, false, r.mutable_by_district());
  fill(street, o.top, false, r.mutable_by_street());
  fill(community, o.top, false, r.mutable_by_community());
  fill(community, o.top, true, r.mutable_rising_communities());
}

// Units: workload, speed and the three rates; ranked within their class.
void add_units(const ReportOptions& o, const CounterTotals& now, const CounterTotals& before,
               const Policy* policy, UnitId district_code, v1::Report& r) {
  auto unit_in_scope = [&](UnitId u) {
    if (district_code == 0) return true;
    const UnitInfo* info = policy->unit(u);
    return info != nullptr && (info->code == district_code || info->district == district_code);
  };
  std::vector<UnitScore> scored = scores(now.units, o.weights);
  std::vector<UnitScore> scored_before = scores(before.units, o.weights);
  absl::flat_hash_map<UnitId, std::pair<int, int>> ranks;  // rank, previous rank
  if (policy != nullptr) {
    for (UnitClass c : {v1::UNIT_CLASS_STREET, v1::UNIT_CLASS_DEPARTMENT, v1::UNIT_CLASS_ENTERPRISE,
                        v1::UNIT_CLASS_DISTRICT}) {
      for (const Ranked& k : rank(scored, scored_before, *policy, c, o.min_visits)) {
        ranks[k.score.unit] = {k.rank, k.previous_rank.value_or(0)};
      }
    }
  }
  std::vector<v1::UnitRow> rows;
  for (const UnitScore& s : scored) {
    if (!unit_in_scope(s.unit)) continue;
    const UnitTally& t = now.units.at(s.unit);
    v1::UnitRow row;
    row.set_unit(s.unit);
    const UnitInfo* info = policy != nullptr ? policy->unit(s.unit) : nullptr;
    row.set_name(info != nullptr ? info->name : absl::StrFormat("unit %d", s.unit));
    row.set_unit_class(info != nullptr ? info->unit_class : v1::UNIT_CLASS_UNSPECIFIED);
    row.set_dispatched(t.dispatched);
    row.set_closed(t.closed);
    row.set_handling_hours(t.closed ? t.handling_ms / 3.6e6 / t.closed : 0);
    row.set_first_contacts(t.first_contacts);
    row.set_response_hours(t.first_contacts ? t.response_ms / 3.6e6 / t.first_contacts : 0);
    row.set_breached(t.breached);
    row.set_supervised(t.supervised);
    row.set_long_term_held(t.long_term_held);
    row.set_resolution_only_visits(t.resolution_only_visits);
    row.set_visits(s.visits);
    row.set_response_rate(s.response);
    row.set_resolution_rate(s.resolution);
    row.set_satisfaction_rate(s.satisfaction);
    row.set_composite(s.composite);
    if (auto it = ranks.find(s.unit); it != ranks.end()) {
      row.set_rank(it->second.first);
      row.set_previous_rank(it->second.second);
    }
    row.set_sign_outcomes(s.sign_outcomes);
    row.set_replies(s.replies);
    row.set_sign_on_time_rate(s.sign_on_time_rate());
    row.set_completion_on_time_rate(s.completion_on_time_rate());
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const v1::UnitRow& a, const v1::UnitRow& b) {
    auto key = [](const v1::UnitRow& x) {
      return std::make_tuple(static_cast<int>(x.unit_class()), x.rank() == 0, x.rank(), x.unit());
    };
    return key(a) < key(b);
  });
  for (v1::UnitRow& row : rows) *r.add_units() = std::move(row);
}

// Whether anything was counted for the unit in the period.
bool counted(const v1::UnitRow& u) {
  return u.dispatched() != 0 || u.closed() != 0 || u.first_contacts() != 0 || u.breached() != 0 ||
         u.visits() != 0 || u.sign_outcomes() != 0 || u.replies() != 0 || u.supervised() != 0 ||
         u.long_term_held() != 0;
}

// Rising problems (rising.h). `previous` is the period just before, read already.
absl::Status add_rising(Engine& engine, const ReportOptions& o, const CounterTotals& now,
                        absl::StatusOr<CounterTotals> previous, v1::Report& r) {
  if (!previous.ok()) return previous.status();
  absl::StatusOr<Rising> rising = rising_problems(
      engine, {o.from, o.until, o.district, o.baseline_periods, o.rising_z, o.rising_min}, &now,
      &*previous);
  if (!rising.ok()) return rising.status();
  for (v1::RisingRow& row : rising->rows) *r.add_rising() = std::move(row);
  r.set_baseline_periods(o.baseline_periods);
  r.set_rising_test(rising->test);
  return absl::OkStatus();
}

// Request groups: matters reported many times in the period.
absl::Status add_groups(Engine& engine, const ReportOptions& o, v1::Report& r) {
  absl::StatusOr<std::vector<RequestGroup>> groups =
      request_groups(engine, o.from, o.until, o.district, o.groups);
  if (!groups.ok()) return groups.status();
  for (const RequestGroup& g : *groups) {
    absl::StatusOr<const Case*> rep_case = engine.fetch(g.representative);
    if (!rep_case.ok()) return rep_case.status();
    const Intake& rep = *(*rep_case)->intake;
    v1::GroupRow* row = r.add_groups();
    row->set_area(std::string(rep.location.district) + "/" +
                  (rep.location.street.empty() ? std::string("(by map point)")
                                               : std::string(rep.location.street)));
    std::vector<std::string> levels;
    for (std::string_view level : rep.category) {
      if (!level.empty()) levels.emplace_back(level);
    }
    row->set_category(absl::StrJoin(levels, "/"));
    row->set_size(static_cast<std::int64_t>(g.cases.size()));
    row->set_representative(g.representative);
    row->set_text(std::string(rep.content));
    for (CaseId id : g.cases) row->add_cases(id);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Report> build_report(Engine& engine, const ReportOptions& o) {
  if (absl::Status s = check_options(o); !s.ok()) return s;
  const Policy* policy = engine.policy();
  absl::StatusOr<UnitId> district_code = district_code_of(policy, o.district);
  if (!district_code.ok()) return district_code.status();
  const TimeMs span = o.until - o.from;
  absl::StatusOr<CounterTotals> now = engine.counter_totals(o.from, o.until);
  if (!now.ok()) return now.status();
  absl::StatusOr<CounterTotals> before = engine.counter_totals(o.from - span, o.from);
  if (!before.ok()) return before.status();

  v1::Report r;
  r.set_from_ms(o.from);
  r.set_until_ms(o.until);
  r.set_district(o.district);
  r.set_min_visits(static_cast<std::int32_t>(o.min_visits));
  add_volumes(o, *now, *before, r);
  add_units(o, *now, *before, policy, *district_code, r);
  r.set_empty(r.received() == 0 && std::none_of(r.units().begin(), r.units().end(), counted));
  if (absl::Status s = add_rising(engine, o, *now, std::move(before), r); !s.ok()) return s;
  // Groups for periods up to a week.
  if (span <= o.max_group_window) {
    if (absl::Status s = add_groups(engine, o, r); !s.ok()) return s;
  }
  if (absl::Status s = add_theme_section(engine, o.from, o.until, o.district, r); !s.ok()) return s;
  return r;
}

}  // namespace jszb::core
