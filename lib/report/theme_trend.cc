// Themes: their requests counted per period, their cases, the candidates for
// the next one, and the report's section. A theme's requests are found by
// listing: by area and category prefix when it has no keywords (indexed, no
// case is loaded), by area and then each request's content when it has.
#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/china_time.h"
#include "lifecycle/counters.h"
#include "report/assessment.h"
#include "report/themes.h"
#include "store/case_filter.h"

namespace jszb::core {

namespace {

TimeMs ms_of(absl::CivilSecond cs) { return absl::ToUnixMillis(absl::FromCivil(cs, china_zone())); }

// The period `offset` periods after the one holding `t`.
std::pair<TimeMs, TimeMs> period_of(ThemePeriod p, TimeMs t, int offset) {
  absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixMillis(t), china_zone());
  switch (p) {
    case ThemePeriod::kWeek: {
      absl::CivilDay monday = absl::PrevWeekday(absl::CivilDay(cs) + 1, absl::Weekday::monday);
      monday += 7 * offset;
      return {ms_of(monday), ms_of(monday + 7)};
    }
    case ThemePeriod::kAssessmentMonth: {
      absl::CivilMonth m(cs);
      if (absl::CivilDay(cs).day() < 19) m -= 1;  // the month ending on the 18th of this one
      m += offset;
      absl::CivilMonth n = m + 1;
      return {ms_of(absl::CivilSecond(m.year(), m.month(), 19)),
              ms_of(absl::CivilSecond(n.year(), n.month(), 19))};
    }
    case ThemePeriod::kMonth:
      break;
  }
  absl::CivilMonth m = absl::CivilMonth(cs) + offset;
  return {ms_of(m), ms_of(m + 1)};
}

struct AreaFilter {
  std::string district, street;
};

// The theme's areas within a report's district (empty: every area of the
// theme; none at all: the theme has nothing there). A city-wide theme is the
// district's whole.
std::vector<AreaFilter> areas_in_scope(const Theme& t, const std::string& district) {
  std::vector<AreaFilter> out;
  if (t.areas.empty()) {
    out.push_back({district, ""});
    return out;
  }
  for (const std::string& area : t.areas) {
    std::vector<std::string_view> levels = path_levels(area);
    if (!district.empty() && levels[0] != district) continue;
    out.push_back({std::string(levels[0]), levels.size() > 1 ? std::string(levels[1]) : ""});
  }
  return out;
}

// The theme's requests received in [from, until) (0: unbounded), ascending.
absl::StatusOr<std::vector<CaseId>> matching_ids(Engine& engine, const Theme& t,
                                                 const std::vector<AreaFilter>& areas, TimeMs from,
                                                 TimeMs until) {
  std::vector<CaseId> out;
  for (const AreaFilter& a : areas) {
    CaseFilter f;
    f.district = a.district;
    f.street = a.street;
    f.received_from = from;
    f.received_until = until;
    if (t.keywords.empty()) {
      for (const std::string& prefix : t.categories) {
        std::vector<std::string_view> levels = path_levels(prefix);
        CaseFilter g = f;
        for (std::size_t i = 0; i < levels.size() && i < g.category.size(); ++i) {
          g.category[i] = levels[i];
        }
        absl::StatusOr<std::vector<CaseId>> ids = engine.list(g);
        if (!ids.ok()) return ids.status();
        out.insert(out.end(), ids->begin(), ids->end());
      }
      continue;
    }
    absl::StatusOr<std::vector<CaseId>> ids = engine.list(f);
    if (!ids.ok()) return ids.status();
    absl::Status read = engine.for_each_intake(*ids, [&](CaseId id, const Intake& in) {
      if (theme_matches(t, in)) out.push_back(id);
    });
    if (!read.ok()) return read;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A district a caller scopes a query to: one the policy names (empty: all).
absl::Status check_district(const Engine& engine, const std::string& district) {
  if (district.empty()) return absl::OkStatus();
  const Policy* policy = engine.policy();
  if (policy != nullptr) {
    for (const UnitInfo& u : policy->units()) {
      if (u.unit_class == v1::UNIT_CLASS_DISTRICT && u.name == district) return absl::OkStatus();
    }
  }
  return absl::NotFoundError(
      absl::StrFormat("district \"%s\" is not a district of the current policy%s", district,
                      policy == nullptr ? " (no policy is loaded)" : ""));
}

absl::StatusOr<std::vector<PeriodCount>> count_periods(Engine& engine, const Theme& t,
                                                       const std::vector<AreaFilter>& areas,
                                                       ThemePeriod period, int first, int last) {
  std::vector<PeriodCount> out;
  for (int offset = first; offset <= last; ++offset) {
    auto [from, until] = period_of(period, t.start, offset);
    if (!time_in_range(from) || !time_in_range(until)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the trend of theme %d reaches outside the times jszb accepts, 2000..2200 (period %d "
          "from its start)",
          t.id, offset));
    }
    PeriodCount c{from, until, offset, 0};
    if (!areas.empty()) {
      absl::StatusOr<std::vector<CaseId>> ids = matching_ids(engine, t, areas, from, until);
      if (!ids.ok()) return ids.status();
      c.received = static_cast<std::int64_t>(ids->size());
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<PeriodCount>> theme_trend(Engine& engine, ThemeId id,
                                                     const TrendOptions& o) {
  if (o.period != ThemePeriod::kMonth && o.period != ThemePeriod::kAssessmentMonth &&
      o.period != ThemePeriod::kWeek) {
    return absl::InvalidArgumentError(
        absl::StrFormat("period is %d: expected month (1), assessment month (2) or week (3)",
                        static_cast<int>(o.period)));
  }
  if (o.before < 0 || o.before > 120 || o.after < 1 || o.after > 120) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "before is %d and after %d: expected 0..120 periods before the start and 1..120 from it",
        o.before, o.after));
  }
  if (absl::Status s = check_district(engine, o.district); !s.ok()) return s;
  absl::StatusOr<Theme> t = find_theme(engine, id);
  if (!t.ok()) return t.status();
  return count_periods(engine, *t, areas_in_scope(*t, o.district), o.period, -o.before,
                       o.after - 1);
}

absl::StatusOr<std::vector<CaseId>> theme_cases(Engine& engine, ThemeId id, TimeMs from,
                                                TimeMs until, const std::string& district) {
  if (from != 0 || until != 0) {
    if (absl::Status s = check_period(from, until); !s.ok()) return s;
  }
  if (absl::Status s = check_district(engine, district); !s.ok()) return s;
  absl::StatusOr<Theme> t = find_theme(engine, id);
  if (!t.ok()) return t.status();
  std::vector<AreaFilter> areas = areas_in_scope(*t, district);
  if (areas.empty()) return std::vector<CaseId>();
  return matching_ids(engine, *t, areas, from, until);
}

bool theme_covers(const Theme& t, const v1::RisingRow& row) {
  bool area =
      t.areas.empty() || std::find(t.areas.begin(), t.areas.end(), row.district()) != t.areas.end();
  if (!area) return false;
  const std::string& category = row.category();
  return std::any_of(t.categories.begin(), t.categories.end(), [&](const std::string& p) {
    return category == p || (category.size() > p.size() && category.compare(0, p.size(), p) == 0 &&
                             category[p.size()] == '/');
  });
}

absl::StatusOr<std::vector<v1::RisingRow>> theme_candidates(Engine& engine,
                                                            const RisingOptions& o) {
  if (absl::Status s = check_period(o.from, o.until); !s.ok()) return s;
  for (auto [t, name] : {std::pair{o.from, "from_ms"}, std::pair{o.until, "until_ms"}}) {
    if (!on_bucket_edge(t)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is %d (%s China time): not on a half-day edge (00:00 or 12:00 China time)", name, t,
          china_time_text(t)));
    }
  }
  if (o.baseline_periods < 1 || o.baseline_periods > 52) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "baseline_periods is %d: expected 1..52 earlier periods", o.baseline_periods));
  }
  if (absl::Status s = check_district(engine, o.district); !s.ok()) return s;
  absl::StatusOr<std::vector<Theme>> themes = list_themes(engine);
  if (!themes.ok()) return themes.status();
  absl::StatusOr<Rising> rising = rising_problems(engine, o);
  if (!rising.ok()) return rising.status();
  std::vector<v1::RisingRow> out;
  for (v1::RisingRow& row : rising->rows) {
    bool covered = std::any_of(themes->begin(), themes->end(),
                               [&](const Theme& t) { return theme_covers(t, row); });
    if (!covered) out.push_back(std::move(row));
  }
  return out;
}

