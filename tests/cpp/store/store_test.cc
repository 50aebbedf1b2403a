// The durable store: reopening continues exactly where the engine stopped
// (cases, histories, timers, policies, ids), idempotency across reopen, the
// failure behaviour (disk full, read-only, corrupt or foreign files, newer
// schema, a second writer), migration from the first schema and from both
// kinds of schema-3 store (with and without the monthly counters), queries
// that agree with an in-memory engine, erasure, purge and verify.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/durable_engine.h"
#include "fixture.h"
#include "lifecycle/counters.h"
#include "lifecycle/lifecycle.h"
#include "model/deep_copy.h"
#include "policy_fixture.h"
#include "report/assessment.h"
#include "store/sqlite_schema.h"
#include "store/store_fault.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

namespace fs = std::filesystem;
using core::Case;
using core::CaseFilter;
using core::DurableEngine;
using core::Event;
using core::SqliteStoreOptions;

// Deep copies of every case an engine can list, to compare after reopening.
struct Snapshot {
  core::Arena arena;
  std::map<CaseId, Case> cases;
  std::map<CaseId, std::vector<Event>> events;
};

std::unique_ptr<Snapshot> snapshot(Engine& e) {
  auto snap = std::make_unique<Snapshot>();
  absl::StatusOr<std::vector<CaseId>> ids = e.list(CaseFilter());
  EXPECT_TRUE(ids.ok()) << ids.status();
  for (CaseId id : *ids) {
    absl::StatusOr<const Case*> c = e.fetch(id);
    EXPECT_TRUE(c.ok() && *c != nullptr) << id;
    snap->cases.emplace(id, core::deep_copy(**c, snap->arena));
    std::vector<Event>& out = snap->events[id];
    EXPECT_TRUE(e.for_each_event(id, [&](const Event& ev) {
                   out.push_back(core::deep_copy(ev, snap->arena));
                 }).ok());
  }
  return snap;
}

void expect_same(Engine& e, const Snapshot& want) {
  absl::StatusOr<std::vector<CaseId>> ids = e.list(CaseFilter());
  ASSERT_TRUE(ids.ok()) << ids.status();
  ASSERT_EQ(ids->size(), want.cases.size());
  for (const auto& [id, c] : want.cases) {
    absl::StatusOr<const Case*> got = e.fetch(id);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_NE(*got, nullptr) << "case " << id;
    EXPECT_TRUE(**got == c) << "case " << id << " differs after reopening";
    core::Arena arena;  // the store's views last only during the call
    std::vector<Event> events;
    ASSERT_TRUE(e.for_each_event(id, [&](const Event& ev) {
                   events.push_back(core::deep_copy(ev, arena));
                 }).ok());
    EXPECT_TRUE(events == want.events.at(id)) << "history of case " << id;
  }
}

// Cases in every state, under the Beijing policy (so deadlines run).
void populate(Engine& e, const std::string& prefix) {
  ASSERT_TRUE(e.load_policy(core::Policy::beijing()).ok());
  for (int s = 1; s <= kStateCount; ++s) {
    case_in_state(e, static_cast<State>(s), prefix + std::to_string(s));
  }
}

TEST(SqliteStore, ReopenContinuesExactlyWhereItStopped) {
  ScratchDir dir;
  std::string path = dir.file("week.jszb");
  std::unique_ptr<Snapshot> before;
  std::size_t timers = 0;
  {
    DurableEngine d = open_ok(path);
    populate(*d.engine, "r-");
    before = snapshot(*d.engine);
    timers = d.engine->timers_pending();
    EXPECT_GT(timers, 0u);
  }
  DurableEngine d = open_ok(path);
  expect_same(*d.engine, *before);
  // Policies and timers came back with the cases.
  ASSERT_NE(d.engine->policy(), nullptr);
  EXPECT_EQ(d.engine->policy()->version(), core::Policy::beijing()->version());
  EXPECT_EQ(d.engine->timers_pending(), timers);
  // New cases get new ids, and the old ones take commands.
  CaseId next = submit(*d.engine, "r-new");
  EXPECT_GT(next, before->cases.rbegin()->first);
  CaseFilter in_dispatch;
  in_dispatch.state = State::kDispatched;
  absl::StatusOr<std::vector<CaseId>> dispatched = d.engine->list(in_dispatch);
  ASSERT_TRUE(dispatched.ok());
  ASSERT_FALSE(dispatched->empty());
  const Case* c = d.engine->find(dispatched->front());
  ASSERT_NE(c, nullptr);
  must(*d.engine, good_command(CommandKind::kSign, *c, next_time(*d.engine, c->id)));
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
  EXPECT_EQ(v->events, d.engine->event_count());
}

TEST(SqliteStore, EscalationsFireAfterReopenAsTheyWouldHaveWithoutIt) {
  ScratchDir dir;
  std::string path = dir.file("timers.jszb");
  // The same case in a durable engine reopened halfway and in one that is not.
  Engine memory;
  populate(memory, "t-");
  {
    DurableEngine d = open_ok(path);
    populate(*d.engine, "t-");
  }
  DurableEngine d = open_ok(path);
  TimeMs later = kT0 + 40 * kDay;
  ASSERT_TRUE(memory.advance(later).ok());
  ASSERT_TRUE(d.engine->advance(later).ok());
  EXPECT_EQ(d.engine->event_count(), memory.event_count());
  std::unique_ptr<Snapshot> want = snapshot(memory);
  expect_same(*d.engine, *want);
}

