// Reports (日通报、周汇总、月分析): volumes by channel, kind, category and area,
// units' workload, speed and the three rates with rankings, hot spots, rising
// problems and request groups, for a period and the city or one district.
// Everything but the groups comes from the counters (counters.h), so a report
// costs the same whatever the store holds; the groups read the period's
// requests, and are found for periods of up to a week (the daily bulletin and
// the weekly summary). The themes (每月一题, report/themes.h) list their
// requests too: a category-only theme by index, a keyword theme by reading
// each request of its areas in the months of its trend.
#ifndef JSZB_LIB_REPORT_REPORT_H
#define JSZB_LIB_REPORT_REPORT_H

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "model/proto_schema.h"
#include "report/assessment.h"
#include "report/request_groups.h"

namespace jszb::core {

// How far apart a group's requests may be: only requests placed in the same
// community, street, district (the default) or anywhere in the city group.
enum class GroupScope { kCommunity = 1, kStreet = 2, kDistrict = 3, kCity = 4 };

struct ReportOptions {
  TimeMs from = 0;  // [from, until): half-day edges in China time
  TimeMs until = 0;
  std::string district;  // empty: the whole city
  int top = 20;          // rows per hot-spot list
  // Rising problems: a category in a district whose volume stands well above
  // its mean over this many earlier periods of the same length.
  int baseline_periods = 4;
  double rising_z = 3.0;
  std::int64_t rising_min = 10;
  RateWeights weights;
  // Units with fewer valid visits than this are listed apart, not ranked
  // (rank 0): a rate over a handful of visits says little.
  std::int64_t min_visits = 10;
  GroupOptions groups;
  GroupScope group_scope = GroupScope::kDistrict;
  // Each unit row's figures with the orders behind them (Report.unit_orders,
  // drill_down.h): reads the whole log, where the rest reads counters.
  bool with_orders = false;
  TimeMs max_group_window = 7 * 24 * 3600 * 1000LL;
};

// Request groups among the requests received in [from, until) that the
// engine placed (by names or map point) in `district` (empty: the city), each
// group within one `scope`, across categories. Refused before anything is
// read: InvalidArgument for a period outside years 1970..9999 or not ending
// after it starts, a scope not of GroupScope, or options out of range;
// NotFound for a district the current policy does not name.
absl::StatusOr<std::vector<RequestGroup>> request_groups(Engine& engine, TimeMs from, TimeMs until,
                                                         const std::string& district,
                                                         GroupScope scope = GroupScope::kDistrict,
                                                         const GroupOptions& options = {});

// Reads the engine, never changes what it holds (fetching cases for the
// groups may load finished ones from the store). Refused before anything is
// read, each naming the field and its value: InvalidArgument for the period
// (as request_groups, and its ends on half-day edges), top outside 0..10000,
// baseline_periods outside 1..52, min_visits outside 1..1000000, rising_z or rising_min not > 0,
// weights negative, not finite or all 0, bad group options, a district not UTF-8; NotFound for a
// district the current policy does not name. A period with nothing in scope gives a report with
// empty() set.
absl::StatusOr<v1::Report> build_report(Engine& engine, const ReportOptions& options);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_REPORT_H
