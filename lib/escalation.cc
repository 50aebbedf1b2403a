#include "escalation.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace jszb::core {

absl::StatusOr<TimeMs> clock_add(const Policy& policy, bool working, TimeMs t, TimeMs amount) {
  if (!working) return t + amount;
  return policy.calendar().add_working_time(t, amount);
}

absl::StatusOr<TimeMs> clock_between(const Policy& policy, bool working, TimeMs a, TimeMs b) {
  if (!working) return b > a ? b - a : 0;
  return policy.calendar().working_time_between(a, b);
}

absl::StatusOr<TimeMs> add_limit(const Policy& policy, TimeMs t, const Limit& limit) {
  constexpr TimeMs kMinute = 60 * 1000;
  switch (limit.unit) {
    case v1::TIME_UNIT_MINUTES: return t + limit.amount * kMinute;
    case v1::TIME_UNIT_HOURS: return t + limit.amount * 60 * kMinute;
    case v1::TIME_UNIT_DAYS: return t + limit.amount * 24 * 60 * kMinute;
    case v1::TIME_UNIT_WORKING_HOURS:
      return policy.calendar().add_working_time(t, limit.amount * 60 * kMinute);
    case v1::TIME_UNIT_WORKING_DAYS: return policy.calendar().add_working_days(t, limit.amount);
    default: break;
  }
  return absl::InvalidArgumentError(absl::StrFormat("limit without a unit of time (%d)", limit.amount));
}

absl::StatusOr<TimeMs> mark_instant(const Policy& policy, const Deadline& d, const Mark& mark) {
  switch (mark.kind) {
    case MarkKind::kBreach:
      return d.due;
    case MarkKind::kLadder:
      return add_limit(policy, d.due, mark.after);
    case MarkKind::kWarning: {
      // The fraction of the time allowed, counted from the start with the time
      // suspended so far added: a mark not yet fired lies after every pause.
      absl::StatusOr<TimeMs> span = clock_between(policy, d.working, d.start, d.due);
      if (!span.ok()) return span.status();
      TimeMs allowed = *span - d.paused;
      auto part = static_cast<TimeMs>(std::floor(static_cast<double>(allowed) * mark.fraction));
      return clock_add(policy, d.working, d.start, part + d.paused);
    }
  }
  return d.due;
}

}  // namespace jszb::core
