// Open311 GeoReport v2: how fast a gateway can answer. A page of 1,000
// service requests written as JSON and as XML from an in-memory engine of
// 10,000 dispatched cases (the GET a client pages through), and POST bodies
// read and submitted (form-urlencoded, each a new request).
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "engine/engine.h"
#include "interchange/open311.h"
#include "interchange/open311_submit.h"
#include "policy/policy.h"

namespace jszb::bench {
namespace {

namespace o = core::open311;
constexpr TimeMs kT0 = 1632009600000;  // 2021-09-19 08:00 China time

// 10,000 requests in 和平街街道, each dispatched to the street by the catalogue.
void fill(core::Engine& e) {
  if (!e.load_policy(core::Policy::beijing()).ok()) std::abort();
  for (int i = 0; i < 10000; ++i) {
    std::string ref = absl::StrCat("b-", i);
    core::Intake in;
    in.time = kT0 + i * 1000;
    in.actor = {Role::kOperator, 0, 1};
    in.channel = Channel::kPhone;
    in.channel_ref = ref;
    in.kind = Kind::kComplaint;
    in.category = {"城乡建设", "施工管理", "夜间施工扰民"};
    in.location.district = "朝阳区";
    in.location.street = "和平街街道";
    in.location.address = "和平东街12号楼";
    in.location.has_point = true;
    in.location.lat = 39.96 + i * 1e-6;
    in.location.lon = 116.42;
    in.content = "工地夜间施工 \"噪音\" 扰民 <22:00 以后> & 周末";
    in.contact.name = "王女士";
    in.contact.phone = "13800000000";
    auto r = e.submit(in);
    if (!r.ok() || !e.dispatch_routed(r->id, in.time + 60000, {Role::kDispatcher, 0, 2}).ok()) {
      std::abort();
    }
  }
}

void BM_Open311RequestsPage(benchmark::State& state) {
  core::Engine e;
  fill(e);
  o::Query q;
  q.limit = 1000;
  auto format = static_cast<o::Format>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> text = o::requests(e, q, format);
    if (!text.ok()) state.SkipWithError("requests failed");
    bytes = text->size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.counters["bytes_per_page"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Open311RequestsPage)->ArgName("format")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_Open311SubmitForm(benchmark::State& state) {
  core::Engine e;
  if (!e.load_policy(core::Policy::beijing()).ok()) std::abort();
  std::vector<o::Service> services = o::services(*e.policy());
  std::int64_t n = 0;
  for (auto _ : state) {
    std::string body = absl::StrCat(
        "api_key=k&service_code=%E5%85%AC%E5%85%B1%E6%9C%8D%E5%8A%A1%2F%E4%BE%9B%E6%B0%B4"
        "&lat=39.9216&long=116.4431&description=no+water+",
        n, "&first_name=%E4%B8%89&last_name=%E5%BC%A0&phone=13900000000");
    auto sub = o::parse_submission(body, o::Content::kForm, kT0 + n, services);
    if (!sub.ok() || !e.submit((*sub)->intake).ok()) state.SkipWithError("submit failed");
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Open311SubmitForm);

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
