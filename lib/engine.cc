#include "engine.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "intern.h"
#include "memory_store.h"
#include "names.h"
#include "projection.h"
#include "status.h"
#include "validate.h"

namespace jszb::core {

Engine::Engine(EngineOptions options, std::unique_ptr<Store> store)
    : options_(options),
      store_(store ? std::move(store) : std::make_unique<MemoryStore>()),
      lifecycle_(LifecycleRules{options.max_extensions}) {}

Engine::~Engine() = default;

absl::Status Engine::check_not_busy() const {
  if (notifying_) {
    return absl::UnavailableError(
        "the engine is telling its listeners about an event: a listener must not change the "
        "engine that called it");
  }
  return absl::OkStatus();
}

Case* Engine::find_mutable(CaseId id) {
  const std::uint32_t* pos = index_.find(id);
  return pos == nullptr ? nullptr : &cases_[*pos];
}

const Case* Engine::find(CaseId id) const {
  const std::uint32_t* pos = index_.find(id);
  return pos == nullptr ? nullptr : &cases_[*pos];
}

absl::StatusOr<SubmitResult> Engine::submit(const Intake& intake) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (absl::Status s = validate_intake(intake); !s.ok()) return s;
  if (auto it = by_channel_ref_.find(ChannelKey{intake.channel, intake.channel_ref});
      it != by_channel_ref_.end()) {
    return SubmitResult{it->second, false};
  }
  Event e;
  e.case_id = next_id_;
  e.seq = 1;
  e.type = EventType::kSubmitted;
  e.state = State::kReceived;
  e.time = intake.time;
  e.actor = intake.actor;
  e.intake = intern(intake, arena_);
  if (absl::Status s = create(e); !s.ok()) return s;
  return SubmitResult{e.case_id, true};
}

// Appends a kSubmitted event whose intake lives in the arena, and makes its case.
absl::Status Engine::create(const Event& e) {
  // Everything that can fail comes before the append: once the event is in the
  // log, the case must follow.
  cases_.reserve_one();
  index_.reserve_for(e.case_id);
  by_channel_ref_.reserve(by_channel_ref_.size() + 1);
  if (absl::Status s = store_->append(&e, 1); !s.ok()) return s;
  if (!cases_.empty() && e.case_id < cases_.back().id) ids_ascending_ = false;
  index_[e.case_id] = static_cast<std::uint32_t>(cases_.size());
  cases_.push_back(case_from_submission(e));
  by_channel_ref_.emplace(ChannelKey{e.intake->channel, e.intake->channel_ref}, e.case_id);
  next_id_ = std::max(next_id_, e.case_id + 1);
  notify(e);
  return absl::OkStatus();
}

absl::Status Engine::apply(const Command& cmd) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return run(cmd, nullptr);
}

absl::Status Engine::run(const Command& cmd, const Event* recorded) {
  if (absl::Status s = validate_command(cmd); !s.ok()) return s;
  Case* c = find_mutable(cmd.case_id);
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", cmd.case_id));
  if (recorded != nullptr && recorded->seq != c->event_count + 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event seq is %d, but case %d's next event is %d", recorded->seq, c->id,
                        c->event_count + 1));
  }

  Decision d = lifecycle_.decide(*c, cmd);
  if (!d.accepted) return refused(c->id, {c->state, cmd.kind, d.refusal});
  if (recorded != nullptr && recorded->state != d.to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d records state %s, but %s from %s leads to %s", recorded->seq, c->id,
        name(recorded->state), name(cmd.kind), name(c->state), name(d.to)));
  }
  if (absl::Status s = validate_against_case(*c, cmd); !s.ok()) return s;
  if (cmd.payload.other_case != 0) {
    const Case* other = find(cmd.payload.other_case);
    if (other == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("payload.other_case %d does not exist", cmd.payload.other_case));
    }
    if (cmd.kind == CommandKind::kMerge && other->state == State::kMerged) {
      return absl::InvalidArgumentError(
          absl::StrFormat("payload.other_case %d is itself merged into case %d: merge into that",
                          other->id, other->merged_into));
    }
  }

  Event e;
  e.case_id = c->id;
  e.seq = c->event_count + 1;
  e.type = event_type_of(cmd.kind);
  e.state = d.to;
  e.time = cmd.time;
  e.actor = cmd.actor;
  e.payload = intern(cmd.payload, arena_);
  if (e.type == EventType::kDispatched || e.type == EventType::kReturnApproved) {
    if (e.payload.mode == DispatchMode::kUnspecified) e.payload.mode = DispatchMode::kDirect;
  }

  arena_.reserve(arena_bytes_to_apply(*c, e));  // apply_event must not fail after the append
  if (absl::Status s = store_->append(&e, 1); !s.ok()) return s;
  apply_event(*c, e, arena_);
  notify(e);
  return absl::OkStatus();
}

