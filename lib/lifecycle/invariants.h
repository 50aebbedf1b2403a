// Invariants: what must hold of every case, whatever commands it went through.
// The property test checks them after every command; a store's verify can check
// them after a replay.
#ifndef JSZB_LIB_LIFECYCLE_INVARIANTS_H
#define JSZB_LIB_LIFECYCLE_INVARIANTS_H

#include "absl/status/status.h"
#include "model/case.h"

namespace jszb::core {

// OK, or Internal naming the first invariant the case breaks.
absl::Status check_invariants(const Case& c);

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_INVARIANTS_H
