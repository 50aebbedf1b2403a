#include "engine.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_format.h"
#include "deadline_planner.h"
#include "escalation.h"
#include "intern.h"
#include "memory_store.h"
#include "names.h"
#include "projection.h"
#include "status.h"
#include "validate.h"

namespace jszb::core {

namespace {

// Room for one more element, so that the push that follows cannot fail;
// growing geometrically (reserve(size + 1) would reallocate on every push).
template <class Vector>
void reserve_one_more(Vector& v) {
  if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(16, 2 * v.capacity()));
}

}  // namespace

Engine::Engine(EngineOptions options, std::unique_ptr<Store> store)
    : options_(options),
      store_(store ? std::move(store) : std::make_unique<MemoryStore>()),
      lifecycle_(LifecycleRules{options.max_extensions}) {}

Engine::~Engine() {
  // The store's pending projections point at cases_, which goes before the
  // store: write them now. What an open batch did was never acknowledged.
  if (batch_.open) undo_batch();
  (void)store_->checkpoint();
  store_.reset();
}

absl::Status Engine::check_no_batch(const char* call) const {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (batch_.open) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s cannot run inside a batch: commit or roll it back first", call));
  }
  return absl::OkStatus();
}

absl::Status Engine::check_not_busy() const {
  if (notifying_) {
    return absl::UnavailableError(
        "the engine is telling its listeners about an event: a listener must not change the "
        "engine that called it");
  }
  if (routing_) {
    return absl::UnavailableError(
        "the engine is asking its router: a router must not change the engine that asked it");
  }
  return absl::OkStatus();
}

absl::StatusOr<Case*> Engine::find_mutable(CaseId id) {
  if (const std::uint32_t* pos = index_.find(id)) return &cases_[*pos];
  if (!store_->holds_cases()) return nullptr;
  absl::StatusOr<std::optional<Case>> loaded = store_->load_case(id, arena_);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return nullptr;
  return &adopt(**loaded);
}

const Case* Engine::find(CaseId id) const {
  const std::uint32_t* pos = index_.find(id);
  return pos == nullptr ? nullptr : &cases_[*pos];
}

absl::StatusOr<const Case*> Engine::fetch(CaseId id) {
  absl::StatusOr<Case*> c = find_mutable(id);
  if (!c.ok()) return c.status();
  return *c;
}

Case& Engine::adopt(const Case& c) {
  cases_.reserve_one();
  index_.reserve_for(c.id);
  by_channel_ref_.reserve(by_channel_ref_.size() + 1);
  if (!cases_.empty() && c.id < cases_.back().id) ids_ascending_ = false;
  index_[c.id] = static_cast<std::uint32_t>(cases_.size());
  Case& placed = cases_.push_back(c);
  by_channel_ref_.emplace(ChannelKey{c.intake->channel, c.intake->channel_ref}, c.id);
  next_id_ = std::max(next_id_, c.id + 1);
  ++case_count_;
  rearm(placed);
  return placed;
}

void Engine::drop(std::uint32_t pos) {
  // The slot stays (storage never moves); nothing reaches it any more.
  Case& c = cases_[pos];
  by_channel_ref_.erase(ChannelKey{c.intake->channel, c.intake->channel_ref});
  index_.erase(c.id);
  timers_.cancel(pos);
  c = Case();
  --case_count_;
  ids_ascending_ = false;  // an empty slot (id 0) breaks the order
}

// ------------------------------------------------------------------- batches

void Engine::reset_batch() {
  // The counter maps keep their memory for the next batch: most batches are
  // one call, and allocating a map per call would cost more than counting.
  Counters counters = std::move(batch_.counters);
  counters.clear();
  batch_ = Batch();
  batch_.counters.units.swap(counters.units);
  batch_.counters.volumes.swap(counters.volumes);
}

void Engine::start_batch() {
  batch_.open = true;
  batch_.next_id = next_id_;
}

template <class Body>
auto Engine::as_batch(Body&& body) -> decltype(body()) {
  if (batch_.open) return body();  // an explicit batch: its commit() decides
  start_batch();
  auto result = body();
  absl::Status committed = finish_batch();
  if (!committed.ok()) return committed;
  return result;
}

