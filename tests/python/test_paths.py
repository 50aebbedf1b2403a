"""Issue 10's paths through the bindings: Art. 23 on expiry, the lead replying
while a co-handler is still to report, re-dispatch (改派) after a redo, which
leaves the first unit's result counted for it, the long-term pending list (挂账)
and the community level."""
from __future__ import annotations

import pytest

import jszb
from jszb import Actor, EventType, Refusal, Satisfaction, State, Step
from conftest import DAY, DISPATCHER, HEPINGJIE, HOUR, MINUTE, OPERATOR, T0, request

STREET = Actor.unit(HEPINGJIE)
WANGJING = 110105026  # 望京街道
MARKET_DEPT = 110105901  # 朝阳市场监管局


def in_hand(eng: jszb.Engine, ref: str, *, units: tuple = ()) -> int:
    case_id = request(eng, ref)
    eng.dispatch(case_id, T0 + MINUTE, DISPATCHER, unit=HEPINGJIE, units=units)
    eng.sign(case_id, T0 + 2 * MINUTE, STREET)
    return case_id


def test_an_order_never_replied_to_is_scored_on_its_own(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "expiry-1")
    due = peng.case(case_id).deadline(Step.REPLY).due_ms
    with pytest.raises(jszb.Error) as early:
        peng.visit(case_id, due, OPERATOR, contacted=True, satisfaction=Satisfaction.SATISFIED)
    assert early.value.refusal is Refusal.NOT_OVERDUE
    peng.advance(T0 + 30 * DAY)
    results = [e for e in peng.case(case_id).events if e.type is EventType.AUTO_VISITED]
    assert len(results) == 1
    assert results[0].actor.role is jszb.Role.SYSTEM
    assert results[0].payload.valid_visit and not results[0].payload.solved
    assert peng.case(case_id).state is State.HANDLING
    scores = {s.unit: s for s in peng.assess(T0, T0 + 40 * DAY)}
    street = scores[HEPINGJIE]
    assert (street.visits, street.solved, street.replies, street.replied_on_time) == (1, 0, 1, 0)
    assert street.composite == 0


def test_the_centre_visits_an_order_once_its_deadline_has_passed(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "expiry-2")
    due = peng.case(case_id).deadline(Step.REPLY).due_ms
    peng.visit(case_id, due + MINUTE, OPERATOR, contacted=True,
               satisfaction=Satisfaction.NOT_SATISFIED)
    assert peng.case(case_id).state is State.VISITED


def test_the_lead_replies_while_a_co_handler_is_still_to_report(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "co-1", units=(MARKET_DEPT,))
    assert peng.case(case_id).state is State.CO_HANDLING
    peng.reply(case_id, T0 + HOUR, STREET, text="已处理", contacted=True, solved=True)
    c = peng.case(case_id)
    assert c.state is State.REPLIED
    assert c.deadline(Step.CO_HANDLER_REPORT) is not None  # its clock runs on
    peng.report_to_lead(case_id, T0 + 2 * HOUR, Actor.unit(MARKET_DEPT), text="已按职责处理")
    c = peng.case(case_id)
    assert c.state is State.REPLIED and c.deadline(Step.CO_HANDLER_REPORT) is None


def test_the_centre_redispatches_an_order_sent_back_to_redo(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "redo-1")
    with pytest.raises(jszb.Error) as not_yet:
        peng.dispatch(case_id, T0 + HOUR, DISPATCHER, unit=WANGJING)
    assert not_yet.value.refusal is Refusal.NOT_IN_REDO
    peng.reply(case_id, T0 + HOUR, STREET, text="已处理", contacted=True, solved=True)
    peng.visit(case_id, T0 + 2 * HOUR, OPERATOR, contacted=True,
               satisfaction=Satisfaction.NOT_SATISFIED)
    peng.redo(case_id, T0 + 3 * HOUR, OPERATOR)
    peng.dispatch(case_id, T0 + 4 * HOUR, DISPATCHER, unit=WANGJING)
    c = peng.case(case_id)
    assert (c.state, c.lead_unit) == (State.DISPATCHED, WANGJING)
    assert c.deadline(Step.SIGN).start_ms == T0 + 4 * HOUR


def test_a_redispatched_order_keeps_the_first_units_result(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "redo-2")
    peng.reply(case_id, T0 + HOUR, STREET, text="已处理", contacted=True, solved=True)
    peng.visit(case_id, T0 + 2 * HOUR, OPERATOR, contacted=True,
               satisfaction=Satisfaction.NOT_SATISFIED)
    peng.redo(case_id, T0 + 3 * HOUR, OPERATOR)
    peng.dispatch(case_id, T0 + 4 * HOUR, DISPATCHER, unit=WANGJING)
    peng.sign(case_id, T0 + 4 * HOUR + 10 * MINUTE, Actor.unit(WANGJING))
    peng.reply(case_id, T0 + DAY, Actor.unit(WANGJING), text="已处理", contacted=True,
               solved=True)
    peng.visit(case_id, T0 + 2 * DAY, OPERATOR, contacted=True, solved=True,
               satisfaction=Satisfaction.SATISFIED)
    # From the counters (half-day edges) and recounted from the log alike.
    for start, until in (jszb.assessment_month(2024, 3), (T0, T0 + 10 * DAY)):
        scores = {s.unit: s for s in peng.assess(start, until)}
        street, wangjing = scores[HEPINGJIE], scores[WANGJING]
        assert (street.visits, street.not_satisfied, street.satisfied) == (1, 1, 0)
        assert (wangjing.visits, wangjing.satisfied, wangjing.solved) == (1, 1, 1)


