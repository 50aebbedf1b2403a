"""Plain records some Engine methods return: what verify() found, the units'
scores from assess(), the orders behind a figure from unit_orders() and the
request groups from request_groups().

Like jszb.model's classes they are frozen copies, valid after the call. They
live in a module of their own so that both the query and the store parts of
Engine can build them; jszb and jszb.engine export them as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Tuple

__all__ = ["VerifyReport", "RequestGroup", "UnitScore", "UnitOrder"]


@dataclass(frozen=True)
class VerifyReport:
    """What Engine.verify() found: events replayed, cases compared, and the
    disagreements (the first few, in words)."""

    events: int
    cases: int
    mismatches: int
    problems: Tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.mismatches == 0


@dataclass(frozen=True)
class RequestGroup:
    """One matter reported many times (see Engine.request_groups)."""

    representative: int  # the request most like the others
    cases: Tuple[int, ...]  # ascending, the representative included
    streets: Tuple[str, ...] = ()  # where its requests were placed, most first
    categories: Tuple[str, ...] = ()  # "level1" or "level1/level2", most first


@dataclass(frozen=True)
class UnitScore:
    """One unit's assessment in a period (see Engine.assess)."""

    unit: int
    visits: int
    contacted: int
    solved: int
    satisfied: int
    basically_satisfied: int
    not_satisfied: int
    response: float
    resolution: float
    satisfaction: float
    composite: float
    sign_outcomes: int
    signed_on_time: int
    replies: int
    replied_on_time: int


class UnitOrder(NamedTuple):
    """One count behind a unit's figure (see Engine.unit_orders): the order,
    and when it counted (ms since the epoch: the standing visit's time for the
    visit figures, the event's for the others). A tuple (case_id, time_ms)."""

    case_id: int
    time_ms: int
