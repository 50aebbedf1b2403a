"""Reports from Python: the structured report (as dicts and as tables), CSV
and HTML, over orders counted by hand."""
from __future__ import annotations

import csv
import io

import pytest

import jszb
from jszb import Actor

from conftest import CHAOWAI, DAY, JIANWAI, OPERATOR, T0, handling, submit

MARCH = jszb.assessment_month(2024, 3)


def visited(eng: jszb.Engine, ref: str, unit: int, satisfaction: jszb.Satisfaction) -> int:
    case_id = handling(eng, ref, unit)
    eng.reply(case_id, T0 + DAY, Actor.unit(unit), contacted=True, solved=True, text="已处理")
    eng.visit(case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True, solved=True,
              satisfaction=satisfaction)
    return case_id


@pytest.fixture
def counted(eng: jszb.Engine, default_policy: jszb.Policy) -> jszb.Engine:
    eng.set_policy(default_policy)
    visited(eng, "p-1", CHAOWAI, jszb.Satisfaction.SATISFIED)
    visited(eng, "p-2", CHAOWAI, jszb.Satisfaction.NOT_SATISFIED)
    visited(eng, "p-3", JIANWAI, jszb.Satisfaction.SATISFIED)
    submit(eng, "p-4", category=("市场监管", "消费纠纷", "预付卡退费"), content="健身房预付卡不退费")
    return eng


def test_report_as_dicts(counted: jszb.Engine) -> None:
    # Two units with one and two visits: below the default minimum, not ranked.
    listed = {u["unit"]: u.get("rank", 0) for u in counted.report(*MARCH)["units"]}
    assert listed == {JIANWAI: 0, CHAOWAI: 0}
    r = counted.report(*MARCH, min_visits=1)
    assert r["received"] == 4 and r["previous_received"] == 0
    assert {c["key"]: c["count"] for c in r["by_category1"]} == {"城乡建设": 3, "市场监管": 1}
    assert r["by_district"] == [{"key": "朝阳区", "count": 4, "previous": 0}]
    units = {u["unit"]: u for u in r["units"]}
    # 建外 is satisfied on its one order; 朝外 on one of two: 建外 ranks first.
    assert units[JIANWAI]["rank"] == 1 and units[CHAOWAI]["rank"] == 2
    assert units[CHAOWAI]["visits"] == 2
    assert units[CHAOWAI]["satisfaction_rate"] == pytest.approx(0.5)
    assert units[CHAOWAI]["name"].endswith("街道")  # named by the policy
    assert "Poisson" in r["rising_test"]
    # The scope narrows to one district; an unknown district is not found.
    assert counted.report(*MARCH, district="朝阳区")["received"] == 4
    assert counted.report(*MARCH, district="海淀区")["received"] == 0
    with pytest.raises(jszb.NotFound, match="不存在区"):
        counted.report(*MARCH, district="不存在区")
    with pytest.raises(jszb.InvalidArgument, match="half-day edge"):
        counted.report(MARCH[0] + 1, MARCH[1])


def test_report_with_orders_and_rendered_from_its_json(counted: jszb.Engine) -> None:
    assert not counted.report(*MARCH, min_visits=1)["unit_orders"]  # only when asked for
    r = counted.report(*MARCH, min_visits=1, with_orders=True)
    lists = {(f["unit"], f["figure"]): f for f in r["unit_orders"]}
    for u in r["units"]:
        visits = lists[(u["unit"], "visits")]
        assert len(visits["cases"]) == int(visits["count"]) == u["visits"]
    assert len(lists[(CHAOWAI, "not_satisfied")]["cases"]) == 1
    # One report object: its page and CSV rendered again from the JSON.
    text = counted.report(*MARCH, min_visits=1, with_orders=True, format="json")
    assert jszb.render_report(text, "csv") == counted.report(
        *MARCH, min_visits=1, with_orders=True, format="csv")
    assert f'href="#u{CHAOWAI}-not_satisfied"' in jszb.render_report(text, "html")
    with pytest.raises(jszb.InvalidArgument, match="not a jszb.v1.Report"):
        jszb.render_report('{"received": "x"}', "html")
    with pytest.raises(ValueError):
        jszb.render_report(text, "pdf")


