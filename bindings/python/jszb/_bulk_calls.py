"""Engine's bulk calls: apply_many and submit_many, many commands (requests)
per library call (jszb_engine_apply_many, _submit_many), each handled on its
own with a result per item, at close to the library's own speed.

Input is either an iterable of tuples (mappings for requests) or a pandas
DataFrame whose columns are named after the single call's arguments. The
whole input is converted and checked first, so a malformed item (TypeError,
ValueError naming it as commands[i].field) applies nothing; then the items go
to the library _bulk.CHUNK at a time (jszb/_bulk.py packs them).
"""
from __future__ import annotations

from array import array
from ctypes import c_char_p, c_double, c_int, c_uint32, c_uint64, sizeof
from itertools import islice, repeat
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Sequence, Tuple

from . import _ffi
from ._arguments import _category, _point
from ._bulk import CHUNK, Column, Packer, columns_of_frame, field_offset, transpose
from ._commands import PAYLOAD_FIELDS
from ._core import _EngineCore
from ._ffi import lib
from .enums import CommandKind
from .errors import Error, error_for, _last_error_fields
from .results import BulkResult

__all__ = ["_BulkCalls", "COMMAND_COLUMNS", "INTAKE_FIELDS"]

_CMD = _ffi.jszb_command
_INTAKE = _ffi.jszb_intake

# A DataFrame of commands: these columns (actor as jszb.Actor objects, or as
# actor_role, actor_unit and actor_staff) and any of the payload fields.
_ACTOR_COLUMNS = ("actor_role", "actor_unit", "actor_staff")
COMMAND_COLUMNS = frozenset({"kind", "case_id", "time", "actor", *_ACTOR_COLUMNS} | PAYLOAD_FIELDS)

# Payload columns of a DataFrame: field -> how it is packed.
_PAYLOAD_INTS = {
    "unit": c_uint32, "mode": c_int, "reason": c_int, "level": c_int, "contacted": c_int,
    "solved": c_int, "valid_visit": c_int, "satisfaction": c_int, "visit_method": c_int,
    "other_case": c_uint64,
}  # fmt: skip

# Requests: submit()'s keywords, as mapping keys or DataFrame columns.
_INTAKE_STRINGS = ("channel_ref", "district", "street", "community", "address", "content",
                   "contact_name", "contact_phone")  # fmt: skip
_INTAKE_INTS = {"channel": c_int, "kind": c_int, "urgency": c_int}
INTAKE_FIELDS = frozenset(
    {"time", "actor", "category", "point", *_ACTOR_COLUMNS, *_INTAKE_STRINGS, *_INTAKE_INTS}
)


def _is_frame(items: Any) -> bool:
    return hasattr(items, "columns") and hasattr(items, "iloc")


def _chunks(items: Iterable[Any]) -> Iterator[List[Any]]:
    it = iter(items)
    while True:
        chunk = list(islice(it, CHUNK))
        if not chunk:
            return
        yield chunk


def _pack_actor(p: Packer, struct: Any, columns: Mapping[str, Column], n: int) -> None:
    offset, _ = field_offset(struct, "actor")
    if "actor" in columns:
        if any(c in columns for c in _ACTOR_COLUMNS):
            raise TypeError(f"{p.items}: give actor or actor_role/_unit/_staff, not both")
        p.actors(offset, columns["actor"], "actor")
    elif "actor_role" in columns:
        zeros = array("I", [0]) * n
        p.actor_fields(
            offset,
            columns["actor_role"],
            columns.get("actor_unit", zeros),
            columns.get("actor_staff", zeros),
            "actor",
        )
    else:
        raise TypeError(f"{p.items}: actor is required (or actor_role, actor_unit, actor_staff)")


def _required(p: Packer, columns: Mapping[str, Column], *names: str) -> None:
    missing = [name for name in names if name not in columns]
    if missing:
        raise TypeError(f"{p.items}: {', '.join(missing)} required")


def _pack_command_columns(p: Packer, columns: Mapping[str, Column], n: int) -> None:
    """Fills p from columns named like apply()'s arguments (a DataFrame's)."""
    _required(p, columns, "kind", "case_id", "time")
    p.ints(_CMD.kind.offset, c_int, columns["kind"], "kind")
    p.ints(_CMD.case_id.offset, c_uint64, columns["case_id"], "case_id")
    p.times(_CMD.time_ms.offset, columns["time"], "time")
    _pack_actor(p, _CMD, columns, n)
    if "until" in columns and "until_ms" in columns:
        raise TypeError("commands: give until or until_ms, not both")
    _pack_payload_columns(p, columns)


