// Engine: batches. Every changing call is one batch, or joins the explicit
// batch begin() opened; its events reach the store together and are
// acknowledged only once it has them (DESIGN: append, then apply, then tell).
#include "absl/strings/str_format.h"
#include "engine/engine.h"

namespace jszb::core {

// ------------------------------------------------------------------- batches

void Engine::reset_batch() {
  // The counter maps keep their memory for the next batch: most batches are
  // one call, and allocating a map per call would cost more than counting.
  Counters counters = std::move(batch_.counters);
  counters.clear();
  batch_ = Batch();
  batch_.counters.units.swap(counters.units);
  batch_.counters.volumes.swap(counters.volumes);
}

void Engine::start_batch() {
  batch_.open = true;
  batch_.next_id = next_id_;
}

absl::Status Engine::begin() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (batch_.open) return absl::FailedPreconditionError("a batch is open already: commit it first");
  // A durable store holds its transaction from here: the batch's reads
  // (known channel refs, request ids, cases on disk) run inside it.
  if (absl::Status s = store_->begin_batch(); !s.ok()) return s;
  start_batch();
  batch_.explicit_ = true;
  return absl::OkStatus();
}

absl::Status Engine::commit() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (!batch_.explicit_)
    return absl::FailedPreconditionError("no batch is open: call begin() first");
  return finish_batch();
}

void Engine::rollback() {
  if (batch_.open && !notifying_) undo_batch();
}

absl::Status Engine::finish_batch() {
  CommitBatch out;
  out.events = batch_.events.data();
  out.event_count = batch_.events.size();
  out.counters = &batch_.counters;
  out.cases.reserve(batch_.touched.size());
  for (const auto& [pos, created] : batch_.touched) out.cases.push_back(&cases_[pos]);
  // A deterministic order for the store (the map's is not).
  std::sort(out.cases.begin(), out.cases.end(),
            [](const Case* a, const Case* b) { return a->id < b->id; });
  // A commit without events writes nothing: what it would release waits.
  if (out.event_count != 0) collect_released(out.released);
  absl::Status s = absl::OkStatus();
  if (out.event_count == 0) {
    store_->abort_batch();  // nothing to write
  } else {
    s = store_->commit(out);
  }
  if (!s.ok()) {
    undo_batch();
    return s;
  }
  std::vector<Event> events = std::move(batch_.events);
  reset_batch();
  // Acknowledged: now the listeners hear of it.
  for (const Event& e : events) notify(e);
  // Then what the store has written for good leaves memory (engine_memory.cc).
  for (const Case* c : out.released) {
    if (c->id != 0) drop(*index_.find(c->id));  // id 0: listed twice, dropped already
  }
  if (out.event_count != 0) loaded_.clear();
  maybe_reclaim_arena();
  return absl::OkStatus();
}

void Engine::undo_batch() {
  store_->abort_batch();
  for (const auto& [pos, before] : batch_.before) {
    cases_[pos] = before;
    rearm(cases_[pos]);
  }
  for (const auto& [pos, created] : batch_.touched) {
    if (created) drop(pos);
  }
  next_id_ = batch_.next_id;
  reset_batch();
}

}  // namespace jszb::core
