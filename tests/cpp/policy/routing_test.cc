// Routing: the dispatch catalogue of the Beijing policy and of small
// hand-written ones (precedence, copies, explanations), where a request lies
// when it gives only a point, routing through the engine (dispatch_routed, a
// custom router, the case's own policy version), and a catalogue of ~5,000
// rules.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "policy_fixture.h"

namespace jszb::testing {
namespace {

using core::RouteDecision;
using core::RuleVerdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using Outcome = RouteDecision::Outcome;

absl::StatusOr<RouteDecision> route(const Policy& p, const Req& r) {
  LoneCase lc(r);
  return core::route_by_catalogue(p, lc.c);
}

std::vector<RuleVerdict> explain(const Policy& p, const Req& r) {
  Intake in = r.intake();
  return p.catalogue().explain(in, p.resolve_area(in));
}

const RuleVerdict* verdict(const std::vector<RuleVerdict>& vs, const std::string& id) {
  for (const RuleVerdict& v : vs) {
    if (v.rule_id == id) return &v;
  }
  return nullptr;
}

// --------------------------------------------------- the Beijing catalogue

TEST(RoutingBeijing, StreetFirstCopiedToTheDistrict) {
  absl::StatusOr<RouteDecision> d = route(*Policy::beijing(), Req{});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDispatch);
  EXPECT_EQ(d->lead, kStreet);
  EXPECT_THAT(d->copy_to, ElementsAre(kDistrict));
  EXPECT_THAT(d->co_handlers, IsEmpty());
  EXPECT_EQ(d->rule, "street-first");
  EXPECT_EQ(d->area.street, kStreet);
  EXPECT_EQ(d->area.district, kDistrict);
}

TEST(RoutingBeijing, EmergencyKeywordsBeatEverything) {
  const Policy& p = *Policy::beijing();
  // A utility matter with a named street, and a department matter: the
  // keyword decides.
  Req water;
  water.category("公共服务", "供水").says("楼道里着火了，水管也爆了");
  absl::StatusOr<RouteDecision> d = route(p, water);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kNotDispatched);
  EXPECT_EQ(d->reason, NotDispatchedReason::kEmergency);
  EXPECT_EQ(d->note, "已转110/119/120紧急处置");
  EXPECT_EQ(d->rule, "emergency");
  EXPECT_EQ(d->lead, 0u);
  Req market;
  market.category("市场管理", "预付式消费").says("健身房老板持刀威胁会员，已起诉");
  d = route(p, market);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, "emergency") << "emergency (1000) beats legal channel (900)";
  // Without an area at all it still applies: it needs none.
  Req nowhere;
  nowhere.where("", "").says("有人落水");
  d = route(p, nowhere);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rule, "emergency");
  // Ordinary requests that merely mention fire are not emergencies: a stove
  // that will not light, a fire hazard.
  Req stove;
  stove.says("燃气灶打不着火，请派人检修");
  d = route(p, stove);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, "street-first");
  Req hazard;
  hazard.says("楼道堆放杂物，存在火灾隐患");
  d = route(p, hazard);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, "street-first");
  // A legal channel alone.
  Req court;
  court.says("工资的事已起诉到法院");
  d = route(p, court);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->outcome, Outcome::kNotDispatched);
  EXPECT_EQ(d->reason, NotDispatchedReason::kLegalChannel);
  EXPECT_EQ(d->rule, "legal-channel");
}

TEST(RoutingBeijing, UtilitiesGoToTheirEnterpriseBeforeTheStreet) {
  const Policy& p = *Policy::beijing();
  const std::map<std::string, UnitId> utilities = {{"供水", 110000801},
                                                   {"供电", 110000802},
                                                   {"燃气", 110000803},
                                                   {"供暖", 110000804},
                                                   {"排水", 110000805}};
  for (const auto& [what, enterprise] : utilities) {
    Req r;
    r.category("公共服务", what, "停" + what).says("家里没有" + what);
    absl::StatusOr<RouteDecision> d = route(p, r);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->outcome, Outcome::kDispatch);
    EXPECT_EQ(d->lead, enterprise) << what;
    EXPECT_THAT(d->copy_to, IsEmpty()) << "utilities are not copied to a district";
    EXPECT_TRUE(absl::StartsWith(d->rule, "utility-")) << d->rule;
  }
  // Another public service is the street's.
  Req r;
  r.category("公共服务", "公共厕所");
  absl::StatusOr<RouteDecision> d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, "street-first");
}

