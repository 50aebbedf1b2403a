"""Reading cases: listing, counting, JSON export, replay into another engine."""
from __future__ import annotations

import json

import pytest

import jszb
from jszb import Actor, Satisfaction, State, SupervisionLevel
from conftest import (
    CHAOWAI,
    CHAOYANG,
    DAY,
    DISPATCHER,
    HOUR,
    HOUSING,
    JIANWAI,
    MINUTE,
    OPERATOR,
    T0,
    WATER,
    dispatched,
    handling,
    submit,
)


def test_list_cases_by_state_unit_and_paging(eng: jszb.Engine) -> None:
    received = submit(eng, "r-1")
    at_chaowai = dispatched(eng, "r-2", unit=CHAOWAI, copy_to=[CHAOYANG])
    at_jianwai = dispatched(eng, "r-3", unit=JIANWAI, units=[HOUSING])
    signed = handling(eng, "r-4", unit=CHAOWAI)
    everything = [received, at_chaowai, at_jianwai, signed]
    assert everything == sorted(everything)

    assert eng.list_cases() == everything
    assert eng.list_cases(state=State.DISPATCHED) == [at_chaowai, at_jianwai]
    assert eng.list_cases(state=State.HANDLING) == [signed]
    assert eng.list_cases(state=State.CLOSED) == []
    assert eng.list_cases(unit=CHAOWAI) == [at_chaowai, signed]  # lead unit
    assert eng.list_cases(unit=CHAOYANG) == [at_chaowai]  # copied
    assert eng.list_cases(unit=HOUSING) == [at_jianwai]  # co-handling
    assert eng.list_cases(state=State.DISPATCHED, unit=CHAOWAI) == [at_chaowai]

    pages, after = [], 0
    while True:
        page = eng.list_cases(after=after, limit=3)
        if not page:
            break
        assert len(page) <= 3
        pages.append(page)
        after = page[-1]
    assert pages == [everything[:3], everything[3:]]
    assert eng.list_cases(after=everything[-1]) == []
    with pytest.raises(jszb.InvalidArgument):
        eng.list_cases(state=99)


def test_case_count_len_and_membership(eng: jszb.Engine) -> None:
    assert len(eng) == eng.case_count == 0
    ids = [submit(eng, f"n-{i}") for i in range(5)]
    assert len(eng) == eng.case_count == 5
    assert all(i in eng for i in ids)
    assert max(ids) + 1 not in eng
    assert 0 not in eng and "1" not in eng


def test_case_json_agrees_with_the_case(eng: jszb.Engine) -> None:
    case_id = handling(eng)
    eng.reply(case_id, T0 + DAY, Actor.unit(CHAOWAI), text="已处理", contacted=True, solved=True)
    c = eng.case(case_id)
    data = eng.case_json(case_id)
    assert int(data["id"]) == c.id
    assert data["state"] == "STATE_" + c.state.name
    assert data["lead_unit"] == c.lead_unit
    assert int(data["replied_ms"]) == c.replied_ms
    assert data["reply"] == {"contacted": True, "solved": True, "text": "已处理"}
    assert data["intake"]["content"] == c.intake.content
    assert data["intake"]["category"] == list(c.intake.category)
    assert data["event_count"] == c.event_count == len(data["events"])
    assert [e["type"] for e in data["events"]] == ["EVENT_TYPE_" + e.type.name for e in c.events]


