// SqliteStore: opening a store (the lock, the schema, recovery checks) and
// the statements it prepares once. Writing, reading, counters and maintenance
// are in sqlite_store_{write,read,counters,maintenance}.cc.
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "absl/strings/str_format.h"
#include "store/file_hold.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_schema.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {

// Whether a read-only open must read the file as immutable: SQLite reads a
// WAL-mode file with its -wal and -shm files, which a writer that closed
// cleanly has deleted, and which a reader cannot create in a directory it may
// not write (a read-only mount): SQLite 3.40 then refuses the file
// (SQLITE_READONLY_DIRECTORY). With -wal there (a writer has it open, or died),
// the ordinary open reads it.
bool needs_immutable(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);  // SQLite names -wal after the file, not a link
  if (real == nullptr) return false;               // the open says why
  std::string file(real);
  std::free(real);
  // An empty -wal without its -shm (a reader left it) holds nothing either.
  struct stat wal {};
  if (::stat((file + "-wal").c_str(), &wal) == 0) {
    if (wal.st_size != 0 || ::access((file + "-shm").c_str(), F_OK) == 0) return false;
  } else if (errno != ENOENT) {
    return false;
  }
  std::string::size_type slash = file.rfind('/');
  std::string dir = slash == 0 ? "/" : file.substr(0, slash);
  return ::access(dir.c_str(), W_OK) != 0;
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
  insert_events_ = Statement();
  insert_personal_ = Statement();
  insert_request_ = Statement();
  upsert_case_ = Statement();
  delete_units_ = Statement();
  insert_unit_ = Statement();
  update_meta_ = Statement();
  writer_reads_ = ApplyReads();
  reader_reads_ = ApplyReads();
  reader_.close();
  case_last_lsn_ = Statement();
  queries_.clear();
  if (db_.is_open() && sqlite3_get_autocommit(db_.handle()) == 0 && options_.read_only) {
    (void)db_.exec("COMMIT");  // ends the reader's snapshot
  }
  db_.close();
  // After the connection: the hold's descriptor must outlive SQLite's locks.
  hold_.reset();
}

absl::Status SqliteStore::init(const std::string& path, const SqliteStoreOptions& options) {
  options_ = options;
  if (path.empty()) return absl::InvalidArgumentError("store path is empty");
  if (options.checkpoint_events == 0) {
    return absl::InvalidArgumentError("checkpoint_events is 0: expected at least 1");
  }

  // One writer per file, whatever name it is opened by (file_hold.h).
  // Readers take no lock: WAL mode keeps them and the writer apart.
  FileHold::Mode mode = options.read_only ? FileHold::Mode::kReader : FileHold::Mode::kWriter;
  bool immutable = options.read_only && needs_immutable(path);
  if (immutable) mode = FileHold::Mode::kImmutable;
  absl::StatusOr<std::unique_ptr<FileHold>> hold = FileHold::acquire(path, mode);
  if (!hold.ok()) return hold.status();
  hold_ = std::move(*hold);
  // Read before the snapshot: a writer going on meanwhile only moves the log
  // further ahead of it.
  std::string record_path = LsnRecord::path_for(path);
  std::optional<LsnMark> recorded = LsnRecord::read(record_path);

  if (absl::Status s = db_.open(path, !options.read_only, options.read_only, immutable); !s.ok()) {
    return s;
  }
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
  // A reader sees the store as it was when it opened (one snapshot, however
  // the writer goes on), so that what it loads and replays agrees.
  if (options.read_only) {
    if (absl::Status s = db_.exec("BEGIN"); !s.ok()) return s;
  }

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
  absl::StatusOr<std::int64_t> lost_ids =
      db_.query_int("SELECT value FROM meta WHERE key = 'lost_max_case_id'");
  if (!lost_ids.ok()) return lost_ids.status();
  absl::StatusOr<std::int64_t> id_high =
      db_.query_int("SELECT value FROM meta WHERE key = 'store_id_high'");
  if (!id_high.ok()) return id_high.status();
  absl::StatusOr<std::int64_t> id_low =
      db_.query_int("SELECT value FROM meta WHERE key = 'store_id_low'");
  if (!id_low.ok()) return id_low.status();
  id_ = StoreId{static_cast<std::uint64_t>(*id_high), static_cast<std::uint64_t>(*id_low)};
  absl::StatusOr<std::int64_t> counted =
      db_.query_int("SELECT value FROM meta WHERE key = 'counters_complete'");
  if (!counted.ok()) return counted.status();
  counters_complete_ = *counted != 0;
  purged_ = *purged != 0;
  checkpoint_lsn_ = static_cast<std::uint64_t>(*checkpoint);
  // Purged events leave no row, but their positions are never used again.
  next_lsn_ = static_cast<std::uint64_t>(std::max(*max_lsn, *checkpoint)) + 1;
  max_case_id_ = static_cast<CaseId>(std::max({*max_id, *purged, *lost_ids}));
  if (absl::Status s = check_lost_events(recorded); !s.ok()) return s;
  if (!options.read_only && lsn_record_.open(record_path)) record_lsn();
  return absl::OkStatus();
}

