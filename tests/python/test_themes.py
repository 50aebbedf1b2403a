"""Themes (每月一题, 未诉先办) from Python: defining them and their tasks,
refusals that name what is wrong and change nothing, counts before and after
the start, the cases across units, candidates, the report's section, and a
store file that keeps them across a reopen."""
from __future__ import annotations

from pathlib import Path

import pytest

import jszb
from jszb import Actor, TaskState, ThemePeriod

from conftest import DAY, DISPATCHER, HOUR, T0, request

MARKET = 110105901  # 朝阳市场监管局
EDUCATION = 110105903  # 朝阳教委
HEPINGJIE = 110105007
MAR1 = T0 - 9 * HOUR  # 2024-03-01 00:00 +08:00
FEB1 = MAR1 - 29 * DAY
APR1 = MAR1 + 31 * DAY


def prepaid(eng: jszb.Engine, **overrides: object) -> int:
    fields: dict = dict(
        lead_unit=MARKET,
        categories=["市场管理/预付式消费"],
        keywords=["退费"],
        areas=["朝阳区"],
        time=MAR1,
    )
    fields.update(overrides)
    name = fields.pop("name", "预付式消费退费难")
    return eng.define_theme(name, MAR1, **fields)


def refund(eng: jszb.Engine, ref: str, time: int, text: str = "培训机构不给退费") -> int:
    return request(eng, ref, time, category=("教育", "校外培训"), content=text)


def test_define_read_back_and_tasks(peng: jszb.Engine) -> None:
    theme_id = prepaid(peng)
    assert theme_id == 1
    task_id = peng.set_theme_task(theme_id, owner_unit=EDUCATION, title="约谈培训机构",
                                  due=MAR1 + 10 * DAY, time=MAR1)
    assert task_id == 1
    peng.set_theme_task(theme_id, task_id=task_id, owner_unit=EDUCATION, title="约谈培训机构",
                        due=MAR1 + 10 * DAY, state=TaskState.DONE, time=MAR1 + 2 * DAY)
    (theme,) = peng.themes()
    assert theme == peng.theme(theme_id)
    assert theme.name == "预付式消费退费难" and theme.start_ms == MAR1 and theme.lead_unit == MARKET
    assert theme.categories == ("市场管理/预付式消费",)
    assert theme.keywords == ("退费",) and theme.areas == ("朝阳区",)
    task = theme.task(1)
    assert task is not None and task.state is TaskState.DONE and task.done_ms == MAR1 + 2 * DAY
    assert not task.overdue(MAR1 + 20 * DAY)
    peng.remove_theme(theme_id, time=MAR1)
    assert peng.themes() == []
    assert prepaid(peng) == 2  # ids are never given out again


def test_bad_input_is_refused_by_name_and_changes_nothing(peng: jszb.Engine) -> None:
    theme_id = prepaid(peng)
    cases = [
        (dict(name=""), jszb.InvalidArgument, "name is empty"),
        (dict(), jszb.InvalidArgument, "taken by theme 1"),
        (dict(name="房产证办理难", lead_unit=4242), jszb.NotFound, "lead_unit 4242"),
        (dict(name="房产证办理难", areas=["朝阳区/中关村街道"]), jszb.NotFound, "中关村街道"),
        (dict(name="房产证办理难", categories=[], keywords=[]), jszb.InvalidArgument, "neither"),
        (dict(name="房产证办理难", keywords=["a\tb"]), jszb.InvalidArgument, "control character"),
        (dict(name="房产证办理难", theme_id=9), jszb.NotFound, "theme 9"),
    ]
    for overrides, error, words in cases:
        with pytest.raises(error, match=words):
            prepaid(peng, **overrides)
    with pytest.raises(jszb.InvalidArgument, match="before the start"):
        peng.set_theme_task(theme_id, owner_unit=EDUCATION, title="x", due=MAR1 - DAY, time=MAR1)
    with pytest.raises(jszb.NotFound, match="owner_unit 7"):
        peng.set_theme_task(theme_id, owner_unit=7, title="x", due=MAR1, time=MAR1)
    with pytest.raises(jszb.NotFound, match="no task 3"):
        peng.set_theme_task(theme_id, task_id=3, owner_unit=EDUCATION, title="x", due=MAR1, time=MAR1)
    with pytest.raises(jszb.NotFound):
        peng.remove_theme(5, time=MAR1)
    with pytest.raises(TypeError):
        prepaid(peng, name="房产证办理难", keywords="退费")  # a str is not a list of keywords
    with pytest.raises(ValueError):
        prepaid(peng, name="bad\0name")
    with peng.batch():
        with pytest.raises(jszb.StateError, match="batch"):
            prepaid(peng, name="房产证办理难")
    (theme,) = peng.themes()
    assert theme.name == "预付式消费退费难" and theme.tasks == ()


