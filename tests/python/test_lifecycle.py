"""Cases through the lifecycle, as the package shows them."""
from __future__ import annotations

import dataclasses

import pytest

import jszb
from jszb import (
    Actor,
    Channel,
    DispatchMode,
    EventType,
    Kind,
    NotDispatchedReason,
    Refusal,
    Role,
    Satisfaction,
    State,
    SupervisionLevel,
    Urgency,
    VisitMethod,
)
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


def test_one_case_from_intake_to_close(eng: jszb.Engine) -> None:
    street = Actor.unit(CHAOWAI, staff=42)
    steps = []  # (state expected after the step, event type, time)

    case_id = submit(eng, "call-0001", urgency=Urgency.URGENT)
    assert case_id >= 1
    steps.append((State.RECEIVED, EventType.SUBMITTED, T0, OPERATOR))
    assert eng.case(case_id).state is State.RECEIVED

    t = T0 + 5 * MINUTE
    eng.dispatch(case_id, t, DISPATCHER, unit=CHAOWAI, copy_to=[CHAOYANG])
    steps.append((State.DISPATCHED, EventType.DISPATCHED, t, DISPATCHER))
    c = eng.case(case_id)
    assert (c.state, c.lead_unit, c.copy_to, c.dispatch_mode) == (
        State.DISPATCHED, CHAOWAI, (CHAOYANG,), DispatchMode.DIRECT)
    assert c.dispatched_ms == t

    t = T0 + 30 * MINUTE
    eng.sign(case_id, t, street)
    steps.append((State.HANDLING, EventType.SIGNED, t, street))
    assert eng.case(case_id).signed_ms == t

    t = T0 + 2 * HOUR
    eng.contact_citizen(case_id, t, street, text="已电话联系市民")
    steps.append((State.HANDLING, EventType.CITIZEN_CONTACTED, t, street))
    assert eng.case(case_id).first_contact_ms == t

    t = T0 + 1 * DAY
    eng.reply(case_id, t, street, text="已责令工地夜间停工", contacted=True, solved=True)
    steps.append((State.REPLIED, EventType.REPLIED, t, street))
    c = eng.case(case_id)
    assert c.state is State.REPLIED
    assert c.reply == jszb.Reply(contacted=True, solved=True, text="已责令工地夜间停工")
    assert c.replied_ms == t

    t = T0 + 2 * DAY
    eng.visit(case_id, t, OPERATOR, contacted=True, solved=True,
              satisfaction=Satisfaction.SATISFIED, visit_method=VisitMethod.PHONE)
    steps.append((State.VISITED, EventType.VISITED, t, OPERATOR))
    c = eng.case(case_id)
    assert c.visit == jszb.Visit(valid=True, contacted=True, solved=True,
                                 satisfaction=Satisfaction.SATISFIED, method=VisitMethod.PHONE)

    t = T0 + 2 * DAY + MINUTE
    eng.close_case(case_id, t, OPERATOR)
    steps.append((State.CLOSED, EventType.CLOSED, t, OPERATOR))

    c = eng.case(case_id)
    assert c.state is State.CLOSED
    assert c.closed_ms == c.last_event_ms == t
    assert c.event_count == len(c.events) == len(steps)
    for seq, (event, (state, etype, time_ms, actor)) in enumerate(zip(c.events, steps), start=1):
        assert (event.case_id, event.seq, event.type, event.state, event.time_ms, event.actor) == (
            case_id, seq, etype, state, time_ms, actor)
        assert (event.intake is not None) == (etype is EventType.SUBMITTED)
    assert c.events[0].intake == c.intake
    assert c.events[1].payload.unit == CHAOWAI
    assert c.events[1].payload.copy_to == (CHAOYANG,)
    assert c.events[4].payload.text == "已责令工地夜间停工"
    assert c.events[4].payload.solved is True
    assert c.events[5].payload.satisfaction is Satisfaction.SATISFIED


