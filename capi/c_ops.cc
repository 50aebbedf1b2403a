// The C ABI of what an operator needs around a running store: online backup,
// the library's log, store stats, and metrics (with their Prometheus text in
// c_prometheus.cc).
#include "c_ops.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_format.h"
#include "base/log.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "jszb/jszb.h"
#include "store/sqlite_backup.h"

using jszb::capi::check_utf8;
using jszb::capi::check_version;
using jszb::capi::fail;
using jszb::capi::guarded;
using jszb::capi::notifying_call;
namespace core = jszb::core;

namespace {

int backup_options(const jszb_backup_options* in, core::BackupOptions* out) {
  if (in == nullptr) return JSZB_OK;
  if (int rc = check_version(in->version, JSZB_BACKUP_OPTIONS_VERSION, "opts")) return rc;
  if (in->pages_per_step < 0) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("opts.pages_per_step is %d: expected 0 (the default) or more",
                                in->pages_per_step)
                    .c_str());
  }
  if (in->pages_per_step > 0) out->pages_per_step = in->pages_per_step;
  if (in->progress != nullptr) {
    out->progress = [in](std::string_view stage, std::uint64_t done, std::uint64_t total) {
      // The stage is a literal: NUL-terminated.
      return in->progress(in->progress_payload, stage.data(), done, total) == 0;
    };
  }
  return JSZB_OK;
}

int check_path(const char* path, const char* name) {
  if (path == nullptr || *path == '\0') {
    return fail(JSZB_E_INVALID, absl::StrFormat("%s is NULL or empty", name).c_str());
  }
  return check_utf8(path, name);
}

int run_backup(const std::string& source, const char* dest, const jszb_backup_options* opts) {
  core::BackupOptions options;
  if (int rc = backup_options(opts, &options)) return rc;
  absl::StatusOr<core::BackupResult> done = core::backup_store(source, dest, options);
  return done.ok() ? JSZB_OK : fail(done.status());
}

}  // namespace

namespace jszb::capi {

int store_stats(jszb_engine* engine, core::StoreStats* out) {
  if (engine->store == nullptr) {
    *out = engine->engine.memory_stats();
    return JSZB_OK;
  }
  // The store is read on this thread: a pipelined batch under way first.
  return notifying_call(engine, [&]() -> int {
    engine->engine.drain();
    absl::StatusOr<core::StoreStats> s = engine->store->stats();
    if (!s.ok()) return fail(s.status());
    *out = *s;
    return JSZB_OK;
  });
}

void fill_metrics(const jszb_engine* engine, jszb_metrics* m) {
  const core::Engine& e = engine->engine;
  const core::CommitLatency& latency = e.commit_latency();
  m->events_applied = e.counts().events_applied;
  m->events_committed = e.event_count();
  m->commits = latency.count();
  for (std::size_t i = 0; i < JSZB_METRICS_BUCKETS; ++i) {
    m->commit_bucket_ms[i] = i < latency.kBoundsMs.size() ? latency.kBoundsMs[i]
                                                          : std::numeric_limits<double>::infinity();
    m->commit_buckets[i] = latency.bucket(i);
  }
  m->commit_seconds_sum = latency.sum_ms() / 1e3;
  m->open_cases = e.open_cases();
  m->timers_pending = e.timers_pending();
  m->escalations_fired = e.counts().escalations_fired;
  m->cases_read_back = e.counts().cases_read_back;
}

static_assert(core::CommitLatency::kBuckets == JSZB_METRICS_BUCKETS,
              "jszb.h's JSZB_METRICS_BUCKETS is the engine's buckets");

}  // namespace jszb::capi

extern "C" {

int jszb_backup(const char* store_path, const char* dest_path, const jszb_backup_options* opts) {
  return guarded([&]() -> int {
    if (int rc = check_path(store_path, "store_path")) return rc;
    if (int rc = check_path(dest_path, "dest_path")) return rc;
    return run_backup(store_path, dest_path, opts);
  });
}

int jszb_engine_backup(jszb_engine* engine, const char* dest_path,
                       const jszb_backup_options* opts) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_path(dest_path, "dest_path")) return rc;
    if (engine->store == nullptr) {
      return fail(JSZB_E_STATE, "the engine runs in memory: there is no store to back up");
    }
    return notifying_call(engine, [&]() -> int {
      engine->engine.drain();  // what was committed is in the file
      return run_backup(engine->store->path(), dest_path, opts);
    });
  });
}

int jszb_engine_store_stats(jszb_engine* engine, jszb_store_stats* stats) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (stats == nullptr) return fail(JSZB_E_INVALID, "stats is NULL");
    if (int rc = check_version(stats->version, JSZB_STORE_STATS_VERSION, "stats")) return rc;
    core::StoreStats s;
    if (int rc = jszb::capi::store_stats(engine, &s)) return rc;
    for (std::size_t i = 0; i < s.by_state.size(); ++i) stats->cases_by_state[i] = s.by_state[i];
    stats->cases = s.cases;
    stats->events = s.events;
    stats->last_event_ms = s.last_event;
    stats->file_bytes = s.file_bytes;
    stats->wal_bytes = s.wal_bytes;
    return JSZB_OK;
  });
}

int jszb_set_log(jszb_log_fn fn, void* user_data, int level) {
  return guarded([&]() -> int {
    if (level < JSZB_LOG_OFF || level > JSZB_LOG_DEBUG) {
      return fail(
          JSZB_E_INVALID,
          absl::StrFormat("level is %d: expected JSZB_LOG_OFF (0) .. JSZB_LOG_DEBUG (4)", level)
              .c_str());
    }
    core::set_log_sink(fn, user_data, static_cast<core::LogLevel>(level));
    return JSZB_OK;
  });
}

int jszb_engine_metrics(jszb_engine* engine, jszb_metrics* metrics) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (metrics == nullptr) return fail(JSZB_E_INVALID, "metrics is NULL");
    if (int rc = check_version(metrics->version, JSZB_METRICS_VERSION, "metrics")) return rc;
    jszb::capi::fill_metrics(engine, metrics);
    return JSZB_OK;
  });
}

}  // extern "C"
