// Erasure that sticks (issue 13, item 7): erased personal data is gone from the
// file's bytes, the WAL's and those of a backup made later.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/durable_engine.h"
#include "fixture.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

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

}  // namespace
}  // namespace jszb::testing