def test_trend_and_cases_across_units(peng: jszb.Engine) -> None:
    theme_id = prepaid(peng)
    before = refund(peng, "t-1", FEB1 + 3 * DAY)
    mine = [refund(peng, f"t-{i}", MAR1 + i * HOUR) for i in range(2, 5)]
    request(peng, "other", MAR1 + HOUR)  # night construction: not the theme's
    peng.dispatch(mine[0], MAR1 + 5 * HOUR, DISPATCHER, unit=HEPINGJIE)
    trend = peng.theme_trend(theme_id, before=2, after=2)
    assert [c.received for c in trend] == [0, 1, 3, 0]
    assert [c.offset for c in trend] == [-2, -1, 0, 1]
    assert trend[2].from_ms == MAR1 and trend[2].until_ms == APR1
    weeks = peng.theme_trend(theme_id, period=ThemePeriod.WEEK, before=0, after=1)
    assert weeks[0].received == 3  # 2024-03-01 is a Friday: its week began on Monday
    assert peng.theme_cases(theme_id) == [before, *mine]
    assert peng.theme_cases(theme_id, MAR1, APR1) == mine
    assert peng.theme_cases(theme_id, district="朝阳区") == [before, *mine]
    with pytest.raises(jszb.InvalidArgument, match="after"):
        peng.theme_trend(theme_id, after=0)
    with pytest.raises(jszb.NotFound):
        peng.theme_trend(theme_id, district="朝阳")
    with pytest.raises(ValueError):
        peng.theme_cases(theme_id, MAR1)


def test_candidates_and_the_report_section(peng: jszb.Engine) -> None:
    # 2 a day for 4 days, then 15 in a day: 教育/校外培训 rises in 朝阳区.
    for d in range(1, 5):
        for i in range(2):
            refund(peng, f"b-{d}-{i}", MAR1 + d * DAY + i * HOUR, text="补课")
    for i in range(15):
        refund(peng, f"r-{i}", MAR1 + 5 * DAY + i * HOUR, text="补课")
    day = (MAR1 + 5 * DAY, MAR1 + 6 * DAY)
    (candidate,) = peng.theme_candidates(*day)
    assert candidate.district == "朝阳区" and candidate.category == "教育/校外培训"
    assert candidate.count == 15
    theme_id = prepaid(peng, name="校外培训", categories=["教育"], keywords=[])
    peng.set_theme_task(theme_id, owner_unit=EDUCATION, title="排查培训机构", due=MAR1 + DAY,
                        time=MAR1)
    assert peng.theme_candidates(*day) == []
    r = peng.report(*day)
    assert r["theme_candidates"] == []
    (row,) = r["themes"]
    assert row["name"] == "校外培训" and row["count"] == 15 and row["previous"] == 2
    assert row["lead_name"] == "朝阳市场监管局"
    assert row["id"] == theme_id and row["start_ms"] == MAR1  # ints, not JSON's strings
    assert row["tasks"][0]["due_ms"] == MAR1 + DAY and row["tasks"][0]["state"] == "open"
    assert row["tasks"][0]["overdue"] is True and row["overdue_tasks"] == 1
    assert [p["count"] for p in row["trend"]] == [0, 0, 0, 23]
    html = peng.report(*day, format="html")
    assert "每月一题" in html and "排查培训机构" in html and "已超期" in html
    assert "# themes" in peng.report(*day, format="csv")
    tables = jszb.frames.report_tables(r)
    assert len(tables["themes"]) == 1 and len(tables["theme_candidates"]) == 0


def test_themes_survive_a_reopen(tmp_path: Path, default_policy: jszb.Policy) -> None:
    path = str(tmp_path / "themes.jszb")
    with jszb.Engine.open(path) as eng:
        eng.set_policy(default_policy)
        theme_id = prepaid(eng)
        eng.set_theme_task(theme_id, owner_unit=EDUCATION, title="约谈培训机构",
                           due=MAR1 + 10 * DAY, time=MAR1)
        refund(eng, "s-1", MAR1 + HOUR)
    with jszb.Engine.open(path) as eng:
        (theme,) = eng.themes()
        assert theme.id == theme_id and theme.name == "预付式消费退费难"
        assert [t.title for t in theme.tasks] == ["约谈培训机构"]
        assert len(eng.theme_cases(theme_id)) == 1
