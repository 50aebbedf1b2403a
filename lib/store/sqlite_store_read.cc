// SqliteStore: reading cases, events, listings and policies back.
#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "base/enum_cast.h"
#include "model/deep_copy.h"
#include "model/proto_codec.h"
#include "model/request_fingerprint.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"
#include "store/store_fault.h"

namespace jszb::core {

// ------------------------------------------------------------------- reading

absl::StatusOr<Case> SqliteStore::decode_case_row(const Statement& st, Arena& arena) const {
  CaseId id = static_cast<CaseId>(st.column_int(0));
  v1::Case msg;
  std::string_view body = st.column_blob(1);
  if (!msg.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return corrupt_store(
        absl::StrFormat("store %s: the projection of case %d does not parse", db_.path(), id));
  }
  if (absl::Status s = restore_personal(st, 3, msg.mutable_intake(), msg.mutable_contact());
      !s.ok()) {
    return corrupt(db_.path(), "the projection", id, s);
  }
  DecodedCase decoded;
  if (absl::Status s = from_proto(msg, &decoded); !s.ok())
    return corrupt(db_.path(), "the projection", id, s);
  if (decoded.c.id != id) {
    return corrupt_store(absl::StrFormat("store %s: the projection in row %d is of case %d",
                                         db_.path(), id, decoded.c.id));
  }
  return deep_copy(decoded.c, arena);
}

absl::StatusOr<std::optional<Case>> SqliteStore::read_case(CaseId id, Arena& arena,
                                                           std::uint64_t* last_lsn) const {
  Statement& st = apply_reads().load_case;
  st.bind(1, static_cast<std::int64_t>(id));
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  absl::StatusOr<Case> c = decode_case_row(st, arena);
  if (last_lsn != nullptr) *last_lsn = static_cast<std::uint64_t>(st.column_int(2));
  st.reset();
  if (!c.ok()) return c.status();
  return *c;
}

absl::StatusOr<std::optional<Case>> SqliteStore::stored_case(CaseId id, Arena& arena) const {
  return read_case(id, arena, nullptr);
}

absl::StatusOr<std::optional<Case>> SqliteStore::load_case(CaseId id, Arena& arena) const {
  std::uint64_t last = 0;
  absl::StatusOr<std::optional<Case>> c = read_case(id, arena, &last);
  // The engine takes the case into memory: its next event links to its last
  // (with concurrent reads, a commit on another thread owns the map; it finds
  // the link in the projection).
  if (c.ok() && c->has_value() && !concurrent_) last_lsn_.try_emplace(id, last);
  return c;
}

absl::Status SqliteStore::for_each_open_case(
    Arena& arena, const std::function<absl::Status(const Case&)>& visit) const {
  absl::StatusOr<Statement*> st = cached(
      absl::StrFormat("SELECT c.id, c.body, c.last_lsn, %s FROM cases c INDEXED BY cases_open "
                      "LEFT JOIN personal p ON p.case_id = c.id "
                      "WHERE c.state NOT IN (%s) ORDER BY c.id",
                      kPersonalColumns, finished_states_sql()));
  if (!st.ok()) return st.status();
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<Case> c = decode_case_row(**st, arena);
    if (!c.ok()) {
      (*st)->reset();
      return c.status();
    }
    last_lsn_[c->id] = static_cast<std::uint64_t>((*st)->column_int(2));
    if (absl::Status s = visit(*c); !s.ok()) {
      (*st)->reset();
      return s;
    }
  }
}

namespace {

// An event row's body (column `body`) with its personal columns at `personal`.
absl::Status decode_event_row(const Statement& st, int body_col, int personal_col, v1::Event* msg,
                              DecodedEvent* out) {
  std::string_view body = st.column_blob(body_col);
  if (!msg->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return corrupt_store("an event row does not parse as a jszb.v1.Event");
  }
  if (msg->has_submission()) {
    v1::Submission* sub = msg->mutable_submission();
    if (absl::Status s =
            restore_personal(st, personal_col, sub->mutable_intake(), sub->mutable_contact());
        !s.ok()) {
      return s;
    }
  }
  return from_proto(*msg, out);
}

}  // namespace

