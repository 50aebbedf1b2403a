#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "store/store_fault.h"

namespace jszb::core {

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // An empty view may have no data: bind "" rather than NULL.
  sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob is bound as such, not as NULL (data() may be null).
  sqlite3_bind_blob(stmt_, index, bytes.empty() ? "" : bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_double(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

absl::StatusOr<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    reset();
    return false;
  }
  absl::Status s = db_->error(rc, sqlite3_sql(stmt_));
  reset();
  return s;
}

absl::Status Statement::run() {
  absl::StatusOr<bool> row = step();
  if (!row.ok()) return row.status();
  if (*row) reset();
  return absl::OkStatus();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

double Statement::column_double(int index) const { return sqlite3_column_double(stmt_, index); }

std::string_view Statement::column_text(int index) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<std::size_t>(n));
}

std::string_view Statement::column_blob(int index) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<std::size_t>(n));
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteDb::~SqliteDb() { close(); }

namespace {

// A file: URI naming `path` (its %, ? and # escaped) with `query`.
std::string file_uri(const std::string& path, std::string_view query) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      absl::StrAppendFormat(&uri, "%%%02x", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  uri += "?";
  uri.append(query.data(), query.size());
  return uri;
}

}  // namespace

absl::Status SqliteDb::open(const std::string& path, bool create, bool read_only, bool immutable) {
  close();
  path_ = path;
  int flags = read_only ? SQLITE_OPEN_READONLY
                        : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0));
  flags |= SQLITE_OPEN_NOMUTEX;  // the engine is used by one thread at a time
  std::string name = path;
  if (read_only && immutable) {
    flags |= SQLITE_OPEN_URI;
    name = file_uri(path, "immutable=1");
  }
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = error(rc, "open");
    close();
    return s;
  }
  sqlite3_extended_result_codes(db_, 1);
  // What is deleted is overwritten with zeros, in its page and in pages that
  // become free: erased personal data does not linger in the file, nor in a
  // backup copied from it (docs/store.md, "Retention and privacy").
  rc = sqlite3_exec(db_, "PRAGMA secure_delete = ON", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = error(rc, "PRAGMA secure_delete");
    close();
    return s;
  }
  return absl::OkStatus();
}

void SqliteDb::close() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

absl::StatusOr<Statement> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  // The statements are the library's own: one that does not compile against
  // the file ("no such column") means the file's schema is not a jszb store's.
  if ((rc & 0xff) == SQLITE_ERROR) {
    return with_store_fault(
        absl::DataLossError(absl::StrFormat("the file is corrupt or not a jszb store; %s",
                                            error(rc, sql).message())),
        StoreFault::kCorrupt);
  }
  if (rc != SQLITE_OK) return error(rc, sql);
  return Statement(this, stmt);
}

absl::Status SqliteDb::exec(const std::string& sql) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(rc, sql);
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> SqliteDb::query_int(std::string_view sql) {
  absl::StatusOr<Statement> st = prepare(sql);
  if (!st.ok()) return st.status();
  absl::StatusOr<bool> row = st->step();
  if (!row.ok()) return row.status();
  if (!*row) {  // the library's own rows (meta, counts): one missing is damage
    return with_store_fault(
        absl::DataLossError(
            absl::StrFormat("the file is corrupt or not a jszb store: %s returned no row", sql)),
        StoreFault::kCorrupt);
  }
  return st->column_int(0);
}

absl::Status SqliteDb::error(int rc, std::string_view what) const {
  std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  // What the operating system said, for errors that come from the file system.
  int os_errno = db_ != nullptr ? sqlite3_system_errno(db_) : 0;
  int primary = rc & 0xff;
  if (os_errno != 0 &&
      (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_READONLY ||
       primary == SQLITE_FULL || primary == SQLITE_PERM)) {
    absl::StrAppend(&detail, ": ", std::strerror(os_errno));
  }
  if (what.size() > 120) what = what.substr(0, 120);
  std::string where = absl::StrFormat("store %s: %s (%s; sqlite code %d)", path_, detail, what, rc);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return with_store_fault(
          absl::ResourceExhaustedError(absl::StrFormat(
              "disk full or store at its size limit: nothing was written; %s", where)),
          StoreFault::kStorage);
    case SQLITE_READONLY:
      return with_store_fault(absl::PermissionDeniedError(absl::StrFormat(
                                  "the store is read-only: nothing was written; %s", where)),
                              StoreFault::kStorage);
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      return with_store_fault(
          absl::PermissionDeniedError(absl::StrFormat("cannot open or write the store; %s", where)),
          StoreFault::kStorage);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return with_store_fault(absl::UnavailableError(absl::StrFormat(
                                  "the store file is locked by another connection (a "
                                  "sqlite3 shell or a backup writing to it?); %s",
                                  where)),
                              StoreFault::kLocked);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_TOOBIG:    // a length in the file past any the library writes
    case SQLITE_MISMATCH:  // a value of another type where the schema has a rowid
      return with_store_fault(absl::DataLossError(absl::StrFormat(
                                  "the file is corrupt or not a jszb store; %s", where)),
                              StoreFault::kCorrupt);
    case SQLITE_IOERR:
      return with_store_fault(absl::UnavailableError(absl::StrFormat(
                                  "I/O error: the call was not acknowledged, though it may "
                                  "have reached the disk (retry it with the same request id); "
                                  "%s",
                                  where)),
                              StoreFault::kStorage);
    case SQLITE_ERROR:
      // The library's own statements name only what its schema has: a table or
      // column gone is a damaged store (one dropped by hand), not a bug.
      if (detail.rfind("no such table", 0) == 0 || detail.rfind("no such column", 0) == 0) {
        return with_store_fault(
            absl::DataLossError(absl::StrFormat(
                "the store is damaged (part of its layout is missing): restore it from a backup; "
                "%s",
                where)),
            StoreFault::kCorrupt);
      }
      return absl::InternalError(where);
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(absl::StrFormat("out of memory; %s", where));
    case SQLITE_CONSTRAINT:
      return absl::InternalError(absl::StrFormat("constraint violated; %s", where));
    default:
      return absl::InternalError(where);
  }
}

}  // namespace jszb::core
