// CaseArchive: the role of a durable store that holds cases the engine does
// not keep in memory (closed ones): it finds them, answers listings over all
// of them, and looks after them (checkpoint, erasure of personal data, purge).
// An in-memory store is no archive: it holds nothing the engine does not have.
#ifndef JSZB_LIB_STORE_CASE_ARCHIVE_H
#define JSZB_LIB_STORE_CASE_ARCHIVE_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/arena.h"
#include "model/case.h"
#include "store/case_filter.h"

namespace jszb::core {

class CaseArchive {
 public:
  virtual ~CaseArchive() = default;

  // The case with this id, its strings and lists copied into `arena`.
  virtual absl::StatusOr<std::optional<Case>> load_case(CaseId id, Arena& arena) const = 0;
  virtual absl::StatusOr<std::optional<CaseId>> find_channel_ref(Channel channel,
                                                                 std::string_view ref) const = 0;
  // Ids of the matching cases, ascending, leaving out those `skip` says the
  // engine answers for (the cases it holds in memory).
  virtual absl::StatusOr<std::vector<CaseId>> list(
      const CaseFilter& filter, const std::function<bool(CaseId)>& skip) const = 0;
  // How many cases the store holds (committed ones), whether in memory or not.
  virtual absl::StatusOr<std::uint64_t> count_cases() const = 0;
  // Whether the stored projection of a case lags its log (the engine's copy is ahead).
  virtual bool is_behind(CaseId id) const = 0;
  // The stored projection of a case, bypassing any copy in memory (verify).
  virtual absl::StatusOr<std::optional<Case>> stored_case(CaseId id, Arena& arena) const = 0;

  // Writes every projection that is behind the log, so that the stored cases
  // answer for themselves and reopening replays nothing.
  virtual absl::Status checkpoint() = 0;
  // Deletes the citizen's personal data of a case (contact, address, content,
  // point) and records the erasure.
  virtual absl::Status erase_personal(CaseId id, TimeMs time) = 0;
  // Deletes closed cases (closed, merged, terminated, not dispatched, answered
  // on the spot) whose last event came before `before`, with their events;
  // returns their ids. Checkpoints first.
  virtual absl::StatusOr<std::vector<CaseId>> purge(TimeMs before) = 0;
  // The store file's own check (SQLite's integrity check: pages, rows and
  // indexes): each damage it found, in words; empty when the file is sound.
  virtual absl::StatusOr<std::vector<std::string>> check_file() const = 0;
  // Whether purge() deleted cases: their counts stay in the counters, so a
  // recount of the log gives less.
  virtual bool has_purged() const = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_CASE_ARCHIVE_H