absl::Status SqliteStore::for_each_tail_event(
    const std::function<absl::Status(const Event&)>& visit) {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT e.lsn, e.body, %s FROM events e LEFT JOIN personal p ON e.type = 1 AND "
      "p.case_id = e.case_id WHERE e.lsn > ?1 ORDER BY e.lsn",
      kPersonalColumns));
  if (!st.ok()) return st.status();
  (*st)->bind(1, static_cast<std::int64_t>(checkpoint_lsn_));
  v1::Event msg;
  DecodedEvent decoded;
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    replay_lsn_ = static_cast<std::uint64_t>((*st)->column_int(0));
    if (absl::Status s = decode_event_row(**st, 1, 2, &msg, &decoded); !s.ok()) {
      (*st)->reset();
      return corrupt_store(absl::StrFormat("store %s: event at log position %d: %s", db_.path(),
                                           replay_lsn_, s.message()));
    }
    const Event& e = decoded.event;
    if (absl::Status s = visit(e); !s.ok()) {
      (*st)->reset();
      std::string message = absl::StrFormat(
          "store %s: event at log position %d (case %d, event %d) could not be "
          "recovered: %s",
          db_.path(), replay_lsn_, e.case_id, e.seq, s.message());
      // A log the engine refuses to replay (an event of a case it lacks, a
      // transition it would not take) contradicts itself: the file is damaged.
      // Running out of memory or a storage fault stays what it is.
      if (store_fault_of(s) != StoreFault::kNone ||
          s.code() == absl::StatusCode::kResourceExhausted) {
        return with_message(s, message);
      }
      return corrupt_store(message);
    }
    std::uint64_t& last = last_lsn_[e.case_id];
    last = std::max(last, replay_lsn_);
    max_case_id_ = std::max(max_case_id_, e.case_id);
  }
  replay_lsn_ = 0;
  recovered_ = true;
  return absl::OkStatus();
}

void SqliteStore::replayed(const Case& c) {
  if (auto it = dirty_.find(c.id); it != dirty_.end()) {
    it->second.c = c;  // the case as it now stands; still behind since its first
    return;
  }
  if (replay_lsn_ == 0) return;  // not replaying: its projection was just written
  dirty_.emplace(c.id, Dirty{c, replay_lsn_});
  fifo_.emplace_back(replay_lsn_, c.id);
}

absl::Status SqliteStore::walk_log(Statement& st, int personal_col,
                                   const std::function<absl::Status(const Event&)>& visit) const {
  v1::Event msg;
  DecodedEvent decoded;
  while (true) {
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (absl::Status s = decode_event_row(st, 1, personal_col, &msg, &decoded); !s.ok()) {
      std::int64_t lsn = st.column_int(0);
      st.reset();
      return corrupt_store(
          absl::StrFormat("store %s: event at log position %d: %s", db_.path(), lsn, s.message()));
    }
    if (absl::Status s = visit(decoded.event); !s.ok()) {
      st.reset();
      return s;
    }
  }
}