TEST(SqliteStore, ProjectionsBehindTheLogAreReplayedOnOpen) {
  ScratchDir dir;
  std::string path = dir.file("tail.jszb");
  SqliteStoreOptions lazy;
  lazy.checkpoint_events = 1000000;  // nothing is flushed before the "crash"
  std::unique_ptr<Snapshot> before;
  {
    DurableEngine d = open_ok(path, lazy);
    populate(*d.engine, "p-");
    before = snapshot(*d.engine);
  }
  // A child process writes more and dies without checkpointing.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::StatusOr<DurableEngine> d = core::open_durable_engine(path, lazy);
    if (!d.ok()) _exit(2);
    for (int i = 0; i < 5; ++i) {
      std::string ref = "p-child-" + std::to_string(i);
      if (!d->engine->submit(request(ref, kT0)).ok()) _exit(3);
    }
    const Case* c = d->engine->find(before->cases.begin()->first);
    Command cmd = good_command(CommandKind::kDispatch, *c, next_time(*d->engine, c->id));
    (void)d->engine->apply(cmd);
    _exit(0);  // no destructors: the projections stay behind the log
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_GT(raw_int(path, "SELECT max(lsn) FROM events"),
            raw_int(path, "SELECT value FROM meta WHERE key = 'checkpoint_lsn'"));
  DurableEngine d = open_ok(path, lazy);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
  EXPECT_EQ(d.engine->list(CaseFilter())->size(), before->cases.size() + 5);
}

TEST(SqliteStore, SubmissionsAndRequestIdsAreIdempotentAcrossReopen) {
  ScratchDir dir;
  std::string path = dir.file("idem.jszb");
  CaseId id = 0;
  {
    DurableEngine d = open_ok(path);
    id = submit(*d.engine, "idem-1");
    const Case* c = d.engine->find(id);
    Command cmd = good_command(CommandKind::kDispatch, *c, kT0 + kMinute);
    cmd.payload.request_id = "client-42";
    must(*d.engine, cmd);
  }
  DurableEngine d = open_ok(path);
  absl::StatusOr<core::SubmitResult> again = d.engine->submit(request("idem-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, id);
  EXPECT_FALSE(again->created);
  std::uint64_t events = d.engine->event_count();
  // The retried dispatch (same request id) is acknowledged and not applied.
  absl::StatusOr<const Case*> c = d.engine->fetch(id);
  ASSERT_TRUE(c.ok() && *c != nullptr);
  // The client sends exactly what it sent before.
  Command retry = good_command(CommandKind::kDispatch, **c, kT0 + kMinute);
  retry.payload.request_id = "client-42";
  EXPECT_TRUE(d.engine->apply(retry).ok());
  EXPECT_EQ(d.engine->event_count(), events);
  // The same id on another command, after a reopen: a conflict, nothing applied.
  retry.time += kMinute;
  absl::Status conflict = d.engine->apply(retry);
  EXPECT_EQ(conflict.code(), absl::StatusCode::kAlreadyExists) << conflict;
  EXPECT_EQ(d.engine->event_count(), events);
}

TEST(SqliteStore, DiskFullIsAClearErrorLosesNothingAndPassesOnceSpaceIsBack) {
  ScratchDir dir;
  std::string path = dir.file("full.jszb");
  SqliteStoreOptions small;
  small.max_bytes = 512 * 1024;
  small.checkpoint_events = 50;
  DurableEngine d = open_ok(path, small);
  std::vector<CaseId> acknowledged;
  absl::Status failure;
  for (int i = 0; i < 100000 && failure.ok(); ++i) {
    std::uint64_t events = d.engine->event_count();
    std::size_t cases = d.engine->case_count();
    std::string ref = "full-" + std::to_string(i);
    core::Intake in = request(ref, kT0 + i);
    absl::StatusOr<core::SubmitResult> r = d.engine->submit(in);
    if (r.ok()) {
      acknowledged.push_back(r->id);
      continue;
    }
    failure = r.status();
    // Nothing of the refused call is left, in memory or on disk.
    EXPECT_EQ(d.engine->event_count(), events);
    EXPECT_EQ(d.engine->case_count(), cases);
  }
  ASSERT_FALSE(failure.ok()) << "the store never filled";
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(failure.message()), ::testing::HasSubstr("disk full"));
  // Space is back: the same engine goes on.
  ASSERT_TRUE(d.store->set_max_bytes(0).ok());
  CaseId after = submit(*d.engine, "full-after");
  EXPECT_GT(after, acknowledged.back());
  d.engine.reset();
  DurableEngine again = open_ok(path);
  for (CaseId id : acknowledged) {
    absl::StatusOr<const Case*> c = again.engine->fetch(id);
    ASSERT_TRUE(c.ok() && *c != nullptr) << "acknowledged case " << id << " was lost";
  }
  absl::StatusOr<core::VerifyReport> v = again.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(SqliteStore, FilesThatAreNotStoresAreRefusedClearly) {
  ScratchDir dir;
  std::string text = dir.file("notes.txt");
  std::ofstream(text) << "这不是数据库 — not a database at all, just some text that is long "
                         "enough to fill a header page of SQLite and then some more.\n";
  absl::StatusOr<DurableEngine> d = core::open_durable_engine(text, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(d.status().message()), ::testing::HasSubstr("not a jszb store"));

  std::string other = dir.file("other.db");
  raw_sql(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  d = core::open_durable_engine(other, {});
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(std::string(d.status().message()), ::testing::HasSubstr("not a jszb store"));
  EXPECT_EQ(raw_int(other, "SELECT count(*) FROM t"), 1);  // untouched
}

TEST(SqliteStore, ACorruptStoreGivesAnErrorNotACrash) {
  ScratchDir dir;
  std::string path = dir.file("corrupt.jszb");
  {
    DurableEngine d = open_ok(path);
    populate(*d.engine, "c-");
  }
  raw_sql(path, "PRAGMA wal_checkpoint(TRUNCATE);");
  std::uintmax_t size = fs::file_size(path);
  ASSERT_GT(size, 8192u);
  // Spoil every page after the first with garbage, a few bytes at a time.
  std::mt19937 rng(7);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    for (std::uintmax_t at = 4096; at + 64 < size; at += 509) {
      f.seekp(static_cast<std::streamoff>(at));
      char junk[16];
      for (char& ch : junk) ch = static_cast<char>(rng());
      f.write(junk, sizeof junk);
    }
  }
  absl::StatusOr<DurableEngine> d = core::open_durable_engine(path, {});
  if (d.ok()) {
    // Opened (the damage missed what opening reads): verify must notice.
    absl::StatusOr<core::VerifyReport> v = d->engine->verify();
    EXPECT_TRUE(!v.ok() || !v->ok());
  } else {
    EXPECT_THAT(std::string(d.status().message()), ::testing::HasSubstr("store"));
  }
}

TEST(SqliteStore, ANewerSchemaIsRefusedAndLeftAlone) {
  ScratchDir dir;
  std::string path = dir.file("newer.jszb");
  { DurableEngine d = open_ok(path); }
  raw_sql(path, "PRAGMA user_version = 99;");
  absl::StatusOr<DurableEngine> d = core::open_durable_engine(path, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()), ::testing::HasSubstr("newer"));
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 99);
}

