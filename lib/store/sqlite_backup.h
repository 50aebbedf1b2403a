// An online backup of a store file with SQLite's backup API, from a read-only
// connection: it needs no writer's hold (file_hold.h), so it runs while
// another process (or this one) has the store open for writing. The source
// connection keeps one read transaction from the first page to the last, so
// the copy is the store as it was when the backup began (a WAL snapshot: the
// writer goes on meanwhile and the copy never restarts).
//
// The copy is written to a temporary file beside `dest` and renamed to
// `dest` only when complete and on disk; a dest that exists, or a directory
// that cannot be written, is refused before anything is created.
#ifndef JSZB_LIB_STORE_SQLITE_BACKUP_H
#define JSZB_LIB_STORE_SQLITE_BACKUP_H

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "base/progress.h"

namespace jszb::core {

struct BackupOptions {
  int pages_per_step = 1024;  // pages copied between progress reports
  ProgressFn progress;        // stage "backup", pages done of pages in all
};

struct BackupResult {
  std::uint64_t pages = 0;
  std::uint64_t bytes = 0;
};

absl::StatusOr<BackupResult> backup_store(const std::string& source, const std::string& dest,
                                          const BackupOptions& options);

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_SQLITE_BACKUP_H
