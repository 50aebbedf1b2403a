// The layout of a jszb store file, its versions and the migrations between
// them. The tables are documented for analysts in docs/store.md.
#ifndef JSZB_LIB_STORE_SQLITE_SCHEMA_H
#define JSZB_LIB_STORE_SQLITE_SCHEMA_H

#include <cstdint>

#include "absl/status/status.h"
#include "store/sqlite_db.h"

namespace jszb::core {

// PRAGMA application_id of every jszb store: "JSZB" in ASCII.
inline constexpr std::int32_t kStoreApplicationId = 0x4A535A42;
// PRAGMA user_version this library writes. 1: the first layout; 2: adds the
// policies a store was run under and the record of erasures; 3: the report
// counters by half-day; 4: the same rolled up by assessment month (a store of
// 3 may already have them: it keeps them); 5: two unit counts appended
// (supervisions, visits counted for resolution only); 6: themes (每月一题)
// and their tasks; 7: the store's id (the key of its <file>-lsn record). A library that knows fewer
// versions refuses the store (StoreFault::kVersion, JSZB_E_VERSION).
inline constexpr int kStoreSchemaVersion = 7;

// Checks that the file is a jszb store this library can read, creates the
// layout in an empty file, and migrates an older one, each step in its own
// transaction. A file that is something else, or of a newer schema, is
// refused with an error that says so, and left untouched; so is one that
// lacks a table or an index of its layout (StoreFault::kCorrupt).
absl::Status prepare_schema(SqliteDb& db, bool read_only);

// Creates the layout up to `version` in an empty file (tests build older
// files with it).
absl::Status create_schema(SqliteDb& db, int version);

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_SQLITE_SCHEMA_H
