// The two Beijing policies scripts/gen-beijing-policy writes: the built-in
// default, which sends every request whose street is known straight to that
// street (直派街乡, copied to its district) and lets the street whistle for
// departments (吹哨), and the alternative under examples/policies/, which sends
// whole categories to the district departments as the default did up to its
// version 1. Utilities, emergencies, legal channels and district coordination
// are the same in both.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "policy_fixture.h"

namespace jszb::testing {
namespace {

using core::RouteDecision;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Outcome = RouteDecision::Outcome;
using Path = std::vector<std::string>;

constexpr std::uint32_t kByDepartmentVersion = 1002;

absl::StatusOr<RouteDecision> route(const Policy& p, const Req& r) {
  LoneCase lc(r);
  return core::route_by_catalogue(p, lc.c);
}

Req with_category(Req r, const Path& path) {
  r.category(path.size() > 0 ? path[0] : "", path.size() > 1 ? path[1] : "",
             path.size() > 2 ? path[2] : "");
  return r;
}

// The enterprise that answers a utility's matters (公共服务/<level 2>).
const std::map<std::string, UnitId>& utilities() {
  static const std::map<std::string, UnitId> m = {{"供水", 110000801},
                                                  {"供电", 110000802},
                                                  {"燃气", 110000803},
                                                  {"供暖", 110000804},
                                                  {"排水", 110000805}};
  return m;
}

UnitId utility_of(const Path& path) {
  if (path.size() < 2 || path[0] != "公共服务") return 0;
  auto it = utilities().find(path[1]);
  return it == utilities().end() ? 0 : it->second;
}

// Category paths to try: every path either catalogue names (the categories the
// by-department policy gives to departments, and the utilities), each also
// with a level 3, the level-1 categories of DOMAIN.md, and a few matters.
std::vector<Path> every_category() {
  std::set<Path> out;
  for (const Policy* p : {Policy::beijing().get(), beijing_by_department().get()}) {
    for (std::size_t i = 0; i < p->catalogue().size(); ++i) {
      for (const v1::CategoryPath& c : p->catalogue().rule(i).match().categories()) {
        Path path(c.levels().begin(), c.levels().end());
        out.insert(path);
        if (path.size() < 3) {
          if (path.size() == 1) path.push_back("其他");
          path.push_back("某事项");
          out.insert(path);
        }
      }
    }
  }
  for (const char* l1 : {"市场管理", "住房", "教育", "城乡建设", "公共安全", "物业管理", "交通管理",
                         "劳动和社会保障", "环境保护", "城市管理", "卫生健康", "公共服务",
                         "社会秩序", "疫情防控", "民政", "文化旅游体育", "其他"}) {
    out.insert(Path{l1});
  }
  out.insert(Path{"公共服务", "公共厕所", "无人保洁"});
  out.insert(Path{"公共服务", "通信", "光纤入户"});
  out.insert(Path{"城乡建设", "施工管理", "夜间施工扰民"});
  out.insert(Path{"住房", "房屋买卖", "房产证办理"});
  return {out.begin(), out.end()};
}

// One street of each district (its first by code).
std::vector<const core::UnitInfo*> a_street_per_district(const Policy& p) {
  std::map<UnitId, const core::UnitInfo*> first;
  for (const core::UnitInfo& u : p.units()) {
    if (u.unit_class != v1::UNIT_CLASS_STREET) continue;
    auto [it, added] = first.try_emplace(u.district, &u);
    if (!added && u.code < it->second->code) it->second = &u;
  }
  std::vector<const core::UnitInfo*> out;
  for (const auto& [district, street] : first) out.push_back(street);
  return out;
}

// ------------------------------------------------------ the default policy

TEST(BeijingDefault, EveryLocatedRequestGoesToItsStreetWhateverItsCategory) {
  const Policy& p = *Policy::beijing();
  std::vector<Path> categories = every_category();
  std::vector<const core::UnitInfo*> streets = a_street_per_district(p);
  ASSERT_EQ(streets.size(), 16u);
  ASSERT_GT(categories.size(), 40u);
  const Kind kinds[] = {Kind::kConsultation, Kind::kHelp, Kind::kComplaint, Kind::kReport,
                        Kind::kSuggestion};
  int routed = 0;
  int to_streets = 0;
  for (const core::UnitInfo* s : streets) {
    const Cell& cell = cell_of(s->code);
    for (std::size_t k = 0; k < categories.size(); ++k) {
      const Path& path = categories[k];
      std::string what = absl::StrCat(s->name, " ", absl::StrJoin(path, "/"));
      Req by_name = with_category(Req{}, path).where(p.unit(s->district)->name, s->name);
      Req by_point = with_category(Req{}, path).where("", "").point(cell.mid_lat(), cell.mid_lon());
      for (Req r : {by_name, by_point}) {
        r.of(kinds[k % 5]);
        if (k % 7 == 0) r.with(Urgency::kUrgent);
        absl::StatusOr<RouteDecision> d = route(p, r);
        ASSERT_TRUE(d.ok()) << what << ": " << d.status();
        ++routed;
        EXPECT_EQ(d->outcome, Outcome::kDispatch) << what;
        EXPECT_EQ(d->area.street, s->code) << what;
        EXPECT_EQ(d->area.street_from_point, r.has_point) << what;
        EXPECT_THAT(d->co_handlers, IsEmpty()) << "departments join by the whistle: " << what;
        if (UnitId enterprise = utility_of(path)) {
          EXPECT_EQ(d->lead, enterprise) << what;
          EXPECT_THAT(d->copy_to, IsEmpty()) << what;
          EXPECT_TRUE(absl::StartsWith(d->rule, "utility-")) << what << ": " << d->rule;
        } else {
          ++to_streets;
          EXPECT_EQ(d->lead, s->code) << what;
          EXPECT_THAT(d->copy_to, ElementsAre(s->district)) << what;
          EXPECT_EQ(d->rule, "street-first") << what;
        }
        // The same request in words of an emergency, or already in court: not
        // dispatched, whatever its category (Art. 11).
        d = route(p, Req(r).says("楼道里着火了，有人受伤"));
        ASSERT_TRUE(d.ok()) << what;
        EXPECT_EQ(d->outcome, Outcome::kNotDispatched) << what;
        EXPECT_EQ(d->reason, NotDispatchedReason::kEmergency) << what;
        d = route(p, Req(r).says("此事已起诉到法院"));
        ASSERT_TRUE(d.ok()) << what;
        EXPECT_EQ(d->outcome, Outcome::kNotDispatched) << what;
        EXPECT_EQ(d->reason, NotDispatchedReason::kLegalChannel) << what;
      }
    }
  }
  EXPECT_EQ(routed, static_cast<int>(2 * streets.size() * categories.size()));
  EXPECT_GT(to_streets, routed * 3 / 4);
}

TEST(BeijingDefault, WithoutAStreetTheDistrictCoordinatesWhateverTheCategory) {
  const Policy& p = *Policy::beijing();
  for (const Path& path : every_category()) {
    if (utility_of(path) != 0) continue;
    absl::StatusOr<RouteDecision> d = route(p, with_category(Req{}, path).where("朝阳区"));
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates) << absl::StrJoin(path, "/");
    EXPECT_EQ(d->lead, kDistrict);
    EXPECT_EQ(d->rule, "district-coordinates");
  }
}

TEST(BeijingDefault, NoRuleMakesADepartmentTheLead) {
  const Policy& p = *Policy::beijing();
  EXPECT_EQ(p.version(), kBeijingVersion);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < p.catalogue().size(); ++i) {
    const v1::DispatchRule& r = p.catalogue().rule(i);
    ids.push_back(r.id());
    EXPECT_TRUE(r.match().districts().empty() && r.match().streets().empty())
        << r.id() << ": one catalogue for every district";
    if (r.has_dispatch() && r.dispatch().lead_case() == v1::DispatchTo::kUnit) {
      EXPECT_EQ(p.unit(r.dispatch().unit())->unit_class, v1::UNIT_CLASS_ENTERPRISE) << r.id();
    }
    if (r.has_dispatch()) {
      EXPECT_TRUE(r.dispatch().co_handlers().empty()) << r.id();
    }
  }
  EXPECT_THAT(ids, ElementsAre("emergency", "legal-channel", "utility-water", "utility-power",
                               "utility-gas", "utility-heating", "utility-drainage", "street-first",
                               "district-coordinates"));
}

