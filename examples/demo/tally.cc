#include "tally.h"

namespace demo {

Tally::Tally(jszb::Engine& engine, Ms start, int days)
    : start_(start), days_(static_cast<std::size_t>(days)) {
  engine.add_listener([this](const jszb_event& e) { on_event(e); });
}

void Tally::on_event(const jszb_event& e) {
  ++event_count_;
  if (e.type > 0 && e.type < kEventTypes) ++total_[static_cast<std::size_t>(e.type)];
  Ms offset = e.time_ms - start_;
  if (offset < 0) return;
  std::size_t d = static_cast<std::size_t>(offset / kDay);
  if (d >= days_.size()) return;
  DayTally& day = days_[d];
  if (e.type > 0 && e.type < kEventTypes) ++day.events[static_cast<std::size_t>(e.type)];
  if (e.type == JSZB_EVENT_SUBMITTED && e.intake != nullptr) {
    ++day.received;
    ++day.by_category[e.intake->category[0] ? e.intake->category[0] : ""];
  }
  if (e.type == JSZB_EVENT_VISITED) {
    const jszb_payload& p = *e.payload;
    if (!p.valid_visit) {
      ++visits_.no_valid_visit;
      return;
    }
    ++visits_.valid;
    if (p.contacted) ++visits_.contacted;
    if (p.solved) ++visits_.solved;
    if (p.satisfaction > 0 && p.satisfaction < 4) {
      ++visits_.satisfaction[static_cast<std::size_t>(p.satisfaction)];
    }
  }
}

}  // namespace demo
