// Thin RAII over the SQLite C API: a connection, prepared statements, and one
// function that turns an SQLite result code into a Status that says what went
// wrong in words an operator can act on (disk full, read-only, locked, corrupt).
#ifndef JSZB_LIB_STORE_SQLITE_DB_H
#define JSZB_LIB_STORE_SQLITE_DB_H

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;
struct sqlite3_stmt;

namespace jszb::core {

class SqliteDb;

// A prepared statement. Bind by 1-based index, step, read columns by 0-based
// index; reset() before reuse (step() does it when the statement is done).
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);        // bound as TEXT (copied)
  Statement& bind_blob(int index, std::string_view bytes);  // bound as BLOB (copied)
  Statement& bind_double(int index, double value);
  Statement& bind_null(int index);

  // True: a row is ready; false: done (and reset). An error resets too.
  absl::StatusOr<bool> step();
  // Steps a statement that returns no rows.
  absl::Status run();
  void reset();

  std::int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string_view column_text(int index) const;  // valid until the next step
  std::string_view column_blob(int index) const;  // valid until the next step
  bool column_is_null(int index) const;

 private:
  friend class SqliteDb;
  Statement(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteDb* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Opens (and with `create`, creates) the file. `read_only`: no writes.
  // `immutable` (read-only only): SQLite reads the file without locks or its
  // -wal and -shm files, as a file nothing will change while it is open.
  absl::Status open(const std::string& path, bool create, bool read_only, bool immutable = false);
  void close();
  bool is_open() const { return db_ != nullptr; }

  absl::StatusOr<Statement> prepare(std::string_view sql);
  // Runs statements without parameters (schema, pragmas).
  absl::Status exec(const std::string& sql);
  // The first column of the first row of a query without parameters.
  absl::StatusOr<std::int64_t> query_int(std::string_view sql);

  // The error for result code `rc` of the last call, naming `what` was done.
  absl::Status error(int rc, std::string_view what) const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_SQLITE_DB_H
