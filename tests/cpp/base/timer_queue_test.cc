// The timer queue: exact (due, slot) order, re-arming and cancelling anywhere in
// the heap, a long random run against a plain ordered-set model, sparse slots,
// memory linear in the number of timers, and std::bad_alloc changing nothing.
#include "base/timer_queue.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <new>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace jszb::testing {
namespace {

using core::TimerQueue;
using Timer = std::pair<TimeMs, std::uint32_t>;

constexpr TimeMs kT0 = 1632009600000;  // 2021-09-19 00:00 UTC
constexpr std::size_t kRegion = core::kRegionAlign;

std::vector<Timer> drain(TimerQueue& q) {
  std::vector<Timer> out;
  while (!q.empty()) out.push_back(q.pop());
  return out;
}

TEST(TimerQueue, StartsEmpty) {
  TimerQueue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.armed(0));
  EXPECT_FALSE(q.armed(std::numeric_limits<std::uint32_t>::max()));
  EXPECT_EQ(q.memory_bytes(), 0u);
}

TEST(TimerQueue, PopsByDueThenLowerSlot) {
  TimerQueue q;
  q.arm(7, kT0 + 300);
  q.arm(3, kT0 + 100);
  q.arm(9, kT0 + 100);
  q.arm(1, kT0 + 200);
  q.arm(0, kT0 + 300);
  q.arm(2, kT0 + 100);
  q.arm(5, kT0 - 50);  // already past: first
  EXPECT_EQ(q.size(), 7u);
  EXPECT_EQ(q.top(), Timer(kT0 - 50, 5));
  EXPECT_EQ(drain(q), (std::vector<Timer>{{kT0 - 50, 5},
                                          {kT0 + 100, 2},
                                          {kT0 + 100, 3},
                                          {kT0 + 100, 9},
                                          {kT0 + 200, 1},
                                          {kT0 + 300, 0},
                                          {kT0 + 300, 7}}));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.armed(5));
}

TEST(TimerQueue, TiesAcrossManyLevelsPopByLowerSlot) {
  // Enough entries at one instant for several heap levels, armed in a scrambled
  // order: they must still come out by slot.
  TimerQueue q;
  constexpr std::uint32_t kN = 1000;
  for (std::uint32_t i = 0; i < kN; ++i) q.arm((i * 389) % kN, kT0);
  q.arm(kN, kT0 - 1);
  EXPECT_EQ(q.pop(), Timer(kT0 - 1, kN));
  for (std::uint32_t s = 0; s < kN; ++s) ASSERT_EQ(q.pop(), Timer(kT0, s));
  EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, ExtremeInstants) {
  TimerQueue q;
  constexpr TimeMs kMin = std::numeric_limits<TimeMs>::min();
  constexpr TimeMs kMax = std::numeric_limits<TimeMs>::max();
  q.arm(1, kMax);
  q.arm(2, 0);
  q.arm(3, kMin);
  q.arm(4, -1);
  EXPECT_EQ(drain(q), (std::vector<Timer>{{kMin, 3}, {-1, 4}, {0, 2}, {kMax, 1}}));
}

TEST(TimerQueue, ReArmMovesTheTimer) {
  TimerQueue q;
  for (std::uint32_t s = 0; s < 100; ++s) q.arm(s, kT0 + 1000 * (s + 1));
  // Later: the first timer goes behind the others.
  q.arm(0, kT0 + 1000 * 500);
  EXPECT_EQ(q.size(), 100u);
  EXPECT_EQ(q.due(0), kT0 + 1000 * 500);
  EXPECT_EQ(q.top(), Timer(kT0 + 1000 * 2, 1));
  // Earlier: a timer from the middle comes first.
  q.arm(57, kT0);
  EXPECT_EQ(q.top(), Timer(kT0, 57));
  // To the same instant: no change.
  q.arm(57, kT0);
  EXPECT_EQ(q.size(), 100u);
  EXPECT_EQ(q.top(), Timer(kT0, 57));
  // Re-armed to tie with another: the lower slot first.
  q.arm(99, kT0);
  EXPECT_EQ(q.pop(), Timer(kT0, 57));
  EXPECT_EQ(q.pop(), Timer(kT0, 99));
  EXPECT_EQ(q.pop(), Timer(kT0 + 1000 * 2, 1));
  std::vector<Timer> rest = drain(q);
  ASSERT_EQ(rest.size(), 97u);
  EXPECT_EQ(rest.back(), Timer(kT0 + 1000 * 500, 0));
  for (std::size_t i = 1; i < rest.size(); ++i) EXPECT_LT(rest[i - 1], rest[i]);
}

