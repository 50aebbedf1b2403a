"""Reports, scores, cases and events as tables: pandas DataFrames when pandas
is installed (Debian's python3-pandas), plain lists of dicts otherwise.

    report = eng.report(*jszb.assessment_month(2021, 10))
    tables = jszb.frames.report_tables(report)
    tables["units"].sort_values("composite")          # a DataFrame with pandas
    jszb.frames.cases_frame(eng.iter_cases(state=jszb.State.CLOSED))
    jszb.frames.events_frame(eng.iter_cases())

Columns keep their types whatever the rows hold (an empty table too): counts
int64, rates and hours float64, enums pandas Categoricals of their names, and
for every "x_ms" time a column "x" of timezone-aware datetimes in Beijing time
(Asia/Shanghai; NaT where the time is 0, a step that has not happened).
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union

from . import report as _report
from ._html import BEIJING
from .enums import Channel, EventType, Kind, Role, State, Urgency
from .model import Case, Event, to_datetime

try:  # optional: the tables are plain lists without it
    import pandas as _pd
except ImportError:  # pragma: no cover - depends on the machine
    _pd = None

__all__ = [
    "have_pandas",
    "report_tables",
    "scores_table",
    "cases_frame",
    "events_frame",
    "table",
    "TIME_ZONE",
]

# The zone of the datetime columns: the hotline's.
TIME_ZONE = "Asia/Shanghai"

# The report's sections that are lists of rows, and the TypedDict of a row.
_SECTIONS: Dict[str, Type[Any]] = {
    "by_channel": _report.CountRow,
    "by_kind": _report.CountRow,
    "by_category1": _report.CountRow,
    "by_category2": _report.CountRow,
    "by_category3": _report.CountRow,
    "by_district": _report.CountRow,
    "by_street": _report.CountRow,
    "by_community": _report.CountRow,
    "rising_communities": _report.CountRow,
    "units": _report.UnitRow,
    "groups": _report.GroupRow,
    "rising": _report.RisingRow,
    "themes": _report.ThemeRow,  # 每月一题: each row holds its trend and tasks as lists
    "theme_candidates": _report.RisingRow,
}
_SUMMARY = ("from_ms", "until_ms", "district", "received", "previous_received", "empty")
# Report columns that name one of a few values.
_CATEGORICAL = frozenset({"unit_class", "figure"})

_DTYPES = {int: "int64", float: "float64", bool: "bool", str: "object"}


def have_pandas() -> bool:
    """Whether tables come as pandas DataFrames."""
    return _pd is not None


def _time_columns(columns: Iterable[str]) -> List[Tuple[str, str]]:
    return [(c, c[: -len("_ms")]) for c in columns if c.endswith("_ms")]


def table(
    rows: Iterable[Dict[str, Any]],
    columns: List[str],
    dtypes: Optional[Dict[str, Any]] = None,
    categories: Optional[Dict[str, Sequence[str]]] = None,
) -> Any:
    """Rows (dicts) as a DataFrame with these columns, or as a list of dicts.
    dtypes: a column's type (int, float, bool, str); categories: a column's
    possible values, for a Categorical. Each "x_ms" column gets an "x" column
    of aware datetimes (Beijing time; missing where x_ms is 0)."""
    rows = [dict(r) for r in rows]
    times = _time_columns(columns)
    if _pd is None:
        for r in rows:
            for ms, name in times:
                value = r.get(ms)
                r[name] = to_datetime(value, BEIJING) if value else None
        return rows
    frame = _pd.DataFrame(rows, columns=columns)
    for name, kind in (dtypes or {}).items():
        if name in frame and kind in _DTYPES:
            frame[name] = frame[name].astype(_DTYPES[kind])
    for name, values in (categories or {}).items():
        seen = sorted(set(frame[name].dropna())) if values is None else list(values)
        frame[name] = _pd.Categorical(frame[name], categories=seen)
    for ms, name in times:
        stamps = _pd.to_datetime(frame[ms].where(frame[ms] != 0), unit="ms", utc=True)
        frame[name] = stamps.dt.tz_convert(TIME_ZONE)
    return frame


def _hints(row_type: Type[Any]) -> Dict[str, Any]:
    return typing.get_type_hints(row_type)


def report_tables(report: Dict[str, Any]) -> Dict[str, Any]:
    """Each list section of a report (Engine.report(..., format="dict")) as a
    table with the schema's columns, plus "summary": one row with the period,
    scope and totals."""
    out: Dict[str, Any] = {}
    for name, row_type in _SECTIONS.items():
        hints = _hints(row_type)
        rows = report.get(name, [])
        scalars = {k: h for k, h in hints.items() if h in _DTYPES}
        cats: Dict[str, Any] = {k: None for k in hints if k in _CATEGORICAL}
        out[name] = table(rows, list(hints), scalars, cats)
    summary_hints = _hints(_report.ReportDict)
    summary = {k: report.get(k) for k in _SUMMARY}
    out["summary"] = table([summary], list(summary), {k: summary_hints[k] for k in _SUMMARY})
    return out


def scores_table(scores: Iterable[Any]) -> Any:
    """Engine.assess() results (UnitScore) as a table, one row per unit."""
    from .results import UnitScore

    rows = [dataclasses.asdict(s) for s in scores]
    hints = _hints(UnitScore)
    return table(rows, list(hints), {k: h for k, h in hints.items() if h in _DTYPES})


def _names(enum: Type[Enum]) -> List[str]:
    return [m.name for m in enum]


def _name(value: Optional[Enum]) -> Optional[str]:
    return None if value is None else value.name


_CASE_COLUMNS = [
    "id", "state", "kind", "channel", "channel_ref", "urgency", "category1", "category2",
    "category3", "district", "street", "community", "lead_unit", "copy_to", "co_handlers",
    "return_count", "extension_count", "redo_count", "reopen_count", "visit_valid",
    "visit_contacted", "visit_solved", "satisfaction", "merged_into", "event_count",
    "policy_version", "received_ms", "dispatched_ms", "signed_ms", "first_contact_ms",
    "replied_ms", "visited_ms", "closed_ms", "last_event_ms",
]  # fmt: skip
_CASE_INTS = [c for c in _CASE_COLUMNS if c.endswith(("_ms", "_count", "_unit", "_into"))]


def _case_row(c: Case) -> Dict[str, Any]:
    levels = list(c.intake.category) + ["", "", ""]
    return {
        "id": c.id, "state": c.state.name, "kind": c.intake.kind.name,
        "channel": c.intake.channel.name, "channel_ref": c.intake.channel_ref,
        "urgency": c.intake.urgency.name, "category1": levels[0], "category2": levels[1],
        "category3": levels[2], "district": c.intake.district, "street": c.intake.street,
        "community": c.intake.community, "lead_unit": c.lead_unit, "copy_to": c.copy_to,
        "co_handlers": c.co_handlers, "return_count": c.return_count,
        "extension_count": c.extension_count, "redo_count": c.redo_count,
        "reopen_count": c.reopen_count, "visit_valid": c.visit.valid,
        "visit_contacted": c.visit.contacted, "visit_solved": c.visit.solved,
        "satisfaction": _name(c.visit.satisfaction), "merged_into": c.merged_into,
        "event_count": c.event_count, "policy_version": c.policy_version,
        "received_ms": c.intake.time_ms, "dispatched_ms": c.dispatched_ms,
        "signed_ms": c.signed_ms, "first_contact_ms": c.first_contact_ms,
        "replied_ms": c.replied_ms, "visited_ms": c.visited_ms, "closed_ms": c.closed_ms,
        "last_event_ms": c.last_event_ms,
    }  # fmt: skip


def cases_frame(cases: Iterable[Case]) -> Any:
    """Cases (Engine.iter_cases(), or a list of Engine.case()) as a table, one
    row per case: state, kind, channel, urgency and satisfaction as
    Categoricals of the enum names; step times as "x_ms" and "x" (datetime)."""
    from .enums import Satisfaction

    rows = [_case_row(c) for c in cases]
    categories = {"state": _names(State), "kind": _names(Kind), "channel": _names(Channel),
                  "urgency": _names(Urgency), "satisfaction": _names(Satisfaction)}
    return table(rows, _CASE_COLUMNS, {c: int for c in _CASE_INTS}, categories)


def events_frame(source: Iterable[Union[Case, Event]]) -> Any:
    """Events as a table, one row per event: give cases (with their events,
    e.g. Engine.iter_cases()) or events. type, state (after the event) and
    actor_role as Categoricals; the time as "time_ms" and "time" (datetime)."""
    rows = []
    for item in source:
        for e in item.events if isinstance(item, Case) else (item,):
            rows.append({
                "case_id": e.case_id, "seq": e.seq, "type": e.type.name, "state": e.state.name,
                "actor_role": e.actor.role.name, "actor_unit": e.actor.unit,
                "actor_staff": e.actor.staff, "unit": e.payload.unit, "text": e.payload.text,
                "policy_version": e.policy_version, "time_ms": e.time_ms,
            })  # fmt: skip
    columns = ["case_id", "seq", "type", "state", "actor_role", "actor_unit", "actor_staff",
               "unit", "text", "policy_version", "time_ms"]
    ints = {c: int for c in columns if c not in ("type", "state", "actor_role", "text")}
    categories = {"type": _names(EventType), "state": _names(State), "actor_role": _names(Role)}
    return table(rows, columns, ints, categories)
