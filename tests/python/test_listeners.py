"""Listeners: every event, in order; failures surface; no re-entry."""
from __future__ import annotations

import gc
from typing import List

import pytest

import jszb
from jszb import Actor, EventType, State
from conftest import CHAOWAI, DISPATCHER, HOUR, JIANWAI, MINUTE, OPERATOR, T0, dispatched, submit


def test_listeners_see_every_event_in_order_across_cases(eng: jszb.Engine) -> None:
    seen: List[jszb.Event] = []
    eng.add_listener(seen.append)
    a = submit(eng, "call-a")
    b = submit(eng, "call-b")
    eng.dispatch(a, T0 + MINUTE, DISPATCHER, unit=CHAOWAI)
    eng.answer_on_spot(b, T0 + 2 * MINUTE, OPERATOR)
    eng.sign(a, T0 + 3 * MINUTE, Actor.unit(CHAOWAI))

    assert [(e.case_id, e.seq, e.type, e.state) for e in seen] == [
        (a, 1, EventType.SUBMITTED, State.RECEIVED),
        (b, 1, EventType.SUBMITTED, State.RECEIVED),
        (a, 2, EventType.DISPATCHED, State.DISPATCHED),
        (b, 2, EventType.ANSWERED_ON_SPOT, State.ANSWERED_ON_SPOT),
        (a, 3, EventType.SIGNED, State.HANDLING),
    ]
    # What a listener is told equals what the case records afterwards.
    assert seen[0].intake is not None and seen[0].intake.channel_ref == "call-a"
    assert tuple(e for e in seen if e.case_id == a) == eng.case(a).events
    assert tuple(e for e in seen if e.case_id == b) == eng.case(b).events


def test_several_listeners_and_removal(eng: jszb.Engine) -> None:
    first: List[int] = []
    second: List[int] = []
    id1 = eng.add_listener(lambda e: first.append(e.seq))
    id2 = eng.add_listener(lambda e: second.append(e.seq))
    assert id1 != id2
    case_id = submit(eng)
    eng.remove_listener(id1)
    eng.dispatch(case_id, T0 + MINUTE, DISPATCHER, unit=CHAOWAI)
    assert first == [1]
    assert second == [1, 2]
    with pytest.raises(jszb.NotFound):
        eng.remove_listener(id1)


def test_listener_is_kept_alive_by_the_engine(eng: jszb.Engine) -> None:
    seen: List[int] = []

    def make() -> None:
        # The only reference to this closure is the one the engine keeps.
        eng.add_listener(lambda e: seen.append(e.case_id))

    make()
    gc.collect()
    case_id = submit(eng)
    assert seen == [case_id]


def test_a_listener_that_raises_surfaces_its_exception(eng: jszb.Engine) -> None:
    class Boom(RuntimeError):
        pass

    later: List[EventType] = []

    def failing(event: jszb.Event) -> None:
        if event.type is EventType.DISPATCHED:
            raise Boom("dashboard is down")

    failing_id = eng.add_listener(failing)
    eng.add_listener(lambda e: later.append(e.type))
    case_id = submit(eng)

    with pytest.raises(jszb.ListenerError) as exc:
        eng.dispatch(case_id, T0 + MINUTE, DISPATCHER, unit=CHAOWAI)
    err = exc.value
    assert isinstance(err.__cause__, Boom)
    assert str(err.__cause__) == "dashboard is down"
    assert err.listener_id == failing_id
    assert err.event.type is EventType.DISPATCHED and err.event.case_id == case_id
    assert "dashboard is down" in str(err)
    # The command was applied and the other listener was told all the same.
    assert eng.case(case_id).state is State.DISPATCHED
    assert later == [EventType.SUBMITTED, EventType.DISPATCHED]
    # The failure is reported once, not again by the next call.
    eng.sign(case_id, T0 + 2 * MINUTE, Actor.unit(CHAOWAI))
    assert later[-1] is EventType.SIGNED


def test_a_listener_calling_back_into_the_engine_gets_busy(eng: jszb.Engine) -> None:
    caught: List[jszb.Error] = []

    def meddling(event: jszb.Event) -> None:
        if event.type is not EventType.SUBMITTED:
            return
        for attempt in (
            lambda: submit(eng, "from-listener", time=T0 + HOUR),
            lambda: eng.dispatch(event.case_id, event.time_ms + 1, DISPATCHER, unit=CHAOWAI),
            lambda: eng.add_listener(print),
            lambda: eng.close(),
        ):
            try:
                attempt()
            except jszb.Busy as exc:
                caught.append(exc)

    eng.add_listener(meddling)
    case_id = submit(eng)
    assert len(caught) == 4
    assert all(exc.code is jszb.Code.BUSY for exc in caught)
    assert not eng.closed
    assert len(eng) == 1
    assert eng.case(case_id).state is State.RECEIVED


def test_busy_not_caught_by_the_listener_surfaces_as_its_cause(eng: jszb.Engine) -> None:
    eng.add_listener(lambda e: eng.answer_on_spot(e.case_id, e.time_ms, OPERATOR))
    with pytest.raises(jszb.ListenerError) as exc:
        submit(eng)
    assert isinstance(exc.value.__cause__, jszb.Busy)
    assert eng.case(eng.list_cases()[0]).state is State.RECEIVED


def test_listeners_of_two_engines_are_independent() -> None:
    with jszb.Engine() as one, jszb.Engine() as two:
        seen_one: List[int] = []
        seen_two: List[int] = []
        one.add_listener(lambda e: seen_one.append(e.seq))
        two.add_listener(lambda e: seen_two.append(e.seq))
        dispatched(one, unit=JIANWAI)
        submit(two)
        assert (seen_one, seen_two) == ([1, 2], [1])
