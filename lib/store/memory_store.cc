#include "store/memory_store.h"

#include <algorithm>
#include <utility>

#include "model/request_fingerprint.h"

namespace jszb::core {

MemoryStore::Record MemoryStore::encode(const Event& e) {
  const Payload& p = e.payload;
  Record r;
  r.case_id = e.case_id;
  r.time = e.time;
  r.text = p.text.data();
  r.text_size = static_cast<std::uint32_t>(p.text.size());
  r.rare = nullptr;
  if (!p.copy_to.empty() || !p.units.empty() || p.until != 0 || p.other_case != 0 ||
      e.intake != nullptr || !p.rule.empty() || !p.request_id.empty()) {
    r.rare =
        rare_.make(Rare{p.copy_to, p.units, p.until, p.other_case, e.intake, p.rule, p.request_id});
  }
  r.deadlines = e.deadlines.data;
  r.deadlines_size = e.deadlines.size;
  r.next = 0;
  r.seq = e.seq;
  r.policy_version = e.policy_version;
  r.actor_unit = e.actor.unit;
  r.actor_staff = e.actor.staff;
  r.unit = p.unit;
  r.type = e.type;
  r.state = e.state;
  r.role = e.actor.role;
  r.mode = p.mode;
  r.reason = p.reason;
  r.level = p.level;
  r.satisfaction = p.satisfaction;
  r.visit_method = p.visit_method;
  r.step = p.step;
  r.mark = p.mark;
  r.action = p.action;
  r.flags = static_cast<std::uint8_t>((p.contacted ? kContacted : 0) | (p.solved ? kSolved : 0) |
                                      (p.valid_visit ? kValidVisit : 0));
  return r;
}

Event MemoryStore::decode(const Record& r) {
  Event e;
  e.case_id = r.case_id;
  e.seq = r.seq;
  e.policy_version = r.policy_version;
  e.type = r.type;
  e.state = r.state;
  e.time = r.time;
  e.actor = {r.role, r.actor_unit, r.actor_staff};
  Payload& p = e.payload;
  p.unit = r.unit;
  p.mode = r.mode;
  p.reason = r.reason;
  p.level = r.level;
  p.contacted = (r.flags & kContacted) != 0;
  p.solved = (r.flags & kSolved) != 0;
  p.valid_visit = (r.flags & kValidVisit) != 0;
  p.satisfaction = r.satisfaction;
  p.visit_method = r.visit_method;
  p.step = r.step;
  p.mark = r.mark;
  p.action = r.action;
  p.text = std::string_view(r.text, r.text_size);
  e.deadlines = {r.deadlines, r.deadlines_size};
  if (r.rare != nullptr) {
    p.copy_to = r.rare->copy_to;
    p.units = r.rare->units;
    p.until = r.rare->until;
    p.other_case = r.rare->other_case;
    e.intake = r.rare->intake;
    p.rule = r.rare->rule;
    p.request_id = r.rare->request_id;
  }
  return e;
}

absl::Status MemoryStore::commit(const CommitBatch& batch) {
  const Event* events = batch.events;
  for (std::size_t i = 0; i < batch.event_count; ++i) {
    // What may throw comes first, so that a failure leaves this event out whole.
    Chain& chain = chains_[events[i].case_id];
    log_.reserve_one();
    if (!events[i].payload.request_id.empty()) {
      requests_.emplace(events[i].payload.request_id, core::request_fingerprint(events[i]));
    }
    Record record = encode(events[i]);
    std::uint64_t pos = log_.size();
    log_.push_back(record);
    if (chain.last != 0) {
      log_[chain.last - 1].next = pos + 1;
    } else {
      chain.first = pos + 1;
    }
    chain.last = pos + 1;
  }
  if (batch.counters != nullptr) counters_.add(*batch.counters);
  return absl::OkStatus();
}

absl::Status MemoryStore::for_each_event(CaseId id,
                                         const std::function<void(const Event&)>& visit) const {
  const Chain* chain = chains_.find(id);
  if (chain == nullptr) return absl::OkStatus();
  for (std::uint64_t pos = chain->first; pos != 0; pos = log_[pos - 1].next) {
    visit(decode(log_[pos - 1]));
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::for_each_logged(const std::function<void(const Event&)>& visit) const {
  for (std::uint64_t pos = 0; pos < log_.size(); ++pos) visit(decode(log_[pos]));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Theme>> MemoryStore::themes() const {
  std::vector<Theme> out;
  out.reserve(themes_.size());
  for (const auto& [id, theme] : themes_) out.push_back(theme);
  return out;
}

absl::Status MemoryStore::put_theme(const Theme& theme, ThemeChange, TaskId, TimeMs) {
  Theme copy = theme;  // what may throw comes before any change
  themes_[theme.id] = std::move(copy);
  last_theme_id_ = std::max(last_theme_id_, theme.id);
  return absl::OkStatus();
}

absl::Status MemoryStore::remove_theme(ThemeId id, TimeMs) {
  themes_.erase(id);
  return absl::OkStatus();
}

}  // namespace jszb::core
