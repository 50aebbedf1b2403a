// CountingStore: a store that keeps the report counters and nothing else, for
// an engine whose events need not be kept: a what-if replay of a history
// (engine/what_if.h) wants the rates and volumes under another policy, not a
// second copy of the log. Memory grows with the counters' keys (units,
// half-days, places, categories), not with events or cases.
//
// It answers no history: for_each_event and for_each_logged fail, saying so;
// request ids are not kept (a replay sends none).
#ifndef JSZB_LIB_STORE_COUNTING_STORE_H
#define JSZB_LIB_STORE_COUNTING_STORE_H

#include <cstdint>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "base/arena.h"
#include "store/store.h"

namespace jszb::core {

class CountingStore final : public Store {
 public:
  absl::Status commit(const CommitBatch& batch) override;
  absl::Status for_each_event(CaseId id,
                              const std::function<void(const Event&)>& visit) const override;
  absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const override;
  std::uint64_t event_count() const override { return events_; }
  absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view) const override {
    return std::nullopt;
  }
  absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const override {
    return sum(counters_, from, until);
  }
  const Counters& counters() const { return counters_; }

 private:
  // A copy of s that lives as long as the store (each distinct string once).
  std::string_view intern(std::string_view s);

  Counters counters_;  // keyed by views into strings_
  Arena strings_;
  absl::flat_hash_set<std::string_view> interned_;
  std::uint64_t events_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_COUNTING_STORE_H