def test_report_tables(counted: jszb.Engine) -> None:
    tables = jszb.frames.report_tables(counted.report(*MARCH, min_visits=1))
    units = tables["units"]
    if jszb.frames.have_pandas():
        assert list(units.sort_values("rank")["unit"]) == [JIANWAI, CHAOWAI]
        assert int(tables["summary"]["received"].iloc[0]) == 4
    else:
        assert sorted(u["unit"] for u in units) == sorted([JIANWAI, CHAOWAI])
    scores = jszb.frames.scores_table(counted.assess(*MARCH))
    assert len(scores) == 2


def test_report_csv_and_html(counted: jszb.Engine) -> None:
    text = counted.report(*MARCH, min_visits=1, format="csv")
    sections = text.split("\n# ")
    units = next(s for s in sections if s.startswith("units"))
    rows = list(csv.DictReader(io.StringIO(units.split("\n", 1)[1])))
    assert {int(r["unit"]): r["rank"] for r in rows} == {JIANWAI: "1", CHAOWAI: "2"}
    assert all(r["class"] == "street" for r in rows)
    page = counted.report(*MARCH, format="html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<svg" in page and "城乡建设" in page
    assert "<script" not in page and "http" not in page  # self-contained
    with pytest.raises(ValueError, match="format"):
        counted.report(*MARCH, format="pdf")


WORDINGS = [
    "望京西园三区楼下的槐树生了很多虫子，掉得到处都是",
    "望京西园三区槐树上虫子很多，请来打药",
    "西园三区的槐树长虫了，虫子掉在身上",
    "望京西园三区树上虫子太多了，希望治理",
    "槐树虫害严重，望京西园三区，请园林部门处理",
    "望京西园三区槐树有虫，掉到行人身上",
    "西园三区门口槐树虫子多，请尽快打药",
    "望京西园三区的树生虫了，虫子满地",
    "望京西园三区槐树虫子掉下来吓到孩子",
    "请处理望京西园三区槐树上的虫子",
    "望京西园三区槐树虫害，已经好几天了",
]
ESTATES = ["花家地北里", "南湖东园", "利泽西园", "方舟苑", "望花路东里"]
OTHERS = ["小区停车位被外来车辆占用", "地铁站口共享单车乱停", "超市预付卡无法退款",
          "楼道灯坏了很久没人修", "供暖温度不达标"]


def test_request_groups_and_merging_one(eng: jszb.Engine, default_policy: jszb.Policy) -> None:
    eng.set_policy(default_policy)  # it names the districts a search may be limited to
    # The operator records the estate; the callers word it their own way.
    pests = [submit(eng, f"g-{i}", T0 + i * 60_000, content=text, street="望京街道",
                    address=f"望京西园三区{i + 1}号楼" if i % 4 else "",
                    category=("城乡建设", "园林绿化", "树木虫害"))
             for i, text in enumerate(WORDINGS)]
    for i in range(30):
        submit(eng, f"o-{i}", T0 + i * 60_000, content=OTHERS[i % 5], street="望京街道",
               address=f"{ESTATES[i % 5]}{i + 1}号楼", category=("城乡建设", "园林绿化", "树木虫害"))
    day = jszb.bulletin_day(2024, 3, 1)
    (group,) = eng.request_groups(*day)
    assert group.cases == tuple(sorted(pests)) and group.representative in pests
    assert eng.request_groups(*day, district="海淀区") == []
    merged = eng.merge_group(group, T0 + 3 * 3_600_000, jszb.Actor.dispatcher(3301))
    assert len(merged) == len(pests) - 1
    assert all(eng.case(c).state == jszb.State.MERGED for c in merged)
    assert eng.case(group.representative).state == jszb.State.RECEIVED
    # The report lists it, with the representative's words.
    (row,) = eng.report(*day)["groups"]
    assert row["size"] == len(pests) and "虫" in row["text"]
