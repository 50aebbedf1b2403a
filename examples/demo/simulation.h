// simulation.h: the driver. It submits every request and applies every step of
// every case's script in global time order (a min-heap by time, ties broken by
// a sequence number), and stops at the end of the simulated days.
#ifndef JSZB_EXAMPLES_DEMO_SIMULATION_H
#define JSZB_EXAMPLES_DEMO_SIMULATION_H

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "jszb/jszb.hpp"
#include "workload.h"

namespace demo {

// The engine refused a command the generator produced: a bug in the generator.
class GeneratorBug : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SimulationStats {
  std::uint64_t submissions = 0;
  std::uint64_t commands = 0;       // commands applied (submissions not counted)
  std::uint64_t cases_unfinished = 0;  // cases with script steps due after the end
  std::uint64_t steps_after_end = 0;   // those steps, not applied
};

class Simulation {
 public:
  // Called when simulated time reaches the end of day `day` (0-based), after
  // every step before that instant and before any step at or after it.
  using DayEnd = std::function<void(int day)>;

  Simulation(jszb::Engine& engine, const Workload& workload);

  // Runs to workload.end(). Throws GeneratorBug when the engine refuses a step.
  SimulationStats run(const DayEnd& on_day_end);

  // The case id of request i (0 if not submitted).
  jszb::CaseId case_of(std::size_t i) const { return case_ids_[i]; }

 private:
  jszb::Engine& engine_;
  const Workload& workload_;
  std::vector<jszb::CaseId> case_ids_;
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_SIMULATION_H
