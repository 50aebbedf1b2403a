#include "lifecycle/projection.h"

#include <algorithm>

#include "model/deep_copy.h"
#include "model/proto_schema.h"

namespace jszb::core {

namespace {

std::uint64_t all_pending(std::uint32_t count) {
  return count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
}

// The community level belongs to one dispatch cycle (a new owner starts afresh).
void forget_community(Case& c) {
  c.community_unit = 0;
  c.community_signed = c.community_replied = 0;
}

// A new dispatch cycle starts when a case comes back to the centre (reopened,
// or returned automatically when nobody signed for it in time).
void start_new_cycle(Case& c) {
  c.lead_unit = 0;
  c.dispatch_mode = DispatchMode::kUnspecified;
  c.copy_to = {};
  c.co_handlers = {};
  c.co_pending = 0;
  c.owner_fixed = false;
  c.extension_count = c.dispatch_extension_count = 0;
  c.dispatched = c.signed_for = c.first_contact = 0;
  c.extension_requested_until = c.extended_until = 0;
  c.replied = c.visited = c.closed = 0;
  c.reply = {};
  c.visit = {};
  forget_community(c);
}

void assign_owner(Case& c, const Event& e) {
  // A re-dispatch after a redo (改派) starts the new unit's cycle afresh; the
  // result that sent it back is settled for the unit it was scored for.
  if (settles_credit(c.lead_unit, e)) c.credit = {};
  c.signed_for = c.first_contact = 0;
  c.extension_requested_until = c.extended_until = 0;
  c.extension_count = c.dispatch_extension_count = 0;
  c.lead_unit = e.payload.unit;
  c.dispatch_mode = e.payload.mode;
  c.copy_to = e.payload.copy_to;
  c.co_handlers = e.payload.units;
  c.co_pending = all_pending(e.payload.units.size);
  c.dispatched = e.time;
  forget_community(c);
}

void add_co_handlers(Case& c, UnitList units, Arena& arena) {
  std::uint32_t before = c.co_handlers.size;
  c.co_handlers = concat(c.co_handlers, units, arena);
  c.co_pending |= all_pending(c.co_handlers.size) & ~all_pending(before);
}

void co_handler_reported(Case& c, UnitId unit) {
  int i = c.co_handlers.index_of(unit);
  if (i >= 0) c.co_pending &= ~(std::uint64_t{1} << i);
}

void return_to_centre(Case& c) {
  // A review that fixed the owner still holds: only a reopen starts afresh.
  bool fixed = c.owner_fixed;
  start_new_cycle(c);
  c.owner_fixed = fixed;
}

// A breach or escalation whose action is a supervision raises the case's level.
void supervise_on_escalation(Case& c, std::uint8_t action) {
  if (action == v1::ESCALATION_ACTION_SUPERVISE_DISTRICT) {
    c.supervision_level = std::max(c.supervision_level, SupervisionLevel::kDistrict);
  } else if (action == v1::ESCALATION_ACTION_SUPERVISE_CITY) {
    c.supervision_level = SupervisionLevel::kCity;
  }
}

// An approved extension counts in the handling cycle and in the dispatch (the
// policy's extension_allowance picks which limits the next request).
void approve_extension(Case& c, const Payload& p) {
  ++c.extension_count;
  ++c.dispatch_extension_count;
  c.extended_until = p.until != 0 ? p.until : c.extension_requested_until;
  c.extension_requested_until = 0;
}

// The engine's own result under Art. 23 stands like a visit's, marked automatic.
void credit_expiry(Case& c, const Event& e) {
  const Payload& p = e.payload;
  Visit result{p.valid_visit, p.contacted, p.solved, p.satisfaction, VisitMethod::kUnspecified};
  c.credit = {e.time, result, c.lead_unit, c.co_handlers, false, false, true};
}

// The events about the result that stands for assessment (the credit).
void apply_to_result(Case& c, const Event& e) {
  const Payload& p = e.payload;
  switch (e.type) {
    case EventType::kVisited:
      c.visited = e.time;
      c.visit = {p.valid_visit, p.contacted, p.solved, p.satisfaction, p.visit_method};
      // The latest result stands; a visit on expiry (Art. 23) ends the
      // co-handlers' reporting too.
      c.credit = {e.time, c.visit, c.lead_unit, c.co_handlers, false, false, false};
      c.co_pending = 0;
      c.extension_requested_until = 0;  // a request still open lapses
      break;
    case EventType::kAutoVisited:  // Art. 23: no reply, no visit; the order stays open
      credit_expiry(c, e);
      break;
    case EventType::kAppealed:
      c.credit.appealed = true;
      break;
    case EventType::kAppealUpheld:  // the visit result leaves scoring
      c.credit.overturned = true;
      break;
    case EventType::kHeldLongTerm:  // 挂账; the engine wrote whether it stays in the rates
      if (!p.valid_visit && c.credit.time != 0) c.credit.held_long_term = true;
      c.co_pending = 0;  // the matter waits: nobody is left to report on it
      break;
    default:  // kAppealRejected: the result stands
      break;
  }
}

// The community level: the street forwards, the community signs and reports.
void apply_community(Case& c, const Event& e) {
  if (e.type == EventType::kForwardedToCommunity) {  // a new community starts afresh
    c.community_unit = e.payload.unit;
    c.community_signed = c.community_replied = 0;
  } else if (e.type == EventType::kCommunitySigned) {
    if (c.community_signed == 0) c.community_signed = e.time;
  } else if (e.type == EventType::kCommunityReplied) {
    c.community_replied = e.time;
  }
}

// What every event does: its deadlines, the state it leaves, its time and place.
void applied(Case& c, const Event& e, Arena& arena) {
  c.deadlines.apply(e.deadlines, arena);
  c.state = e.state;
  c.last_event = e.time;
  c.event_count = e.seq;
}

}  // namespace

std::size_t arena_bytes_to_apply(const Case& c, const Event& e) {
  std::size_t bytes = e.deadlines.empty() ? 0 : RunningDeadlines::kMaxArenaBytes;
  if (e.type != EventType::kCoHandlersAdded) return bytes;
  return bytes + (std::size_t{c.co_handlers.size} + e.payload.units.size) * sizeof(UnitId) +
         alignof(UnitId);
}

Case case_from_submission(const Event& e, Arena& arena) {
  Case c;
  c.id = e.case_id;
  c.state = e.state;
  c.intake = e.intake;
  c.last_event = e.time;
  c.event_count = e.seq;
  c.policy_version = e.policy_version;
  c.deadlines.apply(e.deadlines, arena);
  return c;
}

void apply_event(Case& c, const Event& e, Arena& arena) {
  const Payload& p = e.payload;
  switch (e.type) {
    case EventType::kAnsweredOnSpot:
      c.reply = {false, false, p.text};
      c.closed = e.time;
      break;
    case EventType::kNotDispatched:
      c.not_dispatched_reason = p.reason;
      c.closed = e.time;
      break;
    case EventType::kDispatched:
      assign_owner(c, e);
      break;
    case EventType::kReturnRequested:
      ++c.return_count;
      break;
    case EventType::kReturnApproved:  // 改派: a new owner, fixed by the review
      assign_owner(c, e);
      c.owner_fixed = true;
      break;
    case EventType::kReturnRefused:
      c.owner_fixed = true;
      break;
    case EventType::kSigned:
      c.signed_for = e.time;
      break;
    case EventType::kCitizenContacted:
      if (c.first_contact == 0) c.first_contact = e.time;
      break;
    case EventType::kCoHandlersAdded:
      add_co_handlers(c, p.units, arena);
      break;
    case EventType::kReportedToLead:
      co_handler_reported(c, e.actor.unit);
      break;
    case EventType::kExtensionRequested:
      c.extension_requested_until = p.until;
      break;
    case EventType::kExtensionApproved:
      approve_extension(c, p);
      break;
    case EventType::kExtensionRefused:
      c.extension_requested_until = 0;
      break;
    case EventType::kSupervised:
      c.supervision_level = std::max(c.supervision_level, p.level);
      break;
    case EventType::kReplied:
      c.replied = e.time;
      c.reply = {p.contacted, p.solved, p.text};
      if (p.contacted && c.first_contact == 0) c.first_contact = e.time;
      break;
    case EventType::kVisited:
    case EventType::kAutoVisited:
    case EventType::kAppealed:
    case EventType::kAppealUpheld:
    case EventType::kAppealRejected:
    case EventType::kHeldLongTerm:
      apply_to_result(c, e);
      break;
    case EventType::kReplanned:  // its estimated deadlines, on the new schedule
      c.policy_version = e.policy_version;
      break;
    case EventType::kRedoOrdered:  // a new handling cycle, in the same dispatch
      ++c.redo_count;
      c.extension_count = 0;
      break;
    case EventType::kTerminated:
      c.closed = e.time;
      c.suspended_since = 0;
      break;
    case EventType::kClosed:
      c.closed = e.time;
      break;
    case EventType::kSuspended:
    case EventType::kSuspensionApproved:  // the clock stops from the approval
      c.suspended_since = e.time;
      break;
    case EventType::kResumed:
      c.suspended_since = 0;
      break;
    case EventType::kAutoReturned:  // back to the centre, to be dispatched again
      return_to_centre(c);
      break;
    case EventType::kDeadlineBreached:
    case EventType::kDeadlineEscalated:
      supervise_on_escalation(c, p.action);
      break;
    case EventType::kReopened:
      ++c.reopen_count;
      start_new_cycle(c);
      break;
    case EventType::kMerged:
      c.merged_into = p.other_case;
      c.closed = e.time;
      break;
    case EventType::kForwardedToCommunity:
    case EventType::kCommunitySigned:
    case EventType::kCommunityReplied:
      apply_community(c, e);
      break;
    case EventType::kSuspensionRequested:  // the clock runs until an approval
    case EventType::kSuspensionRefused:
    case EventType::kDeadlineWarning:
    case EventType::kSubmitted:
    case EventType::kUnspecified:
      break;
  }
  applied(c, e, arena);
}

}  // namespace jszb::core
