// Deep copies into an arena: what the engine keeps of a caller's intake or
// command, and what a snapshot keeps of a case, must not point at memory that
// someone else frees.
#ifndef JSZB_LIB_MODEL_DEEP_COPY_H
#define JSZB_LIB_MODEL_DEEP_COPY_H

#include "base/arena.h"
#include "model/case.h"
#include "model/event.h"
#include "model/intake.h"
#include "model/payload.h"
#include "model/unit_list.h"

namespace jszb::core {

// Returns a copy allocated in the arena.
UnitList deep_copy(UnitList units, Arena& arena);
// units followed by more, as one new list.
UnitList concat(UnitList units, UnitList more, Arena& arena);
const Intake* deep_copy(const Intake& intake, Arena& arena);
Payload deep_copy(const Payload& payload, Arena& arena);
Event deep_copy(const Event& event, Arena& arena);
DeadlineChanges deep_copy(DeadlineChanges changes, Arena& arena);
Case deep_copy(const Case& c, Arena& arena);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_DEEP_COPY_H
