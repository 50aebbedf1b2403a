"""Small HTML tables for notebooks: what Case._repr_html_ and
Report._repr_html_ show. Every text is escaped; times are Beijing time.
"""
from __future__ import annotations

import html
from datetime import timedelta, timezone
from enum import Enum
from typing import Any, Iterable, List, Mapping, Optional, Sequence

__all__ = ["case_html", "report_html", "table_html"]

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

# How many rows of each list a report shows (the rest: a "... N more" line).
_ROWS = 10


def _time(ms: int) -> str:
    if not ms:
        return ""
    from .model import to_datetime

    return to_datetime(ms, BEIJING).strftime("%Y-%m-%d %H:%M")


def _cell(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.name
    elif isinstance(value, float):
        value = f"{value:.3f}"
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return html.escape("" if value is None else str(value))


def table_html(
    rows: Iterable[Sequence[Any]], header: Optional[Sequence[str]] = None,
    caption: Optional[str] = None, total: Optional[int] = None,
) -> str:
    """rows as an HTML table, every cell escaped; total: the rows there were
    (a note says how many are not shown)."""
    rows = list(rows)
    out: List[str] = ["<table>"]
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    if header:
        out.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>")
    if total is not None and total > len(rows):
        span = len(header) if header else 1
        out.append(f'<tr><td colspan="{span}">… {total - len(rows)} more</td></tr>')
    out.append("</table>")
    return "".join(out)


def case_html(case: Any) -> str:
    """A jszb.Case: its main fields, then its events."""
    intake = case.intake
    fields = [
        ("case", case.id),
        ("state", case.state),
        ("kind", intake.kind),
        ("channel", f"{intake.channel.name} {intake.channel_ref}"),
        ("received", _time(intake.time_ms)),
        ("category", "/".join(intake.category)),
        ("area", " ".join(p for p in (intake.district, intake.street, intake.community) if p)),
        ("content", intake.content),
        ("lead unit", case.lead_unit or ""),
        ("copied to", case.copy_to),
        ("replied", _time(case.replied_ms)),
        ("closed", _time(case.closed_ms)),
    ]
    fields += [(f"due: {d.step.name}", _time(d.due_ms)) for d in case.deadlines]
    out = table_html([f for f in fields if f[1] not in ("", ())], caption=f"jszb.Case {case.id}")
    if case.events:
        out += table_html(
            [(e.seq, _time(e.time_ms), e.type, e.actor.role, e.state) for e in case.events],
            header=["seq", "time", "event", "actor", "state after"],
            caption="events",
        )
    return out


def _counts(title: str, rows: Sequence[Mapping[str, Any]]) -> str:
    return table_html(
        [(r["key"], r["count"], r["previous"]) for r in rows[:_ROWS]],
        header=[title, "count", "previous"], total=len(rows),
    )


def report_html(report: Mapping[str, Any]) -> str:
    """A report: the period and totals, then its units, categories and areas."""
    where = report.get("district") or "北京市"
    summary = table_html(
        [
            ("period", f"{_time(report['from_ms'])} – {_time(report['until_ms'])}"),
            ("area", where),
            ("received", report["received"]),
            ("previous period", report["previous_received"]),
        ],
        caption="jszb report" + (" (nothing happened)" if report.get("empty") else ""),
    )
    units = report.get("units", [])
    parts = [
        summary,
        table_html(
            [(u["rank"] or "", u["name"], u["visits"], u["response_rate"], u["resolution_rate"],
              u["satisfaction_rate"], u["composite"]) for u in units[:_ROWS]],
            header=["rank", "unit", "visits", "response", "resolution", "satisfaction",
                    "composite"],
            caption="units", total=len(units),
        ),
        _counts("category", report.get("by_category1", [])),
        _counts("district" if not report.get("district") else "street",
                report.get("by_district" if not report.get("district") else "by_street", [])),
    ]
    return "".join(parts)
