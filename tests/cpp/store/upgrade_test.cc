// Upgrades and erasure that stick (issue 13, item 7): a store the 0.1.0 library
// wrote (tests/fixtures/store-0.1.0) opens, migrates and verifies clean with
// this one, its contents intact, and takes new commands; erased personal data
// is gone from the file's bytes, the WAL's and those of a backup made later.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/durable_engine.h"
#include "fixture.h"
#include "store/sqlite_schema.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

namespace fs = std::filesystem;
using core::Case;
using core::CaseFilter;
using core::DurableEngine;
using core::Event;

// The raw bytes of a file; empty when it does not exist.
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Copies a store to `to` through SQLite's online backup, as an operator's
// backup job would (every page, free ones included).
void backup(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  ASSERT_EQ(sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_open(to.c_str(), &dst), SQLITE_OK);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  ASSERT_NE(b, nullptr) << sqlite3_errmsg(dst);
  EXPECT_EQ(sqlite3_backup_step(b, -1), SQLITE_DONE);
  EXPECT_EQ(sqlite3_backup_finish(b), SQLITE_OK);
  sqlite3_close(dst);
  sqlite3_close(src);
}

// The store file, its WAL and a backup of it, as one string of bytes.
struct Bytes {
  std::string db, wal, copy;
  bool has(const std::string& s) const {
    return db.find(s) != std::string::npos || wal.find(s) != std::string::npos ||
           copy.find(s) != std::string::npos;
  }
};

Bytes store_bytes(const ScratchDir& dir, const std::string& path, const std::string& copy_name) {
  Bytes b;
  backup(path, dir.file(copy_name));
  b.db = file_bytes(path);
  b.wal = file_bytes(path + "-wal");
  b.copy = file_bytes(dir.file(copy_name));
  return b;
}

// Personal fields no other byte of a store could hold by chance.
struct Marked {
  std::string name, phone, address, content;
};

Marked marked(const std::string& tag) {
  return {"Name-" + tag + "-Q7xk", "139" + tag + "5507", "Address-" + tag + "-Zv3p 和平东街",
          "Content-" + tag + "-Lw9d 夜间施工"};
}

CaseId submit_marked(Engine& e, const std::string& ref, const Marked& m) {
  core::Intake in = request(ref);
  in.contact.name = m.name;
  in.contact.phone = m.phone;
  in.location.address = m.address;
  in.content = m.content;
  absl::StatusOr<core::SubmitResult> r = e.submit(in);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->id : 0;
}

std::vector<std::string> fields(const Marked& m) { return {m.name, m.phone, m.address, m.content}; }

