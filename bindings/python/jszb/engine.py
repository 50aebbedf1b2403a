"""jszb.Engine: one jszb engine (in memory, or on a durable store), driven from Python.

Every method converts and checks its Python arguments first (TypeError or
ValueError, before the library is called), fills the C struct, calls the
library and turns a nonzero return into the matching jszb.Error subclass.
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import threading
from dataclasses import dataclass
from ctypes import POINTER, byref, c_char, c_int, c_size_t, c_uint32, c_uint64, c_void_p
from enum import IntEnum
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    Union,
)

from . import _ffi
from ._ffi import lib
from .enums import (
    Channel,
    Code,
    CommandKind,
    DispatchMode,
    Kind,
    NotDispatchedReason,
    ReportFormat,
    Satisfaction,
    State,
    SupervisionLevel,
    Urgency,
    VisitMethod,
    Sync,
)
from .errors import Busy, EngineClosed, Error, ListenerError, RouterError, error_for
from .model import (
    INT32_MAX,
    INT32_MIN,
    Actor,
    Case,
    DeadlineStatus,
    Event,
    Route,
    RouteDecision,
    RuleVerdict,
    Time,
    check_uint32,
    to_ms,
)
from .policy import Policy

__all__ = ["Engine", "Listener", "Router", "VerifyReport", "UnitScore", "RequestGroup", "assessment_month", "bulletin_day"]

UINT64_MAX = 2**64 - 1

Listener = Callable[[Event], Any]
# A router gets the case (without its events) and returns a RouteDecision, a
# Route or a dict of RouteDecision's fields; it refuses by raising.
Router = Callable[[Case], Any]

# Payload fields a command may carry (jszb_payload), as apply() accepts them.
# `until` takes int ms or an aware datetime; `until_ms` is the same field under
# its C name.
PAYLOAD_FIELDS = frozenset(
    {
        "unit",
        "mode",
        "copy_to",
        "units",
        "reason",
        "level",
        "contacted",
        "solved",
        "valid_visit",
        "satisfaction",
        "visit_method",
        "until",
        "until_ms",
        "other_case",
        "text",
        "request_id",
    }
)

# ------------------------------------------------------- argument conversion


def _encode(what: str, value: Optional[str], *, required: bool = False) -> Optional[bytes]:
    """UTF-8 bytes for the library; None (NULL) for an absent optional string."""
    if value is None:
        if required:
            raise TypeError(f"{what} is required")
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if "\0" in value:
        # C would silently cut the string at the NUL.
        raise ValueError(f"{what} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} cannot be encoded as UTF-8: {exc}") from exc


def _enum_arg(what: str, cls: Type[IntEnum], value: Any, *, optional: bool = False) -> int:
    """The C number for an enum argument: a member of cls, or a plain int (which
    the library checks). None is 0 ("unspecified") where that is allowed."""
    if value is None:
        if optional:
            return 0
        raise TypeError(f"{what} is required (a {cls.__name__})")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a {cls.__name__}, not {type(value).__name__}")
    if isinstance(value, IntEnum) and not isinstance(value, cls):
        raise TypeError(f"{what} must be a {cls.__name__}, not {type(value).__name__}.{value.name}")
    if not INT32_MIN <= value <= INT32_MAX:
        raise ValueError(f"{what} is {value}: not a {cls.__name__}")
    return int(value)


def _uint64(what: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= UINT64_MAX:
        raise ValueError(f"{what} is {value}: expected 0..{UINT64_MAX}")
    return value


def _flag(what: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value in (0, 1):
        return value
    raise TypeError(f"{what} must be a bool, not {value!r}")


def _actor(what: str, value: Any) -> _ffi.jszb_actor:
    if not isinstance(value, Actor):
        raise TypeError(
            f"{what} must be a jszb.Actor (e.g. Actor.operator()), not {type(value).__name__}"
        )
    return value.to_c()


def _unit_array(what: str, value: Any) -> Tuple[Any, int]:
    """A C array of unit ids (or NULL) and its length."""
    if value is None:
        return None, 0
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{what} must be a sequence of unit ids, not {type(value).__name__}")
    units = [check_uint32(f"{what}[{i}]", u) for i, u in enumerate(value)]
    if not units:
        return None, 0
    return (c_uint32 * len(units))(*units), len(units)


def _category(value: Any) -> List[Optional[bytes]]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            f"category must be a tuple or list of up to 3 str, not {type(value).__name__}"
        )
    if not 1 <= len(value) <= 3:
        raise ValueError(f"category has {len(value)} levels: expected 1 to 3")
    levels = [_encode(f"category[{i}]", v) for i, v in enumerate(value)]
    return levels + [None] * (3 - len(levels))


def _point(value: Any) -> Tuple[int, float, float]:
    if value is None:
        return 0, 0.0, 0.0
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError("point must be (lat, lon) or None")
    lat, lon = value
    for name, v in (("lat", lat), ("lon", lon)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"point {name} must be a number, not {type(v).__name__}")
    return 1, float(lat), float(lon)


# ------------------------------------------------------------------ listeners


class _ListenerFailures:
    """Exceptions raised by listeners and the router during the current engine
    call, and whether the router is running. Shared by the engine and its
    trampolines (not the engine itself, to avoid a cycle)."""

    def __init__(self) -> None:
        self.failures: List[Tuple[int, Optional[Event], BaseException]] = []
        self.router_failures: List[Tuple[int, BaseException]] = []  # (case id, exception)
        self.in_router = 0
        # C copies of the router's last decision: the library copies them only
        # after the callback has returned, so they must outlive it.
        self.router_keep: List[Any] = []


def _trampoline(
    fn: Listener, failures: _ListenerFailures, listener_id: List[int]
) -> "_ffi.jszb_listener_fn":
    def call(_payload: Optional[int], event: "ctypes._Pointer[_ffi.jszb_event]") -> None:
        # Nothing may propagate into C: ctypes would print and drop it.
        copied: Optional[Event] = None
        try:
            copied = Event.from_c(event.contents)
            fn(copied)
        except BaseException as exc:  # noqa: B036 - re-raised after the C call returns
            failures.failures.append((listener_id[0], copied, exc))

    return _ffi.jszb_listener_fn(call)


def _fill_route(out: _ffi.jszb_route, decision: RouteDecision, keep: List[Any]) -> None:
    out.outcome = int(decision.outcome)
    out.lead = decision.lead
    for name in ("copy_to", "co_handlers"):
        array, count = _unit_array(name, getattr(decision, name))
        keep.append(array)
        setattr(out, name, ctypes.cast(array, POINTER(c_uint32)) if array is not None else None)
        setattr(out, f"{name}_count", count)
    out.reason = 0 if decision.reason is None else int(decision.reason)
    note = _encode("note", decision.note) if decision.note else None
    rule = _encode("rule", decision.rule) if decision.rule else None
    keep.extend((note, rule))
    out.note = note
    out.rule = rule
    out.district = decision.district
    out.street = decision.street


def _router_trampoline(fn: Router, state: _ListenerFailures) -> "_ffi.jszb_router_fn":
    def call(
        _payload: Optional[int],
        info: "ctypes._Pointer[_ffi.jszb_case_info]",
        out: "ctypes._Pointer[_ffi.jszb_route]",
    ) -> int:
        # Nothing may propagate into C; the engine call raises it afterwards.
        case_id = 0
        state.in_router += 1
        try:
            case_id = info.contents.id
            decision = RouteDecision.of(fn(Case.from_c(info.contents)))
            keep: List[Any] = []
            _fill_route(out.contents, decision, keep)
            state.router_keep = keep
            return 0
        except BaseException as exc:  # noqa: B036 - re-raised after the C call returns
            state.router_failures.append((case_id, exc))
            return int(Code.STATE)  # the library reports "the router refused"
        finally:
            state.in_router -= 1

    return _ffi.jszb_router_fn(call)


# --------------------------------------------------------------------- engine


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


def _store_options(
    synchronous: Union[str, Sync],
    read_only: bool,
    max_bytes: Optional[int],
    checkpoint_events: Optional[int],
) -> _ffi.jszb_store_options:
    if isinstance(synchronous, str) and synchronous.upper() in Sync.__members__:
        synchronous = Sync[synchronous.upper()]
    if not isinstance(synchronous, Sync):
        raise ValueError(f"synchronous is {synchronous!r}: expected 'full' or 'normal' (jszb.Sync)")
    opts = _ffi.jszb_store_options()
    opts.version = _ffi.STORE_OPTIONS_VERSION
    opts.synchronous = int(synchronous)
    opts.read_only = _flag("read_only", read_only)
    opts.max_bytes = _uint64("max_bytes", 0 if max_bytes is None else max_bytes)
    opts.checkpoint_events = _uint64(
        "checkpoint_events", 0 if checkpoint_events is None else checkpoint_events
    )
    return opts


@dataclass(frozen=True)
class RequestGroup:
    """One matter reported many times (see Engine.request_groups)."""

    representative: int  # the request most like the others
    cases: Tuple[int, ...]  # ascending, the representative included


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


def _period(what: str, fn: Callable[..., int], *date: int) -> Tuple[int, int]:
    for value in date:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what}: year, month and day must be ints, not {value!r}")
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    rc = fn(*date, byref(lo), byref(hi))
    if rc != 0:
        _raise_last(rc)
    return lo.value, hi.value


# Fields protobuf's JSON writes as strings (64-bit integers), read back as ints.
_INT64_FIELDS = frozenset(
    "from_ms until_ms received previous_received count previous dispatched closed "
    "first_contacts breached visits sign_outcomes replies size representative cases".split()
)


def _ints(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _ints(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v, key) for v in value]
    if key in _INT64_FIELDS and isinstance(value, str):
        return int(value)
    return value


def assessment_month(year: int, month: int) -> Tuple[int, int]:
    """The assessment month ending on the 18th of (year, month), as [from, until)
    in ms: from the 19th of the month before, 00:00 China time."""
    return _period("assessment_month", lib.jszb_assessment_month, year, month)


def bulletin_day(year: int, month: int, day: int) -> Tuple[int, int]:
    """The daily bulletin's day, [from, until) in ms: noon to noon, China time."""
    return _period("bulletin_day", lib.jszb_bulletin_day, year, month, day)


