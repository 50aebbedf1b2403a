// Times as people and other systems write them: RFC 3339 in China time
// (UTC+08:00, no daylight saving), the form of every export (JSON Lines, CSV,
// Open311's ISO 8601 with offset). Reading accepts any offset or "Z", so a
// file from another system's clock imports to the same instant.
#ifndef JSZB_LIB_BASE_CHINA_TIME_H
#define JSZB_LIB_BASE_CHINA_TIME_H

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jszb::core {

// UTC+08:00, fixed.
const absl::TimeZone& china_zone();

// "2021-09-30T12:00:00+08:00", with ".123" before the offset when the
// milliseconds are not zero (so that reading it back gives the same ms).
std::string rfc3339_china(std::int64_t ms);

// An RFC 3339 date-time ("2021-09-30T12:00:00+08:00", "...Z", fractions of a
// second down to ms) to ms since the epoch. Refuses finer fractions (they
// would be lost) and anything else, naming the text.
absl::StatusOr<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_CHINA_TIME_H
