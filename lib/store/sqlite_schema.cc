#include "store/sqlite_schema.h"

#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lifecycle/counters.h"
#include "store/store_fault.h"

namespace jszb::core {

namespace {

// Step n takes a store from version n - 1 to n. Append steps; never edit one
// that has shipped.
const char* const kMigrations[] = {
    // 1: the event log, the case projections and what queries need.
    R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES ('checkpoint_lsn', 0);

CREATE TABLE events (
  lsn INTEGER PRIMARY KEY,   -- position in the log, from 1, in commit order
  case_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,      -- place in its case, from 1
  prev_lsn INTEGER NOT NULL, -- the case's previous event, 0 for its first
  type INTEGER NOT NULL,     -- jszb.v1.EventType
  time_ms INTEGER NOT NULL,
  other_case INTEGER,        -- the case a merge or a duplicate names, else NULL
  body BLOB NOT NULL         -- jszb.v1.Event, personal data left out
);
-- purge: which cases do others name (merges, duplicates are few)
CREATE INDEX events_by_other_case ON events (other_case) WHERE other_case IS NOT NULL;

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  state INTEGER NOT NULL,    -- jszb.v1.State
  channel INTEGER NOT NULL,
  channel_ref TEXT NOT NULL,
  kind INTEGER NOT NULL,
  category1 TEXT NOT NULL,
  category2 TEXT NOT NULL,
  category3 TEXT NOT NULL,
  district TEXT NOT NULL,
  street TEXT NOT NULL,
  community TEXT NOT NULL,
  lead_unit INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  reply_due_ms INTEGER NOT NULL, -- the running reply deadline, 0: none
  closed_ms INTEGER NOT NULL,
  last_event_ms INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  last_lsn INTEGER NOT NULL,     -- the case's last event in the log
  policy_version INTEGER NOT NULL,
  body BLOB NOT NULL             -- jszb.v1.Case, personal data left out
);
-- submit: one case per (channel, channel_ref)
CREATE UNIQUE INDEX cases_by_channel_ref ON cases (channel, channel_ref);
-- open cases (not answered on the spot, not dispatched, terminated, closed or
-- merged): the ones an engine loads when it opens. A running engine holds
-- every open case in memory and answers listings by open state or deadline
-- from there, so no other index covers state or deadline.
CREATE INDEX cases_open ON cases (state) WHERE state NOT IN (2, 3, 12, 13, 14);
-- list by time received
CREATE INDEX cases_by_received ON cases (received_ms);
-- list by area
CREATE INDEX cases_by_area ON cases (district, street, community);
-- list by category
CREATE INDEX cases_by_category ON cases (category1, category2, category3);

-- the lead, copied and co-handling units of each case
CREATE TABLE case_units (
  case_id INTEGER NOT NULL,
  unit INTEGER NOT NULL,
  PRIMARY KEY (case_id, unit)
) WITHOUT ROWID;
-- list by unit
CREATE INDEX case_units_by_unit ON case_units (unit, case_id);

-- the citizen's personal data, apart, so that erasing it is one delete
CREATE TABLE personal (
  case_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  address TEXT NOT NULL,
  content TEXT NOT NULL,
  lat REAL,
  lon REAL
);

-- client request ids of the commands committed: a retry is not applied twice
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  lsn INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: the policies the store ran under (reloaded on open) and erasures.
    R"sql(
CREATE TABLE policies (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  file TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE TABLE policy_files (
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (version, name)
) WITHOUT ROWID;
INSERT INTO meta VALUES ('current_policy', 0);
INSERT INTO meta VALUES ('purged_max_case_id', 0);

CREATE TABLE erasures (
  case_id INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL
);
)sql",
    // 3: the report counters (counters.h), written with the events. A store
    // that had events before them is recounted from its log on the next
    // writable open (counters_complete = 0 until then).
    R"sql(
CREATE TABLE unit_counters (
  bucket INTEGER NOT NULL,  -- China-time half-days since 1970-01-01 00:00 +08:00
  unit INTEGER NOT NULL,
  visits INTEGER NOT NULL, contacted INTEGER NOT NULL, solved INTEGER NOT NULL,
  satisfied INTEGER NOT NULL, basically_satisfied INTEGER NOT NULL,
  not_satisfied INTEGER NOT NULL,
  sign_outcomes INTEGER NOT NULL, signed_on_time INTEGER NOT NULL,
  replies INTEGER NOT NULL, replied_on_time INTEGER NOT NULL,
  dispatched INTEGER NOT NULL, first_contacts INTEGER NOT NULL, response_ms INTEGER NOT NULL,
  closed INTEGER NOT NULL, handling_ms INTEGER NOT NULL, breached INTEGER NOT NULL,
  PRIMARY KEY (bucket, unit)
) WITHOUT ROWID;
CREATE TABLE volume_counters (
  bucket INTEGER NOT NULL,
  dim INTEGER NOT NULL,     -- 1 area (street, community), 2 category (levels 1..3), 3 channel/kind
  district TEXT NOT NULL,
  a TEXT NOT NULL, b TEXT NOT NULL, c TEXT NOT NULL,
  channel INTEGER NOT NULL, kind INTEGER NOT NULL,
  received INTEGER NOT NULL,
  PRIMARY KEY (bucket, dim, district, a, b, c, channel, kind)
) WITHOUT ROWID;
INSERT INTO meta SELECT 'counters_complete', NOT EXISTS (SELECT 1 FROM events);
)sql",
    // 4: the counters rolled up by assessment month as well (19th to 19th,
    // China time; months since year 0, as month_of() in counters.h numbers
    // them), so that a month's report reads one row per key. Stores of schema
    // 3 exist both with these tables (they were first added to step 3, which
    // had shipped) and without: a store that has them keeps its rows, one
    // without gets them summed from its half-day rows. jszb_month_of() is
    // month_of(), lent to SQL by migrate() for the length of the migration.
    R"sql(
CREATE TABLE IF NOT EXISTS unit_counters_month (
  month INTEGER NOT NULL,
  unit INTEGER NOT NULL,
  visits INTEGER NOT NULL, contacted INTEGER NOT NULL, solved INTEGER NOT NULL,
  satisfied INTEGER NOT NULL, basically_satisfied INTEGER NOT NULL,
  not_satisfied INTEGER NOT NULL,
  sign_outcomes INTEGER NOT NULL, signed_on_time INTEGER NOT NULL,
  replies INTEGER NOT NULL, replied_on_time INTEGER NOT NULL,
  dispatched INTEGER NOT NULL, first_contacts INTEGER NOT NULL, response_ms INTEGER NOT NULL,
  closed INTEGER NOT NULL, handling_ms INTEGER NOT NULL, breached INTEGER NOT NULL,
  PRIMARY KEY (month, unit)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS volume_counters_month (
  month INTEGER NOT NULL,
  dim INTEGER NOT NULL,
  district TEXT NOT NULL,
  a TEXT NOT NULL, b TEXT NOT NULL, c TEXT NOT NULL,
  channel INTEGER NOT NULL, kind INTEGER NOT NULL,
  received INTEGER NOT NULL,
  PRIMARY KEY (month, dim, district, a, b, c, channel, kind)
) WITHOUT ROWID;
INSERT INTO unit_counters_month
  SELECT jszb_month_of(bucket), unit, sum(visits), sum(contacted), sum(solved), sum(satisfied),
         sum(basically_satisfied), sum(not_satisfied), sum(sign_outcomes), sum(signed_on_time),
         sum(replies), sum(replied_on_time), sum(dispatched), sum(first_contacts),
         sum(response_ms), sum(closed), sum(handling_ms), sum(breached)
  FROM unit_counters
  WHERE NOT EXISTS (SELECT 1 FROM unit_counters_month)
  GROUP BY 1, 2;
INSERT INTO volume_counters_month
  SELECT jszb_month_of(bucket), dim, district, a, b, c, channel, kind, sum(received)
  FROM volume_counters
  WHERE NOT EXISTS (SELECT 1 FROM volume_counters_month)
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
)sql",
    // 5: three counts appended to the unit counters (counters.h): supervisions
    // of the unit as lead, visits counted in the resolution rate only and
    // orders put on the long-term pending list (both new with this version:
    // nothing before it counts there). Supervisions
    // are events a store may hold already, and a case now also keeps the
    // extensions approved in its dispatch (jszb.v1.Case field 35), which
    // projections written before lack: a store with such events (17
    // supervised, 27 breached, 28 escalated, 13 extension approved) is
    // recounted and its cases projected again from its log on the next
    // writable open (counters_complete = 0 until then), unless something was
    // purged from it (a recount would lose the purged cases' counts): then
    // the new count starts from here.
    R"sql(
ALTER TABLE unit_counters ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_counters ADD COLUMN resolution_only_visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_counters_month ADD COLUMN supervised INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_counters_month ADD COLUMN resolution_only_visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_counters ADD COLUMN long_term_held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_counters_month ADD COLUMN long_term_held INTEGER NOT NULL DEFAULT 0;
UPDATE meta SET value = 0
  WHERE key = 'counters_complete'
    AND EXISTS (SELECT 1 FROM events WHERE type IN (13, 17, 27, 28))
    AND (SELECT value FROM meta WHERE key = 'purged_max_case_id') = 0;
)sql",
    // 6: themes (每月一题, 未诉先办), their tasks, and the record of every
    // change to them (theme_store.h). The lists of a theme are kept one item
    // per line (an item never holds a control character), so that sqlite3
    // shows them as they are. Nothing to migrate: no store had themes before.
    // "IF NOT EXISTS": a store whose version was set back by hand (as the
    // migration tests do) keeps the themes it has.
    R"sql(
