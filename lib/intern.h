// Deep copies into an arena: what the engine keeps of a caller's intake or
// command, and what a snapshot keeps of a case, must not point at memory that
// someone else frees.
#ifndef JSZB_LIB_INTERN_H
#define JSZB_LIB_INTERN_H

#include "arena.h"
#include "case.h"
#include "event.h"
#include "intake.h"
#include "payload.h"

namespace jszb::core {

// Returns a copy allocated in the arena.
const Intake* intern(const Intake& intake, Arena& arena);
Payload intern(const Payload& payload, Arena& arena);
Event intern(const Event& event, Arena& arena);
DeadlineChanges intern(DeadlineChanges changes, Arena& arena);
Case intern(const Case& c, Arena& arena);

}  // namespace jszb::core

#endif  // JSZB_LIB_INTERN_H