namespace {

constexpr int kReportTrendBefore = 3;  // months before the start's
constexpr int kReportTrendAfter = 12;  // months from the start's, at most

void add_tasks(const Theme& t, const Policy* policy, TimeMs until, v1::ThemeRow& row) {
  for (const ThemeTask& k : t.tasks) {
    v1::ThemeTaskRow* task = row.add_tasks();
    task->set_id(k.id);
    task->set_owner_unit(k.owner);
    const UnitInfo* owner = policy != nullptr ? policy->unit(k.owner) : nullptr;
    task->set_owner_name(owner != nullptr ? owner->name : absl::StrFormat("unit %d", k.owner));
    task->set_title(k.title);
    task->set_due_ms(k.due);
    bool done = k.state == TaskState::kDone;
    task->set_state(done ? "done" : "open");
    task->set_done_ms(k.done);
    task->set_overdue(!done && k.due < until);
    task->set_late(done && k.done > k.due);
    row.set_open_tasks(row.open_tasks() + (done ? 0 : 1));
    row.set_overdue_tasks(row.overdue_tasks() + (task->overdue() ? 1 : 0));
  }
}

// The months of the report's trend: 3 before the start's, then from the
// start's to the one holding the report's end (at least 1, at most 12).
absl::Status add_trend(Engine& engine, const Theme& t, const std::vector<AreaFilter>& areas,
                       TimeMs until, v1::ThemeRow& row) {
  int after = 1;
  while (after < kReportTrendAfter && period_of(ThemePeriod::kMonth, t.start, after).first < until)
    ++after;
  absl::StatusOr<std::vector<PeriodCount>> trend =
      count_periods(engine, t, areas, ThemePeriod::kMonth, -kReportTrendBefore, after - 1);
  if (!trend.ok()) return trend.status();
  double before_sum = 0, after_sum = 0;
  int after_periods = 0;
  for (const PeriodCount& c : *trend) {
    v1::ThemePeriod* p = row.add_trend();
    p->set_from_ms(c.from);
    p->set_until_ms(c.until);
    p->set_offset(c.offset);
    p->set_count(c.received);
    if (c.offset < 0) {
      before_sum += static_cast<double>(c.received);
    } else if (c.until <= until) {  // only months the report has seen whole
      after_sum += static_cast<double>(c.received);
      ++after_periods;
    }
  }
  row.set_before_mean(before_sum / kReportTrendBefore);
  row.set_after_mean(after_periods > 0 ? after_sum / after_periods : 0);
  row.set_after_months(after_periods);
  return absl::OkStatus();
}

}  // namespace

