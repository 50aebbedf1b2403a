"""Refusals and invalid input: the right exception, and nothing changes."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, Type

import pytest

import jszb
from jszb import Actor, Code, CommandKind, Kind, Refusal, State
from conftest import CHAOWAI, DISPATCHER, HOUR, JIANWAI, MINUTE, OPERATOR, T0, dispatched, handling, submit


def snapshot(eng: jszb.Engine) -> Dict[int, int]:
    """{case id: event count} for every case: what must not change."""
    return {case_id: eng.case(case_id).event_count for case_id in eng.list_cases()}


def test_unit_signing_another_units_case_is_denied(eng: jszb.Engine) -> None:
    case_id = dispatched(eng, unit=CHAOWAI)
    before = eng.case(case_id)
    with pytest.raises(jszb.Denied) as exc:
        eng.sign(case_id, T0 + HOUR, Actor.unit(JIANWAI))
    err = exc.value
    assert isinstance(err, jszb.Error)
    assert err.code is Code.DENIED
    assert (err.state, err.command, err.refusal) == (State.DISPATCHED, CommandKind.SIGN, Refusal.NOT_OWNER)
    assert "sign" in err.message
    assert eng.case(case_id) == before


def test_reply_while_dispatched_is_a_state_error(eng: jszb.Engine) -> None:
    case_id = dispatched(eng, unit=CHAOWAI)
    with pytest.raises(jszb.StateError) as exc:
        eng.reply(case_id, T0 + HOUR, Actor.unit(CHAOWAI), text="已处理")
    err = exc.value
    assert err.code is Code.STATE
    assert (err.state, err.command, err.refusal) == (State.DISPATCHED, CommandKind.REPLY, Refusal.STATE)
    assert eng.case(case_id).event_count == 2


def test_second_return_after_the_centre_fixed_the_owner_is_refused(eng: jszb.Engine) -> None:
    case_id = dispatched(eng, unit=CHAOWAI)
    owner = Actor.unit(CHAOWAI)
    eng.request_return(case_id, T0 + HOUR, owner, text="不属于本街道")
    eng.refuse_return(case_id, T0 + 2 * HOUR, DISPATCHER, text="经核实属于朝外街道")
    assert eng.case(case_id).owner_fixed is True
    with pytest.raises(jszb.Refused) as exc:
        eng.request_return(case_id, T0 + 3 * HOUR, owner, text="仍不属于")
    err = exc.value
    assert err.code is Code.REFUSED
    assert (err.state, err.command, err.refusal) == (
        State.DISPATCHED, CommandKind.REQUEST_RETURN, Refusal.OWNER_FIXED)
    c = eng.case(case_id)
    assert (c.state, c.return_count, c.event_count) == (State.DISPATCHED, 1, 4)


def test_only_a_reviewer_decides_a_return(eng: jszb.Engine) -> None:
    case_id = dispatched(eng)
    eng.request_return(case_id, T0 + HOUR, Actor.unit(CHAOWAI), text="不属于本街道")
    with pytest.raises(jszb.Denied) as exc:
        eng.approve_return(case_id, T0 + 2 * HOUR, OPERATOR, unit=JIANWAI)
    assert exc.value.refusal is Refusal.NOT_REVIEWER
    assert exc.value.command is CommandKind.APPROVE_RETURN


def test_unknown_case_is_not_found(eng: jszb.Engine) -> None:
    with pytest.raises(jszb.NotFound) as exc:
        eng.case(12345)
    assert exc.value.code is Code.NOT_FOUND
    assert isinstance(exc.value, LookupError)
    assert (exc.value.state, exc.value.command, exc.value.refusal) == (None, None, None)
    with pytest.raises(jszb.NotFound):
        eng.sign(12345, T0, Actor.unit(CHAOWAI))
    with pytest.raises(jszb.NotFound):
        eng.remove_listener(777)


def test_library_validation_errors_are_invalid_argument(eng: jszb.Engine) -> None:
    with pytest.raises(jszb.InvalidArgument) as exc:
        submit(eng, content="")
    assert exc.value.code is Code.INVALID
    assert "intake.content" in exc.value.message
    assert isinstance(exc.value, ValueError)  # Pythonic: a bad value
    # A payload field the command does not use is named, too.
    case_id = dispatched(eng)
    with pytest.raises(jszb.InvalidArgument, match="payload.unit"):
        eng.apply(CommandKind.SIGN, case_id, T0 + HOUR, Actor.unit(CHAOWAI), unit=CHAOWAI)


def test_error_classes_follow_the_codes() -> None:
    expected = {
        jszb.InvalidArgument: -1, jszb.NotFound: -2, jszb.StateError: -3, jszb.Denied: -4,
        jszb.Refused: -5, jszb.Busy: -6, jszb.OutOfMemory: -7, jszb.InternalError: -8,
    }
    for cls, code in expected.items():
        assert issubclass(cls, jszb.Error)
        assert cls.code == code
    assert len(set(expected)) == 8


# Each case: what to call (with a fresh engine holding one dispatched case) and
# the exception it must raise. All of them must leave the engine as it was.
BAD_CALLS: Dict[str, tuple] = {
    "empty content": (lambda e, c: submit(e, "new", content=""), jszb.InvalidArgument),
    "empty channel_ref": (lambda e, c: submit(e, ""), jszb.InvalidArgument),
    "kind out of range": (lambda e, c: submit(e, "new", kind=99), jszb.InvalidArgument),
    "channel given a Kind": (lambda e, c: submit(e, "new", channel=Kind.HELP), TypeError),
    "kind as a string": (lambda e, c: submit(e, "new", kind="complaint"), TypeError),
    "naive datetime": (lambda e, c: submit(e, "new", time=datetime(2024, 3, 1, 9)), ValueError),
    "float time": (lambda e, c: submit(e, "new", time=float(T0)), TypeError),
    "unencodable text": (lambda e, c: submit(e, "new", content="\udcff"), ValueError),
    "NUL in text": (lambda e, c: submit(e, "new", content="a\0b"), ValueError),
    "four category levels": (lambda e, c: submit(e, "new", category=("a", "b", "c", "d")), ValueError),
    "category gap": (lambda e, c: submit(e, "new", category=("a", "", "c")), jszb.InvalidArgument),
    "latitude out of range": (lambda e, c: submit(e, "new", point=(91.0, 116.0)), jszb.InvalidArgument),
    "actor not an Actor": (lambda e, c: submit(e, "new", actor=1), TypeError),
    "unit records intake": (lambda e, c: submit(e, "new", actor=Actor.unit(CHAOWAI)), jszb.InvalidArgument),
    "unit id out of range": (lambda e, c: e.dispatch(c, T0 + HOUR, DISPATCHER, unit=2**32), ValueError),
    "time before last event": (lambda e, c: e.sign(c, T0, Actor.unit(CHAOWAI)), jszb.InvalidArgument),
    "negative time": (lambda e, c: e.sign(c, -1, Actor.unit(CHAOWAI)), jszb.InvalidArgument),
    "command kind out of range": (lambda e, c: e.apply(99, c, T0 + HOUR, DISPATCHER), jszb.InvalidArgument),
    "role out of range": (lambda e, c: e.sign(c, T0 + HOUR, Actor(9, CHAOWAI)), jszb.InvalidArgument),
    "missing required text": (lambda e, c: e.apply(CommandKind.REQUEST_RETURN, c, T0 + HOUR,
                                                   Actor.unit(CHAOWAI)), jszb.InvalidArgument),
    "valid visit without satisfaction": (
        lambda e, c: e.visit(c, T0 + HOUR, OPERATOR, contacted=True), jszb.InvalidArgument),
    "copy_to given a string": (
        lambda e, c: e.apply(CommandKind.DISPATCH, c, T0 + HOUR, DISPATCHER, unit=1, copy_to="12"),
        TypeError),
    "replay of garbage": (lambda e, c: e.replay_json("{not json"), jszb.InvalidArgument),
    "replay of the wrong seq": (
        lambda e, c: e.replay_json(dict(e.events_json(c)[1], seq=7)), jszb.InvalidArgument),
}


@pytest.mark.parametrize("what", sorted(BAD_CALLS))
def test_invalid_input_raises_and_changes_nothing(what: str) -> None:
    call: Callable[[jszb.Engine, int], Any]
    expected: Type[BaseException]
    call, expected = BAD_CALLS[what]
    with jszb.Engine() as eng:
        case_id = dispatched(eng)
        seen = []
        eng.add_listener(seen.append)
        before = snapshot(eng)
        case_before = eng.case(case_id)
        with pytest.raises(expected):
            call(eng, case_id)
        assert snapshot(eng) == before
        assert eng.case(case_id) == case_before
        assert seen == []
        # The engine still works afterwards.
        eng.sign(case_id, T0 + HOUR, Actor.unit(CHAOWAI))
        assert eng.case(case_id).state is State.HANDLING


def test_error_text_names_code_and_refusal(eng: jszb.Engine) -> None:
    case_id = handling(eng)
    with pytest.raises(jszb.Denied) as exc:
        eng.reply(case_id, T0 + HOUR, Actor.unit(JIANWAI), text="x")
    text = str(exc.value)
    assert "denied" in text and "NOT_OWNER" in text and "REPLY" in text and "HANDLING" in text
    # A later success does not make the old exception lie.
    eng.reply(case_id, T0 + HOUR + MINUTE, Actor.unit(CHAOWAI), text="ok")
    assert exc.value.refusal is Refusal.NOT_OWNER
