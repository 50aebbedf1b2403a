// Engine: commands. A request is submitted, a command validated, decided by
// the lifecycle and recorded as an event; a recorded event is replayed the
// same way. Routing decides a dispatch and runs it as the engine's command.
#include <algorithm>
#include <optional>

#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "lifecycle/projection.h"
#include "lifecycle/validate.h"
#include "model/deep_copy.h"
#include "model/names.h"
#include "model/refusal.h"
#include "model/request_fingerprint.h"
#include "policy/deadline_planner.h"

namespace jszb::core {

namespace {

// Room for one more element, so that the push that follows cannot fail;
// growing geometrically (reserve(size + 1) would reallocate on every push).
template <class Vector>
void reserve_one_more(Vector& v) {
  if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(16, 2 * v.capacity()));
}

}  // namespace

// ------------------------------------------------------------------- intake

absl::StatusOr<SubmitResult> Engine::submit(const Intake& intake) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  if (absl::Status s = validate_intake(intake); !s.ok()) return s;
  ChannelKey key{intake.channel, intake.channel_ref};
  if (auto it = by_channel_ref_.find(key); it != by_channel_ref_.end()) {
    return SubmitResult{it->second, false};
  }
  if (archive_ != nullptr) {
    absl::StatusOr<std::optional<CaseId>> stored =
        archive_->find_channel_ref(intake.channel, intake.channel_ref);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) return SubmitResult{**stored, false};
  }
  return as_batch([&]() -> absl::StatusOr<SubmitResult> {
    Event e;
    e.case_id = next_id_;
    e.seq = 1;
    e.type = EventType::kSubmitted;
    e.state = State::kReceived;
    e.time = intake.time;
    e.actor = intake.actor;
    e.intake = deep_copy(intake, arena_);
    e.policy_version = current_ ? current_->version() : 0;
    if (absl::Status s = create(e, nullptr); !s.ok()) return s;
    return SubmitResult{e.case_id, true};
  });
}

// Makes the case of a kSubmitted event whose intake lives in the arena.
absl::Status Engine::create(Event& e, const Event* recorded) {
  if (recorded != nullptr) {
    e.deadlines = deep_copy(recorded->deadlines, arena_);
  } else if (const Policy* p = policy(e.policy_version)) {
    Case blank;
    blank.intake = e.intake;
    absl::StatusOr<DeadlinePlan> plan = plan_deadlines(*p, blank, e);
    if (!plan.ok()) return plan.status();
    e.deadlines = deep_copy(plan->view(), arena_);
  }
  reserve_one_more(batch_.events);
  batch_.touched.reserve(batch_.touched.size() + 1);
  arena_.reserve(arena_bytes_to_apply(Case(), e));
  Case& c = adopt(case_from_submission(e, arena_));
  batch_.touched.emplace(*index_.find(c.id), true);
  batch_.events.push_back(e);
  ++counts_.events_applied;
  count_submission(c, batch_.counters, counted_place(c));
  return absl::OkStatus();
}

// The area the case's policy resolves for the request, named as the policy
// names its units (they live as long as the engine keeps the policy).
CountedPlace Engine::counted_place(const Case& c) const {
  const Policy* p = policy_of(c);
  if (p == nullptr) return {};
  Area a = p->resolve_area(*c.intake);
  const UnitInfo* district = p->unit(a.district);
  if (district == nullptr) return {};
  const UnitInfo* street = p->unit(a.street);
  return {district->name, street != nullptr ? std::string_view(street->name) : std::string_view()};
}

absl::Status Engine::apply(const Command& cmd) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return run(cmd, nullptr); });
}

Facts Engine::facts_for(const Case& c, const Command& cmd, const Event* recorded) const {
  Facts f;
  if (const Policy* p = policy_of(c)) {
    if (const UnitInfo* lead = p->unit(c.lead_unit)) {
      f.lead_district = lead->unit_class == v1::UNIT_CLASS_DISTRICT ? lead->code : lead->district;
    }
    f.extensions_per_dispatch = p->extension_allowance() == v1::EXTENSION_ALLOWANCE_PER_DISPATCH;
    if (cmd.kind == CommandKind::kForwardToCommunity) {
      const UnitInfo* community = p->unit(cmd.payload.unit);
      if (community != nullptr && community->unit_class == v1::UNIT_CLASS_COMMUNITY) {
        f.community_street = community->street;
      }
    }
  } else if (recorded != nullptr) {
    // A log replayed without its policy: what only the policy knows is taken
    // from the log, which the live engine checked when it was written (the
    // extension allowance per handling cycle is never the stricter one).
    f.lead_district = cmd.actor.unit;
    f.community_street = c.lead_unit;
  }
  return f;
}

// A community is reached through its street (forward_to_community), never by
// dispatch: the street stays responsible and assessed.
absl::Status Engine::check_not_community(const Case& c, const Command& cmd) const {
  if (cmd.kind != CommandKind::kDispatch && cmd.kind != CommandKind::kApproveReturn) {
    return absl::OkStatus();
  }
  const Policy* p = policy_of(c);
  const UnitInfo* u = p != nullptr ? p->unit(cmd.payload.unit) : nullptr;
  if (u == nullptr || u->unit_class != v1::UNIT_CLASS_COMMUNITY) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "payload.unit %d is a community (%s): orders go to its street %d, which may forward them "
      "(forward_to_community)",
      u->code, u->name, u->street));
}

