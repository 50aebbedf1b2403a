// What an engine counts for an operator's graphs (events applied, commits and
// their latency, escalations fired, cases read back from the store), kept as
// plain integers on the engine's own thread. The commit latency is measured
// where a batch is committed, which for a pipelined batch is the writer
// thread: its histogram is relaxed atomics, each written by one thread at a
// time (the batch's committer) and read by the engine's thread.
#ifndef JSZB_LIB_ENGINE_ENGINE_METRICS_H
#define JSZB_LIB_ENGINE_ENGINE_METRICS_H

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "absl/status/status.h"
#include "store/event_log.h"

namespace jszb::core {

// Commit latency in buckets with fixed upper bounds (ms, inclusive; the
// last bucket is everything above), as a Prometheus histogram needs. Only
// commits to a durable store are timed; count() counts every commit.
class CommitLatency {
 public:
  static constexpr std::array<double, 12> kBoundsMs = {0.1, 0.25, 0.5, 1,   2.5, 5,
                                                       10,  25,   50,  100, 250, 1000};
  static constexpr std::size_t kBuckets = kBoundsMs.size() + 1;
  // A commit slower than this is logged as a warning.
  static constexpr double kSlowMs = 500;

  void add(double ms);
  // A commit not timed (to a log in memory: reading the clock twice would
  // cost more than the commit): counted, in no bucket.
  void add_untimed();
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum_ms() const {
    return static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e3;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_us_{0};
};

struct EngineCounts {
  std::uint64_t events_applied = 0;     // applied in memory, batches undone later included
  std::uint64_t escalations_fired = 0;  // warning, breach and escalation marks
  std::uint64_t cases_read_back = 0;    // cases loaded from the store into memory
};

// Commits `batch` to `log` and counts it in `latency`, timed if `timed` (a
// durable store); logs a failed or slow commit.
absl::Status timed_commit(EventLog& log, const CommitBatch& batch, CommitLatency& latency,
                          bool timed);

}  // namespace jszb::core

#endif  // JSZB_LIB_ENGINE_ENGINE_METRICS_H