TEST(TimerQueue, CancelTheTop) {
  TimerQueue q;
  for (std::uint32_t s = 0; s < 50; ++s) q.arm(s, kT0 + 10 * s);
  q.cancel(0);
  EXPECT_FALSE(q.armed(0));
  EXPECT_EQ(q.size(), 49u);
  EXPECT_EQ(q.top(), Timer(kT0 + 10, 1));
  q.cancel(1);
  EXPECT_EQ(q.top(), Timer(kT0 + 20, 2));
  std::vector<Timer> rest = drain(q);
  ASSERT_EQ(rest.size(), 48u);
  for (std::uint32_t i = 0; i < 48; ++i) EXPECT_EQ(rest[i], Timer(kT0 + 10 * (i + 2), i + 2));
}

TEST(TimerQueue, CancelInTheMiddle) {
  TimerQueue q;
  // Dues in scrambled order, so the cancelled entries sit at inner positions
  // and the entry moved into their place must go up as well as down.
  constexpr std::uint32_t kN = 500;
  for (std::uint32_t s = 0; s < kN; ++s) q.arm(s, kT0 + (s * 7919) % 1009);
  std::set<Timer> model;
  for (std::uint32_t s = 0; s < kN; ++s) model.insert({kT0 + (s * 7919) % 1009, s});
  for (std::uint32_t s = 3; s < kN; s += 5) {
    q.cancel(s);
    model.erase({kT0 + (s * 7919) % 1009, s});
    EXPECT_FALSE(q.armed(s));
    ASSERT_EQ(q.top(), *model.begin());
  }
  EXPECT_EQ(q.size(), model.size());
  EXPECT_EQ(drain(q), std::vector<Timer>(model.begin(), model.end()));
}

TEST(TimerQueue, CancelTheLastAndTheOnly) {
  TimerQueue q;
  q.arm(4, kT0 + 2);
  q.arm(5, kT0 + 1);
  q.cancel(4);  // the last entry of the heap
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.top(), Timer(kT0 + 1, 5));
  q.cancel(5);  // the only one
  EXPECT_TRUE(q.empty());
  q.arm(5, kT0 + 3);
  EXPECT_EQ(q.top(), Timer(kT0 + 3, 5));
}

TEST(TimerQueue, CancelOfAnAbsentSlotChangesNothing) {
  TimerQueue q;
  q.cancel(0);  // nothing ever armed
  q.cancel(4000000000u);
  EXPECT_TRUE(q.empty());
  q.arm(1, kT0);
  q.arm(2, kT0 + 1);
  q.cancel(3);            // a slot in the same table chunk, never armed
  q.cancel(3000000000u);  // a slot in no table chunk
  EXPECT_EQ(q.pop(), Timer(kT0, 1));
  q.cancel(1);  // fired already
  q.cancel(1);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.top(), Timer(kT0 + 1, 2));
  EXPECT_TRUE(q.armed(2));
  EXPECT_FALSE(q.armed(1));
}

