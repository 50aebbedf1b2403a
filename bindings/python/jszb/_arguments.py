"""Checking and converting Engine's Python arguments into what the C ABI takes.

Every converter raises TypeError or ValueError naming the argument, so a bad
argument is reported before the library is called, never as a C failure (or,
worse, a value ctypes truncated without a word).
"""
from __future__ import annotations

from ctypes import c_uint32
from enum import IntEnum
from typing import Any, Iterable, List, Optional, Tuple, Type

from . import _ffi
from .model import INT32_MAX, INT32_MIN, Actor, check_uint32

__all__ = [
    "UINT64_MAX",
    "_encode",
    "_enum_arg",
    "_uint64",
    "_int32",
    "_flag",
    "_actor",
    "_unit_array",
    "_category",
    "_point",
]

UINT64_MAX = 2**64 - 1


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


def _int32(what: str, value: Any) -> int:
    """An int argument the C ABI takes as int: checked here, since ctypes would
    silently keep only the low 32 bits of a larger one. Its range is the library's to check."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not INT32_MIN <= value <= INT32_MAX:
        raise ValueError(f"{what} is {value}: expected {INT32_MIN}..{INT32_MAX}")
    return int(value)


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
