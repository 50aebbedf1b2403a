// LsnRecord: the last committed log position of a store, kept beside it in
// "<file>-lsn", where a damaged WAL cannot take it back. SQLite replays a WAL
// up to its first damaged frame and silently drops the rest: the commits in
// them were acknowledged, and the store alone cannot tell they are gone. The
// record can: it says how far the log reached, and which store it is about
// (the random id a store gets when it is created, meta.store_id_*).
//
// The writer rewrites the record (one pwrite of a fixed-size block, no fsync)
// after each commit has returned, so a power cut can leave it behind the log,
// never ahead of it (with synchronous FULL: with NORMAL the last commits may
// be lost, and the record then says so). A reader reads it before its
// snapshot, so a writer committing meanwhile never makes it look ahead.
#ifndef JSZB_LIB_STORE_LSN_RECORD_H
#define JSZB_LIB_STORE_LSN_RECORD_H

#include <cstdint>
#include <optional>
#include <string>

namespace jszb::core {

struct StoreId {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  bool operator==(const StoreId& o) const { return high == o.high && low == o.low; }
};

struct LsnMark {
  StoreId id;
  std::uint64_t lsn = 0;          // the last committed log position
  std::uint64_t max_case_id = 0;  // the highest case id given out by then
};

class LsnRecord {
 public:
  LsnRecord() = default;
  LsnRecord(const LsnRecord&) = delete;
  LsnRecord& operator=(const LsnRecord&) = delete;
  ~LsnRecord();

  // The record of the store at `store_path`: beside the file a link points
  // to, so that every name of the store reads the same record.
  static std::string path_for(const std::string& store_path);
  // The record at `path`; nullopt when there is none, or it is not one
  // (another format, or torn by a power cut: its checksum fails).
  static std::optional<LsnMark> read(const std::string& path);

  // Opens (creating) the record for writing; false when it cannot (a
  // read-only directory): the store then goes on without it.
  bool open(const std::string& path);
  // Best effort: the commit it follows has happened, whatever becomes of this.
  void write(const LsnMark& mark);

 private:
  int fd_ = -1;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_LSN_RECORD_H
