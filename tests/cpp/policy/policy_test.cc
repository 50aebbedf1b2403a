// Policies: the shipped Beijing policy (built in, and from its file), names
// and aliases, deadline limits and escalation marks as the policy states
// them, and loading that refuses a broken policy whole while naming every
// problem at its line.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "policy_fixture.h"

namespace jszb::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Matcher;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAreArray;

// A problem reported at file:line whose message says `what`.
Matcher<std::string> at_line(const std::string& file, int line, const std::string& what) {
  return AllOf(StartsWith(absl::StrCat(file, ":", line, ": ")), HasSubstr(what));
}

std::map<v1::UnitClass, int> count_by_class(const Policy& p) {
  std::map<v1::UnitClass, int> n;
  for (const core::UnitInfo& u : p.units()) ++n[u.unit_class];
  return n;
}

struct CsvStreet {
  UnitId code;
  std::string name;
  UnitId district;
  std::string district_name;
};

std::vector<CsvStreet> csv_streets() {
  std::vector<CsvStreet> out;
  std::string text = slurp(repo_path("examples/data/beijing-streets.csv"));
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripSuffix(line, "\r");  // the CSV has CRLF lines
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "street_code")) continue;
    std::vector<std::string> f = absl::StrSplit(line, ',');
    if (f.size() != 4) continue;
    out.push_back(
        {static_cast<UnitId>(std::stoul(f[0])), f[1], static_cast<UnitId>(std::stoul(f[2])), f[3]});
  }
  return out;
}

std::string limit_text(const std::optional<core::Limit>& l) {
  if (!l) return "none";
  return absl::StrCat(l->amount, " ", v1::TimeUnit_Name(l->unit));
}

// ------------------------------------------------------ the shipped policy

TEST(PolicyBeijing, BuiltInLoadsWithEveryUnitByClass) {
  PolicyPtr p = Policy::beijing();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name(), "beijing");
  EXPECT_EQ(p->version(), kBeijingVersion);
  std::map<v1::UnitClass, int> n = count_by_class(*p);
  EXPECT_EQ(n[v1::UNIT_CLASS_CENTRE], 1);
  EXPECT_EQ(n[v1::UNIT_CLASS_ENTERPRISE], 5);
  EXPECT_EQ(n[v1::UNIT_CLASS_DISTRICT], 16);
  EXPECT_EQ(n[v1::UNIT_CLASS_DEPARTMENT], 16 * 15);
  EXPECT_EQ(n[v1::UNIT_CLASS_STREET], 349);
  EXPECT_EQ(n[v1::UNIT_CLASS_COMMUNITY], 7535);
  EXPECT_EQ(p->units().size(), 1u + 5 + 16 + 240 + 349 + 7535);
  ASSERT_NE(p->areas(), nullptr);
  EXPECT_EQ(p->areas()->size(), 349u);
  EXPECT_EQ(p->calendar().name(), "china");
  EXPECT_EQ(p->calendar().first_year(), 2019);
  // emergency, legal channel, 5 utilities, street first, district
  // coordinates: no department leads (examples/policies/beijing-by-department
  // has those).
  EXPECT_EQ(p->catalogue().size(), 2u + 5 + 2);
  EXPECT_EQ(Policy::beijing(), p) << "built once";
}

