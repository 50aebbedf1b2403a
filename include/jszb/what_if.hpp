// jszb/what_if.hpp: the what-if replay (jszb_what_if_run) in the C++ wrapper:
// a store's history run again under another policy, into an in-memory Engine
// whose counters answer assess() and report(). See "What if" in jszb.h.
#ifndef JSZB_WHAT_IF_HPP
#define JSZB_WHAT_IF_HPP

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jszb/jszb.hpp"

namespace jszb {

// A what-if replay (jszb_what_if_run): the window, the progress callback
// (events read, the log's events; false stops the replay: Error with
// JSZB_E_CANCELLED), and the replaying engine's options.
struct WhatIfOptions {
  TimeMs from = 0, until = 0;  // 0: no bound
  std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
  std::uint64_t progress_every = 1 << 20;
  std::size_t max_listed = 100;
  int max_extensions = 1;
};

// A command the new policy refused (jszb_what_if_skipped).
struct WhatIfSkipped {
  CaseId case_id = 0;  // in the source store
  std::uint32_t seq = 0;
  CommandKind command = CommandKind::kUnspecified;  // kUnspecified: the submission
  TimeMs time = 0;
  int code = 0;  // a jszb_code
  Refusal refusal = Refusal::kNone;
  std::string message;
};

// What a replay did: the counts, skipped commands by kind (kUnspecified: the
// submissions) and the first max_listed of them.
struct WhatIfResult {
  jszb_what_if_counts counts{};
  std::map<CommandKind, std::uint64_t> skipped_by_kind;
  std::vector<WhatIfSkipped> skipped;
};

// A what-if replay's engine (assess, report: the counters-based parts) and
// what the replay did.
struct WhatIf {
  Engine engine;
  WhatIfResult result;
};

// Replays the store at `path` under `policy` into an in-memory engine that
// keeps the replay's counters; see jszb_what_if_run. Throws jszb::Error (also
// JSZB_E_CANCELLED when the progress callback returned false), or what the
// progress callback threw.
inline WhatIf what_if(const std::string& path, const Policy& policy,
                      const WhatIfOptions& options = {}) {
  struct Progress {
    const WhatIfOptions* options;
    std::exception_ptr thrown;
    // Stops the replay when the callback says so or throws (rethrown below).
    static int call(void* payload, const char*, std::uint64_t done, std::uint64_t total) noexcept {
      auto* p = static_cast<Progress*>(payload);
      try {
        return p->options->progress(done, total) ? 0 : 1;
      } catch (...) {
        p->thrown = std::current_exception();
        return 1;
      }
    }
  } progress{&options, nullptr};
  jszb_engine_options engine_options = JSZB_ENGINE_OPTIONS_INIT;
  engine_options.max_extensions = options.max_extensions;
  jszb_what_if_options o = JSZB_WHAT_IF_OPTIONS_INIT;
  o.from_ms = options.from;
  o.until_ms = options.until;
  o.progress_every = options.progress_every;
  o.max_listed = options.max_listed;
  o.engine_options = &engine_options;
  if (options.progress) {
    o.progress = &Progress::call;
    o.progress_payload = &progress;
  }
  jszb_engine* e = nullptr;
  jszb_what_if_result* r = nullptr;
  int rc = jszb_what_if_run(path.c_str(), policy.handle(), &o, &e, &r);
  if (progress.thrown) std::rethrow_exception(progress.thrown);  // it stopped the replay
  detail::check(rc);
  WhatIf out{Engine(e), {}};
  std::unique_ptr<jszb_what_if_result, void (*)(jszb_what_if_result*)> owned(
      r, &jszb_what_if_result_free);
  out.result.counts = *jszb_what_if_result_counts(r);
  for (int k = 0; k <= JSZB_CMD_LAST; ++k) {
    if (std::uint64_t n = jszb_what_if_result_skipped_of(r, k)) {
      out.result.skipped_by_kind[static_cast<CommandKind>(k)] = n;
    }
  }
  for (std::size_t i = 0; i < jszb_what_if_result_skipped_count(r); ++i) {
    const jszb_what_if_skipped* s = jszb_what_if_result_skipped(r, i);
    out.result.skipped.push_back({s->case_id, s->seq, static_cast<CommandKind>(s->command),
                                  s->time_ms, s->code, static_cast<Refusal>(s->refusal),
                                  s->message});
  }
  return out;
}

}  // namespace jszb

#endif  // JSZB_WHAT_IF_HPP
