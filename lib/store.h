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

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arena.h"
#include "case.h"
#include "event.h"

namespace jszb::core {

struct CaseFilter {
  State state = State::kUnspecified;  // any
  UnitId unit = 0;                    // lead, copied or co-handling; 0: any
  CaseId after = 0;                   // ids greater than this
  std::size_t limit = 0;              // 0: no limit
};

// What one commit makes durable.
struct CommitBatch {
  const Event* events = nullptr;  // in order
  std::size_t event_count = 0;
  std::vector<const Case*> cases;  // the cases the events changed, as they now stand
};

class Store {
 public:
  virtual ~Store() = default;

  // Makes the batch durable, all or nothing. An error means nothing of it was
  // written.
  virtual absl::Status commit(const CommitBatch& batch) = 0;

  // Calls visit with each event of case `id`, oldest first. The event's views
  // are valid during the call.
  virtual absl::Status for_each_event(CaseId id,
                                      const std::function<void(const Event&)>& visit) const = 0;

  // Calls visit with every event, in the order they were committed.
  virtual absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const = 0;

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
  virtual absl::StatusOr<std::vector<CaseId>> list(const CaseFilter&) const {
    return std::vector<CaseId>();
  }
  // Whether a command with this client request id was committed already.
  virtual absl::StatusOr<bool> request_seen(std::string_view) const { return false; }
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_H