TEST(PolicyBeijing, ShippedFileLoadsAndIsTheBuiltInPolicy) {
  absl::StatusOr<PolicyPtr> file =
      Policy::load_file(repo_path("lib/data/beijing-policy.textproto"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->message().SerializeAsString(),
            Policy::beijing()->message().SerializeAsString());
  EXPECT_EQ((*file)->units().size(), Policy::beijing()->units().size());
  ASSERT_NE((*file)->areas(), nullptr);
  EXPECT_EQ((*file)->areas()->size(), 349u);
  EXPECT_EQ((*file)->catalogue().size(), Policy::beijing()->catalogue().size());
}

TEST(PolicyBeijing, EveryStreetOfTheCsvResolvesByNameWithinItsDistrict) {
  const Policy& p = *Policy::beijing();
  std::vector<CsvStreet> streets = csv_streets();
  ASSERT_EQ(streets.size(), 349u);
  std::set<UnitId> seen;
  for (const CsvStreet& s : streets) {
    EXPECT_EQ(p.district_named(s.district_name), s.district) << s.district_name;
    EXPECT_EQ(p.street_named(s.name, s.district), s.code) << s.name << " in " << s.district_name;
    const core::UnitInfo* u = p.unit(s.code);
    ASSERT_NE(u, nullptr) << s.code;
    EXPECT_EQ(u->unit_class, v1::UNIT_CLASS_STREET);
    EXPECT_EQ(u->district, s.district);
    EXPECT_EQ(u->name, s.name);
    EXPECT_TRUE(p.areas()->has(s.code)) << s.code << " has no area";
    seen.insert(s.code);
  }
  EXPECT_EQ(seen.size(), 349u);
}

TEST(PolicyBeijing, DistrictAliasesAndNames) {
  const Policy& p = *Policy::beijing();
  EXPECT_EQ(p.district_named("朝阳"), kDistrict);
  EXPECT_EQ(p.district_named("朝阳区"), kDistrict);
  EXPECT_EQ(p.district_named("东城"), kDongcheng);
  EXPECT_EQ(p.district_named("海淀"), kHaidian);
  EXPECT_EQ(p.district_named("火星区"), 0u);
  EXPECT_EQ(p.district_named(""), 0u);
  // Every district answers to its name and to its name without 区.
  int districts = 0;
  for (const core::UnitInfo& u : p.units()) {
    if (u.unit_class != v1::UNIT_CLASS_DISTRICT) continue;
    ++districts;
    EXPECT_EQ(p.district_named(u.name), u.code) << u.name;
    ASSERT_TRUE(absl::EndsWith(u.name, "区")) << u.name;
    EXPECT_EQ(p.district_named(u.name.substr(0, u.name.size() - std::string("区").size())), u.code)
        << u.name;
  }
  EXPECT_EQ(districts, 16);
}

TEST(PolicyBeijing, StreetNamesCountCityWideOnlyWhenUnambiguous) {
  const Policy& p = *Policy::beijing();
  EXPECT_EQ(p.street_named("和平街街道", 0), kStreet);
  EXPECT_EQ(p.street_named("望京街道", 0), kStreet2);
  // 八里庄街道 is a street of Chaoyang and of Haidian.
  EXPECT_EQ(p.street_named("八里庄街道", 0), 0u);
  EXPECT_EQ(p.street_named("八里庄街道", kDistrict), kBalizhuangChaoyang);
  EXPECT_EQ(p.street_named("八里庄街道", kHaidian), kBalizhuangHaidian);
  // A street is not found in another district, nor by a district's name.
  EXPECT_EQ(p.street_named("和平街街道", kDongcheng), 0u);
  EXPECT_EQ(p.street_named("朝阳区", 0), 0u);
}

TEST(PolicyBeijing, ResolveAreaFromNames) {
  const Policy& p = *Policy::beijing();
  Req here;
  Intake in = here.intake();
  core::Area a = p.resolve_area(in);
  EXPECT_EQ(a.district, kDistrict);
  EXPECT_EQ(a.street, kStreet);
  EXPECT_FALSE(a.street_from_point);
  EXPECT_EQ(a.community, "和平东街社区");
  // The street alone gives its district.
  Req only_street;
  only_street.where("", "望京街道");
  a = p.resolve_area(only_street.intake());
  EXPECT_EQ(a.street, kStreet2);
  EXPECT_EQ(a.district, kDistrict);
  // An alias is as good as the name.
  Req alias;
  alias.where("朝阳", "八里庄街道");
  a = p.resolve_area(alias.intake());
  EXPECT_EQ(a.district, kDistrict);
  EXPECT_EQ(a.street, kBalizhuangChaoyang);
  // An ambiguous street without its district: neither is known.
  Req ambiguous;
  ambiguous.where("", "八里庄街道");
  a = p.resolve_area(ambiguous.intake());
  EXPECT_EQ(a.street, 0u);
  EXPECT_EQ(a.district, 0u);
  // A street named in the wrong district is not taken.
  Req wrong;
  wrong.where("东城区", "和平街街道");
  a = p.resolve_area(wrong.intake());
  EXPECT_EQ(a.district, kDongcheng);
  EXPECT_EQ(a.street, 0u);
}

TEST(PolicyBeijing, DeadlineLimitsAsThePolicyStatesThem) {
  const Policy& p = *Policy::beijing();
  using v1::UNIT_CLASS_DEPARTMENT;
  using v1::UNIT_CLASS_ENTERPRISE;
  using v1::UNIT_CLASS_STREET;
  Req normal;
  Intake in = normal.intake();
  EXPECT_EQ(limit_text(p.limit(v1::STEP_DISPATCH, in, v1::UNIT_CLASS_UNSPECIFIED)),
            "1 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_SIGN, in, UNIT_CLASS_STREET)), "1 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_FIRST_CONTACT, in, UNIT_CLASS_STREET)),
            "24 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, in, UNIT_CLASS_STREET)), "7 TIME_UNIT_DAYS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, in, UNIT_CLASS_DEPARTMENT)), "7 TIME_UNIT_DAYS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, in, UNIT_CLASS_ENTERPRISE)), "24 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_CO_HANDLER_REPORT, in, UNIT_CLASS_STREET)),
            "3 TIME_UNIT_WORKING_DAYS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_RETURN_VISIT, in, UNIT_CLASS_STREET)),
            "3 TIME_UNIT_WORKING_DAYS");
  // Complex categories: 15 days, by prefix, levels compared whole.
  Req housing;
  housing.category("住房", "房屋买卖", "过户纠纷");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, housing.intake(), UNIT_CLASS_STREET)),
            "15 TIME_UNIT_DAYS");
  Req wages;
  wages.category("劳动和社会保障", "劳动报酬");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, wages.intake(), UNIT_CLASS_DEPARTMENT)),
            "15 TIME_UNIT_DAYS");
  Req near_miss;
  near_miss.category("住房", "房屋买卖纠纷");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, near_miss.intake(), UNIT_CLASS_STREET)),
            "7 TIME_UNIT_DAYS");
  Req level_one_only;
  level_one_only.category("住房");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, level_one_only.intake(), UNIT_CLASS_STREET)),
            "7 TIME_UNIT_DAYS");
  // Urgency: extra-urgent results in 2 h whoever leads; urgent contact in 2 h.
  Req extra;
  extra.with(Urgency::kExtraUrgent);
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, extra.intake(), UNIT_CLASS_STREET)),
            "2 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, extra.intake(), UNIT_CLASS_ENTERPRISE)),
            "2 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_DISPATCH, extra.intake(), v1::UNIT_CLASS_UNSPECIFIED)),
            "10 TIME_UNIT_MINUTES");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_SIGN, extra.intake(), UNIT_CLASS_STREET)),
            "15 TIME_UNIT_MINUTES");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_FIRST_CONTACT, extra.intake(), UNIT_CLASS_STREET)),
            "30 TIME_UNIT_MINUTES");
  Req urgent;
  urgent.with(Urgency::kUrgent);
  EXPECT_EQ(limit_text(p.limit(v1::STEP_FIRST_CONTACT, urgent.intake(), UNIT_CLASS_STREET)),
            "2 TIME_UNIT_HOURS");
  EXPECT_EQ(limit_text(p.limit(v1::STEP_REPLY, urgent.intake(), UNIT_CLASS_STREET)),
            "7 TIME_UNIT_DAYS");
}

TEST(PolicyBeijing, EscalationMarksPerStep) {
  const Policy& p = *Policy::beijing();
  EXPECT_THAT(p.warn_at(), ElementsAre(0.8));
  const std::vector<core::Mark>& reply = p.marks(StepId::kReply);
  ASSERT_EQ(reply.size(), 4u);
  EXPECT_EQ(reply[0].kind, core::MarkKind::kWarning);
  EXPECT_DOUBLE_EQ(reply[0].fraction, 0.8);
  EXPECT_EQ(reply[1].kind, core::MarkKind::kBreach);
  EXPECT_EQ(reply[1].action, v1::ESCALATION_ACTION_NOTIFY);
  EXPECT_EQ(reply[2].kind, core::MarkKind::kLadder);
  EXPECT_EQ(reply[2].after.amount, 1);
  EXPECT_EQ(reply[2].after.unit, v1::TIME_UNIT_WORKING_DAYS);
  EXPECT_EQ(reply[2].action, v1::ESCALATION_ACTION_SUPERVISE_DISTRICT);
  EXPECT_EQ(reply[3].kind, core::MarkKind::kLadder);
  EXPECT_EQ(reply[3].after.amount, 6);
  EXPECT_EQ(reply[3].action, v1::ESCALATION_ACTION_SUPERVISE_CITY);
  // Signing: the ladder's level at the breach is the breach's own action.
  const std::vector<core::Mark>& sign = p.marks(StepId::kSign);
  ASSERT_EQ(sign.size(), 2u);
  EXPECT_EQ(sign[0].kind, core::MarkKind::kWarning);
  EXPECT_EQ(sign[1].kind, core::MarkKind::kBreach);
  EXPECT_EQ(sign[1].action, v1::ESCALATION_ACTION_RETURN_TO_DISPATCHER);
  for (StepId s :
       {StepId::kDispatch, StepId::kFirstContact, StepId::kCoHandlerReport, StepId::kReturnVisit}) {
    const std::vector<core::Mark>& m = p.marks(s);
    ASSERT_EQ(m.size(), 2u) << static_cast<int>(s);
    EXPECT_EQ(m[0].kind, core::MarkKind::kWarning);
    EXPECT_EQ(m[1].kind, core::MarkKind::kBreach);
    EXPECT_EQ(m[1].action, v1::ESCALATION_ACTION_NOTIFY);
  }
  EXPECT_THAT(p.ladder(v1::STEP_REPLY), SizeIs(2));
  EXPECT_THAT(p.ladder(v1::STEP_SIGN), SizeIs(1));
  EXPECT_THAT(p.ladder(v1::STEP_DISPATCH), IsEmpty());
}

