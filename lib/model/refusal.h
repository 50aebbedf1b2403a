// Refusals as absl::Status. A command refused by the lifecycle carries, besides
// its message, which state refused which command and why, so that the C ABI can
// hand those out as numbers (jszb_error.state/command/refusal).
#ifndef JSZB_LIB_MODEL_REFUSAL_H
#define JSZB_LIB_MODEL_REFUSAL_H

#include <optional>

#include "absl/status/status.h"
#include "jszb/types.hpp"

namespace jszb::core {

struct RefusalInfo {
  State state = State::kUnspecified;
  CommandKind command = CommandKind::kUnspecified;
  Refusal refusal = Refusal::kNone;
};

// The status for a refused command on case `id`: FailedPrecondition for a state
// or rule refusal, PermissionDenied for a role or ownership refusal.
absl::Status refused(CaseId id, const RefusalInfo& info);
std::optional<RefusalInfo> refusal_of(const absl::Status& status);

// True for the refusals about who acts (role or unit), as opposed to state or rule.
bool is_about_actor(Refusal r);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_REFUSAL_H
