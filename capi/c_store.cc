// The C ABI of durable stores: open with a path and options, group commit,
// checkpoint, verify, erasure and purge.
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "store/sqlite_store.h"

using jszb::capi::check_time;
using jszb::capi::check_utf8;
using jszb::capi::fail;
using jszb::capi::guarded;
using jszb::capi::notifying_call;
namespace core = jszb::core;

namespace {

int store_options(const jszb_store_options* in, core::SqliteStoreOptions* out) {
  if (in == nullptr) return JSZB_OK;
  if (in->version < 1 || in->version > JSZB_STORE_OPTIONS_VERSION) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("store_opts.version is %d: this library knows versions 1..%d "
                                "(initialise it with JSZB_STORE_OPTIONS_INIT)",
                                in->version, JSZB_STORE_OPTIONS_VERSION)
                    .c_str());
  }
  if (in->synchronous != JSZB_SYNC_FULL && in->synchronous != JSZB_SYNC_NORMAL) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("store_opts.synchronous is %d: expected JSZB_SYNC_FULL (0) or "
                                "JSZB_SYNC_NORMAL (1)",
                                in->synchronous)
                    .c_str());
  }
  out->synchronous_full = in->synchronous == JSZB_SYNC_FULL;
  out->read_only = in->read_only != 0;
  out->max_bytes = in->max_bytes;
  if (in->checkpoint_events != 0) out->checkpoint_events = in->checkpoint_events;
  if (in->version >= 2) out->accept_lost_events = in->accept_lost_events != 0;
  return JSZB_OK;
}

}  // namespace

extern "C" {

int jszb_engine_open_store(const char* path, const jszb_engine_options* opts,
                           const jszb_store_options* store_opts, jszb_engine** out) {
  return guarded([&]() -> int {
    if (out == nullptr) return fail(JSZB_E_INVALID, "out is NULL");
    if (path == nullptr || *path == '\0') return fail(JSZB_E_INVALID, "path is NULL or empty");
    if (int rc = check_utf8(path, "path")) return rc;
    core::EngineOptions options;
    if (int rc = jszb::capi::engine_options(opts, &options)) return rc;
    core::SqliteStoreOptions sopts;
    if (int rc = store_options(store_opts, &sopts)) return rc;
    absl::StatusOr<std::unique_ptr<core::SqliteStore>> store = core::SqliteStore::open(path, sopts);
    if (!store.ok()) return fail(store.status());
    auto engine = std::make_unique<jszb_engine>(options, std::move(*store));
    if (absl::Status s = engine->engine.recover(); !s.ok()) return fail(s);
    *out = engine.release();
    return JSZB_OK;
  });
}

int jszb_engine_begin(jszb_engine* engine) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    absl::Status s = engine->engine.begin();
    return s.ok() ? JSZB_OK : fail(s);
  });
}

int jszb_engine_commit(jszb_engine* engine) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    // Committing tells the listeners about the batch's events.
    return notifying_call(engine, [&]() -> int {
      absl::Status s = engine->engine.commit();
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_commit_async(jszb_engine* engine, uint64_t* ticket) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (ticket == nullptr) return fail(JSZB_E_INVALID, "ticket is NULL");
    // Handing a batch over acknowledges the one before: listeners hear of it.
    return notifying_call(engine, [&]() -> int {
      absl::StatusOr<std::uint64_t> t = engine->engine.commit_async();
      if (!t.ok()) return fail(t.status());
      *ticket = *t;
      return JSZB_OK;
    });
  });
}

int jszb_engine_wait(jszb_engine* engine, uint64_t ticket) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    return notifying_call(engine, [&]() -> int {
      absl::Status s = engine->engine.wait(ticket);
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_poll(jszb_engine* engine, uint64_t* done_through) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (done_through == nullptr) return fail(JSZB_E_INVALID, "done_through is NULL");
    if (engine->engine.busy()) {
      return fail(JSZB_E_BUSY, "poll from inside a listener or router of the same engine");
    }
    return notifying_call(engine, [&]() -> int {
      *done_through = engine->engine.poll();
      return JSZB_OK;
    });
  });
}

int jszb_engine_rollback(jszb_engine* engine) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (engine->engine.busy()) {
      return fail(JSZB_E_BUSY, "rollback from inside a listener or router of the same engine");
    }
    if (!engine->engine.in_batch())
      return fail(JSZB_E_STATE, "no batch is open: call jszb_engine_begin first");
    engine->engine.rollback();
    return JSZB_OK;
  });
}

int jszb_engine_checkpoint(jszb_engine* engine) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    // It waits for a pipelined batch under way: listeners may hear of it.
    return notifying_call(engine, [&]() -> int {
      absl::Status s = engine->engine.checkpoint();
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_verify(jszb_engine* engine, uint64_t* events, uint64_t* cases, uint64_t* mismatches,
                       char** problems) {
  return jszb_engine_verify_v2(engine, nullptr, events, cases, mismatches, problems);
}

int jszb_engine_verify_v2(jszb_engine* engine, const jszb_verify_options* options, uint64_t* events,
                          uint64_t* cases, uint64_t* mismatches, char** problems) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (events == nullptr || cases == nullptr || mismatches == nullptr || problems == nullptr) {
      return fail(JSZB_E_INVALID, "events, cases, mismatches and problems must not be NULL");
    }
    core::ProgressFn progress;
    if (options != nullptr) {
      if (options->version < 1 || options->version > JSZB_VERIFY_OPTIONS_VERSION) {
        return fail(
            JSZB_E_INVALID,
            absl::StrFormat("options.version is %d: this library knows version 1", options->version)
                .c_str());
      }
      if (options->progress != nullptr) {
        progress = [options](std::string_view stage, std::uint64_t done, std::uint64_t total) {
          // The stages are literals: NUL-terminated.
          return options->progress(options->progress_payload, stage.data(), done, total) == 0;
        };
      }
    }
    // A listener told of a pipelined batch under way may close the engine.
    absl::StatusOr<core::VerifyReport> report = absl::UnknownError("not run");
    if (int rc = notifying_call(engine, [&]() -> int {
          report = engine->engine.verify(progress);
          return report.ok() ? JSZB_OK : fail(report.status());
        })) {
      return rc;
    }
    char* copy = nullptr;
    if (!report->problems.empty()) {
      std::string text = absl::StrJoin(report->problems, "\n");
      copy = static_cast<char*>(std::malloc(text.size() + 1));
      if (copy == nullptr) throw std::bad_alloc();
      std::memcpy(copy, text.c_str(), text.size() + 1);
    }
    *events = report->events;
    *cases = report->cases;
    *mismatches = report->mismatches;
    *problems = copy;
    return JSZB_OK;
  });
}

int jszb_engine_erase_personal(jszb_engine* engine, uint64_t case_id, int64_t time_ms) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_time(time_ms, "time_ms")) return rc;
    // It waits for a pipelined batch under way: listeners may hear of it.
    return notifying_call(engine, [&]() -> int {
      absl::Status s = engine->engine.erase_personal(case_id, time_ms);
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_purge(jszb_engine* engine, int64_t before_ms, uint64_t* purged) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (purged == nullptr) return fail(JSZB_E_INVALID, "purged is NULL");
    if (int rc = check_time(before_ms, "before_ms")) return rc;
    // A listener told of a pipelined batch under way may close the engine.
    return notifying_call(engine, [&]() -> int {
      absl::StatusOr<std::size_t> n = engine->engine.purge(before_ms);
      if (!n.ok()) return fail(n.status());
      *purged = *n;
      return JSZB_OK;
    });
  });
}

}  // extern "C"
