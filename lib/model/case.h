// Case: a work order (工单) as it stands after its events.
#ifndef JSZB_LIB_MODEL_CASE_H
#define JSZB_LIB_MODEL_CASE_H

#include <cstdint>
#include <string_view>

#include "jszb/types.hpp"
#include "model/deadline.h"
#include "model/intake.h"
#include "model/running_deadlines.h"
#include "model/unit_list.h"

namespace jszb::core {

struct Reply {
  bool contacted = false;
  bool solved = false;
  std::string_view text;
};

struct Visit {
  bool valid = false;
  bool contacted = false;
  bool solved = false;
  Satisfaction satisfaction = Satisfaction::kUnspecified;
  VisitMethod method = VisitMethod::kUnspecified;
};

// The return visit that stands for assessment: the case's latest visit, kept
// across dispatch cycles (a reopen clears `visit`, not this), with the units it
// counts for (the lead then, and each co-handler) and whether an upheld appeal
// took its result out of scoring. A re-dispatch after a redo (改派) to another
// unit settles it: it stays counted for its units and leaves the case, which
// has no standing result until the new unit's (lifecycle/projection.h).
struct Credit {
  TimeMs time = 0;  // 0: no visit yet
  Visit visit;
  UnitId lead = 0;
  UnitList co_handlers;     // the case's list as it stood (arena lists never change)
  bool appealed = false;    // a unit appealed the result (one appeal per result)
  bool overturned = false;  // the appeal was upheld
  bool automatic = false;   // the engine's result under Art. 23, not a visit
  // The order went on the long-term pending list (挂账) under a policy that
  // keeps such orders out of the rates: the result no longer counts.
  bool held_long_term = false;
};

// At most this many co-handlers per case (a bit each in co_pending).
inline constexpr int kMaxCoHandlers = 64;
// At most this many copy-to units per dispatch.
inline constexpr int kMaxCopyTo = 64;

struct Case {
  CaseId id = 0;
  State state = State::kUnspecified;
  const Intake* intake = nullptr;

  UnitId lead_unit = 0;
  DispatchMode dispatch_mode = DispatchMode::kUnspecified;
  UnitList copy_to;
  UnitList co_handlers;
  std::uint64_t co_pending = 0;  // bit i: co_handlers[i] has not reported back
  bool owner_fixed = false;      // a return was reviewed: the owner is fixed
  NotDispatchedReason not_dispatched_reason = NotDispatchedReason::kUnspecified;
  SupervisionLevel supervision_level = SupervisionLevel::kNone;

  std::uint32_t return_count = 0;
  // Extensions approved in this handling cycle (a redo or a new dispatch
  // starts one), and in this dispatch (only a new dispatch starts one): the
  // policy's extension_allowance says which of the two the limit counts.
  std::uint32_t extension_count = 0;
  std::uint32_t dispatch_extension_count = 0;
  std::uint32_t redo_count = 0;
  std::uint32_t reopen_count = 0;

  TimeMs dispatched = 0;
  TimeMs signed_for = 0;
  TimeMs first_contact = 0;
  TimeMs extension_requested_until = 0;  // the pending request, 0: none
  TimeMs extended_until = 0;             // the last approved extension
  TimeMs replied = 0;
  TimeMs visited = 0;
  TimeMs closed = 0;
  TimeMs last_event = 0;

  Reply reply;
  Visit visit;
  Credit credit;
  CaseId merged_into = 0;
  std::uint32_t event_count = 0;

  std::uint32_t policy_version = 0;  // the policy it runs under, 0: none
  TimeMs suspended_since = 0;        // 0 unless suspended
  // The community level: the community the lead street forwarded the order to
  // in this dispatch cycle (0: none), when it signed and when it reported back.
  UnitId community_unit = 0;
  TimeMs community_signed = 0;
  TimeMs community_replied = 0;
  RunningDeadlines deadlines;  // the clocks that run
  const Deadline& deadline(StepId s) const { return deadlines.get(s); }

  int co_pending_count() const;
  bool is_pending_co_handler(UnitId unit) const;
};

// Finished: closed, merged, terminated, not dispatched or answered on the spot.
// No deadline runs; only a reopen moves such a case again, so a durable engine
// keeps it on disk until a command needs it.
inline bool is_finished(State s) {
  return s == State::kClosed || s == State::kMerged || s == State::kTerminated ||
         s == State::kNotDispatched || s == State::kAnsweredOnSpot;
}

bool operator==(const Reply& a, const Reply& b);
bool operator==(const Visit& a, const Visit& b);
bool operator==(const Credit& a, const Credit& b);
// Equal content: every field, strings and lists by value, intake included.
bool operator==(const Case& a, const Case& b);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_CASE_H
