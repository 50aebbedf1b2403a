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

// The case a kSubmitted event creates (its clocks may need `arena`:
// arena_bytes_to_apply).
Case case_from_submission(const Event& submitted, Arena& arena);

// Arena bytes apply_event(c, e) will allocate: reserve them first, and applying
// cannot fail.
std::size_t arena_bytes_to_apply(const Case& c, const Event& e);

// Whether `e` settles the case's standing visit result (Case::credit): a 改派,
// the centre re-dispatching an order that was sent back to redo (a DISPATCHED
// event while the case has a lead, which the lifecycle allows only in redo) to
// another unit. The result stays counted where it was counted, for the units it
// was credited to, and leaves the case: nothing the new cycle does (visits,
// Art. 23 results, appeals, termination, merging) touches it again, and the
// new unit's own result stands for the new unit. A re-dispatch to the same
// unit is a redo like any other: its next result replaces the standing one.
// `lead_before`: the case's lead unit before `e`.
inline bool settles_credit(UnitId lead_before, const Event& e) {
  return e.type == EventType::kDispatched && lead_before != 0 && e.payload.unit != lead_before;
}

// Applies a non-submission event to its case. The event's strings and lists must
// live in `arena` (or longer); new lists the case needs are allocated there.
void apply_event(Case& c, const Event& e, Arena& arena);

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_PROJECTION_H
