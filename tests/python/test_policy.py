"""Policies (loading, refusals, swapping) and their work calendar."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import jszb
from jszb import DispatchMode, Step
from conftest import (
    BEIJING_VERSION,
    BJT,
    BY_DEPARTMENT_POLICY,
    BY_DEPARTMENT_VERSION,
    CHAOYANG,
    DAY,
    DISPATCHER,
    HEPINGJIE,
    HOUR,
    MINUTE,
    ROOT,
    T0,
    request,
)

# A small policy of the caller's: one district, one catalogue rule, one deadline.
TINY = """\
name: "tiny"
version: 7
calendar_file: "china-calendar.textproto"
units { code: 110105 name: "朝阳区" unit_class: UNIT_CLASS_DISTRICT }
dispatch_rules { id: "all" priority: 1 match { needs_district: true } district_coordinates {} }
deadline_rules { id: "r" step: STEP_REPLY limit { amount: 3 unit: TIME_UNIT_DAYS } }
"""

# Two problems, on lines 5 and 6.
BAD = """\
name: "bad"
version: 2
calendar_file: "china-calendar.textproto"
units { code: 110105 name: "朝阳区" unit_class: UNIT_CLASS_DISTRICT }
dispatch_rules { id: "a" priority: 1 dispatch { unit: 999 } }
deadline_rules { id: "r" step: STEP_REPLY limit { amount: 7 } }
"""

# A calendar of the caller's: 2024 only, one holiday, long hours.
OWN_CALENDAR = """\
name: "own"
utc_offset_minutes: 480
weekend_days: 6
weekend_days: 7
working_hours { from: "08:00" to: "18:00" }
first_year: 2024
last_year: 2024
beyond: BEYOND_SCHEDULE_REFUSE
holidays { name: "company day" from: "2024-03-04" to: "2024-03-04" }
"""


def bjt(*args: int) -> datetime:
    return datetime(*args, tzinfo=BJT)


# ---------------------------------------------------------------- policies


def test_default_policy_name_version_and_lifetime() -> None:
    policy = jszb.Policy.default()
    assert (policy.name, policy.version) == ("beijing", BEIJING_VERSION)
    assert "beijing" in repr(policy)
    assert not policy.closed
    policy.close()
    policy.close()  # idempotent
    assert policy.closed
    # What was read at load stays readable; the library is not asked again.
    assert (policy.name, policy.version) == ("beijing", BEIJING_VERSION)
    with pytest.raises(jszb.PolicyClosed):
        policy.calendar
    with pytest.raises(jszb.PolicyClosed):
        with policy:
            pass


def test_a_calendar_view_refuses_once_its_policy_is_closed() -> None:
    with jszb.Policy.default() as policy:
        calendar = policy.calendar
        assert calendar.policy is policy
        assert calendar.is_working_day(date(2024, 3, 1)) is True
    assert policy.closed
    with pytest.raises(jszb.PolicyClosed) as exc:
        calendar.is_working_day(date(2024, 3, 1))
    assert isinstance(exc.value, ValueError)


def test_a_bad_policy_lists_every_problem_with_its_line() -> None:
    with pytest.raises(jszb.InvalidArgument) as exc:
        jszb.Policy.load(BAD, name="bad.textproto")
    err = exc.value
    assert err.code is jszb.Code.INVALID
    lines = err.message.splitlines()
    unit_line = [line for line in lines if "unknown unit 999" in line]
    time_line = [line for line in lines if "no unit of time" in line]
    assert len(unit_line) == 1 and unit_line[0].startswith("bad.textproto:5")
    assert len(time_line) == 1 and time_line[0].startswith("bad.textproto:6")


def test_a_policy_naming_a_missing_file_is_refused() -> None:
    text = 'name: "x" version: 1 calendar_file: "nowhere.textproto"'
    with pytest.raises(jszb.InvalidArgument) as exc:
        jszb.Policy.load(text, name="x")
    assert "nowhere.textproto" in exc.value.message
    with pytest.raises(jszb.Error) as exc2:
        jszb.Policy.load_file("/nonexistent/policy.textproto")
    assert "/nonexistent/policy.textproto" in exc2.value.message


def test_policy_arguments_are_checked_in_python() -> None:
    with pytest.raises(TypeError):
        jszb.Policy.load(b"name: 'x'")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        jszb.Policy.load('name: "x"\0')
    with pytest.raises(TypeError):
        jszb.Policy.load_file(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        jszb.Policy.load(TINY, base_dir="")  # "" is not "the built-in files"


def test_own_policy_with_the_built_in_calendar_and_a_swap(peng: jszb.Engine) -> None:
    before = request(peng, "swap-1")
    with jszb.Policy.load(TINY, name="tiny.textproto") as tiny:
        assert (tiny.name, tiny.version) == ("tiny", 7)
        # base_dir None: china-calendar.textproto is the library's own copy.
        assert tiny.calendar.is_working_day(date(2024, 2, 18)) is True
        peng.set_policy(tiny)
        assert peng.policy is tiny
    # The engine keeps its own reference: closing ours changes nothing.
    after = request(peng, "swap-2")
    assert peng.case(before).policy_version == BEIJING_VERSION  # cases keep their version
    assert peng.case(after).policy_version == 7
    assert peng.case(after).deadlines == ()  # tiny times no dispatch step

    peng.dispatch_routed(after, T0 + MINUTE, DISPATCHER)
    c = peng.case(after)
    assert (c.lead_unit, c.dispatch_mode) == (CHAOYANG, DispatchMode.DISTRICT_COORDINATES)
    assert [(d.step, d.due_ms, d.working) for d in c.deadlines] == [
        (Step.REPLY, T0 + MINUTE + 3 * DAY, False)]
    assert c.events[-1].payload.rule == "all"
    assert c.events[-1].policy_version == 7
    # The older case still routes by the policy it was received under.
    peng.dispatch_routed(before, T0 + MINUTE, DISPATCHER)
    assert peng.case(before).events[-1].payload.rule == "street-first"


def test_another_policy_under_a_loaded_version_is_refused(peng: jszb.Engine) -> None:
    clash = TINY.replace("version: 7", f"version: {BEIJING_VERSION}")
    with jszb.Policy.load(clash) as other:
        with pytest.raises(jszb.InvalidArgument) as exc:
            peng.set_policy(other)
    assert f"version {BEIJING_VERSION}" in exc.value.message
    # The same content again is fine.
    with jszb.Policy.default() as again:
        peng.set_policy(again)
    with pytest.raises(TypeError):
        peng.set_policy("beijing")  # type: ignore[arg-type]


# A prepaid-card refund in 朝阳区/和平街街道: a category the by-department policy
# gives to the district's market regulator.
PREPAID = dict(category=("市场管理", "预付式消费", "预付式消费退费难"),
               content="健身房关门，预付卡无法退费")
MARKET_REGULATOR = 110105901  # 朝阳市场监管局 (a made-up code)


def test_the_by_department_policy_loads_from_its_folder_and_sends_categories_to_departments(
        peng: jszb.Engine) -> None:
    before = request(peng, "dept-1", **PREPAID)
    with jszb.Policy.load_file(BY_DEPARTMENT_POLICY) as by_department:
        assert (by_department.name, by_department.version) == (
            "beijing-by-department", BY_DEPARTMENT_VERSION)
        # Its calendar is lib/data/'s, named relative to examples/policies/.
        assert by_department.calendar.is_working_day(date(2024, 2, 18)) is True
        peng.set_policy(by_department)
    after = request(peng, "dept-2", **PREPAID)
    route = peng.route(after)
    assert (route.lead, route.copy_to, route.rule) == (
        MARKET_REGULATOR, (CHAOYANG,), "market-prepaid-110105")
    # The built-in policy sent the same matter to the street (直派街乡).
    assert (peng.route(before).lead, peng.route(before).rule) == (HEPINGJIE, "street-first")
    assert peng.case(before).policy_version == BEIJING_VERSION
    assert peng.case(after).policy_version == BY_DEPARTMENT_VERSION


def test_the_shipped_policies_are_what_the_generator_writes() -> None:
    script = ROOT / "scripts" / "gen-beijing-policy"
    streets = ROOT / "examples" / "data" / "beijing-streets.csv"
    for flags, shipped in (([], ROOT / "lib" / "data" / "beijing-policy.textproto"),
                           (["--by-department"], BY_DEPARTMENT_POLICY)):
        written = subprocess.run([sys.executable, str(script), *flags, str(streets), "-"],
                                 check=True, capture_output=True, text=True).stdout
        assert written == shipped.read_text(encoding="utf-8"), (
            f"{shipped} is not what scripts/gen-beijing-policy {' '.join(flags)} writes: rerun it")


def test_policy_files_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "own-calendar.textproto").write_text(OWN_CALENDAR, encoding="utf-8")
    text = TINY.replace("china-calendar.textproto", "own-calendar.textproto")
    (tmp_path / "policy.textproto").write_text(text, encoding="utf-8")

    for policy in (jszb.Policy.load_file(tmp_path / "policy.textproto"),
                   jszb.Policy.load(text, base_dir=tmp_path)):
        with policy:
            cal = policy.calendar
            assert cal.is_working_day(date(2024, 3, 1)) is True
            assert cal.is_working_day(date(2024, 3, 4)) is False  # its own holiday
            # Its own hours: 08:00-18:00, no lunch break.
            assert cal.working_time_between(bjt(2024, 3, 1, 0, 0), bjt(2024, 3, 2, 0, 0)) == \
                timedelta(hours=10)
            with pytest.raises(jszb.OutOfRange):
                cal.is_working_day(date(2025, 1, 2))
    # Without base_dir only the built-in files are known.
    with pytest.raises(jszb.InvalidArgument) as exc:
        jszb.Policy.load(text)
    assert "own-calendar.textproto" in exc.value.message


# ---------------------------------------------------------------- calendar


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2024, 2, 4), True),    # Sunday, made up for Spring Festival
        (date(2024, 2, 9), True),    # Friday before it
        (date(2024, 2, 10), False),  # 春节 2024-02-10..17
        (date(2024, 2, 12), False),  # a Monday inside it
        (date(2024, 2, 17), False),
        (date(2024, 2, 18), True),   # Sunday, made up
        (date(2024, 2, 24), False),  # an ordinary Saturday
        (date(2024, 9, 29), True),   # Sunday, made up for National Day
        (date(2024, 10, 1), False),  # 国庆节 2024-10-01..07
        (date(2024, 10, 7), False),
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),  # Saturday, made up
        (date(2024, 10, 13), False),
    ],
)
def test_working_days_follow_the_state_council_schedule(
    default_policy: jszb.Policy, day: date, working: bool
) -> None:
    assert default_policy.calendar.is_working_day(day) is working


def test_working_day_arithmetic_over_spring_festival(default_policy: jszb.Policy) -> None:
    cal = default_policy.calendar
    feb9 = bjt(2024, 2, 9, 10, 0)  # the last working day before the holiday
    # One working day later is the make-up Sunday, at the same time of day;
    # the result is a datetime in the zone given.
    later = cal.add_working_days(feb9, 1)
    assert later == bjt(2024, 2, 18, 10, 0)
    assert later.utcoffset() == timedelta(hours=8)
    # The same with int milliseconds gives int milliseconds.
    assert cal.add_working_days(jszb.to_ms(feb9), 1) == jszb.to_ms(feb9) + 9 * DAY
    # 09:00-12:00 and 13:30-17:30: the rest of Feb 9 is 6 h, Feb 18 to 10:00 is 1 h.
    assert cal.working_time_between(feb9, bjt(2024, 2, 18, 10, 0)) == timedelta(hours=7)
    assert cal.working_time_between(jszb.to_ms(feb9), jszb.to_ms(feb9) + 9 * DAY) == 7 * HOUR
    # Working time skips lunch and the holiday.
    assert cal.add_working_time(feb9, timedelta(hours=3)) == bjt(2024, 2, 9, 14, 30)
    assert cal.add_working_time(bjt(2024, 2, 9, 16, 30), 2 * HOUR) == bjt(2024, 2, 18, 10, 0)
    # From inside the holiday, the next working instant is the make-up day's start.
    assert cal.next_working_instant(bjt(2024, 2, 12, 15, 0)) == bjt(2024, 2, 18, 9, 0)
    # In UTC in, UTC out: the same instant.
    utc = cal.next_working_instant(datetime(2024, 2, 12, 7, 0, tzinfo=timezone.utc))
    assert utc.tzinfo is timezone.utc and utc == bjt(2024, 2, 18, 9, 0)


def test_working_days_over_national_day(default_policy: jszb.Policy) -> None:
    cal = default_policy.calendar
    # Mon 2024-09-30 10:00 + 3 working days: Oct 1-7 are off, Oct 8, 9, 10 count.
    assert cal.add_working_days(bjt(2024, 9, 30, 10, 0), 3) == bjt(2024, 10, 10, 10, 0)
    # The make-up Saturday Oct 12 counts as a whole working day (7 h).
    assert cal.working_time_between(bjt(2024, 10, 12, 0, 0), bjt(2024, 10, 14, 0, 0)) == \
        timedelta(hours=7)
    assert cal.working_time_between(bjt(2024, 10, 1, 0, 0), bjt(2024, 10, 8, 0, 0)) == timedelta(0)


def test_past_2026_the_built_in_calendar_is_provisional(default_policy: jszb.Policy) -> None:
    # Until the State Council's 2027 notice is loaded: weekends and the
    # statutory holidays (with a weekday off for one on a weekend), no make-up days.
    cal = default_policy.calendar
    assert cal.is_working_day(date(2027, 1, 1)) is False  # 元旦
    assert cal.is_working_day(date(2027, 1, 4)) is True
    assert [cal.is_working_day(date(2027, 2, d)) for d in range(4, 12)] == \
        [True, False, False, False, False, False, False, True]  # 除夕 to 初三, two in lieu
    assert cal.is_working_day(date(2027, 2, 20)) is False  # a Saturday: no make-up days
    # Thursday 2026-12-31 + 2 working days: Monday 2027-01-04.
    assert cal.add_working_days(bjt(2026, 12, 30, 10, 0), 2) == bjt(2027, 1, 4, 10, 0)
    assert cal.working_time_between(bjt(2026, 12, 31, 0, 0), bjt(2027, 1, 5, 0, 0)) == \
        timedelta(hours=14)


def test_beyond_the_calendar_is_out_of_range(default_policy: jszb.Policy) -> None:
    # Past the provisional schedule (2030), not past the official one (2026).
    cal = default_policy.calendar
    with pytest.raises(jszb.OutOfRange) as exc:
        cal.is_working_day(date(2031, 1, 2))
    err = exc.value
    assert err.code is jszb.Code.RANGE
    assert isinstance(err, ValueError) and isinstance(err, jszb.Error)
    assert "2026" in err.message and "provisional schedule to 2030" in err.message
    with pytest.raises(jszb.OutOfRange):
        cal.add_working_days(bjt(2030, 12, 30, 10, 0), 5)
    with pytest.raises(jszb.OutOfRange):
        cal.working_time_between(bjt(2030, 12, 1, 0, 0), bjt(2031, 2, 1, 0, 0))
    with pytest.raises(jszb.OutOfRange):
        cal.is_working_day(date(2018, 12, 31))  # before the official schedule


def test_an_order_timed_beyond_the_calendar_is_out_of_range(peng: jszb.Engine) -> None:
    case_id = request(peng, time=bjt(2031, 3, 1, 9, 0))
    with pytest.raises(jszb.OutOfRange):
        peng.dispatch_routed(case_id, bjt(2031, 3, 1, 9, 10), DISPATCHER)
    assert peng.case(case_id).event_count == 1  # nothing applied


def test_an_order_late_in_2026_is_timed_provisionally(peng: jszb.Engine) -> None:
    # A complex matter: 15 days to reply, supervision levels in working days
    # of 2027 (provisional): dispatched, and its reply deadline is an estimate.
    case_id = request(peng, time=bjt(2026, 12, 20, 10, 0), category=("住房", "房屋买卖", "网签"))
    peng.dispatch_routed(case_id, bjt(2026, 12, 20, 10, 0), DISPATCHER)
    reply = peng.case(case_id).deadline(Step.REPLY)
    assert reply is not None
    assert reply.due == bjt(2027, 1, 4, 10, 0)
    assert reply.estimated
    early = request(peng, "req-0002", time=bjt(2026, 12, 1, 10, 0))
    peng.dispatch_routed(early, bjt(2026, 12, 1, 10, 0), DISPATCHER)
    assert not peng.case(early).deadline(Step.REPLY).estimated  # type: ignore[union-attr]


def test_loading_next_years_schedule_replans_estimated_deadlines(
    peng: jszb.Engine, tmp_path: Path
) -> None:
    # Dispatched on 2026-12-30 with a co-handler: its report is due in three
    # working days, on the provisional 2027 (Jan 1 off): Jan 5, estimated.
    co = request(peng, time=bjt(2026, 12, 30, 9, 0))
    peng.dispatch(co, bjt(2026, 12, 30, 9, 30), DISPATCHER, unit=HEPINGJIE, units=[110105901])
    lead = jszb.Actor.unit(HEPINGJIE)
    peng.sign(co, bjt(2026, 12, 30, 10, 0), lead)
    report = peng.case(co).deadline(Step.CO_HANDLER_REPORT)
    assert report is not None and report.estimated
    assert report.due == bjt(2027, 1, 5, 10, 0)
    early = request(peng, "req-0002", time=bjt(2026, 12, 1, 10, 0))
    peng.dispatch_routed(early, bjt(2026, 12, 1, 10, 0), DISPATCHER)

    # Next year's notice (made up: Jan 4-5 off too), under a new version.
    data = ROOT / "lib" / "data"
    china = (data / "china-calendar.textproto").read_text(encoding="utf-8")
    china = china.replace("last_year: 2026", "last_year: 2027") + (
        'holidays { name: "元旦" from: "2027-01-01" to: "2027-01-01" }\n'
        'holidays { name: "测试" from: "2027-01-04" to: "2027-01-05" }\n'
    )
    (tmp_path / "china-calendar.textproto").write_text(china, encoding="utf-8")
    areas = (data / "beijing-streets.geojson").read_bytes()
    (tmp_path / "beijing-streets.geojson").write_bytes(areas)
    text = (data / "beijing-policy.textproto").read_text(encoding="utf-8")
    text = text.replace(f"\nversion: {BEIJING_VERSION}\n", "\nversion: 99\n")
    with jszb.Policy.load(text, name="beijing-2027", base_dir=tmp_path) as next_year:
        peng.set_policy(next_year)
    with pytest.raises(jszb.NotFound):
        peng.adopt_schedule(98, bjt(2026, 12, 31, 12, 0))
    assert peng.adopt_schedule(99, bjt(2026, 12, 31, 12, 0)) == 1
    moved = peng.case(co)
    assert moved.policy_version == 99
    report = moved.deadline(Step.CO_HANDLER_REPORT)
    assert report is not None and not report.estimated
    assert report.due == bjt(2027, 1, 7, 10, 0)  # Dec 31, Jan 6, Jan 7
    assert moved.events[-1].type is jszb.EventType.REPLANNED
    assert moved.events[-1].policy_version == 99
    assert peng.case(early).policy_version == BEIJING_VERSION  # not estimated: stays
    # Nothing fires before its new instant.
    peng.advance(bjt(2027, 1, 7, 9, 59))
    breaches = [
        e for e in peng.case(co).events
        if e.type is jszb.EventType.DEADLINE_BREACHED and e.payload.step == Step.CO_HANDLER_REPORT
    ]
    assert breaches == []


def test_calendar_arguments_are_checked_in_python(default_policy: jszb.Policy) -> None:
    cal = default_policy.calendar
    with pytest.raises(TypeError):
        cal.is_working_day(bjt(2024, 3, 1))  # a datetime's date depends on a zone
    with pytest.raises(TypeError):
        cal.is_working_day("2024-03-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cal.next_working_instant(datetime(2024, 3, 1, 9, 0))  # naive
    with pytest.raises(TypeError):
        cal.working_time_between(T0, bjt(2024, 3, 2))  # one kind for both
    with pytest.raises(TypeError):
        cal.add_working_time(T0, 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cal.add_working_days(T0, True)


def test_a_policy_lists_its_units(default_policy: jszb.Policy) -> None:
    units = default_policy.units
    assert len(units) == 611 + 7535  # and the communities
    by_class = {c: sum(1 for u in units if u.unit_class is c) for c in jszb.UnitClass}
    assert by_class[jszb.UnitClass.DISTRICT] == 16
    assert by_class[jszb.UnitClass.STREET] == 349
    hepingjie = default_policy.unit(110105007)
    assert hepingjie == jszb.Unit(110105007, "和平街街道", jszb.UnitClass.STREET, 110105)
    assert default_policy.unit(4242) is None
