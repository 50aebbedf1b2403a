// What the SQLite store's parts share about rows: the citizen's personal data
// is kept apart from the event and case bodies (erasable), and a row that does
// not decode means the store is damaged.
#ifndef JSZB_LIB_STORE_SQLITE_ROWS_H
#define JSZB_LIB_STORE_SQLITE_ROWS_H

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "model/case.h"
#include "model/proto_schema.h"
#include "store/sqlite_db.h"

namespace jszb::core {

// What a case's content reads once the citizen's personal data is erased (the
// lifecycle needs some content; statistics do not read it).
inline constexpr std::string_view kErasedContent = "[erased]";

inline constexpr std::int64_t kPageSize = 4096;

// The personal columns, in the order restore_personal() reads them.
inline constexpr const char* kPersonalColumns =
    "p.name, p.phone, p.address, p.content, p.lat, p.lon";

// Takes the citizen's personal data out of an intake: it is stored apart.
void strip_personal(v1::Intake* in, v1::Contact* contact);

// Puts personal data back from the personal columns at `col` (name, phone,
// address, content, lat, lon); all NULL: erased. A column that is not UTF-8
// without NUL bytes (a damaged file) is a corrupt store.
absl::Status restore_personal(const Statement& st, int col, v1::Intake* in, v1::Contact* contact);

// The finished states, as the partial index cases_open names them.
std::string finished_states_sql();

// A damaged row: the store is corrupt.
absl::Status corrupt_store(const std::string& message);
absl::Status corrupt(const std::string& path, std::string_view what, CaseId id,
                     const absl::Status& s);

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_SQLITE_ROWS_H
