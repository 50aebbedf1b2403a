// Equality of a command's or event's payload.
#include "model/payload.h"

namespace jszb::core {

bool operator==(const Payload& a, const Payload& b) {
#define JSZB_PAYLOAD_EQUAL(kind, type, field, wire) a.field == b.field&&
  return JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_EQUAL) true;
#undef JSZB_PAYLOAD_EQUAL
}

}  // namespace jszb::core
