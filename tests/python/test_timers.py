"""Deadlines, the engine's timers (advance) and replaying timed cases."""
from __future__ import annotations

from datetime import datetime
from typing import List

import pytest

import jszb
from jszb import Actor, EscalationAction, EventType, Role, State, Step, SupervisionLevel
from conftest import BEIJING_VERSION, BJT, DAY, DISPATCHER, HEPINGJIE, HOUR, MINUTE, T0, request

STREET = Actor.unit(HEPINGJIE)
TIMER_EVENTS = (
    EventType.DEADLINE_WARNING,
    EventType.DEADLINE_BREACHED,
    EventType.DEADLINE_ESCALATED,
    EventType.AUTO_RETURNED,
    EventType.AUTO_VISITED,  # Art. 23: expired without a reply or a visit
)


def routed(eng: jszb.Engine, ref: str, *, signed: bool) -> int:
    """A request dispatched by policy at T0 + 1 min, signed at T0 + 2 min if signed."""
    case_id = request(eng, ref)
    eng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    if signed:
        eng.sign(case_id, T0 + 2 * MINUTE, STREET)
    return case_id


def test_the_policy_times_each_step(peng: jszb.Engine) -> None:
    case_id = request(peng)
    received = peng.case(case_id)
    # Received: the dispatch step runs (1 h in natural time).
    assert [(d.step, d.start_ms, d.due_ms, d.working, d.running) for d in received.deadlines] == [
        (Step.DISPATCH, T0, T0 + HOUR, False, True)]
    assert received.events[0].deadlines == received.deadlines
    assert received.events[0].policy_version == BEIJING_VERSION

    peng.dispatch_routed(case_id, T0 + MINUTE, DISPATCHER)
    peng.sign(case_id, T0 + 2 * MINUTE, STREET)
    c = peng.case(case_id)
    assert [d.step for d in c.deadlines] == [Step.FIRST_CONTACT, Step.REPLY]
    reply = c.deadline(Step.REPLY)
    assert reply is not None and reply.due_ms == T0 + MINUTE + 7 * DAY
    assert reply.due == jszb.to_datetime(T0 + MINUTE + 7 * DAY)
    assert c.deadline(Step.SIGN) is None
    # The signing event stopped the sign clock (start 0) and started first contact.
    signed = c.events[-1]
    assert signed.type is EventType.SIGNED
    stopped = [d for d in signed.deadlines if not d.running]
    assert [d.step for d in stopped] == [Step.SIGN]
    assert Step.FIRST_CONTACT in [d.step for d in signed.deadlines if d.running]


def test_deadlines_used_left_and_overdue(peng: jszb.Engine) -> None:
    case_id = routed(peng, "d-1", signed=True)
    now = T0 + DAY
    statuses = {d.step: d for d in peng.deadlines(case_id, now)}
    assert set(statuses) == {Step.FIRST_CONTACT, Step.REPLY}
    reply = statuses[Step.REPLY]
    assert (reply.start_ms, reply.due_ms) == (T0 + MINUTE, T0 + MINUTE + 7 * DAY)
    assert reply.used_ms == now - (T0 + MINUTE)
    assert reply.left_ms == 7 * DAY + MINUTE - DAY
    assert reply.used_ms + reply.left_ms == 7 * DAY
    assert (reply.overdue, reply.paused, reply.working, reply.fired) == (False, False, False, 0)
    # First contact allows 24 h from signing: 2 min left.
    assert statuses[Step.FIRST_CONTACT].left_ms == 2 * MINUTE

    late = {d.step: d for d in peng.deadlines(case_id, T0 + 10 * DAY)}
    assert late[Step.REPLY].overdue and late[Step.REPLY].left_ms == -(3 * DAY - MINUTE)
    assert late[Step.FIRST_CONTACT].overdue
    # A datetime works as well, and asking changes nothing.
    assert peng.deadlines(case_id, datetime(2024, 3, 2, 9, 0, tzinfo=BJT)) == \
        peng.deadlines(case_id, T0 + DAY)
    assert peng.case(case_id).event_count == 3
    with pytest.raises(jszb.NotFound):
        peng.deadlines(999, T0)


