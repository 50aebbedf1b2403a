// Store: where the event log lives. The engine applies a batch of commands in
// memory, then commits the batch's events (and the cases as they now stand) to
// the store in one step; only then are the commands acknowledged and listeners
// told (DESIGN.md principle 1). A commit that fails leaves the store as it was,
// and the engine undoes the batch in memory.
//
// MemoryStore keeps the log in memory; SqliteStore (sqlite_store.h) on disk,
// where it also keeps the cases the engine has not loaded and answers queries.
#ifndef JSZB_LIB_STORE_H
#define JSZB_LIB_STORE_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arena.h"
#include "case.h"
#include "counters.h"
#include "event.h"
#include "policy.h"

namespace jszb::core {

// Which cases a listing returns; every field set must match.
struct CaseFilter {
  State state = State::kUnspecified;  // any
  UnitId unit = 0;                    // lead, copied or co-handling; 0: any
  // Area by name, each level empty for any.
  std::string_view district;
  std::string_view street;
  std::string_view community;
  // Category path prefix: the leading levels given (empty: any).
  std::array<std::string_view, 3> category;
  // Received in [received_from, received_until); 0: unbounded.
  TimeMs received_from = 0;
  TimeMs received_until = 0;
  // The running reply deadline due in [due_from, due_until); 0: unbounded.
  // Setting either leaves out cases without a running reply deadline.
  TimeMs due_from = 0;
  TimeMs due_until = 0;
  CaseId after = 0;                   // ids greater than this
  std::size_t limit = 0;              // 0: no limit
};

// Whether a case matches the filter (as the store's query would have it).
bool matches(const CaseFilter& f, const Case& c);

// The policies a store has seen: their sources, and which one is current.
struct StoredPolicy {
  std::uint32_t version = 0;
  std::string file;
  std::string text;
  std::vector<std::pair<std::string, std::string>> named_files;
};
struct StoredPolicies {
  std::vector<StoredPolicy> policies;  // by version
  std::uint32_t current = 0;           // 0: none
};

// What one commit makes durable.
struct CommitBatch {
  const Event* events = nullptr;  // in order
  std::size_t event_count = 0;
  std::vector<const Case*> cases;  // the cases the events changed, as they now stand
  const Counters* counters = nullptr;  // what the events changed in the counters
};

class Store {
 public:
  virtual ~Store() = default;

  // Makes the batch durable, all or nothing. An error means nothing of it was
  // written.
  virtual absl::Status commit(const CommitBatch& batch) = 0;
  // An explicit batch begins (its commit() or abort_batch() ends it): a store
  // may open its transaction now, so that the batch's reads share it.
  virtual absl::Status begin_batch() { return absl::OkStatus(); }
  // The batch is undone or had nothing to write.
  virtual void abort_batch() {}

  // Calls visit with each event of case `id`, oldest first. The event's views
  // are valid during the call.
  virtual absl::Status for_each_event(CaseId id,
                                      const std::function<void(const Event&)>& visit) const = 0;

  // Calls visit with every event, in the order they were committed.
  virtual absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const = 0;

  // The counters summed over the buckets [from, until).
  virtual absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const = 0;

  // A store written before it kept counters: the engine recounts its log and
  // hands over the counters and every case (their credits) to keep.
  virtual bool counters_incomplete() const { return false; }
  // Whether purge() deleted cases: their counts stay in the counters, so a
  // recount of the log gives less.
  virtual bool has_purged() const { return false; }
  // Every counter by bucket, for a store that keeps them in memory.
  virtual const Counters* counters_in_memory() const { return nullptr; }
  virtual absl::Status rebuild_counters(const Counters&, const std::vector<const Case*>&) {
    return absl::OkStatus();
  }

  // Events committed so far.
  virtual std::uint64_t event_count() const = 0;

  // A durable store holds cases the engine does not keep in memory (closed
  // ones): it finds them, and answers listings over all of them. An in-memory
  // store holds nothing the engine does not have.
  virtual bool holds_cases() const { return false; }
  // The case with this id, its strings and lists copied into `arena`.
  virtual absl::StatusOr<std::optional<Case>> load_case(CaseId, Arena&) const {
    return std::nullopt;
  }
  virtual absl::StatusOr<std::optional<CaseId>> find_channel_ref(Channel, std::string_view) const {
    return std::nullopt;
  }
  // Ids of the matching cases, ascending, leaving out those `skip` says the
  // engine answers for (the cases it holds in memory).
  virtual absl::StatusOr<std::vector<CaseId>> list(
      const CaseFilter&, const std::function<bool(CaseId)>& /*skip*/) const {
    return std::vector<CaseId>();
  }
  // Whether a command with this client request id was committed already.
  virtual absl::StatusOr<bool> request_seen(std::string_view) const { return false; }

  // Opening a durable store. The engine loads the stored policies, then the
  // cases that are open (strings copied into `arena`), then replays the tail
  // of the log over them, telling the store which cases each replayed event
  // changed (their stored projections are behind the log).
  virtual absl::StatusOr<StoredPolicies> stored_policies() const { return StoredPolicies(); }
  virtual absl::Status for_each_open_case(Arena&,
                                          const std::function<absl::Status(const Case&)>&) const {
    return absl::OkStatus();
  }
  virtual absl::Status for_each_tail_event(const std::function<absl::Status(const Event&)>&) {
    return absl::OkStatus();
  }
  virtual void replayed(const Case&) {}
  // The highest case id the store has seen, 0: none.
  virtual CaseId max_case_id() const { return 0; }

  // Records a policy and makes it the current one.
  virtual absl::Status save_policy(const Policy&) { return absl::OkStatus(); }
  // Writes every projection that is behind the log, so that the stored cases
  // answer for themselves and reopening replays nothing.
  virtual absl::Status checkpoint() { return absl::OkStatus(); }
  // Deletes the citizen's personal data of a case (contact, address, content,
  // point) and records the erasure.
  virtual absl::Status erase_personal(CaseId, TimeMs) {
    return absl::UnimplementedError("this store keeps no personal data apart");
  }
  // Deletes closed cases (closed, merged, terminated, not dispatched, answered
  // on the spot) whose last event came before `before`, with their events;
  // returns their ids. Checkpoints first.
  virtual absl::StatusOr<std::vector<CaseId>> purge(TimeMs /*before*/) {
    return absl::UnimplementedError("an in-memory store keeps everything until it is dropped");
  }
  // Whether the stored projection of a case lags its log (the engine's copy is ahead).
  virtual bool is_behind(CaseId) const { return false; }
  // The stored projection of a case, bypassing any copy in memory (verify).
  virtual absl::StatusOr<std::optional<Case>> stored_case(CaseId, Arena&) const {
    return std::nullopt;
  }
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_H