TEST(RoutingBeijing, DepartmentLeadsBeatStreetFirstInTheirDistrictOnly) {
  // Department leads are in the by-department policy (examples/policies/) only:
  // the built-in one (version 2) sends these matters to the street.
  ASSERT_NE(beijing_by_department(), nullptr);
  const Policy& p = *beijing_by_department();
  Req prepaid;
  prepaid.category("市场管理", "预付式消费", "预付式消费退费难");
  absl::StatusOr<RouteDecision> d = route(p, prepaid);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, 110105901u);
  EXPECT_THAT(d->copy_to, ElementsAre(kDistrict));
  EXPECT_EQ(d->rule, "market-prepaid-110105");
  // The same matter in Dongcheng goes to Dongcheng's bureau.
  prepaid.where("东城区", "景山街道");
  d = route(p, prepaid);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, 110101901u);
  EXPECT_THAT(d->copy_to, ElementsAre(kDongcheng));
  EXPECT_EQ(d->rule, "market-prepaid-110101");
  // Level-one-only labour matters, and pests on trees.
  Req wages;
  wages.category("劳动和社会保障", "劳动报酬", "拖欠工资").says("公司拖欠30万元工资");
  d = route(p, wages);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, 110105904u);
  EXPECT_EQ(d->rule, "labour-110105");
  Req pests;
  pests.category("环境保护", "园林绿化", "树木病虫害");
  d = route(p, pests);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, 110105906u);
  // A district department rule needs only the district.
  Req district_only;
  district_only.category("教育", "校外培训").where("朝阳区");
  d = route(p, district_only);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, 110105903u);
  // The built-in policy: the street, or the district when no street is known.
  const Policy& built_in = *Policy::beijing();
  for (const Req& r : {prepaid, wages, pests}) {
    d = route(built_in, r);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->rule, "street-first");
    EXPECT_EQ(built_in.unit(d->lead)->unit_class, v1::UNIT_CLASS_STREET);
  }
  d = route(built_in, district_only);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
  EXPECT_EQ(d->lead, kDistrict);
}

TEST(RoutingBeijing, TheDistrictCoordinatesWhenOnlyTheDistrictIsKnown) {
  const Policy& p = *Policy::beijing();
  Req r;
  r.where("朝阳");  // the alias
  absl::StatusOr<RouteDecision> d = route(p, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
  EXPECT_EQ(d->lead, kDistrict);
  EXPECT_THAT(d->copy_to, IsEmpty());
  EXPECT_EQ(d->rule, "district-coordinates");
  // An unknown street in a known district: the district too.
  r.where("朝阳区", "不存在街道");
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
  EXPECT_EQ(d->lead, kDistrict);
}

TEST(RoutingBeijing, NoRuleIsAFailedPreconditionNamingTheCase) {
  const Policy& p = *Policy::beijing();
  Req nowhere;
  nowhere.where("", "");
  LoneCase lc(nowhere, 4242);
  absl::StatusOr<RouteDecision> d = core::route_by_catalogue(p, lc.c);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()),
              HasSubstr(absl::StrCat("case 4242: no rule of the dispatch catalogue of policy "
                                     "beijing v",
                                     kBeijingVersion, " applies (district 0, street 0)")));
  // A street name two districts share, without the district: no area either.
  Req ambiguous;
  ambiguous.where("", "八里庄街道");
  d = route(p, ambiguous);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  // With its district it is found.
  ambiguous.where("海淀", "八里庄街道");
  d = route(p, ambiguous);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, kBalizhuangHaidian);
  EXPECT_THAT(d->copy_to, ElementsAre(kHaidian));
}

// --------------------------------------------------- hand-written catalogues

TEST(RoutingRules, HigherPriorityWinsWhereRulesOverlap) {
  SmallPolicy sp;
  sp.dispatch = absl::StrCat(
      kStreetFirst,
      "dispatch_rules { id: \"emergency\" priority: 1000 match { keywords: \"着火\" } "
      "not_dispatched { reason: NOT_DISPATCHED_REASON_EMERGENCY note: \"转119\" } }\n"
      "dispatch_rules { id: \"water\" priority: 800 match { categories { levels: \"公共服务\" "
      "levels: \"供水\" } } dispatch { unit: 110000801 } }\n"
      "dispatch_rules { id: \"public-services\" priority: 500 match { categories { levels: "
      "\"公共服务\" } districts: 110105 } dispatch { unit: 110105902 copy_to_district: true } }\n");
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  Req water;
  water.category("公共服务", "供水");
  EXPECT_EQ(route(*p, water)->rule, "water") << "utilities beat a department rule";
  Req heating;
  heating.category("公共服务", "供暖");
  EXPECT_EQ(route(*p, heating)->rule, "public-services") << "the department beats street-first";
  heating.where("东城区", "景山街道");
  EXPECT_EQ(route(*p, heating)->rule, "street-first") << "outside its district";
  water.says("着火");
  EXPECT_EQ(route(*p, water)->rule, "emergency");
}

