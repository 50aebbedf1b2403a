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
from typing import Any, Mapping, Optional, Tuple, Type, TypeVar, Union

from . import _ffi
from .enums import (
    Channel,
    DispatchMode,
    EscalationAction,
    EventType,
    Kind,
    NotDispatchedReason,
    Role,
    RouteOutcome,
    Satisfaction,
    State,
    Step,
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
    "Deadline",
    "DeadlineStatus",
    "RuleVerdict",
    "Route",
    "RouteDecision",
    "Time",
    "to_ms",
    "to_datetime",
    "check_uint32",
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
    """value, checked to fit a uint32_t argument (unit codes and ids), so that
    ctypes cannot silently truncate it."""
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
    # Set by the engine: deadline events say which step, which escalation mark
    # (0-based index into the step's marks) and what it does; routed dispatches
    # name the catalogue rule (or router) that decided.
    step: Optional[Step] = None
    mark: int = 0
    action: Optional[EscalationAction] = None
    rule: str = ""
    # The client's id for the command, when it gave one.
    request_id: str = ""

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
            step=_opt_enum(Step, p.step),  # type: ignore[arg-type]
            mark=p.mark,
            action=_opt_enum(EscalationAction, p.action),  # type: ignore[arg-type]
            rule=_str(p.rule),
            request_id=_str(p.request_id),
        )


def _time_or_none(ms: int) -> Optional[datetime]:
    return None if ms == 0 else to_datetime(ms)


@dataclass(frozen=True)
class Deadline:
    """The clock on one timed step (jszb_deadline). start_ms 0: not running
    (in an event: the event stopped it). due_ms includes suspensions and
    extensions; paused_ms is the time suspended so far, in the step's clock."""

    step: Step
    start_ms: int
    due_ms: int
    paused_ms: int = 0
    fired: int = 0  # escalation marks fired so far
    working: bool = False  # counted in working time (else natural time)
    # The due (in working time) or an escalation level in working time falls
    # past the calendar's years (weekends only or provisional): an estimate.
    estimated: bool = False
    base_due_ms: int = 0  # the due instant before any suspension
    paused_natural_ms: int = 0  # time suspended so far, natural time ...
    paused_working_ms: int = 0  # ... and working time
    resumed_ms: int = 0  # the last resume: no escalation falls before it

    @property
    def running(self) -> bool:
        return self.start_ms != 0

    @property
    def start(self) -> Optional[datetime]:
        return _time_or_none(self.start_ms)

    @property
    def due(self) -> Optional[datetime]:
        return _time_or_none(self.due_ms)

    @classmethod
    def from_c(cls, d: _ffi.jszb_deadline) -> "Deadline":
        return cls(
            step=_enum(Step, d.step),  # type: ignore[arg-type]
            start_ms=d.start_ms,
            due_ms=d.due_ms,
            paused_ms=d.paused_ms,
            fired=d.fired,
            working=bool(d.working),
            estimated=bool(d.estimated),
            base_due_ms=d.base_due_ms,
            paused_natural_ms=d.paused_natural_ms,
            paused_working_ms=d.paused_working_ms,
            resumed_ms=d.resumed_ms,
        )


