// jszb_engine_metrics_prometheus: an engine's metrics and its store's stats
// in the Prometheus text exposition format 0.0.4, for an embedding server's
// /metrics and for `jszb metrics STORE`.
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "c_ops.h"
#include "jszb/jszb.h"
#include "model/names.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

namespace {

// "# HELP" and "# TYPE" of a metric, then its samples follow.
void head(std::string& out, const char* name, const char* type, const char* help) {
  absl::StrAppendFormat(&out, "# HELP jszb_%s %s\n# TYPE jszb_%s %s\n", name, help, name, type);
}

void one(std::string& out, const char* name, const char* type, const char* help,
         std::uint64_t value) {
  head(out, name, type, help);
  absl::StrAppendFormat(&out, "jszb_%s %d\n", name, value);
}

void latency_histogram(std::string& out, const jszb_metrics& m) {
  head(out, "commit_duration_seconds", "histogram",
       "Time to commit a batch of events to a durable store.");
  std::uint64_t cumulative = 0;
  for (int i = 0; i < JSZB_METRICS_BUCKETS; ++i) {
    cumulative += m.commit_buckets[i];
    std::string le = i + 1 < JSZB_METRICS_BUCKETS
                         ? absl::StrFormat("%g", m.commit_bucket_ms[i] / 1e3)
                         : std::string("+Inf");
    absl::StrAppendFormat(&out, "jszb_commit_duration_seconds_bucket{le=\"%s\"} %d\n", le,
                          cumulative);
  }
  absl::StrAppendFormat(&out, "jszb_commit_duration_seconds_sum %.9g\n", m.commit_seconds_sum);
  absl::StrAppendFormat(&out, "jszb_commit_duration_seconds_count %d\n", cumulative);
}

void store_part(std::string& out, const core::StoreStats& s) {
  head(out, "cases", "gauge", "Cases in the store, by state.");
  for (std::size_t state = 1; state < s.by_state.size(); ++state) {
    std::string_view name = core::name(static_cast<jszb::State>(state));
    if (name.empty()) continue;
    absl::StrAppendFormat(&out, "jszb_cases{state=\"%s\"} %d\n", name, s.by_state[state]);
  }
  one(out, "store_events", "gauge", "Events committed to the store's log.", s.events);
  head(out, "store_last_event_timestamp_seconds", "gauge",
       "Instant of the newest event in the log (event time, an input), in seconds since 1970.");
  absl::StrAppendFormat(&out, "jszb_store_last_event_timestamp_seconds %.3f\n",
                        static_cast<double>(s.last_event) / 1e3);
  one(out, "store_file_bytes", "gauge", "Size of the store file.", s.file_bytes);
  one(out, "store_wal_bytes", "gauge", "Size of the store's write-ahead log file.", s.wal_bytes);
}

}  // namespace

extern "C" {

int jszb_engine_metrics_prometheus(jszb_engine* engine, char** text) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (text == nullptr) return fail(JSZB_E_INVALID, "text is NULL");
    core::StoreStats stats;
    if (int rc = jszb::capi::store_stats(engine, &stats)) return rc;
    jszb_metrics m = JSZB_METRICS_INIT;
    jszb::capi::fill_metrics(engine, &m);
    std::string out;
    one(out, "events_applied_total", "counter",
        "Events applied in memory since the engine opened (replayed ones included).",
        m.events_applied);
    one(out, "events_committed", "gauge", "Events committed to the store's log.",
        m.events_committed);
    one(out, "commits_total", "counter", "Batches committed since the engine opened.", m.commits);
    latency_histogram(out, m);
    one(out, "open_cases", "gauge", "Cases not finished, held in memory.", m.open_cases);
    one(out, "timers_pending", "gauge", "Cases with an escalation mark armed.", m.timers_pending);
    one(out, "escalations_fired_total", "counter",
        "Deadline warnings, breaches and escalations fired.", m.escalations_fired);
    one(out, "cases_read_back_total", "counter",
        "Finished cases loaded back from the store into memory.", m.cases_read_back);
    store_part(out, stats);
    *text = static_cast<char*>(jszb::capi::malloc_copy(out));
    return JSZB_OK;
  });
}

}  // extern "C"