def test_intake_fields_come_back_as_given(eng: jszb.Engine) -> None:
    case_id = eng.submit(
        time=T0,
        actor=Actor.citizen(),
        channel=Channel.WECHAT_MINI,
        channel_ref="wx-20240301-000123",
        kind=Kind.HELP,
        category=["公共服务", "供水"],
        urgency=Urgency.EXTRA_URGENT,
        district="朝阳区",
        street="建外街道",
        community="建外SOHO社区",
        address="东三环中路39号",
        point=(39.9042, 116.4074),
        content="小区停水三天",
        contact_name="张先生",
        contact_phone="13800000000",
    )
    intake = eng.case(case_id).intake
    assert intake == jszb.Intake(
        time_ms=T0,
        actor=Actor(Role.CITIZEN),
        channel=Channel.WECHAT_MINI,
        channel_ref="wx-20240301-000123",
        kind=Kind.HELP,
        category=("公共服务", "供水"),
        urgency=Urgency.EXTRA_URGENT,
        district="朝阳区",
        street="建外街道",
        community="建外SOHO社区",
        address="东三环中路39号",
        point=(39.9042, 116.4074),
        content="小区停水三天",
        contact_name="张先生",
        contact_phone="13800000000",
    )
    # Urgency left out means normal; no point means None.
    other = eng.case(submit(eng, "call-0002")).intake
    assert other.urgency is Urgency.NORMAL
    assert other.point is None


def test_submit_is_idempotent_on_channel_and_ref(eng: jszb.Engine) -> None:
    seen = []
    eng.add_listener(seen.append)
    first, created = eng.submit_ex(
        time=T0, actor=OPERATOR, channel=Channel.PHONE, channel_ref="call-7",
        kind=Kind.CONSULTATION, category=("社保",), content="社保卡补办")
    assert created is True
    again, created_again = eng.submit_ex(
        time=T0 + HOUR, actor=OPERATOR, channel=Channel.PHONE, channel_ref="call-7",
        kind=Kind.COMPLAINT, category=("其他",), content="different words")
    assert (again, created_again) == (first, False)
    assert len(eng) == 1
    assert len(seen) == 1  # no new event
    c = eng.case(first)
    assert c.event_count == 1
    assert c.intake.content == "社保卡补办"  # the first submission stands
    # The same ref on another channel is another request.
    other, created_other = eng.submit_ex(
        time=T0, actor=OPERATOR, channel=Channel.WEB, channel_ref="call-7",
        kind=Kind.CONSULTATION, category=("社保",), content="社保卡补办")
    assert created_other and other != first
    assert eng.submit(time=T0, actor=OPERATOR, channel=Channel.WEB, channel_ref="call-7",
                      kind=Kind.CONSULTATION, category=("社保",), content="x") == other


def test_return_review_fixes_the_owner(eng: jszb.Engine) -> None:
    case_id = dispatched(eng, unit=CHAOWAI)
    eng.request_return(case_id, T0 + HOUR, Actor.unit(CHAOWAI), text="不属于本街道辖区")
    c = eng.case(case_id)
    assert (c.state, c.return_count, c.owner_fixed) == (State.RETURN_REQUESTED, 1, False)

    eng.approve_return(case_id, T0 + 2 * HOUR, DISPATCHER, unit=JIANWAI, copy_to=[CHAOYANG])
    c = eng.case(case_id)
    assert (c.state, c.lead_unit, c.copy_to, c.owner_fixed) == (
        State.DISPATCHED, JIANWAI, (CHAOYANG,), True)
    assert c.events[-1].type is EventType.RETURN_APPROVED

    # The old owner is no one now; the new one may not return it again.
    with pytest.raises(jszb.Denied) as denied:
        eng.sign(case_id, T0 + 3 * HOUR, Actor.unit(CHAOWAI))
    assert denied.value.refusal is Refusal.NOT_OWNER
    with pytest.raises(jszb.Refused) as refused:
        eng.request_return(case_id, T0 + 3 * HOUR, Actor.unit(JIANWAI), text="也不是我们")
    assert refused.value.refusal is Refusal.OWNER_FIXED
    eng.sign(case_id, T0 + 3 * HOUR, Actor.unit(JIANWAI))
    assert eng.case(case_id).state is State.HANDLING


def test_co_handlers_report_back_to_the_lead(eng: jszb.Engine) -> None:
    case_id = dispatched(eng, unit=CHAOWAI, units=[HOUSING])
    eng.sign(case_id, T0 + HOUR, Actor.unit(CHAOWAI))
    c = eng.case(case_id)
    assert (c.state, c.co_handlers, c.co_handlers_pending) == (
        State.CO_HANDLING, (HOUSING,), (HOUSING,))

    eng.add_co_handlers(case_id, T0 + 2 * HOUR, Actor.unit(CHAOWAI), units=[WATER], text="吹哨")
    assert eng.case(case_id).co_handlers == (HOUSING, WATER)
    assert eng.case(case_id).co_handlers_pending == (HOUSING, WATER)

    with pytest.raises(jszb.Denied) as exc:
        eng.report_to_lead(case_id, T0 + 3 * HOUR, Actor.unit(JIANWAI), text="not ours")
    assert exc.value.refusal is Refusal.NOT_CO_HANDLER

    eng.report_to_lead(case_id, T0 + 3 * HOUR, Actor.unit(HOUSING), text="已到场")
    c = eng.case(case_id)
    assert (c.state, c.co_handlers_pending) == (State.CO_HANDLING, (WATER,))
    # A unit reports once.
    with pytest.raises(jszb.Denied):
        eng.report_to_lead(case_id, T0 + 4 * HOUR, Actor.unit(HOUSING), text="again")
    eng.report_to_lead(case_id, T0 + 4 * HOUR, Actor.unit(WATER), text="已恢复供水")
    c = eng.case(case_id)
    assert (c.state, c.co_handlers_pending) == (State.HANDLING, ())
    assert c.events[-1].type is EventType.REPORTED_TO_LEAD
    assert c.events[-1].actor == Actor.unit(WATER)
    assert eng.list_cases(unit=WATER) == [case_id]


