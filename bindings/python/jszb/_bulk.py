"""Packing many commands (or requests) into C arrays for the bulk calls.

The point is speed: the caller's commands reach the library CHUNK at a time
(jszb_engine_apply_many), and filling the C array costs no Python work per
command and field. Each field is packed as a column: its values become one
array.array (converted in C), whose bytes are then spread into the structs'
field with a strided slice assignment of memoryviews. Strings, unit lists, actors and payload
mappings are converted once per distinct value in a chunk, then looked up.

Input comes as columns (name -> values), from tuples (_bulk_calls.py
transposes them) or a pandas DataFrame (its columns; numpy arrays go through numpy).
"""
from __future__ import annotations

import ctypes
from array import array
from operator import itemgetter
from ctypes import c_double, c_int, c_int64, c_uint32, c_void_p, sizeof
from typing import Any, Callable, Collection, Dict, List, Sequence, Tuple

from . import _ffi
from ._arguments import _actor, _encode, _unit_array
from .model import to_ms

__all__ = ["CHUNK", "Column", "Packer", "transpose", "columns_of_frame", "field_offset"]

CHUNK = 4096  # items per library call

Column = Any  # a sequence of values, or a numpy array


def _typecode(ctype: Any) -> str:
    """The array.array typecode of the same size and signedness as ctype."""
    if ctype is c_double:
        return "d"
    signed = ctype(-1).value == -1 if ctype is not c_void_p else False
    for code in ("bhilq" if signed else "BHILQ"):
        if array(code).itemsize == sizeof(ctype):
            return code
    raise AssertionError(f"no array typecode for {ctype}")


_NUMPY_TYPES = {"b": "i1", "h": "i2", "i": "i4", "l": "i8", "q": "i8", "d": "f8",
                "B": "u1", "H": "u2", "I": "u4", "L": "u8", "Q": "u8"}


# Machine words for spread(): width in bytes, memoryview format.
_WORDS = ((8, "Q"), (4, "I"), (2, "H"), (1, "B"))


def _is_numpy(values: Column) -> bool:
    return hasattr(values, "dtype") and hasattr(values, "astype")