TEST(StoreErasure, ErasedPersonalDataLeavesTheFileTheWalAndLaterBackups) {
  ScratchDir dir;
  std::string path = dir.file("erase.jszb");
  Marked gone = marked("80417"), kept = marked("80418");
  CaseId id = 0;
  {
    DurableEngine d = open_ok(path);
    id = submit_marked(*d.engine, "erase-1", gone);
    submit_marked(*d.engine, "erase-2", kept);
    // Before the erasure, with the engine open: the data is in the file or
    // its WAL, and in a backup.
    Bytes before = store_bytes(dir, path, "before.bak");
    for (const std::string& s : fields(gone)) EXPECT_TRUE(before.has(s)) << s;
  }
  {
    DurableEngine d = open_ok(path);
    // Changes after the insert and before the erasure move the data's pages
    // around (a case's projection, another case).
    submit_marked(*d.engine, "erase-3", marked("80419"));
    ASSERT_TRUE(d.engine->checkpoint().ok());
    ASSERT_TRUE(d.engine->erase_personal(id, kT0 + kDay).ok());
    // With the engine still open: the erasure has reached the file and
    // emptied the WAL.
    Bytes open_after = store_bytes(dir, path, "open.bak");
    for (const std::string& s : fields(gone)) {
      EXPECT_EQ(open_after.db.find(s), std::string::npos) << s << " in the store file";
      EXPECT_EQ(open_after.wal.find(s), std::string::npos) << s << " in the WAL";
      EXPECT_EQ(open_after.copy.find(s), std::string::npos) << s << " in a backup";
    }
    submit(*d.engine, "erase-4");  // the store goes on after it
  }
  Bytes after = store_bytes(dir, path, "after.bak");
  for (const std::string& s : fields(gone)) {
    EXPECT_EQ(after.db.find(s), std::string::npos) << s << " in the store file";
    EXPECT_EQ(after.wal.find(s), std::string::npos) << s << " in the WAL";
    EXPECT_EQ(after.copy.find(s), std::string::npos) << s << " in a backup";
  }
  // The case that was not erased keeps its data, in the file and the backup.
  for (const std::string& s : fields(kept)) {
    EXPECT_NE(after.db.find(s), std::string::npos) << s;
    EXPECT_NE(after.copy.find(s), std::string::npos) << s;
  }
  DurableEngine d = open_ok(path);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

// What tests/fixtures/store-0.1.0/make_store.py wrote with the 0.1.0 library.
constexpr TimeMs kFixtureT0 = 1709254800000;  // 2024-03-01 09:00 +08:00
constexpr UnitId kChaowai = 110105001;        // 朝外街道

core::Command fixture_command(CommandKind kind, CaseId id, TimeMs t, Actor actor) {
  core::Command cmd;
  cmd.kind = kind;
  cmd.case_id = id;
  cmd.time = t;
  cmd.actor = actor;
  return cmd;
}

// Its cases as they stood when 0.1.0 closed the store.
void expect_fixture_cases(Engine& e) {
  EXPECT_EQ(e.list(CaseFilter())->size(), 10u);
  const State want[] = {State::kClosed,         State::kHandling, State::kReplied,  State::kClosed,
                        State::kAnsweredOnSpot, State::kHandling, State::kReceived, State::kMerged,
                        State::kClosed,         State::kReceived};
  const std::uint32_t events[] = {7, 7, 6, 8, 2, 7, 7, 4, 9, 3};
  for (CaseId id = 1; id <= 10; ++id) {
    absl::StatusOr<const Case*> c = e.fetch(id);
    ASSERT_TRUE(c.ok() && *c != nullptr) << "case " << id;
    EXPECT_EQ((*c)->state, want[id - 1]) << "case " << id;
    EXPECT_EQ((*c)->event_count, events[id - 1]) << "case " << id;
  }
  const Case* closed = *e.fetch(1);
  EXPECT_EQ(closed->lead_unit, kChaowai);
  EXPECT_EQ(closed->intake->time, kFixtureT0);
  EXPECT_EQ(closed->intake->channel_ref, "fx-0001");
  EXPECT_EQ(closed->intake->contact.phone, "13800130001");
  EXPECT_EQ(closed->intake->location.street, "朝外街道");
  EXPECT_EQ(closed->closed, kFixtureT0 + kDay + 3 * kHour);
  EXPECT_EQ(closed->visit.satisfaction, Satisfaction::kSatisfied);
  const Case* extended = *e.fetch(2);
  EXPECT_EQ(extended->extended_until, kFixtureT0 + 10 * kDay);
  const Case* erased = *e.fetch(4);
  EXPECT_EQ(erased->intake->content, "[erased]");
  EXPECT_EQ(erased->intake->contact.phone, "");
  EXPECT_EQ(erased->intake->location.street, "朝外街道");
  EXPECT_EQ((*e.fetch(8))->merged_into, 7u);
}

TEST(StoreUpgrade, AStoreOf010OpensMigratesVerifiesAndGoesOn) {
  ScratchDir dir;
  std::string path = dir.file("store-0.1.0.jszb");
  fs::copy_file(fs::path(JSZB_TEST_FIXTURES) / "store-0.1.0" / "store-0.1.0.jszb", path);
  ASSERT_EQ(raw_int(path, "PRAGMA user_version"), 3);
  ASSERT_EQ(raw_int(path, "SELECT count(*) FROM events"), 60);
  {
    DurableEngine d = open_ok(path);  // migrates: one step per version
    EXPECT_EQ(raw_int(path, "PRAGMA user_version"), core::kStoreSchemaVersion);
    expect_fixture_cases(*d.engine);
    absl::StatusOr<core::VerifyReport> v = d.engine->verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
    EXPECT_EQ(v->events, 60u);
    EXPECT_EQ(v->cases, 10u);

    // It takes new work: a retried 0.1.0 command is recognised by its request
    // id, a known channel ref is the same case, and new commands and requests
    // are applied and numbered after the old ones.
    // The retry repeats the 0.1.0 command exactly (its dispatcher is staff
    // 3301); the same id from another dispatcher is a conflict.
    core::Command retry = fixture_command(CommandKind::kDispatch, 1, kFixtureT0 + 10 * kMinute,
                                          {Role::kDispatcher, 0, 3301});
    retry.payload.unit = kChaowai;
    retry.payload.request_id = "fx-dispatch-0001";
    EXPECT_TRUE(d.engine->apply(retry).ok());
    core::Command other = retry;
    other.actor.staff = 2001;
    EXPECT_EQ(d.engine->apply(other).code(), absl::StatusCode::kAlreadyExists);
    EXPECT_EQ((*d.engine->fetch(1))->event_count, 7u);
    core::Intake again = request("fx-0001", kFixtureT0);
    again.channel = Channel::kPhone;
    absl::StatusOr<core::SubmitResult> known = d.engine->submit(again);
    ASSERT_TRUE(known.ok()) << known.status();
    EXPECT_EQ(known->id, 1u);
    EXPECT_FALSE(known->created);
    core::Command visit = fixture_command(CommandKind::kVisit, 3, kFixtureT0 + 4 * kDay, op());
    visit.payload.valid_visit = true;
    visit.payload.contacted = true;
    visit.payload.solved = true;
    visit.payload.satisfaction = Satisfaction::kSatisfied;
    ASSERT_TRUE(d.engine->apply(visit).ok());
    ASSERT_TRUE(
        d.engine
            ->apply(fixture_command(CommandKind::kClose, 3, kFixtureT0 + 4 * kDay + kHour, op()))
            .ok());
    EXPECT_EQ(submit(*d.engine, "after-upgrade", kFixtureT0 + 4 * kDay), 11u);
  }
  DurableEngine d = open_ok(path);
  EXPECT_EQ((*d.engine->fetch(3))->state, State::kClosed);
  EXPECT_EQ((*d.engine->fetch(3))->event_count, 8u);
  EXPECT_EQ((*d.engine->fetch(11))->intake->channel_ref, "after-upgrade");
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM events"), 63);
  absl::StatusOr<core::VerifyReport> v = d.engine->verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << (v->problems.empty() ? "" : v->problems.front());
}

}  // namespace
}  // namespace jszb::testing
