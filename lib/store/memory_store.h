// MemoryStore: the event log in memory, for tests, simulations and benchmarks.
// It keeps the events' strings and lists as given (views): they must outlive it
// (the engine keeps them in its arena).
#ifndef JSZB_LIB_STORE_MEMORY_STORE_H
#define JSZB_LIB_STORE_MEMORY_STORE_H

#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/arena.h"
#include "base/chunked_vector.h"
#include "base/id_index.h"
#include "store/store.h"
#include "store/theme_store.h"

namespace jszb::core {

class MemoryStore final : public Store, public ThemeStore {
 public:
  absl::Status commit(const CommitBatch& batch) override;
  absl::Status for_each_event(CaseId id,
                              const std::function<void(const Event&)>& visit) const override;
  absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const override;
  std::uint64_t event_count() const override { return log_.size(); }
  absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const override {
    return sum(counters_, from, until);
  }
  // Every counter by bucket (a recount of a log is compared with them).
  const Counters& counters() const { return counters_; }
  absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view request_id) const override {
    auto it = requests_.find(request_id);
    if (it == requests_.end()) return std::nullopt;
    return it->second;
  }

  // ThemeStore
  absl::StatusOr<std::vector<Theme>> themes() const override;
  absl::StatusOr<ThemeId> last_theme_id() const override { return last_theme_id_; }
  absl::Status put_theme(const Theme& theme, ThemeChange change, TaskId task, TimeMs time) override;
  absl::Status remove_theme(ThemeId id, TimeMs time) override;

 private:
  // An event as the log keeps it: the fields most events carry inline (96
  // bytes against 176 for an Event), the rest out of line. A busy in-memory
  // engine is bound by how many fresh bytes it writes, not by instructions.
  struct Rare {
    UnitList copy_to;
    UnitList units;
    TimeMs until = 0;
    CaseId other_case = 0;
    const Intake* intake = nullptr;
    std::string_view rule;
    std::string_view request_id;
  };
  struct Record {
    CaseId case_id;
    TimeMs time;
    const char* text;                 // payload.text
    const Rare* rare;                 // nullptr when the event has none of it
    const DeadlineChange* deadlines;  // most events start or stop one
    std::uint64_t next;               // position + 1 of the case's next event, 0: none yet
    std::uint32_t seq;
    std::uint32_t policy_version;
    std::uint32_t text_size;
    std::uint32_t deadlines_size;
    UnitId actor_unit;
    std::uint32_t actor_staff;
    UnitId unit;
    EventType type;
    State state;
    Role role;
    DispatchMode mode;
    NotDispatchedReason reason;
    SupervisionLevel level;
    Satisfaction satisfaction;
    VisitMethod visit_method;
    std::uint8_t step;
    std::uint8_t mark;
    std::uint8_t action;
    std::uint8_t flags;  // kContacted | kSolved | kValidVisit
  };
  static constexpr std::uint8_t kContacted = 1, kSolved = 2, kValidVisit = 4;
  struct Chain {
    std::uint64_t first = 0;  // positions + 1
    std::uint64_t last = 0;
  };

  Record encode(const Event& e);
  static Event decode(const Record& r);

  ChunkedVector<Record> log_;  // appending never moves what is there
  IdIndex<Chain> chains_;
  Arena rare_;  // the out-of-line parts
  // Client request ids of the commands committed (views into the events).
  absl::flat_hash_map<std::string_view, std::uint64_t> requests_;  // id -> fingerprint
  // Keyed by views into the engine's arena, like the log.
  Counters counters_;
  // Themes own their strings (they are not in the engine's arena).
  std::map<ThemeId, Theme> themes_;
  ThemeId last_theme_id_ = 0;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_MEMORY_STORE_H
