// Equality of a command's or event's payload.
#include "model/payload.h"

namespace jszb::core {

bool operator==(const Payload& a, const Payload& b) {
  return a.unit == b.unit && a.mode == b.mode && a.copy_to == b.copy_to && a.units == b.units &&
         a.reason == b.reason && a.level == b.level && a.contacted == b.contacted &&
         a.solved == b.solved && a.valid_visit == b.valid_visit &&
         a.satisfaction == b.satisfaction && a.visit_method == b.visit_method &&
         a.until == b.until && a.other_case == b.other_case && a.text == b.text &&
         a.step == b.step && a.mark == b.mark && a.action == b.action && a.rule == b.rule &&
         a.request_id == b.request_id;
}

}  // namespace jszb::core
