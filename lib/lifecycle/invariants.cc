#include "lifecycle/invariants.h"

#include "absl/strings/str_format.h"
#include "model/names.h"

namespace jszb::core {

namespace {

bool is_final(State s) {
  return s == State::kAnsweredOnSpot || s == State::kNotDispatched || s == State::kTerminated ||
         s == State::kClosed || s == State::kMerged;
}

// States in which a unit owns the order.
bool is_owned(State s) {
  switch (s) {
    case State::kDispatched:
    case State::kReturnRequested:
    case State::kHandling:
    case State::kCoHandling:
    case State::kExtensionRequested:
    case State::kSuspended:
    case State::kSuspensionRequested:
    case State::kReplied:
    case State::kVisited:
    case State::kLongTermPending:
    case State::kClosed:
      return true;
    default:
      return false;
  }
}

bool is_signed(State s) {
  return s == State::kHandling || s == State::kCoHandling || s == State::kExtensionRequested ||
         s == State::kSuspensionRequested || s == State::kSuspended || s == State::kReplied ||
         s == State::kVisited || s == State::kLongTermPending || s == State::kClosed;
}

}  // namespace

absl::Status check_invariants(const Case& c) {
  auto broken = [&c](const char* what) {
    return absl::InternalError(
        absl::StrFormat("case %d in state %s breaks an invariant: %s", c.id, name(c.state), what));
  };
  int s = static_cast<int>(c.state);
  if (s < 1 || s > kStateCount) return broken("unknown state");
  if (c.intake == nullptr) return broken("no intake");
  if (c.event_count < 1) return broken("no events");
  if (c.last_event < c.intake->time) return broken("last event before intake");
  if (is_owned(c.state) && (c.lead_unit == 0 || c.dispatched == 0)) {
    return broken("an owned order has no lead unit or dispatch time");
  }
  if (c.state == State::kReceived && (c.lead_unit != 0 || c.co_handlers.size != 0)) {
    return broken("a received request already has units");
  }
  if (is_signed(c.state) && c.signed_for == 0) return broken("signed state without sign time");
  if (c.state == State::kDispatched && c.signed_for != 0) return broken("signed but dispatched");
  if (c.co_handlers.size < 64 && (c.co_pending >> c.co_handlers.size) != 0) {
    return broken("pending bits beyond the co-handler list");
  }
  if (c.state == State::kCoHandling && c.co_pending == 0) {
    return broken("co-handling with nobody left to report");
  }
  // The lead may reply while a co-handler is still to report.
  if ((c.state == State::kHandling || c.state == State::kVisited) && c.co_pending != 0) {
    return broken("co-handlers pending outside co-handling");
  }
  if ((c.state == State::kExtensionRequested) != (c.extension_requested_until != 0)) {
    return broken("a pending extension request and the state disagree");
  }
  // A visit may come without a reply: once the reply deadline has passed (Art. 23).
  if (c.state == State::kReplied && c.replied == 0) return broken("replied without a reply time");
  if (c.state == State::kVisited && c.visited == 0) return broken("visited without a visit");
  // Closed from the long-term pending list (挂账), an order may have a reply only.
  if ((c.state == State::kClosed || c.state == State::kLongTermPending) && c.visited == 0 &&
      c.replied == 0) {
    return broken("closed or held long-term with neither a visit nor a reply");
  }
  if (c.state == State::kLongTermPending && c.co_pending != 0) {
    return broken("co-handlers pending on the long-term pending list");
  }
  // An appeal is about a closed order: it keeps its closing time.
  bool closed = is_final(c.state) || c.state == State::kAppealed;
  if (closed != (c.closed != 0)) return broken("closed time and final state disagree");
  if (c.state == State::kAppealed && !(c.credit.appealed && c.credit.visit.valid)) {
    return broken("under appeal without an appealed valid visit result");
  }
  if ((c.state == State::kMerged) != (c.merged_into != 0)) return broken("merge target disagrees");
  if ((c.state == State::kNotDispatched) !=
      (c.not_dispatched_reason != NotDispatchedReason::kUnspecified)) {
    return broken("not-dispatched reason disagrees");
  }
  if (c.lead_unit != 0 &&
      (c.copy_to.contains(c.lead_unit) || c.co_handlers.contains(c.lead_unit))) {
    return broken("the lead unit is also copied or co-handling");
  }
  return absl::OkStatus();
}

}  // namespace jszb::core
