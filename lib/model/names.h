// Stable lower_snake names of the enumerations, as used in messages, JSON and
// the C ABI's jszb_*_name functions. Unknown values give an empty view.
#ifndef JSZB_LIB_MODEL_NAMES_H
#define JSZB_LIB_MODEL_NAMES_H

#include <string_view>

#include "jszb/types.hpp"

namespace jszb::core {

std::string_view name(Kind v);
std::string_view name(Channel v);
std::string_view name(Urgency v);
std::string_view name(Role v);
std::string_view name(State v);
std::string_view name(CommandKind v);
std::string_view name(EventType v);
std::string_view name(Refusal v);
std::string_view name(NotDispatchedReason v);
std::string_view name(DispatchMode v);
std::string_view name(Satisfaction v);
std::string_view name(VisitMethod v);
std::string_view name(SupervisionLevel v);
std::string_view step_name(int step);
std::string_view escalation_action_name(int action);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_NAMES_H
