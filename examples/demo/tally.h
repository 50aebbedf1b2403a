// tally.h: counts what the engine reports, as it happens. A listener on the
// engine sees every event (submissions included) and tallies it by day.
#ifndef JSZB_EXAMPLES_DEMO_TALLY_H
#define JSZB_EXAMPLES_DEMO_TALLY_H

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "china_time.h"
#include "jszb/jszb.hpp"

namespace demo {

inline constexpr int kEventTypes = JSZB_EVENT_MERGED + 1;  // event types are 1..24

struct DayTally {
  int received = 0;
  std::map<std::string, int> by_category;  // level 1, of the requests received
  std::array<int, kEventTypes> events{};   // by jszb_event_type
};

struct VisitTally {
  int valid = 0;
  int no_valid_visit = 0;
  int contacted = 0;
  int solved = 0;
  std::array<int, 4> satisfaction{};  // by jszb_satisfaction
};

class Tally {
 public:
  // Registers itself on the engine; the engine must outlive this object's use.
  Tally(jszb::Engine& engine, Ms start, int days);

  const DayTally& day(int d) const { return days_[static_cast<std::size_t>(d)]; }
  int events(jszb::EventType t) const { return total_[static_cast<std::size_t>(t)]; }
  std::uint64_t event_count() const { return event_count_; }
  const VisitTally& visits() const { return visits_; }

 private:
  void on_event(const jszb_event& e);

  Ms start_;
  std::vector<DayTally> days_;
  std::array<int, kEventTypes> total_{};
  std::uint64_t event_count_ = 0;
  VisitTally visits_;
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_TALLY_H
