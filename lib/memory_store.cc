#include "memory_store.h"

namespace jszb::core {

absl::Status MemoryStore::append(const Event* events, std::size_t count) {
  // Reserve first, so that running out of memory leaves nothing half-appended.
  std::uint64_t needed_chunks = (size_ + count + kChunkSize - 1) >> kChunkBits;
  while (chunks_.size() < needed_chunks) chunks_.emplace_back(new Entry[kChunkSize]);
  chains_.reserve(chains_.size() + count);

  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t pos = size_++;
    Entry& entry = at(pos);
    entry.event = events[i];
    entry.next = 0;
    Chain& chain = chains_[events[i].case_id];
    if (chain.last != 0) {
      at(chain.last - 1).next = pos + 1;
    } else {
      chain.first = pos + 1;
    }
    chain.last = pos + 1;
  }
  return absl::OkStatus();
}

void MemoryStore::for_each_event(CaseId id,
                                 const std::function<void(const Event&)>& visit) const {
  auto it = chains_.find(id);
  if (it == chains_.end()) return;
  for (std::uint64_t pos = it->second.first; pos != 0; pos = at(pos - 1).next) {
    visit(at(pos - 1).event);
  }
}

void MemoryStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  for (std::uint64_t pos = 0; pos < size_; ++pos) visit(at(pos).event);
}

}  // namespace jszb::core
