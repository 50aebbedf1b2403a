"""Immutable Python copies of what the library returns (cases, events), the
Actor type, and time conversion.

Everything here is copied out of library memory at once: no object of this
module points into the library, so it stays valid after the snapshot or the
listener call it came from is gone.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import IntEnum
from typing import Optional, Tuple, Type, TypeVar, Union

from . import _ffi
from .enums import (
    Channel,
    DispatchMode,
    EventType,
    Kind,
    NotDispatchedReason,
    Role,
    Satisfaction,
    State,
    SupervisionLevel,
    Urgency,
    VisitMethod,
)

__all__ = [
    "Actor",
    "Intake",
    "Payload",
    "Event",
    "Reply",
    "Visit",
    "Case",
    "Time",
    "to_ms",
    "to_datetime",
]

UINT32_MAX = 2**32 - 1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# An instant: milliseconds since the Unix epoch (UTC), or an aware datetime.
Time = Union[int, datetime]


def to_ms(value: Time, what: str = "time") -> int:
    """Milliseconds since the Unix epoch for an int (taken as is) or an aware
    datetime (converted with integer arithmetic; sub-millisecond digits are
    dropped towards the past). Naive datetimes are refused: their zone is a guess."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be int milliseconds or an aware datetime, not bool")
    if isinstance(value, int):
        ms = value
    elif isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{what} is a naive datetime ({value.isoformat()}): give it a tzinfo, e.g. "
                "datetime(..., tzinfo=timezone(timedelta(hours=8))) for Beijing time"
            )
        delta = value - _EPOCH
        # Whole days, seconds and microseconds: exact, no float rounding.
        ms = (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
    else:
        raise TypeError(
            f"{what} must be int milliseconds or an aware datetime, not {type(value).__name__}"
        )
    if not INT64_MIN <= ms <= INT64_MAX:
        raise ValueError(f"{what} is {ms} ms: outside the range of int64")
    return ms


def to_datetime(ms: int, tz: timezone = timezone.utc) -> datetime:
    """The aware datetime of ms since the Unix epoch (UTC by default)."""
    return (_EPOCH + timedelta(milliseconds=ms)).astimezone(tz)


def check_uint32(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= UINT32_MAX:
        raise ValueError(f"{what} is {value}: expected 0..{UINT32_MAX}")
    return value


@dataclass(frozen=True)
class Actor:
    """Who does something (jszb_actor): a role, the acting unit (or the unit a
    member of staff belongs to) and a staff number (0: none)."""

    role: Role
    unit: int = 0
    staff: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.role, bool) or not isinstance(self.role, int):
            raise TypeError(f"Actor.role must be a Role, not {type(self.role).__name__}")
        if isinstance(self.role, IntEnum) and not isinstance(self.role, Role):
            raise TypeError(f"Actor.role must be a Role, not {type(self.role).__name__}")
        if not INT32_MIN <= self.role <= INT32_MAX:
            raise ValueError(f"Actor.role is {self.role}: not a jszb_role")
        # A plain int that names a role becomes the member (for repr and
        # equality); an unknown one is left for the library to refuse.
        object.__setattr__(self, "role", _enum(Role, int(self.role)))
        check_uint32("Actor.unit", self.unit)
        check_uint32("Actor.staff", self.staff)

    @classmethod
    def operator(cls, staff: int = 0, unit: int = 0) -> "Actor":
        return cls(Role.OPERATOR, unit, staff)

    @classmethod
    def dispatcher(cls, staff: int = 0, unit: int = 0) -> "Actor":
        return cls(Role.DISPATCHER, unit, staff)

    @classmethod
    def citizen(cls) -> "Actor":
        return cls(Role.CITIZEN)

    @classmethod
    def system(cls) -> "Actor":
        return cls(Role.SYSTEM)

    def to_c(self) -> _ffi.jszb_actor:
        return _ffi.jszb_actor(int(self.role), self.unit, self.staff)

    @classmethod
    def from_c(cls, a: _ffi.jszb_actor) -> "Actor":
        return cls(_enum(Role, a.role), a.unit, a.staff)  # type: ignore[arg-type]


def _unit_actor(cls: Type[Actor], unit_id: int, staff: int = 0) -> Actor:
    """Actor.unit(unit_id, staff=0): a handling unit acting."""
    return cls(Role.UNIT, unit_id, staff)


# `unit` is both a field (actor.unit, an int) and a helper (Actor.unit(...)).
# The helper is attached only after @dataclass has read the field's default;
# instances keep their own `unit` value, which shadows it.
Actor.unit = classmethod(_unit_actor)  # type: ignore[assignment,method-assign]


EnumT = TypeVar("EnumT", bound=IntEnum)


def _enum(cls: Type[EnumT], value: int) -> Union[EnumT, int]:
    """The member for value; the plain int if this package does not know it
    (a newer library may append values)."""
    try:
        return cls(value)
    except ValueError:
        return value


def _opt_enum(cls: Type[EnumT], value: int) -> Union[EnumT, int, None]:
    """Like _enum, with 0 ("unspecified") as None."""
    return None if value == 0 else _enum(cls, value)


def _str(raw: Optional[bytes]) -> str:
    return "" if raw is None else raw.decode("utf-8")


def _units(ptr: "ctypes._Pointer[ctypes.c_uint32]", count: int) -> Tuple[int, ...]:
    return tuple(ptr[i] for i in range(count)) if count else ()


@dataclass(frozen=True)
class Intake:
    """A request as recorded at intake (jszb_intake)."""

    time_ms: int
    actor: Actor
    channel: Channel
    channel_ref: str
    kind: Kind
    category: Tuple[str, ...]  # the levels that are set, level 1 first
    urgency: Urgency
    district: str
    street: str
    community: str
    address: str
    point: Optional[Tuple[float, float]]  # (lat, lon), or None
    content: str
    contact_name: str
    contact_phone: str

    @classmethod
    def from_c(cls, i: _ffi.jszb_intake) -> "Intake":
        category = tuple(_str(c) for c in i.category)
        return cls(
            time_ms=i.time_ms,
            actor=Actor.from_c(i.actor),
            channel=_enum(Channel, i.channel),  # type: ignore[arg-type]
            channel_ref=_str(i.channel_ref),
            kind=_enum(Kind, i.kind),  # type: ignore[arg-type]
            category=tuple(c for c in category if c),
            urgency=_enum(Urgency, i.urgency),  # type: ignore[arg-type]
            district=_str(i.district),
            street=_str(i.street),
            community=_str(i.community),
            address=_str(i.address),
            point=(i.lat, i.lon) if i.has_point else None,
            content=_str(i.content),
            contact_name=_str(i.contact_name),
            contact_phone=_str(i.contact_phone),
        )


@dataclass(frozen=True)
class Payload:
    """What an event says beyond its type (jszb_payload); unused fields are
    0, False, None, () or ""."""

    unit: int = 0
    mode: Optional[DispatchMode] = None
    copy_to: Tuple[int, ...] = ()
    units: Tuple[int, ...] = ()
    reason: Optional[NotDispatchedReason] = None
    level: Optional[SupervisionLevel] = None
    contacted: bool = False
    solved: bool = False
    valid_visit: bool = False
    satisfaction: Optional[Satisfaction] = None
    visit_method: Optional[VisitMethod] = None
    until_ms: int = 0
    other_case: int = 0
    text: str = ""

    @classmethod
    def from_c(cls, p: _ffi.jszb_payload) -> "Payload":
        return cls(
            unit=p.unit,
            mode=_opt_enum(DispatchMode, p.mode),  # type: ignore[arg-type]
            copy_to=_units(p.copy_to, p.copy_to_count),
            units=_units(p.units, p.units_count),
            reason=_opt_enum(NotDispatchedReason, p.reason),  # type: ignore[arg-type]
            level=_opt_enum(SupervisionLevel, p.level),  # type: ignore[arg-type]
            contacted=bool(p.contacted),
            solved=bool(p.solved),
            valid_visit=bool(p.valid_visit),
            satisfaction=_opt_enum(Satisfaction, p.satisfaction),  # type: ignore[arg-type]
            visit_method=_opt_enum(VisitMethod, p.visit_method),  # type: ignore[arg-type]
            until_ms=p.until_ms,
            other_case=p.other_case,
            text=_str(p.text),
        )


@dataclass(frozen=True)
class Event:
    """One entry of a case's history (jszb_event)."""

    case_id: int
    seq: int
    type: EventType
    state: State  # the case's state after this event
    time_ms: int
    actor: Actor
    payload: Payload
    intake: Optional[Intake] = None  # submissions only

    @classmethod
    def from_c(cls, e: _ffi.jszb_event) -> "Event":
        return cls(
            case_id=e.case_id,
            seq=e.seq,
            type=_enum(EventType, e.type),  # type: ignore[arg-type]
            state=_enum(State, e.state),  # type: ignore[arg-type]
            time_ms=e.time_ms,
            actor=Actor.from_c(e.actor),
            payload=Payload.from_c(e.payload.contents) if e.payload else Payload(),
            intake=Intake.from_c(e.intake.contents) if e.intake else None,
        )

    @property
    def time(self) -> datetime:
        return to_datetime(self.time_ms)


@dataclass(frozen=True)
class Reply:
    """The unit's last reply (反馈)."""

    contacted: bool
    solved: bool
    text: str


@dataclass(frozen=True)
class Visit:
    """The last return visit (回访)."""

    valid: bool
    contacted: bool
    solved: bool
    satisfaction: Optional[Satisfaction]
    method: Optional[VisitMethod]


@dataclass(frozen=True)
class Case:
    """A case as it stood when it was read (jszb_case_info plus its events).
    Times are ms since the Unix epoch, 0 when the step has not happened in the
    current dispatch cycle."""

    id: int
    state: State
    intake: Intake
    lead_unit: int
    dispatch_mode: Optional[DispatchMode]
    copy_to: Tuple[int, ...]
    co_handlers: Tuple[int, ...]
    co_handlers_pending: Tuple[int, ...]  # co-handlers that have not reported back
    owner_fixed: bool
    not_dispatched_reason: Optional[NotDispatchedReason]
    supervision_level: Optional[SupervisionLevel]
    return_count: int
    extension_count: int
    redo_count: int
    reopen_count: int
    dispatched_ms: int
    signed_ms: int
    first_contact_ms: int
    extension_requested_until_ms: int
    extended_until_ms: int
    replied_ms: int
    visited_ms: int
    closed_ms: int
    last_event_ms: int
    reply: Reply
    visit: Visit
    merged_into: int
    event_count: int
    events: Tuple[Event, ...] = field(default=(), repr=False)

    @classmethod
    def from_c(cls, i: _ffi.jszb_case_info, events: Tuple[Event, ...]) -> "Case":
        return cls(
            id=i.id,
            state=_enum(State, i.state),  # type: ignore[arg-type]
            intake=Intake.from_c(i.intake.contents),
            lead_unit=i.lead_unit,
            dispatch_mode=_opt_enum(DispatchMode, i.dispatch_mode),  # type: ignore[arg-type]
            copy_to=_units(i.copy_to, i.copy_to_count),
            co_handlers=_units(i.co_handlers, i.co_handlers_count),
            co_handlers_pending=_units(i.co_handlers_pending, i.co_handlers_pending_count),
            owner_fixed=bool(i.owner_fixed),
            not_dispatched_reason=_opt_enum(  # type: ignore[arg-type]
                NotDispatchedReason, i.not_dispatched_reason
            ),
            supervision_level=_opt_enum(  # type: ignore[arg-type]
                SupervisionLevel, i.supervision_level
            ),
            return_count=i.return_count,
            extension_count=i.extension_count,
            redo_count=i.redo_count,
            reopen_count=i.reopen_count,
            dispatched_ms=i.dispatched_ms,
            signed_ms=i.signed_ms,
            first_contact_ms=i.first_contact_ms,
            extension_requested_until_ms=i.extension_requested_until_ms,
            extended_until_ms=i.extended_until_ms,
            replied_ms=i.replied_ms,
            visited_ms=i.visited_ms,
            closed_ms=i.closed_ms,
            last_event_ms=i.last_event_ms,
            reply=Reply(bool(i.reply_contacted), bool(i.reply_solved), _str(i.reply_text)),
            visit=Visit(
                valid=bool(i.visit_valid),
                contacted=bool(i.visit_contacted),
                solved=bool(i.visit_solved),
                satisfaction=_opt_enum(  # type: ignore[arg-type]
                    Satisfaction, i.visit_satisfaction
                ),
                method=_opt_enum(VisitMethod, i.visit_method),  # type: ignore[arg-type]
            ),
            merged_into=i.merged_into,
            event_count=i.event_count,
            events=events,
        )