TEST(PolicyBeijing, CategoryPrefixComparesWholeLevels) {
  v1::CategoryPath prefix;
  prefix.add_levels("公共服务");
  prefix.add_levels("供水");
  std::array<std::string_view, 3> path = {"公共服务", "供水", "停水"};
  EXPECT_TRUE(core::category_has_prefix(path, prefix));
  std::array<std::string_view, 3> longer = {"公共服务", "供水管网", ""};
  EXPECT_FALSE(core::category_has_prefix(longer, prefix));
  std::array<std::string_view, 3> shorter = {"公共服务", "", ""};
  EXPECT_FALSE(core::category_has_prefix(shorter, prefix));
  v1::CategoryPath four;
  for (int i = 0; i < 4; ++i) four.add_levels("x");
  std::array<std::string_view, 3> xs = {"x", "x", "x"};
  EXPECT_FALSE(core::category_has_prefix(xs, four));
}

// ------------------------------------------------- a small policy that loads

TEST(PolicySmall, ASmallHandWrittenPolicyLoads) {
  SmallPolicy sp;
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name(), "small");
  EXPECT_EQ(p->units().size(), 12u);
  EXPECT_EQ(p->areas(), nullptr) << "no areas_file, no areas";
  EXPECT_EQ(p->catalogue().size(), 2u);
  EXPECT_EQ(p->district_named("东城"), kDongcheng);
  EXPECT_EQ(limit_text(p->limit(v1::STEP_REPLY, Req{}.intake(), v1::UNIT_CLASS_STREET)),
            "7 TIME_UNIT_DAYS");
  EXPECT_EQ(limit_text(p->limit(v1::STEP_SIGN, Req{}.intake(), v1::UNIT_CLASS_STREET)), "none")
      << "a step without a rule is not timed";
  // No escalation section: a breach mark per step and nothing else.
  EXPECT_THAT(p->warn_at(), IsEmpty());
  ASSERT_EQ(p->marks(StepId::kReply).size(), 1u);
  EXPECT_EQ(p->marks(StepId::kReply)[0].kind, core::MarkKind::kBreach);
}

TEST(PolicySmall, HigherPriorityDeadlineRuleWinsAndTiesNeedDisjointMatches) {
  SmallPolicy sp;
  sp.deadlines =
      "deadline_rules { id: \"reply\" step: STEP_REPLY limit { amount: 7 unit: TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"complaints\" step: STEP_REPLY priority: 5 match { kinds: "
      "KIND_COMPLAINT }"
      " limit { amount: 5 unit: TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"help\" step: STEP_REPLY priority: 5 match { kinds: KIND_HELP }"
      " limit { amount: 3 unit: TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"building\" step: STEP_REPLY priority: 5 match { kinds: KIND_REPORT"
      " categories { levels: \"城乡建设\" } } limit { amount: 4 unit: TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"market\" step: STEP_REPLY priority: 5 match { kinds: KIND_REPORT"
      " categories { levels: \"市场管理\" } } limit { amount: 2 unit: TIME_UNIT_WORKING_DAYS } }\n"
      // Same priority, other step: no overlap.
      "deadline_rules { id: \"sign\" step: STEP_SIGN priority: 5 match { kinds: KIND_COMPLAINT }"
      " limit { amount: 30 unit: TIME_UNIT_MINUTES } }\n"
      // Same match, lower priority: no overlap.
      "deadline_rules { id: \"complaints-fallback\" step: STEP_REPLY priority: 4 match { kinds: "
      "KIND_COMPLAINT } limit { amount: 9 unit: TIME_UNIT_DAYS } }\n";
  PolicyPtr p = must_load(sp.text());
  ASSERT_NE(p, nullptr);
  auto reply = [&p](const Req& r) {
    return limit_text(p->limit(v1::STEP_REPLY, r.intake(), v1::UNIT_CLASS_STREET));
  };
  EXPECT_EQ(reply(Req{}), "5 TIME_UNIT_DAYS");
  EXPECT_EQ(reply(Req{}.of(Kind::kHelp)), "3 TIME_UNIT_DAYS");
  EXPECT_EQ(reply(Req{}.of(Kind::kReport)), "4 TIME_UNIT_DAYS");
  EXPECT_EQ(reply(Req{}.of(Kind::kReport).category("市场管理", "预付式消费")),
            "2 TIME_UNIT_WORKING_DAYS");
  EXPECT_EQ(reply(Req{}.of(Kind::kReport).category("住房")), "7 TIME_UNIT_DAYS");
  EXPECT_EQ(reply(Req{}.of(Kind::kConsultation)), "7 TIME_UNIT_DAYS");
}

// ---------------------------------------------------- refusing broken ones

// Every line of this text is numbered: the problems must name these lines.
const char kBroken[] =
    "name: \"broken\"\n"                                                         // 1
    "version: 3\n"                                                               // 2
    "calendar {\n"                                                               // 3
    "  name: \"inline\"\n"                                                       // 4
    "  utc_offset_minutes: 480\n"                                                // 5
    "  working_hours { from: \"09:00\" to: \"17:00\" }\n"                        // 6
    "  weekend_days: 6\n"                                                        // 7
    "  weekend_days: 7\n"                                                        // 8
    "  first_year: 2024\n"                                                       // 9
    "  last_year: 2024\n"                                                        // 10
    "  beyond: BEYOND_SCHEDULE_REFUSE\n"                                         // 11
    "  holidays { name: \"劳动节\" from: \"2024-05-01\" to: \"2024-05-05\" }\n"  // 12
    "  make_up_days: \"2024-04-28\"\n"                                           // 13
    "  make_up_days: \"2024-04-28\"\n"                                           // 14
    "}\n"                                                                        // 15
    "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n"  // 16
    "units { code: 110105007 name: \"和平街街道\" unit_class: UNIT_CLASS_STREET "
    "district: 110105 }\n"  // 17
    "units { code: 110105007 name: \"和平街\" unit_class: UNIT_CLASS_STREET "
    "district: 110105 }\n"                                                          // 18
    "units { code: 110105026 name: \"望京街道\" unit_class: UNIT_CLASS_STREET }\n"  // 19
    "units { code: 110105901 name: \"市场监管局\" unit_class: UNIT_CLASS_DEPARTMENT "
    "district: 110105007 }\n"  // 20
    "dispatch_rules { id: \"to-nowhere\" priority: 10 match { needs_street: true } "
    "dispatch { unit: 999 } }\n"  // 21
    "dispatch_rules { id: \"complaints\" priority: 5 match { kinds: KIND_COMPLAINT } "
    "dispatch { street_of_request: true } }\n"  // 22
    "dispatch_rules { id: \"building\" priority: 5 match { categories { levels: "
    "\"城乡建设\" } } dispatch { street_of_request: true } }\n"  // 23
    "dispatch_rules { id: \"help-here\" priority: 7 match { kinds: KIND_HELP districts: "
    "110105 } dispatch { street_of_request: true } }\n"  // 24
    "dispatch_rules { id: \"advice-here\" priority: 7 match { kinds: KIND_SUGGESTION "
    "districts: 110105 } dispatch { street_of_request: true } }\n"  // 25
    "dispatch_rules { id: \"street-as-district\" priority: 8 match { districts: 110105007 } "
    "district_coordinates {} }\n"  // 26
    "deadline_rules { id: \"reply-complaints\" step: STEP_REPLY priority: 1 match { kinds: "
    "KIND_COMPLAINT } limit { amount: 5 unit: TIME_UNIT_DAYS } }\n"  // 27
    "deadline_rules { id: \"reply-urgent\" step: STEP_REPLY priority: 1 match { urgencies: "
    "URGENCY_URGENT } limit { amount: 3 unit: TIME_UNIT_DAYS } }\n"          // 28
    "deadline_rules { id: \"sign\" step: STEP_SIGN limit { amount: 2 } }\n"  // 29
    "deadline_rules { id: \"dispatch\" step: STEP_DISPATCH limit { amount: 0 unit: "
    "TIME_UNIT_HOURS } }\n"                                                           // 30
    "escalation {\n"                                                                  // 31
    "  warn_at: 1.5\n"                                                                // 32
    "  ladder { step: STEP_REPLY action: ESCALATION_ACTION_RETURN_TO_DISPATCHER }\n"  // 33
    "  ladder { step: STEP_REPLY after_breach { amount: 5 unit: TIME_UNIT_WORKING_DAYS } "
    "action: ESCALATION_ACTION_SUPERVISE_CITY }\n"  // 34
    "  ladder { step: STEP_REPLY after_breach { amount: 1 unit: TIME_UNIT_WORKING_DAYS } "
    "action: ESCALATION_ACTION_SUPERVISE_DISTRICT }\n"  // 35
    "}\n";                                              // 36

