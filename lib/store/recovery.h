// Recovery: the role of a durable store that an engine is rebuilt from when
// it is opened. The engine loads the stored policies, then the cases that are
// open (strings copied into `arena`), then replays the tail of the log over
// them, telling the store which cases each replayed event changed (their
// stored projections are behind the log). It records each policy it runs
// under, and recounts a log written before the store kept counters.
#ifndef JSZB_LIB_STORE_RECOVERY_H
#define JSZB_LIB_STORE_RECOVERY_H

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/arena.h"
#include "lifecycle/counters.h"
#include "model/case.h"
#include "model/event.h"
#include "policy/policy.h"

namespace jszb::core {

// The policies a store has seen: their sources, and which one is current.
struct StoredPolicy {
  std::uint32_t version = 0;
  std::string file;
  std::string text;
  std::vector<std::pair<std::string, std::string>> named_files;
};
struct StoredPolicies {
  std::vector<StoredPolicy> policies;  // by version
  std::uint32_t current = 0;           // 0: none
};

class Recovery {
 public:
  virtual ~Recovery() = default;

  virtual absl::StatusOr<StoredPolicies> stored_policies() const = 0;
  // Records a policy and makes it the current one.
  virtual absl::Status save_policy(const Policy& policy) = 0;
  virtual absl::Status for_each_open_case(
      Arena& arena, const std::function<absl::Status(const Case&)>& visit) const = 0;
  virtual absl::Status for_each_tail_event(
      const std::function<absl::Status(const Event&)>& visit) = 0;
  virtual void replayed(const Case& c) = 0;
  // The highest case id the store has seen, 0: none.
  virtual CaseId max_case_id() const = 0;

  // A store written before it kept counters: the engine recounts its log and
  // hands over the counters and every case (their credits) to keep.
  virtual bool counters_incomplete() const = 0;
  virtual absl::Status rebuild_counters(const Counters& counters,
                                        const std::vector<const Case*>& cases) = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_RECOVERY_H
