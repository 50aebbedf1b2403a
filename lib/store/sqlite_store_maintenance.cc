// SqliteStore: looking after what the store holds: checkpoints, erasing a
// citizen's personal data, purging old finished cases.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "base/log.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"
#include "store/store_fault.h"

namespace jszb::core {

absl::Status SqliteStore::checkpoint() {
  if (absl::Status s = check_recovered(); !s.ok()) return s;
  if (dirty_.empty() && checkpoint_lsn_ == next_lsn_ - 1) return absl::OkStatus();
  // A read-only store stays behind: its next writer replays the tail.
  if (options_.read_only) return absl::OkStatus();
  if (absl::Status s = begin_write(); !s.ok()) return s;
  std::vector<CaseId> flush = due_for_flush(next_lsn_, true);
  absl::Status status;
  for (CaseId id : flush) {
    absl::StatusOr<std::uint64_t> last = last_lsn_of(id);
    status = last.ok() ? write_case(dirty_.at(id).c, *last) : last.status();
    if (!status.ok()) break;
  }
  if (status.ok()) status = write_meta("checkpoint_lsn", static_cast<std::int64_t>(next_lsn_ - 1));
  if (absl::Status s = end_write(status); !s.ok()) return s;
  checkpoint_lsn_ = next_lsn_ - 1;
  dirty_.clear();  // every projection is written
  fifo_.clear();
  log_at(LogLevel::kInfo, "store %s: checkpoint at log position %d, %d case rows written", path(),
         checkpoint_lsn_, flush.size());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SqliteStore::check_file() const {
  // integrity_check, not quick_check: only it compares each index with its
  // table (a damaged index page of the main file otherwise goes unnoticed).
  // On a store of the demo's size (a week of a district) it takes well
  // under a second (docs/store.md).
  absl::StatusOr<Statement*> st = cached("PRAGMA integrity_check(100)");
  if (!st.ok()) return st.status();
  std::vector<std::string> found;
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) {
      found.push_back(
          absl::StrFormat("the store file could not be checked: %s", row.status().message()));
      break;
    }
    if (!*row) break;
    std::string_view text = (*st)->column_text(0);
    if (text != "ok") found.push_back(absl::StrFormat("the store file is damaged: %s", text));
  }
  return found;
}

absl::Status SqliteStore::erase_personal(CaseId id, TimeMs time) {
  if (absl::Status s = begin_write(); !s.ok()) return s;
  absl::Status status;
  absl::StatusOr<Statement*> del = cached("DELETE FROM personal WHERE case_id = ?1");
  status = del.status();
  if (status.ok()) status = (*del)->bind(1, static_cast<std::int64_t>(id)).run();
  if (status.ok()) {
    absl::StatusOr<Statement*> rec =
        cached("INSERT OR REPLACE INTO erasures (case_id, time_ms) VALUES (?1, ?2)");
    status = rec.status();
    if (status.ok()) status = (*rec)->bind(1, static_cast<std::int64_t>(id)).bind(2, time).run();
  }
  if (absl::Status s = end_write(status); !s.ok()) return s;
  // The pages that held the data, zeroed by secure_delete, go to the file now,
  // and the WAL, whose older frames still hold it, is emptied. A reader holding
  // the WAL (the sqlite3 shell) keeps it from emptying: then the next checkpoint
  // does it, and the erasure stands either way.
  absl::StatusOr<std::int64_t> busy = db_.query_int("PRAGMA wal_checkpoint(TRUNCATE)");
  return busy.status();
}

