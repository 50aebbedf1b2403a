// Escalation arithmetic: when the marks of a running deadline (policy.h) fall,
// in the deadline's own clock.
#ifndef JSZB_LIB_ESCALATION_H
#define JSZB_LIB_ESCALATION_H

#include <vector>

#include "absl/status/statusor.h"
#include "deadline.h"
#include "policy.h"

namespace jszb::core {

// Time arithmetic in a deadline's own clock (natural or working time).
absl::StatusOr<TimeMs> clock_add(const Policy& policy, bool working, TimeMs t, TimeMs amount);
absl::StatusOr<TimeMs> clock_between(const Policy& policy, bool working, TimeMs a, TimeMs b);
// t plus a policy limit (minutes ... working days).
absl::StatusOr<TimeMs> add_limit(const Policy& policy, TimeMs t, const Limit& limit);

// When a mark of a running deadline falls.
absl::StatusOr<TimeMs> mark_instant(const Policy& policy, const Deadline& d, const Mark& mark);

}  // namespace jszb::core

#endif  // JSZB_LIB_ESCALATION_H
