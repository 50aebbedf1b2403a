// Throughput of the lifecycle: the bare MSM transition table, and the full
// in-memory engine (validation, decision, event, store, projection) on the
// issue's per-case mix, without and with a policy's deadlines. The same mix
// through the C ABI is in capi_bench.cc (a program links either the engine or
// libjszb, not both).
#include <benchmark/benchmark.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <vector>

#include "engine.h"
#include "lifecycle.h"
#include "lifecycle_mix.h"
#include "policy.h"

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

void run_mix(benchmark::State& state, Engine& engine, double resident_before) {
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
  state.counters["timers_pending"] = static_cast<double>(engine.timers_pending());
}

void BM_EngineLifecycleMix(benchmark::State& state) {
  double resident_before = resident_bytes();
  Engine engine;
  run_mix(state, engine, resident_before);
}
BENCHMARK(BM_EngineLifecycleMix);

// The same mix with the default Beijing policy: every event plans its
// deadlines (calendar arithmetic included) and re-arms the case's timer.
void BM_EngineLifecycleMixDeadlines(benchmark::State& state) {
  double resident_before = resident_bytes();
  Engine engine;
  if (!engine.load_policy(core::Policy::beijing()).ok()) {
    state.SkipWithError("the default policy did not load");
    return;
  }
  run_mix(state, engine, resident_before);
}
BENCHMARK(BM_EngineLifecycleMixDeadlines);


}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