absl::Status add_theme_section(Engine& engine, TimeMs from, TimeMs until,
                               const std::string& district, v1::Report& r) {
  absl::StatusOr<std::vector<Theme>> themes = list_themes(engine);
  if (!themes.ok()) return themes.status();
  const Policy* policy = engine.policy();
  for (const Theme& t : *themes) {
    std::vector<AreaFilter> areas = areas_in_scope(t, district);
    if (areas.empty()) continue;  // nothing of it in the district
    v1::ThemeRow& row = *r.add_themes();
    row.set_id(t.id);
    row.set_name(t.name);
    row.set_start_ms(t.start);
    row.set_lead_unit(t.lead);
    const UnitInfo* lead = policy != nullptr ? policy->unit(t.lead) : nullptr;
    row.set_lead_name(lead != nullptr ? lead->name : absl::StrFormat("unit %d", t.lead));
    for (const std::string& c : t.categories) row.add_categories(c);
    for (const std::string& k : t.keywords) row.add_keywords(k);
    for (const std::string& a : t.areas) row.add_areas(a);
    for (auto [lo, hi, field] :
         {std::tuple{from, until, &v1::ThemeRow::set_count},
          std::tuple{from - (until - from), from, &v1::ThemeRow::set_previous}}) {
      absl::StatusOr<std::vector<CaseId>> ids = matching_ids(engine, t, areas, lo, hi);
      if (!ids.ok()) return ids.status();
      (row.*field)(static_cast<std::int64_t>(ids->size()));
    }
    if (absl::Status s = add_trend(engine, t, areas, until, row); !s.ok()) return s;
    add_tasks(t, policy, until, row);
  }
  for (const v1::RisingRow& rising : r.rising()) {
    bool covered = std::any_of(themes->begin(), themes->end(),
                               [&](const Theme& t) { return theme_covers(t, rising); });
    if (!covered) *r.add_theme_candidates() = rising;
  }
  return absl::OkStatus();
}

}  // namespace jszb::core
