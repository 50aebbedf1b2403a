// Batches: what one commit makes durable, acknowledgement only after the
// store took it, a failed commit undoes the batch in memory, and client
// request ids that make a retried command harmless.
#include <memory>
#include <string>
#include <vector>

#include "fixture.h"
#include "store/memory_store.h"

namespace jszb::testing {
namespace {

using core::Event;

// A MemoryStore whose commits can be made to fail, counting what it took.
class FlakyStore final : public core::Store {
 public:
  bool fail_next = false;
  int commits = 0;
  std::vector<std::size_t> batch_sizes;

  absl::Status commit(const core::CommitBatch& batch) override {
    if (fail_next) {
      fail_next = false;
      return absl::UnavailableError("disk full (simulated)");
    }
    ++commits;
    batch_sizes.push_back(batch.event_count);
    return inner_.commit(batch);
  }
  absl::Status for_each_event(CaseId id,
                              const std::function<void(const Event&)>& v) const override {
    return inner_.for_each_event(id, v);
  }
  absl::Status for_each_logged(const std::function<void(const Event&)>& v) const override {
    return inner_.for_each_logged(v);
  }
  std::uint64_t event_count() const override { return inner_.event_count(); }
  absl::StatusOr<core::CounterTotals> sum_counters(core::Bucket from,
                                                   core::Bucket until) const override {
    return inner_.sum_counters(from, until);
  }
  absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view id) const override {
    return inner_.request_fingerprint(id);
  }

 private:
  core::MemoryStore inner_;
};

struct Counting : core::Listener {
  std::vector<EventType> seen;
  void on_event(const Event& e) override { seen.push_back(e.type); }
};

struct Fixture {
  FlakyStore* store;
  Engine engine;
  Fixture() : Fixture(std::make_unique<FlakyStore>()) {}
  explicit Fixture(std::unique_ptr<FlakyStore> s) : store(s.get()), engine({}, std::move(s)) {}
};

TEST(EngineBatch, EachCallIsOneCommitWhenNoBatchIsOpen) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  must(f.engine, good_command(CommandKind::kDispatch, *f.engine.find(id), kT0 + kMinute));
  EXPECT_EQ(f.store->commits, 2);
  EXPECT_EQ(f.store->batch_sizes, (std::vector<std::size_t>{1, 1}));
}

TEST(EngineBatch, OneCommitForAllCallsBetweenBeginAndCommit) {
  Fixture f;
  Counting listener;
  ASSERT_TRUE(f.engine.add_listener(&listener).ok());
  ASSERT_TRUE(f.engine.begin().ok());
  EXPECT_TRUE(f.engine.in_batch());
  CaseId a = submit(f.engine, "a");
  CaseId b = submit(f.engine, "b");
  must(f.engine, good_command(CommandKind::kDispatch, *f.engine.find(a), kT0 + kMinute));
  EXPECT_EQ(f.store->commits, 0) << "nothing is committed before commit()";
  EXPECT_TRUE(listener.seen.empty()) << "listeners hear only of what is acknowledged";
  ASSERT_TRUE(f.engine.commit().ok());
  EXPECT_FALSE(f.engine.in_batch());
  EXPECT_EQ(f.store->batch_sizes, (std::vector<std::size_t>{3}));
  EXPECT_EQ(listener.seen, (std::vector<EventType>{EventType::kSubmitted, EventType::kSubmitted,
                                                   EventType::kDispatched}));
  EXPECT_EQ(f.engine.find(a)->state, State::kDispatched);
  EXPECT_EQ(f.engine.find(b)->state, State::kReceived);
}