TEST(RoutingRules, CopiesAndCoHandlers) {
  SmallPolicy sp;
  sp.dispatch =
      "dispatch_rules { id: \"dept\" priority: 9 match { kinds: KIND_REPORT } dispatch { unit: "
      "110105901 copy_to_district: true copy_to: [110105, 110105902] co_handlers: [110105902, "
      "110105903, 110105901] } }\n"
      "dispatch_rules { id: \"enterprise\" priority: 9 match { kinds: KIND_HELP } dispatch { unit: "
      "110000802 copy_to_district: true } }\n"
      "dispatch_rules { id: \"district\" priority: 9 match { kinds: KIND_SUGGESTION } dispatch { "
      "district_of_request: true copy_to_district: true co_handlers: 110105007 } }\n"
      "dispatch_rules { id: \"street\" priority: 9 match { kinds: KIND_COMPLAINT } dispatch { "
      "street_of_request: true } }\n";
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  // A department lead: its district once, the extra copy, co-handlers that
  // are neither copied nor the lead.
  absl::StatusOr<RouteDecision> d = route(*p, Req{}.of(Kind::kReport));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, 110105901u);
  EXPECT_THAT(d->copy_to, ElementsAre(kDistrict, 110105902u));
  EXPECT_THAT(d->co_handlers, ElementsAre(110105903u));
  // An enterprise has no district to copy to.
  d = route(*p, Req{}.of(Kind::kHelp));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kPower);
  EXPECT_THAT(d->copy_to, IsEmpty());
  // A district lead is not copied to itself.
  d = route(*p, Req{}.of(Kind::kSuggestion));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->outcome, Outcome::kDispatch);
  EXPECT_EQ(d->lead, kDistrict);
  EXPECT_THAT(d->copy_to, IsEmpty());
  EXPECT_THAT(d->co_handlers, ElementsAre(kStreet));
  // No copy asked, none made.
  d = route(*p, Req{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kStreet);
  EXPECT_THAT(d->copy_to, IsEmpty());
  // The street of a request without a street: named as the problem.
  Req no_street;
  no_street.where("朝阳区");
  d = route(*p, no_street);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()),
              HasSubstr("rule \"street\" sends it to the request's street, which is not known"));
}

TEST(RoutingRules, MatchesOnEveryCondition) {
  SmallPolicy sp;
  sp.dispatch =
      "dispatch_rules { id: \"web-urgent\" priority: 9 match { channels: CHANNEL_WEB urgencies: "
      "URGENCY_URGENT } dispatch { unit: 110105903 } }\n"
      "dispatch_rules { id: \"estate\" priority: 8 match { communities: \"和平东街社区\" streets: "
      "110105007 } dispatch { unit: 110105902 } }\n"
      "dispatch_rules { id: \"wangjing\" priority: 8 match { streets: 110105026 } dispatch { unit: "
      "110105901 } }\n"
      "dispatch_rules { id: \"fallback\" priority: 1 match { } district_coordinates {} }\n";
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  Req r;
  EXPECT_EQ(route(*p, r)->rule, "estate");
  r.channel = Channel::kWeb;
  EXPECT_EQ(route(*p, r)->rule, "estate") << "web, but not urgent";
  r.urgency = Urgency::kUrgent;
  EXPECT_EQ(route(*p, r)->rule, "web-urgent");
  Req other_estate;
  other_estate.community = "和平西街社区";
  EXPECT_EQ(route(*p, other_estate)->rule, "fallback");
  Req wangjing;
  wangjing.where("朝阳区", "望京街道");
  EXPECT_EQ(route(*p, wangjing)->rule, "wangjing");
  // District coordinates without a district cannot be done: said so.
  Req nowhere;
  nowhere.where("", "");
  absl::StatusOr<RouteDecision> d = route(*p, nowhere);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(std::string(d.status().message()),
              HasSubstr("rule \"fallback\" gives it to its district to coordinate, but the "
                        "district is not known"));
}

// ------------------------------------------------------------ explanations

