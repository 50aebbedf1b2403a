// The lifecycle mix of lifecycle_mix.h through the C ABI (jszb_engine_submit,
// jszb_engine_apply): what an integrator in C or Python pays on top of the
// engine. Links libjszb only.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "jszb/jszb.h"
#include "lifecycle_mix.h"

namespace jszb::bench {
namespace {

constexpr std::int64_t kT0 = 1632009600000;
constexpr std::int64_t kMinute = 60000;
constexpr std::uint32_t kStreet = 110105007;
constexpr std::uint32_t kStreet2 = 110105026;
constexpr std::uint32_t kDistrict = 110105;
const std::uint32_t kCopyTo[] = {kDistrict};

// The same mix through the C ABI: what an integrator in C or Python pays extra.
void BM_EngineLifecycleMixCApi(benchmark::State& state) {
  jszb_engine* engine = nullptr;
  if (jszb_engine_open(nullptr, &engine) != JSZB_OK) {
    state.SkipWithError("jszb_engine_open failed");
    return;
  }
  jszb_intake in = JSZB_INTAKE_INIT;
  in.actor = {JSZB_ROLE_OPERATOR, 0, 1001};
  in.channel = JSZB_CHANNEL_PHONE;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.category[2] = "夜间施工扰民";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
  in.contact_phone = "13800000000";
  std::uint64_t index = 0;
  std::int64_t commands = 0;
  char ref[24];
  for (auto _ : state) {
    std::snprintf(ref, sizeof ref, "%llu", static_cast<unsigned long long>(index));
    in.channel_ref = ref;
    std::int64_t t = kT0 + static_cast<std::int64_t>(index);
    in.time_ms = t;
    std::uint64_t id = 0;
    bool ok = jszb_engine_submit(engine, &in, &id, nullptr) == JSZB_OK;
    MixShape shape = mix_shape(index);
    std::uint32_t owner = kStreet;
    auto apply = [&](int kind, jszb_actor actor, auto&& fill) {
      jszb_command c = JSZB_COMMAND_INIT;
      c.kind = kind;
      c.case_id = id;
      c.time_ms = (t += kMinute);
      c.actor = actor;
      fill(c.payload);
      return jszb_engine_apply(engine, &c) == JSZB_OK;
    };
    auto none = [](jszb_payload&) {};
    jszb_actor centre = {JSZB_ROLE_DISPATCHER, 0, 2001};
    jszb_actor oper = {JSZB_ROLE_OPERATOR, 0, 1001};
    auto owner_actor = [&] { return jszb_actor{JSZB_ROLE_UNIT, owner, 0}; };
    auto reply = [](jszb_payload& p) {
      p.contacted = 1;
      p.solved = 1;
      p.text = "已协调施工方调整作业时间，夜间不再施工";
    };
    ok &= apply(JSZB_CMD_DISPATCH, centre, [](jszb_payload& p) {
      p.unit = kStreet;
      p.copy_to = kCopyTo;
      p.copy_to_count = 1;
    });
    if (shape.returned) {
      ok &= apply(JSZB_CMD_REQUEST_RETURN, owner_actor(),
                  [](jszb_payload& p) { p.text = "不属于本街道管辖"; });
      ok &= apply(JSZB_CMD_APPROVE_RETURN, centre, [](jszb_payload& p) {
        p.unit = kStreet2;
        p.copy_to = kCopyTo;
        p.copy_to_count = 1;
      });
      owner = kStreet2;
    }
    ok &= apply(JSZB_CMD_SIGN, owner_actor(), none);
    if (shape.extended) {
      std::int64_t until = t + 30 * 24 * 60 * kMinute;
      ok &= apply(JSZB_CMD_REQUEST_EXTENSION, owner_actor(), [until](jszb_payload& p) {
        p.until_ms = until;
        p.text = "需协调产权单位";
      });
      ok &= apply(JSZB_CMD_APPROVE_EXTENSION, centre, none);
    }
    ok &= apply(JSZB_CMD_REPLY, owner_actor(), reply);
    auto visit = [](bool satisfied) {
      return [satisfied](jszb_payload& p) {
        p.valid_visit = 1;
        p.contacted = 1;
        p.solved = satisfied;
        p.satisfaction = satisfied ? JSZB_SATISFIED : JSZB_NOT_SATISFIED;
      };
    };
    if (shape.unsatisfied) {
      ok &= apply(JSZB_CMD_VISIT, oper, visit(false));
      ok &= apply(JSZB_CMD_REDO, oper, none);
      ok &= apply(JSZB_CMD_REPLY, owner_actor(), reply);
    }
    ok &= apply(JSZB_CMD_VISIT, oper, visit(true));
    ok &= apply(JSZB_CMD_CLOSE, oper, none);
    if (!ok) {
      state.SkipWithError(jszb_error_last()->message);
      break;
    }
    commands += mix_commands(shape);
    ++index;
  }
  state.SetItemsProcessed(commands);
  jszb_engine_close(engine);
}
BENCHMARK(BM_EngineLifecycleMixCApi);

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
