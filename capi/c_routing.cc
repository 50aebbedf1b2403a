// The C ABI of routing, deadlines and timers.
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "base/enum_cast.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"

using jszb::capi::check_time;
using jszb::capi::fail;
using jszb::capi::guarded;
using jszb::capi::notifying_call;
namespace core = jszb::core;

// A routing decision and the catalogue's verdicts, with their C views.
struct jszb_routing {
  std::optional<core::RouteDecision> decision;
  jszb_route route;
  std::vector<core::RuleVerdict> verdicts;
  std::vector<jszb_rule_verdict> c_verdicts;
};

namespace jszb::capi {

absl::StatusOr<core::RouteDecision> CRouter::route(const core::Case& c, const core::Policy*) {
  jszb_intake in = to_c(*c.intake);
  std::vector<std::uint32_t> pending = pending_co_handlers(c);
  std::vector<jszb_deadline> deadlines = running_deadlines(c);
  jszb_case_info info = to_c(c, &in, pending, deadlines);
  jszb_route out;
  std::memset(&out, 0, sizeof out);
  int rc = fn_(payload_, &info, &out);
  if (rc != JSZB_OK) {
    // The router's own code, when it is one of ours; E_STATE otherwise.
    std::string message = absl::StrFormat("the router refused case %d (it returned %d)", c.id, rc);
    switch (rc) {
      case JSZB_E_INVALID:
        return absl::InvalidArgumentError(message);
      case JSZB_E_NOT_FOUND:
        return absl::NotFoundError(message);
      case JSZB_E_DENIED:
        return absl::PermissionDeniedError(message);
      case JSZB_E_BUSY:
        return absl::UnavailableError(message);
      case JSZB_E_RANGE:
        return absl::OutOfRangeError(message);
      default:
        return absl::FailedPreconditionError(message);
    }
  }
  core::RouteDecision d;
  if (out.outcome < JSZB_ROUTE_DISPATCH || out.outcome > JSZB_ROUTE_NOT_DISPATCHED) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the router's decision for case %d has outcome %d: expected a "
                        "jszb_route_outcome (1..3)",
                        c.id, out.outcome));
  }
  d.outcome = static_cast<core::RouteDecision::Outcome>(out.outcome);
  if ((out.copy_to_count > 0 && out.copy_to == nullptr) ||
      (out.co_handlers_count > 0 && out.co_handlers == nullptr) || out.copy_to_count > 1024 ||
      out.co_handlers_count > 1024) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the router's decision for case %d has a unit list that is NULL with a "
                        "count, or too long",
                        c.id));
  }
  d.lead = out.lead;
  d.copy_to.assign(out.copy_to, out.copy_to + out.copy_to_count);
  d.co_handlers.assign(out.co_handlers, out.co_handlers + out.co_handlers_count);
  if (out.reason < 0 || out.reason > 254) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the router's decision for case %d has reason %d: not a jszb_not_dispatched_reason", c.id,
        out.reason));
  }
  d.reason = core::enum_cast<NotDispatchedReason>(out.reason);
  d.note = out.note ? out.note : "";
  d.rule = out.rule ? out.rule : "router";
  d.area.district = out.district;
  d.area.street = out.street;
  d.area.street_from_point = out.street_from_point != 0;
  return d;
}

}  // namespace jszb::capi

namespace {

void fill_views(jszb_routing* r) {
  std::memset(&r->route, 0, sizeof r->route);
  if (r->decision) {
    const core::RouteDecision& d = *r->decision;
    jszb_route& c = r->route;
    c.outcome = static_cast<int>(d.outcome);
    c.lead = d.lead;
    c.copy_to = d.copy_to.empty() ? nullptr : d.copy_to.data();
    c.copy_to_count = d.copy_to.size();
    c.co_handlers = d.co_handlers.empty() ? nullptr : d.co_handlers.data();
    c.co_handlers_count = d.co_handlers.size();
    c.reason = static_cast<int>(d.reason);
    c.note = d.note.c_str();
    c.rule = d.rule.c_str();
    c.district = d.area.district;
    c.street = d.area.street;
    c.street_from_point = d.area.street_from_point ? 1 : 0;
  }
  r->c_verdicts.clear();
  for (const core::RuleVerdict& v : r->verdicts) {
    r->c_verdicts.push_back(
        {v.rule_id.c_str(), v.priority, v.matched ? 1 : 0, v.chosen ? 1 : 0, v.why.c_str()});
  }
}

}  // namespace

