// Engine: batches. Every changing call is one batch, or joins the explicit
// batch begin() opened; its events reach the store together and are
// acknowledged only once it has them (DESIGN: append, then apply, then tell).
#include "absl/strings/str_format.h"
#include "engine/engine.h"

namespace jszb::core {

// ------------------------------------------------------------------- batches

void Engine::reset_batch() {
  // The batch's containers keep their memory for the next batch: most batches
  // are one call, and allocating for every call would cost more than the call.
  batch_.explicit_ = false;
  batch_.open = false;
  batch_.events.clear();
  batch_.before.clear();
  batch_.touched.clear();
  batch_.next_id = 0;
  batch_.requests.clear();
  batch_.counters.clear();
  batch_.holds_store = false;
}

void Engine::start_batch() {
  batch_.open = true;
  batch_.next_id = next_id_;
}

absl::Status Engine::begin() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (batch_.open) return absl::FailedPreconditionError("a batch is open already: commit it first");
  // A durable store holds its transaction from here: the batch's reads
  // (known channel refs, request ids, cases on disk) run inside it. Not
  // while the writer thread commits the batch before: the transaction is
  // its (the batch's reads then have a connection of their own).
  bool holds_store = in_flight_ == nullptr;
  if (holds_store) {
    if (absl::Status s = store_->begin_batch(); !s.ok()) return s;
  }
  start_batch();
  batch_.explicit_ = true;
  batch_.holds_store = holds_store;
  return absl::OkStatus();
}

absl::Status Engine::commit() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (!batch_.explicit_)
    return absl::FailedPreconditionError("no batch is open: call begin() first");
  drain();  // a pipelined batch under it commits first (or fails, undoing this one)
  if (!undone_.ok()) {
    absl::Status s = std::move(undone_);
    undone_ = absl::OkStatus();
    reset_batch();
    return s;
  }
  return finish_batch();
}

void Engine::rollback() {
  if (!batch_.open || notifying_) return;
  if (!undone_.ok()) {  // undone already, with the batch under it
    undone_ = absl::OkStatus();
    reset_batch();
    return;
  }
  undo_batch();
}

absl::Status Engine::finish_batch() {
  CommitBatch out;
  out.cases.swap(commit_cases_);  // its memory, kept from the last batch
  out.cases.clear();
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
    if (batch_.holds_store) store_->abort_batch();  // nothing to write
  } else {
    s = timed_commit(*store_, out, commit_latency_, archive_ != nullptr);
  }
  commit_cases_.swap(out.cases);
  if (!s.ok()) {
    undo_batch();
    return s;
  }
  // Acknowledged: now the listeners hear of it. The events move aside, and
  // their vector comes back for the next batch.
  acknowledged_.swap(batch_.events);
  reset_batch();
  for (const Event& e : acknowledged_) notify(e);
  acknowledged_.clear();
  // Then what the store has written for good leaves memory (engine_memory.cc).
  for (const Case* c : out.released) {
    if (c->id != 0) drop(*index_.find(c->id));  // id 0: listed twice, dropped already
  }
  if (out.event_count != 0) loaded_.clear();
  maybe_reclaim_arena();
  return absl::OkStatus();
}

void Engine::undo_batch() {
  if (batch_.holds_store) store_->abort_batch();
  undo_changes(batch_);
  reset_batch();
}

void Engine::undo_changes(const Batch& b) {
  for (const auto& [pos, before] : b.before) {
    cases_[pos] = before;
    rearm(cases_[pos]);
  }
  for (const auto& [pos, created] : b.touched) {
    if (created) drop(pos);
  }
  next_id_ = b.next_id;
}

}  // namespace jszb::core
