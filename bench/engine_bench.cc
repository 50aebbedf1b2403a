// Throughput of the lifecycle: the bare MSM transition table, and the full
// in-memory engine (validation, decision, event, store, projection) on the
// issue's per-case mix, in C++ and through the C ABI.
#include <benchmark/benchmark.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <vector>

#include "engine.h"
#include "jszb/jszb.h"
#include "lifecycle.h"
#include "lifecycle_mix.h"

namespace jszb::bench {
namespace {

using core::Command;
using core::Engine;

constexpr TimeMs kT0 = 1632009600000;
constexpr TimeMs kMinute = 60000;
constexpr UnitId kStreet = 110105007;
constexpr UnitId kStreet2 = 110105026;
constexpr UnitId kDistrict = 110105;
const UnitId kCopyTo[] = {kDistrict};

// Resident memory of the process, in bytes (Linux).
double resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages_total = 0, pages_resident = 0;
  int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return n == 2 ? static_cast<double>(pages_resident) * 4096.0 : 0;
}

Actor dispatcher() { return {Role::kDispatcher, 0, 2001}; }
Actor op() { return {Role::kOperator, 0, 1001}; }
Actor unit(UnitId u) { return {Role::kUnit, u, 0}; }

// The bare table: decide() on cases standing in the states the mix visits.
void BM_MsmDispatch(benchmark::State& state) {
  core::Lifecycle lifecycle;
  struct Step {
    core::Case c;
    Command cmd;
  };
  std::vector<Step> steps;
  auto add = [&steps](State s, CommandKind k, Actor a) {
    Step step;
    step.c.id = 1;
    step.c.state = s;
    step.c.lead_unit = kStreet;
    step.cmd.kind = k;
    step.cmd.case_id = 1;
    step.cmd.actor = a;
    steps.push_back(step);
  };
  add(State::kReceived, CommandKind::kDispatch, dispatcher());
  add(State::kDispatched, CommandKind::kRequestReturn, unit(kStreet));
  add(State::kReturnRequested, CommandKind::kApproveReturn, dispatcher());
  add(State::kDispatched, CommandKind::kSign, unit(kStreet));
  add(State::kHandling, CommandKind::kRequestExtension, unit(kStreet));
  add(State::kExtensionRequested, CommandKind::kApproveExtension, dispatcher());
  add(State::kHandling, CommandKind::kReply, unit(kStreet));
  add(State::kReplied, CommandKind::kVisit, op());
  add(State::kVisited, CommandKind::kRedo, op());
  add(State::kVisited, CommandKind::kClose, op());
  add(State::kDispatched, CommandKind::kReply, unit(kStreet));  // refused: no row
  add(State::kDispatched, CommandKind::kSign, unit(kStreet2));  // refused: not the owner
  std::size_t i = 0;
  for (auto _ : state) {
    const Step& s = steps[i];
    benchmark::DoNotOptimize(lifecycle.decide(s.c, s.cmd));
    if (++i == steps.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MsmDispatch);

// Prepared commands, reused for every case: the loop allocates nothing itself.
struct MixCommands {
  core::Intake intake;
  Command dispatch, request_return, approve_return, sign, request_extension, approve_extension,
      reply, visit_unsatisfied, redo, visit_satisfied, close;

  MixCommands() {
    intake.actor = op();
    intake.channel = Channel::kPhone;
    intake.kind = Kind::kComplaint;
    intake.category = {"城乡建设", "施工管理", "夜间施工扰民"};
    intake.urgency = Urgency::kNormal;
    intake.location.district = "朝阳区";
    intake.location.street = "和平街街道";
    intake.location.address = "和平东街12号院";
    intake.content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
    intake.contact.name = "王女士";
    intake.contact.phone = "13800000000";

    dispatch = make(CommandKind::kDispatch, dispatcher());
    dispatch.payload.unit = kStreet;
    dispatch.payload.copy_to = {kCopyTo, 1};
    request_return = make(CommandKind::kRequestReturn, unit(kStreet));
    request_return.payload.text = "不属于本街道管辖";
    approve_return = make(CommandKind::kApproveReturn, dispatcher());
    approve_return.payload.unit = kStreet2;
    approve_return.payload.copy_to = {kCopyTo, 1};
    sign = make(CommandKind::kSign, unit(kStreet));
    request_extension = make(CommandKind::kRequestExtension, unit(kStreet));
    request_extension.payload.text = "需协调产权单位";
    approve_extension = make(CommandKind::kApproveExtension, dispatcher());
    reply = make(CommandKind::kReply, unit(kStreet));
    reply.payload.contacted = true;
    reply.payload.solved = true;
    reply.payload.text = "已协调施工方调整作业时间，夜间不再施工";
    visit_unsatisfied = make(CommandKind::kVisit, op());
    visit_unsatisfied.payload.valid_visit = true;
    visit_unsatisfied.payload.contacted = true;
    visit_unsatisfied.payload.satisfaction = Satisfaction::kNotSatisfied;
    redo = make(CommandKind::kRedo, op());
    visit_satisfied = visit_unsatisfied;
    visit_satisfied.payload.solved = true;
    visit_satisfied.payload.satisfaction = Satisfaction::kSatisfied;
    close = make(CommandKind::kClose, op());
  }

  static Command make(CommandKind k, Actor a) {
    Command c;
    c.kind = k;
    c.actor = a;
    return c;
  }
};

// Runs one case through the mix; returns false if anything was refused.
bool run_case(Engine& engine, MixCommands& m, std::uint64_t index) {
  char ref[24];
  auto end = std::to_chars(ref, ref + sizeof ref, index).ptr;
  m.intake.channel_ref = std::string_view(ref, static_cast<std::size_t>(end - ref));
  TimeMs t = kT0 + static_cast<TimeMs>(index);
  m.intake.time = t;
  absl::StatusOr<core::SubmitResult> r = engine.submit(m.intake);
  if (!r.ok()) return false;
  CaseId id = r->id;
  MixShape shape = mix_shape(index);
  UnitId owner = kStreet;
  auto apply = [&](Command& c) {
    c.case_id = id;
    c.time = (t += kMinute);
    if (c.actor.role == Role::kUnit) c.actor.unit = owner;
    return engine.apply(c).ok();
  };
  bool ok = apply(m.dispatch);
  if (shape.returned) {
    ok &= apply(m.request_return) && apply(m.approve_return);
    owner = kStreet2;
  }
  ok &= apply(m.sign);
  if (shape.extended) {
    m.request_extension.payload.until = t + 30 * 24 * 60 * kMinute;
    ok &= apply(m.request_extension) && apply(m.approve_extension);
  }
  ok &= apply(m.reply);
  if (shape.unsatisfied) ok &= apply(m.visit_unsatisfied) && apply(m.redo) && apply(m.reply);
  ok &= apply(m.visit_satisfied) && apply(m.close);
  return ok;
}

void BM_EngineLifecycleMix(benchmark::State& state) {
  double resident_before = resident_bytes();
  Engine engine;
  MixCommands m;
  std::uint64_t index = 0;
  std::int64_t commands = 0;
  for (auto _ : state) {
    if (!run_case(engine, m, index)) {
      state.SkipWithError("the engine refused a command of the mix");
      break;
    }
    commands += mix_commands(mix_shape(index));
    ++index;
  }
  state.SetItemsProcessed(commands);
  state.counters["cases"] = static_cast<double>(index);
  // Memory is what an in-memory engine pays for most: fresh pages cost more
  // than the instructions that fill them.
  state.counters["rss_per_case"] =
      index ? (resident_bytes() - resident_before) / static_cast<double>(index) : 0;
}
BENCHMARK(BM_EngineLifecycleMix);

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
    TimeMs t = kT0 + static_cast<TimeMs>(index);
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
      TimeMs until = t + 30 * 24 * 60 * kMinute;
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
