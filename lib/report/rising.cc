#include "report/rising.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jszb::core {

namespace {

// Levels 1-2 of a category path, "" when it has no second level.
std::string level2(const std::array<std::string, 3>& path) {
  if (path[0].empty() || path[1].empty()) return "";
  return absl::StrCat(path[0], "/", path[1]);
}

using Key = std::pair<std::string, std::string>;  // district, category

// Adds the period's counts in scope to `sums`; whether any request was counted.
bool add_counts(const CounterTotals& totals, const std::string& district,
                std::map<Key, std::int64_t>& sums) {
  bool any = false;
  for (const VolumeTotal& v : totals.volumes) {
    if (v.dim != VolumeDim::kCategory) continue;
    if (!district.empty() && v.district != district) continue;
    sums[{v.district, level2(v.path)}] += v.received;
    any = any || v.received > 0;
  }
  return any;
}

}  // namespace

absl::StatusOr<Rising> rising_problems(Engine& engine, const RisingOptions& o,
                                       const CounterTotals* now, const CounterTotals* previous) {
  const TimeMs span = o.until - o.from;
  std::map<Key, std::int64_t> current, baseline_sum;
  absl::StatusOr<CounterTotals> read_now;
  if (now == nullptr) {
    read_now = engine.counter_totals(o.from, o.until);
    if (!read_now.ok()) return read_now.status();
    now = &*read_now;
  }
  add_counts(*now, o.district, current);
  int periods_with_history = 0;
  for (int k = 1; k <= o.baseline_periods; ++k) {
    // The first earlier period is the previous one, which the caller may have read.
    absl::StatusOr<CounterTotals> earlier;
    const CounterTotals* totals = k == 1 ? previous : nullptr;
    if (totals == nullptr) {
      earlier = engine.counter_totals(o.from - k * span, o.from - (k - 1) * span);
      if (!earlier.ok()) return earlier.status();
      totals = &*earlier;
    }
    periods_with_history += add_counts(*totals, o.district, baseline_sum);
  }
  if (periods_with_history < o.baseline_periods) current.clear();
  Rising out;
  for (const auto& [key, n] : current) {
    if (key.second.empty() || n < o.min) continue;
    double mean = static_cast<double>(baseline_sum[key]) / o.baseline_periods;
    double z = (n - mean) / std::sqrt(mean + 1);
    if (z < o.z) continue;
    v1::RisingRow row;
    row.set_district(key.first);
    row.set_category(key.second);
    row.set_count(n);
    row.set_baseline(mean);
    row.set_z(z);
    out.rows.push_back(std::move(row));
  }
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const v1::RisingRow& a, const v1::RisingRow& b) { return a.z() > b.z(); });
  out.test = absl::StrFormat(
      "A category (levels 1-2) in a district is rising when its count n in the period is at "
      "least %d and z = (n - m) / sqrt(m + 1) >= %.1f, m being its mean count over the %d "
      "periods of the same length before (a Poisson score; +1 keeps new categories from "
      "dividing by zero).%s",
      o.min, o.z, o.baseline_periods,
      periods_with_history < o.baseline_periods
          ? absl::StrFormat(" Not tested this time: only %d of those periods hold requests.",
                            periods_with_history)
          : "");
  return out;
}

}  // namespace jszb::core