TEST(RoutingExplain, ListsOnlyTheRulesConsideredAndMarksOneChosen) {
  // The by-department policy: rules for each district.
  ASSERT_NE(beijing_by_department(), nullptr);
  const Policy& p = *beijing_by_department();
  std::vector<RuleVerdict> vs = explain(p, Req{});
  // The 9 rules for any area and Chaoyang's 11 department rules; none of the
  // other districts' 165.
  ASSERT_EQ(vs.size(), 20u);
  int chosen = 0;
  for (std::size_t i = 0; i < vs.size(); ++i) {
    const RuleVerdict& v = vs[i];
    if (absl::StrContains(v.rule_id, "-1101") && !absl::EndsWith(v.rule_id, "-110105")) {
      ADD_FAILURE() << v.rule_id << " is for another district";
    }
    if (i > 0) {
      EXPECT_GE(vs[i - 1].priority, v.priority) << "highest priority first";
    }
    EXPECT_FALSE(v.why.empty()) << v.rule_id;
    if (v.chosen) {
      ++chosen;
      EXPECT_TRUE(v.matched);
      EXPECT_EQ(v.rule_id, "street-first");
      EXPECT_EQ(v.why, "matches: decides");
    }
  }
  EXPECT_EQ(chosen, 1);
  const RuleVerdict* emergency = verdict(vs, "emergency");
  ASSERT_NE(emergency, nullptr);
  EXPECT_EQ(emergency->priority, 1000);
  EXPECT_FALSE(emergency->matched);
  // The keywords as the policy lists them, in its order.
  std::string keywords;
  for (std::size_t i = 0; i < p.catalogue().size(); ++i) {
    if (p.catalogue().rule(i).id() == "emergency") {
      keywords = absl::StrJoin(p.catalogue().rule(i).match().keywords(), ", ");
    }
  }
  ASSERT_THAT(keywords, HasSubstr("有人受伤, 持刀"));
  EXPECT_EQ(emergency->why, "the content has none of the keywords " + keywords);
  const RuleVerdict* water = verdict(vs, "utility-water");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->why,
            "category 城乡建设/施工管理/夜间施工扰民 starts with none of 公共服务/供水");
  const RuleVerdict* prepaid = verdict(vs, "market-prepaid-110105");
  ASSERT_NE(prepaid, nullptr);
  EXPECT_EQ(prepaid->why,
            "category 城乡建设/施工管理/夜间施工扰民 starts with none of 市场管理/预付式消费");
  const RuleVerdict* coordinates = verdict(vs, "district-coordinates");
  ASSERT_NE(coordinates, nullptr);
  EXPECT_TRUE(coordinates->matched);
  EXPECT_FALSE(coordinates->chosen);
  EXPECT_EQ(coordinates->why, "matches, but rule \"street-first\" (priority 100) comes first");
  EXPECT_EQ(verdict(vs, "market-prepaid-110101"), nullptr);
  // The built-in policy has the 9 rules for any area only, street-first chosen.
  vs = explain(*Policy::beijing(), Req{});
  ASSERT_EQ(vs.size(), 9u);
  EXPECT_TRUE(verdict(vs, "street-first")->chosen);
  EXPECT_EQ(verdict(vs, "market-prepaid-110105"), nullptr);
}

TEST(RoutingExplain, AgreesWithTheDecisionAndSaysWhenNothingMatches) {
  ASSERT_NE(beijing_by_department(), nullptr);
  const Policy& p = *beijing_by_department();
  Req planning;
  planning.category("城乡建设", "规划管理");
  std::vector<RuleVerdict> vs = explain(p, planning);
  const RuleVerdict* dept = verdict(vs, "planning-110105");
  ASSERT_NE(dept, nullptr);
  EXPECT_TRUE(dept->chosen);
  EXPECT_EQ(route(p, planning)->rule, "planning-110105");
  const RuleVerdict* street = verdict(vs, "street-first");
  ASSERT_NE(street, nullptr);
  EXPECT_TRUE(street->matched);
  EXPECT_EQ(street->why, "matches, but rule \"planning-110105\" (priority 500) comes first");
  // The built-in policy: a utility beats street-first, which matches.
  const Policy& built_in = *Policy::beijing();
  Req water;
  water.category("公共服务", "供水");
  vs = explain(built_in, water);
  EXPECT_TRUE(verdict(vs, "utility-water")->chosen);
  EXPECT_EQ(route(built_in, water)->rule, "utility-water");
  EXPECT_EQ(verdict(vs, "street-first")->why,
            "matches, but rule \"utility-water\" (priority 800) comes first");
  // Nowhere: only the 9 general rules, none chosen, each saying why.
  Req nowhere;
  nowhere.where("", "");
  vs = explain(built_in, nowhere);
  ASSERT_EQ(vs.size(), 9u);
  for (const RuleVerdict& v : vs) {
    EXPECT_FALSE(v.chosen) << v.rule_id;
    EXPECT_FALSE(v.matched) << v.rule_id;
  }
  EXPECT_EQ(verdict(vs, "street-first")->why, "the request's street is not known");
  EXPECT_EQ(verdict(vs, "district-coordinates")->why, "the request's district is not known");
}

