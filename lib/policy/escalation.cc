#include "policy/escalation.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "base/time_range.h"

namespace jszb::core {

absl::StatusOr<TimeMs> clock_add(const Policy& policy, bool working, TimeMs t, TimeMs amount) {
  if (!working) return saturating_add(t, amount);
  return policy.calendar().add_working_time(t, amount);
}

absl::StatusOr<TimeMs> clock_between(const Policy& policy, bool working, TimeMs a, TimeMs b) {
  if (!working) return b > a ? b - a : 0;
  return policy.calendar().working_time_between(a, b);
}

absl::StatusOr<TimeMs> add_limit(const Policy& policy, TimeMs t, const Limit& limit) {
  constexpr TimeMs kMinute = 60 * 1000;
  switch (limit.unit) {
    // A policy's limits are at most 100 years (policy.cc); saturating all the
    // same, so that no limit can overflow.
    case v1::TIME_UNIT_MINUTES:
      return saturating_add(t, saturating_mul(limit.amount, kMinute));
    case v1::TIME_UNIT_HOURS:
      return saturating_add(t, saturating_mul(limit.amount, 60 * kMinute));
    case v1::TIME_UNIT_DAYS:
      return saturating_add(t, saturating_mul(limit.amount, 24 * 60 * kMinute));
    case v1::TIME_UNIT_WORKING_HOURS:
      return policy.calendar().add_working_time(t, saturating_mul(limit.amount, 60 * kMinute));
    case v1::TIME_UNIT_WORKING_DAYS:
      return policy.calendar().add_working_days(t, limit.amount);
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("limit without a unit of time (%d)", limit.amount));
}

absl::StatusOr<TimeMs> not_before_resume(const Policy& policy, bool working, const Deadline& d,
                                         TimeMs t) {
  if (d.resumed == 0 || t >= d.resumed) return t;
  if (!working) return d.resumed;
  return policy.calendar().next_working_instant(d.resumed);
}

absl::StatusOr<TimeMs> mark_instant(const Policy& policy, const Deadline& d, const Mark& mark,
                                    bool already_fired) {
  Deadline as_was = d;
  if (already_fired) as_was.resumed = 0;
  switch (mark.kind) {
    case MarkKind::kBreach:
      return d.due;
    case MarkKind::kLadder: {
      // Counted from the deadline as it was before any suspension, then moved
      // by the pause in the ladder's own clock: a level not yet fired lies
      // after every pause, and keeps the time it had left when the case was
      // suspended.
      absl::StatusOr<TimeMs> base = add_limit(policy, d.base_due, mark.after);
      if (!base.ok()) return base;
      bool working = mark.after.working();
      absl::StatusOr<TimeMs> at =
          clock_add(policy, working, *base, working ? d.paused_working : d.paused_natural);
      if (!at.ok()) return at;
      return not_before_resume(policy, working, as_was, *at);
    }
    case MarkKind::kWarning: {
      // The fraction of the time allowed, counted from the start with the time
      // suspended so far added: a mark not yet fired lies after every pause.
      absl::StatusOr<TimeMs> allowed = clock_between(policy, d.working, d.start, d.base_due);
      if (!allowed.ok()) return allowed.status();
      auto part = static_cast<TimeMs>(std::floor(static_cast<double>(*allowed) * mark.fraction));
      absl::StatusOr<TimeMs> at = clock_add(policy, d.working, d.start, part + d.paused());
      if (!at.ok()) return at;
      return not_before_resume(policy, d.working, as_was, *at);
    }
  }
  return d.due;
}

}  // namespace jszb::core
