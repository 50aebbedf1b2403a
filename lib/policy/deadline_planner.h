// The deadline planner: which deadlines an event starts, stops or moves, under
// the case's policy. The engine plans before it appends, so an event records the
// deadlines it set (replaying a log needs no policy or calendar, and a calendar
// that cannot answer refuses the command before anything is written).
#ifndef JSZB_LIB_POLICY_DEADLINE_PLANNER_H
#define JSZB_LIB_POLICY_DEADLINE_PLANNER_H

#include <vector>

#include "absl/status/statusor.h"
#include "model/case.h"
#include "model/deadline.h"
#include "model/event.h"
#include "policy/policy.h"

namespace jszb::core {

// The changes one event makes: at most one per step.
struct DeadlinePlan {
  DeadlineChange changes[kSteps];
  std::uint32_t size = 0;
  DeadlineChanges view() const { return {changes, size}; }
};

// `before` is the case as it stands before `e` (for a submission, a case with
// only its intake). The changes are listed in step order.
absl::StatusOr<DeadlinePlan> plan_deadlines(const Policy& policy, const Case& before,
                                            const Event& e);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_DEADLINE_PLANNER_H
