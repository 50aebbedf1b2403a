#include "interchange/open311_states.h"

namespace jszb::core::open311 {

const std::array<StateMapping, kStateCount>& state_mappings() {
  // clang-format off
  static const std::array<StateMapping, kStateCount> table = {{
      // jszb state                  closed  FixMyStreet
      {State::kReceived,             false, "confirmed"},
      {State::kAnsweredOnSpot,       true,  "closed"},
      {State::kNotDispatched,        true,  "not responsible"},
      {State::kDispatched,           false, "investigating"},
      {State::kReturnRequested,      false, "investigating"},
      {State::kHandling,             false, "in progress"},
      {State::kCoHandling,           false, "in progress"},
      {State::kExtensionRequested,   false, "in progress"},
      {State::kSuspended,            false, "action scheduled"},
      {State::kReplied,              false, "in progress"},
      {State::kVisited,              false, "in progress"},
      {State::kTerminated,           true,  "unable to fix"},
      {State::kClosed,               true,  "closed"},
      {State::kMerged,               true,  "duplicate"},
      {State::kAppealed,             false, "in progress"},
      {State::kSuspensionRequested,  false, "in progress"},
      {State::kLongTermPending,      false, "action scheduled"},
  }};
  // clang-format on
  return table;
}

namespace {
const StateMapping* row(State s) {
  int i = static_cast<int>(s) - 1;
  if (i < 0 || i >= kStateCount) return nullptr;
  return &state_mappings()[i];
}
}  // namespace

std::string_view status(State s) {
  const StateMapping* r = row(s);
  return r != nullptr && r->closed ? "closed" : "open";
}

std::string_view fixmystreet_state(const Case& c) {
  if (c.state == State::kClosed) {
    bool solved = c.credit.time != 0 ? c.credit.visit.solved : c.reply.solved;
    return solved ? "fixed" : "closed";
  }
  if (c.state == State::kNotDispatched) {
    if (c.not_dispatched_reason == NotDispatchedReason::kDuplicate) return "duplicate";
    if (c.not_dispatched_reason == NotDispatchedReason::kEmergency) return "internal referral";
  }
  const StateMapping* r = row(c.state);
  return r != nullptr ? r->fixmystreet : "";
}

}  // namespace jszb::core::open311
