#include "store/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/log.h"
#include "store/file_hold.h"
#include "store/sqlite_db.h"
#include "store/sqlite_schema.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {

absl::Status os_error(std::string_view what, const std::string& path, int err) {
  return with_store_fault(
      absl::PermissionDeniedError(absl::StrFormat("%s %s: %s", what, path, std::strerror(err))),
      StoreFault::kStorage);
}

std::string directory_of(const std::string& path) {
  std::string::size_type slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

absl::Status sync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open", path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : os_error("cannot sync", path, err);
}

// The temporary copy: removed (with SQLite's side files) unless kept.
class TempCopy {
 public:
  explicit TempCopy(std::string path) : path_(std::move(path)) {}
  ~TempCopy() {
    if (keep_) return;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

// Copies every page of `src` (in a read transaction) into `dst`.
absl::StatusOr<std::uint64_t> copy_pages(SqliteDb& src, SqliteDb& dst, const std::string& dest,
                                         const BackupOptions& options) {
  sqlite3_backup* b = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
  if (b == nullptr) return dst.error(sqlite3_errcode(dst.handle()), "backup init");
  int rc = SQLITE_OK;
  absl::Status stopped;
  int step = options.pages_per_step > 0 ? options.pages_per_step : -1;
  while (true) {
    rc = sqlite3_backup_step(b, step);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      sqlite3_sleep(10);
      continue;
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE) break;
    auto total = static_cast<std::uint64_t>(sqlite3_backup_pagecount(b));
    std::uint64_t done = total - static_cast<std::uint64_t>(sqlite3_backup_remaining(b));
    if (options.progress && !options.progress("backup", done, total)) {
      stopped = absl::CancelledError(absl::StrFormat(
          "backup to %s stopped by the progress callback (%d of %d pages): nothing was written",
          dest, done, total));
      break;
    }
    if (rc == SQLITE_DONE) break;
  }
  auto pages = static_cast<std::uint64_t>(sqlite3_backup_pagecount(b));
  sqlite3_backup_finish(b);
  if (!stopped.ok()) return stopped;
  if (rc != SQLITE_DONE) return dst.error(rc, "backup step");
  return pages;
}

}  // namespace

absl::StatusOr<BackupResult> backup_store(const std::string& source, const std::string& dest,
                                          const BackupOptions& options) {
  if (source.empty() || dest.empty()) {
    return absl::InvalidArgumentError("backup: the store path and the destination must be given");
  }
  struct stat st {};
  if (::lstat(dest.c_str(), &st) == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("backup destination %s exists: a backup never overwrites a file", dest));
  }
  if (::stat(source.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrFormat("store %s: %s", source, std::strerror(errno)));
  }
  std::string dir = directory_of(dest);
  if (::access(dir.c_str(), W_OK) != 0) return os_error("cannot write to directory", dir, errno);

  // A reader: no hold beyond the process's shared descriptor (file_hold.h).
  absl::StatusOr<std::unique_ptr<FileHold>> hold =
      FileHold::acquire(source, FileHold::Mode::kReader);
  if (!hold.ok()) return hold.status();
  SqliteDb src;
  if (absl::Status s = src.open(source, false, true); !s.ok()) return s;
  sqlite3_busy_timeout(src.handle(), 5000);
  if (absl::Status s = prepare_schema(src, true); !s.ok()) return s;
  // One snapshot for the whole copy: the read transaction stays open.
  if (absl::Status s = src.exec("BEGIN"); !s.ok()) return s;
  absl::StatusOr<std::int64_t> page_size = src.query_int("PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();

  std::vector<char> name(dest.begin(), dest.end());
  for (char c : std::string_view(".tmp-XXXXXX")) name.push_back(c);
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return os_error("cannot create a file beside", dest, errno);
  ::close(fd);
  TempCopy temp(name.data());

  absl::StatusOr<std::uint64_t> pages;
  {
    SqliteDb dst;
    if (absl::Status s = dst.open(temp.path(), false, false); !s.ok()) return s;
    pages = copy_pages(src, dst, dest, options);
  }
  (void)src.exec("COMMIT");
  if (!pages.ok()) return pages.status();
  if (absl::Status s = sync_path(temp.path(), O_RDONLY); !s.ok()) return s;
  // Never over a file that appeared meanwhile.
  if (::renameat2(AT_FDCWD, temp.path().c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    if (err == EEXIST) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "backup destination %s appeared while the backup ran: it was left as it is", dest));
    }
    return os_error("cannot rename the backup to", dest, err);
  }
  temp.keep();
  if (absl::Status s = sync_path(dir, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  BackupResult result{*pages, *pages * static_cast<std::uint64_t>(*page_size)};
  log_at(LogLevel::kInfo, "backup of %s to %s done: %d pages, %d bytes", source, dest, result.pages,
         result.bytes);
  return result;
}

}  // namespace jszb::core