absl::Status Engine::replay(const Event& recorded) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (recorded.type != EventType::kSubmitted) {
    Command cmd;
    cmd.kind = command_of(recorded.type);
    cmd.case_id = recorded.case_id;
    cmd.time = recorded.time;
    cmd.actor = recorded.actor;
    cmd.payload = recorded.payload;
    return run(cmd, &recorded);
  }

  if (recorded.intake == nullptr) {
    return absl::InvalidArgumentError("a submitted event must carry its intake");
  }
  if (recorded.case_id == 0 || recorded.case_id == ~CaseId{0}) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event case_id %d is not a case id (1 .. 2^64-2)", recorded.case_id));
  }
  if (recorded.seq != 1 || recorded.state != State::kReceived) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a submitted event is seq 1 in state received, not seq %d in state %s", recorded.seq,
        name(recorded.state)));
  }
  if (recorded.time != recorded.intake->time || !(recorded.actor == recorded.intake->actor)) {
    return absl::InvalidArgumentError(
        "a submitted event's time and actor must be its intake's time and actor");
  }
  if (absl::Status s = validate_intake(*recorded.intake); !s.ok()) return s;
  if (find(recorded.case_id) != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("case %d exists already", recorded.case_id));
  }
  const Intake& in = *recorded.intake;
  if (auto it = by_channel_ref_.find(ChannelKey{in.channel, in.channel_ref});
      it != by_channel_ref_.end()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "channel %s reference \"%s\" belongs to case %d already", name(in.channel),
        in.channel_ref, it->second));
  }
  Event e = recorded;
  e.intake = intern(in, arena_);
  return create(e);
}

void Engine::for_each_event(CaseId id, const std::function<void(const Event&)>& visit) const {
  store_->for_each_event(id, visit);
}

void Engine::for_each_logged(const std::function<void(const Event&)>& visit) const {
  store_->for_each_logged(visit);
}

std::vector<Event> Engine::events(CaseId id) const {
  std::vector<Event> out;
  store_->for_each_event(id, [&out](const Event& e) { out.push_back(e); });
  return out;
}

std::vector<CaseId> Engine::list(const CaseFilter& f) const {
  auto matches = [&f](const Case& c) {
    if (c.id <= f.after) return false;
    if (f.state != State::kUnspecified && c.state != f.state) return false;
    if (f.unit != 0 && c.lead_unit != f.unit && !c.copy_to.contains(f.unit) &&
        !c.co_handlers.contains(f.unit)) {
      return false;
    }
    return true;
  };
  std::vector<CaseId> out;
  if (ids_ascending_) {
    // Cases are in id order: start after `after` and stop at the limit.
    std::size_t lo = 0, hi = cases_.size();
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      if (cases_[mid].id <= f.after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (std::size_t i = lo; i < cases_.size(); ++i) {
      if (!matches(cases_[i])) continue;
      out.push_back(cases_[i].id);
      if (f.limit != 0 && out.size() == f.limit) break;
    }
    return out;
  }
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    if (matches(cases_[i])) out.push_back(cases_[i].id);
  }
  std::sort(out.begin(), out.end());
  if (f.limit != 0 && out.size() > f.limit) out.resize(f.limit);
  return out;
}

absl::StatusOr<std::uint64_t> Engine::add_listener(Listener* listener) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (listener == nullptr) return absl::InvalidArgumentError("listener is null");
  listeners_.emplace_back(next_listener_id_, listener);
  return next_listener_id_++;
}

absl::Status Engine::remove_listener(std::uint64_t id) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  auto it = std::find_if(listeners_.begin(), listeners_.end(),
                         [id](const auto& entry) { return entry.first == id; });
  if (it == listeners_.end()) {
    return absl::NotFoundError(absl::StrFormat("listener %d is not registered", id));
  }
  listeners_.erase(it);
  return absl::OkStatus();
}

void Engine::notify(const Event& e) {
  if (listeners_.empty()) return;
  // Reset the flag however a listener leaves (it may throw in C++).
  struct Notifying {
    bool& flag;
    explicit Notifying(bool& f) : flag(f) { flag = true; }
    ~Notifying() { flag = false; }
  } notifying(notifying_);
  for (const auto& entry : listeners_) entry.second->on_event(e);
}

}  // namespace jszb::core