absl::Status Engine::begin() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (batch_.open) return absl::FailedPreconditionError("a batch is open already: commit it first");
  // A durable store holds its transaction from here: the batch's reads
  // (known channel refs, request ids, cases on disk) run inside it.
  if (absl::Status s = store_->begin_batch(); !s.ok()) return s;
  start_batch();
  batch_.explicit_ = true;
  return absl::OkStatus();
}

absl::Status Engine::commit() {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (!batch_.explicit_) return absl::FailedPreconditionError("no batch is open: call begin() first");
  return finish_batch();
}

void Engine::rollback() {
  if (batch_.open && !notifying_) undo_batch();
}

absl::Status Engine::finish_batch() {
  CommitBatch out;
  out.events = batch_.events.data();
  out.event_count = batch_.events.size();
  out.counters = &batch_.counters;
  out.cases.reserve(batch_.touched.size());
  for (const auto& [pos, created] : batch_.touched) out.cases.push_back(&cases_[pos]);
  // A deterministic order for the store (the map's is not).
  std::sort(out.cases.begin(), out.cases.end(),
            [](const Case* a, const Case* b) { return a->id < b->id; });
  absl::Status s = absl::OkStatus();
  if (out.event_count == 0) {
    store_->abort_batch();  // nothing to write
  } else {
    s = store_->commit(out);
  }
  if (!s.ok()) {
    undo_batch();
    return s;
  }
  std::vector<Event> events = std::move(batch_.events);
  reset_batch();
  // Acknowledged: now the listeners hear of it.
  for (const Event& e : events) notify(e);
  return absl::OkStatus();
}

void Engine::undo_batch() {
  store_->abort_batch();
  for (const auto& [pos, before] : batch_.before) {
    cases_[pos] = before;
    rearm(cases_[pos]);
  }
  for (const auto& [pos, created] : batch_.touched) {
    if (created) drop(pos);
  }
  next_id_ = batch_.next_id;
  reset_batch();
}

// ------------------------------------------------------------------- intake

absl::StatusOr<SubmitResult> Engine::submit(const Intake& intake) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (absl::Status s = validate_intake(intake); !s.ok()) return s;
  ChannelKey key{intake.channel, intake.channel_ref};
  if (auto it = by_channel_ref_.find(key); it != by_channel_ref_.end()) {
    return SubmitResult{it->second, false};
  }
  absl::StatusOr<std::optional<CaseId>> stored =
      store_->find_channel_ref(intake.channel, intake.channel_ref);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return SubmitResult{**stored, false};
  return as_batch([&]() -> absl::StatusOr<SubmitResult> {
    Event e;
    e.case_id = next_id_;
    e.seq = 1;
    e.type = EventType::kSubmitted;
    e.state = State::kReceived;
    e.time = intake.time;
    e.actor = intake.actor;
    e.intake = intern(intake, arena_);
    e.policy_version = current_ ? current_->version() : 0;
    if (absl::Status s = create(e, nullptr); !s.ok()) return s;
    return SubmitResult{e.case_id, true};
  });
}

// Makes the case of a kSubmitted event whose intake lives in the arena.
absl::Status Engine::create(Event& e, const Event* recorded) {
  if (recorded != nullptr) {
    e.deadlines = intern(recorded->deadlines, arena_);
  } else if (const Policy* p = policy(e.policy_version)) {
    Case blank;
    blank.intake = e.intake;
    absl::StatusOr<DeadlinePlan> plan = plan_deadlines(*p, blank, e);
    if (!plan.ok()) return plan.status();
    e.deadlines = intern(plan->view(), arena_);
  }
  reserve_one_more(batch_.events);
  batch_.touched.reserve(batch_.touched.size() + 1);
  Case& c = adopt(case_from_submission(e));
  batch_.touched.emplace(*index_.find(c.id), true);
  batch_.events.push_back(e);
  count_submission(c, batch_.counters);
  return absl::OkStatus();
}

absl::Status Engine::apply(const Command& cmd) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return run(cmd, nullptr); });
}