// ------------------------------------------------ the by-department policy

TEST(BeijingByDepartment, LoadsFromItsFolderWithTheCalendarAndAreasItNames) {
  PolicyPtr p = beijing_by_department();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name(), "beijing-by-department");
  EXPECT_EQ(p->version(), kByDepartmentVersion);
  EXPECT_NE(p->version(), Policy::beijing()->version()) << "one engine can hold both";
  EXPECT_EQ(p->calendar().name(), "china");
  ASSERT_NE(p->areas(), nullptr);
  EXPECT_EQ(p->areas()->size(), 349u);
  // The files it names are lib/data/'s, relative to examples/policies/.
  ASSERT_EQ(p->named_files().size(), 2u);
  EXPECT_EQ(p->named_files()[0].first, "../../lib/data/china-calendar.textproto");
  EXPECT_EQ(p->named_files()[0].second, slurp(repo_path("lib/data/china-calendar.textproto")));
  EXPECT_EQ(p->named_files()[1].first, "../../lib/data/beijing-streets.geojson");
  // emergency, legal channel, 5 utilities, 11 department leads per district,
  // street first, district coordinates.
  EXPECT_EQ(p->catalogue().size(), 2u + 5 + 11 * 16 + 2);
}

TEST(BeijingByDepartment, RoutesDepartmentCategoriesToTheDistrictDepartment) {
  const Policy& p = *beijing_by_department();
  Req prepaid;
  prepaid.category("市场管理", "预付式消费", "预付式消费退费难");
  absl::StatusOr<RouteDecision> d = route(p, prepaid);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDispatch);
  EXPECT_EQ(d->lead, 110105901u);
  EXPECT_THAT(d->copy_to, ElementsAre(kDistrict));
  EXPECT_EQ(d->rule, "market-prepaid-110105");
  // By a point in Dongcheng: Dongcheng's bureau.
  const Cell& jingshan = cell_of(kJingshan);
  prepaid.where("", "").point(jingshan.mid_lat(), jingshan.mid_lon());
  d = route(p, prepaid);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, 110101901u);
  EXPECT_THAT(d->copy_to, ElementsAre(kDongcheng));
  EXPECT_TRUE(d->area.street_from_point);
  // The default sends both to the street.
  d = route(*Policy::beijing(), prepaid);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kJingshan);
  EXPECT_EQ(d->rule, "street-first");
  // Other matters, utilities and emergencies as in the default.
  Req noise;
  EXPECT_EQ(route(p, noise)->rule, "street-first");
  EXPECT_EQ(route(p, noise)->lead, kStreet);
  Req water;
  water.category("公共服务", "供水");
  EXPECT_EQ(route(p, water)->lead, kWater);
  Req fire;
  fire.category("劳动和社会保障", "劳动报酬").says("工地着火了");
  EXPECT_EQ(route(p, fire)->reason, NotDispatchedReason::kEmergency);
}

