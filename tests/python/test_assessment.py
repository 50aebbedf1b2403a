"""Assessment from Python: periods in China time and the three rates per unit,
on orders counted by hand."""
from __future__ import annotations

import pytest

import jszb
from jszb import Actor

from conftest import CHAOWAI, DAY, JIANWAI, MINUTE, OPERATOR, T0, handling

# 2024-03-01 09:00 +08:00 (T0) falls in the assessment month ending 2024-03-18.
MARCH = jszb.assessment_month(2024, 3)


def visited(eng: jszb.Engine, ref: str, unit: int, *, contacted: bool, solved: bool,
            satisfaction: jszb.Satisfaction) -> int:
    case_id = handling(eng, ref, unit)
    eng.reply(case_id, T0 + DAY, Actor.unit(unit), contacted=True, solved=solved, text="已处理")
    eng.visit(case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=contacted,
              solved=solved, satisfaction=satisfaction)
    return case_id


def test_periods() -> None:
    start, until = MARCH
    assert start == 1_708_272_000_000  # 2024-02-19 00:00 +08:00
    assert until - start == 29 * DAY  # 2024 is a leap year
    assert start <= T0 < until
    day = jszb.bulletin_day(2024, 3, 1)
    assert day == (T0 - 21 * 60 * MINUTE, T0 + 3 * 60 * MINUTE)  # noon to noon
    with pytest.raises(jszb.InvalidArgument, match="2023-02-29"):
        jszb.bulletin_day(2023, 2, 29)


def test_three_rates_per_unit(eng: jszb.Engine) -> None:
    visited(eng, "r-1", CHAOWAI, contacted=True, solved=True, satisfaction=jszb.Satisfaction.SATISFIED)
    visited(eng, "r-2", CHAOWAI, contacted=True, solved=False,
            satisfaction=jszb.Satisfaction.BASICALLY_SATISFIED)
    visited(eng, "r-3", CHAOWAI, contacted=False, solved=False,
            satisfaction=jszb.Satisfaction.NOT_SATISFIED)
    visited(eng, "r-4", JIANWAI, contacted=True, solved=True, satisfaction=jszb.Satisfaction.SATISFIED)
    scores = {s.unit: s for s in eng.assess(*MARCH)}
    a = scores[CHAOWAI]
    assert (a.visits, a.contacted, a.solved, a.satisfied, a.basically_satisfied) == (3, 2, 1, 1, 1)
    assert a.response == pytest.approx(2 / 3)
    assert a.resolution == pytest.approx(1 / 3)
    assert a.satisfaction == pytest.approx(1.9 / 3)
    assert a.composite == pytest.approx(0.1 * 2 / 3 + 0.5 / 3 + 0.4 * 1.9 / 3)
    assert scores[JIANWAI].composite == pytest.approx(1.0)
    only_resolution = {s.unit: s for s in eng.assess(*MARCH, weights=(0, 1, 0))}
    assert only_resolution[CHAOWAI].composite == pytest.approx(1 / 3)
    assert eng.assess(*jszb.assessment_month(2024, 2)) == []
    with pytest.raises(jszb.InvalidArgument, match="the period ends before it starts"):
        eng.assess(MARCH[1], MARCH[0])


def test_an_upheld_appeal_leaves_scoring(eng: jszb.Engine) -> None:
    up = visited(eng, "ap-1", CHAOWAI, contacted=True, solved=False,
                 satisfaction=jszb.Satisfaction.NOT_SATISFIED)
    stays = visited(eng, "ap-2", CHAOWAI, contacted=True, solved=True,
                    satisfaction=jszb.Satisfaction.SATISFIED)
    for case_id in (up, stays):
        eng.close_case(case_id, T0 + 2 * DAY + MINUTE, OPERATOR)
    with pytest.raises(jszb.Denied, match="scored for"):
        eng.appeal(up, T0 + 3 * DAY, Actor.unit(JIANWAI), text="不是本单位的工单")
    eng.appeal(up, T0 + 3 * DAY, Actor.unit(CHAOWAI), text="回访录入有误")
    assert eng.case(up).state == jszb.State.APPEALED
    eng.uphold_appeal(up, T0 + 4 * DAY, jszb.Actor.dispatcher(3301), text="核实录音，结果有误")
    assert eng.case(up).state == jszb.State.CLOSED
    with pytest.raises(jszb.Refused, match="appealed already"):
        eng.appeal(up, T0 + 5 * DAY, Actor.unit(CHAOWAI), text="再次申诉")
    (score,) = eng.assess(*MARCH)
    assert (score.visits, score.satisfied, score.not_satisfied) == (1, 1, 0)
