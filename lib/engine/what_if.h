// What-if replay: a store's history run again under another policy (other
// deadlines, another catalogue, other rate weights), to answer questions such
// as "what would the rates have been with 5 working-day deadlines?".
//
// The inputs are what people did: each submission and each command of the
// log, with its time and actor, in log order. What the engine did by itself
// is not read but recomputed under the new policy: escalation marks fire as
// the clock is advanced to each command's time, automatic returns and Art. 23
// results follow from them, and routed decisions (events that name a
// catalogue rule) are routed again by the new catalogue. A command the new
// policy refuses is skipped, counted and (the first few) listed; the replay
// goes on.
//
// The replay engine keeps counters, not events (store/counting_store.h), and
// lets a case go once the log holds nothing more for it and it is finished
// under the new policy: memory is bounded by the open cases, not by the
// history (provided the source store's projections are complete, i.e. it was
// closed or checkpointed after its last event; otherwise every case is kept,
// and the result says so). Its counters give the same assessments and
// reports as a live engine's (report/assessment.h, report/report.h on
// replay.engine()).
//
// Case ids: a case keeps its id from the source when the new policy accepts
// its submission in order; the replay maps ids either way.
#ifndef JSZB_LIB_ENGINE_WHAT_IF_H
#define JSZB_LIB_ENGINE_WHAT_IF_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "policy/policy.h"

namespace jszb::core {

struct WhatIfProgress {
  std::uint64_t events_read = 0;   // of the source's log
  std::uint64_t events_total = 0;  // in the source's log
  std::uint64_t commands_replayed = 0;
  std::uint64_t commands_skipped = 0;
  std::size_t cases_in_memory = 0;
};

struct WhatIfOptions {
  std::shared_ptr<const Policy> policy;  // the policy to replay under; required
  // Submissions received in [from, until) are replayed with all their later
  // commands before `until`; 0: no bound. The clock ends at `until` (or the
  // last command's time), so marks due by then have fired.
  TimeMs from = 0;
  TimeMs until = 0;
  // Called every `progress_every` events read (and once at the end);
  // returning false stops the replay, which then fails with kCancelled.
  std::function<bool(const WhatIfProgress&)> progress;
  std::uint64_t progress_every = 1 << 20;
  std::size_t max_listed = 100;  // skipped commands listed in the result
  // The replaying engine's options: the live engine's (max_extensions) for a
  // replay under the same rules, or others to ask what they would change.
  EngineOptions engine;
};

// A command the new policy refused.
struct SkippedCommand {
  CaseId case_id = 0;  // in the source
  std::uint32_t seq = 0;
  CommandKind kind = CommandKind::kUnspecified;  // kUnspecified: a submission
  TimeMs time = 0;
  absl::Status status;  // why: the engine's refusal (code, message, refusal reason)
};

struct WhatIfResult {
  std::uint64_t events_read = 0;
  std::uint64_t submissions = 0;        // replayed (accepted)
  std::uint64_t commands_replayed = 0;  // submissions and commands accepted
  std::uint64_t commands_rerouted = 0;  // routed decisions the new catalogue took
  std::uint64_t engine_events = 0;      // the source engine's own, recomputed instead
  std::uint64_t outside_window = 0;     // of cases submitted outside [from, until)
  std::uint64_t commands_skipped = 0;   // refused by the new policy
  std::map<CommandKind, std::uint64_t> skipped_by_kind;
  std::vector<SkippedCommand> skipped;  // the first max_listed
  // False when the source's projections were behind its log: no case could
  // be let go, so memory grew with the history.
  bool memory_bounded = true;
};

class WhatIfReplay {
 public:
  // Replays the store file at `source_path` (opened read-only; the writer may
  // have it open) under options.policy.
  static absl::StatusOr<std::unique_ptr<WhatIfReplay>> run(const std::string& source_path,
                                                           const WhatIfOptions& options);

  // The same replay into an engine of the caller's (the C ABI's handle owns
  // its engine): a fresh one, holding no case and no policy, whose store
  // keeps no events (a CountingStore). options.engine is not used: the
  // caller built the engine with its options. On failure the engine may
  // hold part of the replay: the caller discards it.
  static absl::StatusOr<WhatIfResult> run_into(const std::string& source_path,
                                               const WhatIfOptions& options, Engine& engine);

  // The replay's engine: its counters answer counter_totals() and the
  // report functions. It holds the cases still open, not the history.
  Engine& engine() { return *engine_; }
  const WhatIfResult& result() const { return result_; }

 private:
  WhatIfReplay() = default;
  class Run;

  std::unique_ptr<Engine> engine_;
  WhatIfResult result_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_ENGINE_WHAT_IF_H