absl::Status Engine::run(const Command& cmd, const Event* recorded, bool engine_made) {
  if (absl::Status s = validate_command(cmd, engine_made || recorded != nullptr); !s.ok()) {
    return s;
  }
  // A retried command (same client request id) is not applied twice.
  if (!cmd.payload.request_id.empty() && recorded == nullptr) {
    std::string id(cmd.payload.request_id);
    bool seen = std::find(batch_.requests.begin(), batch_.requests.end(), id) !=
                    batch_.requests.end();
    if (!seen) {
      absl::StatusOr<bool> stored = store_->request_seen(id);
      if (!stored.ok()) return stored.status();
      seen = *stored;
    }
    if (seen) return absl::OkStatus();
  }
  absl::StatusOr<Case*> found = find_mutable(cmd.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", cmd.case_id));
  if (recorded != nullptr && recorded->seq != c->event_count + 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event seq is %d, but case %d's next event is %d", recorded->seq, c->id,
                        c->event_count + 1));
  }
  // Whatever the case's clock says happened before this command happens first
  // (a replayed log has those events in it already).
  if (recorded == nullptr && cmd.time >= c->last_event) {
    if (absl::Status s = catch_up(*c, cmd.time); !s.ok()) return s;
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
    // The other case may be finished and on disk only.
    absl::StatusOr<Case*> found_other = find_mutable(cmd.payload.other_case);
    if (!found_other.ok()) return found_other.status();
    const Case* other = *found_other;
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
  e.policy_version = c->policy_version;
  if (e.type == EventType::kDispatched || e.type == EventType::kReturnApproved) {
    if (e.payload.mode == DispatchMode::kUnspecified) e.payload.mode = DispatchMode::kDirect;
  }
  if (!cmd.payload.request_id.empty()) batch_.requests.emplace_back(cmd.payload.request_id);
  return record(*c, e, recorded);
}

absl::Status Engine::record(Case& c, Event& e, const Event* recorded) {
  if (recorded != nullptr) {
    e.deadlines = intern(recorded->deadlines, arena_);
  } else if (const Policy* p = policy_of(c)) {
    absl::StatusOr<DeadlinePlan> plan = plan_deadlines(*p, c, e);
    if (!plan.ok()) return plan.status();
    e.deadlines = intern(plan->view(), arena_);
  }
  // What can fail comes first: the batch's record of the case must match it.
  arena_.reserve(arena_bytes_to_apply(c, e));
  reserve_one_more(batch_.events);
  std::uint32_t pos = *index_.find(c.id);
  if (batch_.touched.emplace(pos, false).second) batch_.before.emplace_back(pos, c);
  CountedBefore counted = counted_before(c);
  apply_event(c, e, arena_);
  rearm(c);
  batch_.events.push_back(e);
  count_event(counted, c, e, batch_.counters);
  return absl::OkStatus();
}

absl::Status Engine::replay(const Event& recorded) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return replay_one(recorded); });
}

absl::Status Engine::replay_one(const Event& recorded) {
  if (is_timer_event(recorded.type)) return replay_timer_event(recorded);
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
  absl::StatusOr<Case*> existing = find_mutable(recorded.case_id);
  if (!existing.ok()) return existing.status();
  if (*existing != nullptr) {
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
  return create(e, &recorded);
}

// A timer event from a log: it must be the case's next event and fire the
// next mark of a running deadline, in the state the case is in.
absl::Status Engine::replay_timer_event(const Event& recorded) {
  absl::StatusOr<Case*> found = find_mutable(recorded.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrFormat("case %d does not exist", recorded.case_id));
  }
  if (recorded.seq != c->event_count + 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event seq is %d, but case %d's next event is %d", recorded.seq, c->id, c->event_count + 1));
  }
  const Payload& p = recorded.payload;
  if (recorded.state != c->state || recorded.time < c->last_event ||
      recorded.actor.role != Role::kSystem || p.step < 1 || p.step > kSteps) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d (%s) does not fit: a timer event keeps the state, comes in time "
        "order, is the system's and names a step",
        recorded.seq, c->id, name(recorded.type)));
  }
  const Deadline& d = c->deadlines[p.step - 1];
  if (!d.running() || p.mark != d.fired) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d fires mark %d of step %d, which is not the deadline's next mark",
        recorded.seq, c->id, p.mark, p.step));
  }
  Event e = recorded;
  e.payload = intern(recorded.payload, arena_);
  return record(*c, e, &recorded);
}

// ------------------------------------------------------------------ policies