def a_busy_life(eng: jszb.Engine) -> int:
    """A case that goes through most of the lifecycle's side paths."""
    case_id = submit(eng, "life-1", point=(39.92, 116.44), contact_name="李女士",
                     contact_phone="13900000000", community="芳草地社区")
    owner, other = Actor.unit(CHAOWAI), Actor.unit(JIANWAI)
    eng.dispatch(case_id, T0 + MINUTE, DISPATCHER, unit=JIANWAI, copy_to=[CHAOYANG])
    eng.request_return(case_id, T0 + HOUR, other, text="不属于本街道")
    eng.approve_return(case_id, T0 + 2 * HOUR, DISPATCHER, unit=CHAOWAI, units=[HOUSING])
    eng.sign(case_id, T0 + 3 * HOUR, owner)
    eng.contact_citizen(case_id, T0 + 4 * HOUR, owner)
    eng.add_co_handlers(case_id, T0 + 5 * HOUR, DISPATCHER, units=[WATER])
    eng.report_to_lead(case_id, T0 + 6 * HOUR, Actor.unit(HOUSING), text="已到场")
    eng.request_extension(case_id, T0 + 7 * HOUR, owner, until=T0 + 10 * DAY, text="需协调")
    eng.approve_extension(case_id, T0 + 8 * HOUR, DISPATCHER, until=T0 + 8 * DAY)
    eng.report_to_lead(case_id, T0 + 9 * HOUR, Actor.unit(WATER), text="已恢复")
    eng.supervise(case_id, T0 + 10 * HOUR, Actor.system(), level=SupervisionLevel.DISTRICT)
    eng.reply(case_id, T0 + DAY, owner, text="已处理", contacted=True, solved=False)
    eng.visit(case_id, T0 + 2 * DAY, OPERATOR, contacted=True, solved=False,
              satisfaction=Satisfaction.NOT_SATISFIED)
    eng.redo(case_id, T0 + 2 * DAY + HOUR, OPERATOR)
    eng.reply(case_id, T0 + 3 * DAY, owner, text="已解决", contacted=True, solved=True)
    eng.visit(case_id, T0 + 4 * DAY, OPERATOR, contacted=True, solved=True,
              satisfaction=Satisfaction.SATISFIED)
    eng.close_case(case_id, T0 + 4 * DAY + MINUTE, OPERATOR)
    eng.reopen(case_id, T0 + 9 * DAY, OPERATOR, text="再次来电")
    return case_id


def test_replay_json_rebuilds_an_identical_case(eng: jszb.Engine) -> None:
    case_id = a_busy_life(eng)
    original = eng.case_json(case_id)
    assert original["event_count"] == 19

    with jszb.Engine() as copy:
        told = []
        copy.add_listener(told.append)
        for event in eng.events_json(case_id):
            # Through text, as a log file would hold it.
            copy.replay_json(json.dumps(event, ensure_ascii=False))
        assert copy.case_json(case_id) == original
        assert copy.case(case_id) == eng.case(case_id)
        assert tuple(told) == eng.case(case_id).events
        # Replayed cases go on like any other.
        copy.answer_on_spot(case_id, T0 + 10 * DAY, OPERATOR)
        assert copy.case(case_id).state is State.ANSWERED_ON_SPOT


def test_replay_proto_and_dicts(eng: jszb.Engine) -> None:
    case_id = a_busy_life(eng)
    with jszb.Engine() as by_proto, jszb.Engine() as by_dict:
        for blob in eng.events_proto(case_id):
            by_proto.replay_proto(blob)
        for event in eng.events_json(case_id):
            by_dict.replay_json(event)
        assert by_proto.case_proto(case_id) == eng.case_proto(case_id)
        assert by_dict.case_json(case_id) == eng.case_json(case_id)


def test_replay_checks_the_lifecycle(eng: jszb.Engine) -> None:
    case_id = dispatched(eng)
    events = eng.events_json(case_id)
    with jszb.Engine() as copy:
        with pytest.raises(jszb.NotFound):
            copy.replay_json(events[1])  # the case does not exist there yet
        copy.replay_json(events[0])
        with pytest.raises(jszb.InvalidArgument):
            copy.replay_json(events[0])  # the same case twice
        forged = dict(events[1], state="STATE_CLOSED")  # dispatch does not close a case
        with pytest.raises(jszb.InvalidArgument, match="state"):
            copy.replay_json(forged)
        assert copy.case(case_id).event_count == 1
        with pytest.raises(TypeError):
            copy.replay_proto("not bytes")  # type: ignore[arg-type]
