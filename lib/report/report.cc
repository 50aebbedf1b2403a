#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <deque>
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
#include "report/drill_down.h"
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
  if (g.bands < 1 || g.bands > 256 || g.rows < 1 || g.rows > 16) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "groups.bands is %d and groups.rows %d: expected 1..256 and 1..16", g.bands, g.rows));
  }
  if (!(g.max_common >= 0 && g.max_common <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("groups.max_common is %g: expected a share in [0, 1]", g.max_common));
  }
  if (g.min_size < 2 || g.min_size > 1000000) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "groups.min_size is %d: expected 2..1000000 requests (a group is at least 2; 10 in the "
        "bulletin)",
        g.min_size));
  }
  return absl::OkStatus();
}

absl::Status check_scope(GroupScope scope) {
  switch (scope) {
    case GroupScope::kCommunity:
    case GroupScope::kStreet:
    case GroupScope::kDistrict:
    case GroupScope::kCity:
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "group scope is %d: expected 1 (community), 2 (street), 3 (district) or 4 (city)",
      static_cast<int>(scope)));
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
  if (absl::Status s = check_scope(o.group_scope); !s.ok()) return s;
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
                                                         GroupScope scope,
                                                         const GroupOptions& options) {
  if (absl::Status s = check_period(from, until); !s.ok()) return s;
  if (absl::Status s = check_scope(scope); !s.ok()) return s;
  if (absl::Status s = check_groups(options); !s.ok()) return s;
  if (absl::StatusOr<UnitId> d = district_code_of(engine.policy(), district); !d.ok()) {
    return d.status();
  }
  // Every request of the period, kept if the engine placed it in the
  // district (by its names or its map point), as the report counts it.
  CaseFilter f;
  f.received_from = from;
  f.received_until = until;
  absl::StatusOr<std::vector<CaseId>> ids = engine.list(f);
  if (!ids.ok()) return ids.status();
  // GroupInput holds views: the scopes are kept here, the rest is the cases'
  // and the policy's.
  std::deque<std::string> scopes;
  std::vector<GroupInput> inputs;
  for (CaseId id : *ids) {
    absl::StatusOr<const Case*> c = engine.fetch(id);
    if (!c.ok()) return c.status();
    if (*c == nullptr) continue;
    CountedPlace place = engine.counted_place(**c);
    if (!district.empty() && place.district != district) continue;
    const Intake& in = *(*c)->intake;
    switch (scope) {
      case GroupScope::kCity:
        scopes.emplace_back();
        break;
      case GroupScope::kDistrict:
        scopes.emplace_back(place.district);
        break;
      case GroupScope::kStreet:
        scopes.push_back(std::string(place.district) + "/" + std::string(place.street));
        break;
      case GroupScope::kCommunity:
        scopes.push_back(std::string(place.district) + "/" + std::string(place.street) + "/" +
                         std::string(in.location.community));
        break;
    }
    inputs.push_back({id, scopes.back(), place.district, place.street, in.category[0],
                      in.category[1], in.content, in.location.address});
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

// Whether a unit of no district (a utility, a city department) handled orders
// of the district: a case received there by the period's end names it as its
// lead, a co-handler or copied. Other districts' units never do.
absl::StatusOr<bool> handled_in(Engine& engine, const UnitInfo& info, const std::string& district,
                                TimeMs until) {
  if (info.district != 0 || (info.unit_class != v1::UNIT_CLASS_DEPARTMENT &&
                             info.unit_class != v1::UNIT_CLASS_ENTERPRISE)) {
    return false;
  }
  CaseFilter f;
  f.unit = info.code;
  f.district = district;
  f.received_until = until;
  f.limit = 1;
  absl::StatusOr<std::vector<CaseId>> ids = engine.list(f);
  if (!ids.ok()) return ids.status();
  return !ids->empty();
}

// Units: workload, speed and the three rates; ranked within their class. A
// district's report has its own units, and the units of no district that
// handled its orders (Report.outside_units, with their city-wide rows).
absl::Status add_units(Engine& engine, const ReportOptions& o, const CounterTotals& now,
                       const CounterTotals& before, UnitId district_code, v1::Report& r) {
  const Policy* policy = engine.policy();
  absl::flat_hash_map<UnitId, bool> outside;
  auto unit_in_scope = [&](UnitId u) -> absl::StatusOr<bool> {
    if (district_code == 0) return true;
    const UnitInfo* info = policy->unit(u);
    if (info == nullptr) return false;
    if (info->code == district_code || info->district == district_code) return true;
    auto [it, added] = outside.try_emplace(u, false);
    if (added) {
      absl::StatusOr<bool> handled = handled_in(engine, *info, o.district, o.until);
      if (!handled.ok()) return handled.status();
      it->second = *handled;
    }
    return it->second;
  };
  // Whether the previous period counted anything for the units in scope.
  bool before_counted = false;
  for (const auto& [unit, tally] : before.units) {
    if (tally.zero()) continue;
    absl::StatusOr<bool> in = unit_in_scope(unit);
    if (!in.ok()) return in.status();
    before_counted = before_counted || *in;
  }
  r.set_previous_empty(r.previous_received() == 0 && !before_counted);
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
    absl::StatusOr<bool> in = unit_in_scope(s.unit);
    if (!in.ok()) return in.status();
    if (!*in) continue;
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
  for (v1::UnitRow& row : rows) {
    if (auto it = outside.find(row.unit()); it != outside.end() && it->second) {
      r.add_outside_units(row.unit());
    }
    *r.add_units() = std::move(row);
  }
  return absl::OkStatus();
}

// Each unit row's figures with the orders behind them, from one walk of the log.
absl::Status add_orders(Engine& engine, const CounterTotals& now, v1::Report& r) {
  absl::flat_hash_map<UnitId, const UnitTally*> rows;
  for (const v1::UnitRow& u : r.units()) rows[u.unit()] = &now.units.at(u.unit());
  LogReader log = [&engine](const std::function<void(const Event&)>& visit) {
    return engine.for_each_logged(visit);
  };
  absl::StatusOr<UnitFigureOrders> orders = drill_down_units(
      log, [&rows](UnitId u) { return rows.contains(u); }, Period{r.from_ms(), r.until_ms()});
  if (!orders.ok()) return orders.status();
  for (const v1::UnitRow& u : r.units()) {
    auto lists = orders->find(u.unit());
    for (int f = kFigureFirst; f <= kFigureLast; ++f) {
      std::optional<std::int64_t> figure = figure_of(*rows[u.unit()], static_cast<Figure>(f));
      if (!figure) continue;  // appeals: no figure of the row
      v1::FigureOrders* out = r.add_unit_orders();
      out->set_unit(u.unit());
      out->set_figure(std::string(name(static_cast<Figure>(f))));
      out->set_count(*figure);
      if (lists == orders->end()) continue;
      for (const UnitOrder& o : lists->second.at(static_cast<Figure>(f))) out->add_cases(o.case_id);
    }
  }
  return absl::OkStatus();
}

// What the report counts and leaves out, in words.
std::string definitions(const ReportOptions& o) {
  return absl::StrFormat(
      "Period [%s, %s) China time (UTC+8), against the previous period of the same length. "
      "Requests count when received, in the district and street the policy resolves for them "
      "(from their names, or from their map point when they name no street), whatever became "
      "of them: answered on the spot and not dispatched (Art. 11) included. A unit's row counts "
      "what happened to its orders in the period, whenever they were received; orders never "
      "dispatched never enter a unit's row or the rates. The three rates are over the valid "
      "return visits that stand (the latest, once per order for its lead and for each "
      "co-handler); a result overturned on appeal, an order terminated or merged%s does not "
      "count. Units with fewer than %d valid visits are listed, not ranked.%s",
      china_time_text(o.from), china_time_text(o.until),
      ", or on the long-term pending list under the default policy,", o.min_visits,
      o.district.empty() ? ""
                         : " Units of no district that handled the district's orders are listed "
                           "with all their orders, city-wide.");
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
      request_groups(engine, o.from, o.until, o.district, o.group_scope, o.groups);
  if (!groups.ok()) return groups.status();
  for (const RequestGroup& g : *groups) {
    absl::StatusOr<const Case*> rep_case = engine.fetch(g.representative);
    if (!rep_case.ok()) return rep_case.status();
    const Intake& rep = *(*rep_case)->intake;
    v1::GroupRow* row = r.add_groups();
    // Where and what most of its requests are: the engine's placing (names or
    // map point), not the representative's words alone.
    CountedPlace place = engine.counted_place(**rep_case);
    row->set_area(std::string(place.district) + "/" +
                  (g.streets.empty() ? std::string(place.street) : g.streets.front()));
    row->set_category(g.categories.empty() ? std::string() : g.categories.front());
    for (const std::string& street : g.streets) row->add_streets(street);
    for (const std::string& category : g.categories) row->add_categories(category);
    // The place: the representative's address, else the first one recorded.
    std::string_view address = rep.location.address;
    for (std::size_t i = 0; address.empty() && i < g.cases.size(); ++i) {
      absl::StatusOr<const Case*> c = engine.fetch(g.cases[i]);
      if (!c.ok()) return c.status();
      if (*c != nullptr) address = (*c)->intake->location.address;
    }
    row->set_address(std::string(address));
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
  absl::StatusOr<UnitId> district_code = district_code_of(engine.policy(), o.district);
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
  r.set_definitions(definitions(o));
  add_volumes(o, *now, *before, r);
  if (absl::Status s = add_units(engine, o, *now, *before, *district_code, r); !s.ok()) return s;
  r.set_empty(r.received() == 0 && std::none_of(r.units().begin(), r.units().end(), counted));
  if (o.with_orders) {
    if (absl::Status s = add_orders(engine, *now, r); !s.ok()) return s;
  }
  if (absl::Status s = add_rising(engine, o, *now, std::move(before), r); !s.ok()) return s;
  // Groups for periods up to a week.
  if (span <= o.max_group_window) {
    if (absl::Status s = add_groups(engine, o, r); !s.ok()) return s;
  }
  if (absl::Status s = add_theme_section(engine, o.from, o.until, o.district, r); !s.ok()) return s;
  return r;
}

}  // namespace jszb::core