def _pack_payload_columns(p: Packer, columns: Mapping[str, Column]) -> None:
    """Packs the payload fields among columns (the others are left alone); a
    column of defaults only (0, None) is skipped: the structs start so."""
    for name, values in columns.items():
        if name not in PAYLOAD_FIELDS or (isinstance(values, (list, tuple)) and not any(values)):
            continue
        if name in _PAYLOAD_INTS:
            p.ints(field_offset(_CMD, "payload", name)[0], _PAYLOAD_INTS[name], values, name)
        elif name in ("text", "request_id"):
            p.strings(field_offset(_CMD, "payload", name)[0], values, name)
        elif name in ("copy_to", "units"):
            offset, _ = field_offset(_CMD, "payload", name)
            count, _ = field_offset(_CMD, "payload", name + "_count")
            p.unit_arrays(offset, count, values, name)
        else:  # until, until_ms
            values = [0 if v is None else v for v in values] if isinstance(values, list) else values
            p.times(field_offset(_CMD, "payload", "until_ms")[0], values, "until")


# A payload mapping as a row of _PAYLOAD_ROW's fields, defaults filled in.
_PAYLOAD_ROW = ("unit", "mode", "copy_to", "units", "reason", "level", "contacted", "solved",
                "valid_visit", "satisfaction", "visit_method", "until", "other_case", "text",
                "request_id")  # fmt: skip
_NO_PAYLOAD = (0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None)


def _payload_row(p: Packer, i: int, payload: Any) -> Tuple[Any, ...]:
    if payload is None:
        return _NO_PAYLOAD
    if not isinstance(payload, Mapping):
        raise TypeError(
            f"{p.where(i, 'payload')} must be a mapping of payload fields (or None), "
            f"not {type(payload).__name__}"
        )
    unknown = payload.keys() - PAYLOAD_FIELDS
    if unknown:
        raise TypeError(f"{p.where(i, 'payload')}: unknown field(s) {', '.join(sorted(unknown))}")
    if "until" in payload and "until_ms" in payload:
        raise TypeError(f"{p.where(i, 'payload')}: give until or until_ms, not both")
    get = payload.get
    until = get("until", get("until_ms"))
    return (get("unit", 0), get("mode") or 0, get("copy_to"), get("units"), get("reason") or 0,
            get("level") or 0, get("contacted", 0), get("solved", 0), get("valid_visit", 0),
            get("satisfaction") or 0, get("visit_method") or 0, until or 0, get("other_case", 0),
            get("text"), get("request_id"))  # fmt: skip


def _pack_command_tuples(chunk: List[Any], base: int) -> Packer:
    """Fills a Packer from (kind, case_id, time, actor[, payload]) tuples."""
    p = Packer(_CMD, len(chunk), base, "commands")
    try:
        lengths = set(map(len, chunk))
    except TypeError:
        lengths = {-1}
    if not lengths <= {4, 5}:
        for i, item in enumerate(chunk):
            if not isinstance(item, Sequence) or len(item) not in (4, 5):
                raise TypeError(
                    f"commands[{base + i}] is {item!r}: expected a tuple "
                    "(kind, case_id, time, actor) or (kind, case_id, time, actor, payload)"
                )
    if lengths == {4, 5}:
        chunk = [tuple(item) + (None,) if len(item) == 4 else item for item in chunk]
    kinds, case_ids, times, actors, *rest = transpose(chunk, max(lengths))
    if set(map(type, kinds)) - {int, CommandKind}:
        for i, k in enumerate(kinds):
            if type(k) not in (int, CommandKind):
                raise TypeError(
                    f"commands[{base + i}].kind must be a CommandKind, not {type(k).__name__}"
                )
    p.ints(_CMD.kind.offset, c_int, kinds, "kind")
    p.ints(_CMD.case_id.offset, c_uint64, case_ids, "case_id")
    p.times(_CMD.time_ms.offset, times, "time")
    p.actors(_CMD.actor.offset, actors, "actor")
    if rest:
        rows = p.by_object(rest[0], lambda i, payload: _payload_row(p, i, payload))
        _pack_payload_columns(p, dict(zip(_PAYLOAD_ROW, transpose(rows, len(_PAYLOAD_ROW)))))
    return p


