// workload.h: a seeded generator of a workload shaped like Chaoyang district's
// week of 2021-09-19 (17,205 requests with the published level-1 category
// counts), and, for each request, the script of commands that takes its case
// through the lifecycle (case_script.cc).
//
// A script comes in two parts. triage() is what the centre does with the
// request: answer it on the spot, refuse it (Art. 11), or have the engine
// route it by the policy's dispatch catalogue (dispatch_routed). Once the
// engine has dispatched it, after_dispatch() writes the rest for the unit the
// engine chose: sign, contact, whistle, extension, reply, return visit, close.
//
// Everything is a pure function of (catalogue, seed, days) and of what the
// engine decided: request i's intake and script come from generators seeded by
// (seed, i), so the same seed gives the same workload whatever order the
// simulation asks in.
#ifndef JSZB_EXAMPLES_DEMO_WORKLOAD_H
#define JSZB_EXAMPLES_DEMO_WORKLOAD_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "catalogue.h"
#include "china_time.h"
#include "jszb/jszb.hpp"

namespace demo {

// A group request (群体诉求): one matter reported many times, in different words,
// mostly from one street, some under a second category. The label is the
// generator's own: finding the matter again is the library's job.
struct Matter {
  const char* label;     // as a bulletin would name it
  const char* category;  // level 1
  const char* level2;
  const char* level3;
  const char* street;  // where most reports come from
  const char* place;   // the estate, company or site, as an operator records it
  const char* site;    // what an operator may write before it ("酒仙桥路10号"), or ""
  int reports;         // in the week
  int first_day;       // reports arrive in days [first_day, last_day) of the week
  int last_day;
  std::vector<const char*> phrases;  // the different words people use
  // A second category some reports are filed under (level 1, 2, 3), or none.
  const char* other_category = nullptr;
  const char* other_level2 = nullptr;
  const char* other_level3 = nullptr;
};

// Where a request says it is.
enum class Where : std::uint8_t {
  kNames,         // district and street by name (most requests)
  kDistrictOnly,  // "朝阳区", no street: the district coordinates (by department: unless one
                  // takes it)
  kPointOnly,     // a map pin (online channels): the engine finds the street from the point
};

// Words planted in a request's content that the policy's catalogue acts on.
enum class Planted : std::uint8_t {
  kNone,
  kEmergency,     // "着火", "有人受伤", ...: the "emergency" rule, not dispatched
  kLegalChannel,  // "已起诉", "仲裁中", ...: the "legal-channel" rule, not dispatched
};

// What is fixed about request i when the workload is made.
struct Arrival {
  Ms time = 0;
  std::uint16_t category = 0;  // index into Catalogue::categories()
  std::uint16_t leaf = 0;      // index into that category's leaves
  std::uint16_t street = 0;    // index into Catalogue::streets()
  jszb::Kind kind = jszb::Kind::kConsultation;
  jszb::Channel channel = jszb::Channel::kPhone;
  jszb::Urgency urgency = jszb::Urgency::kNormal;
  std::int16_t matter = -1;          // index into matters(), -1: none
  std::int32_t duplicate_of = -1;    // an earlier request on the same matter, nothing new
  std::uint32_t operator_staff = 0;  // the operator on the call (or who answers it online)
  Where where = Where::kNames;
  Planted planted = Planted::kNone;
};

// One step of a case's script. kCommand: command as it stands (case_id is left
// 0, the simulation knows the case; other_request, when >= 0, names the request
// whose case goes into command.other_case). kDispatchRouted: the centre has the
// engine route and dispatch the case (Engine::dispatch_routed) at command.time
// as command.actor.
struct Step {
  enum class Op : std::uint8_t { kCommand, kDispatchRouted };
  Op op = Op::kCommand;
  jszb::Command command;
  std::int32_t other_request = -1;
  UnitId lead = 0;  // the lead unit the script expects when the step comes (0: none yet)
};

// A dispatch as the engine made it (read from the case): what after_dispatch()
// writes the rest of the script for.
struct Dispatch {
  Ms time = 0;
  UnitId lead = 0;
  jszb::DispatchMode mode = jszb::DispatchMode::kDirect;
  std::vector<UnitId> co_handlers;  // named with the dispatch, still to report
  int cycle = 0;                    // 0: the first dispatch; n: after the n-th automatic return
};

class Workload {
 public:
  static constexpr std::uint64_t kDefaultSeed = 20210919;
  static constexpr int kWeekTotal = 17205;

  // week: 0 for the week of 2021-09-19, n for the n-th week after it (a
  // store continued by another run).
  Workload(const Catalogue& catalogue, std::uint64_t seed, int days, int week = 0);

  const Catalogue& catalogue() const { return *catalogue_; }
  std::uint64_t seed() const { return seed_; }
  int days() const { return days_; }
  int week() const { return week_; }
  Ms start() const { return kWeekStart + week_ * 7 * kDay; }
  Ms end() const { return start() + days_ * kDay; }

  // Requests in arrival order (ties: index order).
  std::size_t size() const { return arrivals_.size(); }
  const Arrival& arrival(std::size_t i) const { return arrivals_[i]; }
  const std::vector<Matter>& matters() const { return matters_; }

  // The intake of request i.
  jszb::Request request(std::size_t i) const;
  // The community (居委会/村委会) request i names, nullptr for none: a request
  // that names its street names one of the street's communities, larger
  // estates more often; the reports of a planted matter in one street come
  // from one estate. Drawn apart from the other streams, so naming it changes
  // nothing else of the week.
  const Community* community_of(std::size_t i) const;
  // The centre's steps after submission, in time order, ending with a routed
  // dispatch unless the centre settles the request itself (case_script.cc).
  std::vector<Step> triage(std::size_t i) const;
  // The steps after the engine dispatched the case as `d` says, in time order.
  std::vector<Step> after_dispatch(std::size_t i, const Dispatch& d) const;
  // After the engine returned request i's order to the centre for the
  // `cycle`-th time: how long the centre takes to dispatch it again, and then
  // how long until the script goes on (a unit that was late signs promptly now).
  Ms centre_reaction(std::size_t i, int cycle) const;
  Ms resume_delay(std::size_t i, int cycle, bool by_unit) const;

 private:
  const Catalogue* catalogue_;
  std::uint64_t seed_;
  int days_;
  int week_;
  std::vector<Matter> matters_;
  std::vector<Arrival> arrivals_;
};

// Staff numbers of the centre (12345 朝阳分中心).
inline jszb::Actor centre_operator(std::uint32_t staff) {
  return {jszb::Role::kOperator, kCentre, staff};
}
inline jszb::Actor centre_dispatcher(std::uint32_t staff) {
  return {jszb::Role::kDispatcher, kCentre, staff};
}
inline jszb::Actor unit_actor(UnitId unit) { return {jszb::Role::kUnit, unit, 0}; }

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_WORKLOAD_H
