#include "base/time_range.h"

#include "absl/strings/str_format.h"

namespace jszb::core {

absl::Status check_time(std::string_view field, std::int64_t t) {
  if (time_in_range(t)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s is %d ms: outside the times jszb accepts, %d (2000-01-01 UTC) to %d (2200-01-01 UTC)",
      field, t, kTimeMinMs, kTimeMaxMs));
}

absl::Status check_time_or_zero(std::string_view field, std::int64_t t) {
  if (t == 0) return absl::OkStatus();
  return check_time(field, t);
}

}  // namespace jszb::core
