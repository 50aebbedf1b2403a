// bulletin.h: the daily bulletins (日报) and the monthly analysis (月分析).
//
// Beijing's daily bulletin runs noon to noon, China time, and is named by the
// day its period ends at noon (DOMAIN.md; jszb_bulletin_day). The simulated
// days run midnight to midnight, so the first bulletin (00:00 to 12:00 of the
// first day) and the last (12:00 of the last day to the midnight that ends the
// simulation) are half-days, and say so.
//
// The monthly analysis is the library's report (jszb_engine_report) for the
// assessment month (the 19th to the 18th) that holds the simulation's first
// day, read back from its CSV; it says which of the month's days the run
// simulated.
#ifndef JSZB_EXAMPLES_DEMO_BULLETIN_H
#define JSZB_EXAMPLES_DEMO_BULLETIN_H

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "china_time.h"
#include "jszb/jszb.hpp"
#include "tally.h"
#include "workload.h"

namespace demo {

// One bulletin's period: [from, until), named by `noon`, the noon its full
// period ends at. partial: cut short by the simulation's start or end.
struct BulletinPeriod {
  Ms from = 0;
  Ms until = 0;
  Ms noon = 0;
  bool partial = false;
};

// The bulletins of the simulated time [start, end), in order, covering it.
std::vector<BulletinPeriod> bulletin_periods(Ms start, Ms end);

void print_bulletin(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                    const Tally& tally, const std::vector<BulletinPeriod>& periods, int k);

void print_month(std::ostream& out, const Workload& workload, jszb::Engine& engine);

// A row of a street ranking as printed: rank, street, visits, the response,
// resolution and satisfaction rates, the composite (7 cells).
using RankingRow = std::vector<std::string>;
// The best `top` rows, a rule, then the lowest three (the streets called in).
void print_ranking(std::ostream& out, const std::vector<RankingRow>& rows, std::size_t top);

// Case counts by state (index: jszb_state), from the engine.
std::array<long long, JSZB_STATE_COUNT + 1> states_now(const jszb::Engine& engine);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_BULLETIN_H
