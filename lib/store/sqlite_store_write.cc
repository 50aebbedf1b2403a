// SqliteStore: the write path. A commit appends the batch's events, the
// projections that are due and the counters in one transaction.
#include <sqlite3.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "model/proto_codec.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"
#include "store/store_fault.h"

namespace jszb::core {

// ------------------------------------------------------------------- writing

absl::Status SqliteStore::begin_write() {
  if (options_.read_only) {
    return with_store_fault(absl::PermissionDeniedError(absl::StrFormat(
                                "store %s is open read-only: nothing can be written", db_.path())),
                            StoreFault::kStorage);
  }
  return db_.exec("BEGIN IMMEDIATE");
}

absl::Status SqliteStore::end_write(absl::Status status) {
  if (status.ok()) status = db_.exec("COMMIT");
  // SQLite may have rolled back already (disk full, I/O error).
  if (!status.ok() && sqlite3_get_autocommit(db_.handle()) == 0) (void)db_.exec("ROLLBACK");
  return status;
}

absl::StatusOr<std::uint64_t> SqliteStore::last_lsn_of(CaseId id) const {
  auto it = last_lsn_.find(id);
  if (it != last_lsn_.end()) return it->second;
  Statement& st = const_cast<Statement&>(case_last_lsn_);
  st.bind(1, static_cast<std::int64_t>(id));
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return 0;  // a new case
  auto lsn = static_cast<std::uint64_t>(st.column_int(0));
  st.reset();
  return lsn;
}

void SqliteStore::encode_event(const Event& e, v1::Event* msg, std::string* out) {
  to_proto(e, msg);
  if (e.type == EventType::kSubmitted && e.intake != nullptr) {
    v1::Submission* sub = msg->mutable_submission();
    strip_personal(sub->mutable_intake(), sub->mutable_contact());
  }
  out->clear();
  msg->SerializeToString(out);
}

void SqliteStore::encode(const Event* events, std::size_t count,
                         std::vector<std::string>* out) const {
  out->resize(count);
  for (std::size_t i = 0; i < count; ++i) encode_event(events[i], &encode_msg_, &(*out)[i]);
}

absl::Status SqliteStore::write_event(const Event& e, std::uint64_t lsn, std::uint64_t prev_lsn,
                                      const std::string* encoded, int row) {
  if (e.type == EventType::kSubmitted && e.intake != nullptr) {
    const Intake& in = *e.intake;
    insert_personal_.bind(1, static_cast<std::int64_t>(e.case_id))
        .bind(2, in.contact.name)
        .bind(3, in.contact.phone)
        .bind(4, in.location.address)
        .bind(5, in.content);
    if (in.location.has_point) {
      insert_personal_.bind_double(6, in.location.lat).bind_double(7, in.location.lon);
    } else {
      insert_personal_.bind_null(6).bind_null(7);
    }
    if (absl::Status s = insert_personal_.run(); !s.ok()) return s;
  }
  if (encoded == nullptr) {
    encode_event(e, &event_msg_, &bytes_);
    encoded = &bytes_;
  }
  // Row `row` of the many-row statement (run once its last row is bound), or
  // a statement of its own.
  Statement& st = row < 0 ? insert_event_ : insert_events_;
  const int at = row < 0 ? 0 : row * kEventColumns;
  st.bind(at + 1, static_cast<std::int64_t>(lsn))
      .bind(at + 2, static_cast<std::int64_t>(e.case_id))
      .bind(at + 3, static_cast<std::int64_t>(e.seq))
      .bind(at + 4, static_cast<std::int64_t>(prev_lsn))
      .bind(at + 5, static_cast<std::int64_t>(e.type))
      .bind(at + 6, static_cast<std::int64_t>(e.time))
      .bind_blob(at + 8, *encoded);
  if (e.payload.other_case != 0) {
    st.bind(at + 7, static_cast<std::int64_t>(e.payload.other_case));
  } else {
    st.bind_null(at + 7);
  }
  if (row < 0 || row == kEventRows - 1) {
    if (absl::Status s = st.run(); !s.ok()) return s;
  }
  if (!e.payload.request_id.empty()) {
    insert_request_.bind(1, e.payload.request_id).bind(2, static_cast<std::int64_t>(lsn));
    if (absl::Status s = insert_request_.run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::write_case(const Case& c, std::uint64_t last_lsn) {
  to_proto(c, &case_msg_);
  strip_personal(case_msg_.mutable_intake(), case_msg_.mutable_contact());
  bytes_.clear();
  case_msg_.SerializeToString(&bytes_);
  const Intake& in = *c.intake;
  const Deadline& reply = c.deadline(StepId::kReply);
  upsert_case_.bind(1, static_cast<std::int64_t>(c.id))
      .bind(2, static_cast<std::int64_t>(c.state))
      .bind(3, static_cast<std::int64_t>(in.channel))
      .bind(4, in.channel_ref)
      .bind(5, static_cast<std::int64_t>(in.kind))
      .bind(6, in.category[0])
      .bind(7, in.category[1])
      .bind(8, in.category[2])
      .bind(9, in.location.district)
      .bind(10, in.location.street)
      .bind(11, in.location.community)
      .bind(12, static_cast<std::int64_t>(c.lead_unit))
      .bind(13, in.time)
      .bind(14, reply.running() ? reply.due : 0)
      .bind(15, c.closed)
      .bind(16, c.last_event)
      .bind(17, static_cast<std::int64_t>(c.event_count))
      .bind(18, static_cast<std::int64_t>(last_lsn))
      .bind(19, static_cast<std::int64_t>(c.policy_version))
      .bind_blob(20, bytes_);
  if (absl::Status s = upsert_case_.run(); !s.ok()) return s;
  delete_units_.bind(1, static_cast<std::int64_t>(c.id));
  if (absl::Status s = delete_units_.run(); !s.ok()) return s;
  auto add_unit = [&](UnitId u) -> absl::Status {
    if (u == 0) return absl::OkStatus();
    insert_unit_.bind(1, static_cast<std::int64_t>(c.id)).bind(2, static_cast<std::int64_t>(u));
    return insert_unit_.run();
  };
  if (absl::Status s = add_unit(c.lead_unit); !s.ok()) return s;
  for (UnitId u : c.copy_to) {
    if (absl::Status s = add_unit(u); !s.ok()) return s;
  }
  for (UnitId u : c.co_handlers) {
    if (absl::Status s = add_unit(u); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::write_meta(std::string_view key, std::int64_t value) {
  update_meta_.bind(1, key).bind(2, value);
  return update_meta_.run();
}

std::vector<CaseId> SqliteStore::due_for_flush(std::uint64_t next_lsn, bool all) const {
  std::vector<CaseId> out;
  for (const auto& [lsn, id] : fifo_) {
    auto it = dirty_.find(id);
    if (it == dirty_.end() || it->second.first_lsn != lsn) continue;  // flushed since
    if (!all && lsn + options_.checkpoint_events > next_lsn) break;
    out.push_back(id);
  }
  return out;
}

std::uint64_t SqliteStore::checkpoint_after(const std::vector<CaseId>& flushed,
                                            std::uint64_t last_lsn) const {
  absl::flat_hash_set<CaseId> gone(flushed.begin(), flushed.end());
  for (const auto& [lsn, id] : fifo_) {
    auto it = dirty_.find(id);
    if (it == dirty_.end() || it->second.first_lsn != lsn || gone.contains(id)) continue;
    return lsn - 1;  // the oldest projection still behind
  }
  return last_lsn;
}

void SqliteStore::forget_flushed(const std::vector<CaseId>& flushed) {
  for (CaseId id : flushed) dirty_.erase(id);
  while (!fifo_.empty()) {
    auto it = dirty_.find(fifo_.front().second);
    if (it != dirty_.end() && it->second.first_lsn == fifo_.front().first) break;
    fifo_.pop_front();
  }
}

absl::Status SqliteStore::check_recovered() const {
  if (recovered_) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrFormat(
      "store %s has not been recovered: open it with open_durable_engine() (or call "
      "Engine::recover()) before writing",
      db_.path()));
}

absl::Status SqliteStore::begin_batch() {
  // A store that cannot write refuses at commit, with the reason.
  if (!recovered_ || options_.read_only || batch_open_) return absl::OkStatus();
  if (absl::Status s = begin_write(); !s.ok()) return s;
  batch_open_ = true;
  return absl::OkStatus();
}

void SqliteStore::abort_batch() {
  if (!batch_open_) return;
  batch_open_ = false;
  if (sqlite3_get_autocommit(db_.handle()) == 0) (void)db_.exec("ROLLBACK");
}

absl::Status SqliteStore::commit(const CommitBatch& batch) {
  // Writing before the tail of the log was replayed would lose it.
  if (absl::Status s = check_recovered(); !s.ok()) return s;
  if (batch_open_) {
    batch_open_ = false;  // this commit ends the transaction, whatever happens
  } else if (absl::Status s = begin_write(); !s.ok()) {
    return s;
  }
  // What this commit changes in memory is applied only once it is durable.
  absl::flat_hash_map<CaseId, std::uint64_t> first_in_batch, last_in_batch;
  first_in_batch.reserve(batch.cases.size());  // one entry per case with events
  last_in_batch.reserve(batch.cases.size());
  std::uint64_t lsn = next_lsn_;
  absl::Status status;
  for (std::size_t i = 0; i < batch.event_count && status.ok(); ++i, ++lsn) {
    const Event& e = batch.events[i];
    auto last = last_in_batch.find(e.case_id);
    absl::StatusOr<std::uint64_t> prev = last != last_in_batch.end()
                                             ? absl::StatusOr<std::uint64_t>(last->second)
                                             : last_lsn_of(e.case_id);
    const std::string* encoded = batch.encoded != nullptr ? &batch.encoded[i] : nullptr;
    // Whole runs of kEventRows events go in one statement each, the rest one by one.
    std::size_t run_start = i - i % kEventRows;
    int row = run_start + kEventRows <= batch.event_count ? static_cast<int>(i % kEventRows) : -1;
    status = prev.ok() ? write_event(e, lsn, *prev, encoded, row) : prev.status();
    first_in_batch.try_emplace(e.case_id, lsn);
    last_in_batch[e.case_id] = lsn;
  }
  std::vector<CaseId> flush;
  std::uint64_t checkpoint = checkpoint_lsn_;
  if (status.ok()) {
    flush = due_for_flush(lsn, false);
    absl::flat_hash_map<CaseId, const Case*> in_batch;
    if (!flush.empty()) {
      for (const Case* c : batch.cases) in_batch.emplace(c->id, c);
    }
    for (CaseId id : flush) {
      auto last = last_in_batch.find(id);
      absl::StatusOr<std::uint64_t> lsn_of = last != last_in_batch.end()
                                                 ? absl::StatusOr<std::uint64_t>(last->second)
                                                 : last_lsn_of(id);
      // As the batch leaves it, or as the last commit did.
      auto now = in_batch.find(id);
      const Case& c = now != in_batch.end() ? *now->second : dirty_.at(id).c;
      status = lsn_of.ok() ? write_case(c, *lsn_of) : lsn_of.status();
      if (!status.ok()) break;
    }
  }
  // The cases the engine lets go of: written now if behind, and never dirty,
  // since the engine's copy will be gone.
  absl::flat_hash_set<CaseId> released;
  for (std::size_t i = 0; i < batch.released.size() && status.ok(); ++i) {
    const Case& c = *batch.released[i];
    released.insert(c.id);
    auto last = last_in_batch.find(c.id);
    if (last == last_in_batch.end() && !dirty_.contains(c.id)) continue;  // stored as it is
    absl::StatusOr<std::uint64_t> lsn_of = last != last_in_batch.end()
                                               ? absl::StatusOr<std::uint64_t>(last->second)
                                               : last_lsn_of(c.id);
    status = lsn_of.ok() ? write_case(c, *lsn_of) : lsn_of.status();
    if (status.ok() && dirty_.contains(c.id)) flush.push_back(c.id);
  }
  std::vector<std::pair<CaseId, const Case*>> newly_dirty;
  if (status.ok()) {
    // Cases dirty already stay so (or were just written as they now stand).
    for (const Case* c : batch.cases) {
      if (!dirty_.contains(c->id) && first_in_batch.contains(c->id) && !released.contains(c->id)) {
        newly_dirty.emplace_back(c->id, c);
      }
    }
    checkpoint = checkpoint_after(flush, lsn - 1);
    if (checkpoint == lsn - 1 && !newly_dirty.empty()) {
      checkpoint = first_in_batch.at(newly_dirty.front().first) - 1;
      for (const auto& [id, c] : newly_dirty) {
        checkpoint = std::min(checkpoint, first_in_batch.at(id) - 1);
      }
    }
    if (checkpoint != checkpoint_lsn_) {
      status = write_meta("checkpoint_lsn", static_cast<std::int64_t>(checkpoint));
    }
  }
  if (status.ok() && batch.counters != nullptr) status = write_counters(*batch.counters);
  if (absl::Status s = end_write(status); !s.ok()) return s;

  next_lsn_ = lsn;
  checkpoint_lsn_ = checkpoint;
  for (const auto& [id, last] : last_in_batch) {
    if (!released.contains(id)) last_lsn_[id] = last;  // read back from the file if needed
    max_case_id_ = std::max(max_case_id_, id);
  }
  for (CaseId id : released) last_lsn_.erase(id);
  record_lsn();  // after the commit: the record is never ahead of the log
  forget_flushed(flush);
  for (const Case* c : batch.cases) {
    if (auto it = dirty_.find(c->id); it != dirty_.end()) it->second.c = *c;
  }
  // In the order of their first event, so that the fifo stays sorted.
  std::sort(newly_dirty.begin(), newly_dirty.end(), [&](const auto& a, const auto& b) {
    return first_in_batch.at(a.first) < first_in_batch.at(b.first);
  });
  for (const auto& [id, c] : newly_dirty) {
    std::uint64_t first = first_in_batch.at(id);
    dirty_[id] = Dirty{*c, first};
    fifo_.emplace_back(first, id);
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::save_policy(const Policy& policy) {
  if (absl::Status s = begin_write(); !s.ok()) return s;
  absl::Status status;
  auto run = [&](const std::string& sql, auto&& bind) {
    if (!status.ok()) return;
    absl::StatusOr<Statement*> st = cached(sql);
    if (!st.ok()) {
      status = st.status();
      return;
    }
    bind(**st);
    status = (*st)->run();
  };
  run("INSERT OR IGNORE INTO policies (version, name, file, text) VALUES (?1, ?2, ?3, ?4)",
      [&](Statement& st) {
        st.bind(1, static_cast<std::int64_t>(policy.version()))
            .bind(2, policy.name())
            .bind(3, policy.file())
            .bind(4, policy.text());
      });
  // Not a structured binding: a lambda may not capture one before C++20 (clang says so).
  for (const auto& file : policy.named_files()) {
    run("INSERT OR IGNORE INTO policy_files (version, name, text) VALUES (?1, ?2, ?3)",
        [&](Statement& st) {
          st.bind(1, static_cast<std::int64_t>(policy.version()))
              .bind(2, file.first)
              .bind(3, file.second);
        });
  }
  if (status.ok()) status = write_meta("current_policy", policy.version());
  return end_write(status);
}

}  // namespace jszb::core