CREATE TABLE IF NOT EXISTS themes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  lead_unit INTEGER NOT NULL,
  categories TEXT NOT NULL,  -- category path prefixes ("市场管理/预付式消费"), one per line
  keywords TEXT NOT NULL,    -- one per line
  areas TEXT NOT NULL        -- "district" or "district/street", one per line; '': the city
);
CREATE TABLE IF NOT EXISTS theme_tasks (
  theme_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  owner_unit INTEGER NOT NULL,
  title TEXT NOT NULL,
  due_ms INTEGER NOT NULL,
  state INTEGER NOT NULL,    -- 1 open, 2 done
  done_ms INTEGER NOT NULL,  -- when it was marked done, 0: open
  PRIMARY KEY (theme_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS theme_changes (
  seq INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,   -- the time the caller gave the change
  theme_id INTEGER NOT NULL,
  change INTEGER NOT NULL,    -- 1 defined, 2 redefined, 3 task set, 4 removed
  task_id INTEGER NOT NULL    -- the task a change 3 set, else 0
);
)sql",
    // 7: the store's identity, a random 128-bit number in two halves (SQLite's
    // random() draws from the operating system's randomness). It keys the
    // record of the last committed log position kept beside the file
    // (<file>-lsn, lsn_record.h), which a damaged WAL cannot take back.
    // lost_max_case_id: the highest case id of events lost and accepted
    // (accept_lost_events): never given out again.
    // "OR IGNORE": a store whose version was set back by hand keeps its id.
    R"sql(
INSERT OR IGNORE INTO meta VALUES ('store_id_high', random());
INSERT OR IGNORE INTO meta VALUES ('store_id_low', random());
INSERT OR IGNORE INTO meta VALUES ('lost_max_case_id', 0);
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kStoreSchemaVersion);