TEST(PolicyValidation, ManyMistakesAtOnceAreAllReportedAtTheirLines) {
  // BUG: Catalogue::build (lib/catalogue.cc) returns before its overlap check
  // when any dispatch rule had a problem of its own (`if (diag.errors().size()
  // != errors_before) return std::nullopt;` after the per-rule loop), so the
  // overlap of "building" and "complaints" (line 23) is not reported while
  // "to-nowhere" (line 21) names an unknown unit. policy.h promises that every
  // problem is reported.
  const std::string f = "broken.textproto";
  absl::StatusOr<PolicyPtr> p = load_policy_text(kBroken, f);
  ASSERT_FALSE(p.ok()) << "a broken policy must not load";
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<Matcher<std::string>> expected = {
      at_line(f, 18, "unit 110105007 is listed twice"),
      at_line(f, 19, "street 110105026 (望京街道) has no district"),
      at_line(f, 20, "units.district 110105007 is not a district unit of this policy"),
      at_line(f, 14,
              "make_up_days[1]: 2024-04-28 is also in make_up_days[0] (expected each day "
              "listed once)"),
      at_line(f, 28,
              "deadline rule \"reply-urgent\" overlaps \"reply-complaints\" "
              "(broken.textproto:27): both time step STEP_REPLY at priority 1"),
      at_line(f, 29,
              "2 has no unit of time: expected MINUTES, HOURS, DAYS, WORKING_HOURS or "
              "WORKING_DAYS"),
      at_line(f, 30, "amount 0: expected a number > 0"),
      at_line(f, 1, "no deadline rule for step REPLY matches every order"),
      at_line(f, 32, "warn_at 1.5: expected a fraction between 0 and 1"),
      at_line(f, 33,
              "RETURN_TO_DISPATCHER is for step SIGN (an order not signed for in time), "
              "not STEP_REPLY"),
      at_line(f, 35, "the ladder for STEP_REPLY must be listed in order"),
      at_line(f, 21, "dispatch.unit: unknown unit 999"),
      at_line(f, 26,
              "match.districts: unit 110105007 (和平街街道) is a UNIT_CLASS_STREET, "
              "expected a UNIT_CLASS_DISTRICT"),
      at_line(f, 23, "dispatch rule \"building\" overlaps \"complaints\" (broken.textproto:22)"),
  };
  EXPECT_THAT(problems(p.status()), UnorderedElementsAreArray(expected)) << p.status();
  EXPECT_THAT(std::string(p.status().message()),
              StartsWith(absl::StrFormat("policy refused, %d problems:", expected.size())));
  // Rules 24 and 25 share a priority but not a kind: they do not overlap.
  EXPECT_THAT(std::string(p.status().message()), ::testing::Not(HasSubstr("help-here")));
}

TEST(PolicyValidation, ManyMistakesOutsideTheCatalogueAreAllReported) {
  // The same mistakes without the dispatch-rule ones: everything else is
  // reported, each at its line, and nothing loads.
  std::string text = kBroken;
  // Lines 21..26 become harmless rules (line numbers unchanged).
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines[20] =
      "dispatch_rules { id: \"street\" priority: 10 match { needs_street: true } "
      "dispatch { street_of_request: true } }";
  lines[21] = "# 22";
  lines[22] = "# 23";
  lines[25] = "# 26";
  text = absl::StrJoin(lines, "\n");
  const std::string f = "broken.textproto";
  absl::StatusOr<PolicyPtr> p = load_policy_text(text, f);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line(f, 18, "unit 110105007 is listed twice"),
                  at_line(f, 19, "street 110105026 (望京街道) has no district"),
                  at_line(f, 20, "units.district 110105007 is not a district unit"),
                  at_line(f, 14, "make_up_days[1]: 2024-04-28 is also in make_up_days[0]"),
                  at_line(f, 28, "deadline rule \"reply-urgent\" overlaps \"reply-complaints\""),
                  at_line(f, 29, "has no unit of time"),
                  at_line(f, 30, "amount 0: expected a number > 0"),
                  at_line(f, 1, "no deadline rule for step REPLY matches every order"),
                  at_line(f, 32, "warn_at 1.5: expected a fraction between 0 and 1"),
                  at_line(f, 33, "RETURN_TO_DISPATCHER is for step SIGN"),
                  at_line(f, 35, "the ladder for STEP_REPLY must be listed in order"),
              }))
      << p.status();
}

TEST(PolicyValidation, DispatchRuleMistakesAreAllReportedTogether) {
  // Only catalogue problems (the rest of the policy is sound): an unknown
  // unit, a street given as a district, and an overlap, all three at once.
  SmallPolicy sp;
  sp.extra =
      "dispatch_rules { id: \"to-nowhere\" priority: 10 match { needs_street: true } dispatch { "
      "unit: 999 } }\n"
      "dispatch_rules { id: \"complaints\" priority: 5 match { kinds: KIND_COMPLAINT } dispatch "
      "{ street_of_request: true } }\n"
      "dispatch_rules { id: \"building\" priority: 5 match { categories { levels: \"城乡建设\" } } "
      "dispatch { street_of_request: true } }\n"
      "dispatch_rules { id: \"street-as-district\" priority: 8 match { districts: 110105007 } "
      "district_coordinates {} }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text(), "cat.textproto");
  ASSERT_FALSE(p.ok());
  // BUG: Catalogue::build returns after the per-rule checks when any failed,
  // so the overlap of "building" and "complaints" (line l+2) goes unreported.
  EXPECT_THAT(
      problems(p.status()),
      UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
          at_line("cat.textproto", l, "dispatch.unit: unknown unit 999"),
          at_line("cat.textproto", l + 3,
                  "match.districts: unit 110105007 (和平街街道) is a "
                  "UNIT_CLASS_STREET, expected a UNIT_CLASS_DISTRICT"),
          at_line("cat.textproto", l + 2, "dispatch rule \"building\" overlaps \"complaints\""),
      }))
      << p.status();
}

