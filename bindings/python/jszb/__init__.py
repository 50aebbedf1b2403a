"""jszb: the 接诉即办 work-order engine (Beijing's 12345 hotline), over its C ABI.

    import jszb
    from jszb import Actor, Channel, Kind

    with jszb.Engine() as eng:
        case_id = eng.submit(time=t0, actor=Actor.operator(7), channel=Channel.PHONE,
                             channel_ref="call-1", kind=Kind.COMPLAINT,
                             category=("城乡建设", "施工扰民"), content="...")
        eng.dispatch(case_id, t1, Actor.dispatcher(), unit=110105001)
        print(eng.case(case_id).state)

The library is found through JSZB_LIBRARY, then jszb/_libpath.py (written by the
CMake build), then ctypes.util.find_library("jszb").
"""
from __future__ import annotations

from . import _ffi
from .engine import Engine, Listener
from .enums import (
    FINAL_STATES,
    Channel,
    Code,
    CommandKind,
    DispatchMode,
    EventType,
    Kind,
    NotDispatchedReason,
    Refusal,
    Role,
    Satisfaction,
    State,
    SupervisionLevel,
    Urgency,
    VisitMethod,
)
from .errors import (
    Busy,
    Denied,
    EngineClosed,
    Error,
    InternalError,
    InvalidArgument,
    ListenerError,
    NotFound,
    OutOfMemory,
    Refused,
    StateError,
)
from .model import Actor, Case, Event, Intake, Payload, Reply, Time, Visit, to_datetime, to_ms

__version__ = "0.1.0"

# The library actually loaded.
library_path: str = _ffi.LIBRARY_PATH
library_version: str = _ffi.VERSION
library_version_number: int = _ffi.VERSION_NUMBER

__all__ = [
    "Engine",
    "Listener",
    "Actor",
    "Case",
    "Event",
    "Intake",
    "Payload",
    "Reply",
    "Visit",
    "Time",
    "to_ms",
    "to_datetime",
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
    "Error",
    "InvalidArgument",
    "NotFound",
    "StateError",
    "Denied",
    "Refused",
    "Busy",
    "OutOfMemory",
    "InternalError",
    "EngineClosed",
    "ListenerError",
    "library_path",
    "library_version",
    "library_version_number",
]