class Engine:
    """A jszb engine, in memory (Engine()) or on a durable store
    (Engine.open(path)).

        with jszb.Engine(max_extensions=1) as eng:
            case_id = eng.submit(time=..., actor=jszb.Actor.operator(7), ...)
            eng.dispatch(case_id, t, jszb.Actor.dispatcher(), unit=110105001)

    Not thread-safe in the library; this wrapper serialises calls with a lock,
    so one Engine may be shared between Python threads.
    """

    def __init__(
        self,
        max_extensions: Optional[int] = None,
        *,
        path: Optional[str] = None,
        synchronous: Union[str, Sync] = "full",
        read_only: bool = False,
        max_bytes: Optional[int] = None,
        checkpoint_events: Optional[int] = None,
    ) -> None:
        """path: a store file (created if missing) to keep the cases in; the
        engine is rebuilt from it (see Engine.open). Without a path the engine
        lives in memory and the store options do not apply."""
        self._handle: Optional["ctypes._Pointer[_ffi.jszb_engine]"] = None
        self._lock = threading.RLock()
        self._depth = 0  # engine calls in progress on the lock's thread
        self._failures = _ListenerFailures()
        self._listeners: Dict[int, Any] = {}  # id -> CFUNCTYPE object, kept alive
        self._router: Any = None  # the router's CFUNCTYPE object, kept alive
        self._policy: Optional[Policy] = None
        opts = None
        if max_extensions is not None:
            if isinstance(max_extensions, bool) or not isinstance(max_extensions, int):
                raise TypeError(
                    f"max_extensions must be an int, not {type(max_extensions).__name__}"
                )
            if not INT32_MIN <= max_extensions <= INT32_MAX:
                raise ValueError(f"max_extensions is {max_extensions}: out of range")
            opts = _ffi.jszb_engine_options(_ffi.ENGINE_OPTIONS_VERSION, max_extensions)
        handle = POINTER(_ffi.jszb_engine)()
        if path is None:
            rc = lib.jszb_engine_open(byref(opts) if opts is not None else None, byref(handle))
        else:
            if not isinstance(path, str):
                raise TypeError(f"path must be a str, not {type(path).__name__}")
            sopts = _store_options(synchronous, read_only, max_bytes, checkpoint_events)
            rc = lib.jszb_engine_open_store(
                _encode("path", path, required=True),
                byref(opts) if opts is not None else None,
                byref(sopts),
                byref(handle),
            )
        if rc != 0:
            _raise_last(rc)
        self._handle = handle
        self._path = path

    @classmethod
    def open(
        cls,
        path: str,
        *,
        max_extensions: Optional[int] = None,
        synchronous: Union[str, Sync] = "full",
        read_only: bool = False,
        max_bytes: Optional[int] = None,
        checkpoint_events: Optional[int] = None,
    ) -> "Engine":
        """Opens a durable engine on the store file at path, creating it if
        need be, and rebuilds it from the store: the policies it ran under, the
        open cases and their timers. A call that changes the engine returns
        only once its events are committed. synchronous: "full" (the default:
        committed means on disk) or "normal" (survives a crash of the process;
        a power cut may lose the last commits). One process writes a store at a
        time (jszb.StoreLocked); read_only opens may share it. max_bytes caps
        the file's size (jszb.StorageError past it)."""
        return cls(
            max_extensions,
            path=path,
            synchronous=synchronous,
            read_only=read_only,
            max_bytes=max_bytes,
            checkpoint_events=checkpoint_events,
        )

    # -------------------------------------------------------------- lifetime

    def close(self) -> None:
        """Frees the engine. Idempotent; later calls raise jszb.EngineClosed."""
        with self._lock:
            if self._handle is None:
                return
            if self._depth > 0:
                # The library would free the engine under its own feet.
                raise Busy(
                    "close() called from inside a listener of this engine",
                    code=Code.BUSY,
                )
            handle, self._handle = self._handle, None
            lib.jszb_engine_close(handle)
            self._listeners.clear()
            self._router = None

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Engine":
        self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # At interpreter exit module globals may already be gone.
        try:
            if getattr(self, "_handle", None) is not None and self._depth == 0:
                lib.jszb_engine_close(self._handle)
                self._handle = None
        except Exception:
            pass

    def __repr__(self) -> str:
        if self._handle is None:
            return "<jszb.Engine closed>"
        where = f" store={self._path!r}" if getattr(self, "_path", None) else ""
        return f"<jszb.Engine cases={self.case_count}{where}>"

    # ------------------------------------------------------ batches, storage

    def begin(self) -> None:
        """Opens a batch: the calls that follow share one commit (see batch())."""
        self._call(lib.jszb_engine_begin)

    def commit(self) -> None:
        """Commits the open batch; nothing of it is acknowledged before this
        returns. On failure the whole batch is undone."""
        self._call(lib.jszb_engine_commit)

    def rollback(self) -> None:
        """Undoes the open batch."""
        self._call(lib.jszb_engine_rollback)

    @contextlib.contextmanager
    def batch(self) -> Iterator["Engine"]:
        """Group commit: the commands inside the block are committed together
        when it ends, or all undone if it raises.

            with eng.batch():
                for row in rows:
                    eng.submit(**row)
        """
        self.begin()
        try:
            yield self
        except BaseException:
            with contextlib.suppress(Error):
                self.rollback()
            raise
        self.commit()

    def checkpoint(self) -> None:
        """Writes every case projection that lags the log (closing does it too)."""
        self._call(lib.jszb_engine_checkpoint)

    def verify(self) -> VerifyReport:
        """Replays the whole log into a fresh engine and compares every case
        with the stored projection and this engine's copy."""
        events, cases, mismatches = c_uint64(), c_uint64(), c_uint64()
        problems = c_void_p()
        self._call(
            lib.jszb_engine_verify,
            byref(events),
            byref(cases),
            byref(mismatches),
            byref(problems),
            reads=True,
        )
        text = ""
        if problems.value:
            text = ctypes.string_at(problems.value).decode("utf-8", "replace")
            lib.jszb_free(problems)
        return VerifyReport(
            events.value,
            cases.value,
            mismatches.value,
            tuple(line for line in text.split("\n") if line),
        )

    def erase_personal(self, case_id: int, time: Time) -> None:
        """Erases the citizen's personal data of a case (contact, address,
        content, point); the case stays, anonymised, in listings and statistics."""
        self._call(
            lib.jszb_engine_erase_personal, _uint64("case_id", case_id), to_ms(time, "time")
        )

    def assess(
        self,
        start: Time,
        until: Time,
        *,
        weights: Optional[Tuple[float, float, float]] = None,
    ) -> List[UnitScore]:
        """The three rates per handling unit for [start, until) (see
        jszb.assessment_month and jszb.bulletin_day), recomputed from the log:
        each order counts once, with the visit that stands, for its lead and
        its co-handlers. weights: (response, resolution, satisfaction) for the
        composite, default (0.1, 0.5, 0.4)."""
        w = None
        if weights is not None:
            if len(weights) != 3:
                raise ValueError("weights must be (response, resolution, satisfaction)")
            w = _ffi.jszb_rate_weights(_ffi.RATE_WEIGHTS_VERSION, *map(float, weights))
        out = POINTER(_ffi.jszb_unit_score)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_assess,
            to_ms(start, "start"),
            to_ms(until, "until"),
            byref(w) if w is not None else None,
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [
                UnitScore(**{name: getattr(out[i], name) for name, _ in _ffi.jszb_unit_score._fields_})
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def report(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        top: int = 20,
        baseline_periods: int = 4,
        format: str = "dict",
    ) -> Any:
        """The report for [start, until) (both on half-day edges in China time:
        jszb.assessment_month, jszb.bulletin_day, whole days) for the city or
        one district: volumes, hot spots, rising problems, request groups and
        the units' rates and rankings (see jszb_engine_report).

        format "dict": the report as Python objects (jszb.frames turns it into
        pandas DataFrames); "json", "csv" or "html": the text."""
        formats = {"json": ReportFormat.JSON, "csv": ReportFormat.CSV, "html": ReportFormat.HTML}
        if format not in ("dict", *formats):
            raise ValueError(f"format is {format!r}: expected 'dict', 'json', 'csv' or 'html'")
        options = _ffi.jszb_report_options(
            _ffi.REPORT_OPTIONS_VERSION,
            to_ms(start, "start"),
            to_ms(until, "until"),
            district.encode("utf-8") if district else None,
            int(top),
            int(baseline_periods),
        )
        out = c_void_p()
        code = int(formats["json" if format == "dict" else format])
        self._call(lib.jszb_engine_report, byref(options), code, byref(out), reads=True)
        try:
            text = ctypes.string_at(out.value).decode("utf-8")
        finally:
            lib.jszb_free(out)
        if format != "dict":
            return text
        return _ints(json.loads(text))

    def request_groups(
        self, start: Time, until: Time, *, district: Optional[str] = None
    ) -> List[RequestGroup]:
        """Matters reported 10 or more times among the requests received in
        [start, until), found across different wordings, within one street and
        category; largest first (see jszb_engine_request_groups)."""
        out = POINTER(_ffi.jszb_request_group)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_request_groups,
            to_ms(start, "start"),
            to_ms(until, "until"),
            district.encode("utf-8") if district else None,
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [
                RequestGroup(out[i].representative, tuple(out[i].cases[k] for k in range(out[i].size)))
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def merge_group(self, group: RequestGroup, time: Time, actor: Actor) -> List[int]:
        """Merges every case of the group into its representative, in one
        batch (all or none); returns the cases merged."""
        merged = [c for c in group.cases if c != group.representative]
        with self.batch():
            for case_id in merged:
                self.merge(case_id, time, actor, other_case=group.representative,
                           text="群体诉求合并")
        return merged

    def purge(self, before: Time) -> int:
        """Deletes finished cases whose last event came before `before`, with
        their events; returns how many. Their ids are never given out again."""
        n = c_uint64()
        self._call(lib.jszb_engine_purge, to_ms(before, "before"), byref(n))
        return n.value

    # --------------------------------------------------------- call plumbing

    def _live(self) -> "ctypes._Pointer[_ffi.jszb_engine]":
        if self._handle is None:
            raise EngineClosed("the engine is closed")
        return self._handle

    def _call(self, fn: Callable[..., int], *args: Any, reads: bool = False) -> None:
        """Calls fn(handle, *args) under the lock; raises for a nonzero return
        and, once the outermost call returns, for a listener or router that
        raised. reads: fn only reads the engine, which a router may do."""
        with self._lock:
            handle = self._live()
            if self._failures.in_router and not reads:
                # The library does not guard this: a router that changed the
                # engine (or routed again) would do so in the middle of routing.
                raise Busy(
                    "a router must not change or route with the engine that called it",
                    code=Code.BUSY,
                )
            # A router's failure belongs to the call that routed, even one made
            # from a listener: take those recorded during this call only.
            routed_before = len(self._failures.router_failures)
            self._depth += 1
            try:
                rc = fn(handle, *args)
                error = _last_error(rc) if rc != 0 else None
            finally:
                self._depth -= 1
                router_failures = self._failures.router_failures[routed_before:]
                del self._failures.router_failures[routed_before:]
            failures: List[Tuple[int, Optional[Event], BaseException]] = []
            if self._depth == 0:
                failures, self._failures.failures = self._failures.failures, []
                self._failures.router_keep = []
        if router_failures:
            case_id, exc = router_failures[0]
            if not isinstance(exc, Exception):
                raise exc  # KeyboardInterrupt, SystemExit: not ours to wrap
            library = f" ({error.message})" if error is not None else ""
            raise RouterError(
                f"the router raised {type(exc).__name__}: {exc} while routing case {case_id}; "
                f"nothing was applied{library}",
                code=error.code if error is not None else None,
                case_id=case_id,
            ) from exc
        cause = failures[0][2] if failures else None
        if error is not None:
            raise error from cause
        if failures:
            listener_id, event, exc = failures[0]
            if not isinstance(exc, Exception):
                raise exc  # KeyboardInterrupt, SystemExit: not ours to wrap
            more = f" (and {len(failures) - 1} more listener failures)" if len(failures) > 1 else ""
            what = f"{event.type.name} event of case {event.case_id}" if event else "an event"
            raise ListenerError(
                f"listener {listener_id} raised {type(exc).__name__}: {exc} while told about "
                f"the {what}; the command itself was applied{more}",
                listener_id=listener_id,
                event=event,
            ) from exc

    # ---------------------------------------------------------------- intake

    def submit_ex(
        self,
        *,
        time: Time,
        actor: Actor,
        channel: Union[Channel, int],
        channel_ref: str,
        kind: Union[Kind, int],
        category: Union[Sequence[str], str],
        content: str,
        urgency: Union[Urgency, int, None] = None,
        district: Optional[str] = None,
        street: Optional[str] = None,
        community: Optional[str] = None,
        address: Optional[str] = None,
        point: Optional[Tuple[float, float]] = None,
        contact_name: Optional[str] = None,
        contact_phone: Optional[str] = None,
    ) -> Tuple[int, bool]:
        """Records a request (jszb_engine_submit). Returns (case id, created):
        created is False when (channel, channel_ref) was known already, and
        then nothing changed."""
        intake = _ffi.jszb_intake()
        intake.version = _ffi.INTAKE_VERSION
        intake.time_ms = to_ms(time, "time")
        intake.actor = _actor("actor", actor)
        intake.channel = _enum_arg("channel", Channel, channel)
        intake.kind = _enum_arg("kind", Kind, kind)
        intake.urgency = _enum_arg("urgency", Urgency, urgency, optional=True)
        # The struct keeps references to these, but hold them here as well so
        # their lifetime is plain to see: they must outlive the call.
        keep = {
            "channel_ref": _encode("channel_ref", channel_ref, required=True),
            "district": _encode("district", district),
            "street": _encode("street", street),
            "community": _encode("community", community),
            "address": _encode("address", address),
            "content": _encode("content", content, required=True),
            "contact_name": _encode("contact_name", contact_name),
            "contact_phone": _encode("contact_phone", contact_phone),
        }
        for name, value in keep.items():
            setattr(intake, name, value)
        levels = _category(category)
        for i, level in enumerate(levels):
            intake.category[i] = level
        intake.has_point, intake.lat, intake.lon = _point(point)

        case_id = c_uint64()
        created = c_int()
        self._call(lib.jszb_engine_submit, byref(intake), byref(case_id), byref(created))
        del keep, levels
        return case_id.value, bool(created.value)

    def submit(self, **intake: Any) -> int:
        """Records a request and returns its case id (see submit_ex)."""
        return self.submit_ex(**intake)[0]

    # -------------------------------------------------------------- commands

    def apply(
        self,
        kind: Union[CommandKind, int],
        case_id: int,
        time: Time,
        actor: Actor,
        **payload: Any,
    ) -> None:
        """Applies one command (jszb_engine_apply). payload: the jszb_payload
        fields the command uses (unit, mode, copy_to, units, reason, level,
        contacted, solved, valid_visit, satisfaction, visit_method, until,
        other_case, text); the others must be left out. request_id: the
        client's id for this command; a retry with an id already committed is
        accepted and not applied again."""
        unknown = set(payload) - PAYLOAD_FIELDS
        if unknown:
            raise TypeError(f"unknown payload field(s): {', '.join(sorted(unknown))}")
        if "until" in payload and "until_ms" in payload:
            raise TypeError("give until or until_ms, not both")

        cmd = _ffi.jszb_command()
        cmd.version = _ffi.COMMAND_VERSION
        cmd.kind = _enum_arg("kind", CommandKind, kind)
        cmd.case_id = _uint64("case_id", case_id)
        cmd.time_ms = to_ms(time, "time")
        cmd.actor = _actor("actor", actor)

        p = cmd.payload
        p.unit = check_uint32("unit", payload.get("unit", 0))
        p.mode = _enum_arg("mode", DispatchMode, payload.get("mode"), optional=True)
        copy_to, p.copy_to_count = _unit_array("copy_to", payload.get("copy_to"))
        units, p.units_count = _unit_array("units", payload.get("units"))
        p.copy_to = ctypes.cast(copy_to, POINTER(c_uint32)) if copy_to is not None else None
        p.units = ctypes.cast(units, POINTER(c_uint32)) if units is not None else None
        p.reason = _enum_arg("reason", NotDispatchedReason, payload.get("reason"), optional=True)
        p.level = _enum_arg("level", SupervisionLevel, payload.get("level"), optional=True)
        p.contacted = _flag("contacted", payload.get("contacted", False))
        p.solved = _flag("solved", payload.get("solved", False))
        p.valid_visit = _flag("valid_visit", payload.get("valid_visit", False))
        p.satisfaction = _enum_arg(
            "satisfaction", Satisfaction, payload.get("satisfaction"), optional=True
        )
        p.visit_method = _enum_arg(
            "visit_method", VisitMethod, payload.get("visit_method"), optional=True
        )
        until = payload.get("until", payload.get("until_ms"))
        p.until_ms = 0 if until is None else to_ms(until, "until")
        p.other_case = _uint64("other_case", payload.get("other_case", 0))
        text = _encode("text", payload.get("text"))
        p.text = text
        request_id = _encode("request_id", payload.get("request_id"))
        p.request_id = request_id

        self._call(lib.jszb_engine_apply, byref(cmd))
        del copy_to, units, text, request_id  # alive until here: the library reads them during the call

    # One method per command. Each takes (case_id, time, actor) and, as keywords,
    # the payload fields that command uses.

    def answer_on_spot(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Centre: answered during the call (直接办结)."""
        self.apply(CommandKind.ANSWER_ON_SPOT, case_id, time, actor, text=text)

    def not_dispatch(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        reason: Union[NotDispatchedReason, int],
        other_case: int = 0,
        text: Optional[str] = None,
    ) -> None:
        """Centre: not dispatched, with an Art. 11 reason (other_case: the
        original, for a duplicate)."""
        self.apply(
            CommandKind.NOT_DISPATCH, case_id, time, actor,
            reason=reason, other_case=other_case, text=text,
        )

    def dispatch(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        unit: int,
        copy_to: Iterable[int] = (),
        units: Iterable[int] = (),
        mode: Union[DispatchMode, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Centre: send to the lead unit (派单), copying copy_to, with co-handling units."""
        self.apply(
            CommandKind.DISPATCH, case_id, time, actor,
            unit=unit, copy_to=copy_to, units=units, mode=mode, text=text,
        )

    def request_return(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Owner: dispute the dispatch (退单), with the reason."""
        self.apply(CommandKind.REQUEST_RETURN, case_id, time, actor, text=text)

    def approve_return(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        unit: int,
        copy_to: Iterable[int] = (),
        units: Iterable[int] = (),
        mode: Union[DispatchMode, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Reviewer: re-dispatch (改派) to another unit; the owner is then fixed."""
        self.apply(
            CommandKind.APPROVE_RETURN, case_id, time, actor,
            unit=unit, copy_to=copy_to, units=units, mode=mode, text=text,
        )

    def refuse_return(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: the owner stays, and is fixed."""
        self.apply(CommandKind.REFUSE_RETURN, case_id, time, actor, text=text)

    def sign(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Owner: sign for the order (签收)."""
        self.apply(CommandKind.SIGN, case_id, time, actor, text=text)

    def contact_citizen(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Owner: contacted the citizen."""
        self.apply(CommandKind.CONTACT_CITIZEN, case_id, time, actor, text=text)

    def add_co_handlers(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        units: Iterable[int],
        text: Optional[str] = None,
    ) -> None:
        """Owner (吹哨) or centre (加派): units join as co-handlers."""
        self.apply(CommandKind.ADD_CO_HANDLERS, case_id, time, actor, units=units, text=text)

    def report_to_lead(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Co-handler: report back to the lead unit (报到)."""
        self.apply(CommandKind.REPORT_TO_LEAD, case_id, time, actor, text=text)

    def request_extension(
        self, case_id: int, time: Time, actor: Actor, *, until: Time, text: str
    ) -> None:
        """Owner: ask for a new reply deadline (延期)."""
        self.apply(CommandKind.REQUEST_EXTENSION, case_id, time, actor, until=until, text=text)

    def approve_extension(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        until: Optional[Time] = None,
        text: Optional[str] = None,
    ) -> None:
        """Reviewer: grant the extension (until=None: as requested)."""
        self.apply(CommandKind.APPROVE_EXTENSION, case_id, time, actor, until=until, text=text)

    def refuse_extension(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: refuse the extension."""
        self.apply(CommandKind.REFUSE_EXTENSION, case_id, time, actor, text=text)

    def suspend(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: suspend (挂起); the clock stops."""
        self.apply(CommandKind.SUSPEND, case_id, time, actor, text=text)

    def resume(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Owner or centre: resume a suspended case."""
        self.apply(CommandKind.RESUME, case_id, time, actor, text=text)

    def supervise(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        level: Union[SupervisionLevel, int],
        unit: int = 0,
        text: Optional[str] = None,
    ) -> None:
        """Centre or system: supervision (督办) at a level, by an optional unit."""
        self.apply(CommandKind.SUPERVISE, case_id, time, actor, level=level, unit=unit, text=text)

    def reply(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        text: str,
        contacted: bool = False,
        solved: bool = False,
    ) -> None:
        """Owner: reply (反馈): was the citizen contacted, is it solved, public text."""
        self.apply(
            CommandKind.REPLY, case_id, time, actor, text=text, contacted=contacted, solved=solved
        )

    def visit(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        valid_visit: bool = True,
        contacted: bool = False,
        solved: bool = False,
        satisfaction: Union[Satisfaction, int, None] = None,
        visit_method: Union[VisitMethod, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Centre: the return visit (回访). A valid visit needs a satisfaction;
        valid_visit=False records that no valid visit was possible."""
        self.apply(
            CommandKind.VISIT, case_id, time, actor,
            valid_visit=valid_visit, contacted=contacted, solved=solved,
            satisfaction=satisfaction, visit_method=visit_method, text=text,
        )

    def redo(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Centre: send back to handling (重办) after an unsolved/unsatisfied visit."""
        self.apply(CommandKind.REDO, case_id, time, actor, text=text)

    def terminate(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: terminate (终止), with the reason."""
        self.apply(CommandKind.TERMINATE, case_id, time, actor, text=text)

    def close_case(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Centre: close the case (办结). Named close_case because close()
        closes the engine."""
        self.apply(CommandKind.CLOSE, case_id, time, actor, text=text)

    def appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """A unit the visit result is scored for disputes it (申诉), once; the
        centre must decide within the policy's appeal-review deadline."""
        self.apply(CommandKind.APPEAL, case_id, time, actor, text=text)

    def uphold_appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: the appeal holds; the visit result leaves scoring."""
        self.apply(CommandKind.UPHOLD_APPEAL, case_id, time, actor, text=text)

    def reject_appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: the visit result stands."""
        self.apply(CommandKind.REJECT_APPEAL, case_id, time, actor, text=text)

    def reopen(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Centre: reopen a closed or answered case (back to received)."""
        self.apply(CommandKind.REOPEN, case_id, time, actor, text=text)

    def merge(
        self, case_id: int, time: Time, actor: Actor, *, other_case: int, text: Optional[str] = None
    ) -> None:
        """Centre: merge this case into other_case."""
        self.apply(CommandKind.MERGE, case_id, time, actor, other_case=other_case, text=text)

    # ---------------------------------------------------------------- replay

    def replay_json(self, event: Union[str, Mapping[str, Any]]) -> None:
        """Applies a recorded jszb.v1.Event given as JSON text or as a dict."""
        if isinstance(event, Mapping):
            text = json.dumps(event, ensure_ascii=False)
        elif isinstance(event, str):
            text = event
        else:
            raise TypeError(f"event must be str or dict, not {type(event).__name__}")
        data = _encode("event", text)
        self._call(lib.jszb_engine_replay_json, data)

    def replay_proto(self, event: Union[bytes, bytearray, memoryview]) -> None:
        """Applies a recorded jszb.v1.Event given as protobuf bytes."""
        if not isinstance(event, (bytes, bytearray, memoryview)):
            raise TypeError(f"event must be bytes, not {type(event).__name__}")
        data = bytes(event)
        buf = ctypes.create_string_buffer(data, len(data))
        self._call(lib.jszb_engine_replay_proto, buf, len(data))

    # ------------------------------------------------------------- listeners

    def add_listener(self, fn: Listener) -> int:
        """Calls fn(event) for every event from now on, in order, right after
        it is applied. fn must not change this engine (that raises jszb.Busy).
        If fn raises, the engine call that produced the event raises
        jszb.ListenerError from it (the event stays applied)."""
        if not callable(fn):
            raise TypeError(f"listener must be callable, not {type(fn).__name__}")
        listener_id = [0]
        cfn = _trampoline(fn, self._failures, listener_id)
        out = c_uint64()
        self._call(lib.jszb_engine_add_listener, cfn, None, byref(out))
        listener_id[0] = out.value
        self._listeners[out.value] = cfn  # the library holds only the C pointer
        return out.value

    def remove_listener(self, listener_id: int) -> None:
        """Stops a listener; jszb.NotFound if there is no such listener."""
        self._call(lib.jszb_engine_remove_listener, _uint64("listener_id", listener_id))
        self._listeners.pop(listener_id, None)

    # ----------------------------------------------------------------- cases

    @property
    def case_count(self) -> int:
        out = c_uint64()
        self._call(lib.jszb_engine_case_count, byref(out), reads=True)
        return out.value

    def __len__(self) -> int:
        return self.case_count

    def _with_case(self, case_id: int, read: Callable[[Any], Any]) -> Any:
        """Takes a snapshot of the case, calls read(snapshot), frees it."""
        case_id = _uint64("case_id", case_id)
        with self._lock:
            snap = POINTER(_ffi.jszb_case)()
            self._call(lib.jszb_engine_get_case, case_id, byref(snap), reads=True)
            try:
                return read(snap)
            finally:
                lib.jszb_case_free(snap)

    def case(self, case_id: int) -> Case:
        """The case as it stands now, with its events (jszb.NotFound if none)."""

        def read(snap: Any) -> Case:
            info = lib.jszb_case_get_info(snap)
            if not info:
                raise Error("jszb_case_get_info returned NULL", code=Code.INTERNAL)
            events = tuple(Event.from_c(e.contents) for e in _events(snap))
            return Case.from_c(info.contents, events)

        return self._with_case(case_id, read)

    def __contains__(self, case_id: object) -> bool:
        if isinstance(case_id, bool) or not isinstance(case_id, int):
            return False
        if not 1 <= case_id <= UINT64_MAX:
            return False
        # The first id above case_id - 1 is case_id exactly when it exists.
        return self.list_cases(after=case_id - 1, limit=1) == [case_id]

    def case_json(self, case_id: int) -> Dict[str, Any]:
        """The case as a jszb.v1.Case in JSON (with its events), parsed."""

        def read(snap: Any) -> Dict[str, Any]:
            out = POINTER(c_char)()
            _check(lib.jszb_case_to_json(snap, byref(out)))
            return json.loads(_ffi.take_string(out))

        return self._with_case(case_id, read)

    def case_proto(self, case_id: int) -> bytes:
        """The case as jszb.v1.Case protobuf bytes (with its events)."""

        def read(snap: Any) -> bytes:
            out, size = c_void_p(), c_size_t()
            _check(lib.jszb_case_to_proto(snap, byref(out), byref(size)))
            return _ffi.take_bytes(out, size.value)

        return self._with_case(case_id, read)

    def events_json(self, case_id: int) -> List[Dict[str, Any]]:
        """Every event of the case as a jszb.v1.Event in JSON, parsed: what
        replay_json() takes."""

        def read(snap: Any) -> List[Dict[str, Any]]:
            result = []
            for event in _events(snap):
                out = POINTER(c_char)()
                _check(lib.jszb_event_to_json(event, byref(out)))
                result.append(json.loads(_ffi.take_string(out)))
            return result

        return self._with_case(case_id, read)

    def events_proto(self, case_id: int) -> List[bytes]:
        """Every event of the case as jszb.v1.Event protobuf bytes: what
        replay_proto() takes."""

        def read(snap: Any) -> List[bytes]:
            result = []
            for event in _events(snap):
                out, size = c_void_p(), c_size_t()
                _check(lib.jszb_event_to_proto(event, byref(out), byref(size)))
                result.append(_ffi.take_bytes(out, size.value))
            return result

        return self._with_case(case_id, read)

    def list_cases(
        self,
        state: Union[State, int, None] = None,
        unit: Optional[int] = None,
        after: int = 0,
        limit: int = 0,
        *,
        district: Optional[str] = None,
        street: Optional[str] = None,
        community: Optional[str] = None,
        category: Union[str, Sequence[str], None] = None,
        received_from: Optional[Time] = None,
        received_until: Optional[Time] = None,
        due_from: Optional[Time] = None,
        due_until: Optional[Time] = None,
    ) -> List[int]:
        """Ids of matching cases in ascending order; every criterion given must
        match. unit matches the lead, a copied or a co-handling unit; district,
        street and community the area as the intake named it; category a path
        prefix; received_* the time received and due_* the running reply
        deadline, each as [from, until). after and limit page through the
        result (limit 0: no limit)."""
        filt = _ffi.jszb_case_filter()
        filt.version = _ffi.CASE_FILTER_VERSION
        filt.state = _enum_arg("state", State, state, optional=True)
        filt.unit = check_uint32("unit", 0 if unit is None else unit)
        filt.after_id = _uint64("after", after)
        filt.limit = _uint64("limit", limit)
        filt.district = _encode("district", district)
        filt.street = _encode("street", street)
        filt.community = _encode("community", community)
        if category is not None:
            for i, level in enumerate(_category(category)):
                filt.category[i] = level
        filt.received_from_ms = 0 if received_from is None else to_ms(received_from, "received_from")
        filt.received_until_ms = (
            0 if received_until is None else to_ms(received_until, "received_until")
        )
        filt.due_from_ms = 0 if due_from is None else to_ms(due_from, "due_from")
        filt.due_until_ms = 0 if due_until is None else to_ms(due_until, "due_until")
        ids = POINTER(c_uint64)()
        count = c_size_t()
        self._call(lib.jszb_engine_list_cases, byref(filt), byref(ids), byref(count), reads=True)
        try:
            return [ids[i] for i in range(count.value)]
        finally:
            if ids:
                lib.jszb_free(ctypes.cast(ids, c_void_p))

    # -------------------------------------------------------------- policies

    def set_policy(self, policy: Policy) -> None:
        """Makes policy the current one: new cases run under it (it times and
        routes them); cases keep the version they were received under. The
        engine keeps its own reference, so policy may be closed afterwards. A
        different policy under a version already loaded is jszb.InvalidArgument."""
        if not isinstance(policy, Policy):
            raise TypeError(f"policy must be a jszb.Policy, not {type(policy).__name__}")
        # Engine lock first, then the policy's: the order every path takes.
        with self._lock, policy._lock:
            self._call(lib.jszb_engine_set_policy, policy._live())
            self._policy = policy

    @property
    def policy(self) -> Optional[Policy]:
        """The Policy last given to set_policy() (None before): new cases run under it."""
        return self._policy

    # --------------------------------------------------------------- routing

    def _routing(
        self, fn: Callable[..., int], case_id: int
    ) -> Tuple[Optional[Route], Tuple[RuleVerdict, ...]]:
        out = POINTER(_ffi.jszb_routing)()
        with self._lock:
            self._call(fn, _uint64("case_id", case_id), byref(out))
            try:
                verdicts = tuple(
                    RuleVerdict.from_c(lib.jszb_routing_verdict(out, i).contents)
                    for i in range(lib.jszb_routing_verdict_count(out))
                )
                decision = lib.jszb_routing_decision(out)
                route = Route.from_c(decision.contents, verdicts) if decision else None
                return route, verdicts
            finally:
                lib.jszb_routing_free(out)

    def route(self, case_id: int) -> Route:
        """How the case would be routed (nothing changes): by the router if
        one is set, else by its policy's dispatch catalogue. Route.verdicts
        holds the catalogue's verdict on every rule whenever the case runs
        under a policy (also when a router decided). No rule applies (no
        area, say): jszb.StateError naming the case."""
        route, _ = self._routing(lib.jszb_engine_route, case_id)
        if route is None:  # jszb.h: route fails rather than decide nothing
            raise Error("jszb_engine_route succeeded without a decision", code=Code.INTERNAL)
        return route

    def explain(self, case_id: int) -> Tuple[Optional[Route], Tuple[RuleVerdict, ...]]:
        """The catalogue's verdict on every rule, and the decision (None when
        no rule applies). Needs a policy: jszb.StateError for a case without.
        Note: the library also asks the router, if one is set, for the
        decision (so a router that raises makes this raise jszb.RouterError)."""
        return self._routing(lib.jszb_engine_explain, case_id)

    def dispatch_routed(self, case_id: int, time: Time, actor: Actor) -> None:
        """Routes the case and applies the decision as actor's command:
        dispatch, dispatch to the district to coordinate, or not dispatched.
        The event's payload.rule names the rule (or router) that decided."""
        self._call(
            lib.jszb_engine_dispatch_routed,
            _uint64("case_id", case_id),
            to_ms(time, "time"),
            _actor("actor", actor),
        )

    def set_router(self, router: Optional[Router]) -> None:
        """Routes with router(case) instead of the policy's catalogue; None:
        back to the catalogue. The router gets the Case (without events) and
        returns a jszb.RouteDecision, a jszb.Route or a dict of
        RouteDecision's fields; to refuse, it raises. The engine call that
        routed then raises jszb.RouterError from the router's exception, and
        nothing is applied. A router may read the engine (case(), list_cases())
        but not change it: that raises jszb.Busy."""
        if router is not None and not callable(router):
            raise TypeError(f"router must be callable or None, not {type(router).__name__}")
        # jszb_router_fn() is the NULL function pointer: ctypes refuses None here.
        if router is None:
            cfn = _ffi.jszb_router_fn()
        else:
            cfn = _router_trampoline(router, self._failures)
        self._call(lib.jszb_engine_set_router, cfn, None)
        self._router = None if router is None else cfn  # the library holds only the C pointer

    # ------------------------------------------------------- deadlines, timers

    def deadlines(self, case_id: int, now: Time) -> List[DeadlineStatus]:
        """The case's running deadlines measured at now."""
        out = POINTER(_ffi.jszb_deadline_status)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_case_deadlines,
            _uint64("case_id", case_id),
            to_ms(now, "now"),
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [DeadlineStatus.from_c(out[i]) for i in range(count.value)]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def advance(self, now: Time) -> None:
        """Fires every escalation mark due at or before now, in time order:
        deadline warnings, breaches, ladder levels (supervision), automatic
        returns, each an event to listeners. (A case's marks also fire before
        any command on it.)"""
        self._call(lib.jszb_engine_advance, to_ms(now, "now"))

    @property
    def timers_pending(self) -> int:
        """Cases with an escalation pending."""
        out = c_uint64()
        self._call(lib.jszb_engine_timers_pending, byref(out), reads=True)
        return out.value


def _events(snap: Any) -> Iterable["ctypes._Pointer[_ffi.jszb_event]"]:
    """The snapshot's events, as library pointers valid while snap is."""
    i = 0
    while True:
        event = lib.jszb_case_get_event(snap, i)
        if not event:
            return
        yield event
        i += 1


def _last_error(rc: int) -> Error:
    """The exception for return code rc, described by jszb_error_last()."""
    err = lib.jszb_error_last().contents
    message = "" if err.message is None else err.message.decode("utf-8", "replace")
    if err.code != rc:
        # Should not happen: the error state describes some other failure.
        return error_for(
            rc, f"jszb call failed with code {rc} (jszb_error_last() says {err.code}: {message})",
            0, 0, 0,
        )
    return error_for(rc, message, err.state, err.command, err.refusal)


def _raise_last(rc: int) -> None:
    raise _last_error(rc)


def _check(rc: int) -> None:
    if rc != 0:
        _raise_last(rc)
