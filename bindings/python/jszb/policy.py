"""jszb.Policy: units, work calendar, street areas, dispatch catalogue,
deadline rules and escalation ladder (the jszb.v1.Policy schema in protobuf
text format), and its work calendar.

    with jszb.Policy.default() as policy:
        eng.set_policy(policy)          # the engine keeps its own reference
        policy.calendar.is_working_day(date(2024, 2, 18))   # True: a make-up Sunday

A policy is immutable in the library and may be shared by engines and threads.
"""
from __future__ import annotations

import ctypes
import os
import threading
from ctypes import POINTER, byref, c_int, c_int64
from datetime import date, datetime, timedelta
from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple, Union, overload

from . import _ffi
from ._ffi import lib
from .enums import UnitClass
from .errors import PolicyClosed, check
from .model import INT64_MAX, INT64_MIN, Time, check_uint32, to_datetime, to_ms

__all__ = ["Policy", "Calendar", "Duration", "Unit"]

# A length of time: int milliseconds or a timedelta.
Duration = Union[int, timedelta]


def _text(what: str, value: Any, *, optional: bool = False) -> Optional[bytes]:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character")
    return value.encode("utf-8")


def _path(what: str, value: Any) -> bytes:
    if isinstance(value, bytes):
        raise TypeError(f"{what} must be str or os.PathLike, not bytes")
    try:
        text = os.fspath(value)
    except TypeError:
        raise TypeError(f"{what} must be str or os.PathLike, not {type(value).__name__}") from None
    return _text(what, text)  # type: ignore[return-value]


def _duration_ms(value: Any, what: str) -> int:
    if isinstance(value, timedelta):
        # Exact integer arithmetic, like to_ms(); sub-millisecond digits drop.
        ms = (value.days * 86_400 + value.seconds) * 1000 + value.microseconds // 1000
    elif isinstance(value, int) and not isinstance(value, bool):
        ms = value
    else:
        raise TypeError(
            f"{what} must be int milliseconds or a timedelta, not {type(value).__name__}"
        )
    if not INT64_MIN <= ms <= INT64_MAX:
        raise ValueError(f"{what} is {ms} ms: outside the range of int64")
    return ms


@dataclass(frozen=True)
class Unit:
    """A unit of a policy (jszb_unit)."""

    code: int
    name: str
    unit_class: UnitClass
    district: int  # streets, district departments, communities: their district's code
    street: int = 0  # communities: their street's code
    national_code: int = 0  # communities: the 12-digit national code (code is jszb's own)

    @classmethod
    def from_c(cls, u: _ffi.jszb_unit) -> "Unit":
        return cls(
            u.code,
            u.name.decode("utf-8"),
            UnitClass(u.unit_class),
            u.district,
            u.street,
            u.national_code,
        )


class Policy:
    """A loaded policy (jszb_policy). Build one with Policy.default(),
    Policy.load(text) or Policy.load_file(path); a policy the library refuses
    raises jszb.InvalidArgument whose message lists every problem as
    file:line, one per line.

    close() frees it (engines it was given to keep their own reference); it is
    also a context manager.
    """

    def __init__(self, handle: "ctypes._Pointer[_ffi.jszb_policy]") -> None:
        # Use the constructors; this takes ownership of a library handle.
        self._handle: Optional["ctypes._Pointer[_ffi.jszb_policy]"] = handle
        self._lock = threading.Lock()
        raw = lib.jszb_policy_name(handle)
        # Copied now: both are fixed for the policy's life, and stay readable after close().
        self._name = "" if raw is None else raw.decode("utf-8")
        self._version = int(lib.jszb_policy_version(handle))

    # ---------------------------------------------------------- constructors

    @classmethod
    def _make(cls, load: Callable[[Any], int]) -> "Policy":
        handle = POINTER(_ffi.jszb_policy)()
        check(load(byref(handle)))
        return cls(handle)

    @classmethod
    def default(cls) -> "Policy":
        """The built-in policy: Beijing practice (16 districts and their
        streets, China's official calendar 2019-2026, a provisional one to
        2030)."""
        return cls._make(lib.jszb_policy_default)

    @classmethod
    def load(
        cls,
        text: str,
        name: str = "policy",
        base_dir: Union[str, "os.PathLike[str]", None] = None,
    ) -> "Policy":
        """A policy from its text. name is used in messages (name:line). The
        files the policy names (calendar_file, areas_file) are read from
        base_dir, or, when it is None, from the files built into the library
        (e.g. "china-calendar.textproto")."""
        data = _text("text", text)
        label = _text("name", name)
        folder = None if base_dir is None else _path("base_dir", base_dir)
        if folder == b"":
            # The library would take "" as NULL: the built-in files, not the cwd.
            raise ValueError("base_dir is empty: give a directory, or None for the built-in files")
        return cls._make(lambda out: lib.jszb_policy_load(label, data, folder, out))

    @classmethod
    def load_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Policy":
        """A policy from a file; the files it names are read from its directory."""
        raw = _path("path", path)
        return cls._make(lambda out: lib.jszb_policy_load_file(raw, out))

    # -------------------------------------------------------------- lifetime

    def close(self) -> None:
        """Frees the policy. Idempotent; later use raises jszb.PolicyClosed."""
        with self._lock:
            handle, self._handle = self._handle, None
            if handle is not None:
                lib.jszb_policy_free(handle)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Policy":
        self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if getattr(self, "_handle", None) is not None:
                lib.jszb_policy_free(self._handle)
                self._handle = None
        except Exception:  # interpreter shutdown
            pass

    def __repr__(self) -> str:
        state = " closed" if self._handle is None else ""
        return f"<jszb.Policy {self._name!r} version={self._version}{state}>"

    def _live(self) -> "ctypes._Pointer[_ffi.jszb_policy]":
        if self._handle is None:
            raise PolicyClosed(f"the policy {self._name!r} is closed")
        return self._handle

    def _call(self, fn: Callable[..., int], *args: Any) -> None:
        # The lock only keeps close() from freeing the handle during a call.
        with self._lock:
            check(fn(self._live(), *args))

    # ------------------------------------------------------------ properties

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> int:
        """The policy's version: cases and events record it."""
        return self._version

    @property
    def units(self) -> Tuple[Unit, ...]:
        """Every unit of the policy, in its order."""
        with self._lock:
            handle = self._live()
            n = lib.jszb_policy_unit_count(handle)
            return tuple(Unit.from_c(lib.jszb_policy_unit(handle, i).contents) for i in range(n))

    def unit(self, code: int) -> Optional[Unit]:
        """The unit with this code, or None."""
        check_uint32("code", code)
        with self._lock:
            found = lib.jszb_policy_find_unit(self._live(), code)
            return Unit.from_c(found.contents) if found else None

    @property
    def calendar(self) -> "Calendar":
        """The policy's work calendar."""
        self._live()
        return Calendar(self)