TEST(SqliteStore, AStoreOfTheFirstSchemaIsMigratedWithItsData) {
  ScratchDir dir;
  std::string path = dir.file("v1.jszb");
  std::unique_ptr<Snapshot> before;
  {
    DurableEngine d = open_ok(path);
    for (int s = 1; s <= kStateCount; ++s) {
      case_in_state(*d.engine, static_cast<State>(s), "m-" + std::to_string(s));
    }
    before = snapshot(*d.engine);
  }
  // Take the file back to schema version 1 as that version wrote it.
  raw_sql(path,
          "DROP TABLE policies; DROP TABLE policy_files; DROP TABLE erasures; "
          "DROP TABLE unit_counters; DROP TABLE volume_counters; DROP TABLE unit_counters_month; "
          "DROP TABLE volume_counters_month; "
          "DELETE FROM meta WHERE key IN ('current_policy', 'purged_max_case_id', "
          "'counters_complete'); "
          "PRAGMA user_version = 1;");
  {
    DurableEngine d = open_ok(path);
    expect_same(*d.engine, *before);
  }
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM erasures"), 0);
}

// A request located only by its map point counts in the street and district
// the policy resolves for it, as the request named them if it did; the intake
// keeps what was told. A store's counters rebuilt from its log (and verify())
// count it in the same place.
TEST(SqliteStore, ARequestLocatedByItsPointCountsWhereThePolicyPlacesIt) {
  ScratchDir dir;
  std::string path = dir.file("point.jszb");
  const Cell& hepingjie = cell_of(kStreet);
  const TimeMs day = bj(2024, 3, 4);
  auto area_volumes = [&](const Engine& e) {
    std::map<std::string, std::int64_t> out;
    absl::StatusOr<core::CounterTotals> t = e.counter_totals(day, day + kDay);
    EXPECT_TRUE(t.ok()) << t.status();
    if (!t.ok()) return out;
    for (const core::VolumeTotal& v : t->volumes) {
      if (v.dim == core::VolumeDim::kArea) out[v.district + "/" + v.path[0]] += v.received;
    }
    return out;
  };
  const std::map<std::string, std::int64_t> want = {{"朝阳区/和平街街道", 2}};
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    Req by_point;
    by_point.named("by-point")
        .at(day + kHour)
        .where("", "")
        .point(hepingjie.mid_lat(), hepingjie.mid_lon());
    CaseId id = submit_req(*d.engine, by_point);
    submit_req(*d.engine, Req{}.named("by-name").at(day + 2 * kHour));
    EXPECT_EQ(d.engine->find(id)->intake->location.street, "") << "as told";
    EXPECT_EQ(area_volumes(*d.engine), want);
  }
  raw_sql(path, "UPDATE meta SET value = 0 WHERE key = 'counters_complete';");
  DurableEngine d = open_ok(path);
  EXPECT_EQ(area_volumes(*d.engine), want) << "rebuilt from the log";
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(SqliteStore, ASchemaNewerThanTheLibraryIsAVersionFault) {
  // What a library older than the store sees, one version behind (as one that
  // knows schema 3 sees a store of schema 4): refused as a version fault
  // (JSZB_E_VERSION in the C ABI), for writing and for reading, untouched.
  ScratchDir dir;
  std::string path = dir.file("ahead.jszb");
  {
    DurableEngine d = open_ok(path);
    submit(*d.engine, "ahead-1");
  }
  int ahead = core::kStoreSchemaVersion + 1;
  raw_sql(path, "PRAGMA user_version = " + std::to_string(ahead) + ";");
  SqliteStoreOptions ro;
  ro.read_only = true;
  for (const SqliteStoreOptions& options : {SqliteStoreOptions{}, ro}) {
    absl::StatusOr<DurableEngine> d = core::open_durable_engine(path, options);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(core::store_fault_of(d.status()), core::StoreFault::kVersion) << d.status();
    EXPECT_THAT(std::string(d.status().message()),
                ::testing::HasSubstr("schema version " + std::to_string(ahead)));
  }
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), ahead);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM events"), 1);
}