TEST(PolicyValidation, UnknownUnitInADispatchRule) {
  SmallPolicy sp;
  sp.extra =
      "dispatch_rules { id: \"x\" priority: 10\n"
      "  match { streets: 110105099 }\n"
      "  dispatch { unit: 999 copy_to: 110105 co_handlers: 888 } }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line("test.textproto", l + 2, "dispatch.unit: unknown unit 999"),
                  at_line("test.textproto", l + 2, "dispatch.co_handlers: unknown unit 888"),
                  at_line("test.textproto", l + 1, "match.streets: unknown unit 110105099"),
              }))
      << p.status();
}

TEST(PolicyValidation, RateWeightsMustBeFiniteAndNotNegative) {
  SmallPolicy sp;
  sp.extra = "rate_weights { response: inf resolution: -1 satisfaction: nan }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line("test.textproto", l, "rate_weights.response is inf"),
                  at_line("test.textproto", l, "rate_weights.resolution is -1"),
                  at_line("test.textproto", l, "rate_weights.satisfaction is nan"),
              }))
      << p.status();
}

TEST(PolicyValidation, AStreetGivenWhereADistrictIsExpected) {
  // In a rule's districts, and as the district of a unit.
  SmallPolicy sp;
  sp.extra =
      "dispatch_rules { id: \"x\" priority: 10 match { districts: 110105026 } "
      "district_coordinates {} }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l,
                                  "match.districts: unit 110105026 (望京街道) is a "
                                  "UNIT_CLASS_STREET, expected a UNIT_CLASS_DISTRICT")));
  SmallPolicy sp2;
  sp2.extra =
      "units { code: 110105904 name: \"人社局\" unit_class: UNIT_CLASS_DEPARTMENT "
      "district: 110105007 }\n";
  l = sp2.extra_line();
  p = load_policy_text(sp2.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l,
                                  "units.district 110105007 is not a district unit of this "
                                  "policy")));
  // And a district where a street is expected.
  SmallPolicy sp3;
  sp3.extra =
      "dispatch_rules { id: \"x\" priority: 10 match { streets: 110105 } dispatch { "
      "street_of_request: true } }\n";
  l = sp3.extra_line();
  p = load_policy_text(sp3.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l,
                                  "match.streets: unit 110105 (朝阳区) is a UNIT_CLASS_DISTRICT, "
                                  "expected a UNIT_CLASS_STREET")));
}

TEST(PolicyValidation, OverlappingDispatchRulesOfEqualPriorityAreRefused) {
  struct Case {
    const char* what;
    std::string a, b;
  };
  std::vector<Case> cases = {
      {"both match anything", "match { }", "match { needs_street: true }"},
      {"a kind and a category", "match { kinds: KIND_COMPLAINT }",
       "match { categories { levels: \"城乡建设\" } }"},
      {"a category and its extension", "match { categories { levels: \"城乡建设\" } }",
       "match { categories { levels: \"城乡建设\" levels: \"施工管理\" } }"},
      {"a district and one of its streets", "match { districts: 110105 }",
       "match { streets: 110105007 }"},
      {"shared kinds", "match { kinds: [KIND_HELP, KIND_COMPLAINT] }",
       "match { kinds: [KIND_COMPLAINT, KIND_REPORT] }"},
      {"different keywords (one content can hold both)", "match { keywords: \"着火\" }",
       "match { keywords: \"漏水\" }"},
  };
  for (const Case& c : cases) {
    SmallPolicy sp;
    sp.extra = absl::StrCat("dispatch_rules { id: \"first\" priority: 70 ", c.a,
                            " dispatch { street_of_request: true } }\n",
                            "dispatch_rules { id: \"second\" priority: 70 ", c.b,
                            " dispatch { unit: 110105901 } }\n");
    int l = sp.extra_line();
    absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
    ASSERT_FALSE(p.ok()) << c.what;
    EXPECT_THAT(problems(p.status()),
                ElementsAre(at_line("test.textproto", l + 1,
                                    absl::StrFormat("dispatch rule \"second\" overlaps \"first\" "
                                                    "(test.textproto:%d): both have priority 70 "
                                                    "and some request matches both; give one a "
                                                    "higher priority or make them disjoint",
                                                    l))))
        << c.what;
  }
}

TEST(PolicyValidation, DisjointDispatchRulesOfEqualPriorityAreAccepted) {
  struct Case {
    const char* what;
    std::string a, b;
  };
  std::vector<Case> cases = {
      {"different districts", "match { districts: 110105 }", "match { districts: 110101 }"},
      {"different kinds", "match { kinds: KIND_HELP }", "match { kinds: KIND_COMPLAINT }"},
      {"different categories", "match { categories { levels: \"市场管理\" } }",
       "match { categories { levels: \"城乡建设\" } }"},
      {"sibling subcategories",
       "match { categories { levels: \"市场管理\" levels: \"食品安全\" } }",
       "match { categories { levels: \"市场管理\" levels: \"预付式消费\" } }"},
      {"different streets", "match { streets: 110105007 }", "match { streets: 110105026 }"},
      {"a street outside the other's district", "match { streets: 110101001 }",
       "match { districts: 110105 }"},
      {"different channels", "match { channels: CHANNEL_PHONE }",
       "match { channels: CHANNEL_WEB }"},
      {"different urgencies", "match { urgencies: URGENCY_URGENT }",
       "match { urgencies: URGENCY_NORMAL }"},
      {"different communities", "match { communities: \"和平东街社区\" }",
       "match { communities: \"望京西园社区\" }"},
      {"same kind, different districts", "match { kinds: KIND_COMPLAINT districts: 110105 }",
       "match { kinds: KIND_COMPLAINT districts: 110101 }"},
  };
  for (const Case& c : cases) {
    SmallPolicy sp;
    sp.extra = absl::StrCat("dispatch_rules { id: \"first\" priority: 70 ", c.a,
                            " dispatch { street_of_request: true } }\n",
                            "dispatch_rules { id: \"second\" priority: 70 ", c.b,
                            " dispatch { unit: 110105901 } }\n");
    absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
    EXPECT_TRUE(p.ok()) << c.what << ": " << p.status();
  }
}

