// jszb/names.hpp: the library's stable lower_snake names of the vocabulary
// (jszb_*_name) and the version of the library loaded, for the C++ wrapper.
// Included by jszb.hpp.
#ifndef JSZB_NAMES_HPP
#define JSZB_NAMES_HPP

#include <string_view>

#include "jszb/jszb.h"
#include "jszb/types.hpp"

namespace jszb {

inline std::string_view name(State s) {
  const char* n = jszb_state_name(static_cast<int>(s));
  return n ? n : "";
}
inline std::string_view name(CommandKind k) {
  const char* n = jszb_command_name(static_cast<int>(k));
  return n ? n : "";
}
inline std::string_view name(EventType t) {
  const char* n = jszb_event_type_name(static_cast<int>(t));
  return n ? n : "";
}
namespace detail {
inline std::string_view or_empty(const char* n) { return n ? n : ""; }
}  // namespace detail
inline std::string_view name(Refusal v) { return detail::or_empty(jszb_refusal_name(int(v))); }
inline std::string_view name(Kind v) { return detail::or_empty(jszb_kind_name(int(v))); }
inline std::string_view name(Channel v) { return detail::or_empty(jszb_channel_name(int(v))); }
inline std::string_view name(Urgency v) { return detail::or_empty(jszb_urgency_name(int(v))); }
inline std::string_view name(Role v) { return detail::or_empty(jszb_role_name(int(v))); }
inline std::string_view name(NotDispatchedReason v) {
  return detail::or_empty(jszb_not_dispatched_reason_name(int(v)));
}
inline std::string_view name(DispatchMode v) {
  return detail::or_empty(jszb_dispatch_mode_name(int(v)));
}
inline std::string_view name(Satisfaction v) {
  return detail::or_empty(jszb_satisfaction_name(int(v)));
}
inline std::string_view name(VisitMethod v) {
  return detail::or_empty(jszb_visit_method_name(int(v)));
}
inline std::string_view name(SupervisionLevel v) {
  return detail::or_empty(jszb_supervision_level_name(int(v)));
}
// Names of the int-valued vocabularies: a jszb_code, jszb_step, jszb_escalation_action.
inline std::string_view code_name(int code) { return detail::or_empty(jszb_code_name(code)); }
inline std::string_view step_name(int step) { return detail::or_empty(jszb_step_name(step)); }
inline std::string_view escalation_action_name(int action) {
  return detail::or_empty(jszb_escalation_action_name(action));
}

// The library actually loaded (compare with JSZB_VERSION_STRING / _NUMBER).
inline std::string_view library_version() { return jszb_version(); }
inline int library_version_number() { return jszb_version_number(); }

}  // namespace jszb

#endif  // JSZB_NAMES_HPP
