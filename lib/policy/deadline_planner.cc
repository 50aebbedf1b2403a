#include "policy/deadline_planner.h"

#include <algorithm>

#include "policy/escalation.h"

namespace jszb::core {

namespace {

class Planner {
 public:
  Planner(const Policy& p, const Case& c, const Event& e) : p_(p), c_(c), e_(e) {}

  absl::StatusOr<DeadlinePlan> run() {
    const Payload& pl = e_.payload;
    switch (e_.type) {
      case EventType::kSubmitted:
        start(StepId::kDispatch, v1::UNIT_CLASS_UNSPECIFIED);
        break;
      case EventType::kAnsweredOnSpot:
      case EventType::kNotDispatched:
      case EventType::kMerged:
      case EventType::kTerminated:
      case EventType::kClosed:
        stop_all();
        break;
      case EventType::kDispatched:
      case EventType::kReturnApproved:  // the new owner gets its own time
        stop(StepId::kDispatch);
        stop(StepId::kExpiryVisit);
        stop(StepId::kFirstContact);     // re-dispatched after a redo: the
        stop(StepId::kCoHandlerReport);  // old unit's clocks stop
        stop(StepId::kSupervision);
        start(StepId::kSign, lead_class(pl.unit));
        start(StepId::kReply, lead_class(pl.unit));
        break;
      case EventType::kReturnRequested:
        stop(StepId::kSign);  // the dispute is the centre's to settle
        break;
      case EventType::kReturnRefused:
        start(StepId::kSign, lead_class(c_.lead_unit));
        break;
      case EventType::kAutoReturned:
        stop_all();
        start(StepId::kDispatch, v1::UNIT_CLASS_UNSPECIFIED);
        break;
      case EventType::kSigned:
        stop(StepId::kSign);
        if (c_.first_contact == 0) start(StepId::kFirstContact, lead_class(c_.lead_unit));
        if (c_.co_pending != 0) start(StepId::kCoHandlerReport, lead_class(c_.lead_unit));
        break;
      case EventType::kCitizenContacted:
        stop(StepId::kFirstContact);
        break;
      case EventType::kCoHandlersAdded:
        if (!running(StepId::kCoHandlerReport)) {
          start(StepId::kCoHandlerReport, lead_class(c_.lead_unit));
        }
        break;
      case EventType::kReportedToLead:
        if (c_.co_pending_count() <= 1) stop(StepId::kCoHandlerReport);
        break;
      case EventType::kExtensionApproved:
        // Approved after the deadline passed, it moves the deadline all the
        // same; what the expiry counted (the breach, an Art. 23 result) stays.
        extend_reply(pl.until != 0 ? pl.until : c_.extension_requested_until);
        stop(StepId::kExpiryVisit);
        break;
      case EventType::kResumed:
        shift_for_suspension();
        break;
      case EventType::kReplied:
        stop(StepId::kReply);
        stop(StepId::kExpiryVisit);
        stop(StepId::kSupervision);  // the reply the supervision pressed for
        // The reply closes the unit's work: whether it reached the citizen is
        // in the reply (and in the response rate), not a clock left running.
        // A co-handler still to report keeps its own clock.
        stop(StepId::kFirstContact);
        if (c_.co_pending == 0) stop(StepId::kCoHandlerReport);
        start(StepId::kReturnVisit, lead_class(c_.lead_unit));
        break;
      case EventType::kVisited:
        // A visit ends the unit's work, also one on expiry (Art. 23).
        stop(StepId::kReturnVisit);
        stop(StepId::kExpiryVisit);
        stop(StepId::kReply);
        stop(StepId::kFirstContact);
        stop(StepId::kCoHandlerReport);
        stop(StepId::kSupervision);
        break;
      case EventType::kSupervised:
        // 督办 sets a deadline of its own for the lead's reply (a later
        // supervision starts it again); an order whose lead owes no reply
        // (replied, visited, under appeal) is supervised without one.
        if (owes_reply(e_.state)) start(StepId::kSupervision, lead_class(c_.lead_unit));
        break;
      case EventType::kAutoVisited:
        stop(StepId::kExpiryVisit);
        break;
      case EventType::kReplanned:  // the policy given is the case's new one
        replan_estimated();
        break;
      case EventType::kAppealed:  // the centre reviews the appeal in time
        start(StepId::kAppealReview, v1::UNIT_CLASS_CENTRE);
        break;
      case EventType::kAppealUpheld:
      case EventType::kAppealRejected:
        stop(StepId::kAppealReview);
        break;
      case EventType::kRedoOrdered:  // after a visit, or a review of the pending list
        start(StepId::kReply, lead_class(c_.lead_unit));
        stop(StepId::kExpiryVisit);
        stop(StepId::kLongTermReview);
        break;
      case EventType::kHeldLongTerm:  // 挂账: off the handling clocks, on to the review date
        stop_all();
        review_on(pl.until);
        break;
      case EventType::kReopened:
        stop_all();
        start(StepId::kDispatch, v1::UNIT_CLASS_UNSPECIFIED);
        break;
      case EventType::kDeadlineWarning:
      case EventType::kDeadlineBreached:
      case EventType::kDeadlineEscalated: {
        auto step = static_cast<StepId>(pl.step);
        Deadline d = current(step);
        d.fired = static_cast<std::uint8_t>(pl.mark + 1);
        set(step, d);
        // Art. 23: once the reply deadline has passed, the return-visit window
        // after it opens; at its end the engine records the order's result.
        if (e_.type == EventType::kDeadlineBreached && step == StepId::kReply &&
            !running(StepId::kExpiryVisit)) {
          start(StepId::kExpiryVisit, lead_class(c_.lead_unit), StepId::kReturnVisit);
        }
        break;
      }
      default:
        break;
    }
    if (!status_.ok()) return status_;
    DeadlinePlan plan;  // in step order
    for (int i = 0; i < kSteps; ++i) {
      if (changed_[i]) plan.changes[plan.size++] = {static_cast<StepId>(i + 1), slot_[i]};
    }
    return plan;
  }

