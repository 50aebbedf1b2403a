// Payload: what a command (and the event it becomes) says beyond its kind.
// Which fields count depends on the kind; see the rules in validate.cc.
#ifndef JSZB_LIB_MODEL_PAYLOAD_H
#define JSZB_LIB_MODEL_PAYLOAD_H

#include <cstdint>
#include <string_view>

#include "jszb/types.hpp"
#include "model/unit_list.h"

namespace jszb::core {

struct Payload {
  UnitId unit = 0;  // lead unit, supervising unit, or the reporting co-handler
  DispatchMode mode = DispatchMode::kUnspecified;
  UnitList copy_to;  // 抄送
  UnitList units;    // co-handlers
  NotDispatchedReason reason = NotDispatchedReason::kUnspecified;
  SupervisionLevel level = SupervisionLevel::kNone;
  bool contacted = false;
  bool solved = false;
  bool valid_visit = false;
  Satisfaction satisfaction = Satisfaction::kUnspecified;
  VisitMethod visit_method = VisitMethod::kUnspecified;
  TimeMs until = 0;
  CaseId other_case = 0;
  std::string_view text;
  // Set by the engine on the events it makes, never in a command:
  std::uint8_t step = 0;    // deadline events: StepId
  std::uint8_t mark = 0;    // deadline events: the escalation mark fired
  std::uint8_t action = 0;  // deadline events: v1::EscalationAction
  std::string_view rule;    // routed dispatches: the catalogue rule (a command may set it)
  // The client's id for this command: a retry with the same id (after a crash
  // or a timeout) is not applied twice.
  std::string_view request_id;
};

bool operator==(const Payload& a, const Payload& b);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_PAYLOAD_H
