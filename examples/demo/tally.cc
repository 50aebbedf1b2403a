#include "tally.h"

#include <algorithm>
#include <utility>

namespace demo {

Tally::Tally(jszb::Engine& engine, std::vector<Ms> edges)
    : edges_(std::move(edges)), bulletins_(edges_.empty() ? 0 : edges_.size() - 1) {
  engine.add_listener([this](const jszb_event& e) { on_event(e); });
}

const std::string* Tally::first_rule(jszb::CaseId id) const {
  auto it = cases_.find(id);
  return it == cases_.end() ? nullptr : it->second.first_rule;
}

void Tally::on_event(const jszb_event& e) {
  ++event_count_;
  if (e.type > 0 && e.type < kEventTypes) ++total_[static_cast<std::size_t>(e.type)];
  BulletinTally* day = nullptr;  // the bulletin whose period holds the event
  auto after = std::upper_bound(edges_.begin(), edges_.end(), e.time_ms);
  if (after != edges_.begin() && after != edges_.end()) {
    day = &bulletins_[static_cast<std::size_t>(after - edges_.begin() - 1)];
    if (e.type > 0 && e.type < kEventTypes) ++day->events[static_cast<std::size_t>(e.type)];
  }
  CaseTrack& c = cases_[e.case_id];
  const jszb_payload& p = *e.payload;

  switch (e.type) {
    case JSZB_EVENT_SUBMITTED:
      if (day != nullptr && e.intake != nullptr) {
        ++day->received;
        ++day->by_category[e.intake->category[0] ? e.intake->category[0] : ""];
      }
      break;
    case JSZB_EVENT_DISPATCHED:
    case JSZB_EVENT_RETURN_APPROVED:
    case JSZB_EVENT_NOT_DISPATCHED: {
      if (e.type != JSZB_EVENT_NOT_DISPATCHED) {
        c.lead = p.unit;
        if (std::find(c.leads.begin(), c.leads.end(), p.unit) == c.leads.end()) {
          c.leads.push_back(p.unit);
          ++units_[p.unit].orders;
        }
      }
      if (p.rule != nullptr && *p.rule != '\0') {  // a routed dispatch
        auto [it, added] = rules_.try_emplace(p.rule);
        RuleTally& r = it->second;
        if (added) {
          r.outcome = e.type == JSZB_EVENT_NOT_DISPATCHED ? JSZB_ROUTE_NOT_DISPATCHED
                      : p.mode == JSZB_DISPATCH_DISTRICT_COORDINATES
                          ? JSZB_ROUTE_DISTRICT_COORDINATES
                          : JSZB_ROUTE_DISPATCH;
          r.reason = p.reason;
        }
        ++r.decisions;
        if (c.returned) ++r.redispatches;
        if (e.type != JSZB_EVENT_NOT_DISPATCHED) r.leads.insert(p.unit);
        if (c.first_rule == nullptr) c.first_rule = &it->first;
      }
      if (c.returned && e.type == JSZB_EVENT_DISPATCHED && day != nullptr) ++day->redispatched;
      c.returned = false;
      break;
    }
    case JSZB_EVENT_AUTO_RETURNED: {
      c.returned = true;
      if (first_auto_returned_ == 0) first_auto_returned_ = e.case_id;
      ++clocks_.auto_returned;
      ++units_[c.lead != 0 ? c.lead : kCentre].clocks.auto_returned;
      if (day != nullptr) ++day->clocks.auto_returned;
      break;
    }
    case JSZB_EVENT_DEADLINE_WARNING:
    case JSZB_EVENT_DEADLINE_BREACHED:
    case JSZB_EVENT_DEADLINE_ESCALATED:
      on_timer(e, c, day);
      break;
    case JSZB_EVENT_VISITED: {
      if (!p.valid_visit) {
        ++visits_.no_valid_visit;
        break;
      }
      ++visits_.valid;
      if (p.contacted) ++visits_.contacted;
      if (p.solved) ++visits_.solved;
      if (p.satisfaction > 0 && p.satisfaction < 4) {
        ++visits_.satisfaction[static_cast<std::size_t>(p.satisfaction)];
      }
      break;
    }
    default:
      break;
  }
}

void Tally::on_timer(const jszb_event& e, CaseTrack& c, BulletinTally* day) {
  const jszb_payload& p = *e.payload;
  bool centre_step = p.step == JSZB_STEP_DISPATCH || p.step == JSZB_STEP_RETURN_VISIT ||
                     p.step == JSZB_STEP_APPEAL_REVIEW;
  UnitId owner = centre_step || c.lead == 0 ? kCentre : c.lead;
  bool supervises =
      p.action == JSZB_ESCALATE_SUPERVISE_DISTRICT || p.action == JSZB_ESCALATE_SUPERVISE_CITY;
  if (supervises && first_supervised_ == 0) first_supervised_ = e.case_id;
  ClockTally* tallies[] = {&clocks_, &units_[owner].clocks, day ? &day->clocks : nullptr};
  for (ClockTally* t : tallies) {
    if (t == nullptr) continue;
    if (e.type == JSZB_EVENT_DEADLINE_WARNING) ++t->warnings;
    if (e.type == JSZB_EVENT_DEADLINE_BREACHED) ++t->breaches;
    if (p.action == JSZB_ESCALATE_SUPERVISE_DISTRICT) ++t->supervised_district;
    if (p.action == JSZB_ESCALATE_SUPERVISE_CITY) ++t->supervised_city;
  }
  if (p.step > 0 && p.step < kStepSlots) {
    StepTally& s = steps_[static_cast<std::size_t>(p.step)];
    if (e.type == JSZB_EVENT_DEADLINE_WARNING) ++s.warnings;
    if (e.type == JSZB_EVENT_DEADLINE_BREACHED) ++s.breaches;
    if (e.type == JSZB_EVENT_DEADLINE_ESCALATED) ++s.ladder;
  }
}

}  // namespace demo
