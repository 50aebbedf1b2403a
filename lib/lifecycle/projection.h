// Projection: what an event does to a case. Live commands and replayed logs go
// through the same function, so a case is always exactly its events applied in
// order.
#ifndef JSZB_LIB_LIFECYCLE_PROJECTION_H
#define JSZB_LIB_LIFECYCLE_PROJECTION_H

#include <cstddef>

#include "base/arena.h"
#include "model/case.h"
#include "model/event.h"

namespace jszb::core {

// The case a kSubmitted event creates.
Case case_from_submission(const Event& submitted);

// Arena bytes apply_event(c, e) will allocate: reserve them first, and applying
// cannot fail.
std::size_t arena_bytes_to_apply(const Case& c, const Event& e);

// Applies a non-submission event to its case. The event's strings and lists must
// live in `arena` (or longer); new lists the case needs are allocated there.
void apply_event(Case& c, const Event& e, Arena& arena);

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_PROJECTION_H