def _pack_intake_columns(p: Packer, columns: Mapping[str, Column], n: int) -> None:
    """Fills p from columns named like submit()'s keywords."""
    _required(p, columns, "time", "channel", "channel_ref", "kind", "category", "content")
    p.times(_INTAKE.time_ms.offset, columns["time"], "time")
    _pack_actor(p, _INTAKE, columns, n)
    for name, ctype in _INTAKE_INTS.items():
        if name in columns:
            values = columns[name]
            if isinstance(values, list):
                values = [0 if v is None else v for v in values]  # unspecified
            p.ints(getattr(_INTAKE, name).offset, ctype, values, name)
    for name in _INTAKE_STRINGS:
        if name in columns:
            p.strings(getattr(_INTAKE, name).offset, columns[name], name)
    levels = p.by_object(_list(columns["category"]), _checked(p, "category", _category_str))
    for level, values in enumerate(transpose(levels, 3)):
        offset = _INTAKE.category.offset + level * sizeof(c_char_p)
        p.strings(offset, values, f"category[{level}]")
    if "point" in columns:
        points = p.by_object(_list(columns["point"]), _checked(p, "point", _point))
        has, lat, lon = transpose(points, 3)
        p.ints(_INTAKE.has_point.offset, c_int, has, "point")
        p.ints(_INTAKE.lat.offset, c_double, lat, "point")
        p.ints(_INTAKE.lon.offset, c_double, lon, "point")


def _list(values: Column) -> Sequence[Any]:
    return values.tolist() if hasattr(values, "tolist") else values


def _category_str(value: Any) -> Tuple[Any, Any, Any]:
    """_category's check, keeping str (the Packer encodes): 3 levels, None past the last."""
    _category(value)
    levels = (value,) if isinstance(value, str) else tuple(value)
    return levels + (None,) * (3 - len(levels))  # type: ignore[return-value]


def _checked(p: Packer, field: str, convert: Callable[[Any], Any]) -> Callable[[int, Any], Any]:
    """convert(value), its TypeError or ValueError naming the item."""

    def call(i: int, value: Any) -> Any:
        try:
            return convert(value)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{p.where(i, field)}: {exc}") from None

    return call


def _frame_packers(frame: Any, struct: Any, items: str, known: Any, fill: Any) -> List[Packer]:
    columns = columns_of_frame(frame, known, items)
    n = len(frame)
    packers = []
    for start in range(0, n, CHUNK):
        part = {name: values[start : start + CHUNK] for name, values in columns.items()}
        p = Packer(struct, min(CHUNK, n - start), start, items)
        fill(p, part, p.n)
        packers.append(p)
    return packers


