"""Plain records some Engine methods return: what verify() found, the units'
scores from assess(), the orders behind a figure from unit_orders() and the
request groups from request_groups(), and themes (每月一题) with their
tasks, trends and candidates.

Like jszb.model's classes they are frozen copies, valid after the call. They
live in a module of their own so that both the query and the store parts of
Engine can build them; jszb and jszb.engine export them as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List, NamedTuple, Optional, Tuple

from .enums import TaskState

if TYPE_CHECKING:
    from .errors import Error

__all__ = [
    "BulkResult",
    "VerifyReport",
    "RequestGroup",
    "UnitScore",
    "UnitOrder",
    "Theme",
    "ThemeTask",
    "ThemeCount",
    "ThemeCandidate",
]


@dataclass(frozen=True)
class BulkResult:
    """What Engine.apply_many() or submit_many() did with each item.

    codes[i]: item i's jszb code, 0 when it was accepted (else a jszb.Code
    value: the code the single call would have raised). errors: (i, error)
    for each refused item, in order; the library describes the first refusal
    of each of its calls (jszb._bulk.CHUNK items) in full, as the single call
    would (message, state, command, refusal), the others by their code only.
    case_ids: submit_many's case ids (0 for a refused request), else None."""

    codes: List[int]
    errors: List[Tuple[int, "Error"]]
    case_ids: Optional[List[int]] = None

    @property
    def ok(self) -> bool:
        """Every item was accepted."""
        return not self.errors

    @property
    def accepted(self) -> int:
        return len(self.codes) - len(self.errors)

    @property
    def refused(self) -> int:
        return len(self.errors)

    def __len__(self) -> int:
        return len(self.codes)


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


@dataclass(frozen=True)
class ThemeTask:
    """A task of a theme (see Engine.set_theme_task): the unit that must do
    it, what, by when, and whether it is done (done_ms: when it was marked
    done, 0 while open)."""

    id: int
    owner_unit: int
    title: str
    due_ms: int
    state: TaskState
    done_ms: int

    def overdue(self, now_ms: int) -> bool:
        """Open, and its due time passed before now_ms."""
        return self.state == TaskState.OPEN and self.due_ms < now_ms


@dataclass(frozen=True)
class Theme:
    """A theme (每月一题, 未诉先办) as the store holds it (see Engine.define_theme)."""

    id: int
    name: str
    start_ms: int
    lead_unit: int
    categories: Tuple[str, ...]
    keywords: Tuple[str, ...]
    areas: Tuple[str, ...]  # empty: the city
    tasks: Tuple[ThemeTask, ...]

    def task(self, task_id: int) -> Optional[ThemeTask]:
        return next((t for t in self.tasks if t.id == task_id), None)


class ThemeCount(NamedTuple):
    """One period of a theme's trend (see Engine.theme_trend): [from_ms,
    until_ms), its offset from the period holding the start (0; -1 the one
    before) and the theme's requests received in it."""

    from_ms: int
    until_ms: int
    offset: int
    received: int


@dataclass(frozen=True)
class ThemeCandidate:
    """A rising problem no theme covers (see Engine.theme_candidates)."""

    district: str
    category: str
    count: int
    baseline: float
    z: float
