// Payload: what a command (and the event it becomes) says beyond its kind.
// Which fields count depends on the kind; see the rules in validate.cc.
#ifndef JSZB_LIB_MODEL_PAYLOAD_H
#define JSZB_LIB_MODEL_PAYLOAD_H

#include <cstdint>
#include <string_view>

#include "jszb/types.hpp"
#include "model/unit_list.h"

namespace jszb::core {

// Every field of a payload, once. The struct below, its equality, deep copies,
// the C conversion (capi/c_convert.cc), the protobuf codec (proto_codec.cc)
// and validation (validate.cc) are all written from this table, so a new field
// is added here and in the two wire formats (jszb.h, event.proto), whose
// field names it gives.
//
// X(kind, type, field, wire): `wire` is the field's name in jszb_payload and in
// jszb.v1.Payload. Kinds say how a field is converted and checked:
//   kId      an id, as it is           kEnum    a jszb enumeration
//   kUnits   a list of unit ids        kBool    0 or 1 in C
//   kTime    milliseconds since 1970   kText    UTF-8 text
//   kEngine  a small number the engine sets on its own events, never a command
//   kRequest the client's request id: any command may carry one
// clang-format off
#define JSZB_PAYLOAD_FIELDS(X)                                                                   \
  X(kId, UnitId, unit, unit)                  /* lead, supervising or reporting unit */           \
  X(kEnum, DispatchMode, mode, mode)                                                             \
  X(kUnits, UnitList, copy_to, copy_to)       /* 抄送 */                                          \
  X(kUnits, UnitList, units, units)           /* co-handlers */                                  \
  X(kEnum, NotDispatchedReason, reason, reason)                                                  \
  X(kEnum, SupervisionLevel, level, level)                                                       \
  X(kBool, bool, contacted, contacted)                                                           \
  X(kBool, bool, solved, solved)                                                                 \
  X(kBool, bool, valid_visit, valid_visit)                                                       \
  X(kEnum, Satisfaction, satisfaction, satisfaction)                                             \
  X(kEnum, VisitMethod, visit_method, visit_method)                                              \
  X(kTime, TimeMs, until, until_ms)                                                              \
  X(kId, CaseId, other_case, other_case)                                                         \
  X(kText, std::string_view, text, text)                                                         \
  X(kEngine, std::uint8_t, step, step)        /* deadline events: StepId */                      \
  X(kEngine, std::uint8_t, mark, mark)        /* deadline events: the escalation mark fired */   \
  X(kEngine, std::uint8_t, action, action)    /* deadline events: v1::EscalationAction */        \
  X(kText, std::string_view, rule, rule)      /* routed dispatches: the catalogue rule */        \
  X(kRequest, std::string_view, request_id, request_id) /* a retry with it is not applied twice */
// clang-format on

// Every field's zero value means "not given".
struct Payload {
#define JSZB_PAYLOAD_MEMBER(kind, type, field, wire) type field{};
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_MEMBER)
#undef JSZB_PAYLOAD_MEMBER
};

// The fields by position in the table, for sets of fields (validation).
enum class PayloadField : std::uint8_t {
#define JSZB_PAYLOAD_ENUMERATOR(kind, type, field, wire) field,
  JSZB_PAYLOAD_FIELDS(JSZB_PAYLOAD_ENUMERATOR)
#undef JSZB_PAYLOAD_ENUMERATOR
      kCount
};

bool operator==(const Payload& a, const Payload& b);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_PAYLOAD_H
