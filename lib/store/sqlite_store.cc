#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "base/enum_cast.h"
#include "model/deep_copy.h"
#include "model/proto_codec.h"
#include "store/sqlite_schema.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {

// What a case's content reads once the citizen's personal data is erased (the
// lifecycle needs some content; statistics do not read it).
constexpr std::string_view kErasedContent = "[erased]";

constexpr std::int64_t kPageSize = 4096;

// Takes the citizen's personal data out of an intake: it is stored apart.
void strip_personal(v1::Intake* in, v1::Contact* contact) {
  contact->Clear();
  v1::Location* loc = in->mutable_location();
  loc->clear_address();
  loc->clear_lat();
  loc->clear_lon();
  in->clear_content();
}

// Puts personal data back from the personal columns at `col` (name, phone,
// address, content, lat, lon); all NULL: erased.
void restore_personal(const Statement& st, int col, v1::Intake* in, v1::Contact* contact) {
  if (st.column_is_null(col)) {
    in->set_content(std::string(kErasedContent));
    return;
  }
  contact->set_name(std::string(st.column_text(col)));
  contact->set_phone(std::string(st.column_text(col + 1)));
  v1::Location* loc = in->mutable_location();
  loc->set_address(std::string(st.column_text(col + 2)));
  in->set_content(std::string(st.column_text(col + 3)));
  if (!st.column_is_null(col + 4)) {
    loc->set_lat(st.column_double(col + 4));
    loc->set_lon(st.column_double(col + 5));
  }
}

// The finished states, as the partial index cases_open names them.
std::string finished_states_sql() {
  std::string out;
  for (int s = 1; s <= kStateCount; ++s) {
    if (!is_finished(static_cast<State>(s))) continue;
    if (!out.empty()) out += ",";
    out += std::to_string(s);
  }
  return out;
}

constexpr const char* kPersonalColumns = "p.name, p.phone, p.address, p.content, p.lat, p.lon";

// A damaged row: the store is corrupt.
absl::Status corrupt_store(const std::string& message) {
  return with_store_fault(absl::DataLossError(message), StoreFault::kCorrupt);
}

