#include "model/running_deadlines.h"

#include <algorithm>

namespace jszb::core {

const Deadline& RunningDeadlines::get(StepId s) const {
  static const Deadline kStopped;
  for (const DeadlineChange& d : *this) {
    if (d.step == s) return d.deadline;
  }
  return kStopped;
}

void RunningDeadlines::apply(DeadlineChanges changes, Arena& arena) {
  if (changes.empty()) return;
  // The running clocks by step, changed, then gathered in step order.
  const DeadlineChange* by_step[kSteps + 1] = {};
  for (const DeadlineChange& d : *this) by_step[static_cast<int>(d.step)] = &d;
  for (const DeadlineChange& ch : changes) {
    by_step[static_cast<int>(ch.step)] = ch.deadline.running() ? &ch : nullptr;
  }
  DeadlineChange list[kSteps];
  std::size_t n = 0;
  for (const DeadlineChange* d : by_step) {
    if (d != nullptr) list[n++] = *d;
  }
  store(list, n, &arena);
}

void RunningDeadlines::assign_view(const DeadlineChange* running, std::size_t count) {
  if (count <= kInline) {
    std::copy(running, running + count, inline_);
    more_ = nullptr;
  } else {
    more_ = running;
  }
  count_ = static_cast<std::uint8_t>(count);
}

RunningDeadlines RunningDeadlines::copied_to(Arena& arena) const {
  RunningDeadlines copy;
  copy.store(begin(), count_, &arena);
  return copy;
}

void RunningDeadlines::store(const DeadlineChange* sorted, std::size_t count, Arena* arena) {
  if (count <= kInline) {
    std::copy(sorted, sorted + count, inline_);
    more_ = nullptr;
  } else {
    auto* block = static_cast<DeadlineChange*>(
        arena->allocate_bytes(sizeof(DeadlineChange) * count, alignof(DeadlineChange)));
    std::copy(sorted, sorted + count, block);
    more_ = block;
  }
  count_ = static_cast<std::uint8_t>(count);
}

bool operator==(const RunningDeadlines& a, const RunningDeadlines& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace jszb::core