def _deadlines(ptr: "ctypes._Pointer[_ffi.jszb_deadline]", count: int) -> Tuple[Deadline, ...]:
    return tuple(Deadline.from_c(ptr[i]) for i in range(count)) if count else ()


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
    policy_version: int = 0  # the policy the case runs under, 0: none
    deadlines: Tuple[Deadline, ...] = ()  # the deadlines this event set or stopped

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
            policy_version=e.policy_version,
            deadlines=_deadlines(e.deadlines, e.deadlines_count),
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
    policy_version: int  # the policy the case runs under, 0: none
    suspended_since_ms: int  # 0 unless suspended
    deadlines: Tuple[Deadline, ...]  # the running deadlines, by step
    # The community the lead street forwarded it to in this dispatch cycle
    # (0: none), when that community signed and when it reported back.
    community_unit: int = 0
    community_signed_ms: int = 0
    community_replied_ms: int = 0
    # Empty in the Case a router is given (event_count still says how many).
    events: Tuple[Event, ...] = field(default=(), repr=False)

    @property
    def suspended_since(self) -> Optional[datetime]:
        return _time_or_none(self.suspended_since_ms)

    def deadline(self, step: Step) -> Optional[Deadline]:
        """The running deadline of step, or None."""
        return next((d for d in self.deadlines if d.step == step), None)

    def _repr_html_(self) -> str:
        """The case as small tables, for notebooks."""
        from ._html import case_html  # only when displayed

        return case_html(self)

    @classmethod
    def from_c(cls, i: _ffi.jszb_case_info, events: Tuple[Event, ...] = ()) -> "Case":
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
            policy_version=i.policy_version,
            suspended_since_ms=i.suspended_since_ms,
            deadlines=_deadlines(i.deadlines, i.deadlines_count),
            community_unit=i.community_unit,
            community_signed_ms=i.community_signed_ms,
            community_replied_ms=i.community_replied_ms,
            events=events,
        )


@dataclass(frozen=True)
class DeadlineStatus:
    """A running deadline of a case measured at some instant
    (jszb_deadline_status). used_ms and left_ms are in the step's own clock
    (working time for working-day limits), suspensions excluded; left_ms is
    negative once overdue."""

    step: Step
    start_ms: int
    due_ms: int
    used_ms: int
    left_ms: int
    overdue: bool
    paused: bool  # the case is suspended: the clock stands
    working: bool  # counted in working time
    fired: int  # escalation marks fired so far
    estimated: bool  # due or escalation in working time past the calendar's years

    @property
    def start(self) -> datetime:
        return to_datetime(self.start_ms)

    @property
    def due(self) -> datetime:
        return to_datetime(self.due_ms)

    @classmethod
    def from_c(cls, d: _ffi.jszb_deadline_status) -> "DeadlineStatus":
        return cls(
            step=_enum(Step, d.step),  # type: ignore[arg-type]
            start_ms=d.start_ms,
            due_ms=d.due_ms,
            used_ms=d.used_ms,
            left_ms=d.left_ms,
            overdue=bool(d.overdue),
            paused=bool(d.paused),
            working=bool(d.working),
            estimated=bool(d.estimated),
            fired=d.fired,
        )


@dataclass(frozen=True)
class RuleVerdict:
    """One dispatch-catalogue rule's verdict on a request (jszb_rule_verdict)."""

    rule: str
    priority: int
    matched: bool  # every condition holds
    chosen: bool  # the rule that decides
    why: str

    @classmethod
    def from_c(cls, v: _ffi.jszb_rule_verdict) -> "RuleVerdict":
        return cls(_str(v.rule), v.priority, bool(v.matched), bool(v.chosen), _str(v.why))


@dataclass(frozen=True)
class Route:
    """A routing decision (jszb_route) with the dispatch catalogue's verdict
    on every rule; () when the case runs under no policy. When a router of
    the caller's decided, rule is the router's and the verdicts are still the
    catalogue's. lead is the district for DISTRICT_COORDINATES;
    district/street: where the request was found to lie (0: unknown)."""

    outcome: RouteOutcome
    lead: int = 0
    copy_to: Tuple[int, ...] = ()
    co_handlers: Tuple[int, ...] = ()
    reason: Optional[NotDispatchedReason] = None
    note: str = ""  # not dispatched: what the citizen is told
    rule: str = ""  # the rule that decided; recorded in the event
    district: int = 0
    street: int = 0
    street_from_point: bool = False  # the street came from the request's point
    verdicts: Tuple[RuleVerdict, ...] = ()

    @property
    def chosen(self) -> Optional[RuleVerdict]:
        """The verdict of the rule that decided, if the catalogue decided."""
        return next((v for v in self.verdicts if v.chosen), None)

    @classmethod
    def from_c(cls, r: _ffi.jszb_route, verdicts: Tuple[RuleVerdict, ...] = ()) -> "Route":
        return cls(
            outcome=_enum(RouteOutcome, r.outcome),  # type: ignore[arg-type]
            lead=r.lead,
            copy_to=_units(r.copy_to, r.copy_to_count),
            co_handlers=_units(r.co_handlers, r.co_handlers_count),
            reason=_opt_enum(NotDispatchedReason, r.reason),  # type: ignore[arg-type]
            note=_str(r.note),
            rule=_str(r.rule),
            district=r.district,
            street=r.street,
            street_from_point=bool(r.street_from_point),
            verdicts=verdicts,
        )