TEST(EngineBatch, ARefusedCallInABatchLeavesTheOthers) {
  Fixture f;
  ASSERT_TRUE(f.engine.begin().ok());
  CaseId a = submit(f.engine, "a");
  Command bad = good_command(CommandKind::kSign, *f.engine.find(a), kT0 + kMinute);
  EXPECT_FALSE(f.engine.apply(bad).ok()) << "a received case cannot be signed for";
  ASSERT_TRUE(f.engine.commit().ok());
  EXPECT_EQ(f.store->batch_sizes, (std::vector<std::size_t>{1}));
  EXPECT_EQ(f.engine.find(a)->state, State::kReceived);
}

TEST(EngineBatch, AFailedCommitUndoesTheWholeBatch) {
  Fixture f;
  Counting listener;
  ASSERT_TRUE(f.engine.add_listener(&listener).ok());
  CaseId kept = submit(f.engine, "kept");
  listener.seen.clear();
  const core::Case before = *f.engine.find(kept);

  ASSERT_TRUE(f.engine.begin().ok());
  CaseId fresh = submit(f.engine, "fresh");
  must(f.engine, good_command(CommandKind::kDispatch, *f.engine.find(kept), kT0 + kMinute));
  f.store->fail_next = true;
  absl::Status s = f.engine.commit();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(f.engine.in_batch());
  EXPECT_TRUE(listener.seen.empty());
  EXPECT_EQ(f.engine.find(fresh), nullptr) << "the case made in the batch is gone";
  EXPECT_EQ(f.engine.find(kept)->state, State::kReceived);
  EXPECT_EQ(f.engine.find(kept)->event_count, before.event_count);
  EXPECT_EQ(f.engine.event_count(), 1u);
  EXPECT_EQ(f.engine.case_count(), 1u);
  // The counters counted the batch's submission and dispatch: not any more.
  absl::StatusOr<core::CounterTotals> counted = f.engine.counter_totals(
      core::bucket_start(core::bucket_of(kT0) - 2), core::bucket_start(core::bucket_of(kT0) + 4));
  ASSERT_TRUE(counted.ok());
  EXPECT_TRUE(counted->units.empty()) << "no dispatch was committed";
  std::int64_t received = 0;
  for (const core::VolumeTotal& v : counted->volumes) received += v.received;
  EXPECT_EQ(received, 3) << "one submission, counted along three dimensions";

  // The same request is welcome again, as a new case.
  absl::StatusOr<core::SubmitResult> again = f.engine.submit(request("fresh", kT0 + kHour));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->created);
}

TEST(EngineBatch, AFailedSingleCallChangesNothing) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  f.store->fail_next = true;
  absl::Status s =
      f.engine.apply(good_command(CommandKind::kDispatch, *f.engine.find(id), kT0 + kMinute));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(f.engine.find(id)->state, State::kReceived);
  EXPECT_EQ(f.engine.events(id).size(), 1u);
  must(f.engine, good_command(CommandKind::kDispatch, *f.engine.find(id), kT0 + kMinute));
}

TEST(EngineBatch, RollbackUndoesAndBeginTwiceIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.engine.begin().ok());
  EXPECT_EQ(f.engine.begin().code(), absl::StatusCode::kFailedPrecondition);
  CaseId a = submit(f.engine, "a");
  f.engine.rollback();
  EXPECT_EQ(f.engine.find(a), nullptr);
  EXPECT_EQ(f.store->commits, 0);
  EXPECT_EQ(f.engine.commit().code(), absl::StatusCode::kFailedPrecondition)
      << "no batch is open after a rollback";
}

Command dispatch_with_id(const Engine& e, CaseId id, const char* request_id) {
  Command c = good_command(CommandKind::kDispatch, *e.find(id), kT0 + kMinute);
  c.payload.request_id = request_id;
  return c;
}