def test_a_suspended_clock_stands_still(peng: jszb.Engine) -> None:
    case_id = routed(peng, "s-1", signed=True)
    peng.suspend(case_id, T0 + HOUR, DISPATCHER, text="等待产权单位确认")
    c = peng.case(case_id)
    assert c.state is State.SUSPENDED
    assert c.suspended_since_ms == T0 + HOUR
    assert c.suspended_since == jszb.to_datetime(T0 + HOUR)
    one, five = peng.deadlines(case_id, T0 + DAY), peng.deadlines(case_id, T0 + 5 * DAY)
    assert one == five  # nothing moves while suspended
    assert all(d.paused and not d.overdue for d in one)
    assert peng.timers_pending == 0  # no escalation while the clock stands

    peng.resume(case_id, T0 + 3 * DAY, STREET)
    c = peng.case(case_id)
    assert (c.suspended_since_ms, c.suspended_since) == (0, None)
    reply = c.deadline(Step.REPLY)
    assert reply is not None
    # The due instant moves by the time suspended.
    assert reply.paused_ms == 3 * DAY - HOUR
    assert reply.due_ms == T0 + MINUTE + 7 * DAY + (3 * DAY - HOUR)


def test_a_working_day_deadline_follows_the_calendar(
    peng: jszb.Engine, default_policy: jszb.Policy
) -> None:
    # Replied on Monday 2024-09-30, just before National Day: the return visit
    # (3 working days) is due on Oct 10, not Oct 3.
    t = datetime(2024, 9, 30, 10, 0, tzinfo=BJT)
    case_id = request(peng, time=t)
    peng.dispatch_routed(case_id, t, DISPATCHER)
    peng.sign(case_id, t, STREET)
    peng.reply(case_id, t, STREET, text="已协调工地停工", contacted=True, solved=True)
    (visit,) = peng.case(case_id).deadlines
    assert (visit.step, visit.working) == (Step.RETURN_VISIT, True)
    assert visit.due == default_policy.calendar.add_working_days(t, 3)
    assert visit.due == datetime(2024, 10, 10, 10, 0, tzinfo=BJT)
    # Used time is working time: the whole holiday week adds nothing.
    now = datetime(2024, 10, 8, 9, 0, tzinfo=BJT)
    (status,) = peng.deadlines(case_id, now)
    assert status.working
    assert status.used_ms == default_policy.calendar.working_time_between(
        jszb.to_ms(t), jszb.to_ms(now))
    assert status.used_ms == 6 * HOUR  # Sep 30: 10:00-12:00 and 13:30-17:30
    assert status.left_ms == 3 * 7 * HOUR - 6 * HOUR  # three 7-hour working days allowed


def test_advance_fires_warnings_breaches_returns_and_the_ladder_in_time_order(
    peng: jszb.Engine,
) -> None:
    unsigned = routed(peng, "t-1", signed=False)
    overdue = routed(peng, "t-2", signed=True)
    assert peng.timers_pending == 2
    seen: List[jszb.Event] = []
    peng.add_listener(seen.append)

    peng.advance(T0 + 60 * DAY)

    assert seen and all(e.type in TIMER_EVENTS for e in seen)
    assert all(e.actor.role is Role.SYSTEM for e in seen)
    times = [e.time_ms for e in seen]
    assert times == sorted(times)  # one mark at a time, across cases
    assert all(T0 < ms <= T0 + 60 * DAY for ms in times)

    # The unsigned order warned at 80 % of its hour, breached, went back to the centre.
    u = [e for e in seen if e.case_id == unsigned]
    assert [(e.type, e.payload.step) for e in u[:3]] == [
        (EventType.DEADLINE_WARNING, Step.SIGN),
        (EventType.DEADLINE_BREACHED, Step.SIGN),
        (EventType.AUTO_RETURNED, None),
    ]
    assert u[0].time_ms == T0 + MINUTE + 48 * MINUTE
    assert u[1].payload.action is EscalationAction.RETURN_TO_DISPATCHER
    assert u[2].state is State.RECEIVED
    assert peng.case(unsigned).state is State.RECEIVED
    # Back at the centre, the dispatch clock runs again (and breaches too).
    assert (EventType.DEADLINE_BREACHED, Step.DISPATCH) in [(e.type, e.payload.step) for e in u]

    # The signed order that is never replied to climbs the ladder.
    o = [e for e in seen if e.case_id == overdue]
    ladder = [e for e in o if e.type is EventType.DEADLINE_ESCALATED]
    assert [(e.payload.step, e.payload.action) for e in ladder] == [
        (Step.REPLY, EscalationAction.SUPERVISE_DISTRICT),
        (Step.REPLY, EscalationAction.SUPERVISE_CITY),
    ]
    assert [e.payload.mark for e in ladder] == [2, 3]  # after the warning (0) and breach (1)
    breach = next(e for e in o if e.type is EventType.DEADLINE_BREACHED and e.payload.step is Step.REPLY)
    assert breach.time_ms == T0 + MINUTE + 7 * DAY
    assert breach.time_ms < ladder[0].time_ms < ladder[1].time_ms
    # Art. 23: the window after the breach ran out with no reply: the engine's result.
    results = [e for e in o if e.type is EventType.AUTO_VISITED]
    assert len(results) == 1 and results[0].state is State.HANDLING
    assert results[0].actor.role is Role.SYSTEM and results[0].time_ms > breach.time_ms
    c = peng.case(overdue)
    assert (c.state, c.supervision_level) == (State.HANDLING, SupervisionLevel.CITY)
    assert c.events[-len(o):] == tuple(o)  # what listeners heard is what the case records
    assert all(d.overdue and d.left_ms < 0 for d in peng.deadlines(overdue, T0 + 60 * DAY))

    # Everything due has fired: advancing again (or to the past) adds nothing.
    count = len(seen)
    peng.advance(T0 + 60 * DAY)
    peng.advance(T0)
    assert len(seen) == count


