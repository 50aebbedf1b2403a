// Equality of a request as received.
#include "model/intake.h"

namespace jszb::core {

bool operator==(const Location& a, const Location& b) {
  return a.district == b.district && a.street == b.street && a.community == b.community &&
         a.address == b.address && a.has_point == b.has_point && a.lat == b.lat && a.lon == b.lon;
}

bool operator==(const Contact& a, const Contact& b) {
  return a.name == b.name && a.phone == b.phone;
}

bool operator==(const Intake& a, const Intake& b) {
  return a.time == b.time && a.actor == b.actor && a.channel == b.channel &&
         a.channel_ref == b.channel_ref && a.kind == b.kind && a.category == b.category &&
         a.urgency == b.urgency && a.location == b.location && a.content == b.content &&
         a.contact == b.contact;
}

bool same_intake(const Intake* a, const Intake* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

}  // namespace jszb::core