// When the cases of work_over_months() come in: a little over two days apart
// from late August to late December 2021 (both halves of the day), and at
// each assessment month's edge the last half-day before it (the 18th, 22:30)
// and the first after it (the 19th, 00:30), where a month key one half-day
// off would show.
const std::vector<TimeMs>& work_times() {
  static const std::vector<TimeMs> times = [] {
    std::vector<TimeMs> out;
    for (int i = 0; i < 52; ++i) out.push_back(kT0 - 20 * kDay + i * (2 * kDay + 7 * kHour));
    for (int month = 9; month <= 12; ++month) {
      TimeMs edge = core::assessment_month(2021, month).until;
      out.push_back(edge - 90 * kMinute);
      out.push_back(edge + 30 * kMinute);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return times;
}

// Cases [first, first + count) of work_times(), in time order, each taken to
// a visit with an outcome of its own and closed, every fourth supervised
// while in hand, every seventh left dispatched to breach its deadlines when
// the clock moves on: counters in many half-days and months, units and volumes.
void work_over_months(Engine& e, std::size_t first, std::size_t count) {
  static const char* streets[] = {"和平街街道", "望京街道", "酒仙桥街道"};
  static const char* cats[] = {"城乡建设", "交通管理", "市场监管"};
  using K = CommandKind;
  const std::vector<TimeMs>& times = work_times();
  ASSERT_LE(first + count, times.size());
  for (std::size_t i = first; i < first + count; ++i) {
    std::string ref = "month-" + std::to_string(i);
    core::Intake in = request(ref, times[i]);
    in.location.street = streets[i % 3];
    in.category[0] = cats[(i / 3) % 3];
    absl::StatusOr<core::SubmitResult> r = e.submit(in);
    ASSERT_TRUE(r.ok()) << r.status();
    CaseId id = r->id;
    for (K k : {K::kDispatch, K::kSign, K::kSupervise, K::kReply, K::kVisit, K::kClose}) {
      if (k == K::kSign && i % 7 == 3) break;
      if (k == K::kSupervise && i % 4 != 1) continue;
      const Case* c = e.find(id);
      ASSERT_NE(c, nullptr);
      Command cmd = good_command(k, *c, next_time(e, id));
      if (k == K::kVisit) {
        cmd.payload.solved = i % 2 == 0;
        cmd.payload.satisfaction = static_cast<Satisfaction>(1 + i % 3);
      }
      must(e, cmd);
    }
  }
  // The clock moves on, up to the next case's time.
  TimeMs until = times[first + count - 1] + kDay;
  if (first + count < times.size()) until = std::min(until, times[first + count] - kMinute);
  ASSERT_TRUE(e.advance(until).ok());
}

// The rows of a query, each as its columns joined by '|'.
std::vector<std::string> rows(const std::string& path, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  while (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* text = sqlite3_column_text(st, i);
      row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// A counter table's rows keyed by assessment month: its first `keys` columns
// are the key (the first a half-day, turned into its month by month_of(), or
// already a month), the rest counts, summed per key; keys whose counts are all
// zero are left out (a count taken back leaves a row of zeros behind).
std::map<std::string, std::vector<std::int64_t>> by_month(const std::string& path,
                                                          const std::string& table, int keys,
                                                          bool half_days) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const std::string& row : rows(path, "SELECT * FROM " + table)) {
    std::vector<std::string> columns = absl::StrSplit(row, '|');
    std::string key;
    for (int i = 0; i < keys; ++i) {
      std::string column = columns[i];
      if (i == 0 && half_days) {
        column = std::to_string(core::month_of(static_cast<core::Bucket>(std::stoll(column))));
      }
      key += column + "|";
    }
    std::vector<std::int64_t>& counts = out[key];
    counts.resize(columns.size() - keys);
    for (std::size_t i = keys; i < columns.size(); ++i) counts[i - keys] += std::stoll(columns[i]);
  }
  for (auto it = out.begin(); it != out.end();) {
    bool zero =
        std::all_of(it->second.begin(), it->second.end(), [](std::int64_t n) { return n == 0; });
    it = zero ? out.erase(it) : std::next(it);
  }
  return out;
}

// The monthly rows are the half-day rows summed by assessment month, as the
// write path adds each change to both.
void expect_months_are_the_half_days_summed(const std::string& path) {
  auto units = by_month(path, "unit_counters_month", 2, false);
  EXPECT_FALSE(units.empty());
  EXPECT_EQ(units, by_month(path, "unit_counters", 2, true));
  auto volumes = by_month(path, "volume_counters_month", 8, false);
  EXPECT_FALSE(volumes.empty());
  EXPECT_EQ(volumes, by_month(path, "volume_counters", 8, true));
  EXPECT_GE(raw_int(path, "SELECT count(DISTINCT month) FROM unit_counters_month"), 4);
}

std::string describe(const core::CounterTotals& t) {
  std::string out;
  for (const auto& [unit, tally] : t.units) {
    out += "unit " + std::to_string(unit) + ":";
    for (const std::int64_t* f : tally.fields()) out += " " + std::to_string(*f);
    out += "\n";
  }
  for (const core::VolumeTotal& v : t.volumes) {
    out += absl::StrCat("volume ", static_cast<int>(v.dim), " ", v.district, " ", v.path[0], " ",
                        v.path[1], " ", v.path[2], " ", static_cast<int>(v.channel), " ",
                        static_cast<int>(v.kind), ": ", v.received, "\n");
  }
  return out;
}

// The durable engine's counters (whole months from the monthly rows, the
// rest from the half-day rows) equal those of an in-memory engine given the
// same commands, and its unit counters a recount of its log.
void expect_counters_of(const Engine& durable, const Engine& memory) {
  std::vector<core::Period> periods;
  for (int month = 8; month <= 12; ++month) periods.push_back(core::assessment_month(2021, month));
  periods.push_back(core::assessment_month(2022, 1));
  // Whole months with half-days either side, and everything.
  periods.push_back({core::assessment_month(2021, 9).from + 36 * kHour,
                     core::assessment_month(2021, 12).until - 12 * kHour});
  periods.push_back({core::assessment_month(2021, 8).from, core::assessment_month(2022, 3).until});
  int counted = 0;
  for (const core::Period& p : periods) {
    absl::StatusOr<core::CounterTotals> kept = durable.counter_totals(p.from, p.until);
    absl::StatusOr<core::CounterTotals> want = memory.counter_totals(p.from, p.until);
    ASSERT_TRUE(kept.ok() && want.ok()) << kept.status() << " / " << want.status();
    EXPECT_EQ(describe(*kept), describe(*want)) << "period from " << p.from;
    absl::StatusOr<std::map<UnitId, core::UnitTally>> recounted = core::recount(
        [&durable](const std::function<void(const Event&)>& v) {
          return durable.for_each_logged(v);
        },
        p);
    ASSERT_TRUE(recounted.ok()) << recounted.status();
    core::CounterTotals units_only;
    units_only.units = *recounted;
    core::CounterTotals kept_units;
    kept_units.units = kept->units;
    EXPECT_EQ(describe(kept_units), describe(units_only)) << "period from " << p.from;
    if (!kept->units.empty()) ++counted;
  }
  EXPECT_GE(counted, 5) << "the work must give the months something to count";
}

// What schema 5 added to the counter tables, taken out again (a store of an
// older schema as that schema wrote it).
const std::string kDropSchema5Columns =
    "ALTER TABLE unit_counters DROP COLUMN supervised; "
    "ALTER TABLE unit_counters DROP COLUMN resolution_only_visits; "
    "ALTER TABLE unit_counters_month DROP COLUMN supervised; "
    "ALTER TABLE unit_counters_month DROP COLUMN resolution_only_visits; "
    "ALTER TABLE unit_counters DROP COLUMN long_term_held; "
    "ALTER TABLE unit_counters_month DROP COLUMN long_term_held; ";

// A store of schema 3 as one of the two kinds that shipped: with the monthly
// tables (they were added to step 3 after it had shipped) or without them.
// Opened writable, it migrates to the current schema with its monthly rows
// kept or summed from its half-day rows, and goes on counting in both.
void expect_schema_3_store_migrates(bool with_monthly) {
  ScratchDir dir;
  std::string path = dir.file("v3.jszb");
  Engine memory;  // the same commands, counted in memory
  ASSERT_TRUE(memory.load_policy(core::Policy::beijing()).ok());
  work_over_months(memory, 0, 45);
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    work_over_months(*d.engine, 0, 45);
  }
  auto month_rows = [&path] {
    std::vector<std::string> out = rows(path, "SELECT 'unit', * FROM unit_counters_month");
    for (std::string& row : rows(path, "SELECT 'volume', * FROM volume_counters_month")) {
      out.push_back(std::move(row));
    }
    return out;
  };
  std::vector<std::string> before = month_rows();
  ASSERT_FALSE(before.empty());
  raw_sql(path, with_monthly
                    ? kDropSchema5Columns + "PRAGMA user_version = 3;"
                    : kDropSchema5Columns +
                          "DROP TABLE unit_counters_month; DROP TABLE volume_counters_month; "
                          "PRAGMA user_version = 3;");
  // A read-only open cannot migrate: it says so and leaves the file as it is.
  SqliteStoreOptions ro;
  ro.read_only = true;
  absl::StatusOr<DurableEngine> read_only = core::open_durable_engine(path, ro);
  ASSERT_FALSE(read_only.ok());
  EXPECT_THAT(std::string(read_only.status().message()), ::testing::HasSubstr("open it writable"));
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 3);
  {
    DurableEngine d = open_ok(path);
    EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
    EXPECT_EQ(raw_int(path, "SELECT value FROM meta WHERE key = 'counters_complete'"), 1);
    expect_months_are_the_half_days_summed(path);
    if (with_monthly) {
      EXPECT_EQ(month_rows(), before) << "a store that had them keeps its rows";
    }
    expect_counters_of(*d.engine, memory);
    absl::StatusOr<core::VerifyReport> v = d.engine->verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
    // It goes on counting, in the half-days and in the months.
    work_over_months(*d.engine, 45, 15);
    work_over_months(memory, 45, 15);
    expect_counters_of(*d.engine, memory);
  }
  expect_months_are_the_half_days_summed(path);
  DurableEngine d = open_ok(path);
  expect_counters_of(*d.engine, memory);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(SqliteStore, MigratesSchema3WithMonthlyTables) { expect_schema_3_store_migrates(true); }

TEST(SqliteStore, MigratesSchema3WithoutMonthlyTables) { expect_schema_3_store_migrates(false); }

// A store of schema 4 has supervisions in its log but no column to count them:
// migrated, it is recounted from its log (and its cases projected again), and
// its counters equal those of an engine that counted them all along.
TEST(SqliteStore, MigratesSchema4AndCountsTheSupervisionsOfItsLog) {
  ScratchDir dir;
  std::string path = dir.file("v4.jszb");
  Engine memory;
  ASSERT_TRUE(memory.load_policy(core::Policy::beijing()).ok());
  work_over_months(memory, 0, 45);
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    work_over_months(*d.engine, 0, 45);
  }
  EXPECT_GT(raw_int(path, "SELECT sum(supervised) FROM unit_counters"), 5);
  raw_sql(path, kDropSchema5Columns + "PRAGMA user_version = 4;");
  {
    DurableEngine d = open_ok(path);
    EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
    EXPECT_EQ(raw_int(path, "SELECT value FROM meta WHERE key = 'counters_complete'"), 1);
    EXPECT_GT(raw_int(path, "SELECT sum(supervised) FROM unit_counters"), 5);
    expect_months_are_the_half_days_summed(path);
    expect_counters_of(*d.engine, memory);
    absl::StatusOr<core::VerifyReport> v = d.engine->verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
    work_over_months(*d.engine, 45, 15);
    work_over_months(memory, 45, 15);
    expect_counters_of(*d.engine, memory);
  }
}

