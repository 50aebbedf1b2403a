// jszb/types.hpp: the C++ vocabulary of jszb. The enumerations carry the same
// numbers as their C counterparts in jszb.h, so values cross the ABI unchanged.
#ifndef JSZB_TYPES_HPP
#define JSZB_TYPES_HPP

#include <cstdint>

#include "jszb/jszb.h"

namespace jszb {

using CaseId = std::uint64_t;
using UnitId = std::uint32_t;  // national division code for streets/districts, or an assigned code
using TimeMs = std::int64_t;   // milliseconds since the Unix epoch, UTC

enum class Kind : std::uint8_t {
  kUnspecified = 0,
  kConsultation = JSZB_KIND_CONSULTATION,
  kHelp = JSZB_KIND_HELP,
  kComplaint = JSZB_KIND_COMPLAINT,
  kReport = JSZB_KIND_REPORT,
  kSuggestion = JSZB_KIND_SUGGESTION,
};

enum class Channel : std::uint8_t {
  kUnspecified = 0,
  kPhone = JSZB_CHANNEL_PHONE,
  kWeb = JSZB_CHANNEL_WEB,
  kWechatMini = JSZB_CHANNEL_WECHAT_MINI,
  kWechatAccount = JSZB_CHANNEL_WECHAT_ACCOUNT,
  kApp = JSZB_CHANNEL_APP,
  kLeadersBoard = JSZB_CHANNEL_LEADERS_BOARD,
  kNationalMini = JSZB_CHANNEL_NATIONAL_MINI,
  kWeibo = JSZB_CHANNEL_WEIBO,
  kToutiao = JSZB_CHANNEL_TOUTIAO,
  kMergedHotline = JSZB_CHANNEL_MERGED_HOTLINE,
};

enum class Urgency : std::uint8_t {
  kUnspecified = 0,
  kNormal = JSZB_URGENCY_NORMAL,
  kUrgent = JSZB_URGENCY_URGENT,
  kExtraUrgent = JSZB_URGENCY_EXTRA_URGENT,
};

enum class Role : std::uint8_t {
  kUnspecified = 0,
  kOperator = JSZB_ROLE_OPERATOR,
  kDispatcher = JSZB_ROLE_DISPATCHER,
  kUnit = JSZB_ROLE_UNIT,
  kCitizen = JSZB_ROLE_CITIZEN,
  kSystem = JSZB_ROLE_SYSTEM,
};

enum class State : std::uint8_t {
  kUnspecified = 0,
  kReceived = JSZB_STATE_RECEIVED,
  kAnsweredOnSpot = JSZB_STATE_ANSWERED_ON_SPOT,
  kNotDispatched = JSZB_STATE_NOT_DISPATCHED,
  kDispatched = JSZB_STATE_DISPATCHED,
  kReturnRequested = JSZB_STATE_RETURN_REQUESTED,
  kHandling = JSZB_STATE_HANDLING,
  kCoHandling = JSZB_STATE_CO_HANDLING,
  kExtensionRequested = JSZB_STATE_EXTENSION_REQUESTED,
  kSuspended = JSZB_STATE_SUSPENDED,
  kReplied = JSZB_STATE_REPLIED,
  kVisited = JSZB_STATE_VISITED,
  kTerminated = JSZB_STATE_TERMINATED,
  kClosed = JSZB_STATE_CLOSED,
  kMerged = JSZB_STATE_MERGED,
  kAppealed = JSZB_STATE_APPEALED,
  kSuspensionRequested = JSZB_STATE_SUSPENSION_REQUESTED,
  kLongTermPending = JSZB_STATE_LONG_TERM_PENDING,
};
inline constexpr int kStateCount = JSZB_STATE_COUNT;

enum class CommandKind : std::uint8_t {
  kUnspecified = 0,
  kAnswerOnSpot = JSZB_CMD_ANSWER_ON_SPOT,
  kNotDispatch = JSZB_CMD_NOT_DISPATCH,
  kDispatch = JSZB_CMD_DISPATCH,
  kRequestReturn = JSZB_CMD_REQUEST_RETURN,
  kApproveReturn = JSZB_CMD_APPROVE_RETURN,
  kRefuseReturn = JSZB_CMD_REFUSE_RETURN,
  kSign = JSZB_CMD_SIGN,
  kContactCitizen = JSZB_CMD_CONTACT_CITIZEN,
  kAddCoHandlers = JSZB_CMD_ADD_CO_HANDLERS,
  kReportToLead = JSZB_CMD_REPORT_TO_LEAD,
  kRequestExtension = JSZB_CMD_REQUEST_EXTENSION,
  kApproveExtension = JSZB_CMD_APPROVE_EXTENSION,
  kRefuseExtension = JSZB_CMD_REFUSE_EXTENSION,
  kSuspend = JSZB_CMD_SUSPEND,
  kResume = JSZB_CMD_RESUME,
  kSupervise = JSZB_CMD_SUPERVISE,
  kReply = JSZB_CMD_REPLY,
  kVisit = JSZB_CMD_VISIT,
  kRedo = JSZB_CMD_REDO,
  kTerminate = JSZB_CMD_TERMINATE,
  kClose = JSZB_CMD_CLOSE,
  kReopen = JSZB_CMD_REOPEN,
  kMerge = JSZB_CMD_MERGE,
  kAutoReturn = JSZB_CMD_AUTO_RETURN,
  kAppeal = JSZB_CMD_APPEAL,
  kUpholdAppeal = JSZB_CMD_UPHOLD_APPEAL,
  kRejectAppeal = JSZB_CMD_REJECT_APPEAL,
  kRequestSuspension = JSZB_CMD_REQUEST_SUSPENSION,
  kApproveSuspension = JSZB_CMD_APPROVE_SUSPENSION,
  kRefuseSuspension = JSZB_CMD_REFUSE_SUSPENSION,
  kHoldLongTerm = JSZB_CMD_HOLD_LONG_TERM,
  kForwardToCommunity = JSZB_CMD_FORWARD_TO_COMMUNITY,
  kCommunitySign = JSZB_CMD_COMMUNITY_SIGN,
  kCommunityReply = JSZB_CMD_COMMUNITY_REPLY,
};
inline constexpr int kFirstCommand = JSZB_CMD_FIRST;
inline constexpr int kLastCommand = JSZB_CMD_LAST;
// Numbers in [kFirstCommand, kLastCommand] that are commands: not the timers'
// events, nor the engine's automatic results.
constexpr bool is_command_number(int n) {
  return n >= kFirstCommand && n <= kLastCommand &&
         (n < JSZB_EVENT_DEADLINE_WARNING || n > JSZB_EVENT_DEADLINE_ESCALATED) &&
         n != JSZB_EVENT_AUTO_VISITED && n != JSZB_EVENT_REPLANNED;
}

enum class EventType : std::uint8_t {
  kUnspecified = 0,
  kSubmitted = JSZB_EVENT_SUBMITTED,
  kAnsweredOnSpot = JSZB_EVENT_ANSWERED_ON_SPOT,
  kNotDispatched = JSZB_EVENT_NOT_DISPATCHED,
  kDispatched = JSZB_EVENT_DISPATCHED,
  kReturnRequested = JSZB_EVENT_RETURN_REQUESTED,
  kReturnApproved = JSZB_EVENT_RETURN_APPROVED,
  kReturnRefused = JSZB_EVENT_RETURN_REFUSED,
  kSigned = JSZB_EVENT_SIGNED,
  kCitizenContacted = JSZB_EVENT_CITIZEN_CONTACTED,
  kCoHandlersAdded = JSZB_EVENT_CO_HANDLERS_ADDED,
  kReportedToLead = JSZB_EVENT_REPORTED_TO_LEAD,
  kExtensionRequested = JSZB_EVENT_EXTENSION_REQUESTED,
  kExtensionApproved = JSZB_EVENT_EXTENSION_APPROVED,
  kExtensionRefused = JSZB_EVENT_EXTENSION_REFUSED,
  kSuspended = JSZB_EVENT_SUSPENDED,
  kResumed = JSZB_EVENT_RESUMED,
  kSupervised = JSZB_EVENT_SUPERVISED,
  kReplied = JSZB_EVENT_REPLIED,
  kVisited = JSZB_EVENT_VISITED,
  kRedoOrdered = JSZB_EVENT_REDO_ORDERED,
  kTerminated = JSZB_EVENT_TERMINATED,
  kClosed = JSZB_EVENT_CLOSED,
  kReopened = JSZB_EVENT_REOPENED,
  kMerged = JSZB_EVENT_MERGED,
  kAutoReturned = JSZB_EVENT_AUTO_RETURNED,
  kDeadlineWarning = JSZB_EVENT_DEADLINE_WARNING,
  kDeadlineBreached = JSZB_EVENT_DEADLINE_BREACHED,
  kDeadlineEscalated = JSZB_EVENT_DEADLINE_ESCALATED,
  kAppealed = JSZB_EVENT_APPEALED,
  kAppealUpheld = JSZB_EVENT_APPEAL_UPHELD,
  kAppealRejected = JSZB_EVENT_APPEAL_REJECTED,
  kAutoVisited = JSZB_EVENT_AUTO_VISITED,
  kReplanned = JSZB_EVENT_REPLANNED,
  kSuspensionRequested = JSZB_EVENT_SUSPENSION_REQUESTED,
  kSuspensionApproved = JSZB_EVENT_SUSPENSION_APPROVED,
  kSuspensionRefused = JSZB_EVENT_SUSPENSION_REFUSED,
  kHeldLongTerm = JSZB_EVENT_HELD_LONG_TERM,
  kForwardedToCommunity = JSZB_EVENT_FORWARDED_TO_COMMUNITY,
  kCommunitySigned = JSZB_EVENT_COMMUNITY_SIGNED,
  kCommunityReplied = JSZB_EVENT_COMMUNITY_REPLIED,
};
inline constexpr int kLastEventType = JSZB_EVENT_COMMUNITY_REPLIED;

// A command of kind K becomes an event of type K (same number). Submission and
// the timers' events are not commands.
constexpr EventType event_type_of(CommandKind k) { return static_cast<EventType>(k); }
constexpr CommandKind command_of(EventType t) {
  return is_command_number(static_cast<int>(t)) ? static_cast<CommandKind>(t)
                                                : CommandKind::kUnspecified;
}
constexpr bool is_timer_event(EventType t) {
  return t == EventType::kDeadlineWarning || t == EventType::kDeadlineBreached ||
         t == EventType::kDeadlineEscalated;
}

enum class Refusal : std::uint8_t {
  kNone = JSZB_REFUSAL_NONE,
  kState = JSZB_REFUSAL_STATE,
  kNotCentre = JSZB_REFUSAL_NOT_CENTRE,
  kNotReviewer = JSZB_REFUSAL_NOT_REVIEWER,
  kNotOwner = JSZB_REFUSAL_NOT_OWNER,
  kNotCoHandler = JSZB_REFUSAL_NOT_CO_HANDLER,
  kOwnerFixed = JSZB_REFUSAL_OWNER_FIXED,
  kExtensionLimit = JSZB_REFUSAL_EXTENSION_LIMIT,
  kVisitSatisfied = JSZB_REFUSAL_VISIT_SATISFIED,
  kNotCentreOrSystem = JSZB_REFUSAL_NOT_CENTRE_OR_SYSTEM,
  kNotOwnerOrCentre = JSZB_REFUSAL_NOT_OWNER_OR_CENTRE,
  kNotSystem = JSZB_REFUSAL_NOT_SYSTEM,
  kNotCredited = JSZB_REFUSAL_NOT_CREDITED,
  kNotAppealable = JSZB_REFUSAL_NOT_APPEALABLE,
  kNotOverdue = JSZB_REFUSAL_NOT_OVERDUE,
  kNotInRedo = JSZB_REFUSAL_NOT_IN_REDO,
  kNotSupervisor = JSZB_REFUSAL_NOT_SUPERVISOR,
  kNotCommunityOfLead = JSZB_REFUSAL_NOT_COMMUNITY_OF_LEAD,
  kNotCommunity = JSZB_REFUSAL_NOT_COMMUNITY,
};

enum class NotDispatchedReason : std::uint8_t {
  kUnspecified = 0,
  kEmergency = JSZB_NOT_DISPATCHED_EMERGENCY,
  kLegalChannel = JSZB_NOT_DISPATCHED_LEGAL_CHANNEL,
  kDuplicate = JSZB_NOT_DISPATCHED_DUPLICATE,
  kSecret = JSZB_NOT_DISPATCHED_SECRET,
  kOutsideDuty = JSZB_NOT_DISPATCHED_OUTSIDE_DUTY,
  kUnlawful = JSZB_NOT_DISPATCHED_UNLAWFUL,
};

enum class DispatchMode : std::uint8_t {
  kUnspecified = 0,
  kDirect = JSZB_DISPATCH_DIRECT,
  kDistrictCoordinates = JSZB_DISPATCH_DISTRICT_COORDINATES,
};

enum class Satisfaction : std::uint8_t {
  kUnspecified = 0,
  kSatisfied = JSZB_SATISFIED,
  kBasicallySatisfied = JSZB_BASICALLY_SATISFIED,
  kNotSatisfied = JSZB_NOT_SATISFIED,
};

enum class VisitMethod : std::uint8_t {
  kUnspecified = 0,
  kPhone = JSZB_VISIT_PHONE,
  kSms = JSZB_VISIT_SMS,
  kOnline = JSZB_VISIT_ONLINE,
};

enum class SupervisionLevel : std::uint8_t {
  kNone = 0,
  kDistrict = JSZB_SUPERVISION_DISTRICT,
  kCity = JSZB_SUPERVISION_CITY,
};

// Who does something (see jszb_actor).
struct Actor {
  Role role = Role::kUnspecified;
  UnitId unit = 0;
  std::uint32_t staff = 0;
  friend bool operator==(const Actor& a, const Actor& b) {
    return a.role == b.role && a.unit == b.unit && a.staff == b.staff;
  }
};

}  // namespace jszb

#endif  // JSZB_TYPES_HPP
