"""The what-if replay from Python (jszb.what_if): the issue's question, "what
would the rates have been with shorter reply deadlines?", asked of a store
built under the Beijing policy; the same policy gives the live figures back;
refusals are listed; progress is told and can stop the replay."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

import jszb
from jszb import Actor, CommandKind, Satisfaction

from conftest import CHAOWAI, DAY, DISPATCHER, MINUTE, OPERATOR, ROOT, T0, submit

# The assessment month holding T0 (2024-03-01 09:00, a Friday).
MARCH = jszb.assessment_month(2024, 3)
CASES = 12


def build_store(path: Path, policy: jszb.Policy) -> None:
    """CASES complaints to 朝外街道, signed 20 minutes after they came in;
    even ones replied 2 days later (a Sunday: on time under 7 days and under
    3 working days), odd ones 6 days later (the next Thursday: on time under
    7 days, late under 3 working days); all visited and closed. Every fourth
    is extended twice (the live engine allows two)."""
    with jszb.Engine.open(str(path), max_extensions=2) as eng:
        eng.set_policy(policy)
        for i in range(CASES):
            case_id = submit(eng, f"wi-{i}", T0 + i * MINUTE)
            t = T0 + 10 * MINUTE + i * MINUTE
            eng.dispatch(case_id, t, DISPATCHER, unit=CHAOWAI)
            eng.sign(case_id, t + 10 * MINUTE, Actor.unit(CHAOWAI))
            for k in range(2 if i % 4 == 0 else 0):
                at = t + (11 + 2 * k) * MINUTE
                eng.request_extension(case_id, at, Actor.unit(CHAOWAI), until=at + 20 * DAY,
                                      text="需协调")
                eng.approve_extension(case_id, at + MINUTE, DISPATCHER)
            replied = t + (2 if i % 2 == 0 else 6) * DAY
            eng.reply(case_id, replied, Actor.unit(CHAOWAI), text="已处理", contacted=True,
                      solved=True)
            eng.visit(case_id, replied + MINUTE, OPERATOR, contacted=True, solved=True,
                      satisfaction=Satisfaction.SATISFIED)
            eng.close_case(case_id, replied + 2 * MINUTE, OPERATOR)


def reply_in(days: str) -> jszb.Policy:
    """The built-in policy with its ordinary reply deadline (7 days) replaced."""
    text = (ROOT / "lib" / "data" / "beijing-policy.textproto").read_text(encoding="utf-8")
    old = ('deadline_rules { id: "reply" step: STEP_REPLY priority: 0 limit { amount: 7 '
           'unit: TIME_UNIT_DAYS } }')
    assert old in text
    text = text.replace(old, 'deadline_rules { id: "reply" step: STEP_REPLY priority: 0 limit '
                             f"{{ {days} }} }}")
    text = text.replace("\nversion: 3\n", "\nversion: 1003\n")
    return jszb.Policy.load(text, name="reply-deadline")


@pytest.fixture
def store(tmp_path: Path, default_policy: jszb.Policy) -> Path:
    path = tmp_path / "history.jszb"
    build_store(path, default_policy)
    return path


def on_time_rate(scores: List[jszb.UnitScore]) -> float:
    (score,) = scores
    return score.replied_on_time / score.replies


def test_shorter_reply_deadlines_lower_the_on_time_rate(store: Path,
                                                        default_policy: jszb.Policy) -> None:
    with jszb.Engine.open(str(store), read_only=True) as live:
        live_scores = live.assess(*MARCH)
        live_report = live.report(*MARCH)

    with jszb.what_if(store, default_policy, max_extensions=2) as same:
        assert same.commands_skipped == 0 and same.skipped == ()
        assert same.submissions == CASES and same.memory_bounded
        assert same.engine.assess(*MARCH) == live_scores
        assert same.engine.report(*MARCH) == live_report

    with reply_in("amount: 3 unit: TIME_UNIT_WORKING_DAYS") as three_days:
        shorter = jszb.what_if(store, three_days, max_extensions=2)
    with shorter:
        scores = shorter.engine.assess(*MARCH)
        # The rates of the visits stand; the on-time replies halve.
        assert [(s.unit, s.visits, s.response, s.resolution, s.satisfaction) for s in scores] == [
            (s.unit, s.visits, s.response, s.resolution, s.satisfaction) for s in live_scores
        ]
        assert on_time_rate(live_scores) == 1.0
        assert on_time_rate(scores) == 0.5
        assert shorter.engine_events > 0  # the breaches and supervisions, recomputed
        report = shorter.engine.report(*MARCH)
        assert report != live_report
        # A daily bulletin too, without request groups (no texts are kept).
        bulletin = shorter.engine.report(*jszb.bulletin_day(2024, 3, 1))
        assert bulletin["received"] == CASES and bulletin["groups"] == []
        # The engine is an ordinary one: it holds no finished case.
        assert shorter.engine.case_count == 0
        with pytest.raises(jszb.StateError, match="counters only"):
            shorter.engine.assess(T0, T0 + DAY)
    assert shorter.engine.closed


def test_refused_commands_are_skipped_and_listed(store: Path, default_policy: jszb.Policy) -> None:
    # The library's default engine allows one extension per cycle: the second
    # request of cases 1, 5 and 9 is refused, and the approval after it.
    with jszb.what_if(store, default_policy, max_listed=1) as r:
        assert r.commands_skipped == 6
        assert r.skipped_by_kind == {CommandKind.REQUEST_EXTENSION: 3,
                                     CommandKind.APPROVE_EXTENSION: 3}
        assert r.skipped_submissions == 0
        (first,) = r.skipped
        assert (first.case_id, first.command, first.code, first.refusal) == (
            1, CommandKind.REQUEST_EXTENSION, jszb.Code.REFUSED, jszb.Refusal.EXTENSION_LIMIT)
        assert first.time == T0 + 23 * MINUTE and first.message


def test_bad_options_name_the_field(store: Path, default_policy: jszb.Policy) -> None:
    with pytest.raises(jszb.InvalidArgument, match="options.until_ms .* is not after"):
        jszb.what_if(store, default_policy, from_=T0, until=T0 - DAY)
    with pytest.raises(jszb.InvalidArgument, match="options.progress_every is 0"):
        jszb.what_if(store, default_policy, progress_every=0)
    with pytest.raises(jszb.InvalidArgument, match="options.engine_options.max_extensions is 500"):
        jszb.what_if(store, default_policy, max_extensions=500)
    with pytest.raises(TypeError, match="jszb.Policy"):
        jszb.what_if(store, "beijing")  # type: ignore[arg-type]
    with pytest.raises(jszb.Error):
        jszb.what_if(store.parent / "missing" / "x.jszb", default_policy)


def test_progress_is_told_and_can_stop(store: Path, default_policy: jszb.Policy) -> None:
    told: List[jszb.Progress] = []
    with jszb.what_if(store, default_policy, progress=told.append, progress_every=10) as r:
        events = r.events_read
    assert len(told) == events // 10 + 1
    assert all(p.stage == "replay" and p.total == events for p in told)
    assert told[-1].done == events

    calls = []

    def stop_at_the_second(p: jszb.Progress) -> bool:
        calls.append(p)
        return len(calls) < 2

    with pytest.raises(jszb.Cancelled, match="stopped by its progress callback after 20 events"):
        jszb.what_if(store, default_policy, progress=stop_at_the_second, progress_every=10)
    assert len(calls) == 2

    def interrupted(p: jszb.Progress) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        jszb.what_if(store, default_policy, progress=interrupted, progress_every=10)
