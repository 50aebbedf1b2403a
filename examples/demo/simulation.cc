#include "simulation.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace demo {

namespace {

std::string describe(const jszb::Error& e) {
  std::string s = e.what();
  if (e.refusal() != jszb::Refusal::kNone) {
    const char* refusal = jszb_refusal_name(static_cast<int>(e.refusal()));
    s += " [state ";
    s += std::string(jszb::name(e.state()));
    s += ", refusal ";
    s += refusal ? refusal : "?";
    s += "]";
  }
  return s;
}

std::string describe_last() { return describe(jszb::Error(*jszb_error_last())); }

const char* planted_name(Planted p) {
  switch (p) {
    case Planted::kEmergency:
      return "an emergency";
    case Planted::kLegalChannel:
      return "a matter before a court or in arbitration";
    case Planted::kNone:
      break;
  }
  return "nothing the catalogue refuses";
}

std::string rule_of_last_event(const jszb::CaseSnapshot& snap) {
  const jszb_event& e = snap.event(snap.event_count() - 1);
  return e.payload != nullptr && e.payload->rule != nullptr ? e.payload->rule : "?";
}

}  // namespace

Simulation::Simulation(jszb::Engine& engine, const Workload& workload)
    : engine_(engine), workload_(workload), case_ids_(workload.size(), 0), runs_(workload.size()) {
  request_of_.reserve(workload.size());
  std::vector<jszb::CaseId> earlier = engine.list();
  carried_max_id_ = earlier.empty() ? 0 : earlier.back();
  // Listeners may only read the engine: note the returns, act on them later.
  engine_.add_listener([this](const jszb_event& e) {
    if (e.type == JSZB_EVENT_AUTO_RETURNED) returned_.emplace_back(e.case_id, e.time_ms);
  });
}

void Simulation::push(Ms time, std::uint32_t request, What what) {
  heap_.push_back({time, seq_++, request, runs_[request].gen, what});
  std::push_heap(heap_.begin(), heap_.end(), [](const Due& a, const Due& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  });
}

Simulation::Due Simulation::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), [](const Due& a, const Due& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  });
  Due d = heap_.back();
  heap_.pop_back();
  return d;
}

void Simulation::schedule(std::uint32_t request, Ms not_before) {
  Run& r = runs_[request];
  if (r.next < r.script.size()) {
    Ms& t = r.script[r.next].command.time;
    t = std::max(t, not_before);
    push(t, request, What::kStep);
  } else {
    std::vector<Step>().swap(r.script);  // done: free it
    r.next = 0;
  }
}

void Simulation::rewrite_script(std::uint32_t request, const jszb_case_info& info, Ms time) {
  Run& r = runs_[request];
  Dispatch d;
  d.time = time;
  d.lead = info.lead_unit;
  d.mode = static_cast<jszb::DispatchMode>(info.dispatch_mode);
  d.co_handlers.assign(info.co_handlers_pending,
                       info.co_handlers_pending + info.co_handlers_pending_count);
  d.cycle = r.cycle;
  r.script = workload_.after_dispatch(request, d);
  r.next = 0;
}

Ms Simulation::take_returns(Ms now) {
  Ms earliest = std::numeric_limits<Ms>::max();
  for (const auto& [id, at] : returned_) {
    auto it = request_of_.find(id);
    if (it == request_of_.end()) {
      // A case of an earlier run (a continued store): no script drives it, so
      // it waits at the centre; any other case is the generator's bug.
      if (id <= carried_max_id_) {
        ++stats_.carried_returns;
        continue;
      }
      throw GeneratorBug("the engine returned case " + std::to_string(id) +
                         ", which the simulation did not submit");
    }
    std::uint32_t i = it->second;
    Run& r = runs_[i];
    r.returned = true;
    ++stats_.auto_returns;
    Ms when = std::max(now, at + workload_.centre_reaction(i, r.cycle + 1));
    push(when, i, What::kRedispatch);
    earliest = std::min(earliest, when);
  }
  returned_.clear();
  return earliest;
}

