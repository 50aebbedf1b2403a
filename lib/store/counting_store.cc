// CountingStore: the counters of committed batches, their strings copied once.
#include "store/counting_store.h"

namespace jszb::core {

std::string_view CountingStore::intern(std::string_view s) {
  if (s.empty()) return {};
  auto it = interned_.find(s);
  if (it != interned_.end()) return *it;
  std::string_view copy = strings_.copy(s);
  interned_.insert(copy);
  return copy;
}

absl::Status CountingStore::commit(const CommitBatch& batch) {
  events_ += batch.event_count;
  if (batch.counters == nullptr) return absl::OkStatus();
  for (const auto& [key, tally] : batch.counters->units) counters_.units[key].add(tally);
  for (const auto& [key, n] : batch.counters->volumes) {
    // The batch's keys view the engine's memory, which it may free later.
    VolumeKey own = key;
    own.district = intern(key.district);
    for (std::string_view& p : own.path) p = intern(p);
    counters_.volumes[own] += n;
  }
  return absl::OkStatus();
}

absl::Status CountingStore::for_each_event(CaseId, const std::function<void(const Event&)>&) const {
  return absl::FailedPreconditionError(
      "this engine keeps counters only (a what-if replay): it has no case histories");
}

absl::Status CountingStore::for_each_logged(const std::function<void(const Event&)>&) const {
  return absl::FailedPreconditionError(
      "this engine keeps counters only (a what-if replay): it has no log");
}

}  // namespace jszb::core