def _mapping_packers(requests: Iterable[Any]) -> List[Packer]:
    packers = []
    base = 0
    for chunk in _chunks(requests):
        dicts = set(map(type, chunk)) == {dict}  # then dict.get below, in C
        for i, r in enumerate(chunk if not dicts else ()):
            if not isinstance(r, Mapping):
                raise TypeError(
                    f"intakes[{base + i}] must be a mapping of submit()'s keywords, "
                    f"not {type(r).__name__}"
                )
        names = set().union(*chunk)
        unknown = names - INTAKE_FIELDS
        if unknown:
            raise TypeError(f"intakes: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        if dicts:
            columns = {name: list(map(dict.get, chunk, repeat(name))) for name in names}
        else:
            columns = {name: [r.get(name) for r in chunk] for name in names}
        p = Packer(_INTAKE, len(chunk), base, "intakes")
        _pack_intake_columns(p, columns, p.n)
        packers.append(p)
        base += len(chunk)
    return packers


class _BulkCalls(_EngineCore):
    """The part of Engine that takes many commands per call (see engine.py)."""

    def apply_many(self, commands: Any, *, raise_on_error: bool = False) -> BulkResult:
        """Applies each command on its own, in order (jszb_engine_apply_many),
        going on past refusals; returns a BulkResult with a code per command.

        commands: an iterable of tuples (kind, case_id, time, actor) or
        (kind, case_id, time, actor, payload), apply()'s arguments in order,
        payload a mapping of apply()'s payload keywords (or None; share one
        mapping between commands that carry the same payload: it is converted
        once); or a pandas DataFrame with the columns kind, case_id, time,
        actor (jszb.Actor objects, or actor_role, actor_unit and actor_staff)
        and any payload fields by name (copy_to and units hold sequences; time
        and until hold int ms or tz-aware datetimes).

        Malformed input (TypeError, ValueError naming commands[i]) applies
        nothing. Outside a batch each command is its own batch; inside one
        (with eng.batch():) they join it, so raise_on_error=True makes the
        whole input all-or-nothing: it raises the first refusal's error (with
        .index and .result) once every command was tried."""
        if _is_frame(commands):
            packers = _frame_packers(
                commands, _CMD, "commands", COMMAND_COLUMNS, _pack_command_columns
            )
        else:
            packers = []
            for chunk in _chunks(commands):
                packers.append(_pack_command_tuples(chunk, sum(p.n for p in packers)))
        return self._run_bulk(packers, lib.jszb_engine_apply_many, None, raise_on_error)

    def submit_many(self, requests: Any, *, raise_on_error: bool = False) -> BulkResult:
        """Records each request on its own, in order (jszb_engine_submit_many);
        the BulkResult's case_ids hold their case ids (0 where refused).
        requests: an iterable of mappings of submit()'s keywords, or a pandas
        DataFrame with those columns (actor also as actor_role, actor_unit,
        actor_staff). Otherwise as apply_many."""
        if _is_frame(requests):
            packers = _frame_packers(
                requests, _INTAKE, "intakes", INTAKE_FIELDS, _pack_intake_columns
            )
        else:
            packers = _mapping_packers(requests)
        return self._run_bulk(packers, lib.jszb_engine_submit_many, [], raise_on_error)

    def _run_bulk(
        self, packers: List[Packer], fn: Any, case_ids: Any, raise_on_error: bool
    ) -> BulkResult:
        codes: List[int] = []
        errors: List[Tuple[int, Error]] = []
        with self._lock:
            for p in packers:
                results = (c_int * p.n)()
                args: Tuple[Any, ...] = (p.array(), p.n)
                ids = None
                if case_ids is not None:
                    ids = (c_uint64 * p.n)()
                    args += (ids,)
                first: Dict[str, Any] = {}
                self._call(_keeping_first(fn, first), *args, results)
                chunk_codes = memoryview(results).cast("B").cast("i").tolist()
                if first:  # something was refused
                    errors.extend(_errors(chunk_codes, p, first))
                codes.extend(chunk_codes)
                if ids is not None:
                    case_ids.extend(memoryview(ids).cast("B").cast("Q").tolist())
        result = BulkResult(codes, errors, case_ids)
        if raise_on_error and errors:
            index, error = errors[0]
            error.index = index  # type: ignore[attr-defined]
            error.result = result  # type: ignore[attr-defined]
            raise error
        return result


def _keeping_first(fn: Any, first: Dict[str, Any]) -> Callable[..., int]:
    """fn as _call() expects it: a count of refusals (> 0) is no failure of the
    call; the library's description of the first is read at once."""

    def call(*args: Any) -> int:
        rc = fn(*args)
        if rc > 0:
            code, message, state, command, refusal = _last_error_fields()
            first.update(message=message, state=state, command=command, refusal=refusal)
            return 0
        return rc

    return call


def _errors(codes: List[int], p: Packer, first: Dict[str, Any]) -> Iterator[Tuple[int, Error]]:
    described = False
    for i, code in enumerate(codes):
        if code == 0:
            continue
        if not described and first:
            described = True
            # The library counts from the start of its call, the caller from its input's.
            message, local = first["message"], f"{p.items}[{i}]: "
            if message.startswith(local):
                message = f"{p.items}[{p.base + i}]: {message[len(local):]}"
            yield p.base + i, error_for(
                code, message, first["state"], first["command"], first["refusal"]
            )
        else:
            name = _ffi.name_of("jszb_code_name", code) or str(code)
            yield p.base + i, error_for(
                code, f"{p.items}[{p.base + i}]: refused ({name}); the library describes "
                "the first refusal of each call only", 0, 0, 0
            )
