// Reports reconcile (issue 11): over random requests in several districts,
// named or located only by a map point, through every channel and kind, each
// report's sections add up to its requests received (channels = kinds =
// level-1 categories = districts = streets = received), every district's own
// report gives the district's row of the city's, and the districts add up to
// the city. In memory, and in a durable store across batches and a reopen.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/durable_engine.h"
#include "policy_fixture.h"
#include "report/report.h"
#include "store_fixture.h"

namespace jszb::testing {
namespace {

using core::DurableEngine;

// Streets of three districts (name, code), and one more district named alone.
struct Place {
  const char* district;
  const char* street;
  UnitId code;
};
const Place kPlaces[] = {
    {"朝阳区", "和平街街道", 110105007},
    {"朝阳区", "望京街道", 110105026},
    {"东城区", "景山街道", 110101002},
    {"海淀区", "中关村街道", 110108011},
    {"西城区", "", 0},
};

// A day of random requests from t: named fully, named by district only, or
// located only by the point of a street.
void submit_day(Engine& e, std::mt19937_64& rng, TimeMs t, int n, const std::string& tag) {
  static const char* cats[] = {"城乡建设", "交通管理", "市场管理", "住房"};
  for (int i = 0; i < n; ++i) {
    const Place& p = kPlaces[rng() % std::size(kPlaces)];
    Req r;
    r.named(absl::StrCat(tag, "-", i)).at(t + static_cast<TimeMs>(rng() % (20 * kHour)));
    r.category(cats[rng() % std::size(cats)], "小类");
    if (p.code != 0 && rng() % 3 == 0) {
      const Cell& cell = cell_of(p.code);
      r.where("", "").point(cell.mid_lat(), cell.mid_lon());
    } else {
      r.where(p.district, p.code != 0 && rng() % 4 != 0 ? p.street : "");
    }
    Intake in = r.intake();
    in.channel = static_cast<Channel>(1 + rng() % 10);
    in.kind = static_cast<Kind>(1 + rng() % 5);
    ASSERT_TRUE(e.submit(in).ok());
  }
}

std::int64_t total(const google::protobuf::RepeatedPtrField<v1::Count>& rows) {
  std::int64_t n = 0;
  for (const v1::Count& c : rows) n += c.count();
  return n;
}

v1::Report report_of(Engine& e, TimeMs from, TimeMs until, const std::string& district) {
  core::ReportOptions o;
  o.from = from;
  o.until = until;
  o.district = district;
  o.top = 0;  // every row
  absl::StatusOr<v1::Report> r = core::build_report(e, o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::Report();
}

// Every section of r adds up to its requests received.
void expect_sections_add_up(const v1::Report& r, const std::string& scope) {
  SCOPED_TRACE(scope.empty() ? "the city" : scope);
  EXPECT_EQ(total(r.by_channel()), r.received());
  EXPECT_EQ(total(r.by_kind()), r.received());
  EXPECT_EQ(total(r.by_category1()), r.received());
  EXPECT_EQ(total(r.by_district()), r.received());
}

void expect_reconciles(Engine& e, TimeMs from, TimeMs until, std::int64_t submitted) {
  v1::Report city = report_of(e, from, until, "");
  EXPECT_EQ(city.received(), submitted);
  expect_sections_add_up(city, "");
  std::int64_t districts = 0;
  for (const v1::Count& row : city.by_district()) {
    ASSERT_FALSE(row.key().empty()) << "every request is placed in a district";
    v1::Report d = report_of(e, from, until, row.key());
    expect_sections_add_up(d, row.key());
    EXPECT_EQ(d.received(), row.count()) << row.key();
    // Requests placed in a street are listed under it; those naming only
    // their district under none.
    EXPECT_LE(total(d.by_street()), d.received()) << row.key();
    districts += d.received();
  }
  EXPECT_EQ(districts, city.received()) << "the districts add up to the city";
}

TEST(ReportsReconcile, InMemory) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    Engine e;
    ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
    const TimeMs day = bj(2024, 3, 4);
    submit_day(e, rng, day, 300, "m");
    submit_day(e, rng, day + kDay, 200, "n");
    expect_reconciles(e, day, day + 2 * kDay, 500);
    expect_reconciles(e, day + kDay, day + 2 * kDay, 200);
  }
}

// A district's report lists the units of no district that handled its orders
// (a utility here), marked outside and counted city-wide, and not those that
// handled only other districts' orders; the city's report marks none.
TEST(ReportsReconcile, AUtilityThatHandledADistrictsOrdersIsInItsReportCityWide) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  const TimeMs day = bj(2024, 3, 4, 9, 0);
  CaseId chaoyang = submit_req(e, Req{}.named("water-cy").at(day));
  ASSERT_TRUE(dispatch_to(e, chaoyang, day + kMinute, kWater).ok());
  CaseId dongcheng = submit_req(e, Req{}.named("water-dc").at(day).where("东城区", "景山街道"));
  ASSERT_TRUE(dispatch_to(e, dongcheng, day + kMinute, kWater).ok());
  CaseId power = submit_req(e, Req{}.named("power-dc").at(day).where("东城区", "景山街道"));
  ASSERT_TRUE(dispatch_to(e, power, day + kMinute, kPower).ok());
  v1::Report r = report_of(e, bj(2024, 3, 4), bj(2024, 3, 5), "朝阳区");
  std::map<UnitId, std::int64_t> dispatched;
  for (const v1::UnitRow& u : r.units()) dispatched[u.unit()] = u.dispatched();
  EXPECT_EQ(dispatched, (std::map<UnitId, std::int64_t>{{kWater, 2}}))
      << "the utility's row counts all its orders; the other utility handled none of 朝阳区's";
  EXPECT_THAT(r.outside_units(), ::testing::ElementsAre(kWater));
  EXPECT_THAT(r.definitions(), ::testing::HasSubstr("city-wide"));
  v1::Report city = report_of(e, bj(2024, 3, 4), bj(2024, 3, 5), "");
  EXPECT_EQ(city.units_size(), 2);
  EXPECT_EQ(city.outside_units_size(), 0);
}

TEST(ReportsReconcile, InADurableStoreAcrossBatchesAndAReopen) {
  ScratchDir dir;
  std::string path = dir.file("reconcile.jszb");
  std::mt19937_64 rng(20210919);
  const TimeMs day = bj(2024, 3, 4);
  {
    DurableEngine d = open_ok(path);
    ASSERT_TRUE(d.engine->load_policy(Policy::beijing()).ok());
    ASSERT_TRUE(d.engine->begin().ok());
    submit_day(*d.engine, rng, day, 150, "a");
    ASSERT_TRUE(d.engine->commit().ok());
    submit_day(*d.engine, rng, day + kDay, 50, "b");
    expect_reconciles(*d.engine, day, day + 2 * kDay, 200);
  }
  DurableEngine d = open_ok(path);
  expect_reconciles(*d.engine, day, day + 2 * kDay, 200);
  submit_day(*d.engine, rng, day + 2 * kDay, 50, "c");
  expect_reconciles(*d.engine, day, day + 3 * kDay, 250);
}

}  // namespace
}  // namespace jszb::testing
