"""Routing: the policy's dispatch catalogue, explanations and Python routers."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from typing import Any, List

import pytest

import jszb
from jszb import (
    Case,
    DispatchMode,
    EventType,
    NotDispatchedReason,
    RouteDecision,
    RouteOutcome,
    State,
)
from conftest import (
    BEIJING_VERSION,
    CHAOYANG,
    DISPATCHER,
    HEPINGJIE,
    MINUTE,
    OPERATOR,
    ROOT,
    SOURCE_PACKAGE_DIR,
    T0,
    request,
)

WATER_COMPANY = 110000801  # 北京市自来水集团 in the built-in policy


# ------------------------------------------------------------ the catalogue


def test_a_street_request_goes_to_the_street_copied_to_its_district(peng: jszb.Engine) -> None:
    case_id = request(peng)
    route = peng.route(case_id)
    assert route.outcome is RouteOutcome.DISPATCH
    assert (route.lead, route.copy_to, route.co_handlers) == (HEPINGJIE, (CHAOYANG,), ())
    assert route.rule == "street-first"
    assert (route.district, route.street, route.street_from_point) == (CHAOYANG, HEPINGJIE, False)
    assert peng.case(case_id).event_count == 1  # routing alone changes nothing

    peng.dispatch_routed(case_id, T0 + 10 * MINUTE, DISPATCHER)
    c = peng.case(case_id)
    assert (c.state, c.lead_unit, c.copy_to, c.dispatch_mode) == (
        State.DISPATCHED, HEPINGJIE, (CHAOYANG,), DispatchMode.DIRECT)
    assert c.policy_version == BEIJING_VERSION
    dispatched = c.events[1]
    assert dispatched.type is EventType.DISPATCHED
    assert dispatched.actor == DISPATCHER
    assert dispatched.payload.rule == "street-first"  # recorded for appeals
    assert dispatched.policy_version == BEIJING_VERSION


def test_an_emergency_is_not_dispatched(peng: jszb.Engine) -> None:
    case_id = request(peng, content="楼下饭店着火了")
    route = peng.route(case_id)
    assert (route.outcome, route.reason, route.rule) == (
        RouteOutcome.NOT_DISPATCHED, NotDispatchedReason.EMERGENCY, "emergency")
    assert route.note  # what the citizen is told
    peng.dispatch_routed(case_id, T0 + MINUTE, OPERATOR)
    c = peng.case(case_id)
    assert (c.state, c.not_dispatched_reason) == (State.NOT_DISPATCHED, NotDispatchedReason.EMERGENCY)
    assert c.events[-1].payload.text == route.note
    assert c.events[-1].payload.rule == "emergency"


def test_a_utility_request_goes_to_the_enterprise(peng: jszb.Engine) -> None:
    case_id = request(peng, category=("公共服务", "供水", "停水"), content="小区停水两天了")
    route = peng.route(case_id)
    assert (route.outcome, route.lead, route.copy_to, route.rule) == (
        RouteOutcome.DISPATCH, WATER_COMPANY, (), "utility-water")


def test_a_department_matter_goes_to_the_street_which_whistles(peng: jszb.Engine) -> None:
    # 直派街乡: the built-in policy sends wage arrears, prepaid cards, tree pests ...
    # to the street too; the street calls the bureau in as a co-handler (吹哨).
    for n, category in enumerate((("劳动和社会保障", "劳动报酬", "拖欠工资"),
                                  ("市场管理", "预付式消费", "预付式消费退费难"),
                                  ("环境保护", "园林绿化", "树木病虫害"))):
        case_id = request(peng, f"dept-{n}", category=category, content="请相关部门处理")
        route = peng.route(case_id)
        assert (route.lead, route.copy_to, route.rule) == (HEPINGJIE, (CHAOYANG,), "street-first")


def test_district_only_means_the_district_coordinates(peng: jszb.Engine) -> None:
    case_id = request(peng, street=None)
    route = peng.route(case_id)
    assert (route.outcome, route.lead, route.rule) == (
        RouteOutcome.DISTRICT_COORDINATES, CHAOYANG, "district-coordinates")
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    c = peng.case(case_id)
    assert (c.lead_unit, c.dispatch_mode) == (CHAOYANG, DispatchMode.DISTRICT_COORDINATES)


def test_without_an_area_no_rule_applies(peng: jszb.Engine) -> None:
    case_id = request(peng, district=None, street=None)
    with pytest.raises(jszb.StateError) as exc:
        peng.route(case_id)
    assert f"case {case_id}" in exc.value.message
    assert "no rule" in exc.value.message
    with pytest.raises(jszb.StateError):
        peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert peng.case(case_id).event_count == 1  # nothing applied
    decision, verdicts = peng.explain(case_id)
    assert decision is None
    assert verdicts and not any(v.chosen for v in verdicts)
    assert not any(v.matched for v in verdicts if v.rule in ("street-first", "district-coordinates"))


def test_explain_gives_every_rule_a_verdict(peng: jszb.Engine) -> None:
    case_id = request(peng)
    decision, verdicts = peng.explain(case_id)
    assert decision is not None and decision.rule == "street-first"
    assert decision == peng.route(case_id)  # the same decision, with the same verdicts
    assert decision.verdicts == verdicts
    by_rule = {v.rule: v for v in verdicts}
    assert len(by_rule) == len(verdicts) > 3
    chosen = [v for v in verdicts if v.chosen]
    assert len(chosen) == 1 and chosen[0] is decision.chosen
    assert (chosen[0].rule, chosen[0].matched, chosen[0].priority) == ("street-first", True, 100)
    emergency = by_rule["emergency"]
    assert not emergency.matched and not emergency.chosen
    assert "keywords" in emergency.why and "着火" in emergency.why
    # Matching is not enough: a higher priority rule decides.
    fallback = by_rule["district-coordinates"]
    assert fallback.matched and not fallback.chosen
    assert "street-first" in fallback.why


def test_routing_needs_a_policy_or_a_router(eng: jszb.Engine) -> None:
    case_id = request(eng)
    assert eng.case(case_id).policy_version == 0
    with pytest.raises(jszb.StateError) as exc:
        eng.route(case_id)
    assert "no policy" in exc.value.message
    with pytest.raises(jszb.StateError):
        eng.explain(case_id)
    with pytest.raises(jszb.NotFound):
        eng.route(999)


def test_the_library_refuses_an_auto_return_from_anyone_but_the_system(peng: jszb.Engine) -> None:
    case_id = request(peng)
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    with pytest.raises(jszb.Denied) as exc:
        peng.apply(jszb.CommandKind.AUTO_RETURN, case_id, T0 + 2 * MINUTE, DISPATCHER)
    assert exc.value.refusal is jszb.Refusal.NOT_SYSTEM
    assert exc.value.command is jszb.CommandKind.AUTO_RETURN


# ------------------------------------------------------------------ routers


def test_a_router_replaces_the_catalogue(peng: jszb.Engine) -> None:
    seen: List[Case] = []

    def to_the_district(case: Case) -> RouteDecision:
        seen.append(case)
        return RouteDecision.district_coordinates(CHAOYANG, rule="my-router")

    case_id = request(peng, urgency=jszb.Urgency.URGENT)
    peng.set_router(to_the_district)
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    c = peng.case(case_id)
    assert (c.lead_unit, c.dispatch_mode) == (CHAOYANG, DispatchMode.DISTRICT_COORDINATES)
    assert c.events[-1].payload.rule == "my-router"
    # The router saw the case as it stood, built like Engine.case() builds it.
    (case,) = seen
    assert isinstance(case, Case)
    assert (case.id, case.state, case.policy_version, case.event_count) == (
        case_id, State.RECEIVED, BEIJING_VERSION, 1)
    assert case.intake.content == "工地夜间施工扰民"
    assert case.intake.urgency is jszb.Urgency.URGENT
    assert case.events == ()  # a router gets no history
    assert [d.step for d in case.deadlines] == [jszb.Step.DISPATCH]


def test_a_router_may_return_a_dict_with_co_handlers(peng: jszb.Engine) -> None:
    peng.set_router(lambda case: {
        "outcome": RouteOutcome.DISPATCH,
        "lead": HEPINGJIE,
        "copy_to": [CHAOYANG],
        "co_handlers": (110105001, 110105002),
    })
    case_id = request(peng)
    route = peng.route(case_id)
    assert (route.lead, route.copy_to, route.co_handlers, route.rule) == (
        HEPINGJIE, (CHAOYANG,), (110105001, 110105002), "router")  # the library's default name
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    c = peng.case(case_id)
    assert (c.lead_unit, c.copy_to, c.co_handlers) == (HEPINGJIE, (CHAOYANG,), (110105001, 110105002))


def test_a_router_may_decide_not_to_dispatch(eng: jszb.Engine) -> None:
    # No policy at all: a router alone routes.
    eng.set_router(lambda case: RouteDecision.not_dispatched(
        NotDispatchedReason.DUPLICATE, note="已告知原工单进展", rule="dedupe"))
    case_id = request(eng)
    route = eng.route(case_id)
    assert route.verdicts == ()  # no catalogue to explain
    eng.dispatch_routed(case_id, T0 + MINUTE, OPERATOR)
    c = eng.case(case_id)
    assert (c.state, c.not_dispatched_reason) == (State.NOT_DISPATCHED, NotDispatchedReason.DUPLICATE)
    assert (c.events[-1].payload.text, c.events[-1].payload.rule) == ("已告知原工单进展", "dedupe")


def test_a_router_exception_surfaces_and_nothing_is_applied(peng: jszb.Engine) -> None:
    class NoCapacity(RuntimeError):
        pass

    def refusing(case: Case) -> Any:
        raise NoCapacity(f"no unit has capacity for case {case.id}")

    seen: List[jszb.Event] = []
    peng.add_listener(seen.append)
    case_id = request(peng)
    peng.set_router(refusing)
    with pytest.raises(jszb.RouterError) as exc:
        peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    err = exc.value
    assert isinstance(err, jszb.Error)
    assert isinstance(err.__cause__, NoCapacity)
    assert err.case_id == case_id
    assert f"no unit has capacity for case {case_id}" in str(err)
    assert err.code is jszb.Code.STATE  # the library saw the router refuse
    assert peng.case(case_id).event_count == 1
    assert [e.type for e in seen] == [EventType.SUBMITTED]
    with pytest.raises(jszb.RouterError):
        peng.route(case_id)
    # Reported once: the next call is clean.
    peng.set_router(None)
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert peng.case(case_id).state is State.DISPATCHED


def test_a_router_failure_belongs_to_the_call_that_routed(peng: jszb.Engine) -> None:
    def router(case: Case) -> RouteDecision:
        raise LookupError("directory offline")

    peng.set_router(router)
    case_id = request(peng)
    with pytest.raises(jszb.RouterError) as exc:
        peng.route(case_id)
    assert isinstance(exc.value.__cause__, LookupError)
    assert exc.value.case_id == case_id
    assert peng.case(case_id).state is State.RECEIVED


def test_a_listener_may_route_by_the_catalogue_but_not_through_a_router(
        peng: jszb.Engine) -> None:
    # Routing by the policy's catalogue reads the engine; a router is a
    # callback of its own, and callbacks do not nest.
    seen: List[Any] = []

    def listener(event: jszb.Event) -> None:
        try:
            seen.append(peng.route(event.case_id).rule)
        except jszb.Busy as exc:
            seen.append(exc)

    peng.add_listener(listener)
    request(peng)
    assert seen == ["street-first"]
    peng.set_router(lambda case: RouteDecision.dispatch(CHAOYANG))
    request(peng, ref="second")
    assert len(seen) == 2 and isinstance(seen[1], jszb.Busy)


@pytest.mark.parametrize(
    "decision, cause",
    [
        (None, TypeError),
        ("110105007", TypeError),
        ({"lead": HEPINGJIE}, TypeError),  # no outcome
        ({"outcome": RouteOutcome.DISPATCH, "laed": HEPINGJIE}, TypeError),  # a typo
        ({"outcome": RouteOutcome.DISPATCH, "lead": -1}, ValueError),
    ],
)
def test_a_router_returning_no_decision_is_a_router_error(
    peng: jszb.Engine, decision: Any, cause: type
) -> None:
    peng.set_router(lambda case: decision)
    case_id = request(peng)
    with pytest.raises(jszb.RouterError) as exc:
        peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert isinstance(exc.value.__cause__, cause)
    assert peng.case(case_id).event_count == 1


def test_a_decision_the_library_refuses_is_invalid_argument(peng: jszb.Engine) -> None:
    peng.set_router(lambda case: RouteDecision(outcome=9, lead=HEPINGJIE))
    case_id = request(peng)
    with pytest.raises(jszb.InvalidArgument) as exc:
        peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert "outcome 9" in exc.value.message
    assert exc.value.__cause__ is None  # the router itself did not fail


def test_removing_the_router_goes_back_to_the_catalogue(peng: jszb.Engine) -> None:
    calls: List[int] = []

    def router(case: Case) -> RouteDecision:
        calls.append(case.id)
        return RouteDecision.dispatch(CHAOYANG, rule="mine")

    a, b = request(peng, "a"), request(peng, "b")
    peng.set_router(router)
    peng.dispatch_routed(a, T0 + MINUTE, DISPATCHER)
    peng.set_router(None)
    peng.set_router(None)  # already none: fine
    peng.dispatch_routed(b, T0 + MINUTE, DISPATCHER)
    assert calls == [a]
    assert peng.case(a).lead_unit == CHAOYANG
    assert (peng.case(b).lead_unit, peng.case(b).events[-1].payload.rule) == (HEPINGJIE, "street-first")
    with pytest.raises(TypeError):
        peng.set_router("street-first")  # type: ignore[arg-type]


def test_the_engine_keeps_the_router_alive(peng: jszb.Engine) -> None:
    def install() -> None:
        # The only reference to this closure is the one the engine keeps.
        peng.set_router(lambda case: RouteDecision.dispatch(CHAOYANG, rule="kept"))

    install()
    gc.collect()
    case_id = request(peng)
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert peng.case(case_id).events[-1].payload.rule == "kept"


def test_a_router_may_read_but_not_change_the_engine(peng: jszb.Engine) -> None:
    earlier = request(peng, "earlier")
    attempts: List[BaseException] = []

    def nosy(case: Case) -> RouteDecision:
        # Reading is fine: the earlier case's lead decides this one.
        assert peng.case(earlier).state is State.RECEIVED
        assert earlier in peng.list_cases()
        for change in (
            lambda: request(peng, "from-router"),
            lambda: peng.dispatch_routed(case.id, T0 + MINUTE, DISPATCHER),
            lambda: peng.route(case.id),
            lambda: peng.set_router(None),
            lambda: peng.advance(T0),
            lambda: peng.close(),
        ):
            try:
                change()
            except jszb.Busy as exc:
                attempts.append(exc)
        return RouteDecision.dispatch(HEPINGJIE, rule="nosy")

    case_id = request(peng, "routed")
    peng.set_router(nosy)
    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    assert len(attempts) == 6
    assert not peng.closed
    assert len(peng) == 2
    assert peng.case(case_id).events[-1].payload.rule == "nosy"


def test_explain_does_not_run_the_router(peng: jszb.Engine) -> None:
    calls: List[int] = []
    peng.set_router(lambda case: calls.append(case.id) or RouteDecision.dispatch(CHAOYANG))
    case_id = request(peng)
    decision, _ = peng.explain(case_id)
    assert calls == []
    assert decision is not None and decision.rule == "street-first"


# ------------------------------------------------------------------ example


def test_routing_example_runs() -> None:
    env = dict(os.environ, JSZB_LIBRARY=jszb.library_path, PYTHONPATH=str(SOURCE_PACKAGE_DIR))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "routing.py")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "street-first" in out and "110105007" in out
    assert "deadline_warning" in out and "deadline_breached" in out
    assert "deadline_escalated" in out and "supervise_district" in out