TEST(PolicyValidation, OverlappingDeadlineRulesOfEqualPriorityAreRefused) {
  SmallPolicy sp;
  sp.extra =
      "deadline_rules { id: \"a\" step: STEP_SIGN priority: 3 match { lead_classes: "
      "UNIT_CLASS_STREET } limit { amount: 1 unit: TIME_UNIT_HOURS } }\n"
      "deadline_rules { id: \"b\" step: STEP_SIGN priority: 3 match { categories { levels: "
      "\"住房\" } } limit { amount: 2 unit: TIME_UNIT_HOURS } }\n"
      // Disjoint from both a and b? No: b matches any class. Disjoint from a only.
      "deadline_rules { id: \"c\" step: STEP_SIGN priority: 3 match { lead_classes: "
      "UNIT_CLASS_ENTERPRISE categories { levels: \"公共服务\" } } limit { amount: 3 unit: "
      "TIME_UNIT_HOURS } }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l + 1,
                                  absl::StrFormat("deadline rule \"b\" overlaps \"a\" "
                                                  "(test.textproto:%d): both time step STEP_SIGN "
                                                  "at priority 3 and can match the same order; "
                                                  "give one a higher priority or make them "
                                                  "disjoint",
                                                  l))))
      << p.status();
}

TEST(PolicyValidation, DeadlineWithoutAUnitOfTimeOrWithAZeroLimit) {
  SmallPolicy sp;
  sp.extra =
      "deadline_rules {\n"
      "  id: \"sign\" step: STEP_SIGN\n"
      "  limit { amount: 2 }\n"
      "}\n"
      "deadline_rules {\n"
      "  id: \"contact\" step: STEP_FIRST_CONTACT\n"
      "  limit {\n"
      "    unit: TIME_UNIT_HOURS\n"
      "    amount: 0\n"
      "  }\n"
      "}\n"
      "deadline_rules { id: \"visit\" step: STEP_RETURN_VISIT limit { amount: -3 unit: "
      "TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"nothing\" step: STEP_DISPATCH }\n"
      "deadline_rules { id: \"stepless\" limit { amount: 9000000000000 unit: TIME_UNIT_DAYS } "
      "}\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line("test.textproto", l + 2,
                          "2 has no unit of time: expected MINUTES, HOURS, DAYS, WORKING_HOURS "
                          "or WORKING_DAYS"),
                  at_line("test.textproto", l + 8, "amount 0: expected a number > 0"),
                  at_line("test.textproto", l + 11, "amount -3: expected a number > 0"),
                  at_line("test.textproto", l + 12, "deadline rule \"nothing\" has no limit"),
                  at_line("test.textproto", l + 13,
                          "deadline rule \"stepless\" has no step: expected DISPATCH, SIGN"),
                  at_line("test.textproto", l + 13,
                          "amount 9000000000000: more than 100 years (at most 36525 in this "
                          "unit)"),
              }))
      << p.status();
}

TEST(PolicyValidation, EveryOrderNeedsAReplyDeadline) {
  // Art. 13: a REPLY rule that matches every order. Rules that each match
  // some orders (even all kinds between them) do not count.
  SmallPolicy sp;
  sp.deadlines =
      "deadline_rules { id: \"reply-complaints\" step: STEP_REPLY match { kinds: "
      "[KIND_CONSULTATION, "
      "KIND_HELP, KIND_COMPLAINT, KIND_REPORT, KIND_SUGGESTION] } limit { amount: 7 unit: "
      "TIME_UNIT_DAYS } }\n"
      "deadline_rules { id: \"sign\" step: STEP_SIGN limit { amount: 1 unit: TIME_UNIT_HOURS } }\n";
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(
      problems(p.status()),
      ElementsAre("test.textproto:1: no deadline rule for step REPLY matches every order "
                  "(Art. 13: every order carries a deadline): add one with an empty match"));
}

TEST(PolicyValidation, AUnitCodeListedTwice) {
  SmallPolicy sp;
  sp.extra = "units { code: 110105901 name: \"另一个局\" unit_class: UNIT_CLASS_DEPARTMENT }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l, "unit 110105901 is listed twice")));
}

TEST(PolicyValidation, AStreetWithoutADistrict) {
  SmallPolicy sp;
  sp.extra =
      "units {\n"
      "  code: 110105010\n"
      "  name: \"呼家楼街道\"\n"
      "  unit_class: UNIT_CLASS_STREET\n"
      "}\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  // There is no district field to point at: the unit's own line.
  EXPECT_THAT(
      problems(p.status()),
      ElementsAre(at_line("test.textproto", l, "street 110105010 (呼家楼街道) has no district")));
}

TEST(PolicyValidation, UnitsNeedACodeANameAndAClass) {
  SmallPolicy sp;
  sp.extra =
      "units { name: \"无码\" unit_class: UNIT_CLASS_DEPARTMENT }\n"
      "units { code: 120 unit_class: UNIT_CLASS_DEPARTMENT }\n"
      "units { code: 121 name: \"无类\" }\n"
      "units { code: 122 name: \"望京街道\" unit_class: UNIT_CLASS_STREET district: 110105 }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line("test.textproto", l, "units.code is 0 or missing"),
                  at_line("test.textproto", l + 1, "units.name is missing"),
                  at_line("test.textproto", l + 2, "units.unit_class is missing"),
                  at_line("test.textproto", l + 3,
                          "street name \"望京街道\" is used twice in district 110105"),
              }))
      << p.status();
}

TEST(PolicyValidation, DistrictNamesAndAliasesAreUnique) {
  SmallPolicy sp;
  sp.extra =
      "units { code: 110106 name: \"丰台区\" unit_class: UNIT_CLASS_DISTRICT aliases: \"东城\" }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l,
                                  "district name \"东城\" is used by 110101 and 110106")));
}

TEST(PolicyValidation, DeadlineRulesNeedUniqueIdsAndWholeCategories) {
  SmallPolicy sp;
  sp.extra =
      "deadline_rules { step: STEP_SIGN limit { amount: 1 unit: TIME_UNIT_HOURS } }\n"
      "deadline_rules { id: \"reply\" step: STEP_SIGN priority: 9 limit { amount: 1 unit: "
      "TIME_UNIT_HOURS } }\n"
      "deadline_rules { id: \"empty-level\" step: STEP_SIGN priority: 8 match { categories { "
      "levels: \"住房\" levels: \"\" } } limit { amount: 1 unit: TIME_UNIT_HOURS } }\n"
      "deadline_rules { id: \"no-levels\" step: STEP_SIGN priority: 7 match { categories { } } "
      "limit { amount: 1 unit: TIME_UNIT_HOURS } }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
                  at_line("test.textproto", l, "deadline_rules.id is missing"),
                  at_line("test.textproto", l + 1, "deadline rule id \"reply\" is used twice"),
                  at_line("test.textproto", l + 2, "categories: an empty level"),
                  at_line("test.textproto", l + 3, "categories: 0 levels, expected 1 to 3"),
              }))
      << p.status();
}

TEST(PolicyValidation, ACalendarDayListedTwiceInAnInlineCalendar) {
  SmallPolicy sp;
  sp.calendar =
      "calendar {\n"
      "  name: \"twice\"\n"
      "  utc_offset_minutes: 480\n"
      "  weekend_days: [6, 7]\n"
      "  working_hours { from: \"09:00\" to: \"17:00\" }\n"
      "  first_year: 2024\n"
      "  last_year: 2024\n"
      "  beyond: BEYOND_SCHEDULE_REFUSE\n"
      "  holidays { name: \"国庆节\" from: \"2024-10-01\" to: \"2024-10-07\" }\n"
      "  holidays { name: \"又一次\" from: \"2024-10-07\" to: \"2024-10-08\" }\n"
      "}\n";
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  // head is 2 lines: the calendar starts at line 3, the second holiday is line 12.
  EXPECT_THAT(problems(p.status()),
              ElementsAre("test.textproto:12: holidays[1]: 2024-10-07 is also in holidays[0] "
                          "(国庆节 2024-10-01..2024-10-07) (expected each day listed once)"));
}

