// Validation of what callers hand in. Malformed input is refused with
// InvalidArgument naming the field (as the C ABI spells it) and what was wrong,
// before anything changes.
#ifndef JSZB_LIB_LIFECYCLE_VALIDATE_H
#define JSZB_LIB_LIFECYCLE_VALIDATE_H

#include "absl/status/status.h"
#include "model/case.h"
#include "model/command.h"
#include "model/intake.h"

namespace jszb::core {

inline constexpr std::size_t kMaxTextBytes = 64 * 1024;
inline constexpr std::size_t kMaxRefBytes = 256;

absl::Status validate_intake(const Intake& intake);

// The command's own shape: kind, actor, time, which payload fields it may and
// must carry, and their values.
// `engine_made`: a command the engine makes itself (or replays), which may name
// the routing rule that decided it.
absl::Status validate_command(const Command& cmd, bool engine_made = false);

// The rules that need the case: time order, units not already involved, a
// re-dispatch to another unit, deadlines after now. Checked after the lifecycle
// has accepted the command, so that a state refusal is reported first.
absl::Status validate_against_case(const Case& c, const Command& cmd);

}  // namespace jszb::core

#endif  // JSZB_LIB_LIFECYCLE_VALIDATE_H