absl::Status Engine::load_policy(std::shared_ptr<const Policy> p) {
  // A durable engine records the policy at once, apart from any batch.
  if (absl::Status s = check_no_batch("load_policy()"); !s.ok()) return s;
  if (p == nullptr) return absl::InvalidArgumentError("policy is null");
  auto it = policies_.find(p->version());
  if (it != policies_.end() && it->second != p && it->second->sources() != p->sources()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "policy version %d is loaded already with other content (text, calendar or areas): "
        "give the new policy a new version",
        p->version()));
  }
  bool added = it == policies_.end();
  if (!recovering_) {
    // A durable engine runs under this policy from now on, also after reopening.
    if (absl::Status s = store_->save_policy(*p); !s.ok()) return s;
  }
  if (added) policies_.emplace(p->version(), p);
  current_ = policies_.at(p->version());
  // Cases replayed before their policy was loaded get their clocks now.
  if (added) {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (cases_[i].policy_version == p->version()) rearm(cases_[i]);
    }
  }
  return absl::OkStatus();
}

const Policy* Engine::policy(std::uint32_t version) const {
  if (version == 0) return nullptr;
  if (current_ != nullptr && current_->version() == version) return current_.get();
  auto it = policies_.find(version);
  return it == policies_.end() ? nullptr : it->second.get();
}

const Policy* Engine::policy_of(const Case& c) const { return policy(c.policy_version); }

// -------------------------------------------------------------------- timers

std::optional<Engine::NextMark> Engine::next_mark(const Case& c) const {
  const Policy* p = policy_of(c);
  if (p == nullptr || c.suspended_since != 0) return std::nullopt;  // a suspended clock stands still
  std::optional<NextMark> best;
  for (int i = 0; i < kSteps; ++i) {
    const Deadline& d = c.deadlines[i];
    if (!d.running()) continue;
    auto step = static_cast<StepId>(i + 1);
    const std::vector<Mark>& marks = p->marks(step);
    if (d.fired >= marks.size()) continue;
    absl::StatusOr<TimeMs> at = mark_instant(*p, d, marks[d.fired]);
    // A mark the calendar cannot place is not armed; the planner refuses deadlines
    // whose marks it cannot place, so this is past the end of a weekends-only rule.
    if (!at.ok()) continue;
    if (!best || *at < best->at) best = NextMark{*at, step, d.fired, &marks[d.fired]};
  }
  return best;
}

void Engine::rearm(const Case& c) {
  if (current_ == nullptr && policies_.empty()) return;  // no policy: no clocks
  std::uint32_t slot = *index_.find(c.id);
  std::optional<NextMark> next = next_mark(c);
  if (!next) {
    timers_.cancel(slot);
  } else if (!timers_.armed(slot) || timers_.due(slot) != next->at) {
    timers_.arm(slot, next->at);
  }
}

absl::Status Engine::fire(Case& c, const NextMark& m) {
  Event e;
  e.case_id = c.id;
  e.seq = c.event_count + 1;
  e.type = m.mark->kind == MarkKind::kWarning  ? EventType::kDeadlineWarning
           : m.mark->kind == MarkKind::kBreach ? EventType::kDeadlineBreached
                                               : EventType::kDeadlineEscalated;
  e.state = c.state;
  e.time = std::max(m.at, c.last_event);
  e.actor = Actor{Role::kSystem, 0, 0};
  e.policy_version = c.policy_version;
  e.payload.step = static_cast<std::uint8_t>(m.step);
  e.payload.mark = m.index;
  e.payload.action = static_cast<std::uint8_t>(m.mark->action);
  if (absl::Status s = record(c, e, nullptr); !s.ok()) return s;
  if (m.mark->action == v1::ESCALATION_ACTION_RETURN_TO_DISPATCHER &&
      c.state == State::kDispatched) {
    Command back;
    back.kind = CommandKind::kAutoReturn;
    back.case_id = c.id;
    back.time = e.time;
    back.actor = e.actor;
    back.payload.text = "not signed for in time";
    return run(back, nullptr, true);
  }
  return absl::OkStatus();
}

