// FileHold: a process's hold on a store file, by the file's identity (device
// and inode), not its name. The writer's hold is an exclusive flock() on a
// descriptor of the database file itself, so a second writer is refused
// whether it comes by the same path, a symbolic link or a hard link.
//
// flock() locks belong to an open file description and, on a local Linux
// file system, never interact with the POSIX fcntl() locks SQLite takes on
// the same file (flock(2); on NFS the kernel emulates flock with fcntl locks,
// which is one more reason a store must be on a local disk, as WAL mode needs
// anyway). What does interact: closing any descriptor of a file drops every
// fcntl lock the process holds on it, SQLite's included. So the process keeps
// one descriptor per store file, shared by every hold on it (readers too),
// and closes it only when the last hold goes, after its SQLite connection has
// been closed. SQLite never sees that descriptor, so it never closes it.
//
// Readers take no lock (WAL mode lets them and the writer go on together),
// except an immutable reader: one that reads a store without its -wal and
// -shm files, in a directory it cannot write (a read-only mount). SQLite
// cannot coordinate with it, so it takes a shared flock, and a writer that
// comes meanwhile is refused with a message that says why.
#ifndef JSZB_LIB_STORE_FILE_HOLD_H
#define JSZB_LIB_STORE_FILE_HOLD_H

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jszb::core {

class FileHold {
 public:
  enum class Mode {
    kWriter,     // exclusive; creates an empty file if there is none
    kReader,     // no lock: SQLite's WAL protocol keeps reader and writer apart
    kImmutable,  // shared: a reader SQLite cannot coordinate with
  };
  static absl::StatusOr<std::unique_ptr<FileHold>> acquire(const std::string& path, Mode mode);
  ~FileHold();
  FileHold(const FileHold&) = delete;
  FileHold& operator=(const FileHold&) = delete;

  dev_t device() const { return dev_; }
  ino_t inode() const { return ino_; }

 private:
  FileHold(dev_t dev, ino_t ino, Mode mode) : dev_(dev), ino_(ino), mode_(mode) {}
  dev_t dev_;
  ino_t ino_;
  Mode mode_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_FILE_HOLD_H
