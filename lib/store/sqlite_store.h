// SqliteStore: the event log on disk, in one SQLite file (WAL mode). The log
// is the truth; the case projections are a checkpoint of it that lags by at
// most `checkpoint_events` events while an engine has the store open (the
// engine holds the cases that are ahead in memory), and is complete after
// close() or checkpoint(). Layout: sqlite_schema.cc and docs/store.md.
//
// One writer per file: opening a store for writing takes an exclusive flock
// on the database file itself (file_hold.h), held until the store is closed
// (or its process dies); a second writer, by whatever name, fails with an
// error that says so. Readers (read-only opens, the sqlite3 shell, a backup)
// and the writer never wait for each other; a read-only open reads one
// snapshot, the store as it was when it opened.
#ifndef JSZB_LIB_STORE_SQLITE_STORE_H
#define JSZB_LIB_STORE_SQLITE_STORE_H

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "model/proto_schema.h"
#include "store/case_archive.h"
#include "store/file_hold.h"
#include "store/lsn_record.h"
#include "store/recovery.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/store_stats.h"
#include "store/theme_store.h"

namespace jszb::core {

struct SqliteStoreOptions {
  // FULL (the default): a commit is on disk before it is acknowledged, so an
  // acknowledged command survives a power cut as well as a crash. NORMAL: it
  // survives a crash of the process, and the last commits may be lost with the
  // machine's power; commits cost one fsync less.
  bool synchronous_full = true;
  bool read_only = false;
  // Refuse to grow the file past this many bytes (0: no limit): a size quota,
  // and how the tests fill a "disk".
  std::uint64_t max_bytes = 0;
  // A case's projection is written at most this many events after it changed
  // (and at every checkpoint); reopening replays at most this many events.
  std::uint64_t checkpoint_events = 200000;
  // Open a store that has lost acknowledged events (its log ends before the
  // position its <file>-lsn record says was committed: a damaged WAL, a
  // backup restored in its place), with the events it has. Without it, such
  // a store is refused (StoreFault::kCorrupt) with the count of the missing
  // events. The ids of the lost cases are never given out again.
  bool accept_lost_events = false;
};

class SqliteStore final : public Store, public CaseArchive, public Recovery, public ThemeStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                           const SqliteStoreOptions& options);
  ~SqliteStore() override;

  // EventLog
  absl::Status commit(const CommitBatch& batch) override;
  absl::Status begin_batch() override;
  void abort_batch() override;
  absl::Status for_each_event(CaseId id,
                              const std::function<void(const Event&)>& visit) const override;
  absl::Status for_each_logged(const std::function<void(const Event&)>& visit) const override;
  // Safe from any thread: a commit under way on another thread moves it.
  std::uint64_t event_count() const override { return next_lsn_ - 1; }
  absl::StatusOr<std::optional<std::uint64_t>> request_fingerprint(
      std::string_view request_id) const override;
  absl::Status enable_concurrent_reads() override;
  void encode(const Event* events, std::size_t count, std::vector<std::string>* out) const override;

  // CounterStore
  absl::StatusOr<CounterTotals> sum_counters(Bucket from, Bucket until) const override;

  // CaseArchive
  absl::StatusOr<std::optional<Case>> load_case(CaseId id, Arena& arena) const override;
  absl::StatusOr<std::optional<CaseId>> find_channel_ref(Channel channel,
                                                         std::string_view ref) const override;
  absl::StatusOr<std::vector<CaseId>> list(const CaseFilter& filter,
                                           const std::function<bool(CaseId)>& skip) const override;
  absl::StatusOr<std::uint64_t> count_cases() const override;
  bool is_behind(CaseId id) const override { return dirty_.contains(id); }
  absl::StatusOr<std::optional<Case>> stored_case(CaseId id, Arena& arena) const override;
  absl::Status checkpoint() override;
  absl::Status erase_personal(CaseId id, TimeMs time) override;
  absl::StatusOr<std::vector<CaseId>> purge(TimeMs before) override;
  bool has_purged() const override { return purged_; }
  absl::StatusOr<std::vector<std::string>> check_file() const override;

  // Recovery
  absl::StatusOr<StoredPolicies> stored_policies() const override;
  absl::Status save_policy(const Policy& policy) override;
  absl::Status for_each_open_case(
      Arena& arena, const std::function<absl::Status(const Case&)>& visit) const override;
  absl::Status for_each_tail_event(const std::function<absl::Status(const Event&)>& visit) override;
  void replayed(const Case& c) override;
  CaseId max_case_id() const override { return max_case_id_; }
  bool counters_incomplete() const override { return !counters_complete_; }
  absl::Status rebuild_counters(const Counters& counters,
                                const std::vector<const Case*>& cases) override;

  // ThemeStore (sqlite_store_themes.cc)
  absl::StatusOr<std::vector<Theme>> themes() const override;
  absl::StatusOr<ThemeId> last_theme_id() const override;
  absl::Status put_theme(const Theme& theme, ThemeChange change, TaskId task, TimeMs time) override;
  absl::Status remove_theme(ThemeId id, TimeMs time) override;

  // Every event in log order, as for_each_logged, with whether it is its
  // case's last: a reader that streams a long history (a what-if replay)
  // can then let a case go. The marks come from the projections, so they
  // are given only when those are complete (marks_known(): the store was
  // checkpointed, or closed, after its last event); otherwise every mark is
  // false. visit's error stops the walk and is returned.
  absl::Status for_each_logged_marked(
      const std::function<absl::Status(const Event&, bool last_of_case)>& visit) const;
  bool marks_known() const { return checkpoint_lsn_ + 1 == next_lsn_; }

  // Cases by state, events, the newest event's time, the file's size
  // (sqlite_store_stats.cc). Not while a commit is under way on another thread.
  absl::StatusOr<StoreStats> stats() const;

  // Changes the size limit (0: none), e.g. once space is back.
  absl::Status set_max_bytes(std::uint64_t max_bytes);
  const std::string& path() const { return db_.path(); }
  // Events applied since the projections were last complete.
  std::uint64_t checkpoint_lsn() const { return checkpoint_lsn_; }

 private:
  SqliteStore() = default;
  absl::Status init(const std::string& path, const SqliteStoreOptions& options);
  absl::Status prepare_statements();
  // Compares the log with the <file>-lsn record read before the snapshot.
  absl::Status check_lost_events(const std::optional<LsnMark>& recorded);
  void record_lsn() { lsn_record_.write(LsnMark{id_, next_lsn_ - 1, max_case_id_}); }
  absl::StatusOr<Statement*> cached(const std::string& sql) const;

  // A write transaction; rolled back unless committed.
  absl::Status begin_write();
  absl::Status end_write(absl::Status status);

  absl::StatusOr<std::uint64_t> last_lsn_of(CaseId id) const;
  absl::Status check_recovered() const;
  absl::StatusOr<std::optional<Case>> read_case(CaseId id, Arena& arena,
                                                std::uint64_t* last_lsn) const;
  // `encoded`: the event's body as encode() made it, or nullptr. `row`: its
  // row in insert_events_ (which runs when its last row is bound), or -1 for
  // a statement of its own.
  absl::Status write_event(const Event& e, std::uint64_t lsn, std::uint64_t prev_lsn,
                           const std::string* encoded, int row);
  // Event rows per INSERT of insert_events_: one statement per row cost more
  // than the row itself (issue 14). kEventColumns: the parameters of a row.
  static constexpr int kEventRows = 32;
  static constexpr int kEventColumns = 8;
  // The event's row body: the event without a submission's personal data.
  static void encode_event(const Event& e, v1::Event* msg, std::string* out);
  absl::Status write_case(const Case& c, std::uint64_t last_lsn);
  absl::Status write_meta(std::string_view key, std::int64_t value);
  absl::Status write_counters(const Counters& counters);
  absl::Status write_theme(const Theme& theme);
  absl::Status write_theme_change(ThemeId id, ThemeChange change, TaskId task, TimeMs time);
  // A theme change outside any batch of the engine's (it is not part of one).
  absl::Status begin_theme_write();
  // The cases to flush in this commit (their first dirty lsn is old enough),
  // and the checkpoint lsn once they are written.
  std::vector<CaseId> due_for_flush(std::uint64_t next_lsn, bool all) const;
  std::uint64_t checkpoint_after(const std::vector<CaseId>& flushed, std::uint64_t last_lsn) const;
  void forget_flushed(const std::vector<CaseId>& flushed);

  // Steps through a query of the log (lsn, body, ..., personal columns from
  // personal_col), decoding each row for visit; visit's error stops it.
  absl::Status walk_log(Statement& st, int personal_col,
                        const std::function<absl::Status(const Event&)>& visit) const;
  // Reads a projection row (id, body, last_lsn, personal columns) at column 0.
  absl::StatusOr<Case> decode_case_row(const Statement& st, Arena& arena) const;

  SqliteStoreOptions options_;
  mutable SqliteDb db_;
  std::unique_ptr<FileHold> hold_;  // released after db_ is closed
  StoreId id_;
  LsnRecord lsn_record_;  // written by the writer after each commit

  Statement insert_event_, insert_events_, insert_personal_, insert_request_, upsert_case_,
      delete_units_, insert_unit_, update_meta_, case_last_lsn_, upsert_unit_counter_,
      upsert_volume_counter_, upsert_unit_month_, upsert_volume_month_;
  // The reads an engine makes while it applies commands: on the writer's
  // connection, or (enable_concurrent_reads()) on a connection of their own,
  // so that they run on the engine's thread while a commit is under way on
  // another: a WAL reader sees what is committed and never waits for it.
  struct ApplyReads {
    Statement find_request, find_channel, load_case, event_at;
  };
  absl::Status prepare_apply_reads(SqliteDb& db, ApplyReads& reads);
  ApplyReads& apply_reads() const {
    return const_cast<ApplyReads&>(concurrent_ ? reader_reads_ : writer_reads_);
  }
  ApplyReads writer_reads_, reader_reads_;
  SqliteDb reader_;
  bool concurrent_ = false;
  mutable absl::flat_hash_map<std::string, std::unique_ptr<Statement>> queries_;

  std::atomic<std::uint64_t> next_lsn_{1};
  std::uint64_t checkpoint_lsn_ = 0;
  CaseId max_case_id_ = 0;
  // The last event of each case the engine holds, so that the next one links
  // to it (a case missing here is looked up in its projection).
  mutable absl::flat_hash_map<CaseId, std::uint64_t> last_lsn_;
  // Cases whose projection is behind the log: the case as its last commit
  // left it (a copy: the engine may be changing its own while a commit runs
  // on another thread; the arena data it points to never changes) and the
  // first event not yet in the projection; `fifo` in the order they became
  // dirty (entries of cases since flushed are skipped).
  struct Dirty {
    Case c;
    std::uint64_t first_lsn = 0;
  };
  absl::flat_hash_map<CaseId, Dirty> dirty_;
  std::deque<std::pair<std::uint64_t, CaseId>> fifo_;
  std::uint64_t replay_lsn_ = 0;   // the tail event being replayed
  bool recovered_ = false;         // the tail was replayed: writing is safe
  bool counters_complete_ = true;  // false: a store from before the counters
  bool purged_ = false;            // purge() deleted cases (their counts stay)
  bool batch_open_ = false;        // begin_batch() opened the write transaction
  // Reused buffers (encode_msg_: encode(), on the engine's thread).
  mutable v1::Event encode_msg_;
  v1::Event event_msg_;
  v1::Case case_msg_;
  std::string bytes_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_SQLITE_STORE_H
