#include "engine/engine_metrics.h"

#include "base/log.h"

namespace jszb::core {

namespace {

// One thread commits at a time: a load and a store, no read-modify-write.
void bump(std::atomic<std::uint64_t>& v, std::uint64_t by) {
  v.store(v.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

}  // namespace

void CommitLatency::add(double ms) {
  std::size_t i = 0;
  while (i < kBoundsMs.size() && ms > kBoundsMs[i]) ++i;
  bump(buckets_[i], 1);
  bump(count_, 1);
  bump(sum_us_, static_cast<std::uint64_t>(ms * 1e3 + 0.5));
}

void CommitLatency::add_untimed() { bump(count_, 1); }

absl::Status timed_commit(EventLog& log, const CommitBatch& batch, CommitLatency& latency,
                          bool timed) {
  double ms = 0;
  absl::Status s;
  if (timed) {
    auto start = std::chrono::steady_clock::now();
    s = log.commit(batch);
    ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    latency.add(ms);
  } else {
    s = log.commit(batch);
    latency.add_untimed();
  }
  if (!s.ok()) {
    log_at(LogLevel::kError, "commit of %d events failed (undone, not acknowledged): %s",
           batch.event_count, s.message());
  } else if (ms > CommitLatency::kSlowMs) {
    log_at(LogLevel::kWarn, "slow commit: %d events took %.0f ms (over %.0f ms)", batch.event_count,
           ms, CommitLatency::kSlowMs);
  }
  return s;
}

}  // namespace jszb::core
