// simulation.h: the driver. It submits every request and applies every step of
// every case's script in global time order (a min-heap by time, ties broken by
// a sequence number). Before each step it advances the engine's clock to the
// step's time, so that the policy's deadline warnings, breaches, supervision
// and automatic returns happen when they fall. It stops at the end of the
// simulated days and advances the clock to that instant.
//
// The engine acts on its own, and the driver copes with it:
//  - An order the engine returned to the centre (not signed for in time) is
//    dispatched again by the centre (dispatch_routed) after a few minutes. If
//    it goes to the unit the script expected, the rest of the script goes on:
//    the step that waited (the unit signs promptly now) and the later ones,
//    moved later if need be; if it goes elsewhere (the first unit had passed
//    it on by 改派), the rest is written anew for the unit the engine chose.
//  - A step due while its case waits for that re-dispatch waits with it.
//  - A command the engine refuses because a timer moved the case on inside the
//    same call is treated the same way; any other refusal is a generator bug.
#ifndef JSZB_EXAMPLES_DEMO_SIMULATION_H
#define JSZB_EXAMPLES_DEMO_SIMULATION_H

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jszb/jszb.hpp"
#include "workload.h"

namespace demo {

// The engine refused a command the generator produced, or routed a request
// otherwise than the generator planted it: a bug in the generator.
class GeneratorBug : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SimulationStats {
  std::uint64_t submissions = 0;
  std::uint64_t commands = 0;           // commands applied, routed dispatches included
  std::uint64_t routed = 0;             // dispatch_routed calls
  std::uint64_t auto_returns = 0;       // orders the engine returned to the centre
  std::uint64_t redispatches = 0;       // ... and the centre dispatched again
  std::uint64_t scripts_moved = 0;      // ... to the expected unit: the rest of the script went on
  std::uint64_t scripts_rewritten = 0;  // ... to another unit: the rest was written anew
  std::uint64_t steps_waited = 0;       // steps that came due while their case waited
  std::uint64_t refusals_moved_on = 0;  // commands refused because a timer moved the case on
  std::uint64_t cases_unfinished = 0;   // cases with script steps due after the end
  std::uint64_t steps_after_end = 0;    // those steps, not applied
  std::uint64_t awaiting_redispatch = 0;  // cases returned to the centre, not yet re-dispatched
  std::uint64_t carried_returns = 0;      // orders of earlier runs (a continued store) returned
};

class Simulation {
 public:
  // Called when simulated time reaches cut k (0-based) of those given to
  // run(), after every step before that instant (and the engine's clock
  // advanced to just before it) and before any step at or after it.
  using Cut = std::function<void(int k)>;

  Simulation(jszb::Engine& engine, const Workload& workload);

  // Runs to workload.end(), calling on_cut at each of `cuts` (ascending, the
  // last one workload.end(): e.g. the ends of the bulletins' periods). Throws
  // GeneratorBug when the engine refuses a step.
  SimulationStats run(const std::vector<Ms>& cuts, const Cut& on_cut);

  // The case id of request i (0 if not submitted).
  jszb::CaseId case_of(std::size_t i) const { return case_ids_[i]; }

 private:
  // A case's script as the simulation works through it.
  struct Run {
    std::vector<Step> script;
    std::uint32_t next = 0;  // the first step not applied
    std::uint32_t gen = 0;   // heap entries of an older generation are stale
    int cycle = 0;           // re-dispatches after automatic returns so far
    bool returned = false;   // back at the centre, waiting to be dispatched again
  };
  // One thing due: request `request`'s submission, its next script step, or the
  // centre's re-dispatch after an automatic return.
  enum class What : std::uint8_t { kSubmit, kStep, kRedispatch };
  struct Due {
    Ms time;
    std::uint64_t seq;  // order of scheduling: breaks ties, so the order is total
    std::uint32_t request;
    std::uint32_t gen;
    What what;
  };
  void push(Ms time, std::uint32_t request, What what);
  const Due& top() const { return heap_.front(); }
  Due pop();

  // Schedules the case's next step (if any) under its current generation.
  void schedule(std::uint32_t request, Ms not_before);
  // Takes the automatic returns the listener saw up to `now` and schedules the
  // centre's re-dispatches; returns the earliest one scheduled (or INT64_MAX).
  Ms take_returns(Ms now);
  void apply_step(std::uint32_t request, Ms time);
  void redispatch(std::uint32_t request, Ms time);
  // After a routed dispatch: the rest of the script for the unit the engine chose.
  void after_routed(std::uint32_t request, Ms time);
  // The rest of the script for the dispatch the engine made, as the case shows it.
  void rewrite_script(std::uint32_t request, const jszb_case_info& info, Ms time);

  jszb::Engine& engine_;
  const Workload& workload_;
  std::vector<jszb::CaseId> case_ids_;
  std::unordered_map<jszb::CaseId, std::uint32_t> request_of_;
  std::vector<Run> runs_;
  std::vector<std::pair<jszb::CaseId, Ms>> returned_;  // seen by the listener, not yet taken
  std::vector<Due> heap_;                              // a min-heap by (time, seq)
  jszb::CaseId carried_max_id_ = 0;                    // cases up to this id come from earlier runs
  std::uint64_t seq_ = 0;
  SimulationStats stats_;
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_SIMULATION_H
