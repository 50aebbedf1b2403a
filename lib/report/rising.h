// Rising problems: a category (levels 1-2) in a district whose volume in a
// period stands well above its mean over the periods of the same length
// before (a Poisson score). The report lists them; themes.h offers the ones
// no theme covers as candidates for 每月一题. Read from the counters.
#ifndef JSZB_LIB_REPORT_RISING_H
#define JSZB_LIB_REPORT_RISING_H

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "model/proto_schema.h"

namespace jszb::core {

struct RisingOptions {
  TimeMs from = 0;  // [from, until): half-day edges in China time
  TimeMs until = 0;
  std::string district;  // empty: every district
  int baseline_periods = 4;
  double z = 3.0;
  std::int64_t min = 10;
};

struct Rising {
  std::vector<v1::RisingRow> rows;  // highest z first
  std::string test;                 // the test used, in words
};

// The options are the caller's to check (build_report and theme_candidates
// do). `now` and `previous` are the counters of the period and of the one
// before it, when the caller has read them already (nullptr: read here).
// A baseline needs history: unless every earlier period holds requests in
// scope, nothing rises (a store that starts today would see everything rise).
absl::StatusOr<Rising> rising_problems(Engine& engine, const RisingOptions& o,
                                       const CounterTotals* now = nullptr,
                                       const CounterTotals* previous = nullptr);

}  // namespace jszb::core

#endif  // JSZB_LIB_REPORT_RISING_H
