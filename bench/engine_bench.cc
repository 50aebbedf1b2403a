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

#include "engine/engine.h"
#include "lifecycle/lifecycle.h"
#include "lifecycle_mix.h"
#include "mix_commands.h"
#include "policy/policy.h"

namespace jszb::bench {
namespace {

using core::Command;
using core::Engine;

// Resident memory of the process, in bytes (Linux).
double resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages_total = 0, pages_resident = 0;
  int n = std::fscanf(f, "%ld %ld", &pages_total, &pages_resident);
  std::fclose(f);
  return n == 2 ? static_cast<double>(pages_resident) * 4096.0 : 0;
}

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
  state.counters["arena_per_case"] =
      index ? static_cast<double>(engine.arena().bytes_used()) / static_cast<double>(index) : 0;
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