// A store something was purged from is not recounted (the purged cases'
// counts would be lost): it keeps its counters and counts supervisions from
// the migration on.
TEST(SqliteStore, MigratesAPurgedSchema4StoreWithoutARecount) {
  ScratchDir dir;
  std::string path = dir.file("v4-purged.jszb");
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    work_over_months(*d.engine, 0, 45);
    absl::StatusOr<std::size_t> purged = d.engine->purge(work_times()[20]);
    ASSERT_TRUE(purged.ok()) << purged.status();
    ASSERT_GT(*purged, 0u);
  }
  std::int64_t visits = raw_int(path, "SELECT sum(visits) FROM unit_counters");
  raw_sql(path, kDropSchema5Columns + "PRAGMA user_version = 4;");
  DurableEngine d = open_ok(path);
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
  EXPECT_EQ(raw_int(path, "SELECT value FROM meta WHERE key = 'counters_complete'"), 1);
  EXPECT_EQ(raw_int(path, "SELECT sum(visits) FROM unit_counters"), visits) << "kept";
  EXPECT_EQ(raw_int(path, "SELECT sum(supervised) FROM unit_counters"), 0);
  expect_months_are_the_half_days_summed(path);
}

TEST(SqliteStore, OneWriterAtATime) {
  ScratchDir dir;
  std::string path = dir.file("busy.jszb");
  DurableEngine first = open_ok(path);
  submit(*first.engine, "w-1");
  absl::StatusOr<DurableEngine> second = core::open_durable_engine(path, {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()), ::testing::HasSubstr("open already"));
  EXPECT_THAT(std::string(second.status().message()),
              ::testing::HasSubstr("has it open for writing"));
  // A reader does not wait for the writer, nor the writer for it.
  SqliteStoreOptions ro;
  ro.read_only = true;
  absl::StatusOr<DurableEngine> reader = core::open_durable_engine(path, ro);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->engine->case_count(), 1u);
  submit(*first.engine, "w-2");
  EXPECT_EQ(reader->engine->case_count(), 1u);  // its snapshot
  first.engine.reset();
  // Released with its owner.
  EXPECT_TRUE(core::open_durable_engine(path, {}).ok());
}

