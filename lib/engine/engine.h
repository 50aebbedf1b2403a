// Engine: runs cases through their lifecycle. A command is validated, decided by
// the lifecycle, turned into an event, appended to the store, applied to the
// case, and told to listeners, in that order; a refused command changes nothing.
// Time is an input: every command carries its instant.
//
// Not thread-safe: one thread at a time.
#ifndef JSZB_LIB_ENGINE_ENGINE_H
#define JSZB_LIB_ENGINE_ENGINE_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/arena.h"
#include "base/chunked_vector.h"
#include "base/id_index.h"
#include "base/progress.h"
#include "base/timer_queue.h"
#include "engine/commit_writer.h"
#include "engine/engine_metrics.h"
#include "lifecycle/counters.h"
#include "lifecycle/lifecycle.h"
#include "model/case.h"
#include "model/channel_key.h"
#include "model/command.h"
#include "model/event.h"
#include "model/intake.h"
#include "policy/policy.h"
#include "policy/router.h"
#include "store/case_archive.h"
#include "store/recovery.h"
#include "store/store.h"
#include "store/store_stats.h"
#include "store/theme_store.h"

namespace jszb::core {

struct EngineOptions {
  // Approved extensions per handling cycle, or per dispatch (the policy's
  // extension_allowance).
  std::uint32_t max_extensions = 1;
  // With a durable store: the arena is compacted once it holds more than
  // this and more than twice what the cases in memory need (engine_memory.cc).
  std::size_t arena_compact_floor = std::size_t{64} << 20;
};

// Told every event, in order, after it is applied. Must not change the engine.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual void on_event(const Event& event) = 0;
};

struct SubmitResult {
  CaseId id = 0;
  bool created = false;  // false: (channel, channel_ref) was known already
};

// A deadline of a case as it stands at some instant.
struct DeadlineStatus {
  StepId step = StepId::kNone;
  Deadline deadline;
  TimeMs used = 0;  // of the allowed time, in the deadline's clock, pauses excluded
  TimeMs left = 0;  // until due, in its clock; negative when overdue
  bool overdue = false;
  bool paused = false;  // the case is suspended
};

// What verify() found.
struct VerifyReport {
  std::uint64_t events = 0;           // replayed from the log
  std::uint64_t cases = 0;            // compared
  std::uint64_t mismatches = 0;       // cases (or log events) that disagree
  std::vector<std::string> problems;  // the first few, in words
  bool ok() const { return mismatches == 0; }
};

