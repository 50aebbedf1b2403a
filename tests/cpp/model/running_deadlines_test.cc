// RunningDeadlines (lib/model/running_deadlines.h): a case keeps only the
// clocks that run, in step order, inline up to three and in the arena beyond,
// and a copy of a case never sees the changes made to the original.
#include "model/running_deadlines.h"

#include <gtest/gtest.h>

#include <vector>

#include "base/arena.h"

namespace jszb::core {
namespace {

Deadline running_since(TimeMs start) {
  Deadline d;
  d.start = start;
  d.due = start + 1000;
  d.base_due = d.due;
  return d;
}

std::vector<StepId> steps(const RunningDeadlines& r) {
  std::vector<StepId> out;
  for (const DeadlineChange& d : r) out.push_back(d.step);
  return out;
}

void apply(RunningDeadlines& r, std::vector<DeadlineChange> changes, Arena& arena) {
  r.apply({changes.data(), static_cast<std::uint32_t>(changes.size())}, arena);
}

TEST(RunningDeadlines, KeepsOnlyRunningClocksInStepOrder) {
  Arena arena;
  RunningDeadlines r;
  apply(r, {{StepId::kReply, running_since(3)}, {StepId::kSign, running_since(2)}}, arena);
  EXPECT_EQ(steps(r), (std::vector<StepId>{StepId::kSign, StepId::kReply}));
  EXPECT_EQ(r.get(StepId::kSign), running_since(2));
  EXPECT_FALSE(r.get(StepId::kDispatch).running());
  apply(r, {{StepId::kSign, Deadline{}}}, arena);  // stopped: left out
  EXPECT_EQ(steps(r), (std::vector<StepId>{StepId::kReply}));
  EXPECT_EQ(arena.bytes_used(), 0u) << "three or fewer clocks stay inline";
}

TEST(RunningDeadlines, MoreThanThreeGoToTheArenaAndCopiesStayApart) {
  Arena arena;
  RunningDeadlines r;
  apply(r,
        {{StepId::kSign, running_since(1)},
         {StepId::kFirstContact, running_since(2)},
         {StepId::kReply, running_since(3)},
         {StepId::kCoHandlerReport, running_since(4)},
         {StepId::kSupervision, running_since(5)}},
        arena);
  EXPECT_EQ(r.size(), 5u);
  EXPECT_GT(arena.bytes_used(), 0u);
  RunningDeadlines before = r;  // as a batch's undo record copies a case
  apply(r, {{StepId::kSupervision, Deadline{}}, {StepId::kReply, running_since(30)}}, arena);
  EXPECT_EQ(r.size(), 4u);
  EXPECT_EQ(r.get(StepId::kReply), running_since(30));
  EXPECT_EQ(before.size(), 5u);
  EXPECT_EQ(before.get(StepId::kReply), running_since(3)) << "the copy must not change";
  EXPECT_FALSE(before == r);
  Arena other;
  RunningDeadlines copied = r.copied_to(other);
  EXPECT_EQ(copied, r);
  EXPECT_NE(copied.begin(), r.begin());
  apply(r, {{StepId::kFirstContact, Deadline{}}, {StepId::kCoHandlerReport, Deadline{}}}, arena);
  EXPECT_EQ(steps(r), (std::vector<StepId>{StepId::kSign, StepId::kReply}));
}

}  // namespace
}  // namespace jszb::core