absl::Status Engine::check_units_known(const Case& c, const Command& cmd) const {
  const Policy* p = policy_of(c);
  if (p == nullptr) return absl::OkStatus();  // no policy: units are the caller's own
  auto unknown = [&](const char* field, UnitId u) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s %d is not a unit of policy \"%s\" version %d", field, u, p->name(), p->version()));
  };
  const Payload& pl = cmd.payload;
  bool names_lead = cmd.kind == CommandKind::kDispatch || cmd.kind == CommandKind::kApproveReturn;
  if (names_lead && pl.unit != 0 && p->unit(pl.unit) == nullptr)
    return unknown("payload.unit", pl.unit);
  for (UnitId u : pl.copy_to) {
    if (p->unit(u) == nullptr) return unknown("payload.copy_to", u);
  }
  for (UnitId u : pl.units) {
    if (p->unit(u) == nullptr) return unknown("payload.units", u);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Engine::is_retry(const Command& cmd) const {
  std::optional<std::uint64_t> seen;
  for (const auto& [id, fingerprint] : batch_.requests) {
    if (id == cmd.payload.request_id) seen = fingerprint;
  }
  // A pipelined batch still committing: the store may not show its ids yet.
  if (!seen && in_flight_ != nullptr) {
    for (const auto& [id, fingerprint] : in_flight_->batch.requests) {
      if (id == cmd.payload.request_id) seen = fingerprint;
    }
  }
  if (!seen) {
    absl::StatusOr<std::optional<std::uint64_t>> stored =
        store_->request_fingerprint(cmd.payload.request_id);
    if (!stored.ok()) return stored.status();
    seen = *stored;
  }
  if (!seen) return false;
  if (*seen == EventLog::kFingerprintGone || *seen == request_fingerprint(cmd)) return true;
  return absl::AlreadyExistsError(absl::StrFormat(
      "payload.request_id \"%s\" was used by another command (a different case, kind, actor, "
      "time or payload); a retry must repeat its command exactly, and a new command needs a new "
      "request id",
      cmd.payload.request_id));
}

absl::Status Engine::run(const Command& cmd, const Event* recorded, bool engine_made) {
  if (absl::Status s = validate_command(cmd, engine_made || recorded != nullptr); !s.ok()) {
    return s;
  }
  // A retried command (same client request id, same command) is not applied
  // twice; the id on another command is a conflict.
  if (!cmd.payload.request_id.empty() && recorded == nullptr) {
    if (absl::StatusOr<bool> retry = is_retry(cmd); !retry.ok() || *retry) return retry.status();
  }
  absl::StatusOr<Case*> found = find_mutable(cmd.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr)
    return absl::NotFoundError(absl::StrFormat("case %d does not exist", cmd.case_id));
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

  Decision d = lifecycle_.decide(*c, cmd, facts_for(*c, cmd, recorded));
  if (!d.accepted) return refused(c->id, {c->state, cmd.kind, d.refusal});
  if (recorded != nullptr && recorded->state != d.to) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d records state %s, but %s from %s leads to %s", recorded->seq, c->id,
        name(recorded->state), name(cmd.kind), name(c->state), name(d.to)));
  }
  if (absl::Status s = validate_against_case(*c, cmd); !s.ok()) return s;
  if (absl::Status s = check_not_community(*c, cmd); !s.ok()) return s;
  if (recorded == nullptr) {
    if (absl::Status s = check_units_known(*c, cmd); !s.ok()) return s;
  }
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
  e.payload = deep_copy(cmd.payload, arena_);
  e.policy_version = c->policy_version;
  if (e.type == EventType::kDispatched || e.type == EventType::kReturnApproved) {
    if (e.payload.mode == DispatchMode::kUnspecified) e.payload.mode = DispatchMode::kDirect;
  }
  if (e.type == EventType::kHeldLongTerm && recorded == nullptr) {
    const Policy* p = policy_of(*c);
    e.payload.valid_visit = p != nullptr && p->long_term_pending() == v1::LONG_TERM_IN_RATES;
  }
  if (!cmd.payload.request_id.empty()) {
    batch_.requests.emplace_back(cmd.payload.request_id, request_fingerprint(cmd));
  }
  return record(*c, e, recorded);
}