void Simulation::after_routed(std::uint32_t i, Ms time) {
  Run& r = runs_[i];
  const jszb::CaseId id = case_ids_[i];
  jszb::CaseSnapshot snap = engine_.get(id);
  const jszb_case_info& info = snap.info();
  const Arrival& a = workload_.arrival(i);
  const std::string who = "request #" + std::to_string(i + 1) + " (case " + std::to_string(id) +
                          ", \"" + info.intake->content + "\")";
  if (info.state == JSZB_STATE_DISPATCHED) {
    if (a.planted != Planted::kNone) {
      throw GeneratorBug(who + " says " + planted_name(a.planted) +
                         ", but the catalogue dispatched it by rule " + rule_of_last_event(snap));
    }
    rewrite_script(i, info, time);
    schedule(i, time);
    return;
  }
  if (info.state == JSZB_STATE_NOT_DISPATCHED) {
    int expected = a.planted == Planted::kEmergency      ? JSZB_NOT_DISPATCHED_EMERGENCY
                   : a.planted == Planted::kLegalChannel ? JSZB_NOT_DISPATCHED_LEGAL_CHANNEL
                                                         : 0;
    if (info.not_dispatched_reason != expected) {
      const char* reason = jszb_not_dispatched_reason_name(info.not_dispatched_reason);
      throw GeneratorBug(who + " says " + planted_name(a.planted) +
                         ", but the catalogue refused it (" + (reason ? reason : "?") +
                         ") by rule " + rule_of_last_event(snap) +
                         ": its words hit a rule they were not meant to");
    }
    r.script.clear();
    schedule(i, time);
    return;
  }
  const char* state = jszb_state_name(info.state);
  throw GeneratorBug(who + " is " + (state ? state : "?") + " after a routed dispatch");
}

void Simulation::apply_step(std::uint32_t i, Ms time) {
  Run& r = runs_[i];
  const Step& step = r.script[r.next];
  const jszb::CaseId id = case_ids_[i];
  auto bug = [&](const std::string& what, const std::string& why) {
    return GeneratorBug("the engine refused " + what + " (step " + std::to_string(r.next + 1) +
                        " of " + std::to_string(r.script.size()) + ") on case " +
                        std::to_string(id) + " (request #" + std::to_string(i + 1) + ") at " +
                        format_date_time(time) + ": " + why);
  };
  // A refusal because a timer moved the case on within the call itself (the
  // clock was advanced to `time` just before, so this should not happen): the
  // step waits for the re-dispatch like the others.
  auto moved_on = [&]() {
    const jszb_error& e = *jszb_error_last();
    bool returned_now = std::any_of(returned_.begin(), returned_.end(),
                                    [id](const auto& ret) { return ret.first == id; });
    if (!returned_now || e.state != JSZB_STATE_RECEIVED) return false;
    ++stats_.refusals_moved_on;
    take_returns(time);
    return true;
  };

  if (step.op == Step::Op::kDispatchRouted) {
    if (engine_.try_dispatch_routed(id, time, step.command.actor) != JSZB_OK) {
      if (moved_on()) return;
      throw bug("a routed dispatch", describe_last());
    }
    ++stats_.commands;
    ++stats_.routed;
    ++r.next;
    after_routed(i, time);
    return;
  }

  jszb::Command cmd = step.command;
  cmd.case_id = id;
  cmd.time = time;
  if (step.other_request >= 0)
    cmd.other_case = case_ids_[static_cast<std::size_t>(step.other_request)];
  if (engine_.try_apply(cmd) != JSZB_OK) {
    if (moved_on()) return;
    throw bug(std::string(jszb::name(cmd.kind)), describe_last());
  }
  ++stats_.commands;
  ++r.next;
  schedule(i, time);
}

