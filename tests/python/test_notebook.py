"""What an analyst's notebook relies on (issue 15): the stored-case count
beside the in-memory one, lazy iteration over cases, progress callbacks that
can stop a long call, typed reports, DataFrames with real types, and HTML
views of cases and reports."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

import jszb
from jszb import Actor, Progress, State

from conftest import CHAOWAI, DAY, JIANWAI, MINUTE, OPERATOR, T0, dispatched, handling, submit

MARCH = jszb.assessment_month(2024, 3)


def answered(eng: jszb.Engine, ref: str) -> int:
    """A case finished at once (answered on the spot): not kept in memory
    once the engine is reopened."""
    case_id = submit(eng, ref)
    eng.answer_on_spot(case_id, T0 + MINUTE, OPERATOR, text="已解答")
    return case_id


# ----------------------------------------------------------- stored count


def test_stored_count_covers_the_finished_cases_a_reopen_leaves_in_the_store(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "count.jszb")
    with jszb.Engine.open(path) as eng:
        for i in range(30):
            answered(eng, f"done-{i}")
        open_case = dispatched(eng, "open-1")
        # Finished cases leave memory once committed: the open one stays.
        assert eng.case_count == 1
        assert eng.stored_case_count == len(eng) == 31
    with jszb.Engine.open(path, read_only=True) as eng:
        # In memory: the open case only; in the store: all of them.
        assert eng.case_count == 1
        assert eng.stored_case_count == len(eng) == len(eng.list_cases()) == 31
        assert open_case in eng and 1 in eng
    with jszb.Engine.open(path) as eng:
        with eng.batch():
            submit(eng, "in-batch")
            assert eng.stored_case_count == 31  # not committed yet
        assert eng.stored_case_count == 32


def test_a_reader_beside_the_writer_counts_cases_with_no_row_yet(tmp_path: Path) -> None:
    # New cases' rows are written at checkpoints; until then they are in the
    # log only, which the count covers too.
    path = str(tmp_path / "beside.jszb")
    with jszb.Engine.open(path) as writer:
        for i in range(4):
            submit(writer, f"w-{i}")
        with jszb.Engine.open(path, read_only=True) as reader:
            assert reader.stored_case_count == len(reader.list_cases()) == 4
            submit(writer, "w-late")
            assert writer.stored_case_count == 5
            assert reader.stored_case_count == 4  # its snapshot


def test_in_memory_the_two_counts_agree(eng: jszb.Engine) -> None:
    for i in range(3):
        answered(eng, f"m-{i}")
    assert eng.case_count == eng.stored_case_count == len(eng) == 3


# ------------------------------------------------------------- iter_cases


def test_iter_cases_is_lazy_and_pages(eng: jszb.Engine) -> None:
    ids = [submit(eng, f"it-{i}") for i in range(7)]
    eng.dispatch(ids[2], T0 + MINUTE, Actor.dispatcher(), unit=CHAOWAI)
    pages: List[Progress] = []
    walk = eng.iter_cases(page_size=3, progress=pages.append)
    assert not pages  # nothing read before the first next()
    first = next(walk)
    assert first.id == ids[0] and first.events  # with its events
    # A case added while walking shows up: the walk reads page by page.
    ids.append(submit(eng, "it-late"))
    assert [first.id] + [c.id for c in walk] == ids
    assert [(p.stage, p.done) for p in pages] == [("cases", 3), ("cases", 6), ("cases", 8)]
    assert pages[0].total == 7 and pages[0].fraction == pytest.approx(3 / 7)
    # Criteria as list_cases takes them; without events.
    (dispatched_case,) = eng.iter_cases(state=State.DISPATCHED, with_events=False)
    assert dispatched_case.id == ids[2] and dispatched_case.events == ()
    assert [c.id for c in eng.iter_cases(unit=CHAOWAI, page_size=1)] == [ids[2]]


def test_iter_cases_checks_its_arguments_before_the_first_case(eng: jszb.Engine) -> None:
    submit(eng)
    with pytest.raises(ValueError, match="page_size"):
        eng.iter_cases(page_size=0)
    with pytest.raises(TypeError, match="after and limit"):
        eng.iter_cases(after=3)
    with pytest.raises(TypeError, match="progress"):
        eng.iter_cases(progress="not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        eng.iter_cases(state=999)


# ---------------------------------------------------------------- progress


class Stop(Exception):
    pass


def test_verify_tells_its_progress_and_stops_when_asked(tmp_path: Path) -> None:
    with jszb.Engine.open(str(tmp_path / "verify.jszb")) as eng:
        for i in range(5):
            handling(eng, f"v-{i}")
        told: List[Progress] = []
        report = eng.verify(progress=told.append)
        assert report.ok and report.events == 15
        assert told[0].stage == "replay" and told[-1].stage == "compare"
        assert ("replay", 15, 15) in told and ("compare", 5, 5) in told

        def stop(p: Progress) -> None:
            raise Stop(p.stage)

        with pytest.raises(Stop, match="replay") as raised:
            eng.verify(progress=stop)
        # The library saw the callback ask it to stop.
        assert isinstance(raised.value.__context__, jszb.Cancelled)
        assert raised.value.__context__.code == jszb.Code.CANCELLED
        assert eng.verify().ok  # and nothing changed


# ----------------------------------------------------------------- reports


@pytest.fixture
def counted(eng: jszb.Engine, default_policy: jszb.Policy) -> jszb.Engine:
    eng.set_policy(default_policy)
    for ref, unit in (("r-1", CHAOWAI), ("r-2", JIANWAI)):
        case_id = handling(eng, ref, unit)
        eng.reply(case_id, T0 + DAY, Actor.unit(unit), contacted=True, solved=True, text="已处理")
        eng.visit(case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True,
                  solved=True, satisfaction=jszb.Satisfaction.SATISFIED)
    submit(eng, "r-3", content="<script>alert(1)</script> & 噪音")
    return eng


def test_the_report_is_typed(counted: jszb.Engine) -> None:
    r = counted.report(*MARCH, min_visits=1)
    assert isinstance(r, jszb.report.Report) and isinstance(r, dict)
    unit = r["units"][0]
    # Every rate is 1 here: still floats, not ints as JSON writes them.
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate", "composite"):
        assert type(unit[rate]) is float and unit[rate] == pytest.approx(1.0)
    assert type(unit["visits"]) is int and type(r["from_ms"]) is int
    assert type(r["empty"]) is bool
    # Every field of the schema is there, also the lists that are empty.
    assert set(jszb.report.ReportDict.__annotations__) <= set(r)
    assert r["unit_orders"] == [] and r["themes"] == []


def test_report_tables_have_their_types(counted: jszb.Engine) -> None:
    pd = pytest.importorskip("pandas")
    tables = jszb.frames.report_tables(counted.report(*MARCH, min_visits=1))
    units = tables["units"]
    assert units["satisfaction_rate"].dtype == "float64"
    assert units["visits"].dtype == "int64"
    assert isinstance(units["unit_class"].dtype, pd.CategoricalDtype)
    summary = tables["summary"]
    assert str(summary["from"].dt.tz) == "Asia/Shanghai"
    assert summary["from"].iloc[0] == pd.Timestamp("2024-02-19 00:00", tz="Asia/Shanghai")
    # An empty section keeps the schema's columns and types.
    assert list(tables["rising"].columns) == ["district", "category", "count", "baseline", "z"]
    assert tables["rising"]["baseline"].dtype == "float64"
    scores = jszb.frames.scores_table(counted.assess(*MARCH))
    assert scores["response"].dtype == "float64" and len(scores) == 2


def test_cases_and_events_frames(counted: jszb.Engine) -> None:
    pd = pytest.importorskip("pandas")
    cases = jszb.frames.cases_frame(counted.iter_cases())
    assert list(cases["id"]) == [1, 2, 3]
    assert isinstance(cases["state"].dtype, pd.CategoricalDtype)
    assert "CLOSED" in cases["state"].cat.categories  # every state, not only those seen
    assert list(cases["state"].astype(str)) == ["VISITED", "VISITED", "RECEIVED"]
    received = cases["received"].iloc[0]
    assert str(received.tz) == "Asia/Shanghai" and received.hour == 9  # T0 is 09:00 +08:00
    assert pd.isna(cases["replied"].iloc[2])  # not replied: NaT, not 1970
    events = jszb.frames.events_frame(counted.iter_cases())
    assert len(events) == int(cases["event_count"].sum())
    assert list(events[events["case_id"] == 3]["type"].astype(str)) == ["SUBMITTED"]
    assert events["time"].dt.tz is not None and events["seq"].dtype == "int64"
    empty = jszb.frames.cases_frame([])
    assert len(empty) == 0 and empty["closed_ms"].dtype == "int64"


# -------------------------------------------------------------------- HTML


def test_html_views_escape_what_citizens_wrote(counted: jszb.Engine) -> None:
    page = counted.case(3)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; 噪音" in page
    assert "<table>" in page and "SUBMITTED" in page and "2024-03-01 09:00" in page
    report = counted.report(*MARCH, min_visits=1)
    view = report._repr_html_()
    assert "<table>" in view and report["units"][0]["name"] in view and "received" in view
    assert "<script>" not in view