absl::StatusOr<std::vector<CaseId>> SqliteStore::purge(TimeMs before) {
  if (absl::Status s = checkpoint(); !s.ok()) return s;
  if (absl::Status s = begin_write(); !s.ok()) return s;
  std::vector<std::pair<CaseId, std::uint64_t>> doomed;
  absl::Status status;
  {
    absl::StatusOr<Statement*> st = cached(absl::StrFormat(
        "SELECT id, last_lsn FROM cases WHERE state IN (%s) AND last_event_ms < ?1 ORDER BY id",
        finished_states_sql()));
    status = st.status();
    if (status.ok()) {
      (*st)->bind(1, before);
      while (true) {
        absl::StatusOr<bool> row = (*st)->step();
        if (!row.ok()) {
          status = row.status();
          break;
        }
        if (!*row) break;
        doomed.emplace_back(static_cast<CaseId>((*st)->column_int(0)),
                            static_cast<std::uint64_t>((*st)->column_int(1)));
      }
    }
  }
  // A case another case names (merged into it, a duplicate of it) stays as
  // long as that one does: the log must replay without it missing.
  if (status.ok()) {
    absl::flat_hash_set<CaseId> doomed_ids;
    for (const auto& [id, last] : doomed) doomed_ids.insert(id);
    absl::StatusOr<Statement*> referrers =
        cached("SELECT DISTINCT case_id FROM events WHERE other_case = ?1");
    status = referrers.status();
    for (bool changed = true; changed && status.ok();) {
      changed = false;
      for (auto it = doomed.begin(); it != doomed.end() && status.ok();) {
        (*referrers)->bind(1, static_cast<std::int64_t>(it->first));
        bool kept = false;
        while (true) {
          absl::StatusOr<bool> row = (*referrers)->step();
          if (!row.ok()) {
            status = row.status();
            break;
          }
          if (!*row) break;
          if (!doomed_ids.contains(static_cast<CaseId>((*referrers)->column_int(0)))) {
            kept = true;
            (*referrers)->reset();
            break;
          }
        }
        if (kept) {
          doomed_ids.erase(it->first);
          it = doomed.erase(it);
          changed = true;
        } else {
          ++it;
        }
      }
    }
  }
  const char* deletes[] = {
      "DELETE FROM personal WHERE case_id = ?1", "DELETE FROM case_units WHERE case_id = ?1",
      "DELETE FROM erasures WHERE case_id = ?1", "DELETE FROM cases WHERE id = ?1"};
  CaseId max_purged = 0;
  for (const auto& [id, last] : doomed) {
    if (!status.ok()) break;
    // The case's events, newest first along its chain.
    for (std::uint64_t lsn = last; lsn != 0 && status.ok();) {
      writer_reads_.event_at.bind(1, static_cast<std::int64_t>(lsn));
      absl::StatusOr<bool> row = writer_reads_.event_at.step();
      if (!row.ok()) {
        status = row.status();
        break;
      }
      std::uint64_t prev =
          *row ? static_cast<std::uint64_t>(writer_reads_.event_at.column_int(0)) : 0;
      writer_reads_.event_at.reset();
      absl::StatusOr<Statement*> del = cached("DELETE FROM events WHERE lsn = ?1");
      status = del.status();
      if (status.ok()) status = (*del)->bind(1, static_cast<std::int64_t>(lsn)).run();
      lsn = prev;
    }
    for (const char* sql : deletes) {
      if (!status.ok()) break;
      absl::StatusOr<Statement*> del = cached(sql);
      status = del.status();
      if (status.ok()) status = (*del)->bind(1, static_cast<std::int64_t>(id)).run();
    }
    max_purged = std::max(max_purged, id);
  }
  if (status.ok() && max_purged != 0) {
    absl::StatusOr<std::int64_t> old =
        db_.query_int("SELECT value FROM meta WHERE key = 'purged_max_case_id'");
    status = old.status();
    if (status.ok() && static_cast<CaseId>(*old) < max_purged) {
      status = write_meta("purged_max_case_id", static_cast<std::int64_t>(max_purged));
    }
  }
  if (absl::Status s = end_write(status); !s.ok()) return s;
  if (max_purged != 0) purged_ = true;
  std::vector<CaseId> ids;
  ids.reserve(doomed.size());
  for (const auto& [id, last] : doomed) {
    last_lsn_.erase(id);
    ids.push_back(id);
  }
  return ids;
}

}  // namespace jszb::core
