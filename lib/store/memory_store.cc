#include "store/memory_store.h"

#include <algorithm>
#include <utility>

#include "model/request_fingerprint.h"

namespace jszb::core {

absl::Status MemoryStore::commit(const CommitBatch& batch) {
  const Event* events = batch.events;
  for (std::size_t i = 0; i < batch.event_count; ++i) {
    // What may throw comes first, so that a failure leaves this event out whole.
    Chain& chain = chains_[events[i].case_id];
    log_.reserve_one();
    if (!events[i].payload.request_id.empty()) {
      requests_.emplace(events[i].payload.request_id, core::request_fingerprint(events[i]));
    }
    PackedLog::Position pos = log_.append(events[i]);
    if (chain.last != PackedLog::kNone) {
      log_.set_next(chain.last, pos);
    } else {
      chain.first = pos;
    }
    chain.last = pos;
  }
  if (batch.counters != nullptr) counters_.add(*batch.counters);
  return absl::OkStatus();
}

absl::Status MemoryStore::for_each_event(CaseId id,
                                         const std::function<void(const Event&)>& visit) const {
  const Chain* chain = chains_.find(id);
  if (chain == nullptr) return absl::OkStatus();
  for (PackedLog::Position pos = chain->first; pos != PackedLog::kNone;) {
    visit(log_.read(pos, &pos));
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  log_.for_each(visit);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Theme>> MemoryStore::themes() const {
  std::vector<Theme> out;
  out.reserve(themes_.size());
  for (const auto& [id, theme] : themes_) out.push_back(theme);
  return out;
}

absl::Status MemoryStore::put_theme(const Theme& theme, ThemeChange, TaskId, TimeMs) {
  Theme copy = theme;  // what may throw comes before any change
  themes_[theme.id] = std::move(copy);
  last_theme_id_ = std::max(last_theme_id_, theme.id);
  return absl::OkStatus();
}

absl::Status MemoryStore::remove_theme(ThemeId id, TimeMs) {
  themes_.erase(id);
  return absl::OkStatus();
}

}  // namespace jszb::core
