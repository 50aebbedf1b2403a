"""jszb: the 接诉即办 work-order engine (Beijing's 12345 hotline), over its C ABI.

    import jszb
    from jszb import Actor, Channel, Kind

    with jszb.Engine() as eng:
        case_id = eng.submit(time=t0, actor=Actor.operator(7), channel=Channel.PHONE,
                             channel_ref="call-1", kind=Kind.COMPLAINT,
                             category=("城乡建设", "施工扰民"), content="...")
        eng.dispatch(case_id, t1, Actor.dispatcher(), unit=110105001)
        print(eng.case(case_id).state)

With a policy, the engine routes, times and escalates:

    with jszb.Policy.default() as policy:
        eng.set_policy(policy)
    print(eng.route(case_id).lead)
    eng.dispatch_routed(case_id, t1, Actor.dispatcher())
    eng.advance(t2)                 # fires deadline warnings, breaches, escalations

A durable engine keeps its cases in a store file and continues where it
stopped when opened again; batch() commits many commands in one transaction:

    with jszb.Engine.open("week.jszb") as eng, eng.batch():
        ...

The library is found through JSZB_LIBRARY, then jszb/_libpath.py (written by the
CMake build), then ctypes.util.find_library("jszb").
"""
from __future__ import annotations

from . import _ffi, frames, report
from .engine import Engine, Listener, Router, assessment_month, bulletin_day, render_report
from ._open311 import Open311Import, open311_services
from .ticket import Ticket
from .enums import (
    FINAL_STATES,
    Channel,
    Code,
    CommandKind,
    DispatchMode,
    EscalationAction,
    EventType,
    Figure,
    GroupScope,
    Kind,
    NotDispatchedReason,
    Refusal,
    ReportFormat,
    Role,
    RouteOutcome,
    UnitClass,
    Satisfaction,
    State,
    Step,
    SupervisionLevel,
    Urgency,
    VisitMethod,
    Sync,
    LogLevel,
    TaskState,
    ThemePeriod,
    ExportFormat,
    Open311Format,
    Open311Content,
    Open311Status,
)
from .errors import (
    Busy,
    Cancelled,
    CorruptStore,
    Denied,
    EngineClosed,
    Error,
    InternalError,
    InvalidArgument,
    ListenerError,
    NotFound,
    OutOfMemory,
    OutOfRange,
    PolicyClosed,
    Refused,
    RouterError,
    StateError,
    StorageError,
    StoreLocked,
    RequestConflict,
    StoreTooNew,
)
from .model import (
    Actor,
    Case,
    Deadline,
    DeadlineStatus,
    Event,
    Intake,
    Payload,
    Reply,
    Route,
    RouteDecision,
    RuleVerdict,
    Time,
    Visit,
    to_datetime,
    to_ms,
)
from ._ops import backup, set_log
from ._progress import Progress, ProgressCallback
from ._interchange import ImportRefused, ImportResult
from .policy import Calendar, Duration, Policy, Unit
from .results import (
    BulkResult,
    RequestGroup,
    Theme,
    ThemeCandidate,
    ThemeCount,
    ThemeTask,
    UnitOrder,
    UnitScore,
    VerifyReport,
)
from .what_if import SkippedCommand, WhatIf, what_if

__version__ = "0.2.0"

# The library actually loaded.
library_path: str = _ffi.LIBRARY_PATH
library_version: str = _ffi.VERSION
library_version_number: int = _ffi.VERSION_NUMBER

__all__ = [
    # jszb.engine, jszb.results
    "Engine",
    "Listener",
    "Router",
    "assessment_month",
    "bulletin_day",
    "render_report",
    "open311_services",
    "Open311Import",
    "Open311Format",
    "Open311Content",
    "Open311Status",
    "Ticket",
    "VerifyReport",
    "BulkResult",
    "UnitScore",
    "UnitOrder",
    "RequestGroup",
    "Theme",
    "ThemeTask",
    "ThemeCount",
    "ThemeCandidate",

    # progress of long calls (jszb._progress)
    "Progress",
    "ProgressCallback",

    # operations (jszb._ops): backup and the library's log
    "backup",
    "set_log",

    # jszb.policy
    "Policy",
    "Calendar",
    "Duration",
    "Unit",

    # jszb.model
    "Actor",
    "Case",
    "Event",
    "Intake",
    "Payload",
    "Reply",
    "Visit",
    "Deadline",
    "DeadlineStatus",
    "Route",
    "RouteDecision",
    "RuleVerdict",
    "Time",
    "to_ms",
    "to_datetime",

    # jszb.enums
    "Code",
    "Refusal",
    "Kind",
    "Channel",
    "Urgency",
    "Role",
    "State",
    "FINAL_STATES",
    "CommandKind",
    "EventType",
    "NotDispatchedReason",
    "DispatchMode",
    "Satisfaction",
    "VisitMethod",
    "SupervisionLevel",
    "Step",
    "EscalationAction",
    "RouteOutcome",
    "UnitClass",
    "Sync",
    "LogLevel",
    "ReportFormat",
    "Figure",
    "GroupScope",
    "TaskState",
    "ThemePeriod",
    "ExportFormat",
    "ImportResult",
    "ImportRefused",

    # jszb.errors
    "Error",
    "InvalidArgument",
    "NotFound",
    "StateError",
    "Denied",
    "Refused",
    "Busy",
    "OutOfMemory",
    "InternalError",
    "OutOfRange",
    "StorageError",
    "StoreLocked",
    "RequestConflict",
    "Cancelled",
    "CorruptStore",
    "StoreTooNew",
    "EngineClosed",
    "PolicyClosed",
    "ListenerError",
    "RouterError",

    # tables, the report's types, and the library actually loaded
    "frames",
    "report",
    "library_path",
    "library_version",
    "library_version_number",
    # jszb.what_if
    "what_if",
    "WhatIf",
    "SkippedCommand",
]