TEST(RoutingExplain, SaysWhichConditionFailed) {
  SmallPolicy sp;
  sp.dispatch =
      "dispatch_rules { id: \"kinds\" priority: 90 match { kinds: [KIND_HELP, KIND_REPORT] } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"channels\" priority: 89 match { channels: [CHANNEL_WEB, CHANNEL_APP] "
      "} "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"urgencies\" priority: 88 match { urgencies: URGENCY_EXTRA_URGENT } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"districts\" priority: 87 match { districts: 110101 } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"streets\" priority: 86 match { streets: [110105026, 110101001] } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"categories\" priority: 85 match { categories { levels: \"市场管理\" "
      "} "
      "categories { levels: \"住房\" levels: \"物业\" } } district_coordinates {} }\n"
      "dispatch_rules { id: \"communities\" priority: 84 match { communities: [\"A社区\", "
      "\"B社区\"] } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"keywords\" priority: 83 match { keywords: [\"漏水\", \"停电\"] } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"street-first\" priority: 10 match { needs_street: true } dispatch { "
      "street_of_request: true } }\n"
      "dispatch_rules { id: \"needs-district\" priority: 5 match { needs_district: true } "
      "district_coordinates {} }\n";
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  std::vector<RuleVerdict> vs = explain(*p, Req{});
  std::map<std::string, std::string> why;
  for (const RuleVerdict& v : vs) why[v.rule_id] = v.why;
  // 和平街 lies in Chaoyang: "districts" (Dongcheng's) and "streets" (望京's
  // and 东华门's) are not considered at all.
  EXPECT_EQ(why.count("districts"), 0u) << "a rule for another district is not considered";
  EXPECT_EQ(why.count("streets"), 0u) << "a rule for other streets is not considered";
  EXPECT_EQ(why["kinds"], "kind complaint is not one of help, report");
  EXPECT_EQ(why["channels"], "channel phone is not one of web, app");
  EXPECT_EQ(why["urgencies"], "urgency normal is not one of extra_urgent");
  EXPECT_EQ(why["categories"],
            "category 城乡建设/施工管理/夜间施工扰民 starts with none of 市场管理, 住房/物业");
  EXPECT_EQ(why["communities"], "community \"和平东街社区\" is not one of A社区, B社区");
  EXPECT_EQ(why["keywords"], "the content has none of the keywords 漏水, 停电");
  EXPECT_EQ(why["street-first"], "matches: decides");
  EXPECT_EQ(why["needs-district"], "matches, but rule \"street-first\" (priority 10) comes first");
  EXPECT_EQ(vs.size(), 8u);
  // In Dongcheng's 东华门 both area rules are considered and say why not.
  Req dongcheng;
  dongcheng.where("东城区", "景山街道");
  vs = explain(*p, dongcheng);
  why.clear();
  for (const RuleVerdict& v : vs) why[v.rule_id] = v.why;
  EXPECT_EQ(why["districts"], "matches: decides");
  EXPECT_EQ(why.count("streets"), 0u);
  Req donghuamen;
  donghuamen.where("东城区", "东华门街道");
  vs = explain(*p, donghuamen);
  why.clear();
  for (const RuleVerdict& v : vs) why[v.rule_id] = v.why;
  EXPECT_EQ(why["districts"], "matches: decides");
  EXPECT_EQ(why["streets"], "matches, but rule \"districts\" (priority 87) comes first");
}

// ------------------------------------------------------- areas from points

TEST(RoutingAreas, APointAloneRoutesToTheStreetWhoseCellHoldsIt) {
  const Policy& p = *Policy::beijing();
  ASSERT_EQ(shipped_cells().size(), 349u);
  for (const Cell& c : shipped_cells()) {
    Req r;
    r.where("", "").point((c.s + c.n) / 2, (c.w + c.e) / 2);
    absl::StatusOr<RouteDecision> d = route(p, r);
    ASSERT_TRUE(d.ok()) << c.code << ": " << d.status();
    EXPECT_EQ(d->lead, c.code);
    EXPECT_EQ(d->rule, "street-first");
    EXPECT_TRUE(d->area.street_from_point);
    EXPECT_EQ(d->area.district, p.unit(c.code)->district);
    EXPECT_THAT(d->copy_to, ElementsAre(p.unit(c.code)->district));
  }
}

TEST(RoutingAreas, APointOnASharedBorderGoesToTheLowerCode) {
  const Policy& p = *Policy::beijing();
  const Cell& a = cell_of(kDonghuamen);
  const Cell& b = cell_of(kJingshan);
  ASSERT_EQ(a.e, b.w) << "东华门 and 景山 share a border";
  Req r;
  r.where("", "").point((a.s + a.n) / 2, a.e);
  absl::StatusOr<RouteDecision> d = route(p, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->lead, kDonghuamen);
  // With the district named, the same.
  r.where("东城区", "").point((a.s + a.n) / 2, a.e);
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kDonghuamen);
  // A hair east of the border: 景山.
  r.point((a.s + a.n) / 2, a.e + 1e-9);
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kJingshan);
}

