// Escalation arithmetic: when the marks of a running deadline (policy.h) fall,
// in the deadline's own clock.
#ifndef JSZB_LIB_POLICY_ESCALATION_H
#define JSZB_LIB_POLICY_ESCALATION_H

#include <vector>

#include "absl/status/statusor.h"
#include "model/deadline.h"
#include "policy/policy.h"

namespace jszb::core {

// Time arithmetic in a deadline's own clock (natural or working time).
absl::StatusOr<TimeMs> clock_add(const Policy& policy, bool working, TimeMs t, TimeMs amount);
absl::StatusOr<TimeMs> clock_between(const Policy& policy, bool working, TimeMs a, TimeMs b);
// t plus a policy limit (minutes ... working days).
absl::StatusOr<TimeMs> add_limit(const Policy& policy, TimeMs t, const Limit& limit);

// An instant moved, if need be, to the first one after the deadline's last
// resume that the clock allows (the next working instant for working time).
absl::StatusOr<TimeMs> not_before_resume(const Policy& policy, bool working, const Deadline& d,
                                         TimeMs t);

// When a mark of a running deadline falls. A mark still to fire never falls
// before the deadline's last resume; `already_fired` gives a fired mark's own
// instant, as it was.
absl::StatusOr<TimeMs> mark_instant(const Policy& policy, const Deadline& d, const Mark& mark,
                                    bool already_fired = false);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_ESCALATION_H
