// Themes (每月一题 "one problem a month", 未诉先办 "handle before anyone
// complains"): a named problem the city attacks on purpose, defined by
// categories, keywords and areas (model/theme.h says exactly which requests
// belong to it), led by one unit, with tasks given to units. Themes and tasks
// are data in the engine's store (store/theme_store.h); this layer checks
// every change, counts a theme's requests per period before and after its
// start, lists its cases across units, and offers rising problems no theme
// covers as candidates for the next one.
//
// A change is refused before anything is written, naming what is wrong and
// its value: InvalidArgument for a malformed field (empty or over-long name,
// text not UTF-8 or holding a control character, a time outside years
// 1970..9999, a task due before the theme's start, a name another theme has,
// nothing to match by), NotFound for an unknown theme or task id, a unit or
// area the current policy does not know (with no policy loaded, none is
// known), Unavailable from inside a listener or router, FailedPrecondition
// inside an explicit batch (a theme change is durable on its own, before the
// call returns) or on a store that keeps no themes.
#ifndef JSZB_LIB_REPORT_THEMES_H
#define JSZB_LIB_REPORT_THEMES_H

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "model/proto_schema.h"
#include "model/theme.h"
#include "report/rising.h"

namespace jszb::core {

// Limits of a theme's fields.
inline constexpr std::size_t kThemeNameMax = 256;     // bytes, as names elsewhere
inline constexpr std::size_t kThemeTermMax = 256;     // a category, keyword or area
inline constexpr std::size_t kThemeTermsMax = 64;     // of each list
inline constexpr std::size_t kTaskTitleMax = 4096;    // bytes
inline constexpr std::size_t kThemeTasksMax = 10000;  // tasks of one theme

// Defines a theme: `theme.id` 0 for a new one (its id is returned), else the
// theme to redefine (name, start, lead and what it matches; its tasks stay,
// and none may then fall due before the new start). theme.tasks is ignored.
absl::StatusOr<ThemeId> define_theme(Engine& engine, const Theme& theme, TimeMs time);
// Removes a theme and its tasks (its id is never given out again).
absl::Status remove_theme(Engine& engine, ThemeId id, TimeMs time);
// Adds a task (`task.id` 0; its id, from 1 within the theme, is returned) or
// replaces one (owner, title, due, state). Marked done, it records `time` as
// when (kept while it stays done); reopened, that is cleared.
absl::StatusOr<TaskId> set_theme_task(Engine& engine, ThemeId theme, const ThemeTask& task,
                                      TimeMs time);
// Every theme, by id, with its tasks; or the one with `id` (NotFound if none).
absl::StatusOr<std::vector<Theme>> list_themes(const Engine& engine);
absl::StatusOr<Theme> find_theme(const Engine& engine, ThemeId id);

// The periods a theme's trend is counted in, China time (UTC+8).
enum class ThemePeriod : std::uint8_t {
  kMonth = 1,            // calendar months, from the 1st 00:00
  kAssessmentMonth = 2,  // 19th 00:00 to 19th 00:00 (the assessment month)
  kWeek = 3,             // Monday 00:00 to Monday 00:00
};

struct TrendOptions {
  ThemePeriod period = ThemePeriod::kMonth;
  int before = 3;        // periods before the one holding the start, 0..120
  int after = 3;         // periods from the one holding the start on, 1..120
  std::string district;  // only the theme's requests in this district; empty: all
};

struct PeriodCount {
  TimeMs from = 0;  // [from, until)
  TimeMs until = 0;
  int offset = 0;  // 0: the period holding the start, -1 the one before, ...
  std::int64_t received = 0;
};

// The theme's requests received in each period, oldest first: `before`
// periods, then `after` periods from the one holding its start. Every
// request counts once, whatever its state or unit. InvalidArgument for
// options out of range, NotFound for an unknown theme or district.
absl::StatusOr<std::vector<PeriodCount>> theme_trend(Engine& engine, ThemeId id,
                                                     const TrendOptions& options);
// The ids of the theme's cases received in [from, until) (0, 0: any time),
// in any state and of any unit, ascending: what a task force works through.
absl::StatusOr<std::vector<CaseId>> theme_cases(Engine& engine, ThemeId id, TimeMs from,
                                                TimeMs until, const std::string& district = "");
// Rising problems (rising.h) of [o.from, o.until) that no theme covers:
// candidates for the next theme. A theme covers a rising category in a
// district when one of its category prefixes is that category or above it,
// and its areas are the city or include that district whole. Refused as a
// report refuses its period, baseline and district.
absl::StatusOr<std::vector<v1::RisingRow>> theme_candidates(Engine& engine, const RisingOptions& o);
// Whether a theme covers a rising row (as theme_candidates decides).
bool theme_covers(const Theme& theme, const v1::RisingRow& row);

// The report's section (Report.themes, Report.theme_candidates): each
// theme with requests in the report's district (or every theme, for the
// city): its count in the period and the one before, its monthly trend from
// 3 months before its start, its tasks as they stand at the period's end;
// and the rising rows already in `r` that no theme covers.
absl::Status add_theme_section(Engine& engine, TimeMs from, TimeMs until,
                               const std::string& district, v1::Report& r);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_THEMES_H
