// report.h: the weekly summary (周汇总), the group requests and one case's
// history (the daily bulletins are in bulletin.h). Case states
// and what each case holds come from the engine (list_cases, get_case); event
// counts from the Tally listener; group-request labels from the generator.
#ifndef JSZB_EXAMPLES_DEMO_REPORT_H
#define JSZB_EXAMPLES_DEMO_REPORT_H

#include <ostream>

#include "jszb/jszb.hpp"
#include "simulation.h"
#include "tally.h"
#include "workload.h"

namespace demo {

void print_week(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                const Tally& tally, const SimulationStats& stats);

// The request groups the library finds in the week (jszb_engine_request_groups),
// each scored against the generator's labels.
void print_groups(std::ostream& out, const Workload& workload, jszb::Engine& engine,
                  const Simulation& sim);

// One case's history, event by event, and its deadlines at the end.
void print_case(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                jszb::CaseId id);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_REPORT_H