def test_advance_in_steps_is_advance_at_once(default_policy: jszb.Policy) -> None:
    def history(step_ms: int) -> list:
        with jszb.Engine() as eng:
            eng.set_policy(default_policy)
            case_id = routed(eng, "same", signed=True)
            for now in range(T0, T0 + 20 * DAY + 1, step_ms):
                eng.advance(now)
            return [(e.type, e.time_ms, e.payload.step) for e in eng.case(case_id).events]

    assert history(HOUR) == history(20 * DAY)


def test_marks_fire_before_a_command_on_the_case(peng: jszb.Engine) -> None:
    case_id = routed(peng, "late-sign", signed=False)
    # Nobody called advance(): the sign three hours late finds the order returned.
    with pytest.raises(jszb.StateError) as exc:
        peng.sign(case_id, T0 + 3 * HOUR, STREET)
    assert exc.value.state is State.RECEIVED
    types = [e.type for e in peng.case(case_id).events]
    assert EventType.AUTO_RETURNED in types


def test_a_listener_failing_during_advance_surfaces(peng: jszb.Engine) -> None:
    case_id = routed(peng, "l-1", signed=False)

    def failing(event: jszb.Event) -> None:
        if event.type is EventType.DEADLINE_WARNING:
            raise RuntimeError("pager is down")

    peng.add_listener(failing)
    with pytest.raises(jszb.ListenerError) as exc:
        peng.advance(T0 + DAY)
    assert exc.value.event.type is EventType.DEADLINE_WARNING
    assert str(exc.value.__cause__) == "pager is down"
    assert peng.case(case_id).state is State.RECEIVED  # the timers fired all the same


@pytest.mark.parametrize("with_policy", [True, False], ids=["with-policy", "without-policy"])
def test_replaying_a_timed_case_reproduces_it(
    peng: jszb.Engine, default_policy: jszb.Policy, with_policy: bool
) -> None:
    unsigned = routed(peng, "r-1", signed=False)
    overdue = routed(peng, "r-2", signed=True)
    peng.advance(T0 + 20 * DAY)
    peng.reply(overdue, T0 + 20 * DAY, STREET, text="已处理", contacted=True, solved=True)
    assert len(peng.case(overdue).events) > 8

    with jszb.Engine() as fresh:
        if with_policy:
            fresh.set_policy(default_policy)
        for case_id in (unsigned, overdue):
            for event in peng.events_json(case_id):
                fresh.replay_json(event)
            assert fresh.case_json(case_id) == peng.case_json(case_id)
            assert fresh.case(case_id) == peng.case(case_id)
    # Protobuf carries the same.
    with jszb.Engine() as fresh:
        if with_policy:
            fresh.set_policy(default_policy)
        for event in peng.events_proto(overdue):
            fresh.replay_proto(event)
        assert fresh.case_proto(overdue) == peng.case_proto(overdue)


def test_timer_arguments_are_checked_in_python(peng: jszb.Engine) -> None:
    with pytest.raises(ValueError):
        peng.advance(datetime(2024, 3, 1, 9, 0))  # naive
    with pytest.raises(TypeError):
        peng.advance("tomorrow")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peng.deadlines("1", T0)  # type: ignore[arg-type]
