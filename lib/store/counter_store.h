// CounterStore: the report counters as committed with the events (counters.h),
// summed over a range of half-day buckets. Every store keeps them.
#ifndef JSZB_LIB_STORE_COUNTER_STORE_H
#define JSZB_LIB_STORE_COUNTER_STORE_H

#include "absl/status/statusor.h"
#include "lifecycle/counters.h"

namespace jszb::core {

class CounterStore {
 public:
  virtual ~CounterStore() = default;
  // The counters summed over the buckets [from, until).
  virtual absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_COUNTER_STORE_H