 private:
  UnitClass lead_class(UnitId unit) const {
    const UnitInfo* u = p_.unit(unit);
    return u == nullptr ? v1::UNIT_CLASS_UNSPECIFIED : u->unit_class;
  }

  // The deadline as it stands, counting changes planned already.
  const Deadline& current(StepId s) const {
    int i = static_cast<int>(s) - 1;
    return changed_[i] ? slot_[i] : c_.deadline(s);
  }
  bool running(StepId s) const { return current(s).running(); }

  // States in which the lead unit still owes the order's reply.
  static bool owes_reply(State s) {
    switch (s) {
      case State::kDispatched:
      case State::kReturnRequested:
      case State::kHandling:
      case State::kCoHandling:
      case State::kExtensionRequested:
      case State::kSuspensionRequested:
      case State::kSuspended:
        return true;
      default:
        return false;
    }
  }

  void set(StepId s, const Deadline& d) {
    int i = static_cast<int>(s) - 1;
    slot_[i] = d;
    changed_[i] = true;
  }

  // Starts step s with the policy's limit for `limit_of` (by default its own).
  void start(StepId s, UnitClass lead, StepId limit_of = StepId::kNone) {
    const Intake& in = *(e_.type == EventType::kSubmitted ? e_.intake : c_.intake);
    StepId rule = limit_of == StepId::kNone ? s : limit_of;
    std::optional<Limit> limit = p_.limit(static_cast<Step>(rule), in, lead);
    if (!limit) {
      stop(s);  // this policy does not time the step for this order
      return;
    }
    absl::StatusOr<TimeMs> due = add_limit(p_, e_.time, *limit);
    if (!due.ok()) {
      status_.Update(due.status());
      return;
    }
    Deadline d;
    d.start = e_.time;
    d.due = *due;
    d.base_due = *due;
    d.working = limit->working();
    // Every mark must have a place in the calendar: if the last one cannot be
    // placed (past the calendar's years), the command is refused now rather
    // than an escalation going missing later.
    const std::vector<Mark>& marks = p_.marks(s);
    if (!marks.empty()) {
      absl::StatusOr<TimeMs> last = mark_instant(p_, d, marks.back());
      if (!last.ok()) {
        status_.Update(last.status());
        return;
      }
    }
    d.estimated = estimated(s, d);
    set(s, d);
  }

