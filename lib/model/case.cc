// Equality of cases and the small helpers of Case.
#include "model/case.h"

#include <algorithm>
#include <bitset>
#include <iterator>

namespace jszb::core {

bool operator==(const Reply& a, const Reply& b) {
  return a.contacted == b.contacted && a.solved == b.solved && a.text == b.text;
}

bool operator==(const Visit& a, const Visit& b) {
  return a.valid == b.valid && a.contacted == b.contacted && a.solved == b.solved &&
         a.satisfaction == b.satisfaction && a.method == b.method;
}

bool operator==(const Credit& a, const Credit& b) {
  return a.time == b.time && a.visit == b.visit && a.lead == b.lead &&
         a.co_handlers == b.co_handlers && a.appealed == b.appealed &&
         a.overturned == b.overturned && a.automatic == b.automatic &&
         a.held_long_term == b.held_long_term;
}

bool operator==(const Case& a, const Case& b) {
  return a.id == b.id && a.state == b.state && same_intake(a.intake, b.intake) &&
         a.lead_unit == b.lead_unit && a.dispatch_mode == b.dispatch_mode &&
         a.copy_to == b.copy_to && a.co_handlers == b.co_handlers && a.co_pending == b.co_pending &&
         a.owner_fixed == b.owner_fixed && a.not_dispatched_reason == b.not_dispatched_reason &&
         a.supervision_level == b.supervision_level && a.return_count == b.return_count &&
         a.extension_count == b.extension_count &&
         a.dispatch_extension_count == b.dispatch_extension_count && a.redo_count == b.redo_count &&
         a.reopen_count == b.reopen_count && a.dispatched == b.dispatched &&
         a.signed_for == b.signed_for && a.first_contact == b.first_contact &&
         a.extension_requested_until == b.extension_requested_until &&
         a.extended_until == b.extended_until && a.replied == b.replied && a.visited == b.visited &&
         a.closed == b.closed && a.last_event == b.last_event && a.reply == b.reply &&
         a.visit == b.visit && a.credit == b.credit && a.merged_into == b.merged_into &&
         a.event_count == b.event_count && a.policy_version == b.policy_version &&
         a.suspended_since == b.suspended_since && a.community_unit == b.community_unit &&
         a.community_signed == b.community_signed && a.community_replied == b.community_replied &&
         a.deadlines == b.deadlines;
}

int Case::co_pending_count() const { return static_cast<int>(std::bitset<64>(co_pending).count()); }

bool Case::is_pending_co_handler(UnitId unit) const {
  int i = co_handlers.index_of(unit);
  return i >= 0 && (co_pending >> i & 1u) != 0;
}

}  // namespace jszb::core