TEST(PolicyValidation, ReturnToDispatcherIsOnlyForSigning) {
  SmallPolicy sp;
  sp.escalation =
      "escalation {\n"
      "  ladder { step: STEP_SIGN action: ESCALATION_ACTION_RETURN_TO_DISPATCHER }\n"
      "  ladder { step: STEP_FIRST_CONTACT action: ESCALATION_ACTION_RETURN_TO_DISPATCHER }\n"
      "  ladder { step: STEP_REPLY after_breach { amount: 1 unit: TIME_UNIT_DAYS }\n"
      "           action: ESCALATION_ACTION_RETURN_TO_DISPATCHER }\n"
      "}\n";
  int l = line_count(absl::StrCat(sp.head, sp.calendar, sp.units, sp.dispatch, sp.deadlines)) + 1;
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l + 2,
                                  "RETURN_TO_DISPATCHER is for step SIGN (an order not signed for "
                                  "in time), not STEP_FIRST_CONTACT"),
                          at_line("test.textproto", l + 4,
                                  "RETURN_TO_DISPATCHER is for step SIGN (an order not signed for "
                                  "in time), not STEP_REPLY")));
}

TEST(PolicyValidation, TheLadderMustBeInOrderInOneUnitOfTime) {
  SmallPolicy sp;
  sp.escalation =
      "escalation {\n"
      "  ladder { step: STEP_REPLY after_breach { amount: 2 unit: TIME_UNIT_WORKING_DAYS } "
      "action: ESCALATION_ACTION_SUPERVISE_DISTRICT }\n"
      "  ladder { step: STEP_REPLY after_breach { amount: 2 unit: TIME_UNIT_WORKING_DAYS } "
      "action: ESCALATION_ACTION_SUPERVISE_CITY }\n"
      "  ladder { step: STEP_REPLY after_breach { amount: 30 unit: TIME_UNIT_HOURS } "
      "action: ESCALATION_ACTION_SUPERVISE_CITY }\n"
      "  ladder { step: STEP_REPLY action: ESCALATION_ACTION_NOTIFY }\n"
      "  ladder { step: STEP_SIGN action: ESCALATION_ACTION_NOTIFY }\n"
      "  ladder { step: STEP_SIGN after_breach { amount: 10 unit: TIME_UNIT_MINUTES } "
      "action: ESCALATION_ACTION_SUPERVISE_DISTRICT }\n"
      "  ladder { step: STEP_SIGN after_breach { amount: 0 unit: TIME_UNIT_MINUTES } "
      "action: ESCALATION_ACTION_NOTIFY }\n"
      "}\n";
  int l = line_count(absl::StrCat(sp.head, sp.calendar, sp.units, sp.dispatch, sp.deadlines)) + 1;
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  const std::string order =
      "must be listed in order, later than the level before, in the same unit of time";
  EXPECT_THAT(problems(p.status()),
              ElementsAre(at_line("test.textproto", l + 2, "the ladder for STEP_REPLY " + order),
                          at_line("test.textproto", l + 3, "the ladder for STEP_REPLY " + order),
                          at_line("test.textproto", l + 4, "the ladder for STEP_REPLY " + order),
                          at_line("test.textproto", l + 7, "the ladder for STEP_SIGN " + order)))
      << p.status();
}

TEST(PolicyValidation, WarningsAreAscendingFractionsBetweenZeroAndOne) {
  SmallPolicy sp;
  sp.escalation =
      "escalation {\n"
      "  warn_at: 0\n"
      "  warn_at: 0.5\n"
      "  warn_at: 0.5\n"
      "  warn_at: 0.4\n"
      "  warn_at: 1\n"
      "  warn_at: -0.2\n"
      "  warn_at: 1.5\n"
      "}\n";
  int l = line_count(absl::StrCat(sp.head, sp.calendar, sp.units, sp.dispatch, sp.deadlines)) + 1;
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(
      problems(p.status()),
      ElementsAre(
          at_line("test.textproto", l + 1, "warn_at 0: expected a fraction between 0 and 1"),
          at_line("test.textproto", l + 3, "warn_at 0.5: expected ascending fractions"),
          at_line("test.textproto", l + 4, "warn_at 0.4: expected ascending fractions"),
          at_line("test.textproto", l + 5, "warn_at 1: expected a fraction between 0 and 1"),
          at_line("test.textproto", l + 6, "warn_at -0.2: expected a fraction between 0 and 1"),
          at_line("test.textproto", l + 7, "warn_at 1.5: expected a fraction between 0 and 1")))
      << p.status();
  // Good ones load, in order.
  SmallPolicy good;
  good.escalation = "escalation { warn_at: [0.5, 0.75, 0.9] }\n";
  PolicyPtr ok = must_load(good.text());
  ASSERT_NE(ok, nullptr);
  EXPECT_THAT(ok->warn_at(), ElementsAre(0.5, 0.75, 0.9));
  ASSERT_EQ(ok->marks(StepId::kReply).size(), 4u);
  EXPECT_EQ(ok->marks(StepId::kReply)[3].kind, core::MarkKind::kBreach);
}

TEST(PolicyValidation, APolicyNeedsExactlyOneCalendar) {
  SmallPolicy none;
  none.calendar = "";
  absl::StatusOr<PolicyPtr> p = load_policy_text(none.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre("test.textproto:1: a policy needs its calendar: give calendar { ... } or "
                          "calendar_file, not both"));
  SmallPolicy both;
  both.calendar = absl::StrCat(kAroundTheClock, kChinaCalendar);
  p = load_policy_text(both.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()), ElementsAre(HasSubstr("a policy needs its calendar")));
}

TEST(PolicyValidation, NameAndVersionAreRequired) {
  SmallPolicy sp;
  sp.head = "description: \"nameless\"\nversion: 0\n";
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre("test.textproto:1: name is missing: a policy needs a name",
                          "test.textproto:2: version is 0 or missing: expected a number > 0"));
}

TEST(PolicyValidation, ASyntaxErrorHasItsLineAndColumn) {
  SmallPolicy sp;
  sp.extra = "dispatch_rules { id: \"x\" priority: high }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  std::vector<std::string> found = problems(p.status());
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0], StartsWith(absl::StrFormat("test.textproto:%d: column 36: ", l)));
  // An unknown field, too.
  SmallPolicy sp2;
  sp2.extra = "\n  deadlines { }\n";
  l = sp2.extra_line();
  p = load_policy_text(sp2.text());
  ASSERT_FALSE(p.ok());
  found = problems(p.status());
  ASSERT_THAT(found, SizeIs(1));
  // (the parser places it after the name, at the "{")
  EXPECT_THAT(found[0], AllOf(StartsWith(absl::StrFormat("test.textproto:%d: column ", l + 1)),
                              HasSubstr("no field named \"deadlines\"")));
}