absl::Status corrupt(const std::string& path, std::string_view what, CaseId id,
                     const absl::Status& s) {
  return corrupt_store(absl::StrFormat("store %s: %s of case %d does not decode: %s", path, what, id,
                                             s.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                               const SqliteStoreOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  if (absl::Status s = store->init(path, options); !s.ok()) return s;
  return store;
}

SqliteStore::~SqliteStore() {
  // No checkpoint here: the cases it would write belong to the engine, which
  // checkpoints before it lets its store go (a projection left behind is
  // replayed from the log on open).
  insert_event_ = Statement();
  insert_personal_ = Statement();
  insert_request_ = Statement();
  upsert_case_ = Statement();
  delete_units_ = Statement();
  insert_unit_ = Statement();
  update_meta_ = Statement();
  find_request_ = Statement();
  find_channel_ = Statement();
  load_case_ = Statement();
  event_at_ = Statement();
  case_last_lsn_ = Statement();
  queries_.clear();
  db_.close();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

absl::Status SqliteStore::init(const std::string& path, const SqliteStoreOptions& options) {
  options_ = options;
  if (path.empty()) return absl::InvalidArgumentError("store path is empty");
  if (options.checkpoint_events == 0) {
    return absl::InvalidArgumentError("checkpoint_events is 0: expected at least 1");
  }

  // One writer at a time, enforced by an advisory lock that dies with its
  // process (a crashed writer never leaves the store locked).
  lock_path_ = path + "-lock";
  lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0 && options.read_only) lock_fd_ = ::open(lock_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (lock_fd_ < 0) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "cannot create the lock file %s of store %s: %s", lock_path_, path, std::strerror(errno)));
  }
  if (::flock(lock_fd_, (options.read_only ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    int err = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (err == EWOULDBLOCK) {
      return with_store_fault(
          absl::UnavailableError(absl::StrFormat(
              "store %s is open already (in this process or another)%s: one process writes a "
              "store at a time (lock file %s)",
              path, options.read_only ? " for writing" : "", lock_path_)),
          StoreFault::kLocked);
    }
    return absl::UnavailableError(
        absl::StrFormat("cannot lock store %s: %s", path, std::strerror(err)));
  }

  if (absl::Status s = db_.open(path, !options.read_only, options.read_only); !s.ok()) return s;
  if (!options.read_only && sqlite3_db_readonly(db_.handle(), "main") == 1) {
    return with_store_fault(
        absl::PermissionDeniedError(absl::StrFormat(
            "store %s is a read-only file: open it read-only, or make it writable", path)),
        StoreFault::kStorage);
  }
  sqlite3_busy_timeout(db_.handle(), 5000);
  // The header check comes first: a file that is not a database fails here
  // with a clear error, before anything is written to it.
  if (absl::Status s = prepare_schema(db_, options.read_only); !s.ok()) return s;
  if (!options.read_only) {
    absl::StatusOr<Statement> wal = db_.prepare("PRAGMA journal_mode = WAL");
    if (!wal.ok()) return wal.status();
    absl::StatusOr<bool> row = wal->step();
    if (!row.ok()) return row.status();
    if (!*row || wal->column_text(0) != "wal") {
      return absl::FailedPreconditionError(
          absl::StrFormat("store %s cannot use WAL mode (its file system may not allow it)", path));
    }
  }
  std::string pragmas = absl::StrFormat(
      "PRAGMA synchronous = %s; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; "
      "PRAGMA temp_store = MEMORY;",
      options.synchronous_full ? "FULL" : "NORMAL");
  if (absl::Status s = db_.exec(pragmas); !s.ok()) return s;
  if (absl::Status s = set_max_bytes(options.max_bytes); !s.ok()) return s;
  if (absl::Status s = prepare_statements(); !s.ok()) return s;

  absl::StatusOr<std::int64_t> checkpoint =
      db_.query_int("SELECT value FROM meta WHERE key = 'checkpoint_lsn'");
  if (!checkpoint.ok()) return checkpoint.status();
  absl::StatusOr<std::int64_t> max_lsn = db_.query_int("SELECT coalesce(max(lsn), 0) FROM events");
  if (!max_lsn.ok()) return max_lsn.status();
  absl::StatusOr<std::int64_t> max_id = db_.query_int("SELECT coalesce(max(id), 0) FROM cases");
  if (!max_id.ok()) return max_id.status();
  absl::StatusOr<std::int64_t> purged =
      db_.query_int("SELECT value FROM meta WHERE key = 'purged_max_case_id'");
  if (!purged.ok()) return purged.status();
  absl::StatusOr<std::int64_t> counted =
      db_.query_int("SELECT value FROM meta WHERE key = 'counters_complete'");
  if (!counted.ok()) return counted.status();
  counters_complete_ = *counted != 0;
  purged_ = *purged != 0;
  checkpoint_lsn_ = static_cast<std::uint64_t>(*checkpoint);
  // Purged events leave no row, but their positions are never used again.
  next_lsn_ = static_cast<std::uint64_t>(std::max(*max_lsn, *checkpoint)) + 1;
  max_case_id_ = static_cast<CaseId>(std::max(*max_id, *purged));
  return absl::OkStatus();
}

absl::Status SqliteStore::set_max_bytes(std::uint64_t max_bytes) {
  if (options_.read_only) return absl::OkStatus();
  options_.max_bytes = max_bytes;
  // 0 restores SQLite's own limit (about 4 billion pages).
  std::int64_t pages = max_bytes == 0 ? 4294967294LL
                                      : std::max<std::int64_t>(
                                            1, static_cast<std::int64_t>(max_bytes) / kPageSize);
  absl::StatusOr<std::int64_t> set =
      db_.query_int(absl::StrFormat("PRAGMA max_page_count = %d", pages));
  return set.status();
}

namespace {

// Adds a unit's counters to its row (made if missing) of `table`, keyed by
// (`time_key`, unit).
std::string upsert_unit_sql(const char* table, const char* time_key) {
  return absl::StrFormat(
      "INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, ?17, ?18) ON CONFLICT (%s, unit) DO UPDATE SET "
      "visits = visits + ?3, contacted = contacted + ?4, solved = solved + ?5, "
      "satisfied = satisfied + ?6, basically_satisfied = basically_satisfied + ?7, "
      "not_satisfied = not_satisfied + ?8, sign_outcomes = sign_outcomes + ?9, "
      "signed_on_time = signed_on_time + ?10, replies = replies + ?11, "
      "replied_on_time = replied_on_time + ?12, dispatched = dispatched + ?13, "
      "first_contacts = first_contacts + ?14, response_ms = response_ms + ?15, "
      "closed = closed + ?16, handling_ms = handling_ms + ?17, breached = breached + ?18",
      table, time_key);
}

std::string upsert_volume_sql(const char* table, const char* time_key) {
  return absl::StrFormat(
      "INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (%s, dim, "
      "district, a, b, c, channel, kind) DO UPDATE SET received = received + ?9",
      table, time_key);
}

}  // namespace

absl::Status SqliteStore::prepare_statements() {
  struct Entry {
    Statement* st;
    std::string sql;
  };
  std::string personal_join = "LEFT JOIN personal p ON p.case_id = ";
  const Entry entries[] = {
      {&insert_event_,
       "INSERT INTO events (lsn, case_id, seq, prev_lsn, type, time_ms, other_case, body) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&insert_personal_,
       "INSERT OR REPLACE INTO personal (case_id, name, phone, address, content, lat, lon) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&insert_request_, "INSERT INTO requests (request_id, lsn) VALUES (?1, ?2)"},
      {&upsert_case_,
       "INSERT INTO cases (id, state, channel, channel_ref, kind, category1, category2, "
       "category3, district, street, community, lead_unit, received_ms, reply_due_ms, "
       "closed_ms, last_event_ms, event_count, last_lsn, policy_version, body) VALUES (?1, ?2, "
       "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
       "ON CONFLICT (id) DO UPDATE SET state = ?2, lead_unit = ?12, reply_due_ms = ?14, "
       "closed_ms = ?15, last_event_ms = ?16, event_count = ?17, last_lsn = ?18, body = ?20"},
      {&delete_units_, "DELETE FROM case_units WHERE case_id = ?1"},
      {&insert_unit_, "INSERT OR IGNORE INTO case_units (case_id, unit) VALUES (?1, ?2)"},
      {&update_meta_, "UPDATE meta SET value = ?2 WHERE key = ?1"},
      {&find_request_, "SELECT 1 FROM requests WHERE request_id = ?1"},
      {&find_channel_, "SELECT id FROM cases WHERE channel = ?1 AND channel_ref = ?2"},
      {&load_case_, absl::StrFormat("SELECT c.id, c.body, c.last_lsn, %s FROM cases c %s c.id "
                                    "WHERE c.id = ?1",
                                    kPersonalColumns, personal_join)},
      {&event_at_, absl::StrFormat("SELECT e.prev_lsn, e.body, %s FROM events e %s e.case_id "
                                   "AND e.type = 1 WHERE e.lsn = ?1",
                                   kPersonalColumns, personal_join)},
      {&case_last_lsn_, "SELECT last_lsn FROM cases WHERE id = ?1"},
      {&upsert_unit_counter_, upsert_unit_sql("unit_counters", "bucket")},
      {&upsert_volume_counter_, upsert_volume_sql("volume_counters", "bucket")},
      {&upsert_unit_month_, upsert_unit_sql("unit_counters_month", "month")},
      {&upsert_volume_month_, upsert_volume_sql("volume_counters_month", "month")},
  };
  for (const Entry& e : entries) {
    // A read-only store prepares only what reads.
    if (options_.read_only && (e.sql.rfind("INSERT", 0) == 0 || e.sql.rfind("UPDATE", 0) == 0 ||
                               e.sql.rfind("DELETE", 0) == 0)) {
      continue;
    }
    absl::StatusOr<Statement> st = db_.prepare(e.sql);
    if (!st.ok()) return st.status();
    *e.st = std::move(*st);
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement*> SqliteStore::cached(const std::string& sql) const {
  auto it = queries_.find(sql);
  if (it != queries_.end()) return it->second.get();
  absl::StatusOr<Statement> st = db_.prepare(sql);
  if (!st.ok()) return st.status();
  auto owned = std::make_unique<Statement>(std::move(*st));
  Statement* raw = owned.get();
  queries_.emplace(sql, std::move(owned));
  return raw;
}

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

absl::Status SqliteStore::write_event(const Event& e, std::uint64_t lsn, std::uint64_t prev_lsn) {
  to_proto(e, &event_msg_);
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
    v1::Submission* sub = event_msg_.mutable_submission();
    strip_personal(sub->mutable_intake(), sub->mutable_contact());
  }
  bytes_.clear();
  event_msg_.SerializeToString(&bytes_);
  insert_event_.bind(1, static_cast<std::int64_t>(lsn))
      .bind(2, static_cast<std::int64_t>(e.case_id))
      .bind(3, static_cast<std::int64_t>(e.seq))
      .bind(4, static_cast<std::int64_t>(prev_lsn))
      .bind(5, static_cast<std::int64_t>(e.type))
      .bind(6, static_cast<std::int64_t>(e.time))
      .bind_blob(8, bytes_);
  if (e.payload.other_case != 0) {
    insert_event_.bind(7, static_cast<std::int64_t>(e.payload.other_case));
  } else {
    insert_event_.bind_null(7);
  }
  if (absl::Status s = insert_event_.run(); !s.ok()) return s;
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
  std::uint64_t lsn = next_lsn_;
  absl::Status status;
  for (std::size_t i = 0; i < batch.event_count && status.ok(); ++i, ++lsn) {
    const Event& e = batch.events[i];
    auto last = last_in_batch.find(e.case_id);
    absl::StatusOr<std::uint64_t> prev = last != last_in_batch.end()
                                             ? absl::StatusOr<std::uint64_t>(last->second)
                                             : last_lsn_of(e.case_id);
    status = prev.ok() ? write_event(e, lsn, *prev) : prev.status();
    first_in_batch.try_emplace(e.case_id, lsn);
    last_in_batch[e.case_id] = lsn;
  }
  std::vector<CaseId> flush;
  std::uint64_t checkpoint = checkpoint_lsn_;
  if (status.ok()) {
    flush = due_for_flush(lsn, false);
    for (CaseId id : flush) {
      auto last = last_in_batch.find(id);
      absl::StatusOr<std::uint64_t> lsn_of = last != last_in_batch.end()
                                                 ? absl::StatusOr<std::uint64_t>(last->second)
                                                 : last_lsn_of(id);
      status = lsn_of.ok() ? write_case(*dirty_.at(id).c, *lsn_of) : lsn_of.status();
      if (!status.ok()) break;
    }
  }
  std::vector<std::pair<CaseId, const Case*>> newly_dirty;
  if (status.ok()) {
    // Cases dirty already stay so (or were just written as they now stand).
    for (const Case* c : batch.cases) {
      if (!dirty_.contains(c->id) && first_in_batch.contains(c->id)) {
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
    last_lsn_[id] = last;
    max_case_id_ = std::max(max_case_id_, id);
  }
  forget_flushed(flush);
  // In the order of their first event, so that the fifo stays sorted.
  std::sort(newly_dirty.begin(), newly_dirty.end(), [&](const auto& a, const auto& b) {
    return first_in_batch.at(a.first) < first_in_batch.at(b.first);
  });
  for (const auto& [id, c] : newly_dirty) {
    std::uint64_t first = first_in_batch.at(id);
    dirty_[id] = Dirty{c, first};
    fifo_.emplace_back(first, id);
  }
  return absl::OkStatus();
}

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
    status = last.ok() ? write_case(*dirty_.at(id).c, *last) : last.status();
    if (!status.ok()) break;
  }
  if (status.ok()) status = write_meta("checkpoint_lsn", static_cast<std::int64_t>(next_lsn_ - 1));
  if (absl::Status s = end_write(status); !s.ok()) return s;
  checkpoint_lsn_ = next_lsn_ - 1;
  dirty_.clear();  // every projection is written
  fifo_.clear();
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
  for (const auto& [name, text] : policy.named_files()) {
    run("INSERT OR IGNORE INTO policy_files (version, name, text) VALUES (?1, ?2, ?3)",
        [&](Statement& st) {
          st.bind(1, static_cast<std::int64_t>(policy.version())).bind(2, name).bind(3, text);
        });
  }
  if (status.ok()) status = write_meta("current_policy", policy.version());
  return end_write(status);
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
  return end_write(status);
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
  const char* deletes[] = {"DELETE FROM personal WHERE case_id = ?1",
                           "DELETE FROM case_units WHERE case_id = ?1",
                           "DELETE FROM erasures WHERE case_id = ?1",
                           "DELETE FROM cases WHERE id = ?1"};
  CaseId max_purged = 0;
  for (const auto& [id, last] : doomed) {
    if (!status.ok()) break;
    // The case's events, newest first along its chain.
    for (std::uint64_t lsn = last; lsn != 0 && status.ok();) {
      event_at_.bind(1, static_cast<std::int64_t>(lsn));
      absl::StatusOr<bool> row = event_at_.step();
      if (!row.ok()) {
        status = row.status();
        break;
      }
      std::uint64_t prev = *row ? static_cast<std::uint64_t>(event_at_.column_int(0)) : 0;
      event_at_.reset();
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

absl::Status SqliteStore::write_counters(const Counters& counters) {
  // Each change goes to its half-day row and to its assessment month's row.
  for (const auto& [key, tally] : counters.units) {
    if (tally.zero()) continue;  // taken back where it was counted
    for (auto [st, when] : {std::pair{&upsert_unit_counter_, std::int64_t{key.first}},
                            std::pair{&upsert_unit_month_, std::int64_t{month_of(key.first)}}}) {
      st->bind(1, when).bind(2, std::int64_t{key.second});
      int column = 3;
      for (const std::int64_t* field : tally.fields()) st->bind(column++, *field);
      absl::StatusOr<bool> done = st->step();
      if (!done.ok()) return done.status();
    }
  }
  for (const auto& [key, n] : counters.volumes) {
    if (n == 0) continue;
    for (auto [st, when] :
         {std::pair{&upsert_volume_counter_, std::int64_t{key.bucket}},
          std::pair{&upsert_volume_month_, std::int64_t{month_of(key.bucket)}}}) {
      st->bind(1, when)
          .bind(2, static_cast<std::int64_t>(key.dim))
          .bind(3, key.district)
          .bind(4, key.path[0])
          .bind(5, key.path[1])
          .bind(6, key.path[2])
          .bind(7, static_cast<std::int64_t>(key.channel))
          .bind(8, static_cast<std::int64_t>(key.kind))
          .bind(9, n);
      absl::StatusOr<bool> done = st->step();
      if (!done.ok()) return done.status();
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::rebuild_counters(const Counters& counters,
                                           const std::vector<const Case*>& cases) {
  if (absl::Status s = check_recovered(); !s.ok()) return s;
  if (absl::Status s = begin_write(); !s.ok()) return s;
  absl::Status status = db_.exec(
      "DELETE FROM unit_counters; DELETE FROM volume_counters; DELETE FROM unit_counters_month; "
      "DELETE FROM volume_counters_month;");
  if (status.ok()) status = write_counters(counters);
  for (std::size_t i = 0; i < cases.size() && status.ok(); ++i) {
    absl::StatusOr<std::uint64_t> last = last_lsn_of(cases[i]->id);
    status = last.ok() ? write_case(*cases[i], *last) : last.status();
  }
  if (status.ok()) status = write_meta("counters_complete", 1);
  if (absl::Status s = end_write(status); !s.ok()) return s;
  counters_complete_ = true;
  return absl::OkStatus();
}

absl::StatusOr<CounterTotals> SqliteStore::sum_counters(Bucket from, Bucket until) const {
  // Whole assessment months inside the range come from their rolled-up rows,
  // the half-days before and after them from theirs.
  struct Part {
    const char* grain;  // "" for half-days, "_month" for months
    const char* key;
    std::int64_t lo, hi;
  };
  std::vector<Part> parts;
  // Months are civil dates: only ranges within years 1970..9998 use them (an
  // unbounded range, as verify() asks for, reads every half-day row).
  static const Bucket kLastMonthly = first_bucket(9998 * 12);
  bool monthly = from >= 0 && until <= kLastMonthly;
  if (until > from) {
    Month m_lo = monthly ? month_of(from) : 0;
    if (monthly && first_bucket(m_lo) < from) ++m_lo;
    Month m_hi = monthly ? month_of(until) : 0;  // months before it end by `until`
    if (monthly && m_hi > m_lo) {
      parts.push_back({"", "bucket", from, first_bucket(m_lo)});
      parts.push_back({"_month", "month", m_lo, m_hi});
      parts.push_back({"", "bucket", first_bucket(m_hi), until});
    } else {
      parts.push_back({"", "bucket", from, until});
    }
  }
  CounterTotals out;
  std::map<std::tuple<int, std::string, std::string, std::string, std::string, int, int>,
           std::int64_t>
      volumes;
  for (const Part& part : parts) {
    if (part.hi <= part.lo) continue;
    absl::StatusOr<Statement*> units = cached(absl::StrFormat(
        "SELECT unit, sum(visits), sum(contacted), sum(solved), sum(satisfied), "
        "sum(basically_satisfied), sum(not_satisfied), sum(sign_outcomes), sum(signed_on_time), "
        "sum(replies), sum(replied_on_time), sum(dispatched), sum(first_contacts), "
        "sum(response_ms), sum(closed), sum(handling_ms), sum(breached) FROM unit_counters%s "
        "WHERE %s >= ?1 AND %s < ?2 GROUP BY unit",
        part.grain, part.key, part.key));
    if (!units.ok()) return units.status();
    Statement& u = **units;
    u.bind(1, part.lo).bind(2, part.hi);
    while (true) {
      absl::StatusOr<bool> row = u.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      UnitTally t;
      int column = 1;
      for (std::int64_t* field : t.fields()) *field = u.column_int(column++);
      out.units[static_cast<UnitId>(u.column_int(0))].add(t);
    }
    absl::StatusOr<Statement*> rows = cached(absl::StrFormat(
        "SELECT dim, district, a, b, c, channel, kind, sum(received) FROM volume_counters%s "
        "WHERE %s >= ?1 AND %s < ?2 GROUP BY dim, district, a, b, c, channel, kind",
        part.grain, part.key, part.key));
    if (!rows.ok()) return rows.status();
    Statement& v = **rows;
    v.bind(1, part.lo).bind(2, part.hi);
    while (true) {
      absl::StatusOr<bool> row = v.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      volumes[{static_cast<int>(v.column_int(0)), std::string(v.column_text(1)),
               std::string(v.column_text(2)), std::string(v.column_text(3)),
               std::string(v.column_text(4)), static_cast<int>(v.column_int(5)),
               static_cast<int>(v.column_int(6))}] += v.column_int(7);
    }
  }
  for (auto it = out.units.begin(); it != out.units.end();) {
    it = it->second.zero() ? out.units.erase(it) : std::next(it);
  }
  out.volumes.reserve(volumes.size());
  for (auto& [key, n] : volumes) {
    if (n == 0) continue;
    auto& [dim, district, a, b, c, channel, kind] = key;
    out.volumes.push_back({static_cast<VolumeDim>(dim), district, {a, b, c},
                           enum_cast<Channel>(channel), enum_cast<Kind>(kind), n});
  }
  std::sort(out.volumes.begin(), out.volumes.end());
  return out;
}

// ------------------------------------------------------------------- reading

absl::StatusOr<Case> SqliteStore::decode_case_row(const Statement& st, Arena& arena) const {
  CaseId id = static_cast<CaseId>(st.column_int(0));
  v1::Case msg;
  std::string_view body = st.column_blob(1);
  if (!msg.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return corrupt_store(
        absl::StrFormat("store %s: the projection of case %d does not parse", db_.path(), id));
  }
  restore_personal(st, 3, msg.mutable_intake(), msg.mutable_contact());
  DecodedCase decoded;
  if (absl::Status s = from_proto(msg, &decoded); !s.ok()) return corrupt(db_.path(), "the projection", id, s);
  if (decoded.c.id != id) {
    return corrupt_store(absl::StrFormat(
        "store %s: the projection in row %d is of case %d", db_.path(), id, decoded.c.id));
  }
  return deep_copy(decoded.c, arena);
}

absl::StatusOr<std::optional<Case>> SqliteStore::read_case(CaseId id, Arena& arena,
                                                           std::uint64_t* last_lsn) const {
  Statement& st = const_cast<Statement&>(load_case_);
  st.bind(1, static_cast<std::int64_t>(id));
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  absl::StatusOr<Case> c = decode_case_row(st, arena);
  if (last_lsn != nullptr) *last_lsn = static_cast<std::uint64_t>(st.column_int(2));
  st.reset();
  if (!c.ok()) return c.status();
  return *c;
}

absl::StatusOr<std::optional<Case>> SqliteStore::stored_case(CaseId id, Arena& arena) const {
  return read_case(id, arena, nullptr);
}

absl::StatusOr<std::optional<Case>> SqliteStore::load_case(CaseId id, Arena& arena) const {
  std::uint64_t last = 0;
  absl::StatusOr<std::optional<Case>> c = read_case(id, arena, &last);
  // The engine takes the case into memory: its next event links to its last.
  if (c.ok() && c->has_value()) last_lsn_.try_emplace(id, last);
  return c;
}

absl::Status SqliteStore::for_each_open_case(
    Arena& arena, const std::function<absl::Status(const Case&)>& visit) const {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT c.id, c.body, c.last_lsn, %s FROM cases c INDEXED BY cases_open "
      "LEFT JOIN personal p ON p.case_id = c.id "
      "WHERE c.state NOT IN (%s) ORDER BY c.id",
      kPersonalColumns, finished_states_sql()));
  if (!st.ok()) return st.status();
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<Case> c = decode_case_row(**st, arena);
    if (!c.ok()) {
      (*st)->reset();
      return c.status();
    }
    last_lsn_[c->id] = static_cast<std::uint64_t>((*st)->column_int(2));
    if (absl::Status s = visit(*c); !s.ok()) {
      (*st)->reset();
      return s;
    }
  }
}

namespace {

// An event row's body (column `body`) with its personal columns at `personal`.
absl::Status decode_event_row(const Statement& st, int body_col, int personal_col,
                              v1::Event* msg, DecodedEvent* out) {
  std::string_view body = st.column_blob(body_col);
  if (!msg->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return corrupt_store("an event row does not parse as a jszb.v1.Event");
  }
  if (msg->has_submission()) {
    v1::Submission* sub = msg->mutable_submission();
    restore_personal(st, personal_col, sub->mutable_intake(), sub->mutable_contact());
  }
  return from_proto(*msg, out);
}

}  // namespace

absl::Status SqliteStore::for_each_tail_event(
    const std::function<absl::Status(const Event&)>& visit) {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT e.lsn, e.body, %s FROM events e LEFT JOIN personal p ON e.type = 1 AND "
      "p.case_id = e.case_id WHERE e.lsn > ?1 ORDER BY e.lsn",
      kPersonalColumns));
  if (!st.ok()) return st.status();
  (*st)->bind(1, static_cast<std::int64_t>(checkpoint_lsn_));
  v1::Event msg;
  DecodedEvent decoded;
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    replay_lsn_ = static_cast<std::uint64_t>((*st)->column_int(0));
    if (absl::Status s = decode_event_row(**st, 1, 2, &msg, &decoded); !s.ok()) {
      (*st)->reset();
      return corrupt_store(absl::StrFormat("store %s: event at log position %d: %s",
                                                 db_.path(), replay_lsn_, s.message()));
    }
    const Event& e = decoded.event;
    if (absl::Status s = visit(e); !s.ok()) {
      (*st)->reset();
      return with_message(s, absl::StrFormat("store %s: event at log position %d (case %d, "
                                             "event %d) could not be recovered: %s",
                                             db_.path(), replay_lsn_, e.case_id, e.seq,
                                             s.message()));
    }
    std::uint64_t& last = last_lsn_[e.case_id];
    last = std::max(last, replay_lsn_);
    max_case_id_ = std::max(max_case_id_, e.case_id);
  }
  replay_lsn_ = 0;
  recovered_ = true;
  return absl::OkStatus();
}

void SqliteStore::replayed(const Case& c) {
  if (dirty_.contains(c.id)) return;
  dirty_[c.id] = Dirty{&c, replay_lsn_};
  fifo_.emplace_back(replay_lsn_, c.id);
}

absl::Status SqliteStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT e.lsn, e.body, %s FROM events e LEFT JOIN personal p ON e.type = 1 AND "
      "p.case_id = e.case_id ORDER BY e.lsn",
      kPersonalColumns));
  if (!st.ok()) return st.status();
  v1::Event msg;
  DecodedEvent decoded;
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (absl::Status s = decode_event_row(**st, 1, 2, &msg, &decoded); !s.ok()) {
      std::int64_t lsn = (*st)->column_int(0);
      (*st)->reset();
      return corrupt_store(
          absl::StrFormat("store %s: event at log position %d: %s", db_.path(), lsn, s.message()));
    }
    visit(decoded.event);
  }
}