@pytest.mark.parametrize("max_extensions", [1, 2])
def test_extensions_up_to_the_engine_limit(max_extensions: int) -> None:
    with jszb.Engine(max_extensions=max_extensions) as eng:
        case_id = handling(eng)
        owner = Actor.unit(CHAOWAI)
        t = T0 + HOUR
        for i in range(max_extensions):
            until = T0 + (10 + i) * DAY
            eng.request_extension(case_id, t, owner, until=until, text="需协调产权单位")
            assert eng.case(case_id).extension_requested_until_ms == until
            eng.approve_extension(case_id, t + MINUTE, DISPATCHER)  # as requested
            c = eng.case(case_id)
            assert (c.state, c.extension_count, c.extended_until_ms) == (State.HANDLING, i + 1, until)
            assert c.extension_requested_until_ms == 0
            t += HOUR
        with pytest.raises(jszb.Refused) as exc:
            eng.request_extension(case_id, t, owner, until=T0 + 30 * DAY, text="再延一次")
        assert exc.value.refusal is Refusal.EXTENSION_LIMIT
        assert exc.value.state is State.HANDLING
        assert eng.case(case_id).event_count == 3 + 2 * max_extensions


def test_refused_extension_and_suspension(eng: jszb.Engine) -> None:
    case_id = handling(eng)
    owner = Actor.unit(CHAOWAI)
    eng.request_extension(case_id, T0 + HOUR, owner, until=T0 + 9 * DAY, text="施工周期长")
    assert eng.case(case_id).state is State.EXTENSION_REQUESTED
    eng.refuse_extension(case_id, T0 + 2 * HOUR, DISPATCHER, text="可先行处置")
    c = eng.case(case_id)
    assert (c.state, c.extension_count, c.extended_until_ms) == (State.HANDLING, 0, 0)

    with pytest.raises(jszb.Denied) as exc:  # only a reviewer suspends
        eng.suspend(case_id, T0 + 3 * HOUR, OPERATOR, text="x")
    assert exc.value.refusal is Refusal.NOT_REVIEWER
    eng.suspend(case_id, T0 + 3 * HOUR, DISPATCHER, text="等待法院判决")
    assert eng.case(case_id).state is State.SUSPENDED
    eng.supervise(case_id, T0 + 4 * HOUR, Actor.system(), level=SupervisionLevel.DISTRICT)
    eng.supervise(case_id, T0 + 5 * HOUR, OPERATOR, level=SupervisionLevel.CITY, unit=CHAOYANG)
    eng.resume(case_id, T0 + 6 * HOUR, owner)
    c = eng.case(case_id)
    assert (c.state, c.supervision_level) == (State.HANDLING, SupervisionLevel.CITY)
    assert [e.type for e in c.events[-4:]] == [
        EventType.SUSPENDED, EventType.SUPERVISED, EventType.SUPERVISED, EventType.RESUMED]
    assert c.events[-2].payload.unit == CHAOYANG


def test_redo_only_after_an_unsatisfying_visit(eng: jszb.Engine) -> None:
    case_id = handling(eng)
    owner = Actor.unit(CHAOWAI)
    eng.reply(case_id, T0 + DAY, owner, text="已处理", contacted=True, solved=False)
    eng.visit(case_id, T0 + 2 * DAY, OPERATOR, contacted=True, solved=False,
              satisfaction=Satisfaction.NOT_SATISFIED)
    eng.redo(case_id, T0 + 2 * DAY + HOUR, OPERATOR, text="市民不满意")
    c = eng.case(case_id)
    assert (c.state, c.redo_count) == (State.HANDLING, 1)

    eng.reply(case_id, T0 + 3 * DAY, owner, text="已彻底解决", contacted=True, solved=True)
    eng.visit(case_id, T0 + 4 * DAY, OPERATOR, contacted=True, solved=True,
              satisfaction=Satisfaction.BASICALLY_SATISFIED)
    with pytest.raises(jszb.Refused) as exc:
        eng.redo(case_id, T0 + 4 * DAY + HOUR, OPERATOR)
    assert exc.value.refusal is Refusal.VISIT_SATISFIED
    assert exc.value.state is State.VISITED
    eng.close_case(case_id, T0 + 4 * DAY + HOUR, OPERATOR)
    assert eng.case(case_id).state is State.CLOSED