TEST(RoutingAreas, APointOutsideEveryAreaFallsBackToTheNamedDistrict) {
  const Policy& p = *Policy::beijing();
  Req shanghai;
  shanghai.where("朝阳区", "").point(31.23, 121.47);
  absl::StatusOr<RouteDecision> d = route(p, shanghai);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
  EXPECT_EQ(d->lead, kDistrict);
  EXPECT_FALSE(d->area.street_from_point);
  // Without the district nothing applies.
  shanghai.where("", "").point(31.23, 121.47);
  d = route(p, shanghai);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  // A point that is no place on earth is nowhere.
  Req bad;
  bad.where("朝阳区", "").point(123, 456);
  d = route(p, bad);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
}

TEST(RoutingAreas, APointInAnotherDistrictDoesNotOverrideTheNamedDistrict) {
  const Policy& p = *Policy::beijing();
  const Cell& dongcheng = cell_of(kDonghuamen);
  Req r;
  r.where("朝阳区", "").point((dongcheng.s + dongcheng.n) / 2, (dongcheng.w + dongcheng.e) / 2);
  absl::StatusOr<RouteDecision> d = route(p, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->outcome, Outcome::kDistrictCoordinates);
  EXPECT_EQ(d->lead, kDistrict);
  EXPECT_EQ(d->area.street, 0u);
  // A point inside the named district finds its street.
  const Cell& wangjing = cell_of(kStreet2);
  r.where("朝阳区", "").point((wangjing.s + wangjing.n) / 2, (wangjing.w + wangjing.e) / 2);
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kStreet2);
  EXPECT_TRUE(d->area.street_from_point);
  // A street's name beats its point.
  r.where("朝阳区", "和平街街道")
      .point((wangjing.s + wangjing.n) / 2, (wangjing.w + wangjing.e) / 2);
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kStreet);
  EXPECT_FALSE(d->area.street_from_point);
  // An unknown street name with a good point: the point.
  r.where("朝阳区", "没有这条街")
      .point((wangjing.s + wangjing.n) / 2, (wangjing.w + wangjing.e) / 2);
  d = route(p, r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead, kStreet2);
}

// -------------------------------------------------------- through the engine

TEST(RoutingEngine, DispatchRoutedAppliesTheDecisionAndRecordsTheRule) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  CaseId street = submit_req(e, Req{}.named("street"));
  CaseId dept = submit_req(e, Req{}.named("dept").category("市场管理", "食品安全"));
  CaseId district = submit_req(e, Req{}.named("district").where("朝阳"));
  CaseId emergency = submit_req(e, Req{}.named("fire").says("厨房着火了"));
  TimeMs t = kT0 + 5 * kMinute;
  for (CaseId id : {street, dept, district, emergency}) {
    absl::Status s = e.dispatch_routed(id, t, centre());
    ASSERT_TRUE(s.ok()) << id << ": " << s;
  }
  const core::Case& a = *e.find(street);
  EXPECT_EQ(a.state, State::kDispatched);
  EXPECT_EQ(a.lead_unit, kStreet);
  EXPECT_EQ(a.dispatch_mode, DispatchMode::kDirect);
  EXPECT_THAT(a.copy_to.to_vector(), ElementsAre(kDistrict));
  std::vector<core::Event> ev = events_of_type(e, street, EventType::kDispatched);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload.rule, "street-first");
  EXPECT_EQ(ev[0].time, t);
  EXPECT_EQ(ev[0].actor, centre());
  EXPECT_EQ(ev[0].policy_version, kBeijingVersion);

  // A department's category goes to the street too: it whistles for the bureau.
  EXPECT_EQ(e.find(dept)->lead_unit, kStreet);
  EXPECT_EQ(events_of_type(e, dept, EventType::kDispatched)[0].payload.rule, "street-first");

  const core::Case& c = *e.find(district);
  EXPECT_EQ(c.state, State::kDispatched);
  EXPECT_EQ(c.lead_unit, kDistrict);
  EXPECT_EQ(c.dispatch_mode, DispatchMode::kDistrictCoordinates);
  EXPECT_EQ(events_of_type(e, district, EventType::kDispatched)[0].payload.rule,
            "district-coordinates");

  const core::Case& f = *e.find(emergency);
  EXPECT_EQ(f.state, State::kNotDispatched);
  EXPECT_EQ(f.not_dispatched_reason, NotDispatchedReason::kEmergency);
  std::vector<core::Event> nd = events_of_type(e, emergency, EventType::kNotDispatched);
  ASSERT_EQ(nd.size(), 1u);
  EXPECT_EQ(nd[0].payload.rule, "emergency");
  EXPECT_EQ(nd[0].payload.text, "已转110/119/120紧急处置");
}

