"""jszb.Engine: one jszb engine (in memory, or on a durable store), driven from Python.

Every method converts and checks its Python arguments first (TypeError or
ValueError, before the library is called), fills the C struct, calls the
library and turns a nonzero return into the matching jszb.Error subclass.

Engine is put together from parts, each in a module of its own: the commands
(jszb/_commands.py: what changes the engine), the queries (jszb/_queries.py:
what only reads it), the store upkeep (jszb/_store_ops.py) and the bulk calls
(jszb/_bulk_calls.py: many commands per library call), all on the call
plumbing of jszb/_core.py. This module holds what concerns the engine as a
whole: opening and closing it, and batches (batch() yields the Engine itself).
"""
from __future__ import annotations

import contextlib
import ctypes
import threading
from ctypes import POINTER, byref, c_uint64
from typing import Any, Callable, Dict, Iterator, Optional, Tuple, Union

from . import _ffi
from ._arguments import UINT64_MAX, _encode, _flag, _uint64
from ._bulk_calls import _BulkCalls
from ._commands import PAYLOAD_FIELDS, _Commands
from ._core import Listener, Router, _ListenerFailures
from ._ffi import lib
from ._interchange import _Interchange
from ._open311 import _Open311
from ._ops import _Ops
from ._queries import _Queries
from ._store_ops import _StoreOps
from ._themes import _Themes
from .enums import Code, Sync
from .errors import Busy, Error, check
from .model import INT32_MAX, INT32_MIN
from .policy import Policy
from .results import RequestGroup, UnitScore, VerifyReport
from .ticket import Ticket

__all__ = [
    "Engine",
    "Listener",
    "Router",
    "VerifyReport",
    "UnitScore",
    "RequestGroup",
    "assessment_month",
    "bulletin_day",
    "render_report",
    "PAYLOAD_FIELDS",
    "UINT64_MAX",
]


def _store_options(
    synchronous: Union[str, Sync],
    read_only: bool,
    max_bytes: Optional[int],
    checkpoint_events: Optional[int],
    accept_lost_events: bool = False,
) -> _ffi.jszb_store_options:
    if isinstance(synchronous, str) and synchronous.upper() in Sync.__members__:
        synchronous = Sync[synchronous.upper()]
    if not isinstance(synchronous, Sync):
        raise ValueError(f"synchronous is {synchronous!r}: expected 'full' or 'normal' (jszb.Sync)")
    opts = _ffi.new_struct(_ffi.jszb_store_options)
    opts.synchronous = int(synchronous)
    opts.read_only = _flag("read_only", read_only)
    opts.max_bytes = _uint64("max_bytes", 0 if max_bytes is None else max_bytes)
    opts.checkpoint_events = _uint64(
        "checkpoint_events", 0 if checkpoint_events is None else checkpoint_events
    )
    opts.accept_lost_events = _flag("accept_lost_events", accept_lost_events)
    return opts


def _period(what: str, fn: Callable[..., int], *date: int) -> Tuple[int, int]:
    for value in date:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what}: year, month and day must be ints, not {value!r}")
        if not INT32_MIN <= value <= INT32_MAX:
            # ctypes would keep the low 32 bits: 2**32 + 20 would be the 20th.
            raise ValueError(f"{what}: {value} is not a year, month or day")
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    check(fn(*date, byref(lo), byref(hi)))
    return lo.value, hi.value


def assessment_month(year: int, month: int) -> Tuple[int, int]:
    """The assessment month ending on the 18th of (year, month), as [from, until)
    in ms: from the 19th of the month before, 00:00 China time."""
    return _period("assessment_month", lib.jszb_assessment_month, year, month)


def bulletin_day(year: int, month: int, day: int) -> Tuple[int, int]:
    """The daily bulletin's day, [from, until) in ms: noon to noon, China time."""
    return _period("bulletin_day", lib.jszb_bulletin_day, year, month, day)


def render_report(report_json: str, format: str) -> str:
    """A report given as JSON (Engine.report(..., format="json")) as "csv",
    "html" or "json" (see jszb_report_render): one report object, so figures
    taken from the JSON and the page cannot disagree. Raises InvalidArgument
    for JSON that is not a report, ValueError for an unknown format."""
    formats = {"json": 1, "csv": 2, "html": 3}
    if not isinstance(format, str) or format not in formats:
        raise ValueError(f"format is {format!r}: expected 'json', 'csv' or 'html'")
    if not isinstance(report_json, str):
        raise TypeError(f"report_json must be a str, not {report_json!r}")
    data = report_json.encode("utf-8")
    out = ctypes.c_void_p()
    check(lib.jszb_report_render(data, len(data), formats[format], byref(out)))
    try:
        return ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.jszb_free(out)