void Simulation::redispatch(std::uint32_t i, Ms time) {
  Run& r = runs_[i];
  const jszb::CaseId id = case_ids_[i];
  const jszb::Actor dispatcher = centre_dispatcher(2001 + static_cast<std::uint32_t>(i % 16));
  if (engine_.try_dispatch_routed(id, time, dispatcher) != JSZB_OK) {
    throw GeneratorBug("the engine refused to dispatch case " + std::to_string(id) + " (request #" +
                       std::to_string(i + 1) + ") again at " + format_date_time(time) +
                       " after it came back unsigned: " + describe_last());
  }
  ++stats_.commands;
  ++stats_.routed;
  ++stats_.redispatches;
  r.returned = false;
  ++r.cycle;
  ++r.gen;  // the step scheduled before the return (if any) is stale now

  jszb::CaseSnapshot snap = engine_.get(id);
  const jszb_case_info& info = snap.info();
  if (info.state != JSZB_STATE_DISPATCHED) {
    const char* state = jszb_state_name(info.state);
    throw GeneratorBug("case " + std::to_string(id) + " (request #" + std::to_string(i + 1) +
                       ") is " + (state ? state : "?") + " after being dispatched again");
  }
  if (r.next < r.script.size() && r.script[r.next].lead == info.lead_unit) {
    // The same unit has it again: the rest of the script goes on from here.
    // The step that waited comes a little after the re-dispatch; the later ones
    // move by as much if that is later than planned, else they keep their times.
    Step& held = r.script[r.next];
    bool by_unit = held.command.actor.role == jszb::Role::kUnit;
    Ms resume = time + workload_.resume_delay(i, r.cycle, by_unit);
    Ms delta = resume - held.command.time;
    held.command.time = resume;
    if (delta > 0) {
      for (std::size_t k = r.next + 1; k < r.script.size(); ++k) r.script[k].command.time += delta;
    }
    ++stats_.scripts_moved;
  } else {
    // Another unit (the first one had passed it on): a script for that one.
    rewrite_script(i, info, time);
    ++stats_.scripts_rewritten;
  }
  schedule(i, time);
}

SimulationStats Simulation::run(const std::vector<Ms>& cuts, const Cut& on_cut) {
  if (cuts.empty() || cuts.back() != workload_.end() || !std::is_sorted(cuts.begin(), cuts.end())) {
    throw std::invalid_argument("Simulation::run: cuts must ascend to the workload's end");
  }
  stats_ = SimulationStats{};
  heap_.clear();
  for (std::size_t i = 0; i < workload_.size(); ++i) {
    push(workload_.arrival(i).time, static_cast<std::uint32_t>(i), What::kSubmit);
  }

  std::size_t k = 0;  // the cut that comes next
  while (k < cuts.size()) {
    const Ms cut = cuts[k];
    if (heap_.empty() || top().time >= cut) {
      // The period's last timers, then its bulletin (unless they sent orders
      // back that the centre dispatches again before the cut).
      engine_.advance(cut - 1);
      if (take_returns(cut - 1) < cut) continue;
      on_cut(static_cast<int>(k++));
      continue;
    }
    const Ms t = top().time;
    engine_.advance(t);  // the policy's clocks first: warnings, breaches, returns
    take_returns(t);     // re-dispatches come at t or later, after what is due now
    const Due due = pop();
    Run& r = runs_[due.request];
    if (due.gen != r.gen) continue;  // superseded by a re-dispatch
    switch (due.what) {
      case What::kSubmit: {
        jszb::Request request = workload_.request(due.request);
        bool created = false;
        jszb::CaseId id = 0;
        try {
          id = engine_.submit(request, &created);
        } catch (const jszb::Error& e) {
          throw GeneratorBug("the engine refused request #" + std::to_string(due.request + 1) +
                             " (" + request.channel_ref + ") at " + format_date_time(t) + ": " +
                             describe(e));
        }
        if (!created) {
          throw GeneratorBug("request #" + std::to_string(due.request + 1) + " (" +
                             request.channel_ref + ") was taken for a resubmission");
        }
        case_ids_[due.request] = id;
        request_of_.emplace(id, due.request);
        ++stats_.submissions;
        r.script = workload_.triage(due.request);
        r.next = 0;
        schedule(due.request, t);
        break;
      }
      case What::kStep:
        if (r.returned) {  // waits for the re-dispatch, which schedules it again
          ++stats_.steps_waited;
          break;
        }
        apply_step(due.request, t);
        break;
      case What::kRedispatch:
        redispatch(due.request, t);
        break;
    }
    take_returns(t);  // a return inside the call itself (see apply_step)
  }
  // The end of the last period: every clock up to that instant.
  engine_.advance(workload_.end());
  take_returns(workload_.end());

  std::vector<bool> counted(runs_.size(), false);
  for (const Due& due : heap_) {
    const Run& r = runs_[due.request];
    if (due.gen != r.gen) continue;
    if (due.what == What::kRedispatch) ++stats_.awaiting_redispatch;
    if (counted[due.request]) continue;
    counted[due.request] = true;
    ++stats_.cases_unfinished;
    stats_.steps_after_end += r.script.size() - r.next;
  }
  return stats_;
}

}  // namespace demo