class Engine {
 public:
  // store: where events go; nullptr for a MemoryStore.
  explicit Engine(EngineOptions options = {}, std::unique_ptr<Store> store = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ==== Commands (engine_commands.cc): everything that changes a case.

  // Records a request; idempotent on (channel, channel_ref).
  absl::StatusOr<SubmitResult> submit(const Intake& intake);

  // Applies one command to its case.
  absl::Status apply(const Command& cmd);

  // Applies a recorded event as it stands (rebuilding from a log, moving a case
  // between engines). It must be its case's next event and the lifecycle must
  // agree with the state it records.
  absl::Status replay(const Event& event);

  // Routing. The router decides; nullptr: the dispatch catalogue of the
  // case's policy. Not owned.
  void set_router(Router* router) { router_ = router; }
  absl::StatusOr<RouteDecision> route(CaseId id);
  // The catalogue's verdict on every rule (needs a policy).
  absl::StatusOr<std::vector<RuleVerdict>> explain(CaseId id) const;
  // Routes the case and applies what the router decided (dispatch, district
  // coordinates or not dispatched), recording the rule in the event.
  absl::Status dispatch_routed(CaseId id, TimeMs time, Actor actor);

  // ==== Batches (engine_batches.cc).

  // Batches. Every call that changes the engine is one batch: its events are
  // committed to the store together, then acknowledged (the call returns OK)
  // and told to listeners. Between begin() and commit(), calls join one batch
  // instead, and commit() makes them durable together (group commit); each
  // call still answers at once whether its command was accepted, but nothing
  // is acknowledged before commit() returns OK. A failed commit, or rollback(),
  // undoes the whole batch in memory.
  absl::Status begin();
  absl::Status commit();
  void rollback();
  bool in_batch() const { return batch_.explicit_; }

  // ==== The pipelined commit (engine_pipeline.cc).

  // Ends the batch begin() opened and hands it to the engine's writer thread
  // (started on first use), which commits it while the caller builds the next
  // batch; returns its ticket (1, 2, ...: in the order of the batches). At
  // most one batch commits at a time: commit_async first waits for the one
  // before. Its commands are acknowledged only once wait(ticket) returns OK
  // (or poll() has passed it); listeners hear of its events then, on the
  // caller's thread, inside wait(), poll() or the next call that waits for the
  // writer. A batch that fails to commit is undone in memory with the batch
  // applied on top of it: wait(ticket) returns the store's error, and so does
  // that batch's commit_async() or commit() (or any call in it). Every other
  // call that changes the engine outside a batch (and commit(), checkpoint(),
  // close) first waits for the writer, so the synchronous calls behave as
  // before. A listener told of batch n may find the engine already showing
  // batch n+1 applied.
  absl::StatusOr<std::uint64_t> commit_async();
  // Waits until batch `ticket` is durable (OK, its events told to listeners)
  // or failed (its error).
  absl::Status wait(std::uint64_t ticket);
  // Without waiting: takes the outcome of the batch under way if it has one,
  // and returns the highest ticket with an outcome (wait() on it or any
  // before returns at once); 0 before the first.
  std::uint64_t poll();
  // Waits for the batch under way, if any, and takes its outcome as wait()
  // does. A caller whose listeners go away before the engine calls it first.
  void drain() {
    if (!notifying_) absorb(true);
  }

  // ==== Time (engine_timers.cc).

  // Fires every escalation mark due at or before `now`, in time order (ties by
  // case). Marks of a case also fire before any command on that case.
  absl::Status advance(TimeMs now);
  std::size_t timers_pending() const { return timers_.size(); }

  // ==== Queries (engine_queries.cc): reading cases, events and counters.

  // The case in memory, or nullptr. The pointer (and the strings it points
  // to) stays valid until the next call that changes the engine: with a
  // durable store, a committed batch lets finished cases go and their slots
  // are reused, and the engine's arena may be compacted (see "Bounded
  // memory" below). Copy what must last longer (the C API's snapshots do).
  const Case* find(CaseId id) const;
  // The case, loading it from the store if need be (a durable store keeps
  // finished cases on disk only); nullptr if there is none. Valid as find()'s.
  absl::StatusOr<const Case*> fetch(CaseId id);

  // Calls visit with the intake of each case in `ids` (those that exist),
  // without keeping in memory the cases it loads from a durable store: a
  // scan over months of requests (a theme's, report/themes.h) must not grow
  // the engine. The intake is valid during the call.
  absl::Status for_each_intake(const std::vector<CaseId>& ids,
                               const std::function<void(CaseId, const Intake&)>& visit) const;

  // The same with the whole case (its projection, valid during the call):
  // an export streams a year of cases through this without growing memory.
  absl::Status for_each_case(const std::vector<CaseId>& ids,
                             const std::function<void(const Case&)>& visit) const;

  // Calls visit with each event of the case, oldest first.
  absl::Status for_each_event(CaseId id, const std::function<void(const Event&)>& visit) const;
  // The same as a list, for tests and small cases: views valid for the
  // engine's lifetime (with a durable store, copies kept until then).
  std::vector<Event> events(CaseId id) const;
  // Calls visit with every event of every case, in the order they happened.
  absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const;

  // The report counters summed over `period`, whose ends must fall on
  // half-day edges in China time (counters.h).
  absl::StatusOr<CounterTotals> counter_totals(TimeMs from, TimeMs until) const;

  // Ids of matching cases, ascending (from the store when it holds cases).
  absl::StatusOr<std::vector<CaseId>> list(const CaseFilter& filter) const;

  // The store's themes (report/themes.h changes them); nullptr for a store
  // without that role. The store is idle when this returns (a pipelined
  // commit under way finished): use it at once, not across commit_async().
  ThemeStore* theme_store() const {
    settle();
    return dynamic_cast<ThemeStore*>(store_.get());
  }

  // Takes a finished case out of memory for good, when its store keeps no
  // cases (a durable engine lets them go by itself): a what-if replay
  // (what_if.h) lets go of a case once its history has ended. False, and
  // nothing changes, while the case is open or has a mark armed. Outside a
  // batch only.
  absl::StatusOr<bool> let_go(CaseId id);

  // Cases in memory: every case with an in-memory store; with a durable
  // store, the open ones and those loaded since the last commit.
  std::size_t case_count() const { return case_count_; }
  // Cases the engine answers for: with a durable store, those it holds
  // (committed), in memory or not; in memory, case_count().
  absl::StatusOr<std::uint64_t> stored_case_count() const;
  // What an operator graphs (engine_metrics.h); open cases and pending
  // timers are counted when asked (open_cases() walks the cases in memory).
  const EngineCounts& counts() const { return counts_; }
  const CommitLatency& commit_latency() const { return commit_latency_; }
  std::size_t open_cases() const;
  // Cases by state and events as held in memory, for an engine without a
  // durable store (SqliteStore::stats() answers for one with).
  StoreStats memory_stats() const;
  // Events committed so far (a pipelined batch counts once durable).
  std::uint64_t event_count() const { return store_->event_count(); }
  const Arena& arena() const { return arena_; }
  const EngineOptions& options() const { return options_; }
  // True while listeners are being told about an event, or a plugged-in router
  // decides: callbacks may read the engine, not change it.
  bool busy() const { return notifying_ || routing_; }

  // The running deadlines of a case at `now`.
  absl::StatusOr<std::vector<DeadlineStatus>> deadlines(CaseId id, TimeMs now) const;

  // ==== Policies and listeners (engine.cc).

  // Policies. The current one times and routes new cases; a case keeps the
  // version it was received under, so every version in use stays loaded. A
  // version number names one policy: loading a different policy under a
  // number already loaded is refused.
  absl::Status load_policy(std::shared_ptr<const Policy> policy);
  const Policy* policy() const { return current_.get(); }
  const Policy* policy(std::uint32_t version) const;
  // Moves open cases to policy `version` (loaded already), which carries the
  // official schedule of a year their deadlines were estimated on: every case
  // in memory that is not finished, runs under another version and has a
  // running estimated deadline gets a kReplanned event at `now` (or its last
  // event's time, if later), after its marks due by then have fired. The
  // event re-plans those deadlines from their start under `version`; a mark
  // whose new instant is past counts as fired, nothing fires. Other cases keep
  // their version. One batch: if one case cannot be re-planned, nothing
  // changes. Returns how many cases moved. (With a durable store the open
  // cases are the ones in memory.)
  absl::StatusOr<std::size_t> adopt_schedule(std::uint32_t version, TimeMs now);

  // Listeners are not owned; remove one before destroying it. Neither call may
  // come from inside a listener.
  absl::StatusOr<std::uint64_t> add_listener(Listener* listener);
  absl::Status remove_listener(std::uint64_t id);

  // ==== A durable store (engine_durability.cc); an in-memory engine has
  // nothing to recover, checkpoint or purge.

  // Durable stores. recover() rebuilds a fresh engine from its store: the
  // policies it ran under, the open cases, then the tail of the log past the
  // last checkpoint; escalation timers are armed again from the cases.
  absl::Status recover();
  // Writes every case projection the store keeps behind the log (the engine
  // does it when it is destroyed, too).
  absl::Status checkpoint();
  // Erases the citizen's personal data of a case (contact, address, content,
  // point); the case stays, anonymised, in listings and statistics.
  absl::Status erase_personal(CaseId id, TimeMs time);
  // Deletes finished cases whose last event came before `before`, with their
  // events; returns how many.
  absl::StatusOr<std::size_t> purge(TimeMs before);
  // Replays the whole log into a fresh engine and compares every case with
  // the stored projection and with this engine's copy. progress hears of the
  // stages "replay" (events) and "compare" (cases), and may stop it.
  absl::StatusOr<VerifyReport> verify(const ProgressFn& progress = nullptr);

  // Where a case's request is counted: the district and street the policy it
  // was received under resolves it to (by names or map point); empty when
  // that policy places it nowhere.
  CountedPlace counted_place(const Case& c) const;

 private:
  struct Batch;  // below

  // The case, loaded from the store if need be; nullptr if there is none.
  absl::StatusOr<Case*> find_mutable(CaseId id);
  // Puts a case (new, loaded or recovered) in memory.
  Case& adopt(const Case& c);
  // Takes a case out of memory; its slot goes to the free list.
  void drop(std::uint32_t pos);
  // Refuses inside a batch or a callback; then waits for a pipelined commit
  // under way (drain()).
  absl::Status check_no_batch(const char* call);
  // Bounded memory (a durable store only). The cases a committed batch may
  // let go: finished, no mark armed, touched by the batch or loaded since the
  // last commit. The store writes their projections in the same commit, so
  // it keeps no pointer to them, and the engine drops them once it is durable.
  void collect_released(std::vector<const Case*>& out) const;
  // Copies the cases in memory into a fresh arena and frees the old one when
  // the arena holds more than twice what they need (and more than
  // options_.arena_compact_floor): each compaction copies what the last one kept at most
  // once per as many bytes allocated since, so O(1) amortised per byte. Only
  // between batches: no event of a batch, and no view handed out, is kept.
  void maybe_reclaim_arena();
  absl::Status load_stored_policies();
  // A store from before the counters: recount its log, give the counters and
  // every case (with its credit) to the store, and take the credits.
  absl::Status rebuild_counters();
  absl::Status check_not_busy() const;
  // Runs one changing call as a batch of its own, unless an explicit batch
  // is open. Effects that happened before a failure (escalations that came
  // due) are committed all the same.
  template <class Body>
  auto as_batch(Body&& body) -> decltype(body());
  void start_batch();
  void reset_batch();
  absl::Status finish_batch();
  void undo_batch();
  // Puts back the cases `b` changed and the ids it gave out.
  void undo_changes(const Batch& b);
  // The pipeline (engine_pipeline.cc). settle(): waits until the writer is
  // idle, so that the store may be read on this thread; the outcome stays
  // to be taken. absorb(): takes the outcome of the batch under way
  // (waiting for it, with `block`) and tells its listeners, or undoes it
  // with the open batch on top of it.
  void settle() const;
  void absorb(bool block);
  // Takes the writer's outcome; returns the events to tell (none if failed).
  std::vector<Event> take_in_flight();
  // The shared path of apply() and replay(): `recorded` is the event being
  // replayed, nullptr for a live command. `engine_made`: the engine's own
  // command (routed dispatch, automatic return), which may name a rule.
  absl::Status run(const Command& cmd, const Event* recorded, bool engine_made = false);
  // What the lifecycle needs from the case's policy (the lead unit's district).
  Facts facts_for(const Case& c, const Command& cmd, const Event* recorded) const;
  absl::Status check_not_community(const Case& c, const Command& cmd) const;
  // True when cmd repeats a committed command with its request id (apply it
  // no more); AlreadyExists when that id came with another command.
  absl::StatusOr<bool> is_retry(const Command& cmd) const;
  // A live command may only send work to units the case's policy has.
  absl::Status check_units_known(const Case& c, const Command& cmd) const;
  absl::Status create(Event& submitted, const Event* recorded);
  // Plans the event's deadlines (or takes the recorded ones), applies it to
  // the case and re-arms its timer; the batch keeps the event for the store.
  absl::Status record(Case& c, Event& e, const Event* recorded);
  void notify(const Event& e);

  struct NextMark {
    TimeMs at = 0;
    StepId step = StepId::kNone;
    std::uint8_t index = 0;
    const Mark* mark = nullptr;
  };
  const Policy* policy_of(const Case& c) const;
  std::optional<NextMark> next_mark(const Case& c) const;
  void rearm(const Case& c);
  // Fires the case's marks due at or before `upto`.
  absl::Status catch_up(Case& c, TimeMs upto);
  absl::Status fire(Case& c, const NextMark& m);
  absl::Status replay_one(const Event& recorded);
  absl::Status replay_timer_event(const Event& recorded);
  // Art. 23: the result an expired order gets when neither a reply nor a
  // visit came within the window after its reply deadline (the policy says
  // what it counts as); and the same result replayed from a log.
  absl::Status record_expiry_result(Case& c, TimeMs time);
  absl::Status replay_expiry_result(const Event& recorded);
  // adopt_schedule() for one case, and its event replayed from a log.
  absl::StatusOr<bool> replan(Case& c, std::uint32_t version, TimeMs now);
  absl::Status replay_replanned(const Event& recorded);
  absl::Status advance_timers(TimeMs now);
  absl::Status dispatch_routed_now(CaseId id, TimeMs time, Actor actor);

  EngineOptions options_;
  Arena arena_;  // declared before the store: the store keeps views into it
  std::unique_ptr<Store> store_;
  // The store's roles beyond the log and its counters: nullptr for a store in
  // memory, which holds nothing the engine does not have.
  CaseArchive* archive_;
  Recovery* recovery_;
  Lifecycle lifecycle_;

  ChunkedVector<Case> cases_;              // never moves; slots of dropped cases are reused
  IdIndex<std::uint32_t> index_;           // id -> position in cases_
  bool ids_ascending_ = true;              // cases_ is sorted by id
  std::vector<std::uint32_t> free_slots_;  // empty positions in cases_
  std::vector<std::uint32_t> loaded_;  // positions loaded from the archive since the last commit
  std::size_t arena_kept_ = 0;         // bytes the last compaction kept
  bool compactable_;  // the store keeps no views into arena_ (an in-memory log does)
  absl::flat_hash_map<ChannelKey, CaseId> by_channel_ref_;
  CaseId next_id_ = 1;

  absl::flat_hash_map<std::uint32_t, std::shared_ptr<const Policy>> policies_;
  std::shared_ptr<const Policy> current_;
  Router* router_ = nullptr;
  TimerQueue timers_;  // per case position: the instant of its next escalation mark

  // The batch being built: the events to commit, the cases as they were before
  // the batch changed them (to undo it), the cases it created.
  struct Batch {
    bool explicit_ = false;  // begin() was called: commit() ends it
    bool open = false;
    std::vector<Event> events;
    std::vector<std::pair<std::uint32_t, Case>> before;  // position, case before the batch
    absl::flat_hash_map<std::uint32_t, bool> touched;    // position -> created by the batch
    CaseId next_id = 0;
    // Client request ids used in the batch, with their commands' fingerprints.
    std::vector<std::pair<std::string, std::uint64_t>> requests;
    Counters counters;         // what the batch's events changed
    bool holds_store = false;  // begin() opened the store's transaction for it
  };
  Batch batch_;
  // Kept between batches for their memory: the cases a commit hands the
  // store, and the events being told to listeners.
  std::vector<const Case*> commit_cases_;
  std::vector<Event> acknowledged_;
  // A pipelined batch handed to the writer: the batch as it was built (to
  // undo it if it fails) and the copies of its cases the writer reads.
  struct InFlight {
    std::uint64_t ticket = 0;
    Batch batch;
    std::vector<Case> cases;
    std::vector<std::string> encoded;  // the events' stored form, made on this thread
    CommitBatch out;
  };
  CommitLatency commit_latency_;          // before writer_, which writes it until it stops
  std::unique_ptr<CommitWriter> writer_;  // started by the first commit_async()
  std::unique_ptr<InFlight> in_flight_;   // handed to writer_, outcome not yet taken
  std::uint64_t last_ticket_ = 0;
  absl::flat_hash_map<std::uint64_t, absl::Status> failed_tickets_;
  // The open batch was undone because the batch under it failed: every call
  // in it returns this until it is committed or rolled back.
  absl::Status undone_;
  std::size_t case_count_ = 0;
  EngineCounts counts_;

  std::vector<std::pair<std::uint64_t, Listener*>> listeners_;
  std::uint64_t next_listener_id_ = 1;
  bool notifying_ = false;
  bool routing_ = false;
  bool recovering_ = false;       // policies loaded from the store are not saved again
  mutable Arena history_copies_;  // events() with a durable store
};

// Defined here because the calls of every concern (engine_*.cc) use it.
template <class Body>
auto Engine::as_batch(Body&& body) -> decltype(body()) {
  if (batch_.open) {
    if (!undone_.ok()) return undone_;
    return body();  // an explicit batch: its commit() decides
  }
  drain();  // a pipelined commit under way comes first
  start_batch();
  auto result = body();
  absl::Status committed = finish_batch();
  if (!committed.ok()) return committed;
  return result;
}

}  // namespace jszb::core

#endif  // JSZB_LIB_ENGINE_ENGINE_H