class Packer:
    """n C structs in one bytearray, each starting as the library's defaults
    (new_struct: jszb_<struct>_init), filled a field at a time. `keep` holds
    what the structs point to until the library call is over."""

    def __init__(self, struct: Any, n: int, base: int, items: str) -> None:
        self.struct = struct
        self.n = n
        self.base = base  # index of the first item in the caller's input
        self.items = items  # "commands" or "intakes", for messages
        self.stride = sizeof(struct)
        self.buf = bytearray(bytes(_ffi.new_struct(struct))) * n
        self.keep: List[Any] = []

    def array(self) -> Any:
        """The filled structs as a ctypes array, sharing the bytearray."""
        return (self.struct * self.n).from_buffer(self.buf)

    def where(self, i: int, field: str) -> str:
        return f"{self.items}[{self.base + i}].{field}"

    def ints(self, offset: int, ctype: Any, values: Column, field: str) -> None:
        """Packs one int (or double) per item into the field at offset."""
        code = _typecode(ctype)
        if _is_numpy(values):
            data = self._numpy_bytes(values, code, field)
        else:
            try:
                data = array(code, values).tobytes()
            except (TypeError, OverflowError):
                self._raise_bad(values, code, field)
        self.spread(offset, sizeof(ctype), data)

    def spread(self, offset: int, size: int, data: bytes) -> None:
        """data holds n values of `size` bytes; value i goes to bytes
        offset..offset+size of struct i. One strided slice assignment per
        word of the value, in the widest word that C's alignment allows (a
        4-byte field is one assignment, a 128-byte payload sixteen)."""
        word, code = next(
            (w, c) for w, c in _WORDS if offset % w == 0 and size % w == 0 and self.stride % w == 0
        )
        step, first, words = self.stride // word, offset // word, size // word
        with memoryview(self.buf) as raw, memoryview(data) as src_raw:
            with raw.cast(code) as dst, src_raw.cast(code) as src:
                for k in range(words):
                    dst[first + k :: step] = src[k::words]

    def _numpy_bytes(self, values: Any, code: str, field: str) -> bytes:
        import numpy as np

        kind = values.dtype.kind
        if code == "d":
            if kind not in "iuf":
                raise TypeError(f"{self.where(0, field)}: a column of {values.dtype}, not numbers")
            return np.ascontiguousarray(values, dtype="f8").tobytes()
        if kind == "O":  # Python objects: the sequence path checks each
            return self._sequence_bytes(values.tolist(), code, field)
        if kind not in "iub":
            raise TypeError(
                f"{self.where(0, field)}: a column of {values.dtype}, not ints "
                "(a missing value makes a column float: fill it)"
            )
        info = np.iinfo(_NUMPY_TYPES[code])
        if len(values) and (values.min() < info.min or values.max() > info.max):
            bad = int(np.argmax((values < info.min) | (values > info.max)))
            raise ValueError(f"{self.where(bad, field)} is {values[bad]}: out of range")
        return np.ascontiguousarray(values, dtype=_NUMPY_TYPES[code]).tobytes()

    def _sequence_bytes(self, values: Sequence[Any], code: str, field: str) -> bytes:
        try:
            return array(code, values).tobytes()
        except (TypeError, OverflowError):
            self._raise_bad(values, code, field)

    def _raise_bad(self, values: Column, code: str, field: str) -> Any:
        """Names the first value array() refused (the slow path: errors only)."""
        for i, v in enumerate(values):
            try:
                array(code, [v])
            except TypeError:
                raise TypeError(
                    f"{self.where(i, field)} must be an int, not {type(v).__name__}"
                ) from None
            except OverflowError:
                raise ValueError(f"{self.where(i, field)} is {v}: out of range") from None
        raise AssertionError("array() refused a column but none of its values")

    def strings(self, offset: int, values: Column, field: str) -> None:
        """Packs a const char* per item (None: NULL). Each distinct string is
        encoded once, into one buffer for the chunk."""
        if _is_numpy(values):
            values = values.tolist()
        try:
            encoded = {s: _encode(field, s) for s in dict.fromkeys(values) if s is not None}
        except (TypeError, ValueError):  # not a str, unhashable, a NUL: named below
            pass
        else:
            self._strings(offset, values, encoded)  # type: ignore[arg-type]
            return
        for i, v in enumerate(values):  # the slow path: name the bad value
            if v is not None:
                _encode(self.where(i, field), v)
        raise AssertionError("a string column failed, but none of its values")

    def _strings(self, offset: int, values: Sequence[Any], encoded: Dict[Any, bytes]) -> None:
        blob = b"\0".join(encoded.values()) + b"\0"
        buf = ctypes.create_string_buffer(blob, len(blob))
        self.keep.append(buf)
        address: Dict[Any, int] = {None: 0}
        at = ctypes.addressof(buf)
        for s, b in encoded.items():
            address[s] = at
            at += len(b) + 1
        self.ints(offset, c_void_p, map(address.__getitem__, values), "")

    def unit_arrays(self, offset: int, count_offset: int, values: Column, field: str) -> None:
        """Packs a uint32 pointer and its count per item from sequences of unit
        ids (None or empty: NULL, 0), each distinct sequence converted once."""
        if _is_numpy(values):
            values = values.tolist()

        def convert(i: int, v: Any) -> Tuple[int, int]:
            units, count = _unit_array(self.where(i, field), v)
            self.keep.append(units)
            return (0 if units is None else ctypes.addressof(units), count)

        pointers, counts = transpose(self.by_object(values, convert), 2)
        self.ints(offset, c_void_p, pointers, field)
        self.ints(count_offset, ctypes.c_size_t, counts, field)

    def times(self, offset: int, values: Column, field: str) -> None:
        """Packs int64 ms from ints or aware datetimes (a DataFrame's datetime
        columns are ms already: columns_of_frame)."""
        if not _is_numpy(values) and set(map(type, values)) - {int}:
            values = [to_ms(v, self.where(i, field)) for i, v in enumerate(values)]
        self.ints(offset, c_int64, values, field)

    def by_object(self, values: Sequence[Any], convert: Callable[[int, Any], Any]) -> List[Any]:
        """convert(i, value) once per distinct object (by identity: the chunk
        holds the objects; i is its first item), then its result for every
        item. The per-item work is map() and dict calls, in C."""
        ids = list(map(id, values))
        first = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1)))
        rows = {key: convert(i, values[i]) for key, i in first.items()}
        return list(map(rows.__getitem__, ids))

    def actors(self, offset: int, values: Column, field: str) -> None:
        """Packs jszb_actor from jszb.Actor objects (each distinct one's C
        struct once, spread like a column)."""

        def convert(i: int, actor: Any) -> bytes:
            return bytes(_actor(self.where(i, field), actor))

        self.spread(offset, sizeof(_ffi.jszb_actor), b"".join(self.by_object(values, convert)))

    def actor_fields(
        self, offset: int, roles: Column, units: Column, staff: Column, field: str
    ) -> None:
        a = _ffi.jszb_actor
        self.ints(offset + a.role.offset, c_int, roles, f"{field}.role")
        self.ints(offset + a.unit.offset, c_uint32, units, f"{field}.unit")
        self.ints(offset + a.staff.offset, c_uint32, staff, f"{field}.staff")


def transpose(rows: Sequence[Sequence[Any]], width: int) -> List[List[Any]]:
    """The columns of rows of `width` values. Not zip(*rows): that holds an
    iterator per row at once, thousands of objects for the garbage collector,
    which then runs over everything the caller holds, again and again."""
    return [list(map(itemgetter(k), rows)) for k in range(width)]


def columns_of_frame(frame: Any, known: Collection[str], items: str) -> Dict[str, Column]:
    """A DataFrame's columns by name, refusing names that are not known; tz-aware
    datetime columns become int64 ms here (numpy sees them only as objects)."""
    unknown = [str(c) for c in frame.columns if c not in known]
    if unknown:
        raise TypeError(f"{items}: unknown column(s) {', '.join(unknown)}")
    out: Dict[str, Column] = {}
    for name in frame.columns:
        series = frame[name]
        if hasattr(series, "dt") and getattr(series.dtype, "tz", None) is not None:
            if series.isna().any():
                raise ValueError(f"{items}: column {name} has a missing time (NaT)")
            out[name] = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(
                "datetime64[ms]"
            ).astype("i8")
        elif series.dtype.kind == "M":
            raise ValueError(
                f"{items}: column {name} holds naive datetimes; give them a time zone "
                "(Series.dt.tz_localize('Asia/Shanghai'))"
            )
        elif series.dtype.kind == "O":
            out[name] = series.where(series.notna(), None).tolist()  # NaN: None
        else:
            out[name] = series.to_numpy()
    return out


def field_offset(struct: Any, *path: str) -> Tuple[int, Any]:
    """The offset in struct of a (nested) field, and its ctypes type."""
    offset = 0
    ctype = struct
    for name in path:
        descriptor = getattr(ctype, name)
        offset += descriptor.offset
        ctype = dict(ctype._fields_)[name]
    return offset, ctype

