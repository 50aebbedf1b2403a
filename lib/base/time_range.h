// The instants jszb accepts, and arithmetic on them that cannot overflow.
//
// Every time that crosses the ABI lies in [kTimeMinMs, kTimeMaxMs]:
// 2000-01-01 to 2200-01-01 UTC (JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS). No
// hotline record is older, the calendar's schedules end long before 2200, and
// an instant in that range plus any duration the policy can express stays
// about 9e18 ms away from int64 overflow. The arithmetic below saturates
// anyway, so a time the checks missed gives a wrong date, never undefined
// behaviour.
#ifndef JSZB_LIB_BASE_TIME_RANGE_H
#define JSZB_LIB_BASE_TIME_RANGE_H

#include <cstdint>
#include <limits>
#include <string_view>

#include "absl/status/status.h"

namespace jszb::core {

inline constexpr std::int64_t kTimeMinMs = 946'684'800'000;    // 2000-01-01 00:00 UTC
inline constexpr std::int64_t kTimeMaxMs = 7'258'118'400'000;  // 2200-01-01 00:00 UTC

inline bool time_in_range(std::int64_t t) { return t >= kTimeMinMs && t <= kTimeMaxMs; }

// InvalidArgument naming `field`, its value and the range when t is outside it.
absl::Status check_time(std::string_view field, std::int64_t t);
// The same, but 0 passes: the value the ABI gives "unset" or "an open end".
absl::Status check_time_or_zero(std::string_view field, std::int64_t t);

// a + b and a * b, clamped to the int64 range instead of overflowing.
inline std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}
inline std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  std::int64_t product;
  if (!__builtin_mul_overflow(a, b, &product)) return product;
  return (a < 0) == (b < 0) ? std::numeric_limits<std::int64_t>::max()
                            : std::numeric_limits<std::int64_t>::min();
}

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_TIME_RANGE_H
