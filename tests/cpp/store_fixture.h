// Helpers for tests of durable stores: temporary directories, opening a
// store, and reading or changing a store file behind the library's back.
#ifndef JSZB_TESTS_CPP_STORE_FIXTURE_H
#define JSZB_TESTS_CPP_STORE_FIXTURE_H

#include <sqlite3.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/durable_engine.h"
#include "fixture.h"

namespace jszb::testing {

// A fresh directory per test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "jszb-store-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
};

inline core::DurableEngine open_ok(const std::string& path, core::SqliteStoreOptions options = {}) {
  absl::StatusOr<core::DurableEngine> d = core::open_durable_engine(path, options);
  EXPECT_TRUE(d.ok()) << d.status();
  if (!d.ok()) std::abort();
  return std::move(*d);
}

// Runs SQL on a store file behind the library's back.
inline void raw_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

inline std::int64_t raw_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  std::int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_STORE_FIXTURE_H
