#include "model/names.h"

#include <array>
#include <cstddef>

namespace jszb::core {

namespace {

// Looks a value up in a table indexed by its number.
template <class E, std::size_t N>
std::string_view lookup(const std::array<std::string_view, N>& table, E v) {
  auto i = static_cast<std::size_t>(v);
  return i < N ? table[i] : std::string_view();
}

// clang-format off
constexpr std::array<std::string_view, 6> kKinds = {
    "", "consultation", "help", "complaint", "report", "suggestion"};
constexpr std::array<std::string_view, 11> kChannels = {
    "",        "phone",         "web",     "wechat_mini", "wechat_account", "app",
    "leaders_board", "national_mini", "weibo", "toutiao",  "merged_hotline"};
constexpr std::array<std::string_view, 4> kUrgencies = {"", "normal", "urgent", "extra_urgent"};
constexpr std::array<std::string_view, 6> kRoles = {"",     "operator", "dispatcher",
                                                     "unit", "citizen",  "system"};
constexpr std::array<std::string_view, 17> kStates = {
    "",          "received",   "answered_on_spot",    "not_dispatched", "dispatched",
    "return_requested", "handling", "co_handling", "extension_requested", "suspended",
    "replied",   "visited",    "terminated",          "closed",         "merged",
    "appealed",  "suspension_requested"};
constexpr std::array<std::string_view, 37> kCommands = {
    "",          "",           "answer_on_spot",   "not_dispatch",      "dispatch",
    "request_return", "approve_return", "refuse_return", "sign",        "contact_citizen",
    "add_co_handlers", "report_to_lead", "request_extension", "approve_extension",
    "refuse_extension", "suspend", "resume",       "supervise",         "reply",
    "visit",     "redo",       "terminate",        "close",             "reopen",
    "merge",     "auto_return", "",              "",                  "",
    "appeal",    "uphold_appeal", "reject_appeal", "", "", "request_suspension",
    "approve_suspension", "refuse_suspension"};
constexpr std::array<std::string_view, 37> kEventTypes = {
    "",          "submitted",  "answered_on_spot", "not_dispatched",    "dispatched",
    "return_requested", "return_approved", "return_refused", "signed", "citizen_contacted",
    "co_handlers_added", "reported_to_lead", "extension_requested", "extension_approved",
    "extension_refused", "suspended", "resumed",   "supervised",        "replied",
    "visited",   "redo_ordered", "terminated",     "closed",            "reopened",
    "merged",    "auto_returned", "deadline_warning", "deadline_breached",
    "deadline_escalated", "appealed", "appeal_upheld", "appeal_rejected", "auto_visited",
    "replanned", "suspension_requested", "suspension_approved", "suspension_refused"};
constexpr std::array<std::string_view, 17> kRefusals = {
    "none",        "state",          "not_centre",       "not_reviewer",
    "not_owner",   "not_co_handler", "owner_fixed",      "extension_limit",
    "visit_satisfied", "not_centre_or_system", "not_owner_or_centre", "not_system",
    "not_credited", "not_appealable", "not_overdue", "not_in_redo", "not_supervisor"};
constexpr std::array<std::string_view, 7> kNotDispatchedReasons = {
    "", "emergency", "legal_channel", "duplicate", "secret", "outside_duty", "unlawful"};
constexpr std::array<std::string_view, 3> kDispatchModes = {"", "direct", "district_coordinates"};
constexpr std::array<std::string_view, 4> kSatisfactions = {"", "satisfied", "basically_satisfied",
                                                            "not_satisfied"};
constexpr std::array<std::string_view, 4> kVisitMethods = {"", "phone", "sms", "online"};
constexpr std::array<std::string_view, 3> kSupervisionLevels = {"none", "district", "city"};
// clang-format on

}  // namespace

std::string_view name(Kind v) { return lookup(kKinds, v); }
std::string_view name(Channel v) { return lookup(kChannels, v); }
std::string_view name(Urgency v) { return lookup(kUrgencies, v); }
std::string_view name(Role v) { return lookup(kRoles, v); }
std::string_view name(State v) { return lookup(kStates, v); }
std::string_view name(CommandKind v) { return lookup(kCommands, v); }
std::string_view name(EventType v) { return lookup(kEventTypes, v); }
std::string_view name(Refusal v) { return lookup(kRefusals, v); }
std::string_view name(NotDispatchedReason v) { return lookup(kNotDispatchedReasons, v); }
std::string_view name(DispatchMode v) { return lookup(kDispatchModes, v); }
std::string_view name(Satisfaction v) { return lookup(kSatisfactions, v); }
std::string_view name(VisitMethod v) { return lookup(kVisitMethods, v); }
std::string_view name(SupervisionLevel v) { return lookup(kSupervisionLevels, v); }

namespace {
constexpr std::array<std::string_view, 10> kSteps = {"",
                                                     "dispatch",
                                                     "sign",
                                                     "first_contact",
                                                     "reply",
                                                     "co_handler_report",
                                                     "return_visit",
                                                     "appeal_review",
                                                     "expiry_visit",
                                                     "supervision"};
constexpr std::array<std::string_view, 5> kEscalationActions = {
    "", "notify", "supervise_district", "supervise_city", "return_to_dispatcher"};
}  // namespace

std::string_view step_name(int step) {
  return step >= 0 && step < static_cast<int>(kSteps.size()) ? kSteps[step] : std::string_view();
}
std::string_view escalation_action_name(int action) {
  return action >= 0 && action < static_cast<int>(kEscalationActions.size())
             ? kEscalationActions[action]
             : std::string_view();
}

}  // namespace jszb::core
