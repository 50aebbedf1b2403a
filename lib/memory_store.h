// MemoryStore: the event log in memory, for tests, simulations and benchmarks.
// It keeps the events as given: their strings and lists must outlive it (the
// engine keeps them in its arena).
#ifndef JSZB_LIB_MEMORY_STORE_H
#define JSZB_LIB_MEMORY_STORE_H

#include "absl/container/flat_hash_map.h"
#include "chunked_vector.h"
#include "store.h"

namespace jszb::core {

class MemoryStore final : public Store {
 public:
  absl::Status append(const Event* events, std::size_t count) override;
  void for_each_event(CaseId id, const std::function<void(const Event&)>& visit) const override;
  void for_each_logged(const std::function<void(const Event&)>& visit) const override;
  std::uint64_t event_count() const override { return log_.size(); }

 private:
  struct Entry {
    Event event;
    std::uint64_t next = 0;  // position + 1 of the case's next event, 0: none yet
  };
  struct Chain {
    std::uint64_t first = 0;  // positions + 1
    std::uint64_t last = 0;
  };

  ChunkedVector<Entry> log_;  // appending never moves what is there
  absl::flat_hash_map<CaseId, Chain> chains_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MEMORY_STORE_H
