// RunningDeadlines: the clocks a case runs, and only those. A case runs one to
// three at once (sign-for, first contact and reply after a dispatch; the return
// visit after a reply), out of the ten steps a policy may time: keeping a slot
// for every step cost 560 bytes in every case, more than half of it, and a case
// is copied for every command (a batch's undo record). The clocks sit inline,
// ordered by step; a case that runs more than kInline keeps them in an arena
// (there is no cap but the number of steps). Lists are never changed in place
// (a change makes a new one), so copies of a case never share a list that
// changes under them.
#ifndef JSZB_LIB_MODEL_RUNNING_DEADLINES_H
#define JSZB_LIB_MODEL_RUNNING_DEADLINES_H

#include <cstddef>
#include <cstdint>

#include "base/arena.h"
#include "model/deadline.h"

namespace jszb::core {

class RunningDeadlines {
 public:
  // The deadline of step s: a stopped one (start 0) when its clock does not run.
  const Deadline& get(StepId s) const;

  // Applies an event's changes: each sets its step's clock, or stops it
  // (start 0). A list longer than kInline goes to `arena`, at most
  // kMaxArenaBytes for the whole call.
  void apply(DeadlineChanges changes, Arena& arena);
  static constexpr std::size_t kMaxArenaBytes =
      sizeof(DeadlineChange) * kSteps + alignof(DeadlineChange);

  // Takes `running` (running clocks, ordered by step, each step once) as the
  // whole list. A list longer than kInline is kept as a view: it must outlive
  // this (as the other views of a decoded case do).
  void assign_view(const DeadlineChange* running, std::size_t count);
  // The same list, a long one copied into `arena`.
  RunningDeadlines copied_to(Arena& arena) const;

  // The running clocks, ordered by step.
  const DeadlineChange* begin() const { return more_ != nullptr ? more_ : inline_; }
  const DeadlineChange* end() const { return begin() + count_; }
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

  friend bool operator==(const RunningDeadlines& a, const RunningDeadlines& b);

 private:
  static constexpr std::size_t kInline = 3;
  // Stores `sorted` (count of them): inline when it fits, else in `arena`.
  void store(const DeadlineChange* sorted, std::size_t count, Arena* arena);

  DeadlineChange inline_[kInline];
  const DeadlineChange* more_ = nullptr;  // the whole list, when longer than kInline
  std::uint8_t count_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_RUNNING_DEADLINES_H