def test_triage_outcomes_and_final_states(eng: jszb.Engine) -> None:
    answered = submit(eng, "call-1", kind=Kind.CONSULTATION)
    eng.answer_on_spot(answered, T0 + MINUTE, OPERATOR, text="告知办理流程")
    c = eng.case(answered)
    assert (c.state, c.closed_ms, c.reply.text) == (State.ANSWERED_ON_SPOT, T0 + MINUTE, "告知办理流程")

    emergency = submit(eng, "call-2")
    eng.not_dispatch(emergency, T0 + MINUTE, OPERATOR, reason=NotDispatchedReason.EMERGENCY)
    c = eng.case(emergency)
    assert (c.state, c.not_dispatched_reason) == (State.NOT_DISPATCHED, NotDispatchedReason.EMERGENCY)

    duplicate = submit(eng, "call-3")
    eng.not_dispatch(duplicate, T0 + MINUTE, OPERATOR,
                     reason=NotDispatchedReason.DUPLICATE, other_case=answered)
    assert eng.case(duplicate).events[-1].payload.other_case == answered

    merged = submit(eng, "call-4")
    eng.merge(merged, T0 + MINUTE, OPERATOR, other_case=answered)
    c = eng.case(merged)
    assert (c.state, c.merged_into) == (State.MERGED, answered)

    terminated = dispatched(eng, "call-5")
    eng.terminate(terminated, T0 + HOUR, DISPATCHER, text="市民拒绝配合")
    assert eng.case(terminated).state is State.TERMINATED

    for case_id in (emergency, duplicate, merged, terminated):
        assert eng.case(case_id).state in jszb.FINAL_STATES
        with pytest.raises(jszb.StateError):
            eng.reopen(case_id, T0 + DAY, OPERATOR)

    # Answered on the spot can come back: a new dispatch cycle starts.
    eng.reopen(answered, T0 + DAY, OPERATOR, text="市民再次来电")
    eng.dispatch(answered, T0 + DAY + MINUTE, DISPATCHER, unit=WATER,
                 mode=DispatchMode.DISTRICT_COORDINATES)
    c = eng.case(answered)
    assert (c.state, c.reopen_count, c.lead_unit, c.dispatch_mode) == (
        State.DISPATCHED, 1, WATER, DispatchMode.DISTRICT_COORDINATES)


def test_apply_is_the_generic_form_of_the_commands(eng: jszb.Engine) -> None:
    case_id = submit(eng)
    eng.apply(jszb.CommandKind.DISPATCH, case_id, T0 + MINUTE, DISPATCHER, unit=CHAOWAI)
    eng.apply(8, case_id, T0 + 2 * MINUTE, Actor.unit(CHAOWAI))  # 8: sign, as a plain int
    eng.apply(jszb.CommandKind.REQUEST_EXTENSION, case_id, T0 + 3 * MINUTE, Actor.unit(CHAOWAI),
              until_ms=T0 + 5 * DAY, text="C name of the field")
    c = eng.case(case_id)
    assert [e.type for e in c.events] == [
        EventType.SUBMITTED, EventType.DISPATCHED, EventType.SIGNED, EventType.EXTENSION_REQUESTED]
    assert c.extension_requested_until_ms == T0 + 5 * DAY
    with pytest.raises(TypeError, match="unknown payload field"):
        eng.apply(jszb.CommandKind.SIGN, case_id, T0, Actor.unit(CHAOWAI), unti=1)


def test_snapshots_are_immutable_copies(eng: jszb.Engine) -> None:
    case_id = dispatched(eng)
    before = eng.case(case_id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        before.state = State.CLOSED  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        before.events[0].seq = 5  # type: ignore[misc]
    eng.sign(case_id, T0 + HOUR, Actor.unit(CHAOWAI))
    assert before.state is State.DISPATCHED
    assert len(before.events) == 2
    after = eng.case(case_id)
    assert after.state is State.HANDLING
    assert after.events[:2] == before.events