absl::Status SqliteStore::for_each_event(CaseId id,
                                         const std::function<void(const Event&)>& visit) const {
  // Walk the case's chain back from its last event, then visit oldest first.
  struct Row {
    v1::Event msg;
  };
  std::vector<std::unique_ptr<Row>> rows;
  Statement& st = const_cast<Statement&>(event_at_);
  absl::StatusOr<std::uint64_t> last = last_lsn_of(id);
  if (!last.ok()) return last.status();
  for (std::uint64_t lsn = *last; lsn != 0;) {
    st.bind(1, static_cast<std::int64_t>(lsn));
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return corrupt_store(absl::StrFormat(
          "store %s: case %d's history links to log position %d, which is missing", db_.path(),
          id, lsn));
    }
    auto r = std::make_unique<Row>();
    DecodedEvent scratch;
    if (absl::Status s = decode_event_row(st, 1, 2, &r->msg, &scratch); !s.ok()) {
      st.reset();
      return corrupt_store(
          absl::StrFormat("store %s: event at log position %d: %s", db_.path(), lsn, s.message()));
    }
    lsn = static_cast<std::uint64_t>(st.column_int(0));
    st.reset();
    rows.push_back(std::move(r));
  }
  DecodedEvent decoded;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (absl::Status s = from_proto((*it)->msg, &decoded); !s.ok()) return s;
    visit(decoded.event);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<CaseId>> SqliteStore::find_channel_ref(Channel channel,
                                                                    std::string_view ref) const {
  Statement& st = const_cast<Statement&>(find_channel_);
  st.bind(1, static_cast<std::int64_t>(channel)).bind(2, ref);
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  CaseId id = static_cast<CaseId>(st.column_int(0));
  st.reset();
  return id;
}