absl::Status Engine::record(Case& c, Event& e, const Event* recorded) {
  if (recorded != nullptr) {
    e.deadlines = deep_copy(recorded->deadlines, arena_);
  } else if (const Policy* p =
                 e.type == EventType::kReplanned ? policy(e.policy_version) : policy_of(c)) {
    absl::StatusOr<DeadlinePlan> plan = plan_deadlines(*p, c, e);
    if (!plan.ok()) return plan.status();
    e.deadlines = deep_copy(plan->view(), arena_);
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
  ++counts_.events_applied;
  count_event(counted, c, e, batch_.counters);
  return absl::OkStatus();
}

absl::Status Engine::replay(const Event& recorded) {
  if (absl::Status s = check_not_busy(); !s.ok()) return s;
  return as_batch([&] { return replay_one(recorded); });
}

absl::Status Engine::replay_one(const Event& recorded) {
  if (is_timer_event(recorded.type)) return replay_timer_event(recorded);
  if (recorded.type == EventType::kAutoVisited) return replay_expiry_result(recorded);
  if (recorded.type == EventType::kReplanned) return replay_replanned(recorded);
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
    return absl::InvalidArgumentError(
        absl::StrFormat("a submitted event is seq 1 in state received, not seq %d in state %s",
                        recorded.seq, name(recorded.state)));
  }
  if (recorded.time != recorded.intake->time || !(recorded.actor == recorded.intake->actor)) {
    return absl::InvalidArgumentError(
        "a submitted event's time and actor must be its intake's time and actor");
  }
  if (absl::Status s = validate_intake(*recorded.intake); !s.ok()) return s;
  absl::StatusOr<Case*> existing = find_mutable(recorded.case_id);
  if (!existing.ok()) return existing.status();
  if (*existing != nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat("case %d exists already", recorded.case_id));
  }
  const Intake& in = *recorded.intake;
  if (auto it = by_channel_ref_.find(ChannelKey{in.channel, in.channel_ref});
      it != by_channel_ref_.end()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("channel %s reference \"%s\" belongs to case %d already", name(in.channel),
                        in.channel_ref, it->second));
  }
  Event e = recorded;
  e.intake = deep_copy(in, arena_);
  return create(e, &recorded);
}

// A timer event from a log: it must be the case's next event and fire the
// next mark of a running deadline, in the state the case is in.
absl::Status Engine::replay_expiry_result(const Event& recorded) {
  absl::StatusOr<Case*> found = find_mutable(recorded.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrFormat("case %d does not exist", recorded.case_id));
  }
  const Deadline& window = c->deadline(StepId::kExpiryVisit);
  if (recorded.seq != c->event_count + 1 || recorded.state != c->state ||
      recorded.time < c->last_event || recorded.actor.role != Role::kSystem || !window.running() ||
      window.fired == 0 || recorded.time < window.due) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d (auto_visited) does not fit: the engine's Art. 23 result is its "
        "case's next event, keeps the state, is the system's and comes once the window after "
        "the reply deadline has run out",
        recorded.seq, c->id));
  }
  Event e = recorded;
  e.payload = deep_copy(recorded.payload, arena_);
  return record(*c, e, &recorded);
}

// A move to a new policy version from a log: the case's next event, the
// system's, in time order, keeping the state, to another version, which must be
// loaded unless the engine runs under no policy at all (verify() replays into
// such an engine: the recorded deadlines are all it needs).
absl::Status Engine::replay_replanned(const Event& recorded) {
  absl::StatusOr<Case*> found = find_mutable(recorded.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrFormat("case %d does not exist", recorded.case_id));
  }
  if (recorded.seq != c->event_count + 1 || recorded.state != c->state ||
      recorded.time < c->last_event || recorded.actor.role != Role::kSystem ||
      recorded.policy_version == 0 || recorded.policy_version == c->policy_version) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d (replanned) does not fit: the engine's move to a new policy "
        "version is its case's next event, keeps the state, is the system's, comes in time "
        "order and names another version",
        recorded.seq, c->id));
  }
  if (!policies_.empty() && policy(recorded.policy_version) == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "event %d of case %d moves it to policy version %d, which is not loaded: load it first",
        recorded.seq, c->id, recorded.policy_version));
  }
  Event e = recorded;
  e.payload = deep_copy(recorded.payload, arena_);
  return record(*c, e, &recorded);
}

absl::Status Engine::replay_timer_event(const Event& recorded) {
  absl::StatusOr<Case*> found = find_mutable(recorded.case_id);
  if (!found.ok()) return found.status();
  Case* c = *found;
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrFormat("case %d does not exist", recorded.case_id));
  }
  if (recorded.seq != c->event_count + 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event seq is %d, but case %d's next event is %d", recorded.seq, c->id,
                        c->event_count + 1));
  }
  const Payload& p = recorded.payload;
  if (recorded.state != c->state || recorded.time < c->last_event ||
      recorded.actor.role != Role::kSystem || p.step < 1 || p.step > kSteps) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d (%s) does not fit: a timer event keeps the state, comes in time "
        "order, is the system's and names a step",
        recorded.seq, c->id, name(recorded.type)));
  }
  const Deadline& d = c->deadline(static_cast<StepId>(p.step));
  if (!d.running() || p.mark != d.fired) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "event %d of case %d fires mark %d of step %d, which is not the deadline's next mark",
        recorded.seq, c->id, p.mark, p.step));
  }
  Event e = recorded;
  e.payload = deep_copy(recorded.payload, arena_);
  return record(*c, e, &recorded);
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

}  // namespace jszb::core