TEST(PolicyValidation, DispatchRulesNeedAnIdAnOutcomeAndALead) {
  SmallPolicy sp;
  sp.extra =
      "dispatch_rules { priority: 1 match { kinds: KIND_HELP } district_coordinates {} }\n"
      "dispatch_rules { id: \"street-first\" priority: 2 match { kinds: KIND_REPORT } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"undecided\" priority: 3 match { kinds: KIND_HELP } }\n"
      "dispatch_rules { id: \"leaderless\" priority: 4 match { kinds: KIND_HELP } dispatch { "
      "copy_to_district: true } }\n"
      "dispatch_rules { id: \"reasonless\" priority: 5 match { kinds: KIND_HELP } not_dispatched { "
      "note: \"?\" } }\n"
      "dispatch_rules { id: \"empty-keyword\" priority: 6 match { keywords: \"\" } "
      "district_coordinates {} }\n"
      "dispatch_rules { id: \"deep\" priority: 7 match { categories { levels: [\"a\", \"b\", "
      "\"c\", "
      "\"d\"] } } district_coordinates {} }\n";
  int l = sp.extra_line();
  absl::StatusOr<PolicyPtr> p = load_policy_text(sp.text());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(
      problems(p.status()),
      UnorderedElementsAreArray(std::vector<Matcher<std::string>>{
          at_line("test.textproto", l, "dispatch_rules.id is missing"),
          at_line("test.textproto", l + 1, "dispatch rule id \"street-first\" is used twice"),
          at_line("test.textproto", l + 2,
                  "rule \"undecided\" decides nothing: give dispatch, "
                  "district_coordinates or not_dispatched"),
          at_line("test.textproto", l + 3,
                  "rule \"leaderless\": dispatch needs a lead: unit, street_of_request or "
                  "district_of_request"),
          at_line("test.textproto", l + 4,
                  "rule \"reasonless\": not_dispatched needs a reason (Art. 11)"),
          at_line("test.textproto", l + 5, "keywords: an empty keyword"),
          at_line("test.textproto", l + 6, "categories: 4 levels, expected 1 to 3"),
      }))
      << p.status();
}

TEST(PolicyValidation, NothingHalfLoads) {
  // One problem anywhere and there is no policy at all; a good policy loads
  // as many times as asked, each time whole.
  SmallPolicy sp;
  sp.extra = "units { code: 110105901 name: \"重复\" unit_class: UNIT_CLASS_DEPARTMENT }\n";
  absl::StatusOr<PolicyPtr> bad = load_policy_text(sp.text());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("policy refused, 1 problem:\n"));
  // The engine never sees it: it keeps running without a policy.
  Engine e;
  EXPECT_EQ(e.policy(), nullptr);
  EXPECT_FALSE(e.load_policy(nullptr).ok());
  EXPECT_EQ(e.policy(), nullptr);
  SmallPolicy good;
  PolicyPtr a = must_load(good.text());
  PolicyPtr b = must_load(good.text());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(a->message().SerializeAsString(), b->message().SerializeAsString());
}

// ------------------------------------------------------------- from files

const char kTwoCells[] =
    R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":110105007},"geometry":{"type":"Polygon","coordinates":[[[116.0,39.0],[116.1,39.0],[116.1,39.1],[116.0,39.1],[116.0,39.0]]]}},
{"type":"Feature","properties":{"code":110105026},"geometry":{"type":"Polygon","coordinates":[[[116.1,39.0],[116.2,39.0],[116.2,39.1],[116.1,39.1],[116.1,39.0]]]}}
]})";

TEST(PolicyFiles, LoadFileReadsNamedFilesNextToThePolicy) {
  TempDir dir;
  dir.write("cal/cn.textproto", slurp(repo_path("lib/data/china-calendar.textproto")));
  dir.write("cells.geojson", kTwoCells);
  SmallPolicy sp;
  sp.calendar = "calendar_file: \"cal/cn.textproto\"\nareas_file: \"cells.geojson\"\n";
  std::string path = dir.write("policy.textproto", sp.text());
  absl::StatusOr<PolicyPtr> p = Policy::load_file(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->calendar().name(), "china");
  ASSERT_NE((*p)->areas(), nullptr);
  EXPECT_EQ((*p)->areas()->size(), 2u);
  EXPECT_EQ((*p)->areas()->street_at(39.05, 116.15), kStreet2);
  // The area is used where the request gives only a point.
  Req r;
  r.where("", "").point(39.05, 116.05);
  core::Area a = (*p)->resolve_area(r.intake());
  EXPECT_EQ(a.street, kStreet);
  EXPECT_EQ(a.district, kDistrict);
  EXPECT_TRUE(a.street_from_point);
}

TEST(PolicyFiles, AnUnreadableCalendarFileIsAProblemAtItsLine) {
  TempDir dir;
  SmallPolicy sp;
  sp.calendar = "calendar_file: \"missing.textproto\"\n";
  std::string path = dir.write("policy.textproto", sp.text());
  absl::StatusOr<PolicyPtr> p = Policy::load_file(path);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(problems(p.status()),
              ElementsAre(absl::StrCat(path,
                                       ":3: calendar_file \"missing.textproto\" cannot be read: "
                                       "cannot open ",
                                       dir.path(), "/missing.textproto")));
  // A directory is not a readable calendar either.
  dir.write("sub/x.txt", "");
  sp.calendar = "calendar_file: \"sub\"\n";
  std::string path2 = dir.write("policy2.textproto", sp.text());
  p = Policy::load_file(path2);
  EXPECT_FALSE(p.ok()) << "a directory read as a calendar";
}

TEST(PolicyFiles, ProblemsInANamedFileAreReportedInThatFile) {
  TempDir dir;
  dir.write("cal.textproto", "name: \"x\"\nfirst_year: 20x9\n");
  dir.write("cells.geojson",
            R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":110105},"geometry":{"type":"Polygon","coordinates":[[[116.0,39.0],[116.1,39.0],[116.1,39.1],[116.0,39.1],[116.0,39.0]]]}}
]})");
  SmallPolicy sp;
  sp.calendar = "calendar_file: \"cal.textproto\"\nareas_file: \"cells.geojson\"\n";
  std::string path = dir.write("policy.textproto", sp.text());
  absl::StatusOr<PolicyPtr> p = Policy::load_file(path);
  ASSERT_FALSE(p.ok());
  std::vector<std::string> found = problems(p.status());
  EXPECT_THAT(found, ::testing::Contains(StartsWith("cal.textproto:2: column 15: ")));
  EXPECT_THAT(found, ::testing::Contains(at_line(path, 4,
                                                 "cells.geojson has an area for 110105, "
                                                 "which is not a street unit of this "
                                                 "policy")));
  EXPECT_THAT(found, ::testing::Each(
                         ::testing::AnyOf(StartsWith("cal.textproto:"), StartsWith(path + ":"))));
}

TEST(PolicyFiles, AMissingPolicyFileIsNotFound) {
  absl::StatusOr<PolicyPtr> p = Policy::load_file("/nonexistent/jszb/policy.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jszb::testing