// jszb_month_of(bucket): the assessment month of a half-day bucket, computed
// by month_of() itself, so that rows a migration rolls up land in the month
// the write path would have put them in (a civil-calendar rule that SQLite's
// date functions could only follow for years 0..9999).
void month_of_sql(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) != SQLITE_INTEGER) {
    sqlite3_result_error(context, "jszb_month_of: the bucket must be an integer", -1);
    return;
  }
  sqlite3_result_int64(context, month_of(static_cast<Bucket>(sqlite3_value_int64(args[0]))));
}

// Each step in its own transaction.
absl::Status run_steps(SqliteDb& db, int from, int to) {
  for (int v = from + 1; v <= to; ++v) {
    std::string step =
        absl::StrFormat("BEGIN IMMEDIATE;\n%s\nPRAGMA user_version = %d;\n", kMigrations[v - 1], v);
    if (v == 1) step += absl::StrFormat("PRAGMA application_id = %d;\n", kStoreApplicationId);
    step += "COMMIT;";
    if (absl::Status s = db.exec(step); !s.ok()) {
      (void)db.exec("ROLLBACK");
      return with_message(
          s, absl::StrFormat("migrating the store to schema version %d: %s", v, s.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::set<std::string>> objects_of(SqliteDb& db) {
  absl::StatusOr<Statement> st =
      db.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'index')");
  if (!st.ok()) return st.status();
  std::set<std::string> out;
  while (true) {
    absl::StatusOr<bool> row = st->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string_view name = st->column_text(1);
    if (name.rfind("sqlite_", 0) == 0) continue;  // SQLite's own (autoindexes, statistics)
    out.insert(std::string(st->column_text(0)) + " " + std::string(name));
  }
  return out;
}

absl::Status migrate(SqliteDb& db, int from, int to) {
  // The steps may call jszb_month_of(); it is lent to this connection only
  // while they run, and nothing in the schema keeps a reference to it.
  int rc = sqlite3_create_function_v2(db.handle(), "jszb_month_of", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, month_of_sql,
                                      nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return db.error(rc, "registering jszb_month_of for the migration");
  absl::Status status = run_steps(db, from, to);
  (void)sqlite3_create_function_v2(db.handle(), "jszb_month_of", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr, nullptr,
                                   nullptr, nullptr);
  return status;
}

// The tables and indexes a store of the current version has, named as in
// sqlite_schema ("table events"), from the steps run on an empty database.
absl::StatusOr<std::set<std::string>> expected_objects() {
  static const absl::StatusOr<std::set<std::string>>* expected = [] {
    auto* out = new absl::StatusOr<std::set<std::string>>();
    SqliteDb scratch;
    absl::Status s = scratch.open(":memory:", true, false);
    if (s.ok()) s = migrate(scratch, 0, kStoreSchemaVersion);
    if (s.ok()) *out = objects_of(scratch);
    if (!s.ok()) *out = s;
    return out;
  }();
  return *expected;
}

// A table or an index of the layout missing (dropped by hand, or a damaged
// schema page): the store cannot be trusted with anything.
absl::Status check_objects(SqliteDb& db) {
  absl::StatusOr<std::set<std::string>> expected = expected_objects();
  if (!expected.ok()) return expected.status();
  absl::StatusOr<std::set<std::string>> present = objects_of(db);
  if (!present.ok()) return present.status();
  std::vector<std::string> missing;
  for (const std::string& name : *expected) {
    if (present->count(name) == 0) missing.push_back(name);
  }
  if (missing.empty()) return absl::OkStatus();
  return with_store_fault(
      absl::DataLossError(absl::StrFormat(
          "store %s is damaged: its %s %s missing (dropped by hand, or a damaged file); "
          "nothing was written to it: restore it from a backup (docs/store.md, \"What survives "
          "what\")",
          db.path(), absl::StrJoin(missing, ", "), missing.size() == 1 ? "is" : "are")),
      StoreFault::kCorrupt);
}

}  // namespace

absl::Status create_schema(SqliteDb& db, int version) { return migrate(db, 0, version); }

absl::Status prepare_schema(SqliteDb& db, bool read_only) {
  // Reading the header is the first thing that notices a file that is not a
  // database at all.
  absl::StatusOr<std::int64_t> app = db.query_int("PRAGMA application_id");
  if (!app.ok()) return app.status();
  absl::StatusOr<std::int64_t> version = db.query_int("PRAGMA user_version");
  if (!version.ok()) return version.status();
  absl::StatusOr<std::int64_t> tables = db.query_int("SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) return tables.status();

  if (*app == 0 && *version == 0 && *tables == 0) {
    if (read_only) {
      return absl::NotFoundError(absl::StrFormat(
          "store %s is empty: a read-only open needs an existing store", db.path()));
    }
    return migrate(db, 0, kStoreSchemaVersion);
  }
  if (*app != kStoreApplicationId) {
    return with_store_fault(
        absl::FailedPreconditionError(absl::StrFormat(
            "%s is an SQLite database but not a jszb store (application_id is %d, a jszb "
            "store's is %d): refusing to touch it",
            db.path(), *app, kStoreApplicationId)),
        StoreFault::kCorrupt);
  }
  if (*version > kStoreSchemaVersion) {
    return with_store_fault(
        absl::FailedPreconditionError(absl::StrFormat(
            "store %s has schema version %d, newer than this library knows (%d): open it with "
            "a newer jszb",
            db.path(), *version, kStoreSchemaVersion)),
        StoreFault::kVersion);
  }
  if (*version < 1) {
    return with_store_fault(
        absl::DataLossError(absl::StrFormat(
            "store %s has schema version %d: it was never completed", db.path(), *version)),
        StoreFault::kCorrupt);
  }
  if (*version < kStoreSchemaVersion) {
    if (read_only) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "store %s has schema version %d and needs migrating to %d: open it writable once",
          db.path(), *version, kStoreSchemaVersion));
    }
    if (absl::Status s = migrate(db, static_cast<int>(*version), kStoreSchemaVersion); !s.ok()) {
      return s;
    }
  }
  return check_objects(db);
}

}  // namespace jszb::core
