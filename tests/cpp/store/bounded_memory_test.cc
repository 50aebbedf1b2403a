// Bounded memory with a durable store (engine_memory.cc): finished cases leave
// memory once their batch is committed and come back from the store on
// demand; slots are reused; the arena is compacted; nothing a caller can see
// changes (listings, counters, histories, idempotent submission, reopening).
#include <string>
#include <vector>

#include "engine/durable_engine.h"
#include "fixture.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

using core::Case;
using core::CaseFilter;
using core::CounterTotals;

core::EngineOptions small_arena() {
  core::EngineOptions o;
  o.arena_compact_floor = 64 * 1024;  // compact often, so that the test sees it
  return o;
}

core::DurableEngine open_small(const std::string& path) {
  core::SqliteStoreOptions normal;
  normal.synchronous_full = false;  // thousands of commits: no fsync each
  absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, normal, small_arena());
  EXPECT_TRUE(d.ok()) << d.status();
  if (!d.ok()) std::abort();
  return std::move(*d);
}

// Closes `count` cases and leaves every tenth one handling; the same on two
// engines gives the same counters.
std::vector<CaseId> work(Engine& e, int count, std::vector<CaseId>* open,
                         const std::string& prefix = "bm-") {
  std::vector<CaseId> closed;
  for (int i = 0; i < count; ++i) {
    std::string ref = prefix + std::to_string(i);
    if (i % 10 == 0) {
      open->push_back(case_in_state(e, State::kHandling, ref));
    } else {
      closed.push_back(case_in_state(e, State::kClosed, ref));
    }
  }
  return closed;
}

TEST(BoundedMemory, FinishedCasesLeaveMemoryAndComeBackOnDemand) {
  ScratchDir dir;
  std::string path = dir.file("bounded.jszb");
  core::DurableEngine d = open_small(path);
  ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
  std::vector<CaseId> open;
  std::vector<CaseId> closed = work(*d.engine, 600, &open);
  // The fixture fetched the last case after closing it: it stays in memory
  // until the next commit with events.
  EXPECT_EQ(d.engine->case_count(), open.size() + 1);
  open.push_back(case_in_state(*d.engine, State::kHandling, "bm-extra"));

  // In memory: the open cases only.
  EXPECT_EQ(d.engine->case_count(), open.size());
  EXPECT_EQ(d.engine->find(closed.front()), nullptr);
  for (CaseId id : open) ASSERT_NE(d.engine->find(id), nullptr);

  // A finished case comes back whole from the store.
  absl::StatusOr<const Case*> back = d.engine->fetch(closed[123]);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_NE(*back, nullptr);
  EXPECT_EQ((*back)->state, State::kClosed);
  EXPECT_EQ((*back)->intake->channel_ref, "bm-" + std::to_string(123 + 123 / 9 + 1));
  EXPECT_EQ(d.engine->case_count(), open.size() + 1);

  // Submitting a finished case's request again finds it (not in memory).
  absl::StatusOr<core::SubmitResult> again = d.engine->submit(request("bm-1"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, closed.front());

  // A command on a finished case loads it; once it finishes again it goes.
  const Case* c = nullptr;
  ASSERT_TRUE(d.engine->fetch(closed[5]).ok());
  c = d.engine->find(closed[5]);
  ASSERT_NE(c, nullptr);
  must(*d.engine, good_command(CommandKind::kReopen, *c, next_time(*d.engine, closed[5])));
  c = d.engine->find(closed[5]);
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(core::is_finished(c->state));
  EXPECT_EQ(d.engine->case_count(), open.size() + 1);  // closed[123] left with that commit

  // Listings see every case, in memory or not.
  absl::StatusOr<std::vector<CaseId>> all = d.engine->list(CaseFilter());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), open.size() + closed.size());
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(BoundedMemory, SlotsAreReusedAndTheArenaIsCompacted) {
  ScratchDir dir;
  core::DurableEngine d = open_small(dir.file("slots.jszb"));
  ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
  std::vector<CaseId> open;
  work(*d.engine, 300, &open);
  std::size_t reserved_early = d.engine->arena().bytes_reserved();
  work(*d.engine, 2000, &open, "more-");
  open.push_back(case_in_state(*d.engine, State::kHandling, "extra"));
  // Seven times the cases, a tenth of them open: the arena holds the open
  // ones and what came since its last compaction, not the history.
  EXPECT_LT(d.engine->arena().bytes_used(), 4 * 64 * 1024 + 2 * reserved_early);
  EXPECT_EQ(d.engine->case_count(), open.size());
  for (CaseId id : open) {
    const Case* c = d.engine->find(id);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->state, State::kHandling);
    EXPECT_EQ(c->intake->content, request("x").content);  // copied, not dangling
  }
}

TEST(BoundedMemory, CountersAndReopeningAgreeWithAnInMemoryEngine) {
  ScratchDir dir;
  std::string path = dir.file("agree.jszb");
  Engine memory;
  ASSERT_TRUE(memory.load_policy(core::Policy::beijing()).ok());
  std::vector<CaseId> open_m;
  work(memory, 800, &open_m);
  {
    core::DurableEngine d = open_small(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    std::vector<CaseId> open_d;
    work(*d.engine, 800, &open_d);
    EXPECT_EQ(open_d, open_m);
  }
  core::DurableEngine d = open_small(path);
  EXPECT_EQ(d.engine->case_count(), open_m.size());
  absl::StatusOr<CounterTotals> want =
      memory.counter_totals(kT0 - 4 * kHour, kT0 - 4 * kHour + 30 * kDay);
  absl::StatusOr<CounterTotals> got =
      d.engine->counter_totals(kT0 - 4 * kHour, kT0 - 4 * kHour + 30 * kDay);
  ASSERT_TRUE(want.ok() && got.ok());
  EXPECT_EQ(got->units, want->units);
  for (CaseId id : {CaseId{2}, CaseId{555}, CaseId{799}}) {
    EXPECT_EQ(d.engine->events(id).size(), memory.events(id).size()) << id;
    absl::StatusOr<const Case*> c = d.engine->fetch(id);
    ASSERT_TRUE(c.ok() && *c != nullptr);
    EXPECT_TRUE(**c == *memory.find(id)) << id;
  }
}

}  // namespace
}  // namespace jszb::testing
