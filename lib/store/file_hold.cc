#include "store/file_hold.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {

using FileKey = std::pair<dev_t, ino_t>;

// The holds of this process on one store file, and the descriptor they share.
struct Entry {
  int fd = -1;
  std::vector<int> spare;  // descriptors of the same file opened by a race; closed with fd
  int writers = 0;
  int immutables = 0;
  int holds = 0;
};

struct Registry {
  std::mutex mu;
  pid_t pid = 0;
  std::map<FileKey, Entry> files;
};

// Never destroyed: a hold may be released during static destruction.
Registry& registry() {
  static auto* r = new Registry();
  return *r;
}

absl::Status os_error(std::string_view what, const std::string& path, int err) {
  return with_store_fault(
      absl::UnavailableError(absl::StrFormat("%s %s: %s", what, path, std::strerror(err))),
      StoreFault::kStorage);
}

absl::Status locked(const std::string& path, std::string_view why) {
  return with_store_fault(
      absl::UnavailableError(absl::StrFormat("store %s is open already: %s", path, why)),
      StoreFault::kLocked);
}

void forget_if_unused(Registry& r, const FileKey& key) {
  auto it = r.files.find(key);
  if (it == r.files.end() || it->second.holds > 0) return;
  // No SQLite connection of ours is open on the file any more: closing the
  // descriptors cannot drop a lock of theirs.
  ::close(it->second.fd);
  for (int fd : it->second.spare) ::close(fd);
  r.files.erase(it);
}

// Registers the file `path` names (creating it empty for a writer), with a
// descriptor open on it; returns its key.
absl::StatusOr<FileKey> find_or_open(Registry& r, const std::string& path, bool create) {
  struct stat st {};
  int fd = -1;
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err != ENOENT || !create) return os_error("cannot open store", path, err);
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return os_error("cannot create store", path, errno);
  } else if (r.files.count(FileKey(st.st_dev, st.st_ino)) == 0) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return os_error("cannot open store", path, errno);
  }
  if (fd < 0) return FileKey(st.st_dev, st.st_ino);
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return os_error("cannot read the status of store", path, err);
  }
  // The path may name another file than it did a moment ago: the key is the
  // file the descriptor is open on.
  Entry& e = r.files[FileKey(st.st_dev, st.st_ino)];
  if (e.fd < 0) {
    e.fd = fd;
  } else {
    e.spare.push_back(fd);
  }
  return FileKey(st.st_dev, st.st_ino);
}

absl::Status take_writer_lock(Entry& e, const std::string& path) {
  if (e.writers > 0) {
    return locked(path,
                  "this process has it open for writing (one writer per file, whatever the name "
                  "it is opened by)");
  }
  if (e.immutables > 0) {
    return locked(path,
                  "this process reads it as an immutable file (its directory was not writable): "
                  "close that read-only engine first");
  }
  if (::flock(e.fd, LOCK_EX | LOCK_NB) == 0) return absl::OkStatus();
  int err = errno;
  if (err != EWOULDBLOCK) return os_error("cannot lock store", path, err);
  // Shared holders only: immutable readers.
  if (::flock(e.fd, LOCK_SH | LOCK_NB) == 0) {
    (void)::flock(e.fd, LOCK_UN);
    return locked(path,
                  "another process reads it as an immutable file (from a directory it cannot "
                  "write, e.g. a read-only mount); a writer must wait until it closes");
  }
  return locked(path,
                "another process has it open for writing (one writer per file, whatever the "
                "name it is opened by: a link or a copy of the path changes nothing); open it "
                "read-only to read it meanwhile");
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileHold>> FileHold::acquire(const std::string& path, Mode mode) {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mu);
  if (r.pid != ::getpid()) {
    // A forked child: its parent's holds are not its own (their descriptors
    // stay open, unused).
    r.files.clear();
    r.pid = ::getpid();
  }
  absl::StatusOr<FileKey> key = find_or_open(r, path, mode == Mode::kWriter);
  if (!key.ok()) return key.status();
  Entry& e = r.files[*key];
  absl::Status s;
  if (mode == Mode::kWriter) {
    s = take_writer_lock(e, path);
  } else if (mode == Mode::kImmutable) {
    if (e.writers > 0) {
      s = locked(path, "this process has it open for writing");
    } else if (e.immutables == 0 && ::flock(e.fd, LOCK_SH | LOCK_NB) != 0) {
      s = locked(path, "a writer opened it meanwhile: open it read-only again");
    }
  }
  if (!s.ok()) {
    forget_if_unused(r, *key);
    return s;
  }
  e.writers += mode == Mode::kWriter ? 1 : 0;
  e.immutables += mode == Mode::kImmutable ? 1 : 0;
  ++e.holds;
  return std::unique_ptr<FileHold>(new FileHold(key->first, key->second, mode));
}

FileHold::~FileHold() {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mu);
  if (r.pid != ::getpid()) return;  // held by the parent of this forked process
  auto it = r.files.find(FileKey(dev_, ino_));
  if (it == r.files.end()) return;
  Entry& e = it->second;
  if (mode_ == Mode::kWriter && --e.writers == 0) (void)::flock(e.fd, LOCK_UN);
  if (mode_ == Mode::kImmutable && --e.immutables == 0) (void)::flock(e.fd, LOCK_UN);
  --e.holds;
  forget_if_unused(r, it->first);
}

}  // namespace jszb::core
