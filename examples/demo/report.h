// report.h: the weekly summary (周汇总), the group requests and one case's
// history (the daily bulletins are in bulletin.h). The volumes, rates, ranking
// and groups come from the library's report of the week (the one the HTML page
// shows); case states and what each case holds from the engine (list_cases,
// get_case); event counts from the Tally listener; group-request labels from
// the generator.
#ifndef JSZB_EXAMPLES_DEMO_REPORT_H
#define JSZB_EXAMPLES_DEMO_REPORT_H

#include <ostream>

#include "jszb/jszb.hpp"
#include "report_csv.h"
#include "simulation.h"
#include "tally.h"
#include "workload.h"

namespace demo {

// `report`: the library's report of the week, the one the HTML page shows
// (read back from its CSV): the volumes, the rates and the ranking come from it.
void print_week(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                const Tally& tally, const SimulationStats& stats, const CsvReport& report);

// The request groups of the week's report (the library's), each scored against
// the generator's labels.
void print_groups(std::ostream& out, const Workload& workload, const CsvReport& report,
                  const Simulation& sim);

// One case's history, event by event, and its deadlines at the end.
void print_case(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                jszb::CaseId id);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_REPORT_H