@dataclass(frozen=True)
class RouteDecision:
    """What a Python router (Engine.set_router) returns; a Route, or a dict
    with these keys, does as well. Build one with the constructors:

        RouteDecision.dispatch(110105007, copy_to=[110105], rule="my-rule")
        RouteDecision.district_coordinates(110105)
        RouteDecision.not_dispatched(NotDispatchedReason.EMERGENCY, note="已转110")
    """

    outcome: RouteOutcome
    lead: int = 0
    copy_to: Tuple[int, ...] = ()
    co_handlers: Tuple[int, ...] = ()
    reason: Optional[NotDispatchedReason] = None
    note: str = ""
    rule: str = ""  # recorded in the event; the library says "router" when empty
    district: int = 0
    street: int = 0

    def __post_init__(self) -> None:
        # Checked here so that a bad decision fails where it is made.
        if isinstance(self.outcome, bool) or not isinstance(self.outcome, int):
            raise TypeError(
                f"RouteDecision.outcome must be a RouteOutcome, not {type(self.outcome).__name__}"
            )
        object.__setattr__(self, "outcome", _enum(RouteOutcome, int(self.outcome)))
        for name in ("lead", "district", "street"):
            check_uint32(f"RouteDecision.{name}", getattr(self, name))
        for name in ("copy_to", "co_handlers"):
            value = getattr(self, name)
            if isinstance(value, (str, bytes)):
                raise TypeError(f"RouteDecision.{name} must be a sequence of unit ids")
            units = tuple(value)
            for k, u in enumerate(units):
                check_uint32(f"RouteDecision.{name}[{k}]", u)
            object.__setattr__(self, name, units)
        if self.reason is not None:
            object.__setattr__(self, "reason", _enum(NotDispatchedReason, int(self.reason)))
        for name in ("note", "rule"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"RouteDecision.{name} must be str")

    @classmethod
    def dispatch(
        cls, lead: int, *, copy_to: Any = (), co_handlers: Any = (), rule: str = ""
    ) -> "RouteDecision":
        return cls(RouteOutcome.DISPATCH, lead, tuple(copy_to), tuple(co_handlers), rule=rule)

    @classmethod
    def district_coordinates(cls, district: int, *, rule: str = "") -> "RouteDecision":
        return cls(RouteOutcome.DISTRICT_COORDINATES, district, district=district, rule=rule)

    @classmethod
    def not_dispatched(
        cls, reason: NotDispatchedReason, *, note: str = "", rule: str = ""
    ) -> "RouteDecision":
        return cls(RouteOutcome.NOT_DISPATCHED, reason=reason, note=note, rule=rule)

    @classmethod
    def of(cls, value: Any) -> "RouteDecision":
        """A RouteDecision from a RouteDecision, a Route or a mapping of its
        fields (unknown keys are refused: a typo must not pass silently)."""
        if isinstance(value, RouteDecision):
            return value
        if isinstance(value, Route):
            return cls(
                value.outcome, value.lead, value.copy_to, value.co_handlers, value.reason,
                value.note, value.rule, value.district, value.street,
            )
        if isinstance(value, Mapping):
            known = set(cls.__dataclass_fields__)
            unknown = set(value) - known
            if unknown:
                raise TypeError(f"unknown route field(s): {', '.join(sorted(map(str, unknown)))}")
            if "outcome" not in value:
                raise TypeError("a route needs an outcome (a RouteOutcome)")
            return cls(**value)
        raise TypeError(
            "a router must return a jszb.RouteDecision, a jszb.Route or a dict, "
            f"not {type(value).__name__}"
        )
