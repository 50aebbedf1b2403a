"""The report Engine.report() returns, typed: TypedDicts for the report and
its rows (the jszb.v1.Report schema, include/jszb/proto/jszb/v1/report.proto),
and Report, the dict it comes as.

Every field of the schema is there with its type: 64-bit counts and ids as
int (protobuf's JSON writes them as strings), rates, means and hours as float
(JSON writes 1.0 as 1), flags as bool. A field a newer library adds comes
through as JSON gives it.

    report = eng.report(*jszb.assessment_month(2021, 10))
    for row in report["units"]:          # jszb.report.UnitRow
        print(row["name"], row["composite"])
    report                               # a table in a notebook (_repr_html_)
"""
from __future__ import annotations

import functools
import typing
from typing import Any, Dict, List, TypedDict

__all__ = [
    "CountRow",
    "UnitRow",
    "GroupRow",
    "FigureOrders",
    "RisingRow",
    "ThemePeriodRow",
    "ThemeTaskRow",
    "ThemeRow",
    "ReportDict",
    "Report",
    "typed_report",
]


class CountRow(TypedDict):
    """A volume: this period's count and the previous period's."""

    key: str  # "城乡建设/噪音扰民", "朝阳区/望京街道", "phone", ...
    count: int
    previous: int


class UnitRow(TypedDict):
    """A handling unit's figures, rates and rank."""

    unit: int
    name: str
    unit_class: str  # the jszb.v1.UnitClass name
    dispatched: int
    closed: int
    handling_hours: float
    first_contacts: int
    response_hours: float
    breached: int
    visits: int
    response_rate: float
    resolution_rate: float
    satisfaction_rate: float
    composite: float
    rank: int  # within its class, 0: not ranked
    previous_rank: int
    sign_on_time_rate: float
    completion_on_time_rate: float
    sign_outcomes: int
    replies: int
    supervised: int
    resolution_only_visits: int
    long_term_held: int


class GroupRow(TypedDict):
    """One matter reported many times."""

    area: str
    category: str
    size: int
    representative: int
    text: str
    cases: List[int]
    streets: List[str]
    categories: List[str]
    address: str


class FigureOrders(TypedDict):
    """The orders behind one figure of a unit's row (with_orders)."""

    unit: int
    figure: str
    count: int
    cases: List[int]


class RisingRow(TypedDict):
    """A problem rising against its baseline."""

    district: str
    category: str
    count: int
    baseline: float
    z: float


class ThemePeriodRow(TypedDict):
    from_ms: int
    until_ms: int
    offset: int
    count: int


class ThemeTaskRow(TypedDict):
    id: int
    owner_unit: int
    owner_name: str
    title: str
    due_ms: int
    state: str  # "open" or "done"
    done_ms: int
    overdue: bool
    late: bool


class ThemeRow(TypedDict):
    id: int
    name: str
    start_ms: int
    lead_unit: int
    lead_name: str
    categories: List[str]
    keywords: List[str]
    areas: List[str]
    count: int
    previous: int
    trend: List[ThemePeriodRow]
    before_mean: float
    after_mean: float
    after_months: int
    tasks: List[ThemeTaskRow]
    open_tasks: int
    overdue_tasks: int


class ReportDict(TypedDict):
    """The whole report (jszb.v1.Report)."""

    from_ms: int
    until_ms: int
    district: str  # empty: the city
    received: int
    previous_received: int
    by_channel: List[CountRow]
    by_kind: List[CountRow]
    by_category1: List[CountRow]
    by_category2: List[CountRow]
    by_category3: List[CountRow]
    by_district: List[CountRow]
    by_street: List[CountRow]
    by_community: List[CountRow]
    rising_communities: List[CountRow]
    units: List[UnitRow]
    groups: List[GroupRow]
    rising: List[RisingRow]
    rising_test: str
    baseline_periods: int
    empty: bool
    min_visits: int
    previous_empty: bool
    definitions: str
    outside_units: List[int]
    unit_orders: List[FigureOrders]
    themes: List[ThemeRow]
    theme_candidates: List[RisingRow]


class Report(Dict[str, Any]):
    """A report as Engine.report() returns it: a dict with ReportDict's keys
    (type checkers see ReportDict), shown as tables in a notebook."""

    def _repr_html_(self) -> str:
        from ._html import report_html  # only when displayed

        return report_html(self)


_DEFAULTS: Dict[Any, Any] = {int: 0, float: 0.0, str: "", bool: False}


@functools.lru_cache(maxsize=None)
def _fields(row_type: Any) -> Dict[str, Any]:
    return typing.get_type_hints(row_type)


def _typed(value: Any, hint: Any) -> Any:
    """value (parsed JSON) as hint says: TypedDicts field by field, lists item
    by item, scalars converted."""
    if isinstance(hint, type) and hasattr(hint, "__total__"):  # a TypedDict
        fields = _fields(hint)
        source = value if isinstance(value, dict) else {}
        out = {k: v for k, v in source.items() if k not in fields}  # newer fields, as given
        for name, field_hint in fields.items():
            out[name] = _typed(source.get(name), field_hint)
        return out
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return [_typed(v, item) for v in (value or [])]
    if value is None:
        return _DEFAULTS[hint]
    if hint is bool:
        return bool(value)
    if hint is int:
        return int(value)
    if hint is float:
        return float(value)  # also "NaN", "Infinity" as protobuf writes them
    return str(value)


def typed_report(parsed: Dict[str, Any]) -> Report:
    """The report's parsed JSON as a Report with every field typed."""
    return Report(_typed(parsed, ReportDict))