class Engine(_Commands, _BulkCalls, _Queries, _StoreOps, _Ops, _Themes, _Interchange, _Open311):
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
        accept_lost_events: bool = False,
    ) -> None:
        """path: a store file (created if missing) to keep the cases in; the
        engine is rebuilt from it (see Engine.open). Without a path the engine
        lives in memory and the store options do not apply."""
        self._set_up(None, None)
        opts = None
        if max_extensions is not None:
            if isinstance(max_extensions, bool) or not isinstance(max_extensions, int):
                raise TypeError(
                    f"max_extensions must be an int, not {type(max_extensions).__name__}"
                )
            if not INT32_MIN <= max_extensions <= INT32_MAX:
                raise ValueError(f"max_extensions is {max_extensions}: out of range")
            opts = _ffi.new_struct(_ffi.jszb_engine_options)
            opts.max_extensions = max_extensions
        handle = POINTER(_ffi.jszb_engine)()
        if path is None:
            rc = lib.jszb_engine_open(byref(opts) if opts is not None else None, byref(handle))
        else:
            if not isinstance(path, str):
                raise TypeError(f"path must be a str, not {type(path).__name__}")
            sopts = _store_options(
                synchronous, read_only, max_bytes, checkpoint_events, accept_lost_events
            )
            rc = lib.jszb_engine_open_store(
                _encode("path", path, required=True),
                byref(opts) if opts is not None else None,
                byref(sopts),
                byref(handle),
            )
        check(rc)
        self._handle = handle
        self._path = path

    def _set_up(self, handle: Any, path: Optional[str]) -> None:
        self._handle: Optional["ctypes._Pointer[_ffi.jszb_engine]"] = handle
        self._path = path
        self._lock = threading.RLock()
        self._depth = 0  # engine calls in progress on the lock's thread
        self._failures = _ListenerFailures()
        self._listeners: Dict[int, Any] = {}  # id -> CFUNCTYPE object, kept alive
        self._router: Any = None  # the router's CFUNCTYPE object, kept alive
        self._policy: Optional[Policy] = None

    @classmethod
    def _adopt(cls, handle: "ctypes._Pointer[_ffi.jszb_engine]", policy: Policy) -> "Engine":
        """An Engine owning a handle the library opened (a what-if replay's),
        whose current policy is `policy`."""
        eng = cls.__new__(cls)
        eng._set_up(handle, None)
        eng._policy = policy
        return eng

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
        accept_lost_events: bool = False,
    ) -> "Engine":
        """Opens a durable engine on the store file at path, creating it if
        need be, and rebuilds it from the store: the policies it ran under, the
        open cases and their timers. A call that changes the engine returns
        only once its events are committed. synchronous: "full" (the default:
        committed means on disk) or "normal" (survives a crash of the process;
        a power cut may lose the last commits). One writer per file, whatever
        name it is opened by (jszb.StoreLocked); read_only opens never wait for
        it, nor it for them, and read the store as it was when they opened.
        max_bytes caps the file's size (jszb.StorageError past it).
        accept_lost_events: open a store that has lost acknowledged events (a
        damaged WAL, a restored backup; refused otherwise, the message saying
        how many) with the events it has (docs/store.md)."""
        return cls(
            max_extensions,
            path=path,
            synchronous=synchronous,
            read_only=read_only,
            max_bytes=max_bytes,
            checkpoint_events=checkpoint_events,
            accept_lost_events=accept_lost_events,
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

    # --------------------------------------------------------------- batches

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

    def commit_async(self) -> Ticket:
        """Ends the open batch and hands it to the engine's writer thread,
        which commits it while this thread builds the next batch (the batch
        before is waited for first). Nothing of it is acknowledged before its
        ticket's wait() returns (or done is True and wait() does not raise);
        listeners hear of it then. If it fails, it and the batch applied on
        top of it are undone, both raising its error (jszb.h, "Pipelined
        commit")."""
        out = c_uint64()
        self._call(lib.jszb_engine_commit_async, byref(out))
        return Ticket(self, out.value)

    def wait(self, ticket: Union[Ticket, int]) -> None:
        """Blocks until the batch of `ticket` is durable; raises its error if
        it failed."""
        number = ticket.number if isinstance(ticket, Ticket) else ticket
        self._call(lib.jszb_engine_wait, _uint64("ticket", number))

    def poll(self) -> int:
        """Without blocking: the highest ticket number whose batch is durable
        or failed (0 before the first); telling listeners of a batch that
        became durable."""
        out = c_uint64()
        self._call(lib.jszb_engine_poll, byref(out))
        return out.value

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