extern "C" {

int jszb_engine_route(jszb_engine* engine, uint64_t case_id, jszb_routing** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (out == nullptr) return fail(JSZB_E_INVALID, "out is NULL");
    absl::StatusOr<core::RouteDecision> d;
    bool has_router = engine->router != nullptr;
    // The router may close the engine: the close waits for this call.
    int rc = notifying_call(engine, [&] {
      d = engine->engine.route(case_id);
      return d.ok() ? JSZB_OK : fail(d.status());
    });
    if (rc != JSZB_OK) return rc;
    auto r = std::make_unique<jszb_routing>();
    r->decision = std::move(*d);
    // Only a router can close the engine during route(); without one the
    // catalogue decided, and its verdicts go with the decision.
    if (!has_router) {
      absl::StatusOr<std::vector<core::RuleVerdict>> v = engine->engine.explain(case_id);
      if (v.ok()) r->verdicts = std::move(*v);  // none without a policy
    }
    fill_views(r.get());
    *out = r.release();
    return JSZB_OK;
  });
}

int jszb_engine_explain(jszb_engine* engine, uint64_t case_id, jszb_routing** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (out == nullptr) return fail(JSZB_E_INVALID, "out is NULL");
    absl::StatusOr<std::vector<core::RuleVerdict>> v = engine->engine.explain(case_id);
    if (!v.ok()) return fail(v.status());
    auto r = std::make_unique<jszb_routing>();
    r->verdicts = std::move(*v);
    // The catalogue's own decision, whatever router is plugged in.
    const core::Case* c = engine->engine.find(case_id);
    const core::Policy* p = engine->engine.policy(c->policy_version);
    absl::StatusOr<core::RouteDecision> d = core::route_by_catalogue(*p, *c);
    if (d.ok()) r->decision = std::move(*d);
    fill_views(r.get());
    *out = r.release();
    return JSZB_OK;
  });
}

void jszb_routing_free(jszb_routing* routing) { delete routing; }

const jszb_route* jszb_routing_decision(const jszb_routing* routing) {
  return routing == nullptr || !routing->decision ? nullptr : &routing->route;
}

size_t jszb_routing_verdict_count(const jszb_routing* routing) {
  return routing == nullptr ? 0 : routing->c_verdicts.size();
}

const jszb_rule_verdict* jszb_routing_verdict(const jszb_routing* routing, size_t index) {
  if (routing == nullptr || index >= routing->c_verdicts.size()) return nullptr;
  return &routing->c_verdicts[index];
}

int jszb_engine_dispatch_routed(jszb_engine* engine, uint64_t case_id, int64_t time_ms,
                                jszb_actor actor) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_time(time_ms, "time_ms")) return rc;
    if (actor.role < 0 || actor.role > 254) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("actor.role is %d: not a jszb_role", actor.role).c_str());
    }
    jszb::Actor a{core::enum_cast<jszb::Role>(actor.role), actor.unit, actor.staff};
    return notifying_call(engine, [&] {
      absl::Status s = engine->engine.dispatch_routed(case_id, time_ms, a);
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_set_router(jszb_engine* engine, jszb_router_fn fn, void* payload) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (engine->engine.busy()) {
      return fail(JSZB_E_BUSY, "a listener or router must not change the engine that called it");
    }
    if (fn == nullptr) {
      engine->engine.set_router(nullptr);
      engine->router.reset();
      return JSZB_OK;
    }
    auto router = std::make_unique<jszb::capi::CRouter>(fn, payload);
    engine->engine.set_router(router.get());
    engine->router = std::move(router);
    return JSZB_OK;
  });
}

int jszb_engine_case_deadlines(jszb_engine* engine, uint64_t case_id, int64_t now_ms,
                               jszb_deadline_status** out, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (out == nullptr || count == nullptr) return fail(JSZB_E_INVALID, "out or count is NULL");
    if (int rc = check_time(now_ms, "now_ms")) return rc;
    absl::StatusOr<std::vector<core::DeadlineStatus>> ds =
        engine->engine.deadlines(case_id, now_ms);
    if (!ds.ok()) return fail(ds.status());
    jszb_deadline_status* arr = nullptr;
    if (!ds->empty()) {
      arr = static_cast<jszb_deadline_status*>(std::malloc(ds->size() * sizeof *arr));
      if (arr == nullptr) throw std::bad_alloc();
      for (std::size_t i = 0; i < ds->size(); ++i) {
        const core::DeadlineStatus& d = (*ds)[i];
        arr[i] = {static_cast<int>(d.step),
                  d.deadline.start,
                  d.deadline.due,
                  d.used,
                  d.left,
                  d.overdue ? 1 : 0,
                  d.paused ? 1 : 0,
                  d.deadline.working ? 1 : 0,
                  d.deadline.fired,
                  d.deadline.estimated ? 1 : 0};
      }
    }
    *out = arr;
    *count = ds->size();
    return JSZB_OK;
  });
}

int jszb_engine_advance(jszb_engine* engine, int64_t now_ms) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_time(now_ms, "now_ms")) return rc;
    return notifying_call(engine, [&] {
      absl::Status s = engine->engine.advance(now_ms);
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_engine_timers_pending(jszb_engine* engine, uint64_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (count == nullptr) return fail(JSZB_E_INVALID, "count is NULL");
    *count = engine->engine.timers_pending();
    return JSZB_OK;
  });
}

}  // extern "C"
