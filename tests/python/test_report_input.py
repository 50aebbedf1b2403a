"""Bad input to the report methods (Engine.report, Engine.request_groups,
Engine.assess, jszb.bulletin_day, jszb.assessment_month): each refused with a
typed error naming the argument and its value, before anything is read; a
valid period in which nothing happened gives a report that says it is empty."""
from __future__ import annotations

import math
from typing import Any, Dict

import pytest

import jszb

from conftest import DAY, HOUR, submit

OCT1 = 1_633_017_600_000  # 2021-10-01 00:00 China time
DAY_OF_OCT1 = (OCT1, OCT1 + DAY)


@pytest.fixture
def one(peng: jszb.Engine) -> jszb.Engine:
    """The built-in policy, one request in 朝阳区 on 1 October."""
    submit(peng, "in-1", OCT1 + 9 * HOUR)
    return peng


def test_a_period_without_data_is_an_empty_report_that_says_so(one: jszb.Engine) -> None:
    later = (OCT1 + 30 * DAY, OCT1 + 31 * DAY)
    r: Dict[str, Any] = one.report(*later)
    assert r["empty"] is True and r["received"] == 0 and r.get("units", []) == []
    csv_text = one.report(*later, format="csv")
    assert "received,previous_received,empty,previous_empty,time_zone,min_visits\n" in csv_text
    assert ",0,0,true,true,UTC+8,10\n" in csv_text
    assert "本期无数据。" in one.report(*later, format="html")
    summary = jszb.frames.report_tables(r)["summary"]
    if jszb.frames.have_pandas():
        assert bool(summary["empty"].iloc[0]) is True
    else:
        assert summary[0]["empty"] is True
    # The day of the request is not empty; a district with nothing in it is.
    assert one.report(*DAY_OF_OCT1)["empty"] is False
    assert one.report(*DAY_OF_OCT1, district="海淀区")["empty"] is True
    # Nothing to group or assess either: empty lists, not errors.
    assert one.request_groups(*later) == []
    assert one.assess(*later) == []


def test_unknown_districts_are_not_found(one: jszb.Engine, eng: jszb.Engine) -> None:
    with pytest.raises(jszb.NotFound, match='"不存在区" is not a district of the current policy'):
        one.report(*DAY_OF_OCT1, district="不存在区")
    with pytest.raises(jszb.NotFound, match='alias.*"朝阳区"'):
        one.report(*DAY_OF_OCT1, district="朝阳")
    with pytest.raises(jszb.NotFound, match="不存在区"):
        one.request_groups(*DAY_OF_OCT1, district="不存在区")
    # NotFound is a LookupError, as KeyError is.
    with pytest.raises(LookupError):
        one.report(*DAY_OF_OCT1, district="不存在区")
    # An engine without a policy knows no district; the city still reports.
    with pytest.raises(jszb.NotFound, match="no policy is loaded"):
        eng.report(*DAY_OF_OCT1, district="朝阳区")
    assert eng.report(*DAY_OF_OCT1)["empty"] is True
    # A district that is not a string, or holds a NUL, never reaches C.
    with pytest.raises(TypeError, match="district must be str"):
        one.report(*DAY_OF_OCT1, district=110105)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="district contains a NUL"):
        one.request_groups(*DAY_OF_OCT1, district="朝阳区\0海淀区")


@pytest.mark.parametrize(
    "start, until, words",
    [
        (OCT1, OCT1 - DAY, "the period ends before it starts"),
        (OCT1, OCT1, "the period is empty"),
        (OCT1 + HOUR, OCT1 + DAY, r"from_ms is 1633021200000 \(2021-10-01 01:00 China time\): "
                                  "not on a half-day edge"),
        (-(2**63), OCT1, "from_ms is -9223372036854775808 ms: outside the times jszb accepts"),
        (OCT1, 2**63 - 1, "until_ms is 9223372036854775807 ms: outside the times jszb accepts"),
    ],
)
def test_bad_periods_are_refused_by_name(one: jszb.Engine, start: int, until: int,
                                         words: str) -> None:
    with pytest.raises(jszb.InvalidArgument, match=words):
        one.report(start, until)
    if "half-day" not in words:  # groups and scores take any millisecond
        with pytest.raises(jszb.InvalidArgument, match=words):
            one.request_groups(start, until)
        with pytest.raises(jszb.InvalidArgument, match=words):
            one.assess(start, until)


def test_options_out_of_range_are_refused_by_name(one: jszb.Engine) -> None:
    for options, words in [
        ({"top": -1}, "top is -1"),
        ({"top": 10_001}, "top is 10001"),
        ({"baseline_periods": 0}, "baseline_periods is 0"),
        ({"baseline_periods": 53}, "baseline_periods is 53"),
    ]:
        with pytest.raises(jszb.InvalidArgument, match=words):
            one.report(*DAY_OF_OCT1, **options)
    # Values ctypes would cut to 32 bits, and values of the wrong type, are
    # refused before the call: 2**32 + 5 must not become top 5.
    with pytest.raises(ValueError, match="top is 4294967301"):
        one.report(*DAY_OF_OCT1, top=2**32 + 5)
    with pytest.raises(TypeError, match="baseline_periods must be an int"):
        one.report(*DAY_OF_OCT1, baseline_periods=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="top must be an int, not bool"):
        one.report(*DAY_OF_OCT1, top=True)
    for fmt in ("pdf", "", None, 3):
        with pytest.raises(ValueError, match="format is"):
            one.report(*DAY_OF_OCT1, format=fmt)  # type: ignore[arg-type]
    assert one.report(*DAY_OF_OCT1, top=10_000, baseline_periods=52)["received"] == 1


def test_assess_weights_out_of_range(one: jszb.Engine) -> None:
    for weights, words in [
        ((-0.1, 0.5, 0.4), "weights.response is -0.1"),
        ((0.1, math.inf, 0.4), "weights.resolution is inf"),
        ((0.1, 0.5, math.nan), "weights.satisfaction is nan"),
        ((0, 0, 0), "weights are all 0"),
    ]:
        with pytest.raises(jszb.InvalidArgument, match=words):
            one.assess(*DAY_OF_OCT1, weights=weights)
    with pytest.raises(TypeError, match="resolution must be a number"):
        one.assess(*DAY_OF_OCT1, weights=(0.1, "0.5", 0.4))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weights must be"):
        one.assess(*DAY_OF_OCT1, weights=(0.1, 0.5))  # type: ignore[arg-type]


def test_bulletin_days_and_months_out_of_range() -> None:
    with pytest.raises(jszb.InvalidArgument, match="2021-02-30 is not a date"):
        jszb.bulletin_day(2021, 2, 30)
    with pytest.raises(jszb.InvalidArgument, match="2021-13-01"):
        jszb.assessment_month(2021, 13)
    # ctypes would keep the low 32 bits: the 20th.
    with pytest.raises(ValueError, match="4294967316 is not a year, month or day"):
        jszb.bulletin_day(2021, 9, 2**32 + 20)
    with pytest.raises(TypeError):
        jszb.assessment_month(2021, "10")  # type: ignore[arg-type]
    assert jszb.bulletin_day(2021, 9, 20) == (OCT1 - 11 * DAY - 12 * HOUR, OCT1 - 11 * DAY + 12 * HOUR)
