#include "base/china_time.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace jszb::core {

const absl::TimeZone& china_zone() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

std::string rfc3339_china(std::int64_t ms) {
  absl::Time t = absl::FromUnixMillis(ms);
  const char* format = ms % 1000 == 0 ? "%Y-%m-%d%ET%H:%M:%S%Ez" : "%Y-%m-%d%ET%H:%M:%E3S%Ez";
  return absl::FormatTime(format, t, china_zone());
}

absl::StatusOr<std::int64_t> parse_rfc3339(std::string_view text) {
  absl::Time t;
  std::string error;
  // %E*S takes any fraction; %Ez takes "+08:00", "-05:00" and "Z".
  if (!absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", std::string(text), &t, &error))
    return absl::InvalidArgumentError(absl::StrFormat(
        "\"%s\" is not an RFC 3339 date-time like 2021-09-30T12:00:00+08:00 (%s)", text, error));
  if (t != absl::FromUnixMillis(absl::ToUnixMillis(t)))
    return absl::InvalidArgumentError(
        absl::StrFormat("\"%s\": finer than a millisecond, which jszb does not keep", text));
  return absl::ToUnixMillis(t);
}

}  // namespace jszb::core
