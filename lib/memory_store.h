// MemoryStore: the event log in memory, for tests, simulations and benchmarks.
// It keeps the events as given: their strings and lists must outlive it (the
// engine keeps them in its arena).
#ifndef JSZB_LIB_MEMORY_STORE_H
#define JSZB_LIB_MEMORY_STORE_H

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "store.h"

namespace jszb::core {

class MemoryStore final : public Store {
 public:
  absl::Status append(const Event* events, std::size_t count) override;
  void for_each_event(CaseId id, const std::function<void(const Event&)>& visit) const override;
  void for_each_logged(const std::function<void(const Event&)>& visit) const override;
  std::uint64_t event_count() const override { return size_; }

 private:
  // The log grows in fixed chunks: appending never moves what is there.
  static constexpr std::uint64_t kChunkBits = 12;
  static constexpr std::uint64_t kChunkSize = std::uint64_t{1} << kChunkBits;

  struct Entry {
    Event event;
    std::uint64_t next = 0;  // position + 1 of the case's next event, 0: none yet
  };
  struct Chain {
    std::uint64_t first = 0;  // positions + 1
    std::uint64_t last = 0;
  };

  Entry& at(std::uint64_t pos) { return chunks_[pos >> kChunkBits][pos & (kChunkSize - 1)]; }
  const Entry& at(std::uint64_t pos) const {
    return chunks_[pos >> kChunkBits][pos & (kChunkSize - 1)];
  }

  std::vector<std::unique_ptr<Entry[]>> chunks_;
  std::uint64_t size_ = 0;
  absl::flat_hash_map<CaseId, Chain> chains_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_MEMORY_STORE_H