TEST(RoutingEngine, RouteAndExplainDoNotChangeTheCase) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  CaseId id = submit_req(e, Req{});
  std::uint64_t events = e.event_count();
  absl::StatusOr<RouteDecision> d = e.route(id);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->rule, "street-first");
  absl::StatusOr<std::vector<RuleVerdict>> x = e.explain(id);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(x->size(), 9u);
  EXPECT_EQ(e.event_count(), events);
  EXPECT_EQ(e.find(id)->state, State::kReceived);
  EXPECT_EQ(e.route(999).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(e.explain(999).status().code(), absl::StatusCode::kNotFound);
}

TEST(RoutingEngine, NoRuleRefusesTheDispatchAndChangesNothing) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  CaseId id = submit_req(e, Req{}.where("", ""));
  core::Case before = *e.find(id);
  std::uint64_t events = e.event_count();
  absl::Status s = e.dispatch_routed(id, kT0 + kMinute, centre());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr(absl::StrCat("case ", id, ": no rule")));
  EXPECT_EQ(e.event_count(), events);
  EXPECT_TRUE(*e.find(id) == before);
  // A dispatch the lifecycle refuses (a case already dispatched) is refused too.
  CaseId ok = submit_req(e, Req{}.named("ok"));
  ASSERT_TRUE(e.dispatch_routed(ok, kT0 + kMinute, centre()).ok());
  EXPECT_EQ(refusal(e.dispatch_routed(ok, kT0 + 2 * kMinute, centre())), Refusal::kState);
  // So is one by a unit (not the centre).
  CaseId third = submit_req(e, Req{}.named("third"));
  EXPECT_EQ(refusal(e.dispatch_routed(third, kT0 + kMinute, unit(kStreet))), Refusal::kNotCentre);
}

class FixedRouter : public core::Router {
 public:
  absl::StatusOr<RouteDecision> route(const core::Case& c, const Policy* policy) override {
    ++calls;
    last_policy = policy;
    last_case = c.id;
    if (c.intake->content == "refuse") return absl::UnavailableError("router says no");
    RouteDecision d;
    d.outcome = Outcome::kDispatch;
    d.lead = kDept;
    d.copy_to = {kDistrict};
    d.co_handlers = {kDept2};
    d.rule = "city-system-7";
    return d;
  }
  int calls = 0;
  const Policy* last_policy = nullptr;
  CaseId last_case = 0;
};

TEST(RoutingEngine, ACustomRouterIsUsedInsteadOfTheCatalogue) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  FixedRouter router;
  e.set_router(&router);
  CaseId id = submit_req(e, Req{});
  absl::StatusOr<RouteDecision> d = e.route(id);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, "city-system-7");
  EXPECT_EQ(router.last_policy, Policy::beijing().get()) << "the case's policy";
  ASSERT_TRUE(e.dispatch_routed(id, kT0 + kMinute, centre()).ok());
  EXPECT_EQ(router.calls, 2);
  EXPECT_EQ(router.last_case, id);
  const core::Case& c = *e.find(id);
  EXPECT_EQ(c.lead_unit, kDept);
  EXPECT_THAT(c.copy_to.to_vector(), ElementsAre(kDistrict));
  EXPECT_THAT(c.co_handlers.to_vector(), ElementsAre(kDept2));
  EXPECT_EQ(events_of_type(e, id, EventType::kDispatched)[0].payload.rule, "city-system-7");
  // Its errors come back as they are, and change nothing.
  CaseId no = submit_req(e, Req{}.named("no").says("refuse"));
  absl::Status s = e.dispatch_routed(no, kT0 + kMinute, centre());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(e.find(no)->state, State::kReceived);
  // Unplugged: the catalogue again.
  e.set_router(nullptr);
  ASSERT_TRUE(e.dispatch_routed(no, kT0 + 2 * kMinute, centre()).ok());
  EXPECT_EQ(events_of_type(e, no, EventType::kDispatched)[0].payload.rule, "street-first");
}

TEST(RoutingEngine, WithoutAPolicyOnlyACustomRouterCanRoute) {
  Engine e;
  CaseId id = submit(e, "no-policy");
  absl::StatusOr<RouteDecision> d = e.route(id);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("runs under no policy"));
  EXPECT_EQ(e.explain(id).status().code(), absl::StatusCode::kFailedPrecondition);
  FixedRouter router;
  e.set_router(&router);
  ASSERT_TRUE(e.dispatch_routed(id, kT0 + kMinute, centre()).ok());
  EXPECT_EQ(router.last_policy, nullptr);
  EXPECT_EQ(e.find(id)->lead_unit, kDept);
  EXPECT_EQ(e.find(id)->policy_version, 0u);
}

