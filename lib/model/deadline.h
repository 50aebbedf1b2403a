// Deadline: the clock on one timed step of a case (see jszb.v1.Step).
#ifndef JSZB_LIB_MODEL_DEADLINE_H
#define JSZB_LIB_MODEL_DEADLINE_H

#include <cstdint>

#include "jszb/types.hpp"

namespace jszb::core {

// The timed steps, numbered as jszb.v1.Step.
enum class StepId : std::uint8_t {
  kNone = 0,
  kDispatch = 1,
  kSign = 2,
  kFirstContact = 3,
  kReply = 4,
  kCoHandlerReport = 5,
  kReturnVisit = 6,
  kAppealReview = 7,
  kExpiryVisit = 8,  // Art. 23: the window after the reply deadline passed
  kSupervision = 9,  // 督办: supervised -> the lead's next reply
};
inline constexpr int kSteps = 9;

struct Deadline {
  TimeMs start = 0;     // when the clock started; 0: not running
  TimeMs due = 0;       // when it expires, suspensions and extensions included
  TimeMs base_due = 0;  // when it expired before any suspension
  // Time suspended so far, in both clocks: an escalation mark moves by the
  // pause in its own clock (a ladder may count working days after a deadline
  // counted in natural days).
  TimeMs paused_natural = 0;
  TimeMs paused_working = 0;
  // The last resume: a mark with no time left when the case was suspended
  // falls at the first instant its clock allows after it, never before.
  TimeMs resumed = 0;
  std::uint8_t fired = 0;  // escalation marks already fired (see policy.h)
  bool working = false;    // counted in the calendar's working time
  // Working time counted past the years the calendar knows, by its rule for
  // them (weekends only, or the provisional schedule): the due instant, if in
  // working time, or an escalation level counted in working time is an
  // estimate.
  bool estimated = false;
  bool running() const { return start != 0; }
  // Time suspended so far, in the deadline's own clock.
  TimeMs paused() const { return working ? paused_working : paused_natural; }
  friend bool operator==(const Deadline& a, const Deadline& b) {
    return a.start == b.start && a.due == b.due && a.base_due == b.base_due &&
           a.paused_natural == b.paused_natural && a.paused_working == b.paused_working &&
           a.resumed == b.resumed && a.fired == b.fired && a.working == b.working &&
           a.estimated == b.estimated;
  }
};

// What an event does to one deadline: set it as given (stop it: start 0).
struct DeadlineChange {
  StepId step = StepId::kNone;
  Deadline deadline;
  friend bool operator==(const DeadlineChange& a, const DeadlineChange& b) {
    return a.step == b.step && a.deadline == b.deadline;
  }
};

// A read-only list of changes (as UnitList is for units).
struct DeadlineChanges {
  const DeadlineChange* data = nullptr;
  std::uint32_t size = 0;
  const DeadlineChange* begin() const { return data; }
  const DeadlineChange* end() const { return data + size; }
  bool empty() const { return size == 0; }
  friend bool operator==(DeadlineChanges a, DeadlineChanges b) {
    if (a.size != b.size) return false;
    for (std::uint32_t i = 0; i < a.size; ++i) {
      if (!(a.data[i] == b.data[i])) return false;
    }
    return true;
  }
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_DEADLINE_H