absl::Status Engine::catch_up(Case& c, TimeMs upto) {
  // The case's timer always holds the instant of its next mark (rearm after
  // every change), so most commands cost one look at it.
  std::uint32_t slot = *index_.find(c.id);
  while (timers_.armed(slot) && timers_.due(slot) <= upto) {
    std::optional<NextMark> next = next_mark(c);
    if (!next) {
      timers_.cancel(slot);
      break;
    }
    if (absl::Status s = fire(c, *next); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Engine::advance(TimeMs now) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return advance_timers(now); });
}

absl::Status Engine::advance_timers(TimeMs now) {
  absl::Status first_error;
  int errors = 0;
  while (!timers_.empty() && timers_.top().first <= now) {
    std::uint32_t slot = timers_.pop().second;
    Case& c = cases_[slot];
    std::optional<NextMark> next = next_mark(c);
    if (next && next->at <= now) {
      // One mark at a time, so that marks of different cases fire in time order.
      if (absl::Status s = fire(c, *next); !s.ok()) {
        // Leave the case unarmed, or the same mark would come round forever.
        if (errors++ == 0) first_error = s;
        continue;
      }
    }
    rearm(c);
  }
  if (errors > 0) {
    return absl::Status(first_error.code(),
                        absl::StrFormat("%d escalation%s could not fire; the first: %s", errors,
                                        errors == 1 ? "" : "s", first_error.message()));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------- routing

absl::StatusOr<RouteDecision> Engine::route(CaseId id) {
  absl::StatusOr<Case*> found = find_mutable(id);
  if (!found.ok()) return found.status();
  const Case* c = *found;
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  const Policy* p = policy_of(*c);
  if (router_ != nullptr) {
    if (absl::Status s = check_not_busy(); !s.ok()) return s;  // no routing from a callback
    struct Routing {
      bool& flag;
      explicit Routing(bool& f) : flag(f) { flag = true; }
      ~Routing() { flag = false; }
    } routing(routing_);
    return router_->route(*c, p);
  }
  if (p == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "case %d runs under no policy and no router is set: nothing can route it", id));
  }
  return route_by_catalogue(*p, *c);
}

absl::StatusOr<std::vector<RuleVerdict>> Engine::explain(CaseId id) const {
  const Case* c = find(id);
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  const Policy* p = policy_of(*c);
  if (p == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrFormat("case %d runs under no policy: there is no catalogue to explain", id));
  }
  return p->catalogue().explain(*c->intake, p->resolve_area(*c->intake));
}

absl::Status Engine::dispatch_routed(CaseId id, TimeMs time, Actor actor) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return dispatch_routed_now(id, time, actor); });
}

absl::Status Engine::dispatch_routed_now(CaseId id, TimeMs time, Actor actor) {
  absl::StatusOr<RouteDecision> d = route(id);
  if (!d.ok()) return d.status();
  Command cmd;
  cmd.case_id = id;
  cmd.time = time;
  cmd.actor = actor;
  cmd.payload.rule = d->rule;
  switch (d->outcome) {
    case RouteDecision::Outcome::kNotDispatched:
      cmd.kind = CommandKind::kNotDispatch;
      cmd.payload.reason = d->reason;
      cmd.payload.text = d->note;
      break;
    case RouteDecision::Outcome::kDistrictCoordinates:
      cmd.kind = CommandKind::kDispatch;
      cmd.payload.unit = d->lead;
      cmd.payload.mode = DispatchMode::kDistrictCoordinates;
      break;
    case RouteDecision::Outcome::kDispatch:
      cmd.kind = CommandKind::kDispatch;
      cmd.payload.unit = d->lead;
      cmd.payload.mode = DispatchMode::kDirect;
      cmd.payload.copy_to = d->copy_to;
      cmd.payload.units = d->co_handlers;
      break;
  }
  return run(cmd, nullptr, true);
}

