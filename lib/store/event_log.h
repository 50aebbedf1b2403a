// EventLog: where the events go, the one role every store has. The engine
// applies a batch of commands in memory, then commits the batch's events (and
// the cases as they now stand, and what they changed in the counters) in one
// step; only then are the commands acknowledged and listeners told (DESIGN:
// append, then apply, then tell). A commit that fails leaves the log as it
// was, and the engine undoes the batch in memory.
#ifndef JSZB_LIB_STORE_EVENT_LOG_H
#define JSZB_LIB_STORE_EVENT_LOG_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lifecycle/counters.h"
#include "model/case.h"
#include "model/event.h"

namespace jszb::core {

// What one commit makes durable.
struct CommitBatch {
  const Event* events = nullptr;  // in order
  std::size_t event_count = 0;
  std::vector<const Case*> cases;      // the cases the events changed, as they now stand
  const Counters* counters = nullptr;  // what the events changed in the counters
  // The events' stored form, one per event, made by EventLog::encode() on the
  // engine's thread before a pipelined commit; nullptr: commit() encodes them.
  const std::string* encoded = nullptr;
  // Cases the engine lets go of once this commit is durable (finished ones):
  // a store that keeps pointers to cases writes these now and forgets them.
  std::vector<const Case*> released;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Makes the batch durable, all or nothing. An error means nothing of it was
  // written.
  virtual absl::Status commit(const CommitBatch& batch) = 0;
  // An explicit batch begins (its commit() or abort_batch() ends it): a log
  // may open its transaction now, so that the batch's reads share it.
  virtual absl::Status begin_batch() { return absl::OkStatus(); }
  // The batch is undone or had nothing to write.
  virtual void abort_batch() {}
  // From now on commit() may run on another thread (one at a time) while the
  // engine's thread applies the next batch and asks request_fingerprint()
  // and (CaseArchive) find_channel_ref() and load_case(): those then read
  // what is committed, never waiting for the commit under way. Every other
  // call still comes while no commit runs. Once on, it stays on.
  virtual absl::Status enable_concurrent_reads() { return absl::OkStatus(); }
  // The events' stored form, into `out` (one per event; empty: this log
  // encodes nothing ahead). Runs on the engine's thread while a commit may
  // run on another: a pipelined commit moves this work off the writer.
  virtual void encode(const Event* events, std::size_t count, std::vector<std::string>* out) const {
    (void)events;
    (void)count;
    out->clear();
  }

  // Calls visit with each event of case `id`, oldest first. The event's views
  // are valid during the call.
  virtual absl::Status for_each_event(CaseId id,
                                      const std::function<void(const Event&)>& visit) const = 0;
  // Calls visit with every event, in the order they were committed.
  virtual absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const = 0;
  // Events committed so far.
  virtual std::uint64_t event_count() const = 0;
  // A command with this client request id committed already: the fingerprint
  // of its event (request_fingerprint.h); kFingerprintGone when that event was
  // purged since; nullopt when the id was never used.
  virtual absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view request_id) const = 0;
  static constexpr std::uint64_t kFingerprintGone = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_EVENT_LOG_H