absl::Status SqliteStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT e.lsn, e.body, %s FROM events e LEFT JOIN personal p ON e.type = 1 AND "
      "p.case_id = e.case_id ORDER BY e.lsn",
      kPersonalColumns));
  if (!st.ok()) return st.status();
  return walk_log(**st, 2, [&visit](const Event& e) {
    visit(e);
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::for_each_logged_marked(
    const std::function<absl::Status(const Event&, bool last_of_case)>& visit) const {
  absl::StatusOr<Statement*> st = cached(absl::StrFormat(
      "SELECT e.lsn, e.body, c.last_lsn = e.lsn, %s FROM events e LEFT JOIN personal p ON "
      "e.type = 1 AND p.case_id = e.case_id LEFT JOIN cases c ON c.id = e.case_id ORDER BY e.lsn",
      kPersonalColumns));
  if (!st.ok()) return st.status();
  const bool known = marks_known();
  Statement& rows = **st;
  return walk_log(rows, 3, [&](const Event& e) {
    return visit(e, known && !rows.column_is_null(2) && rows.column_int(2) == 1);
  });
}

absl::Status SqliteStore::for_each_event(CaseId id,
                                         const std::function<void(const Event&)>& visit) const {
  // Walk the case's chain back from its last event, then visit oldest first.
  struct Row {
    v1::Event msg;
  };
  std::vector<std::unique_ptr<Row>> rows;
  Statement& st = const_cast<Statement&>(writer_reads_.event_at);  // the writer is idle
  absl::StatusOr<std::uint64_t> last = last_lsn_of(id);
  if (!last.ok()) return last.status();
  for (std::uint64_t lsn = *last; lsn != 0;) {
    st.bind(1, static_cast<std::int64_t>(lsn));
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return corrupt_store(
          absl::StrFormat("store %s: case %d's history links to log position %d, which is missing",
                          db_.path(), id, lsn));
    }
    auto r = std::make_unique<Row>();
    DecodedEvent scratch;
    if (absl::Status s = decode_event_row(st, 1, 2, &r->msg, &scratch); !s.ok()) {
      st.reset();
      return corrupt_store(
          absl::StrFormat("store %s: event at log position %d: %s", db_.path(), lsn, s.message()));
    }
    std::uint64_t prev = static_cast<std::uint64_t>(st.column_int(0));
    st.reset();
    // Each event links to an earlier one: a link forward or to itself is damage
    // (and would walk in a circle).
    if (prev >= lsn) {
      return corrupt_store(absl::StrFormat(
          "store %s: case %d's event at log position %d links to position %d, not an earlier one",
          db_.path(), id, lsn, prev));
    }
    lsn = prev;
    rows.push_back(std::move(r));
  }
  DecodedEvent decoded;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (absl::Status s = from_proto((*it)->msg, &decoded); !s.ok()) return s;
    visit(decoded.event);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<CaseId>> SqliteStore::find_channel_ref(Channel channel,
                                                                    std::string_view ref) const {
  Statement& st = apply_reads().find_channel;
  st.bind(1, static_cast<std::int64_t>(channel)).bind(2, ref);
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  CaseId id = static_cast<CaseId>(st.column_int(0));
  st.reset();
  return id;
}

absl::StatusOr<std::optional<std::uint64_t>> SqliteStore::request_fingerprint(
    std::string_view request_id) const {
  Statement& st = apply_reads().find_request;
  st.bind(1, request_id);
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  std::uint64_t lsn = static_cast<std::uint64_t>(st.column_int(0));
  st.reset();
  // The event the request became holds what the command said.
  Statement& ev = apply_reads().event_at;
  ev.bind(1, static_cast<std::int64_t>(lsn));
  row = ev.step();
  if (!row.ok()) return row.status();
  if (!*row) return kFingerprintGone;  // its case was purged
  v1::Event msg;
  DecodedEvent scratch;
  absl::Status s = decode_event_row(ev, 1, 2, &msg, &scratch);
  ev.reset();
  DecodedEvent decoded;
  if (s.ok()) s = from_proto(msg, &decoded);
  if (!s.ok()) {
    return corrupt_store(absl::StrFormat("store %s: event at log position %d (request %s): %s",
                                         db_.path(), lsn, request_id, s.message()));
  }
  return core::request_fingerprint(decoded.event);
}

absl::StatusOr<std::uint64_t> SqliteStore::count_cases() const {
  // The case rows, plus the cases whose row is not written yet: those whose
  // first event lies past the checkpoint (every case before it has its row).
  absl::StatusOr<Statement*> found = cached(
      "SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM events e WHERE e.lsn > ?1 "
      "AND e.prev_lsn = 0 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id))");
  if (!found.ok()) return found.status();
  Statement& st = **found;
  st.bind(1, static_cast<std::int64_t>(checkpoint_lsn_));
  absl::StatusOr<bool> row = st.step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("counting the stored cases returned no row");
  auto count = static_cast<std::uint64_t>(st.column_int(0));
  st.reset();
  return count;
}

absl::StatusOr<std::vector<CaseId>> SqliteStore::list(
    const CaseFilter& f, const std::function<bool(CaseId)>& skip) const {
  // One statement per combination of conditions, every value bound.
  std::string sql = "SELECT id FROM cases WHERE id > ?1";
  if (f.state != State::kUnspecified) sql += " AND state = ?2";
  if (f.unit != 0) sql += " AND id IN (SELECT case_id FROM case_units WHERE unit = ?3)";
  if (!f.district.empty()) sql += " AND district = ?4";
  if (!f.street.empty()) sql += " AND street = ?5";
  if (!f.community.empty()) sql += " AND community = ?6";
  if (!f.category[0].empty()) sql += " AND category1 = ?7";
  if (!f.category[1].empty()) sql += " AND category2 = ?8";
  if (!f.category[2].empty()) sql += " AND category3 = ?9";
  if (f.received_from != 0) sql += " AND received_ms >= ?10";
  if (f.received_until != 0) sql += " AND received_ms < ?11";
  if (f.due_from != 0 || f.due_until != 0) sql += " AND reply_due_ms != 0";
  if (f.due_from != 0) sql += " AND reply_due_ms >= ?12";
  if (f.due_until != 0) sql += " AND reply_due_ms < ?13";
  sql += " ORDER BY id";
  absl::StatusOr<Statement*> found = cached(sql);
  if (!found.ok()) return found.status();
  Statement& st = **found;
  st.bind(1, static_cast<std::int64_t>(f.after));
  if (f.state != State::kUnspecified) st.bind(2, static_cast<std::int64_t>(f.state));
  if (f.unit != 0) st.bind(3, static_cast<std::int64_t>(f.unit));
  if (!f.district.empty()) st.bind(4, f.district);
  if (!f.street.empty()) st.bind(5, f.street);
  if (!f.community.empty()) st.bind(6, f.community);
  for (int i = 0; i < 3; ++i) {
    if (!f.category[i].empty()) st.bind(7 + i, f.category[i]);
  }
  if (f.received_from != 0) st.bind(10, f.received_from);
  if (f.received_until != 0) st.bind(11, f.received_until);
  if (f.due_from != 0) st.bind(12, f.due_from);
  if (f.due_until != 0) st.bind(13, f.due_until);
  std::vector<CaseId> out;
  while (true) {
    absl::StatusOr<bool> row = st.step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto id = static_cast<CaseId>(st.column_int(0));
    if (skip && skip(id)) continue;
    out.push_back(id);
    if (f.limit != 0 && out.size() == f.limit) {
      st.reset();
      break;
    }
  }
  return out;
}

absl::StatusOr<StoredPolicies> SqliteStore::stored_policies() const {
  StoredPolicies out;
  absl::StatusOr<Statement*> st =
      cached("SELECT version, file, text FROM policies ORDER BY version");
  if (!st.ok()) return st.status();
  while (true) {
    absl::StatusOr<bool> row = (*st)->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StoredPolicy p;
    p.version = static_cast<std::uint32_t>((*st)->column_int(0));
    p.file = std::string((*st)->column_text(1));
    p.text = std::string((*st)->column_text(2));
    out.policies.push_back(std::move(p));
  }
  absl::StatusOr<Statement*> files =
      cached("SELECT name, text FROM policy_files WHERE version = ?1 ORDER BY name");
  if (!files.ok()) return files.status();
  for (StoredPolicy& p : out.policies) {
    (*files)->bind(1, static_cast<std::int64_t>(p.version));
    while (true) {
      absl::StatusOr<bool> row = (*files)->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      p.named_files.emplace_back(std::string((*files)->column_text(0)),
                                 std::string((*files)->column_text(1)));
    }
  }
  absl::StatusOr<std::int64_t> current =
      db_.query_int("SELECT value FROM meta WHERE key = 'current_policy'");
  if (!current.ok()) return current.status();
  out.current = static_cast<std::uint32_t>(*current);
  return out;
}

}  // namespace jszb::core