TEST(TimerQueue, MatchesAnOrderedSetModel) {
  // 200k random operations; after each, the queue and a plain model agree on
  // size, top, and the touched slots. Few slots and narrow instants make re-arms
  // and ties common; a handful of far slots and extreme instants are mixed in.
  std::mt19937_64 rng(20241126);
  std::set<Timer> model;
  std::map<std::uint32_t, TimeMs> dues;
  TimerQueue q;

  const std::vector<std::uint32_t> far = {524288u, 1048575u, 2147483648u, 4294967294u, 4294967295u};
  auto random_slot = [&]() -> std::uint32_t {
    if (rng() % 50 == 0) return far[rng() % far.size()];
    return static_cast<std::uint32_t>(rng() % 3000);
  };
  auto random_due = [&]() -> TimeMs {
    switch (rng() % 10) {
      case 0:
        return std::numeric_limits<TimeMs>::min() + static_cast<TimeMs>(rng() % 3);
      case 1:
        return std::numeric_limits<TimeMs>::max() - static_cast<TimeMs>(rng() % 3);
      case 2:
      case 3:
      case 4:
        return kT0 + static_cast<TimeMs>(rng() % 16);  // ties
      default:
        return kT0 + static_cast<TimeMs>(rng() % (365LL * 86400000));
    }
  };
  auto check_slot = [&](std::uint32_t s) {
    auto it = dues.find(s);
    ASSERT_EQ(q.armed(s), it != dues.end()) << "slot " << s;
    if (it != dues.end()) {
      ASSERT_EQ(q.due(s), it->second) << "slot " << s;
    }
  };

  std::size_t pops = 0, cancels = 0, rearms = 0;
  for (int op = 0; op < 200000; ++op) {
    std::uint32_t touched = random_slot();
    std::uint64_t r = rng() % 100;
    if (r < 50) {  // arm or re-arm
      TimeMs d = random_due();
      auto it = dues.find(touched);
      if (it != dues.end()) {
        model.erase({it->second, touched});
        ++rearms;
      }
      dues[touched] = d;
      model.insert({d, touched});
      q.arm(touched, d);
    } else if (r < 70) {  // cancel, armed or not
      auto it = dues.find(touched);
      if (it != dues.end()) {
        model.erase({it->second, touched});
        dues.erase(it);
        ++cancels;
      }
      q.cancel(touched);
    } else if (!model.empty()) {  // fire
      Timer expected = *model.begin();
      model.erase(model.begin());
      dues.erase(expected.second);
      ASSERT_EQ(q.pop(), expected) << "op " << op;
      touched = expected.second;
      ++pops;
    }
    ASSERT_EQ(q.size(), model.size()) << "op " << op;
    ASSERT_EQ(q.empty(), model.empty()) << "op " << op;
    if (!model.empty()) {
      ASSERT_EQ(q.top(), *model.begin()) << "op " << op;
    }
    check_slot(touched);
    check_slot(random_slot());
    if (op % 20000 == 0) {
      for (std::uint32_t s = 0; s < 3000; ++s) check_slot(s);
      for (std::uint32_t s : far) check_slot(s);
    }
    if (HasFatalFailure()) return;
  }
  // The run did what it meant to.
  EXPECT_GT(pops, 20000u);
  EXPECT_GT(cancels, 10000u);
  EXPECT_GT(rearms, 20000u);
  EXPECT_EQ(drain(q), std::vector<Timer>(model.begin(), model.end()));
}

TEST(TimerQueue, MoveLeavesTheSourceEmpty) {
  TimerQueue a;
  a.arm(1, kT0 + 1);
  a.arm(2, kT0);
  TimerQueue b(std::move(a));
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.top(), Timer(kT0, 2));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): that is the point
  EXPECT_FALSE(a.armed(1));
  EXPECT_EQ(a.memory_bytes(), 0u);
  a.arm(3, kT0 + 5);  // and usable
  EXPECT_EQ(a.top(), Timer(kT0 + 5, 3));
  b = std::move(a);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.top(), Timer(kT0 + 5, 3));
  EXPECT_FALSE(b.armed(2));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(TimerQueue, SparseSlotsCostOnlyTheirChunks) {
  TimerQueue q;
  const std::uint32_t slots[] = {4294967295u, 4294967294u, 4000000000u, 2147483648u,
                                 524288u,     524287u,     0u};
  TimeMs d = kT0 + 100;
  for (std::uint32_t s : slots) q.arm(s, d--);
  EXPECT_EQ(q.size(), 7u);
  for (std::uint32_t s : slots) EXPECT_TRUE(q.armed(s)) << s;
  EXPECT_FALSE(q.armed(4294967293u));
  EXPECT_FALSE(q.armed(1));
  EXPECT_FALSE(q.armed(3000000000u));
  EXPECT_EQ(q.due(4294967295u), kT0 + 100);
  EXPECT_EQ(q.due(0), kT0 + 94);
  // Five table chunks (two pairs of slots share one) and one heap chunk, plus
  // the chunk lists (the table's reaches slot 2^32 - 1: 8192 pointers).
  EXPECT_GE(q.memory_bytes(), 6 * kRegion);
  EXPECT_LE(q.memory_bytes(), 6 * kRegion + 8192 * 8 * 2);
  EXPECT_EQ(drain(q), (std::vector<Timer>{{kT0 + 94, 0},
                                          {kT0 + 95, 524287u},
                                          {kT0 + 96, 524288u},
                                          {kT0 + 97, 2147483648u},
                                          {kT0 + 98, 4000000000u},
                                          {kT0 + 99, 4294967294u},
                                          {kT0 + 100, 4294967295u}}));
}