TEST(EngineRequestId, ARetryIsAcceptedAndNotAppliedTwice) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  Command c = dispatch_with_id(f.engine, id, "client-7/42");
  must(f.engine, c);
  // The retry after a lost answer: a dispatched case cannot be dispatched
  // again, yet the retry is answered OK because it was applied already.
  must(f.engine, c);
  std::vector<core::Event> events = f.engine.events(id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].payload.request_id, "client-7/42") << "the id is recorded in the event";
  // Another id is another command, judged on its own.
  c.payload.request_id = "client-7/43";
  EXPECT_EQ(refusal(f.engine.apply(c)), Refusal::kState);
  Command sign = good_command(CommandKind::kSign, *f.engine.find(id), kT0 + 2 * kMinute);
  sign.payload.request_id = "client-7/44";
  must(f.engine, sign);
  EXPECT_EQ(f.engine.events(id).size(), 3u);
}

TEST(EngineRequestId, ARefusedCommandDoesNotSpendItsId) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  Command sign = good_command(CommandKind::kSign, *f.engine.find(id), kT0 + kMinute);
  sign.payload.request_id = "r1";
  EXPECT_FALSE(f.engine.apply(sign).ok());
  must(f.engine, dispatch_with_id(f.engine, id, "r1"));
  EXPECT_EQ(f.engine.events(id).size(), 2u);
}

TEST(EngineRequestId, AFailedCommitDoesNotSpendItsId) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  f.store->fail_next = true;
  EXPECT_FALSE(f.engine.apply(dispatch_with_id(f.engine, id, "r1")).ok());
  must(f.engine, dispatch_with_id(f.engine, id, "r1"));
  EXPECT_EQ(f.engine.events(id).size(), 2u);
}

TEST(EngineRequestId, TwiceInOneBatchIsAppliedOnce) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  ASSERT_TRUE(f.engine.begin().ok());
  must(f.engine, dispatch_with_id(f.engine, id, "r1"));
  must(f.engine, dispatch_with_id(f.engine, id, "r1"));
  ASSERT_TRUE(f.engine.commit().ok());
  EXPECT_EQ(f.engine.events(id).size(), 2u);
}

TEST(EngineRequestId, TheSameIdOnAnotherCommandIsAConflictThatChangesNothing) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  Command dispatch = dispatch_with_id(f.engine, id, "r1");
  must(f.engine, dispatch);
  // Any difference: the kind, the time, the actor, a payload field.
  Command sign = good_command(CommandKind::kSign, *f.engine.find(id), kT0 + 2 * kMinute);
  sign.payload.request_id = "r1";
  Command later = dispatch;
  later.time += 1;
  Command other_staff = dispatch;
  other_staff.actor.staff += 1;
  Command other_text = dispatch;
  other_text.payload.text = "另一条说明";
  for (const Command& c : {sign, later, other_staff, other_text}) {
    absl::Status s = f.engine.apply(c);
    EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
    EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("payload.request_id \"r1\""));
  }
  EXPECT_EQ(f.engine.events(id).size(), 2u);
  must(f.engine, dispatch);  // the exact retry still gets the original result
  EXPECT_EQ(f.engine.events(id).size(), 2u);
}

TEST(EngineRequestId, AConflictInsideABatchIsFoundBeforeTheCommit) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  ASSERT_TRUE(f.engine.begin().ok());
  must(f.engine, dispatch_with_id(f.engine, id, "r1"));
  Command sign = good_command(CommandKind::kSign, *f.engine.find(id), kT0 + 2 * kMinute);
  sign.payload.request_id = "r1";
  EXPECT_EQ(f.engine.apply(sign).code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(f.engine.commit().ok());
  EXPECT_EQ(f.engine.events(id).size(), 2u);
}

TEST(EngineRequestId, TooLongIsRefusedNamingTheField) {
  Fixture f;
  CaseId id = submit(f.engine, "a");
  std::string long_id(257, 'r');
  Command c = dispatch_with_id(f.engine, id, "");
  c.payload.request_id = long_id;
  absl::Status s = f.engine.apply(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("payload.request_id"));
  EXPECT_EQ(f.engine.events(id).size(), 1u);
}

}  // namespace
}  // namespace jszb::testing
