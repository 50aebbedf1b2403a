// Command: a request to move a case on. Accepted, it becomes one Event.
#ifndef JSZB_LIB_MODEL_COMMAND_H
#define JSZB_LIB_MODEL_COMMAND_H

#include "jszb/types.hpp"
#include "model/payload.h"

namespace jszb::core {

struct Command {
  CommandKind kind = CommandKind::kUnspecified;
  CaseId case_id = 0;
  TimeMs time = 0;
  Actor actor;
  Payload payload;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_COMMAND_H