TEST(TimerQueue, MemoryIsLinearInTimers) {
  // 16 bytes a timer in the heap, 4 a slot in the table, each rounded up to
  // whole 2 MiB chunks; nothing is copied or doubled.
  TimerQueue q;
  std::uint32_t next = 0;
  std::mt19937_64 rng(7);
  constexpr std::size_t kM = std::size_t{1} << 20;
  for (std::size_t n : {kM, 2 * kM, 3 * kM, 4 * kM}) {
    while (next < n) q.arm(next++, kT0 + static_cast<TimeMs>(rng() % 1000000));
    ASSERT_EQ(q.size(), n);
    std::size_t bytes = q.memory_bytes();
    EXPECT_GE(bytes, 20 * n) << n;
    EXPECT_LE(bytes, 20 * n + 2 * kRegion + 4096) << n;
  }
  // Churn at the same size allocates nothing more.
  std::size_t bytes = q.memory_bytes();
  for (std::uint32_t i = 0; i < 100000; ++i) {
    auto [due, slot] = q.pop();
    q.arm(slot, due + 1000000);
    q.cancel(i * 61 % next);
    q.arm(i * 61 % next, kT0 + i);
  }
  EXPECT_EQ(q.size(), 4 * kM);
  EXPECT_EQ(q.memory_bytes(), bytes);
}

// Under sanitizers the allocator reports exhaustion itself instead of
// returning null, and address space is not what an address-space limit thinks.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define JSZB_TIMER_OOM_TEST 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define JSZB_TIMER_OOM_TEST 0
#endif
#endif
#ifndef JSZB_TIMER_OOM_TEST
#define JSZB_TIMER_OOM_TEST 1
#endif

// Arms slots from `slot_of(0)`, `slot_of(1)` ... with an address-space limit
// until an arm throws std::bad_alloc, then checks, with the limit lifted, that
// the queue holds exactly the timers armed before and still works. Runs in a
// child process (the limit is process-wide); exits 0 if all is well.
template <class SlotOf>
void arm_until_out_of_memory(SlotOf slot_of) {
  auto fail = [](const char* what, unsigned long long n) {
    std::fprintf(stderr, "%s (%llu)\n", what, n);
    std::_Exit(1);
  };
  auto due_of = [](std::uint32_t i) {
    return kT0 + static_cast<TimeMs>((i * 2654435761u) % 100000);
  };
  long pages = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr || std::fscanf(f, "%ld", &pages) != 1) fail("no /proc/self/statm", 0);
  std::fclose(f);

  TimerQueue q;
  rlimit old{};
  getrlimit(RLIMIT_AS, &old);
  rlimit lim = old;
  lim.rlim_cur = static_cast<rlim_t>(pages) * 4096 + (rlim_t{96} << 20);
  if (setrlimit(RLIMIT_AS, &lim) != 0) fail("setrlimit", 0);
  std::uint32_t n = 0;
  bool threw = false;
  try {
    for (; n < 100000000u; ++n) q.arm(slot_of(n), due_of(n));
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  setrlimit(RLIMIT_AS, &old);
  if (!threw) fail("no std::bad_alloc", n);
  if (n < 2) fail("failed too early to tell", n);

  if (q.size() != n) fail("size changed by the failed arm", q.size());
  if (q.armed(slot_of(n))) fail("the failed slot is armed", n);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!q.armed(slot_of(i)) || q.due(slot_of(i)) != due_of(i)) fail("timer lost", i);
  }
  // And it still works: the failed arm now succeeds, and all pop in order.
  q.arm(slot_of(n), due_of(n));
  Timer prev = q.pop();
  for (std::uint32_t i = 0; i < n; ++i) {
    Timer t = q.pop();
    if (!(prev < t)) fail("out of order", i);
    prev = t;
  }
  if (!q.empty()) fail("not empty", q.size());
  std::_Exit(0);
}

TEST(TimerQueueDeathTest, OutOfMemoryOnDenseSlotsChangesNothing) {
  if (!JSZB_TIMER_OOM_TEST) GTEST_SKIP() << "not under sanitizers";
  // Dense slots: mostly the heap needs a new chunk (4 times as often as the table).
  EXPECT_EXIT(arm_until_out_of_memory([](std::uint32_t i) { return i; }),
              ::testing::ExitedWithCode(0), "");
}

TEST(TimerQueueDeathTest, OutOfMemoryOnSparseSlotsChangesNothing) {
  if (!JSZB_TIMER_OOM_TEST) GTEST_SKIP() << "not under sanitizers";
  // Slots a table chunk apart: every arm needs a new table chunk.
  EXPECT_EXIT(arm_until_out_of_memory([](std::uint32_t i) { return i << 19; }),
              ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace jszb::testing