absl::StatusOr<bool> SqliteStore::request_seen(std::string_view request_id) const {
  Statement& st = const_cast<Statement&>(find_request_);
  st.bind(1, request_id);
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (*row) st.reset();
  return *row;
}

absl::StatusOr<std::vector<CaseId>> SqliteStore::list(
    const CaseFilter& f, const std::function<bool(CaseId)>& skip) const {
  // One statement per combination of conditions, every value bound.
  std::string sql = "SELECT id FROM cases WHERE id > ?1";
  if (f.state != State::kUnspecified) sql += " AND state = ?2";
  if (f.unit != 0) sql += " AND id IN (SELECT case_id FROM case_units WHERE unit = ?3)";
  if (!f.district.empty()) sql += " AND district = ?4";
  if (!f.street.empty()) sql += " AND street = ?5";
  if (!f.community.empty()) sql += " AND community = ?6";
  if (!f.category[0].empty()) sql += " AND category1 = ?7";
  if (!f.category[1].empty()) sql += " AND category2 = ?8";
  if (!f.category[2].empty()) sql += " AND category3 = ?9";
  if (f.received_from != 0) sql += " AND received_ms >= ?10";
  if (f.received_until != 0) sql += " AND received_ms < ?11";
  if (f.due_from != 0 || f.due_until != 0) sql += " AND reply_due_ms != 0";
  if (f.due_from != 0) sql += " AND reply_due_ms >= ?12";
  if (f.due_until != 0) sql += " AND reply_due_ms < ?13";
  sql += " ORDER BY id";
  absl::StatusOr<Statement*> found = cached(sql);
  if (!found.ok()) return found.status();
  Statement& st = **found;
  st.bind(1, static_cast<std::int64_t>(f.after));
  if (f.state != State::kUnspecified) st.bind(2, static_cast<std::int64_t>(f.state));
  if (f.unit != 0) st.bind(3, static_cast<std::int64_t>(f.unit));
  if (!f.district.empty()) st.bind(4, f.district);
  if (!f.street.empty()) st.bind(5, f.street);
  if (!f.community.empty()) st.bind(6, f.community);
  for (int i = 0; i < 3; ++i) {
    if (!f.category[i].empty()) st.bind(7 + i, f.category[i]);
  }
  if (f.received_from != 0) st.bind(10, f.received_from);
  if (f.received_until != 0) st.bind(11, f.received_until);
  if (f.due_from != 0) st.bind(12, f.due_from);
  if (f.due_until != 0) st.bind(13, f.due_until);
  std::vector<CaseId> out;
  while (true) {
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto id = static_cast<CaseId>(st.column_int(0));
    if (skip && skip(id)) continue;
    out.push_back(id);
    if (f.limit != 0 && out.size() == f.limit) {
      st.reset();
      break;
    }
  }
  return out;
}