TEST(SqliteStore, AReadOnlyOpenReadsAndRefusesToWrite) {
  ScratchDir dir;
  std::string path = dir.file("ro.jszb");
  CaseId id = 0;
  {
    DurableEngine d = open_ok(path);
    id = submit(*d.engine, "ro-1");
  }
  SqliteStoreOptions ro;
  ro.read_only = true;
  DurableEngine d = open_ok(path, ro);
  absl::StatusOr<const Case*> c = d.engine->fetch(id);
  ASSERT_TRUE(c.ok() && *c != nullptr);
  absl::StatusOr<core::SubmitResult> r = d.engine->submit(request("ro-2"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("read-only"));
  EXPECT_EQ(d.engine->case_count(), 1u);
  // A file the process may not write: refused at open, with the reason.
  if (::geteuid() != 0) {
    d.engine.reset();
    fs::permissions(path, fs::perms::owner_read);
    absl::StatusOr<DurableEngine> w = core::open_durable_engine(path, {});
    ASSERT_FALSE(w.ok());
    EXPECT_THAT(std::string(w.status().message()), ::testing::HasSubstr("read-only"));
  }
}

// Random legal commands over many cases, the same in a durable engine and an
// in-memory one; listings must agree, before and after reopening.
void random_walk(Engine& a, Engine& b, std::uint64_t seed, int cases, int steps) {
  std::mt19937_64 rng(seed);
  std::vector<CaseId> ids;
  for (int i = 0; i < cases; ++i) {
    core::Intake in = request("walk", kT0 + i * kMinute);
    static const char* streets[] = {"和平街街道", "望京街道", "酒仙桥街道"};
    static const char* cats[] = {"城乡建设", "交通管理", "市场监管"};
    std::string ref = "walk-" + std::to_string(seed) + "-" + std::to_string(i);
    in.channel_ref = ref;
    in.location.street = streets[rng() % 3];
    in.category[0] = cats[rng() % 3];
    absl::StatusOr<core::SubmitResult> ra = a.submit(in);
    absl::StatusOr<core::SubmitResult> rb = b.submit(in);
    ASSERT_TRUE(ra.ok() && rb.ok());
    ASSERT_EQ(ra->id, rb->id);
    ids.push_back(ra->id);
  }
  for (int s = 0; s < steps; ++s) {
    CaseId id = ids[rng() % ids.size()];
    absl::StatusOr<const Case*> ca = a.fetch(id);
    ASSERT_TRUE(ca.ok() && *ca != nullptr);
    std::vector<CommandKind> legal;
    for (const core::TransitionRow& r : core::Lifecycle::rows()) {
      if (r.from == (*ca)->state) legal.push_back(r.command);
    }
    if (legal.empty()) continue;
    CommandKind k = legal[rng() % legal.size()];
    Command cmd = good_command(k, **ca, (*ca)->last_event + static_cast<TimeMs>(rng() % kHour),
                               ids.front() == id ? ids.back() : ids.front());
    absl::Status sa = a.apply(cmd);
    absl::Status sb = b.apply(cmd);
    ASSERT_EQ(sa.code(), sb.code()) << sa << " / " << sb;
  }
}

std::vector<CaseFilter> filters() {
  std::vector<CaseFilter> out;
  out.push_back(CaseFilter());
  for (int s = 1; s <= kStateCount; ++s) {
    CaseFilter f;
    f.state = static_cast<State>(s);
    out.push_back(f);
  }
  for (UnitId u : {kStreet, kStreet2, kDistrict, kDept}) {
    CaseFilter f;
    f.unit = u;
    out.push_back(f);
  }
  CaseFilter area;
  area.district = "朝阳区";
  area.street = "望京街道";
  out.push_back(area);
  CaseFilter cat;
  cat.category[0] = "交通管理";
  out.push_back(cat);
  CaseFilter received;
  received.received_from = kT0 + 30 * kMinute;
  received.received_until = kT0 + 90 * kMinute;
  out.push_back(received);
  CaseFilter due;
  due.due_from = kT0;
  due.due_until = kT0 + 10 * kDay;
  out.push_back(due);
  CaseFilter page;
  page.after = 20;
  page.limit = 7;
  out.push_back(page);
  return out;
}

void expect_same_lists(Engine& durable, Engine& memory) {
  for (const CaseFilter& f : filters()) {
    absl::StatusOr<std::vector<CaseId>> got = durable.list(f);
    absl::StatusOr<std::vector<CaseId>> want = memory.list(f);
    ASSERT_TRUE(got.ok() && want.ok());
    EXPECT_EQ(*got, *want) << "state " << static_cast<int>(f.state) << " unit " << f.unit;
  }
}

TEST(SqliteStore, ListingsAgreeWithAnInMemoryEngineBeforeAndAfterReopen) {
  ScratchDir dir;
  std::string path = dir.file("lists.jszb");
  SqliteStoreOptions small;
  small.checkpoint_events = 37;  // projections flushed often, some always behind
  Engine memory;
  ASSERT_TRUE(memory.load_policy(core::Policy::beijing()).ok());
  {
    DurableEngine d = open_ok(path, small);
    ASSERT_TRUE(d.engine->load_policy(core::Policy::beijing()).ok());
    random_walk(*d.engine, memory, 11, 60, 900);
    expect_same_lists(*d.engine, memory);
  }
  DurableEngine d = open_ok(path, small);
  expect_same_lists(*d.engine, memory);
  // Closed cases live on disk only after reopening; they still list.
  EXPECT_LT(d.engine->case_count(), memory.case_count());
  random_walk(*d.engine, memory, 12, 20, 300);
  expect_same_lists(*d.engine, memory);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(SqliteStore, ErasingPersonalDataKeepsTheCaseAnonymised) {
  ScratchDir dir;
  std::string path = dir.file("erase.jszb");
  CaseId id = 0;
  {
    DurableEngine d = open_ok(path);
    id = case_in_state(*d.engine, State::kClosed, "e-1");
    ASSERT_TRUE(d.engine->erase_personal(id, kT0 + 30 * kDay).ok());
    const Case* c = d.engine->find(id);
    EXPECT_EQ(c->intake->contact.phone, "");
    EXPECT_EQ(c->intake->content, "[erased]");
  }
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM personal WHERE case_id = " + std::to_string(id)),
            0);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM erasures"), 1);
  DurableEngine d = open_ok(path);
  absl::StatusOr<const Case*> c = d.engine->fetch(id);
  ASSERT_TRUE(c.ok() && *c != nullptr);
  EXPECT_EQ((*c)->state, State::kClosed);
  EXPECT_EQ((*c)->intake->contact.name, "");
  EXPECT_EQ((*c)->intake->location.address, "");
  EXPECT_EQ((*c)->intake->location.street, "和平街街道");  // statistics keep the area
  std::vector<std::string> phones;
  ASSERT_TRUE(d.engine
                  ->for_each_event(id,
                                   [&](const Event& e) {
                                     if (e.intake) phones.emplace_back(e.intake->contact.phone);
                                   })
                  .ok());
  EXPECT_EQ(phones, std::vector<std::string>{""});
  CaseFilter f;
  f.street = "和平街街道";
  EXPECT_EQ(d.engine->list(f)->size(), 1u);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
  EXPECT_EQ(d.engine->erase_personal(987654, kT0).code(), absl::StatusCode::kNotFound);
}

TEST(SqliteStore, PurgeDeletesOldFinishedCasesAndNeverReusesTheirIds) {
  ScratchDir dir;
  std::string path = dir.file("purge.jszb");
  DurableEngine d = open_ok(path);
  CaseId open_case = case_in_state(*d.engine, State::kHandling, "g-open");
  CaseId closed = case_in_state(*d.engine, State::kClosed, "g-closed");
  std::size_t events_of_others = static_cast<std::size_t>(d.engine->events(open_case).size());
  absl::StatusOr<std::size_t> purged = d.engine->purge(kT0 + 365 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 1u);
  absl::StatusOr<const Case*> gone = d.engine->fetch(closed);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(*gone, nullptr);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM events WHERE case_id = " + std::to_string(closed)),
            0);
  EXPECT_EQ(d.engine->events(open_case).size(), events_of_others);
  d.engine.reset();
  DurableEngine again = open_ok(path);
  CaseId next = submit(*again.engine, "g-next");
  EXPECT_GT(next, closed);
  absl::StatusOr<core::VerifyReport> v = again.engine->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

TEST(SqliteStore, VerifyFindsAProjectionThatDisagreesWithTheLog) {
  ScratchDir dir;
  std::string path = dir.file("tamper.jszb");
  CaseId id = 0;
  {
    DurableEngine d = open_ok(path);
    id = case_in_state(*d.engine, State::kClosed, "v-1");
    case_in_state(*d.engine, State::kHandling, "v-2");
  }
  // Swap the bodies of two cases' projections.
  raw_sql(path, "UPDATE cases SET body = (SELECT body FROM cases WHERE id != " +
                    std::to_string(id) + " LIMIT 1) WHERE id = " + std::to_string(id));
  DurableEngine d = open_ok(path);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  if (v.ok()) {
    EXPECT_FALSE(v->ok());
  } else {
    EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss);
  }
}

