"""Reports and scores as tables: pandas DataFrames when pandas is installed
(Debian's python3-pandas), plain lists of dicts otherwise.

    report = eng.report(*jszb.assessment_month(2021, 10))
    tables = jszb.frames.report_tables(report)
    tables["units"].sort_values("composite")          # a DataFrame with pandas
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, Iterable, List

try:  # optional: the tables are plain lists without it
    import pandas as _pd
except ImportError:  # pragma: no cover - depends on the machine
    _pd = None

__all__ = ["have_pandas", "report_tables", "scores_table", "table"]

# The report's sections that are lists of rows.
_SECTIONS = (
    "by_channel",
    "by_kind",
    "by_category1",
    "by_category2",
    "by_category3",
    "by_district",
    "by_street",
    "by_community",
    "rising_communities",
    "units",
    "groups",
    "rising",
    "themes",  # 每月一题: each row holds its trend and tasks as lists
    "theme_candidates",
)


def have_pandas() -> bool:
    """Whether tables come as pandas DataFrames."""
    return _pd is not None


def table(rows: Iterable[Dict[str, Any]], columns: List[str]) -> Any:
    """Rows (dicts) as a DataFrame with these columns, or as a list of dicts."""
    rows = [dict(r) for r in rows]
    if _pd is None:
        return rows
    return _pd.DataFrame(rows, columns=columns)


def report_tables(report: Dict[str, Any]) -> Dict[str, Any]:
    """Each list section of a report (Engine.report(..., format="dict")) as a
    table, plus "summary": one row with the period, scope and totals."""
    out: Dict[str, Any] = {}
    for name in _SECTIONS:
        rows = report.get(name, [])
        columns = sorted({k for r in rows for k in r}) if rows else []
        if name.startswith("by_") or name == "rising_communities":
            columns = ["key", "count", "previous"]
        out[name] = table(rows, columns)
    summary = {k: report.get(k) for k in ("from_ms", "until_ms", "district", "received",
                                          "previous_received", "empty")}
    out["summary"] = table([summary], list(summary))
    return out


def scores_table(scores: Iterable[Any]) -> Any:
    """Engine.assess() results (UnitScore) as a table, one row per unit."""
    rows = [dataclasses.asdict(s) for s in scores]
    return table(rows, list(rows[0]) if rows else [])