  // Whether the deadline's clock counts working time on days past the years
  // the calendar knows (weekends only there, or the provisional schedule): its
  // due, if counted in working time, or a ladder level counted in working time
  // (a natural reply deadline's supervision marks, say). Those instants are
  // estimates until the calendar knows the year.
  bool estimated(StepId s, const Deadline& d) const {
    const Calendar& cal = p_.calendar();
    if (d.working && !cal.covers(d.start, d.due)) return true;
    for (const Mark& m : p_.marks(s)) {
      if (m.kind != MarkKind::kLadder || !m.after.working()) continue;
      absl::StatusOr<TimeMs> at = mark_instant(p_, d, m);
      if (at.ok() && !cal.covers(d.start, *at)) return true;
    }
    return false;
  }

  void stop(StepId s) {
    if (running(s)) set(s, Deadline{});
  }

  // The review of the long-term pending list is due on the date the reviewer
  // set (natural time: a date, not an allowance).
  void review_on(TimeMs date) {
    Deadline d;
    d.start = e_.time;
    d.due = d.base_due = std::max(date, e_.time);
    const std::vector<Mark>& marks = p_.marks(StepId::kLongTermReview);
    if (!marks.empty()) {
      absl::StatusOr<TimeMs> last = mark_instant(p_, d, marks.back());
      if (!last.ok()) {
        status_.Update(last.status());
        return;
      }
    }
    d.estimated = estimated(StepId::kLongTermReview, d);
    set(StepId::kLongTermReview, d);
  }

  void stop_all() {
    for (int i = 1; i <= kSteps; ++i) stop(static_cast<StepId>(i));
  }

  // An approved extension moves the order's deadline; marks that now fall in
  // the past count as fired, so that nothing is announced late.
  void extend_reply(TimeMs until) {
    Deadline d = current(StepId::kReply);
    if (!d.running() || until == 0) return;
    // The reviewer's date is absolute: earlier suspensions are in it already.
    d.due = d.base_due = std::max(until, e_.time);
    d.paused_natural = d.paused_working = 0;
    d.resumed = 0;
    d.fired = 0;
    for (const Mark& m : p_.marks(StepId::kReply)) {
      absl::StatusOr<TimeMs> at = mark_instant(p_, d, m);
      if (!at.ok()) {
        status_.Update(at.status());
        return;
      }
      // A mark at this very instant is still to come (it fires next).
      if (*at >= e_.time) break;
      ++d.fired;
    }
    d.estimated = estimated(StepId::kReply, d);
    set(StepId::kReply, d);
  }

