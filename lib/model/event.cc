// Equality of events (a replayed log must give the same ones).
#include "model/event.h"

namespace jszb::core {

bool operator==(const Event& a, const Event& b) {
  return a.case_id == b.case_id && a.seq == b.seq && a.type == b.type && a.state == b.state &&
         a.time == b.time && a.actor == b.actor && same_intake(a.intake, b.intake) &&
         a.payload == b.payload && a.policy_version == b.policy_version &&
         a.deadlines == b.deadlines;
}

}  // namespace jszb::core
