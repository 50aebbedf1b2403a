// Event: one entry of a case's history. The log of events is the truth; a case
// is what applying its events in order makes of it (see projection.h).
#ifndef JSZB_LIB_MODEL_EVENT_H
#define JSZB_LIB_MODEL_EVENT_H

#include <cstdint>

#include "jszb/types.hpp"
#include "model/deadline.h"
#include "model/intake.h"
#include "model/payload.h"

namespace jszb::core {

struct Event {
  CaseId case_id = 0;
  std::uint32_t seq = 0;  // 1-based position in the case's history
  EventType type = EventType::kUnspecified;
  State state = State::kUnspecified;  // the case's state after this event
  TimeMs time = 0;
  Actor actor;
  const Intake* intake = nullptr;    // kSubmitted only
  Payload payload;                   // the command's payload, for the other types
  std::uint32_t policy_version = 0;  // the policy the case runs under, 0: none
  DeadlineChanges deadlines;         // the deadlines this event set or stopped
};

// Equal content (strings and lists compared by value).
bool operator==(const Event& a, const Event& b);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_EVENT_H