TEST(BeijingByDepartment, IsTheDefaultPlusTheDepartmentRules) {
  const Policy& dflt = *Policy::beijing();
  const Policy& dept = *beijing_by_department();
  std::map<std::string, const v1::DispatchRule*> by_id;
  for (std::size_t i = 0; i < dept.catalogue().size(); ++i) {
    by_id[dept.catalogue().rule(i).id()] = &dept.catalogue().rule(i);
  }
  for (std::size_t i = 0; i < dflt.catalogue().size(); ++i) {
    v1::DispatchRule mine = dflt.catalogue().rule(i);
    ASSERT_EQ(by_id.count(mine.id()), 1u) << mine.id();
    v1::DispatchRule theirs = *by_id[mine.id()];
    mine.clear_description();
    theirs.clear_description();
    EXPECT_EQ(mine.SerializeAsString(), theirs.SerializeAsString()) << mine.id();
    by_id.erase(dflt.catalogue().rule(i).id());
  }
  ASSERT_EQ(by_id.size(), 11u * 16);
  for (const auto& [id, r] : by_id) {
    EXPECT_EQ(r->priority(), 500) << id;
    EXPECT_EQ(dept.unit(r->dispatch().unit())->unit_class, v1::UNIT_CLASS_DEPARTMENT) << id;
  }
  // Units, deadlines and escalation: the same.
  v1::Policy a = dflt.message();
  v1::Policy b = dept.message();
  for (v1::Policy* m : {&a, &b}) {
    m->clear_name();
    m->clear_version();
    m->clear_description();
    m->clear_calendar_file();
    m->clear_areas_file();
    m->clear_dispatch_rules();
  }
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

TEST(BeijingByDepartment, RunsBesideTheDefaultInOneEngineEachCaseUnderItsOwn) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  Req prepaid;
  prepaid.category("市场管理", "预付式消费", "预付式消费退费难");
  CaseId before = submit_req(e, Req(prepaid).named("before"));
  ASSERT_TRUE(e.load_policy(beijing_by_department()).ok());
  CaseId after = submit_req(e, Req(prepaid).named("after"));
  EXPECT_EQ(e.find(before)->policy_version, kBeijingVersion);
  EXPECT_EQ(e.find(after)->policy_version, kByDepartmentVersion);
  ASSERT_TRUE(e.dispatch_routed(before, kT0 + kMinute, centre()).ok());
  ASSERT_TRUE(e.dispatch_routed(after, kT0 + kMinute, centre()).ok());
  EXPECT_EQ(e.find(before)->lead_unit, kStreet);
  EXPECT_EQ(e.find(after)->lead_unit, 110105901u);
  EXPECT_EQ(events_of_type(e, after, EventType::kDispatched)[0].payload.rule,
            "market-prepaid-110105");
}

}  // namespace
}  // namespace jszb::testing