absl::StatusOr<std::vector<DeadlineStatus>> Engine::deadlines(CaseId id, TimeMs now) const {
  const Case* c = find(id);
  if (c == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  std::vector<DeadlineStatus> out;
  const Policy* p = policy_of(*c);
  for (int i = 0; i < kSteps; ++i) {
    const Deadline& d = c->deadlines[i];
    if (!d.running()) continue;
    DeadlineStatus st;
    st.step = static_cast<StepId>(i + 1);
    st.deadline = d;
    st.paused = c->suspended_since != 0;
    TimeMs at = st.paused ? c->suspended_since : now;  // a suspended clock stands still
    if (p == nullptr && d.working) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "case %d's policy version %d is not loaded: its working-time deadlines cannot be "
          "measured",
          id, c->policy_version));
    }
    // Only the calendar of the case's policy measures working time.
    auto between = [&](TimeMs a, TimeMs b) -> absl::StatusOr<TimeMs> {
      if (!d.working) return b > a ? b - a : 0;
      return clock_between(*p, true, a, b);
    };
    absl::StatusOr<TimeMs> used = between(d.start, at);
    if (!used.ok()) return used.status();
    st.used = std::max<TimeMs>(0, *used - d.paused());
    st.overdue = at > d.due;
    absl::StatusOr<TimeMs> left = st.overdue ? between(d.due, at) : between(at, d.due);
    if (!left.ok()) return left.status();
    st.left = st.overdue ? -*left : *left;
    out.push_back(st);
  }
  return out;
}

absl::Status Engine::for_each_event(CaseId id,
                                    const std::function<void(const Event&)>& visit) const {
  return store_->for_each_event(id, visit);
}

absl::Status Engine::for_each_logged(const std::function<void(const Event&)>& visit) const {
  return store_->for_each_logged(visit);
}

std::vector<Event> Engine::events(CaseId id) const {
  std::vector<Event> out;
  // A durable store's events live only during the visit: keep copies.
  bool copy = store_->holds_cases();
  (void)store_->for_each_event(
      id, [&](const Event& e) { out.push_back(copy ? intern(e, history_copies_) : e); });
  return out;
}

absl::StatusOr<CounterTotals> Engine::counter_totals(TimeMs from, TimeMs until) const {
  if (until <= from) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the period [%d, %d) is empty: until must be after from", from, until));
  }
  for (TimeMs t : {from, until}) {
    if (!on_bucket_edge(t)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%d ms is not on a half-day edge (00:00 or 12:00 China time): the counters are "
          "kept by half-day",
          t));
    }
  }
  return store_->sum_counters(bucket_of(from), bucket_of(until));
}

absl::StatusOr<std::vector<CaseId>> Engine::list(const CaseFilter& f) const {
  // The cases in memory answer for themselves (a durable store's projections
  // of them may be behind); the store answers for the rest.
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
      if (!matches(f, cases_[i])) continue;
      out.push_back(cases_[i].id);
      if (f.limit != 0 && out.size() == f.limit) break;
    }
  } else {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (matches(f, cases_[i])) out.push_back(cases_[i].id);
    }
    std::sort(out.begin(), out.end());
    if (f.limit != 0 && out.size() > f.limit) out.resize(f.limit);
  }
  // Every open case is in memory: a listing by open state or by running
  // deadline is answered there alone.
  bool open_only = (f.state != State::kUnspecified && !is_finished(f.state)) ||
                   f.due_from != 0 || f.due_until != 0;
  if (!store_->holds_cases() || open_only) return out;
  absl::StatusOr<std::vector<CaseId>> stored =
      store_->list(f, [this](CaseId id) { return index_.find(id) != nullptr; });
  if (!stored.ok()) return stored.status();
  std::vector<CaseId> merged;
  merged.reserve(out.size() + stored->size());
  std::merge(out.begin(), out.end(), stored->begin(), stored->end(), std::back_inserter(merged));
  if (f.limit != 0 && merged.size() > f.limit) merged.resize(f.limit);
  return merged;
}

// ------------------------------------------------------------ durable stores

absl::Status Engine::load_stored_policies() {
  absl::StatusOr<StoredPolicies> stored = store_->stored_policies();
  if (!stored.ok()) return stored.status();
  for (const StoredPolicy& sp : stored->policies) {
    auto read = [&sp](const std::string& name) -> absl::StatusOr<std::string> {
      for (const auto& [file, text] : sp.named_files) {
        if (file == name) return text;
      }
      return absl::NotFoundError(absl::StrFormat("%s is not in the store", name));
    };
    absl::StatusOr<std::shared_ptr<const Policy>> p = Policy::load(sp.file, sp.text, read);
    if (!p.ok()) {
      return absl::Status(p.status().code(),
                          absl::StrFormat("the store's policy version %d no longer loads: %s",
                                          sp.version, p.status().message()));
    }
    policies_.emplace(sp.version, *p);
  }
  if (stored->current != 0) {
    auto it = policies_.find(stored->current);
    if (it == policies_.end()) {
      return absl::DataLossError(absl::StrFormat(
          "the store's current policy is version %d, which it does not hold", stored->current));
    }
    current_ = it->second;
  }
  return absl::OkStatus();
}

