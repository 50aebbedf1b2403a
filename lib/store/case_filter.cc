// The in-memory side of a listing: a durable store answers the same filter
// with SQL (SqliteStore::list), and the two must agree.
#include "store/case_filter.h"

namespace jszb::core {

bool matches(const CaseFilter& f, const Case& c) {
  if (c.id == 0 || c.id <= f.after) return false;  // id 0: a slot undone
  if (f.state != State::kUnspecified && c.state != f.state) return false;
  if (f.unit != 0 && c.lead_unit != f.unit && !c.copy_to.contains(f.unit) &&
      !c.co_handlers.contains(f.unit)) {
    return false;
  }
  const Intake& in = *c.intake;
  if (!f.district.empty() && in.location.district != f.district) return false;
  if (!f.street.empty() && in.location.street != f.street) return false;
  if (!f.community.empty() && in.location.community != f.community) return false;
  for (int i = 0; i < 3; ++i) {
    if (!f.category[i].empty() && in.category[i] != f.category[i]) return false;
  }
  if (f.received_from != 0 && in.time < f.received_from) return false;
  if (f.received_until != 0 && in.time >= f.received_until) return false;
  if (f.due_from != 0 || f.due_until != 0) {
    const Deadline& reply = c.deadline(StepId::kReply);
    if (!reply.running()) return false;
    if (f.due_from != 0 && reply.due < f.due_from) return false;
    if (f.due_until != 0 && reply.due >= f.due_until) return false;
  }
  return true;
}

}  // namespace jszb::core
