// tally.h: counts what the engine reports, as it happens. A listener on the
// engine sees every event (submissions and the engine's own timer events
// included) and tallies it by bulletin period (日报, noon to noon), by unit, by
// timed step and by the dispatch catalogue's rule.
//
// A deadline event is put down to the unit that owned the step when it fired:
// the case's lead unit for signing, first contact, the reply and co-handlers'
// reports, the centre for dispatching and the return visit.
#ifndef JSZB_EXAMPLES_DEMO_TALLY_H
#define JSZB_EXAMPLES_DEMO_TALLY_H

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "china_time.h"
#include "jszb/jszb.hpp"

namespace demo {

inline constexpr int kEventTypes = jszb::kLastEventType + 1;    // event types are 1..kLastEventType
inline constexpr int kStepSlots = JSZB_STEP_APPEAL_REVIEW + 1;  // steps are 1..7

// What the policy's clocks did.
struct ClockTally {
  int warnings = 0;             // deadline warnings (80% of the time used)
  int breaches = 0;             // deadlines passed
  int supervised_district = 0;  // the ladder: the district supervises (督办)
  int supervised_city = 0;      // the ladder: the city supervises
  int auto_returned = 0;        // not signed for in time: back to the centre
};

// What happened in one bulletin's period.
struct BulletinTally {
  int received = 0;
  std::map<std::string, int> by_category;  // level 1, of the requests received
  std::array<int, kEventTypes> events{};   // by jszb_event_type
  ClockTally clocks;
  int redispatched = 0;  // dispatched again after an automatic return
};

struct UnitTally {
  int orders = 0;  // cases it was made the lead of (a re-dispatch to it again not counted)
  ClockTally clocks;
};

struct StepTally {
  int warnings = 0;
  int breaches = 0;
  int ladder = 0;  // later levels of the escalation ladder
};

// The decisions of one rule of the dispatch catalogue (routed dispatches).
struct RuleTally {
  int decisions = 0;
  int redispatches = 0;  // of which after an automatic return
  int outcome = 0;       // jszb_route_outcome of its (first) decision
  int reason = 0;        // not dispatched: jszb_not_dispatched_reason
  std::set<UnitId> leads;
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
  // Bulletin k covers [edges[k], edges[k + 1]); edges ascend.
  Tally(jszb::Engine& engine, std::vector<Ms> edges);

  const BulletinTally& bulletin(int k) const { return bulletins_[static_cast<std::size_t>(k)]; }
  int events(jszb::EventType t) const { return total_[static_cast<std::size_t>(t)]; }
  std::uint64_t event_count() const { return event_count_; }
  const VisitTally& visits() const { return visits_; }
  const ClockTally& clocks() const { return clocks_; }
  // By unit code; the centre's steps under kCentre.
  const std::map<UnitId, UnitTally>& units() const { return units_; }
  const StepTally& step(int s) const { return steps_[static_cast<std::size_t>(s)]; }
  const std::map<std::string, RuleTally>& rules() const { return rules_; }
  // The rule that decided the case's first routed dispatch; nullptr if none.
  const std::string* first_rule(jszb::CaseId id) const;
  // The first case the engine returned unsigned, and the first the ladder had
  // supervised (0: none), to look at with --case.
  jszb::CaseId first_auto_returned() const { return first_auto_returned_; }
  jszb::CaseId first_supervised() const { return first_supervised_; }

 private:
  struct CaseTrack {
    UnitId lead = 0;
    std::vector<UnitId> leads;  // every unit made its lead so far
    bool returned = false;      // automatically returned, not dispatched since
    const std::string* first_rule = nullptr;
  };
  void on_event(const jszb_event& e);
  void on_timer(const jszb_event& e, CaseTrack& c, BulletinTally* period);

  std::vector<Ms> edges_;
  std::vector<BulletinTally> bulletins_;
  std::array<int, kEventTypes> total_{};
  std::uint64_t event_count_ = 0;
  VisitTally visits_;
  ClockTally clocks_;
  std::map<UnitId, UnitTally> units_;
  std::array<StepTally, kStepSlots> steps_{};
  std::map<std::string, RuleTally> rules_;
  std::unordered_map<jszb::CaseId, CaseTrack> cases_;
  jszb::CaseId first_auto_returned_ = 0;
  jszb::CaseId first_supervised_ = 0;
};

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_TALLY_H