  // The policy's official schedule now covers days the case's deadlines were
  // estimated on: every running estimated deadline is counted again from its
  // start under this policy (an extension's date stays, a suspension's pause
  // is added again). A mark whose new instant is past counts as fired, so
  // nothing is announced late; one fired already stays fired.
  void replan_estimated() {
    for (int i = 1; i <= kSteps; ++i) {
      auto s = static_cast<StepId>(i);
      Deadline d = current(s);
      if (!d.running() || !d.estimated) continue;
      absl::StatusOr<TimeMs> base = replanned_base_due(s, d);
      if (!base.ok()) {
        status_.Update(base.status());
        return;
      }
      Deadline r = d;
      r.base_due = *base;
      absl::StatusOr<TimeMs> due = clock_add(p_, r.working, r.base_due, r.paused());
      if (due.ok() && r.resumed != 0) due = not_before_resume(p_, r.working, r, *due);
      if (!due.ok()) {
        status_.Update(due.status());
        return;
      }
      r.due = *due;
      r.fired = 0;
      for (const Mark& m : p_.marks(s)) {
        absl::StatusOr<TimeMs> at = mark_instant(p_, r, m);
        if (!at.ok()) {
          status_.Update(at.status());
          return;
        }
        if (*at >= e_.time) break;  // still to come
        ++r.fired;
      }
      r.fired = std::max(r.fired, d.fired);
      r.estimated = estimated(s, r);
      set(s, r);
    }
  }

  // The due before any suspension of a running deadline, counted again under
  // this policy: an approved extension's date is the reviewer's and stays.
  absl::StatusOr<TimeMs> replanned_base_due(StepId s, const Deadline& d) const {
    if (s == StepId::kReply && c_.extended_until != 0 && d.base_due == c_.extended_until) {
      return d.base_due;
    }
    StepId rule = s == StepId::kExpiryVisit ? StepId::kReturnVisit : s;
    UnitClass lead = s == StepId::kDispatch       ? v1::UNIT_CLASS_UNSPECIFIED
                     : s == StepId::kAppealReview ? v1::UNIT_CLASS_CENTRE
                                                  : lead_class(c_.lead_unit);
    std::optional<Limit> limit = p_.limit(static_cast<Step>(rule), *c_.intake, lead);
    if (!limit) return d.base_due;  // this policy does not time it: as it was
    return add_limit(p_, d.start, *limit);
  }

  // Suspension stops the clock: every running deadline moves on by the time
  // the case was suspended, counted in its own clock; the pause is kept in
  // both clocks, for marks that count in the other one (escalation.cc).
  void shift_for_suspension() {
    if (c_.suspended_since == 0) return;
    const TimeMs whole_natural = e_.time - c_.suspended_since;
    const absl::StatusOr<TimeMs> whole_working =
        p_.calendar().working_time_between(c_.suspended_since, e_.time);
    for (int i = 1; i <= kSteps; ++i) {
      auto s = static_cast<StepId>(i);
      Deadline d = current(s);
      if (!d.running()) continue;
      // A clock started while the order was suspended (a supervision) has
      // stood still since its own start only.
      bool started_paused = d.start > c_.suspended_since;
      TimeMs natural = started_paused ? e_.time - d.start : whole_natural;
      absl::StatusOr<TimeMs> working =
          started_paused ? p_.calendar().working_time_between(d.start, e_.time) : whole_working;
      if (!working.ok()) {
        status_.Update(working.status());
        return;
      }
      absl::StatusOr<TimeMs> due = clock_add(p_, d.working, d.due, d.working ? *working : natural);
      d.resumed = e_.time;
      // A breach still to come comes after the resume; one that came stays past.
      bool breached = d.fired > p_.warn_at().size();
      if (due.ok() && !breached) due = not_before_resume(p_, d.working, d, *due);
      if (!due.ok()) {
        status_.Update(due.status());
        return;
      }
      d.paused_natural += natural;
      d.paused_working += *working;
      d.due = *due;
      // Moved onto days past the years the calendar knows: an estimate now.
      d.estimated = d.estimated || estimated(s, d);
      set(s, d);
    }
  }

  const Policy& p_;
  const Case& c_;
  const Event& e_;
  Deadline slot_[kSteps];  // the planned deadline per step, where changed_
  bool changed_[kSteps] = {};
  absl::Status status_;
};

}  // namespace

absl::StatusOr<DeadlinePlan> plan_deadlines(const Policy& policy, const Case& before,
                                            const Event& e) {
  return Planner(policy, before, e).run();
}

}  // namespace jszb::core
