"""Exceptions: one class per jszb_code, all derived from jszb.Error, and
check(), which every library call in the package goes through to turn a
nonzero return code into one of them."""
from __future__ import annotations

from typing import Dict, Optional, Tuple, Type, TypeVar

from ._ffi import lib
from .enums import Code, CommandKind, Refusal, State

__all__ = [
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
    "CorruptStore",
    "StoreTooNew",
    "RequestConflict",
    "Cancelled",
    "EngineClosed",
    "PolicyClosed",
    "ListenerError",
    "RouterError",
    "error_for",
    "check",
]

E = TypeVar("E", State, CommandKind, Refusal)


def _member(cls: Type[E], value: int) -> Optional[E]:
    # 0 is "not a lifecycle refusal"; an unknown number (a newer library) is
    # reported as None rather than hiding the real error behind a ValueError.
    if value == 0:
        return None
    try:
        return cls(value)
    except ValueError:
        return None


class Error(Exception):
    """A failed jszb call.

    code: the jszb_code (Code), or None for failures found on the Python side
    (EngineClosed, ListenerError). state, command, refusal: for commands the
    lifecycle refused (StateError, Denied, Refused), the case's state, the
    command and the reason; None otherwise.
    """

    code: Optional[Code] = None

    def __init__(
        self,
        message: str,
        *,
        code: Optional[int] = None,
        state: Optional[State] = None,
        command: Optional[CommandKind] = None,
        refusal: Optional[Refusal] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            known = code in Code._value2member_map_
            self.code = Code(code) if known else code  # type: ignore[assignment]
        self.state = state
        self.command = command
        self.refusal = refusal

    def __str__(self) -> str:
        parts = []
        if self.code is not None:
            parts.append(self.code.name.lower() if isinstance(self.code, Code) else str(self.code))
        if self.command is not None:
            parts.append(f"command={self.command.name}")
        if self.state is not None:
            parts.append(f"state={self.state.name}")
        if self.refusal is not None:
            parts.append(f"refusal={self.refusal.name}")
        return f"{self.message} [{', '.join(parts)}]" if parts else self.message


class InvalidArgument(Error, ValueError):
    """JSZB_E_INVALID: an argument is malformed; the message names it."""

    code = Code.INVALID


class NotFound(Error, LookupError):
    """JSZB_E_NOT_FOUND: no such case (or listener, policy version, district)."""

    code = Code.NOT_FOUND


class StateError(Error):
    """JSZB_E_STATE: the case's state does not allow this command."""

    code = Code.STATE


class Denied(Error):
    """JSZB_E_DENIED: the actor's role or unit may not do this."""

    code = Code.DENIED


class Refused(Error):
    """JSZB_E_REFUSED: a lifecycle rule refuses it (see .refusal)."""

    code = Code.REFUSED


class Busy(Error):
    """JSZB_E_BUSY: called from inside a listener of the same engine."""

    code = Code.BUSY


class OutOfMemory(Error):
    """JSZB_E_NOMEM."""

    code = Code.NOMEM


class InternalError(Error):
    """JSZB_E_INTERNAL: a bug in jszb."""

    code = Code.INTERNAL


class OutOfRange(Error, ValueError):
    """JSZB_E_RANGE: a time outside the years the policy's calendar knows (the
    built-in one: 2019-2026, and provisionally to 2030). A ValueError: the
    argument, not the engine, is what is wrong, as with date(10000, 1, 1)."""

    code = Code.RANGE


class StorageError(Error, OSError):
    """JSZB_E_STORAGE: the store could not write (disk full, its size limit, a
    read-only file or store, an I/O error). Nothing of the call was written."""

    code = Code.STORAGE


class StoreLocked(Error):
    """JSZB_E_LOCKED: another process has the store open."""

    code = Code.LOCKED


class CorruptStore(Error):
    """JSZB_E_CORRUPT: the file is damaged, or not a jszb store."""

    code = Code.CORRUPT


class StoreTooNew(Error):
    """JSZB_E_VERSION: the store's schema is newer than this library."""

    code = Code.VERSION


class RequestConflict(Error, ValueError):
    """JSZB_E_CONFLICT: the command's request_id came with another command. A
    retry repeats its command exactly (and gets the original result); a new
    command needs a new request id."""

    code = Code.CONFLICT


class Cancelled(Error):
    """JSZB_E_CANCELLED: a progress callback stopped a long call; nothing
    changed. From Python, the callback's own exception is raised instead (a
    KeyboardInterrupt stays one), with this as its context."""

    code = Code.CANCELLED


class EngineClosed(Error, ValueError):
    """The engine was closed; like I/O on a closed file, this is a ValueError."""


class PolicyClosed(Error, ValueError):
    """The jszb.Policy was closed (engines that use it keep their own copy)."""


class ListenerError(Error):
    """A listener raised. The command that triggered it was applied all the same
    (listeners run after an event is recorded); the listener's exception is the
    __cause__, and .event is the event it was told about."""

    def __init__(self, message: str, *, listener_id: int, event: object) -> None:
        super().__init__(message)
        self.listener_id = listener_id
        self.event = event


class RouterError(Error):
    """A Python router (Engine.set_router) raised, or returned something that is
    not a decision. Nothing was applied; the router's exception is the
    __cause__. code and message are the library's (it saw the router refuse)."""

    def __init__(self, message: str, *, code: Optional[int], case_id: int) -> None:
        super().__init__(message, code=code)
        self.case_id = case_id


_BY_CODE: Dict[int, Type[Error]] = {
    Code.INVALID: InvalidArgument,
    Code.NOT_FOUND: NotFound,
    Code.STATE: StateError,
    Code.DENIED: Denied,
    Code.REFUSED: Refused,
    Code.BUSY: Busy,
    Code.NOMEM: OutOfMemory,
    Code.INTERNAL: InternalError,
    Code.RANGE: OutOfRange,
    Code.STORAGE: StorageError,
    Code.LOCKED: StoreLocked,
    Code.CORRUPT: CorruptStore,
    Code.VERSION: StoreTooNew,
    Code.CONFLICT: RequestConflict,
    Code.CANCELLED: Cancelled,
}


def error_for(rc: int, message: str, state: int, command: int, refusal: int) -> Error:
    """The exception for a nonzero return code, from jszb_error_last()'s fields."""
    cls = _BY_CODE.get(rc, Error)
    return cls(
        message or f"jszb call failed with code {rc}",
        code=rc,
        state=_member(State, state),
        command=_member(CommandKind, command),
        refusal=_member(Refusal, refusal),
    )


def _last_error_fields() -> Tuple[int, str, int, int, int]:
    """jszb_error_last() as it stands: code, message, state, command, refusal.
    For the bulk calls, whose return value is a count when items were refused."""
    err = lib.jszb_error_last().contents
    message = "" if err.message is None else err.message.decode("utf-8", "replace")
    return err.code, message, err.state, err.command, err.refusal


def check(rc: int) -> None:
    """Raises the jszb.Error subclass for a nonzero return code rc, described
    by jszb_error_last(); does nothing for 0. Call it right after the library
    call, on the same thread: the error state is per thread, and the next
    failing call on it replaces it."""
    if rc == 0:
        return
    err = lib.jszb_error_last().contents
    message = "" if err.message is None else err.message.decode("utf-8", "replace")
    if err.code != rc:
        # Should not happen: the error state describes some other failure.
        raise error_for(
            rc, f"jszb call failed with code {rc} (jszb_error_last() says {err.code}: {message})",
            0, 0, 0,
        )
    raise error_for(rc, message, err.state, err.command, err.refusal)
