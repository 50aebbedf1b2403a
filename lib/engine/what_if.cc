// What-if replay: the source's log streamed through an engine under the new
// policy, in explicit batches (one commit of counters per kBatch events).
#include "engine/what_if.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "store/counting_store.h"
#include "store/sqlite_store.h"

namespace jszb::core {

class WhatIfReplay::Run {
 public:
  Run(Engine& engine, WhatIfResult& result, const WhatIfOptions& options, std::uint64_t total)
      : engine_(engine), result_(result), options_(options) {
    progress_.events_total = total;
  }

  absl::Status event(const Event& e, bool last_of_case) {
    if (!open_) {
      if (absl::Status s = engine_.begin(); !s.ok()) return s;
      open_ = true;
    }
    ++result_.events_read;
    absl::Status s = one(e);
    if (!s.ok()) return s;
    if (last_of_case) end_of_history(e.case_id);
    if (result_.events_read % kBatch == 0) {
      if (absl::Status c = flush(); !c.ok()) return c;
    }
    if (result_.events_read % options_.progress_every == 0 && !report_progress()) {
      return absl::CancelledError(
          absl::StrFormat("the what-if replay was stopped by its progress callback after %d events",
                          result_.events_read));
    }
    return absl::OkStatus();
  }

  absl::Status finish(TimeMs until) {
    if (!open_) {
      if (absl::Status s = engine_.begin(); !s.ok()) return s;
      open_ = true;
    }
    // The clock runs on to the end of the window: marks due by then fire.
    if (until != 0 || clock_ != 0) {
      if (absl::Status s = engine_.advance(std::max(until, clock_)); !s.ok()) return s;
    }
    if (absl::Status s = flush(); !s.ok()) return s;
    if (!report_progress()) {
      return absl::CancelledError(absl::StrFormat(
          "the what-if replay was stopped by its progress callback at its end, after %d events",
          result_.events_read));
    }
    return absl::OkStatus();
  }

 private:
  static constexpr std::uint64_t kBatch = 4096;

  bool in_window(TimeMs t) const {
    return (options_.from == 0 || t >= options_.from) &&
           (options_.until == 0 || t < options_.until);
  }

  absl::Status one(const Event& e) {
    if (!in_window(e.time)) {
      ++result_.outside_window;
      return absl::OkStatus();
    }
    if (e.time > clock_) {
      // Other cases' marks due by now fire first, as a live engine's clock
      // would have fired them.
      if (absl::Status s = engine_.advance(e.time); !s.ok()) return s;
      clock_ = e.time;
    }
    if (e.type == EventType::kSubmitted) return submit(e);
    auto it = ids_.find(e.case_id);
    if (it == ids_.end()) {
      if (refused_.contains(e.case_id)) {
        skip(e, absl::FailedPreconditionError("its submission was refused by the new policy"));
      } else {
        ++result_.outside_window;  // submitted before `from`
      }
      return absl::OkStatus();
    }
    CommandKind kind = command_of(e.type);
    if (kind == CommandKind::kUnspecified || kind == CommandKind::kAutoReturn) {
      ++result_.engine_events;  // recomputed under the new policy
      return absl::OkStatus();
    }
    if (!e.payload.rule.empty()) {
      // A routed decision: the new catalogue decides again.
      absl::Status s = engine_.dispatch_routed(it->second, e.time, e.actor);
      if (s.ok()) {
        ++result_.commands_replayed;
        ++result_.commands_rerouted;
      } else {
        skip(e, std::move(s));
      }
      return absl::OkStatus();
    }
    Command c;
    c.kind = kind;
    c.case_id = it->second;
    c.time = e.time;
    c.actor = e.actor;
    c.payload = e.payload;
    c.payload.request_id = {};  // each source command is replayed once
    if (c.payload.other_case != 0) {
      auto other = ids_.find(c.payload.other_case);
      if (other == ids_.end()) {
        skip(e, absl::NotFoundError(absl::StrFormat(
                    "it names case %d, which the replay does not hold", c.payload.other_case)));
        return absl::OkStatus();
      }
      c.payload.other_case = other->second;
    }
    absl::Status s = engine_.apply(c);
    if (s.ok()) {
      ++result_.commands_replayed;
    } else {
      skip(e, std::move(s));
    }
    return absl::OkStatus();
  }