absl::Status SqliteStore::check_lost_events(const std::optional<LsnMark>& recorded) {
  // No record, or one of another store (a file put in this one's place):
  // nothing to compare with; the writer starts a record of its own.
  if (!recorded || !(recorded->id == id_)) return absl::OkStatus();
  std::uint64_t last = next_lsn_ - 1;
  if (recorded->lsn <= last) return absl::OkStatus();
  if (!options_.accept_lost_events) {
    return with_store_fault(
        absl::DataLossError(absl::StrFormat(
            "store %s has lost %d acknowledged events: its log ends at position %d, and %s "
            "records that position %d was committed (a damaged WAL, a backup restored in its "
            "place, or synchronous NORMAL and a power cut). Nothing was written. To open it "
            "anyway with the events it has, set accept_lost_events "
            "(jszb_store_options.accept_lost_events; docs/store.md, \"What survives what\")",
            db_.path(), recorded->lsn - last, last, LsnRecord::path_for(db_.path()),
            recorded->lsn)),
        StoreFault::kCorrupt);
  }
  // The lost cases' ids may have been told to citizens: never give them out again.
  if (recorded->max_case_id > max_case_id_ && !options_.read_only) {
    if (absl::Status s = db_.exec(absl::StrFormat(
            "UPDATE meta SET value = %d WHERE key = 'lost_max_case_id'", recorded->max_case_id));
        !s.ok()) {
      return s;
    }
  }
  max_case_id_ = std::max<CaseId>(max_case_id_, recorded->max_case_id);
  return absl::OkStatus();
}

absl::Status SqliteStore::set_max_bytes(std::uint64_t max_bytes) {
  if (options_.read_only) return absl::OkStatus();
  options_.max_bytes = max_bytes;
  // 0 restores SQLite's own limit (about 4 billion pages).
  std::int64_t pages =
      max_bytes == 0 ? 4294967294LL
                     : std::max<std::int64_t>(1, static_cast<std::int64_t>(max_bytes) / kPageSize);
  absl::StatusOr<std::int64_t> set =
      db_.query_int(absl::StrFormat("PRAGMA max_page_count = %d", pages));
  return set.status();
}

namespace {

// Adds a unit's counters to its row (made if missing) of `table`, keyed by
// (`time_key`, unit).
// The columns are (time key, unit, the counts in kUnitTallyColumns' order).
std::string upsert_unit_sql(const char* table, const char* time_key) {
  std::string values = "?1, ?2";
  std::string updates;
  for (std::size_t i = 0; i < kUnitTallyColumns.size(); ++i) {
    std::string_view column = kUnitTallyColumns[i];
    absl::StrAppendFormat(&values, ", ?%d", i + 3);
    absl::StrAppendFormat(&updates, "%s%s = %s + ?%d", i == 0 ? "" : ", ", column, column, i + 3);
  }
  return absl::StrFormat("INSERT INTO %s VALUES (%s) ON CONFLICT (%s, unit) DO UPDATE SET %s",
                         table, values, time_key, updates);
}

std::string upsert_volume_sql(const char* table, const char* time_key) {
  return absl::StrFormat(
      "INSERT INTO %s VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (%s, dim, "
      "district, a, b, c, channel, kind) DO UPDATE SET received = received + ?9",
      table, time_key);
}

// `rows` event rows in one INSERT, each row's parameters numbered on.
std::string insert_events_sql(int rows) {
  std::string sql =
      "INSERT INTO events (lsn, case_id, seq, prev_lsn, type, time_ms, other_case, body) VALUES ";
  for (int r = 0; r < rows; ++r) {
    int p = r * 8;
    absl::StrAppendFormat(&sql, "%s(?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d)", r == 0 ? "" : ", ",
                          p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
  }
  return sql;
}

}  // namespace

absl::Status SqliteStore::prepare_statements() {
  static_assert(kEventColumns == 8, "insert_events_sql binds 8 parameters a row");
  struct Entry {
    Statement* st;
    std::string sql;
  };
  const Entry entries[] = {
      {&insert_event_, insert_events_sql(1)},
      {&insert_events_, insert_events_sql(kEventRows)},
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
  return prepare_apply_reads(db_, writer_reads_);
}

absl::Status SqliteStore::prepare_apply_reads(SqliteDb& db, ApplyReads& reads) {
  std::string personal_join = "LEFT JOIN personal p ON p.case_id = ";
  const std::pair<Statement*, std::string> entries[] = {
      {&reads.find_request, "SELECT lsn FROM requests WHERE request_id = ?1"},
      {&reads.find_channel, "SELECT id FROM cases WHERE channel = ?1 AND channel_ref = ?2"},
      {&reads.load_case, absl::StrFormat("SELECT c.id, c.body, c.last_lsn, %s FROM cases c %s "
                                         "c.id WHERE c.id = ?1",
                                         kPersonalColumns, personal_join)},
      {&reads.event_at, absl::StrFormat("SELECT e.prev_lsn, e.body, %s FROM events e %s "
                                        "e.case_id AND e.type = 1 WHERE e.lsn = ?1",
                                        kPersonalColumns, personal_join)},
  };
  for (const auto& [st, sql] : entries) {
    absl::StatusOr<Statement> prepared = db.prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *st = std::move(*prepared);
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::enable_concurrent_reads() {
  if (concurrent_ || options_.read_only) return absl::OkStatus();
  if (absl::Status s = reader_.open(db_.path(), false, true); !s.ok()) return s;
  sqlite3_busy_timeout(reader_.handle(), 5000);
  if (absl::Status s = prepare_apply_reads(reader_, reader_reads_); !s.ok()) {
    reader_reads_ = ApplyReads();
    reader_.close();
    return s;
  }
  concurrent_ = true;
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

}  // namespace jszb::core