TEST(SqliteStore, BatchesCommitTogetherOrNotAtAll) {
  ScratchDir dir;
  std::string path = dir.file("batch.jszb");
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->begin().ok());
    submit(*d.engine, "b-1");
    submit(*d.engine, "b-2");
    ASSERT_TRUE(d.engine->commit().ok());
    ASSERT_TRUE(d.engine->begin().ok());
    submit(*d.engine, "b-3");
    d.engine->rollback();
    ASSERT_TRUE(d.engine->begin().ok());
    submit(*d.engine, "b-4");
    // Destroyed with the batch open: it was never acknowledged.
  }
  DurableEngine d = open_ok(path);
  EXPECT_EQ(d.engine->list(CaseFilter())->size(), 2u);
  EXPECT_EQ(d.engine->event_count(), 2u);
}

}  // namespace
}  // namespace jszb::testing

namespace jszb::testing {
namespace {

TEST(SqliteStoreReview, AStoreNotRecoveredRefusesToWriteAndAFailedOpenLeavesTheTail) {
  ScratchDir dir;
  std::string path = dir.file("tail.jszb");
  SqliteStoreOptions lazy;
  lazy.checkpoint_events = 1000000;
  // A writer dies with its projections behind the log.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::StatusOr<DurableEngine> d = core::open_durable_engine(path, lazy);
    if (!d.ok()) _exit(2);
    for (int i = 0; i < 20; ++i) {
      std::string ref = "t-" + std::to_string(i);
      if (!d->engine->submit(request(ref, kT0)).ok()) _exit(3);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::int64_t checkpoint = raw_int(path, "SELECT value FROM meta WHERE key = 'checkpoint_lsn'");
  ASSERT_LT(checkpoint, 20);

  // An engine that skips recovery cannot write over the tail.
  {
    absl::StatusOr<std::unique_ptr<core::SqliteStore>> store = core::SqliteStore::open(path, lazy);
    ASSERT_TRUE(store.ok());
    Engine unrecovered({}, std::move(*store));
    absl::StatusOr<core::SubmitResult> r = unrecovered.submit(request("t-new"));
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("not been recovered"));
  }
  // A tail event that does not decode: opening fails, and the failed open
  // leaves the checkpoint where it was.
  raw_sql(path, "UPDATE events SET body = x'ff00ff' WHERE lsn = 20");
  absl::StatusOr<DurableEngine> broken = core::open_durable_engine(path, lazy);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(raw_int(path, "SELECT value FROM meta WHERE key = 'checkpoint_lsn'"), checkpoint);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM events"), 20);
}

TEST(SqliteStoreReview, AFinishedCaseOnDiskCanBeNamedAndPurgeKeepsWhatOthersName) {
  ScratchDir dir;
  std::string path = dir.file("refs.jszb");
  CaseId original = 0;
  {
    DurableEngine d = open_ok(path);
    original = case_in_state(*d.engine, State::kClosed, "o-1");
  }
  DurableEngine d = open_ok(path);
  ASSERT_EQ(d.engine->find(original), nullptr);  // finished: on disk only
  CaseId dup = submit(*d.engine, "o-2", kT0 + 100 * kDay);
  absl::StatusOr<const Case*> c = d.engine->fetch(dup);
  ASSERT_TRUE(c.ok() && *c != nullptr);
  must(*d.engine, good_command(CommandKind::kMerge, **c, kT0 + 100 * kDay + kMinute, original));
  // The original is old enough to purge, but the merged case names it.
  absl::StatusOr<std::size_t> purged = d.engine->purge(kT0 + 50 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 0u);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
  // Both go together once both are old.
  purged = d.engine->purge(kT0 + 200 * kDay);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2u);
}

}  // namespace
}  // namespace jszb::testing