def test_a_unit_asks_for_a_suspension_and_the_centre_decides(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "suspend-1")
    peng.request_suspension(case_id, T0 + HOUR, STREET, text="需司法鉴定")
    assert peng.case(case_id).state is State.SUSPENSION_REQUESTED
    peng.approve_suspension(case_id, T0 + DAY, DISPATCHER)
    assert peng.case(case_id).state is State.SUSPENDED
    other = in_hand(peng, "suspend-2")
    peng.request_suspension(other, T0 + HOUR, STREET, text="需司法鉴定")
    peng.refuse_suspension(other, T0 + 2 * HOUR, DISPATCHER)
    assert peng.case(other).state is State.HANDLING


def test_a_replied_order_goes_on_the_long_term_list_and_is_reviewed(
    peng: jszb.Engine,
) -> None:
    case_id = in_hand(peng, "hold-1")
    peng.reply(case_id, T0 + HOUR, STREET, text="已解释，需纳入改造计划", contacted=True)
    with pytest.raises(jszb.Error) as by_unit:
        peng.hold_long_term(case_id, T0 + DAY, STREET, until=T0 + 90 * DAY, text="资金未落实")
    assert by_unit.value.refusal is Refusal.NOT_REVIEWER
    with pytest.raises(jszb.Error) as no_date:
        peng.hold_long_term(case_id, T0 + DAY, DISPATCHER, until=T0, text="资金未落实")
    assert "until_ms" in str(no_date.value)
    assert peng.case(case_id).state is State.REPLIED

    peng.hold_long_term(case_id, T0 + DAY, DISPATCHER, until=T0 + 90 * DAY, text="资金未落实")
    c = peng.case(case_id)
    assert c.state is State.LONG_TERM_PENDING
    assert c.deadline(Step.LONG_TERM_REVIEW).due_ms == T0 + 90 * DAY
    assert c.deadline(Step.RETURN_VISIT) is None
    assert peng.list_cases(state=State.LONG_TERM_PENDING) == [case_id]
    held = [e for e in c.events if e.type is EventType.HELD_LONG_TERM]
    assert len(held) == 1 and not held[0].payload.valid_visit  # out of the rates by default
    units = {u["unit"]: u for u in peng.report(*jszb.assessment_month(2024, 3))["units"]}
    assert units[HEPINGJIE]["long_term_held"] == 1  # counted on its own
    peng.redo(case_id, T0 + 60 * DAY, OPERATOR)
    c = peng.case(case_id)
    assert c.state is State.HANDLING and c.deadline(Step.REPLY) is not None


def test_the_street_forwards_to_its_community_and_stays_the_lead(
    peng: jszb.Engine, default_policy: jszb.Policy
) -> None:
    shengguzhuang = 2105007039  # 胜古庄社区居委会, under 和平街街道
    u = default_policy.unit(shengguzhuang)
    assert u is not None and u.unit_class is jszb.UnitClass.COMMUNITY
    assert (u.street, u.national_code) == (HEPINGJIE, 110105007039)
    case_id = in_hand(peng, "community-1")
    with pytest.raises(jszb.Error) as other_street:
        peng.forward_to_community(case_id, T0 + HOUR, STREET, unit=2105026034)
    assert other_street.value.refusal is Refusal.NOT_COMMUNITY_OF_LEAD
    peng.forward_to_community(case_id, T0 + HOUR, STREET, unit=shengguzhuang, text="请入户核实")
    community = Actor.unit(shengguzhuang)
    with pytest.raises(jszb.Error) as sister:
        peng.community_sign(case_id, T0 + 2 * HOUR, Actor.unit(2105007040))
    assert sister.value.refusal is Refusal.NOT_COMMUNITY
    peng.community_sign(case_id, T0 + 2 * HOUR, community)
    peng.community_reply(case_id, T0 + 5 * HOUR, community, text="已协调物业修复", solved=True)
    c = peng.case(case_id)
    assert (c.state, c.lead_unit, c.community_unit) == (State.HANDLING, HEPINGJIE, shengguzhuang)
    assert (c.community_signed_ms, c.community_replied_ms) == (T0 + 2 * HOUR, T0 + 5 * HOUR)
def test_a_supervision_sets_a_deadline_of_its_own_and_is_counted(peng: jszb.Engine) -> None:
    case_id = in_hand(peng, "supervise-1")
    district = Actor.unit(110105)  # 朝阳区, the street's district
    peng.supervise(case_id, T0 + HOUR, district, level=jszb.SupervisionLevel.DISTRICT,
                   unit=110105, text="请加快办理")
    clock = peng.case(case_id).deadline(Step.SUPERVISION)
    assert clock is not None and clock.working  # 2 working days in the Beijing policy
    assert jszb.Step.SUPERVISION == 9
    peng.reply(case_id, T0 + 2 * HOUR, STREET, text="已处理", contacted=True, solved=True)
    assert peng.case(case_id).deadline(Step.SUPERVISION) is None  # the reply stops it
    units = {u["unit"]: u for u in peng.report(*jszb.assessment_month(2024, 3))["units"]}
    assert units[HEPINGJIE]["supervised"] == 1