class Calendar:
    """A policy's work calendar, in its local time (China: UTC+8).

    Instants are int ms since the Unix epoch or aware datetimes, as elsewhere
    in the package; results come back as the same kind as the instant given
    (a datetime in the given datetime's zone), and durations likewise as int
    ms or a timedelta. Outside the years the calendar knows calls raise
    jszb.OutOfRange; the built-in one knows 2019-2026 from the official
    notices and 2027-2030 provisionally (weekends and the statutory holidays,
    no make-up days; deadlines there are marked estimated).
    """

    def __init__(self, policy: Policy) -> None:
        self._policy = policy  # keeps the policy (and its handle) alive

    @property
    def policy(self) -> Policy:
        return self._policy

    def __repr__(self) -> str:
        return f"<jszb.Calendar of {self._policy!r}>"

    def is_working_day(self, day: date) -> bool:
        """Whether day (the calendar's local date) is a working day: holidays
        are not, make-up days (调休) on a weekend are."""
        if isinstance(day, datetime) or not isinstance(day, date):
            # A datetime's date depends on a zone: the caller must pick it.
            raise TypeError(
                "day must be a datetime.date in the calendar's local time, "
                f"not {type(day).__name__}"
            )
        out = c_int()
        self._policy._call(
            lib.jszb_calendar_is_working_day, day.year, day.month, day.day, byref(out)
        )
        return bool(out.value)

    @overload
    def next_working_instant(self, t: int) -> int: ...
    @overload
    def next_working_instant(self, t: datetime) -> datetime: ...

    def next_working_instant(self, t: Time) -> Time:
        """The first instant at or after t inside working hours."""
        return self._instant(t, lib.jszb_calendar_next_working_instant)

    @overload
    def add_working_days(self, t: int, n: int) -> int: ...
    @overload
    def add_working_days(self, t: datetime, n: int) -> datetime: ...

    def add_working_days(self, t: Time, n: int) -> Time:
        """n working days after t, at the same point of the working day."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if not INT64_MIN <= n <= INT64_MAX:
            raise ValueError(f"n is {n}: outside the range of int64")
        return self._instant(t, lib.jszb_calendar_add_working_days, n)

    @overload
    def add_working_time(self, t: int, duration: Duration) -> int: ...
    @overload
    def add_working_time(self, t: datetime, duration: Duration) -> datetime: ...

    def add_working_time(self, t: Time, duration: Duration) -> Time:
        """When duration (int ms or a timedelta) of working time has passed since t."""
        duration_ms = _duration_ms(duration, "duration")
        return self._instant(t, lib.jszb_calendar_add_working_time, duration_ms)

    @overload
    def working_time_between(self, a: int, b: int) -> int: ...
    @overload
    def working_time_between(self, a: datetime, b: datetime) -> timedelta: ...

    def working_time_between(self, a: Time, b: Time) -> Union[int, timedelta]:
        """Working time in [a, b): int ms for int instants, a timedelta for datetimes."""
        if isinstance(a, datetime) != isinstance(b, datetime):
            raise TypeError("give a and b as the same kind: both int ms or both aware datetimes")
        out = c_int64()
        self._policy._call(
            lib.jszb_calendar_working_time_between, to_ms(a, "a"), to_ms(b, "b"), byref(out)
        )
        return timedelta(milliseconds=out.value) if isinstance(a, datetime) else out.value

    def _instant(self, t: Time, fn: Callable[..., int], *args: Any) -> Time:
        out = c_int64()
        self._policy._call(fn, to_ms(t, "t"), *args, byref(out))
        if isinstance(t, datetime):
            return to_datetime(out.value, t.tzinfo)  # type: ignore[arg-type]
        return out.value

