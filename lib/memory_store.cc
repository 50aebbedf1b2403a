#include "memory_store.h"

namespace jszb::core {

absl::Status MemoryStore::append(const Event* events, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    // What may throw comes first, so that a failure leaves this event out whole.
    Chain& chain = chains_[events[i].case_id];
    log_.reserve_one();
    std::uint64_t pos = log_.size();
    log_.push_back(Entry{events[i], 0});
    if (chain.last != 0) {
      log_[chain.last - 1].next = pos + 1;
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
  for (std::uint64_t pos = it->second.first; pos != 0; pos = log_[pos - 1].next) {
    visit(log_[pos - 1].event);
  }
}

void MemoryStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  for (std::uint64_t pos = 0; pos < log_.size(); ++pos) visit(log_[pos].event);
}

}  // namespace jszb::core
