"""The plumbing every Engine call goes through, shared by the Engine mixins:
the engine's state, the locked library call that turns failures into
exceptions, and the C callbacks through which the library calls Python
listeners and the router.

Kept apart from engine.py so that the mixins (_commands, _queries,
_store_ops) can derive from it without importing the Engine they are part of.
"""
from __future__ import annotations

import ctypes
import threading
from ctypes import POINTER, c_uint32
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _ffi
from ._arguments import _encode, _unit_array
from .enums import Code
from .errors import Busy, EngineClosed, Error, ListenerError, RouterError, check
from .model import Case, Event, RouteDecision
from .policy import Policy

__all__ = [
    "Listener",
    "Router",
    "_ListenerFailures",
    "_EngineCore",
    "_trampoline",
    "_router_trampoline",
]

Listener = Callable[[Event], Any]
# A router gets the case (without its events) and returns a RouteDecision, a
# Route or a dict of RouteDecision's fields; it refuses by raising.
Router = Callable[[Case], Any]


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


class _EngineCore:
    """What every part of Engine relies on: the state Engine.__init__ sets up,
    _live() and _call(). The command, query and store mixins derive from it so
    that each of them is complete on its own for readers and type checkers."""

    _handle: Optional["ctypes._Pointer[_ffi.jszb_engine]"]
    _lock: threading.RLock
    _depth: int  # engine calls in progress on the lock's thread
    _failures: _ListenerFailures
    _listeners: Dict[int, Any]  # id -> CFUNCTYPE object, kept alive
    _router: Any  # the router's CFUNCTYPE object, kept alive
    _policy: Optional[Policy]
    _path: Optional[str]

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
            error: Optional[Error] = None
            try:
                rc = fn(handle, *args)
                try:
                    check(rc)
                except Error as exc:
                    # Raised below, once the callbacks' failures are sorted out.
                    error = exc
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
