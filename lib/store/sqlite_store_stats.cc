// SqliteStore::stats(): what the store holds, by SQL over its projections,
// corrected by the cases whose rows lag the log (dirty_ holds them as they
// stand).
#include <sys/stat.h>

#include "absl/strings/str_format.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

namespace jszb::core {

namespace {

std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

absl::StatusOr<StoreStats> SqliteStore::stats() const {
  StoreStats out;
  auto add = [&out](std::int64_t state, std::int64_t n) -> absl::Status {
    if (state < 1 || state >= static_cast<std::int64_t>(out.by_state.size())) {
      return corrupt_store(absl::StrFormat("a case row has state %d, which no jszb knows", state));
    }
    out.by_state[static_cast<std::size_t>(state)] += static_cast<std::uint64_t>(n);
    return absl::OkStatus();
  };
  absl::StatusOr<Statement*> by_state = cached("SELECT state, COUNT(*) FROM cases GROUP BY state");
  if (!by_state.ok()) return by_state.status();
  while (true) {
    absl::StatusOr<bool> row = (*by_state)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (absl::Status s = add((*by_state)->column_int(0), (*by_state)->column_int(1)); !s.ok()) {
      (*by_state)->reset();
      return s;
    }
  }
  // A case ahead of its row counts as it stands, not as its row says.
  absl::StatusOr<Statement*> row_state = cached("SELECT state FROM cases WHERE id = ?1");
  if (!row_state.ok()) return row_state.status();
  for (const auto& [id, dirty] : dirty_) {
    Statement& st = **row_state;
    st.bind(1, static_cast<std::int64_t>(id));
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (*row) {
      auto stored = static_cast<std::size_t>(st.column_int(0));
      st.reset();
      if (stored < out.by_state.size() && out.by_state[stored] > 0) --out.by_state[stored];
    }
    if (absl::Status s = add(static_cast<std::int64_t>(dirty.c.state), 1); !s.ok()) return s;
  }
  for (std::uint64_t n : out.by_state) out.cases += n;
  out.events = event_count();
  absl::StatusOr<Statement*> last = cached("SELECT time_ms FROM events ORDER BY lsn DESC LIMIT 1");
  if (!last.ok()) return last.status();
  absl::StatusOr<bool> row = (*last)->step();
  if (!row.ok()) return row.status();
  if (*row) {
    out.last_event = (*last)->column_int(0);
    (*last)->reset();
  }
  out.file_bytes = file_size(path());
  out.wal_bytes = file_size(path() + "-wal");
  return out;
}

}  // namespace jszb::core
