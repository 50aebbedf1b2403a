// Routing decisions per second with a dispatch catalogue of 5,000 rules over
// 343 streets: for each street, rules for its own categories; for each
// district, rules for district-wide categories; a few city-wide rules.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "base/embedded_files.h"
#include "google/protobuf/text_format.h"
#include "policy/policy.h"
#include "policy/router.h"

namespace jszb::bench {
namespace {

using core::Policy;

const char* const kLevel1[] = {"市场管理", "住房",     "教育",           "城乡建设", "公共安全",
                               "物业管理", "交通管理", "劳动和社会保障", "环境保护", "城市管理",
                               "卫生健康", "公共服务", "社会秩序",       "民政"};

// The default policy's units and calendar with a generated catalogue.
std::shared_ptr<const Policy> policy_with_5000_rules(std::vector<UnitId>* streets) {
  v1::Policy msg = Policy::beijing()->message();
  msg.clear_dispatch_rules();
  msg.set_version(99);
  std::vector<std::pair<UnitId, UnitId>> street_district;
  std::vector<UnitId> districts;
  for (const v1::Unit& u : msg.units()) {
    if (u.unit_class() == v1::UNIT_CLASS_STREET && street_district.size() < 343) {
      street_district.emplace_back(u.code(), u.district());
    }
    if (u.unit_class() == v1::UNIT_CLASS_DISTRICT) districts.push_back(u.code());
  }
  int n = 0;
  auto add = [&msg, &n](int priority) {
    v1::DispatchRule* r = msg.add_dispatch_rules();
    r->set_id("r" + std::to_string(n++));
    r->set_priority(priority);
    return r;
  };
  for (const auto& [street, district] : street_district) {  // 343 x 14 = 4,802
    streets->push_back(street);
    for (const char* l1 : kLevel1) {
      v1::DispatchRule* r = add(500);
      r->mutable_match()->add_streets(street);
      r->mutable_match()->add_categories()->add_levels(l1);
      r->mutable_dispatch()->set_street_of_request(true);
      r->mutable_dispatch()->set_copy_to_district(true);
    }
  }
  for (UnitId d : districts) {  // 16 x 12 = 192
    for (int i = 0; i < 12; ++i) {
      v1::DispatchRule* r = add(300);
      r->mutable_match()->add_districts(d);
      r->mutable_match()->add_categories()->add_levels(kLevel1[i]);
      r->mutable_match()->add_categories()->add_levels("其他" + std::to_string(i));
      r->mutable_dispatch()->set_unit(d * 1000 + 901);
    }
  }
  while (n < 4998) {  // city-wide
    v1::DispatchRule* r = add(1000 + n);
    r->mutable_match()->add_keywords("关键词" + std::to_string(n));
    r->mutable_not_dispatched()->set_reason(v1::NOT_DISPATCHED_REASON_EMERGENCY);
  }
  add(100)->mutable_match()->set_needs_street(true);
  msg.mutable_dispatch_rules(n - 1)->mutable_dispatch()->set_street_of_request(true);
  add(50)->mutable_match()->set_needs_district(true);
  msg.mutable_dispatch_rules(n - 1)->mutable_district_coordinates();

  std::string text;
  google::protobuf::TextFormat::PrintToString(msg, &text);
  auto read = [](const std::string& name) -> absl::StatusOr<std::string> {
    return std::string(*core::embedded_file(name));
  };
  absl::StatusOr<std::shared_ptr<const Policy>> p = Policy::load("bench-5000", text, read);
  return p.ok() ? *p : nullptr;
}

void BM_Route5000Rules(benchmark::State& state) {
  std::vector<UnitId> streets;
  std::shared_ptr<const Policy> policy = policy_with_5000_rules(&streets);
  if (policy == nullptr || policy->catalogue().size() != 5000) {
    state.SkipWithError("the generated policy did not load with 5,000 rules");
    return;
  }
  // Requests on every street, every category, by street name.
  std::vector<core::Intake> intakes;
  for (std::size_t i = 0; i < streets.size(); ++i) {
    const core::UnitInfo* s = policy->unit(streets[i]);
    const core::UnitInfo* d = policy->unit(s->district);
    core::Intake in;
    in.kind = Kind::kComplaint;
    in.channel = Channel::kPhone;
    in.urgency = Urgency::kNormal;
    in.category = {kLevel1[i % 14], "二级", "三级"};
    in.location.district = d->name;
    in.location.street = s->name;
    in.content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
    intakes.push_back(in);
  }
  std::vector<core::Case> cases(intakes.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].id = i + 1;
    cases[i].intake = &intakes[i];
  }
  std::size_t i = 0;
  std::int64_t routed_to_street = 0;
  for (auto _ : state) {
    absl::StatusOr<core::RouteDecision> d = core::route_by_catalogue(*policy, cases[i]);
    if (d.ok() && d->lead == streets[i]) ++routed_to_street;
    if (++i == cases.size()) i = 0;
  }
  if (routed_to_street != static_cast<std::int64_t>(state.iterations())) {
    state.SkipWithError("a request was not routed to its street");
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["rules"] = static_cast<double>(policy->catalogue().size());
}
BENCHMARK(BM_Route5000Rules);

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
