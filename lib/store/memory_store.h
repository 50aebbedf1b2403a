// MemoryStore: the event log in memory, for tests, simulations and benchmarks.
// It keeps the events packed (packed_log.h), their strings and lists as given
// (views): they must outlive it (the engine keeps them in its arena).
#ifndef JSZB_LIB_STORE_MEMORY_STORE_H
#define JSZB_LIB_STORE_MEMORY_STORE_H

#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/id_index.h"
#include "store/packed_log.h"
#include "store/store.h"
#include "store/theme_store.h"

namespace jszb::core {

class MemoryStore final : public Store, public ThemeStore {
 public:
  absl::Status commit(const CommitBatch& batch) override;
  absl::Status for_each_event(CaseId id,
                              const std::function<void(const Event&)>& visit) const override;
  absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const override;
  std::uint64_t event_count() const override { return log_.size(); }
  absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const override {
    return sum(counters_, from, until);
  }
  // Every counter by bucket (a recount of a log is compared with them).
  const Counters& counters() const { return counters_; }
  absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view request_id) const override {
    auto it = requests_.find(request_id);
    if (it == requests_.end()) return std::nullopt;
    return it->second;
  }

  // ThemeStore
  absl::StatusOr<std::vector<Theme>> themes() const override;
  absl::StatusOr<ThemeId> last_theme_id() const override { return last_theme_id_; }
  absl::Status put_theme(const Theme& theme, ThemeChange change, TaskId task, TimeMs time) override;
  absl::Status remove_theme(ThemeId id, TimeMs time) override;

 private:
  struct Chain {
    PackedLog::Position first = PackedLog::kNone;
    PackedLog::Position last = PackedLog::kNone;
  };

  PackedLog log_;
  IdIndex<Chain> chains_;
  // Client request ids of the commands committed (views into the events).
  absl::flat_hash_map<std::string_view, std::uint64_t> requests_;  // id -> fingerprint
  // Keyed by views into the engine's arena, like the log.
  Counters counters_;
  // Themes own their strings (they are not in the engine's arena).
  std::map<ThemeId, Theme> themes_;
  ThemeId last_theme_id_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_MEMORY_STORE_H
