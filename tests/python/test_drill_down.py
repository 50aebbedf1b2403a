"""The drill-down from Python: the orders behind each figure of a unit's row,
for two streets with every kind of outcome; each list is as long as the
figure assess() and report() give, and holds the right orders."""
from __future__ import annotations

from datetime import datetime
from typing import Dict, Tuple

import pytest

import jszb
from jszb import Actor, Figure, Satisfaction, UnitOrder

from conftest import (BJT, CHAOWAI, DAY, DISPATCHER, HOUR, JIANWAI, MINUTE, OPERATOR, T0, handling,
                      submit)

MARCH = jszb.assessment_month(2024, 3)


def finish(eng: jszb.Engine, case_id: int, unit: int, *, contacted: bool = True,
           solved: bool = True, satisfaction: Satisfaction = Satisfaction.SATISFIED) -> None:
    """Replied a day after T0, visited two days after."""
    eng.reply(case_id, T0 + DAY, Actor.unit(unit), contacted=True, solved=solved, text="已处理")
    eng.visit(case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=contacted,
              solved=solved, satisfaction=satisfaction)


@pytest.fixture
def march(eng: jszb.Engine, default_policy: jszb.Policy) -> Tuple[jszb.Engine, Dict[str, int]]:
    """Orders of 朝外 (CHAOWAI) and 建外 (JIANWAI), one per kind of outcome."""
    eng.set_policy(default_policy)
    ids: Dict[str, int] = {}
    ids["satisfied"] = handling(eng, "satisfied", CHAOWAI)
    finish(eng, ids["satisfied"], CHAOWAI)
    eng.close_case(ids["satisfied"], T0 + 2 * DAY + HOUR, OPERATOR)
    ids["unreached"] = handling(eng, "unreached", CHAOWAI)
    finish(eng, ids["unreached"], CHAOWAI, contacted=False, solved=False,
           satisfaction=Satisfaction.NOT_SATISFIED)
    ids["basically"] = handling(eng, "basically", CHAOWAI)
    finish(eng, ids["basically"], CHAOWAI, satisfaction=Satisfaction.BASICALLY_SATISFIED)
    ids["appealed"] = handling(eng, "appealed", CHAOWAI)
    finish(eng, ids["appealed"], CHAOWAI, solved=False, satisfaction=Satisfaction.NOT_SATISFIED)
    eng.close_case(ids["appealed"], T0 + 2 * DAY + HOUR, OPERATOR)
    eng.appeal(ids["appealed"], T0 + 3 * DAY, Actor.unit(CHAOWAI), text="回访录入有误")
    # Not signed for by 朝外 within the hour: back to the centre, then 建外's.
    ids["returned"] = submit(eng, "returned")
    eng.dispatch(ids["returned"], T0 + 10 * MINUTE, DISPATCHER, unit=CHAOWAI)
    eng.advance(T0 + 3 * HOUR)
    eng.dispatch(ids["returned"], T0 + 3 * HOUR, DISPATCHER, unit=JIANWAI)
    eng.sign(ids["returned"], T0 + 3 * HOUR + MINUTE, Actor.unit(JIANWAI))
    finish(eng, ids["returned"], JIANWAI)
    # Supervised (督办) by the centre, then done.
    ids["supervised"] = handling(eng, "supervised", JIANWAI)
    eng.supervise(ids["supervised"], T0 + HOUR, DISPATCHER, level=jszb.SupervisionLevel.CITY)
    finish(eng, ids["supervised"], JIANWAI)
    # Never replied: the engine's result on expiry (Art. 23).
    ids["expired"] = handling(eng, "expired", JIANWAI)
    eng.advance(T0 + 30 * DAY)
    return eng, ids


def figures_of(eng: jszb.Engine, unit: int) -> Dict[Figure, int]:
    """Each figure as assess() (the counters) and the report's unit row give it."""
    (score,) = [s for s in eng.assess(*MARCH) if s.unit == unit]
    (row,) = [u for u in eng.report(*MARCH)["units"] if u["unit"] == unit]
    resolution_only = row.get("resolution_only_visits", 0)
    return {
        Figure.VISITS: score.visits,
        Figure.NOT_CONTACTED: score.visits - resolution_only - score.contacted,
        Figure.NOT_SOLVED: score.visits - score.solved,
        Figure.NOT_SATISFIED: score.not_satisfied,
        Figure.BASICALLY_SATISFIED: score.basically_satisfied,
        Figure.SATISFIED: score.satisfied,
        Figure.LATE_SIGN_FOR: score.sign_outcomes - score.signed_on_time,
        Figure.LATE_REPLY: score.replies - score.replied_on_time,
        Figure.BREACHED: row.get("breached", 0),
        Figure.SUPERVISED: row.get("supervised", 0),
        Figure.DISPATCHED: row.get("dispatched", 0),
        Figure.CLOSED: row.get("closed", 0),
        Figure.LONG_TERM_HELD: row.get("long_term_held", 0),
        Figure.RESOLUTION_ONLY: resolution_only,
    }


