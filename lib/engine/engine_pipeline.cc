// Engine: the pipelined commit. The caller's thread applies batch n+1 while
// the writer thread (commit_writer.h) commits batch n; a batch is
// acknowledged, and its listeners told on the caller's thread, only once it
// is durable. Each batch keeps DESIGN's order as the caller observes it:
// append (durable), then apply (already done, and undone if the append
// fails), then tell.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "store/store_fault.h"

namespace jszb::core {

absl::StatusOr<std::uint64_t> Engine::commit_async() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (!batch_.explicit_) {
    return absl::FailedPreconditionError("no batch is open: call begin() first");
  }
  if (writer_ == nullptr) {
    // From now on the reads of a batch being built may run while the batch
    // before commits (the batch stays open if this fails).
    if (absl::Status s = store_->enable_concurrent_reads(); !s.ok()) return s;
    writer_ = std::make_unique<CommitWriter>(*store_, archive_ != nullptr, commit_latency_);
  }
  // Depth one: the batch before finishes first.
  std::vector<Event> told = take_in_flight();
  if (!undone_.ok()) {
    absl::Status s = std::move(undone_);
    undone_ = absl::OkStatus();
    reset_batch();
    return s;
  }
  auto f = std::make_unique<InFlight>();
  f->ticket = ++last_ticket_;
  // Copies of the cases as the batch leaves them, in id order for the store:
  // the caller goes on changing its own while the writer reads these.
  std::vector<std::pair<CaseId, std::uint32_t>> order;
  order.reserve(batch_.touched.size());
  for (const auto& [pos, created] : batch_.touched) order.emplace_back(cases_[pos].id, pos);
  std::sort(order.begin(), order.end());
  f->cases.reserve(order.size());
  for (const auto& [id, pos] : order) f->cases.push_back(cases_[pos]);
  // Encoding the events here leaves the writer less to do than this thread.
  store_->encode(batch_.events.data(), batch_.events.size(), &f->encoded);
  std::size_t events = batch_.events.size(), before = batch_.before.size();
  f->batch = std::move(batch_);
  reset_batch();
  batch_.events.reserve(events);  // the next batch is likely as large
  batch_.before.reserve(before);
  f->out.events = f->batch.events.data();
  f->out.event_count = f->batch.events.size();
  f->out.counters = &f->batch.counters;
  if (!f->encoded.empty()) f->out.encoded = f->encoded.data();
  f->out.cases.reserve(f->cases.size());
  for (const Case& c : f->cases) f->out.cases.push_back(&c);
  std::uint64_t ticket = f->ticket;
  if (f->out.event_count == 0) {
    if (f->batch.holds_store) store_->abort_batch();  // nothing to write: durable at once
  } else {
    writer_->start(&f->out);
    in_flight_ = std::move(f);
  }
  // The batch before is acknowledged now that this one is under way.
  for (const Event& e : told) notify(e);
  return ticket;
}

absl::Status Engine::wait(std::uint64_t ticket) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (ticket == 0 || ticket > last_ticket_) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ticket %d was never given out by commit_async (the last one is %d)",
                        ticket, last_ticket_));
  }
  if (in_flight_ != nullptr && in_flight_->ticket == ticket) drain();
  if (auto it = failed_tickets_.find(ticket); it != failed_tickets_.end()) return it->second;
  return absl::OkStatus();
}

std::uint64_t Engine::poll() {
  if (!notifying_) absorb(false);
  return in_flight_ != nullptr ? in_flight_->ticket - 1 : last_ticket_;
}

void Engine::settle() const {
  if (in_flight_ != nullptr) writer_->settle();
}

void Engine::absorb(bool block) {
  if (in_flight_ == nullptr) return;
  if (!block && !writer_->finished()) return;
  std::vector<Event> told = take_in_flight();
  for (const Event& e : told) notify(e);
}

std::vector<Event> Engine::take_in_flight() {
  if (in_flight_ == nullptr) return {};
  absl::Status s = writer_->take();
  std::unique_ptr<InFlight> f = std::move(in_flight_);
  if (s.ok()) return std::move(f->batch.events);
  // The open batch was applied on top of the failed one: it is undone first,
  // then the failed one, each restoring the cases as they were before it.
  bool reopen = batch_.explicit_;
  if (batch_.open) undo_batch();
  undo_changes(f->batch);
  if (reopen) {
    // The caller is still in that batch: it stays open, refusing every call
    // until commit (which returns the error) or rollback.
    start_batch();
    batch_.explicit_ = true;
    undone_ = with_message(
        s, absl::StrFormat("this batch was undone: the batch under it (ticket %d) failed to "
                           "commit: %s",
                           f->ticket, s.message()));
  }
  failed_tickets_.emplace(f->ticket, s);
  return {};
}

}  // namespace jszb::core