TEST(RoutingEngine, ACaseIsRoutedByThePolicyItWasReceivedUnder) {
  Engine e;
  ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
  CaseId old_case = submit_req(e, Req{}.named("old"));
  // The next version: every order goes to its district.
  SmallPolicy v2;
  v2.head = absl::StrCat("name: \"v2\"\nversion: ", kBeijingVersion + 1, "\n");
  v2.dispatch =
      "dispatch_rules { id: \"all-to-district\" priority: 1 match { needs_district: true } "
      "district_coordinates {} }\n";
  PolicyPtr p2 = must_load(v2.text());
  ASSERT_NE(p2, nullptr);
  ASSERT_TRUE(e.load_policy(p2).ok());
  CaseId new_case = submit_req(e, Req{}.named("new"));
  EXPECT_EQ(e.find(old_case)->policy_version, kBeijingVersion);
  EXPECT_EQ(e.find(new_case)->policy_version, kBeijingVersion + 1);
  ASSERT_TRUE(e.dispatch_routed(old_case, kT0 + kMinute, centre()).ok());
  ASSERT_TRUE(e.dispatch_routed(new_case, kT0 + kMinute, centre()).ok());
  EXPECT_EQ(events_of_type(e, old_case, EventType::kDispatched)[0].payload.rule, "street-first");
  EXPECT_EQ(events_of_type(e, new_case, EventType::kDispatched)[0].payload.rule, "all-to-district");
  EXPECT_EQ(e.explain(old_case)->size(), 9u);
  EXPECT_EQ(e.explain(new_case)->size(), 1u);
}

// ----------------------------------------------------- a large catalogue

std::string unit_line(const core::UnitInfo& u) {
  std::string s = absl::StrFormat("units { code: %d name: \"%s\" unit_class: %s", u.code, u.name,
                                  v1::UnitClass_Name(u.unit_class));
  if (u.district != 0 && u.street == 0) absl::StrAppend(&s, " district: ", u.district);
  if (u.street != 0) absl::StrAppend(&s, " street: ", u.street);
  if (u.national_code != 0) absl::StrAppend(&s, " national_code: ", u.national_code);
  return s + " }\n";
}

TEST(RoutingLarge, FiveThousandRulesOverEveryStreetBuildAndDecide) {
  const Policy& bj = *Policy::beijing();
  constexpr int kCategories = 14;
  std::string text = absl::StrCat("name: \"large\"\nversion: 1\n", kAroundTheClock);
  for (const core::UnitInfo& u : bj.units()) text += unit_line(u);
  int rules = 0;
  std::vector<const core::UnitInfo*> streets;
  for (const core::UnitInfo& u : bj.units()) {
    if (u.unit_class != v1::UNIT_CLASS_STREET) continue;
    streets.push_back(&u);
    for (int k = 0; k < kCategories; ++k) {
      absl::StrAppendFormat(&text,
                            "dispatch_rules { id: \"s%d-c%d\" priority: 500 match { streets: %d "
                            "categories { levels: \"类别%d\" } } dispatch { unit: %d "
                            "copy_to_district: true } }\n",
                            u.code, k, u.code, k, u.district * 1000 + 901 + k);
      ++rules;
    }
  }
  text += kStreetFirst;
  text += kReplySevenDays;
  ASSERT_EQ(rules, 349 * kCategories);
  auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<PolicyPtr> p = load_policy_text(text, "large.textproto");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->catalogue().size(), static_cast<std::size_t>(rules + 2));
  EXPECT_LT(seconds, 30.0) << "building " << rules << " rules";
  std::cout << "built " << rules + 2 << " rules in " << seconds << " s\n";

  std::mt19937 rng(20240930);
  for (int i = 0; i < 300; ++i) {
    const core::UnitInfo& s = *streets[rng() % streets.size()];
    int k = static_cast<int>(rng() % (kCategories + 1));  // kCategories: none of them
    Req r;
    r.where(bj.unit(s.district)->name, s.name)
        .category(k < kCategories ? absl::StrCat("类别", k) : "其他", "小类");
    absl::StatusOr<RouteDecision> d = route(**p, r);
    ASSERT_TRUE(d.ok()) << s.name << ": " << d.status();
    if (k < kCategories) {
      EXPECT_EQ(d->lead, s.district * 1000 + 901 + static_cast<UnitId>(k)) << s.name << " " << k;
      EXPECT_EQ(d->rule, absl::StrFormat("s%d-c%d", s.code, k));
    } else {
      EXPECT_EQ(d->lead, s.code);
      EXPECT_EQ(d->rule, "street-first");
    }
    EXPECT_THAT(d->copy_to, ElementsAre(s.district));
    // Only this street's rules and the general ones are considered.
    std::vector<RuleVerdict> vs = explain(**p, r);
    EXPECT_EQ(vs.size(), static_cast<std::size_t>(kCategories + 2));
    EXPECT_EQ(std::count_if(vs.begin(), vs.end(), [](const RuleVerdict& v) { return v.chosen; }),
              1);
  }
}

}  // namespace
}  // namespace jszb::testing