absl::Status Engine::recover() {
  if (absl::Status s = check_no_batch("recover()"); !s.ok()) return s;
  if (case_count_ != 0 || !policies_.empty()) {
    return absl::FailedPreconditionError("recover() runs once, on a fresh engine");
  }
  struct Recovering {
    bool& flag;
    explicit Recovering(bool& f) : flag(f) { flag = true; }
    ~Recovering() { flag = false; }
  } recovering(recovering_);
  if (absl::Status s = load_stored_policies(); !s.ok()) return s;
  absl::Status s = store_->for_each_open_case(arena_, [this](const Case& c) {
    adopt(c);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  // The log past the checkpoint: events its projections do not have yet.
  s = store_->for_each_tail_event([this](const Event& e) -> absl::Status {
    absl::StatusOr<Case*> found = find_mutable(e.case_id);
    if (!found.ok()) return found.status();
    if (*found != nullptr && e.seq <= (*found)->event_count) return absl::OkStatus();
    start_batch();
    absl::Status replayed = replay_one(e);
    reset_batch();  // in the log already: nothing to commit
    if (!replayed.ok()) return replayed;
    store_->replayed(*find(e.case_id));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  next_id_ = std::max(next_id_, store_->max_case_id() + 1);
  if (store_->counters_incomplete()) return rebuild_counters();
  return absl::OkStatus();
}

absl::Status Engine::rebuild_counters() {
  Engine fresh(options_);
  absl::Status replayed = absl::OkStatus();
  absl::Status read = store_->for_each_logged([&](const Event& e) {
    if (replayed.ok()) replayed = fresh.replay(e);
  });
  if (!read.ok()) return read;
  if (!replayed.ok()) {
    return absl::DataLossError(absl::StrFormat(
        "recounting the store's log for its counters: %s", replayed.message()));
  }
  std::vector<const Case*> cases;
  cases.reserve(fresh.case_count_);
  for (std::size_t pos = 0; pos < fresh.cases_.size(); ++pos) {
    if (fresh.cases_[pos].id != 0) cases.push_back(&fresh.cases_[pos]);
  }
  if (absl::Status s = store_->rebuild_counters(*fresh.store_->counters_in_memory(), cases);
      !s.ok()) {
    return s;
  }
  for (const Case* recounted : cases) {
    if (const std::uint32_t* pos = index_.find(recounted->id)) {
      Credit& credit = cases_[*pos].credit;
      credit = recounted->credit;
      credit.co_handlers = arena_.copy(recounted->credit.co_handlers);
    }
  }
  return absl::OkStatus();
}

absl::Status Engine::checkpoint() {
  if (absl::Status s = check_no_batch("checkpoint()"); !s.ok()) return s;
  return store_->checkpoint();
}

absl::Status Engine::erase_personal(CaseId id, TimeMs time) {
  if (absl::Status s = check_no_batch("erase_personal()"); !s.ok()) return s;
  absl::StatusOr<Case*> found = find_mutable(id);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return absl::NotFoundError(absl::StrFormat("case %d does not exist", id));
  if (absl::Status s = store_->erase_personal(id, time); !s.ok()) return s;
  Case& c = **found;
  Intake erased = *c.intake;
  erased.contact = Contact();
  erased.location.address = {};
  erased.location.has_point = false;
  erased.location.lat = 0;
  erased.location.lon = 0;
  erased.content = "[erased]";
  c.intake = intern(erased, arena_);
  return absl::OkStatus();
}

absl::StatusOr<std::size_t> Engine::purge(TimeMs before) {
  if (absl::Status s = check_no_batch("purge()"); !s.ok()) return s;
  absl::StatusOr<std::vector<CaseId>> purged = store_->purge(before);
  if (!purged.ok()) return purged.status();
  for (CaseId id : *purged) {
    if (const std::uint32_t* pos = index_.find(id)) drop(*pos);
  }
  return purged->size();
}

absl::StatusOr<VerifyReport> Engine::verify() {
  if (absl::Status s = check_no_batch("verify()"); !s.ok()) return s;
  if (absl::Status s = store_->checkpoint(); !s.ok()) return s;
  VerifyReport report;
  auto problem = [&report](std::string text) {
    ++report.mismatches;
    if (report.problems.size() < 20) report.problems.push_back(std::move(text));
  };
  Engine fresh(options_);
  // A case whose log does not replay is reported once; the others go on.
  absl::flat_hash_set<CaseId> broken;
  absl::Status read = store_->for_each_logged([&](const Event& e) {
    ++report.events;
    if (broken.contains(e.case_id)) return;
    absl::Status s = fresh.replay(e);
    if (!s.ok()) {
      broken.insert(e.case_id);
      problem(absl::StrFormat("event %d of case %d does not replay: %s", e.seq, e.case_id,
                              s.message()));
    }
  });
  if (!read.ok()) return read;
  absl::StatusOr<std::vector<CaseId>> ids = fresh.list(CaseFilter());
  if (!ids.ok()) return ids.status();
  auto scratch = std::make_unique<Arena>();
  for (CaseId id : *ids) {
    const Case* want = fresh.find(id);
    if (broken.contains(id)) continue;
    ++report.cases;
    if (report.cases % 4096 == 0) scratch = std::make_unique<Arena>();
    // A projection still behind its log (a read-only store cannot catch it
    // up) is compared through the engine's copy only.
    if (store_->holds_cases() && !store_->is_behind(id)) {
      absl::StatusOr<std::optional<Case>> stored = store_->stored_case(id, *scratch);
      if (!stored.ok()) return stored.status();
      if (!stored->has_value()) {
        problem(absl::StrFormat("case %d is in the log but has no stored projection", id));
        continue;
      }
      if (!(**stored == *want)) {
        problem(absl::StrFormat("case %d: the stored projection (event %d, %s) differs from its "
                                "log (event %d, %s)",
                                id, (*stored)->event_count, name((*stored)->state),
                                want->event_count, name(want->state)));
        continue;
      }
    }
    if (const Case* mine = find(id); mine != nullptr && !(*mine == *want)) {
      problem(absl::StrFormat("case %d: the engine's copy (event %d, %s) differs from its log "
                              "(event %d, %s)",
                              id, mine->event_count, name(mine->state), want->event_count,
                              name(want->state)));
    }
  }
  // The counters against a recount of the log (purged cases' counts stay in
  // the counters and are gone from the log: nothing to compare them with).
  if (broken.empty() && !store_->has_purged()) {
    constexpr Bucket kAll[2] = {std::numeric_limits<Bucket>::min(),
                                std::numeric_limits<Bucket>::max()};
    absl::StatusOr<CounterTotals> kept = store_->sum_counters(kAll[0], kAll[1]);
    if (!kept.ok()) return kept.status();
    absl::StatusOr<CounterTotals> recounted = fresh.store_->sum_counters(kAll[0], kAll[1]);
    if (!recounted.ok()) return recounted.status();
    for (const auto& [unit, tally] : recounted->units) {
      auto it = kept->units.find(unit);
      if (it == kept->units.end() || !(it->second == tally)) {
        problem(absl::StrFormat("the counters of unit %d differ from a recount of the log", unit));
      }
    }
    for (const auto& [unit, tally] : kept->units) {
      if (recounted->units.count(unit) == 0) {
        problem(absl::StrFormat("the counters have unit %d, which the log never counts", unit));
      }
    }
    if (kept->volumes.size() != recounted->volumes.size() ||
        !std::equal(kept->volumes.begin(), kept->volumes.end(), recounted->volumes.begin(),
                    [](const VolumeTotal& a, const VolumeTotal& b) {
                      return !(a < b) && !(b < a) && a.received == b.received;
                    })) {
      problem("the volume counters differ from a recount of the log");
    }
  }
  if (store_->holds_cases()) {
    absl::StatusOr<std::vector<CaseId>> stored = store_->list(CaseFilter(), nullptr);
    if (!stored.ok()) return stored.status();
    for (CaseId id : *stored) {
      if (fresh.find(id) == nullptr && !broken.contains(id)) {
        problem(absl::StrFormat("case %d has a stored projection but no events in the log", id));
      }
    }
  }
  return report;
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
