// Engine: escalation timers. Each case has at most one armed mark, its next
// one; advance() fires the marks that came due, in time order.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "policy/deadline_planner.h"
#include "policy/escalation.h"

namespace jszb::core {

// -------------------------------------------------------------------- timers

std::optional<Engine::NextMark> Engine::next_mark(const Case& c) const {
  const Policy* p = policy_of(c);
  if (p == nullptr || c.suspended_since != 0)
    return std::nullopt;  // a suspended clock stands still
  std::optional<NextMark> best;
  for (const DeadlineChange& running : c.deadlines) {
    const Deadline& d = running.deadline;
    const StepId step = running.step;
    const std::vector<Mark>& marks = p->marks(step);
    if (d.fired >= marks.size()) continue;
    absl::StatusOr<TimeMs> at = mark_instant(*p, d, marks[d.fired]);
    // A mark the calendar cannot place is not armed; the planner refuses deadlines
    // whose marks it cannot place, so this is past the end of a weekends-only rule.
    if (!at.ok()) continue;
    if (!best || *at < best->at) best = NextMark{*at, step, d.fired, &marks[d.fired]};
  }
  return best;
}

void Engine::rearm(const Case& c) {
  if (current_ == nullptr && policies_.empty()) return;  // no policy: no clocks
  std::uint32_t slot = *index_.find(c.id);
  std::optional<NextMark> next = next_mark(c);
  if (!next) {
    timers_.cancel(slot);
  } else if (!timers_.armed(slot) || timers_.due(slot) != next->at) {
    timers_.arm(slot, next->at);
  }
}

absl::Status Engine::fire(Case& c, const NextMark& m) {
  Event e;
  e.case_id = c.id;
  e.seq = c.event_count + 1;
  e.type = m.mark->kind == MarkKind::kWarning  ? EventType::kDeadlineWarning
           : m.mark->kind == MarkKind::kBreach ? EventType::kDeadlineBreached
                                               : EventType::kDeadlineEscalated;
  e.state = c.state;
  e.time = std::max(m.at, c.last_event);
  e.actor = Actor{Role::kSystem, 0, 0};
  e.policy_version = c.policy_version;
  e.payload.step = static_cast<std::uint8_t>(m.step);
  e.payload.mark = m.index;
  e.payload.action = static_cast<std::uint8_t>(m.mark->action);
  if (absl::Status s = record(c, e, nullptr); !s.ok()) return s;
  ++counts_.escalations_fired;
  if (m.step == StepId::kExpiryVisit && m.mark->kind == MarkKind::kBreach) {
    return record_expiry_result(c, e.time);
  }
  if (m.mark->action == v1::ESCALATION_ACTION_RETURN_TO_DISPATCHER &&
      c.state == State::kDispatched) {
    Command back;
    back.kind = CommandKind::kAutoReturn;
    back.case_id = c.id;
    back.time = e.time;
    back.actor = e.actor;
    back.payload.text = "not signed for in time";
    return run(back, nullptr, true);
  }
  return absl::OkStatus();
}

absl::Status Engine::record_expiry_result(Case& c, TimeMs time) {
  const Policy* p = policy_of(c);
  const v1::ExpiryResult as = p == nullptr ? v1::EXPIRY_COUNTED_AS_FAILED : p->expiry_result();
  Event e;
  e.case_id = c.id;
  e.seq = c.event_count + 1;
  e.type = EventType::kAutoVisited;
  e.state = c.state;
  e.time = time;
  e.actor = Actor{Role::kSystem, 0, 0};
  e.policy_version = c.policy_version;
  switch (as) {
    case v1::EXPIRY_NOT_COUNTED:
      e.payload.text =
          "Art. 23: the reply deadline passed without a reply or a visit; not counted, as the "
          "policy says";
      break;
    case v1::EXPIRY_COUNTED_AS_NOT_SOLVED:
      // A valid visit without the citizen's answer: in the resolution rate
      // only (counters.h resolution_only()).
      e.payload.valid_visit = true;
      e.payload.text =
          "Art. 23: the reply deadline passed without a reply or a visit; counted as not "
          "solved, in the resolution rate only (not in the response or satisfaction rate)";
      break;
    default:
      e.payload.valid_visit = true;
      e.payload.satisfaction = Satisfaction::kNotSatisfied;
      e.payload.text =
          "Art. 23: the reply deadline passed without a reply or a visit; counted as a valid "
          "visit, not contacted, not solved, not satisfied";
      break;
  }
  return record(c, e, nullptr);
}

absl::Status Engine::catch_up(Case& c, TimeMs upto) {
  // The case's timer always holds the instant of its next mark (rearm after
  // every change), so most commands cost one look at it.
  std::uint32_t slot = *index_.find(c.id);
  while (timers_.armed(slot) && timers_.due(slot) <= upto) {
    std::optional<NextMark> next = next_mark(c);
    if (!next) {
      timers_.cancel(slot);
      break;
    }
    if (absl::Status s = fire(c, *next); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Engine::advance(TimeMs now) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return advance_timers(now); });
}

absl::Status Engine::advance_timers(TimeMs now) {
  absl::Status first_error;
  int errors = 0;
  while (!timers_.empty() && timers_.top().first <= now) {
    std::uint32_t slot = timers_.pop().second;
    Case& c = cases_[slot];
    std::optional<NextMark> next = next_mark(c);
    if (next && next->at <= now) {
      // One mark at a time, so that marks of different cases fire in time order.
      if (absl::Status s = fire(c, *next); !s.ok()) {
        // Leave the case unarmed, or the same mark would come round forever.
        if (errors++ == 0) first_error = s;
        continue;
      }
    }
    rearm(c);
  }
  if (errors > 0) {
    return absl::Status(first_error.code(),
                        absl::StrFormat("%d escalation%s could not fire; the first: %s", errors,
                                        errors == 1 ? "" : "s", first_error.message()));
  }
  return absl::OkStatus();
}

}  // namespace jszb::core