@pytest.mark.parametrize("unit", [CHAOWAI, JIANWAI])
def test_each_list_is_as_long_as_its_figure(march: Tuple[jszb.Engine, Dict[str, int]],
                                            unit: int) -> None:
    eng, _ = march
    figures = figures_of(eng, unit)
    assert set(figures) | {Figure.APPEALED} == set(Figure)
    for figure, n in figures.items():
        orders = eng.unit_orders(unit, *MARCH, figure)
        assert len(orders) == n, figure.name
        assert orders == sorted(orders)
        assert all(MARCH[0] <= o.time_ms < MARCH[1] for o in orders)
    assert figures[Figure.VISITS] > 0
    assert figures[Figure.LATE_SIGN_FOR] + figures[Figure.LATE_REPLY] > 0


def test_each_list_holds_the_right_orders(march: Tuple[jszb.Engine, Dict[str, int]]) -> None:
    eng, ids = march

    def cases(unit: int, figure: Figure) -> set:
        return {o.case_id for o in eng.unit_orders(unit, *MARCH, figure)}

    assert cases(CHAOWAI, Figure.VISITS) == {ids[k] for k in ("satisfied", "unreached", "basically",
                                                              "appealed")}
    assert cases(CHAOWAI, Figure.NOT_CONTACTED) == {ids["unreached"]}
    assert cases(CHAOWAI, Figure.NOT_SOLVED) == {ids["unreached"], ids["appealed"]}
    assert cases(CHAOWAI, Figure.BASICALLY_SATISFIED) == {ids["basically"]}
    assert cases(CHAOWAI, Figure.LATE_SIGN_FOR) == {ids["returned"]}
    assert ids["returned"] in cases(CHAOWAI, Figure.BREACHED)
    assert cases(CHAOWAI, Figure.CLOSED) == {ids["satisfied"], ids["appealed"]}
    # Appeals have no figure: the unit's own, with when it appealed.
    assert eng.unit_orders(CHAOWAI, *MARCH, Figure.APPEALED) == [
        UnitOrder(ids["appealed"], T0 + 3 * DAY)]
    assert eng.unit_orders(JIANWAI, *MARCH, Figure.APPEALED) == []

    assert cases(JIANWAI, Figure.VISITS) == {ids["returned"], ids["supervised"], ids["expired"]}
    assert cases(JIANWAI, Figure.DISPATCHED) == {ids["returned"], ids["supervised"], ids["expired"]}
    assert ids["supervised"] in cases(JIANWAI, Figure.SUPERVISED)
    (late,) = eng.unit_orders(JIANWAI, *MARCH, Figure.LATE_REPLY)
    assert late.case_id == ids["expired"]  # the Art. 23 late completion
    assert late == (ids["expired"], late.time_ms)  # a plain tuple too
    assert ids["expired"] in cases(JIANWAI, Figure.BREACHED)


def test_any_period_and_datetimes(march: Tuple[jszb.Engine, Dict[str, int]]) -> None:
    eng, ids = march
    # Off the half-day edges (recounted from the log): the visits of T0 + 2 days.
    start = datetime(2024, 3, 3, 8, 59, tzinfo=BJT)
    until = datetime(2024, 3, 3, 9, 1, tzinfo=BJT)
    assert {o.case_id for o in eng.unit_orders(CHAOWAI, start, until, Figure.VISITS)} == {
        ids[k] for k in ("satisfied", "unreached", "basically", "appealed")}
    assert eng.unit_orders(CHAOWAI, *jszb.assessment_month(2024, 2), Figure.VISITS) == []


def test_bad_input_is_refused_and_named(march: Tuple[jszb.Engine, Dict[str, int]]) -> None:
    eng, _ = march
    with pytest.raises(jszb.InvalidArgument, match="unit is 0"):
        eng.unit_orders(0, *MARCH, Figure.VISITS)
    with pytest.raises(jszb.NotFound, match="unit 999 is not a unit of the current policy"):
        eng.unit_orders(999, *MARCH, Figure.VISITS)
    with pytest.raises(jszb.InvalidArgument, match="the period ends before it starts"):
        eng.unit_orders(CHAOWAI, MARCH[1], MARCH[0], Figure.VISITS)
    with pytest.raises(jszb.InvalidArgument, match="figure is 99"):
        eng.unit_orders(CHAOWAI, *MARCH, 99)
    with pytest.raises(jszb.InvalidArgument, match="figure is 0"):
        eng.unit_orders(CHAOWAI, *MARCH, 0)
    with pytest.raises(TypeError, match="Figure"):
        eng.unit_orders(CHAOWAI, *MARCH, "visits")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Figure"):
        eng.unit_orders(CHAOWAI, *MARCH, jszb.Kind.HELP)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unit"):
        eng.unit_orders(-1, *MARCH, Figure.VISITS)
