// The C ABI of the what-if replay (engine/what_if.h): a store's history run
// again under another policy into an in-memory jszb_engine that keeps counters
// only, and a result handle saying what was replayed and what was skipped.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "c_error.h"
#include "c_handles.h"
#include "engine/what_if.h"
#include "jszb/jszb.h"
#include "store/counting_store.h"

using jszb::capi::check_out;
using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

struct jszb_what_if_result {
  jszb_what_if_counts counts{};
  std::map<int, std::uint64_t> skipped_by_kind;
  std::vector<std::string> messages;  // what the listed items' message fields view
  std::vector<jszb_what_if_skipped> skipped;
};

namespace {

// Checks the caller's options into `out` (the policy is set by the caller).
int what_if_options(const jszb_what_if_options* opts, core::WhatIfOptions* out,
                    core::EngineOptions* engine) {
  if (opts == nullptr) return JSZB_OK;
  if (opts->version < 1 || opts->version > JSZB_WHAT_IF_OPTIONS_VERSION) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("options.version is %d: this library knows versions 1..%d "
                                "(initialise it with JSZB_WHAT_IF_OPTIONS_INIT)",
                                opts->version, JSZB_WHAT_IF_OPTIONS_VERSION)
                    .c_str());
  }
  if (int rc = jszb::capi::check_time_or_zero(opts->from_ms, "options.from_ms")) return rc;
  if (int rc = jszb::capi::check_time_or_zero(opts->until_ms, "options.until_ms")) return rc;
  if (opts->until_ms != 0 && opts->until_ms <= opts->from_ms) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("options.until_ms (%d) is not after options.from_ms (%d)",
                                opts->until_ms, opts->from_ms)
                    .c_str());
  }
  if (opts->progress_every == 0) {
    return fail(JSZB_E_INVALID, "options.progress_every is 0: expected at least 1 event");
  }
  if (jszb::capi::engine_options(opts->engine_options, engine) != JSZB_OK) {
    const jszb_error* e = jszb_error_last();
    return fail(*e, absl::StrFormat("options.engine_%s", e->message).c_str());
  }
  out->from = opts->from_ms;
  out->until = opts->until_ms;
  out->progress_every = opts->progress_every;
  out->max_listed = opts->max_listed;
  if (opts->progress != nullptr) {
    out->progress = [opts](const core::WhatIfProgress& p) {
      return opts->progress(opts->progress_payload, "replay", p.events_read, p.events_total) == 0;
    };
  }
  return JSZB_OK;
}

std::unique_ptr<jszb_what_if_result> to_c(const core::WhatIfResult& r) {
  auto out = std::make_unique<jszb_what_if_result>();
  out->counts = {r.events_read,   r.submissions,    r.commands_replayed, r.commands_rerouted,
                 r.engine_events, r.outside_window, r.commands_skipped,  r.memory_bounded ? 1 : 0};
  for (const auto& [kind, n] : r.skipped_by_kind) out->skipped_by_kind[static_cast<int>(kind)] = n;
  out->messages.reserve(r.skipped.size());
  for (const core::SkippedCommand& s : r.skipped) {
    out->messages.emplace_back(s.status.message());
    out->skipped.push_back({s.case_id, s.seq, static_cast<int>(s.kind), s.time,
                            jszb::capi::code_of(s.status), jszb::capi::refusal_of(s.status),
                            out->messages.back().c_str()});
  }
  return out;
}

}  // namespace

extern "C" {

int jszb_what_if_run(const char* store_path, const jszb_policy* policy,
                     const jszb_what_if_options* opts, jszb_engine** out_engine,
                     jszb_what_if_result** out_result) {
  return guarded([&]() -> int {
    if (store_path == nullptr) return fail(JSZB_E_INVALID, "store_path is NULL");
    if (int rc = jszb::capi::check_utf8(store_path, "store_path")) return rc;
    if (policy == nullptr) return fail(JSZB_E_INVALID, "policy is NULL");
    if (int rc = check_out(out_engine, "out_engine")) return rc;
    if (int rc = check_out(out_result, "out_result")) return rc;
    core::WhatIfOptions options;
    core::EngineOptions engine_options;
    if (int rc = what_if_options(opts, &options, &engine_options)) return rc;
    options.policy = policy->policy;
    // The handle owns the engine the replay fills; on failure both go.
    auto engine =
        std::make_unique<jszb_engine>(engine_options, std::make_unique<core::CountingStore>());
    engine->counters_only = true;
    absl::StatusOr<core::WhatIfResult> result =
        core::WhatIfReplay::run_into(store_path, options, engine->engine);
    if (!result.ok()) return fail(result.status());
    std::unique_ptr<jszb_what_if_result> c_result = to_c(*result);
    *out_engine = engine.release();
    *out_result = c_result.release();
    return JSZB_OK;
  });
}

void jszb_what_if_result_free(jszb_what_if_result* result) { delete result; }

const jszb_what_if_counts* jszb_what_if_result_counts(const jszb_what_if_result* result) {
  return result == nullptr ? nullptr : &result->counts;
}

uint64_t jszb_what_if_result_skipped_of(const jszb_what_if_result* result, int command) {
  if (result == nullptr) return 0;
  auto it = result->skipped_by_kind.find(command);
  return it == result->skipped_by_kind.end() ? 0 : it->second;
}

size_t jszb_what_if_result_skipped_count(const jszb_what_if_result* result) {
  return result == nullptr ? 0 : result->skipped.size();
}

const jszb_what_if_skipped* jszb_what_if_result_skipped(const jszb_what_if_result* result,
                                                        size_t index) {
  if (result == nullptr || index >= result->skipped.size()) return nullptr;
  return &result->skipped[index];
}

}  // extern "C"
