// The counter tables' columns, as the migrations created them, are the counts
// of UnitTally in its order: the store binds and sums them by position.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "lifecycle/counters.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

std::vector<std::string> columns_of(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string sql = "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(CounterColumns, StoreTablesHoldEveryTallyInOrder) {
  ScratchDir dir;
  std::string path = dir.file("store.jszb");
  { core::DurableEngine d = open_ok(path); }
  for (const std::string table : {"unit_counters", "unit_counters_month"}) {
    std::vector<std::string> columns = columns_of(path, table);
    ASSERT_EQ(columns.size(), 2 + core::kUnitTallyColumns.size()) << table;
    for (std::size_t i = 0; i < core::kUnitTallyColumns.size(); ++i) {
      EXPECT_EQ(columns[2 + i], core::kUnitTallyColumns[i]) << table << " column " << 2 + i;
    }
  }
}

TEST(CounterColumns, FieldsFollowTheList) {
  core::UnitTally t;
  std::int64_t n = 1;
  for (std::int64_t* field : t.fields()) *field = n++;
  EXPECT_EQ(t.visits, 1);
  EXPECT_EQ(t.not_satisfied, 6);
  EXPECT_EQ(t.dispatched, 11);
  EXPECT_EQ(t.breached, 16);
  EXPECT_EQ(t.supervised, 17);  // schema 5
  EXPECT_EQ(t.resolution_only_visits, 18);
  EXPECT_EQ(t.long_term_held, core::UnitTally::kFields);
  core::UnitTally sum;
  sum.add(t);
  sum.add(t);
  EXPECT_EQ(sum.handling_ms, 2 * t.handling_ms);
  EXPECT_FALSE(sum == t);
  EXPECT_TRUE(core::UnitTally().zero());
}

}  // namespace
}  // namespace jszb::testing
