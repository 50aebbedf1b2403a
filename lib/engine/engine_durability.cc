// Engine: a durable store. Recovery rebuilds an engine from its store;
// checkpoint, erasure, purge and verify look after what the store holds.
#include <algorithm>
#include <limits>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "base/log.h"
#include "engine/engine.h"
#include "model/deep_copy.h"
#include "model/names.h"
#include "store/memory_store.h"
#include "store/store_fault.h"

namespace jszb::core {

// ------------------------------------------------------------ durable stores

absl::Status Engine::load_stored_policies() {
  absl::StatusOr<StoredPolicies> stored = recovery_->stored_policies();
  if (!stored.ok()) return stored.status();
  for (const StoredPolicy& sp : stored->policies) {
    auto read = [&sp](const std::string& name) -> absl::StatusOr<std::string> {
      for (const auto& [file, text] : sp.named_files) {
        if (file == name) return text;
      }
      return absl::NotFoundError(absl::StrFormat("%s is not in the store", name));
    };
    absl::StatusOr<std::shared_ptr<const Policy>> p = Policy::load(sp.file, sp.text, read);
    // Policies are checked before they are stored: one that does not load
    // now is damaged in the file (JSZB_E_CORRUPT), not a caller's mistake.
    if (!p.ok()) {
      return with_store_fault(
          absl::DataLossError(absl::StrFormat("the store's policy version %d no longer loads: %s",
                                              sp.version, p.status().message())),
          StoreFault::kCorrupt);
    }
    policies_.emplace(sp.version, *p);
  }
  if (stored->current != 0) {
    auto it = policies_.find(stored->current);
    if (it == policies_.end()) {
      return with_store_fault(
          absl::DataLossError(absl::StrFormat(
              "the store's current policy is version %d, which it does not hold", stored->current)),
          StoreFault::kCorrupt);
    }
    current_ = it->second;
  }
  return absl::OkStatus();
}

absl::Status Engine::recover() {
  if (absl::Status s = check_no_batch("recover()"); !s.ok()) return s;
  if (case_count_ != 0 || !policies_.empty()) {
    return absl::FailedPreconditionError("recover() runs once, on a fresh engine");
  }
  struct Recovering {
    bool& flag;
    explicit Recovering(bool& f) : flag(f) { flag = true; }
    ~Recovering() { flag = false; }
  } recovering(recovering_);
  if (recovery_ == nullptr) return absl::OkStatus();  // an in-memory store: nothing to recover
  if (absl::Status s = load_stored_policies(); !s.ok()) return s;
  std::uint64_t loaded = 0, tail_events = 0;
  absl::Status s = recovery_->for_each_open_case(arena_, [this, &loaded](const Case& c) {
    adopt(c);
    ++loaded;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  // The log past the checkpoint: events its projections do not have yet.
  s = recovery_->for_each_tail_event([this, &tail_events](const Event& e) -> absl::Status {
    absl::StatusOr<Case*> found = find_mutable(e.case_id);
    if (!found.ok()) return found.status();
    if (*found != nullptr && e.seq <= (*found)->event_count) return absl::OkStatus();
    start_batch();
    absl::Status replayed = replay_one(e);
    reset_batch();  // in the log already: nothing to commit
    if (!replayed.ok()) return replayed;
    recovery_->replayed(*find(e.case_id));
    ++tail_events;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  next_id_ = std::max(next_id_, recovery_->max_case_id() + 1);
  log_at(LogLevel::kInfo,
         "store recovered: %d open cases loaded, %d events past the checkpoint replayed, log at "
         "position %d",
         loaded, tail_events, store_->event_count());
  if (recovery_->counters_incomplete()) {
    log_at(LogLevel::kWarn, "store has no report counters yet: recounting them from the whole log");
    return rebuild_counters();
  }
  return absl::OkStatus();
}

absl::Status Engine::rebuild_counters() {
  Engine fresh(options_);
  fresh.policies_ = policies_;  // the same areas and rules as this engine counted with
  fresh.current_ = current_;
  absl::Status replayed = absl::OkStatus();
  absl::Status read = store_->for_each_logged([&](const Event& e) {
    if (replayed.ok()) replayed = fresh.replay(e);
  });
  if (!read.ok()) return read;
  if (!replayed.ok()) {
    return absl::DataLossError(
        absl::StrFormat("recounting the store's log for its counters: %s", replayed.message()));
  }
  std::vector<const Case*> cases;
  cases.reserve(fresh.case_count_);
  for (std::size_t pos = 0; pos < fresh.cases_.size(); ++pos) {
    if (fresh.cases_[pos].id != 0) cases.push_back(&fresh.cases_[pos]);
  }
  // `fresh` has the default store, in memory.
  const Counters& recounted = static_cast<const MemoryStore&>(*fresh.store_).counters();
  if (absl::Status s = recovery_->rebuild_counters(recounted, cases); !s.ok()) {
    return s;
  }
  // The open cases in memory were loaded from projections an older version
  // wrote: they take the log's projection (which may hold more, e.g. the
  // extensions of a dispatch) as the store now has it, keeping their intake,
  // which holds the personal data the log leaves out. Their clocks follow.
  for (const Case* recounted : cases) {
    if (const std::uint32_t* pos = index_.find(recounted->id)) {
      Case& mine = cases_[*pos];
      const Intake* intake = mine.intake;
      mine = deep_copy(*recounted, arena_);
      mine.intake = intake;
      rearm(mine);
      recovery_->replayed(mine);  // a projection still behind takes the new copy
    }
  }
  return absl::OkStatus();
}

absl::Status Engine::checkpoint() {
  if (absl::Status s = check_no_batch("checkpoint()"); !s.ok()) return s;
  return archive_ == nullptr ? absl::OkStatus() : archive_->checkpoint();
}

absl::Status Engine::erase_personal(CaseId id, TimeMs time) {
  if (absl::Status s = check_no_batch("erase_personal()"); !s.ok()) return s;
  absl::StatusOr<Case*> found = find_mutable(id);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  if (archive_ == nullptr) {
    return absl::FailedPreconditionError(
        "erase_personal: this engine has no store file (an in-memory engine's log keeps the "
        "request as submitted until it is closed)");
  }
  if (absl::Status s = archive_->erase_personal(id, time); !s.ok()) return s;
  Case& c = **found;
  Intake erased = *c.intake;
  erased.contact = Contact();
  erased.location.address = {};
  erased.location.has_point = false;
  erased.location.lat = 0;
  erased.location.lon = 0;
  erased.content = "[erased]";
  c.intake = deep_copy(erased, arena_);
  return absl::OkStatus();
}

absl::StatusOr<std::size_t> Engine::purge(TimeMs before) {
  if (absl::Status s = check_no_batch("purge()"); !s.ok()) return s;
  if (archive_ == nullptr) {
    return absl::FailedPreconditionError(
        "purge: this engine has no store file (an in-memory engine keeps everything until it "
        "is closed)");
  }
  absl::StatusOr<std::vector<CaseId>> purged = archive_->purge(before);
  if (!purged.ok()) return purged.status();
  for (CaseId id : *purged) {
    if (const std::uint32_t* pos = index_.find(id)) drop(*pos);
  }
  return purged->size();
}

absl::StatusOr<VerifyReport> Engine::verify(const ProgressFn& progress) {
  if (absl::Status s = check_no_batch("verify()"); !s.ok()) return s;
  if (absl::Status s = checkpoint(); !s.ok()) return s;
  VerifyReport report;
  auto problem = [&report](std::string text) {
    ++report.mismatches;
    if (report.problems.size() < 20) report.problems.push_back(std::move(text));
  };
  // The file itself first: damage SQLite finds (a page, an index that
  // disagrees with its table) may be where the comparisons below never look.
  if (archive_ != nullptr) {
    absl::StatusOr<std::vector<std::string>> damage = archive_->check_file();
    if (!damage.ok()) return damage.status();
    for (std::string& text : *damage) problem(std::move(text));
  }
  Engine fresh(options_);
  fresh.policies_ = policies_;  // the same areas and rules as this engine counted with
  fresh.current_ = current_;
  // A case whose log does not replay is reported once; the others go on.
  absl::flat_hash_set<CaseId> broken;
  ProgressTicker replaying(progress, "replay", store_->event_count());
  absl::Status stopped;  // the log cannot be left mid-way: the rest is only read
  absl::Status read = store_->for_each_logged([&](const Event& e) {
    if (!stopped.ok()) return;
    stopped = replaying.tick();
    ++report.events;
    if (broken.contains(e.case_id)) return;
    absl::Status s = fresh.replay(e);
    if (!s.ok()) {
      broken.insert(e.case_id);
      problem(absl::StrFormat("event %d of case %d does not replay: %s", e.seq, e.case_id,
                              s.message()));
    }
  });
  if (!read.ok()) {
    // A log the file check found damaged: what it found is the report.
    if (report.mismatches == 0) return read;
    problem(absl::StrFormat("the log could not be read to the end: %s", read.message()));
    return report;
  }
  if (!stopped.ok()) return stopped;
  if (absl::Status s = replaying.finish(); !s.ok()) return s;
  absl::StatusOr<std::vector<CaseId>> ids = fresh.list(CaseFilter());
  if (!ids.ok()) return ids.status();
  auto scratch = std::make_unique<Arena>();
  ProgressTicker comparing(progress, "compare", ids->size());
  for (CaseId id : *ids) {
    if (absl::Status s = comparing.tick(); !s.ok()) return s;
    const Case* want = fresh.find(id);
    if (broken.contains(id)) continue;
    ++report.cases;
    if (report.cases % 4096 == 0) scratch = std::make_unique<Arena>();
    // A projection still behind its log (a read-only store cannot catch it
    // up) is compared through the engine's copy only.
    if (archive_ != nullptr && !archive_->is_behind(id)) {
      absl::StatusOr<std::optional<Case>> stored = archive_->stored_case(id, *scratch);
      if (!stored.ok()) return stored.status();
      if (!stored->has_value()) {
        problem(absl::StrFormat("case %d is in the log but has no stored projection", id));
        continue;
      }
      if (!(**stored == *want)) {
        problem(
            absl::StrFormat("case %d: the stored projection (event %d, %s) differs from its "
                            "log (event %d, %s)",
                            id, (*stored)->event_count, name((*stored)->state), want->event_count,
                            name(want->state)));
        continue;
      }
    }
    if (const Case* mine = find(id); mine != nullptr && !(*mine == *want)) {
      problem(absl::StrFormat(
          "case %d: the engine's copy (event %d, %s) differs from its log "
          "(event %d, %s)",
          id, mine->event_count, name(mine->state), want->event_count, name(want->state)));
    }
  }
  if (absl::Status s = comparing.finish(); !s.ok()) return s;
  // The counters against a recount of the log (purged cases' counts stay in
  // the counters and are gone from the log: nothing to compare them with).
  if (broken.empty() && (archive_ == nullptr || !archive_->has_purged())) {
    constexpr Bucket kAll[2] = {std::numeric_limits<Bucket>::min(),
                                std::numeric_limits<Bucket>::max()};
    absl::StatusOr<CounterTotals> kept = store_->sum_counters(kAll[0], kAll[1]);
    if (!kept.ok()) return kept.status();
    absl::StatusOr<CounterTotals> recounted = fresh.store_->sum_counters(kAll[0], kAll[1]);
    if (!recounted.ok()) return recounted.status();
    for (const auto& [unit, tally] : recounted->units) {
      auto it = kept->units.find(unit);
      if (it == kept->units.end() || !(it->second == tally)) {
        problem(absl::StrFormat("the counters of unit %d differ from a recount of the log", unit));
      }
    }
    for (const auto& [unit, tally] : kept->units) {
      if (recounted->units.count(unit) == 0) {
        problem(absl::StrFormat("the counters have unit %d, which the log never counts", unit));
      }
    }
    if (kept->volumes.size() != recounted->volumes.size() ||
        !std::equal(kept->volumes.begin(), kept->volumes.end(), recounted->volumes.begin(),
                    [](const VolumeTotal& a, const VolumeTotal& b) {
                      return !(a < b) && !(b < a) && a.received == b.received;
                    })) {
      problem("the volume counters differ from a recount of the log");
    }
  }
  if (archive_ != nullptr) {
    absl::StatusOr<std::vector<CaseId>> stored = archive_->list(CaseFilter(), nullptr);
    if (!stored.ok()) return stored.status();
    for (CaseId id : *stored) {
      if (fresh.find(id) == nullptr && !broken.contains(id)) {
        problem(absl::StrFormat("case %d has a stored projection but no events in the log", id));
      }
    }
  }
  return report;
}

}  // namespace jszb::core