  absl::Status submit(const Event& e) {
    if (e.intake == nullptr) {
      return absl::DataLossError(
          absl::StrFormat("case %d: its submitted event has no intake", e.case_id));
    }
    absl::StatusOr<SubmitResult> r = engine_.submit(*e.intake);
    if (!r.ok()) {
      refused_.insert(e.case_id);
      skip(e, r.status());
      return absl::OkStatus();
    }
    ids_[e.case_id] = r->id;
    ++result_.submissions;
    ++result_.commands_replayed;
    return absl::OkStatus();
  }

  void skip(const Event& e, absl::Status why) {
    ++result_.commands_skipped;
    CommandKind kind = command_of(e.type);
    ++result_.skipped_by_kind[kind];
    if (result_.skipped.size() < options_.max_listed) {
      result_.skipped.push_back(SkippedCommand{e.case_id, e.seq, kind, e.time, std::move(why)});
    }
  }

  // The source holds nothing more for this case: once the batch is
  // committed it may leave memory.
  void end_of_history(CaseId source_id) {
    refused_.erase(source_id);
    auto it = ids_.find(source_id);
    if (it == ids_.end()) return;
    ending_.push_back(it->second);
    ids_.erase(it);
  }

  absl::Status flush() {
    if (open_) {
      open_ = false;
      if (absl::Status s = engine_.commit(); !s.ok()) return s;
    }
    // Finished cases go; a case the new policy leaves open stays, as open
    // cases do; one with a mark still armed is tried again next time.
    std::vector<CaseId> ending = std::move(ending_);
    ending_.clear();
    for (CaseId id : ending) {
      absl::StatusOr<bool> gone = engine_.let_go(id);
      if (!gone.ok()) return gone.status();
      if (!*gone) {
        const Case* c = engine_.find(id);
        if (c != nullptr && is_finished(c->state)) ending_.push_back(id);
      }
    }
    return absl::OkStatus();
  }

  bool report_progress() {
    if (!options_.progress) return true;
    progress_.events_read = result_.events_read;
    progress_.commands_replayed = result_.commands_replayed;
    progress_.commands_skipped = result_.commands_skipped;
    progress_.cases_in_memory = engine_.case_count();
    return options_.progress(progress_);
  }

  Engine& engine_;
  WhatIfResult& result_;
  const WhatIfOptions& options_;
  WhatIfProgress progress_;
  absl::flat_hash_map<CaseId, CaseId> ids_;  // source id -> replay id, while its history runs
  absl::flat_hash_set<CaseId> refused_;      // source ids whose submission was refused
  std::vector<CaseId> ending_;               // replay ids whose history ended
  TimeMs clock_ = 0;
  bool open_ = false;
};

absl::StatusOr<WhatIfResult> WhatIfReplay::run_into(const std::string& source_path,
                                                    const WhatIfOptions& options, Engine& engine) {
  if (options.policy == nullptr) {
    return absl::InvalidArgumentError("what-if replay: no policy to replay under");
  }
  if (options.until != 0 && options.until <= options.from) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "what-if replay: the window ends (%d) before it starts (%d)", options.until, options.from));
  }
  if (options.progress_every == 0) {
    return absl::InvalidArgumentError("what-if replay: progress_every must be at least 1");
  }
  if (engine.case_count() != 0 || engine.event_count() != 0 || engine.policy() != nullptr) {
    return absl::FailedPreconditionError(
        "what-if replay: the engine to replay into must be fresh (no case, no event, no policy)");
  }
  SqliteStoreOptions read;
  read.read_only = true;
  absl::StatusOr<std::unique_ptr<SqliteStore>> source = SqliteStore::open(source_path, read);
  if (!source.ok()) return source.status();

  if (absl::Status s = engine.load_policy(options.policy); !s.ok()) return s;
  WhatIfResult result;
  result.memory_bounded = (*source)->marks_known();
  Run run(engine, result, options, (*source)->event_count());
  absl::Status s = (*source)->for_each_logged_marked(
      [&run](const Event& e, bool last) { return run.event(e, last); });
  if (!s.ok()) {
    engine.rollback();
    return s;
  }
  if (absl::Status f = run.finish(options.until); !f.ok()) return f;
  return result;
}

absl::StatusOr<std::unique_ptr<WhatIfReplay>> WhatIfReplay::run(const std::string& source_path,
                                                                const WhatIfOptions& options) {
  std::unique_ptr<WhatIfReplay> out(new WhatIfReplay());
  out->engine_ = std::make_unique<Engine>(options.engine, std::make_unique<CountingStore>());
  absl::StatusOr<WhatIfResult> result = run_into(source_path, options, *out->engine_);
  if (!result.ok()) return result.status();
  out->result_ = std::move(*result);
  return out;
}

}  // namespace jszb::core