absl::StatusOr<StoredPolicies> SqliteStore::stored_policies() const {
  StoredPolicies out;
  absl::StatusOr<Statement*> st = cached("SELECT version, file, text FROM policies ORDER BY version");
  if (!st.ok()) return st.status();
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StoredPolicy p;
    p.version = static_cast<std::uint32_t>((*st)->column_int(0));
    p.file = std::string((*st)->column_text(1));
    p.text = std::string((*st)->column_text(2));
    out.policies.push_back(std::move(p));
  }
  absl::StatusOr<Statement*> files =
      cached("SELECT name, text FROM policy_files WHERE version = ?1 ORDER BY name");
  if (!files.ok()) return files.status();
  for (StoredPolicy& p : out.policies) {
    (*files)->bind(1, static_cast<std::int64_t>(p.version));
    while (true) {
      absl::StatusOr<bool> row = (*files)->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      p.named_files.emplace_back(std::string((*files)->column_text(0)),
                                 std::string((*files)->column_text(1)));
    }
  }
  absl::StatusOr<std::int64_t> current =
      db_.query_int("SELECT value FROM meta WHERE key = 'current_policy'");
  if (!current.ok()) return current.status();
  out.current = static_cast<std::uint32_t>(*current);
  return out;
}

}  // namespace jszb::core
