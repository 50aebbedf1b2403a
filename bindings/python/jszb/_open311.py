"""Open311 GeoReport v2 (docs/open311.md): the services a policy names,
cases as service requests, a POST body as a submission."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_size_t, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from . import _ffi
from ._arguments import _encode, _flag, _uint64
from ._core import _EngineCore
from ._ffi import lib
from .enums import Open311Content, Open311Format, Open311Status
from .model import Time, to_ms
from .policy import Policy

__all__ = ["_Open311", "Open311Import", "open311_services"]

Format = Union[str, Open311Format]


def _enum(what: str, value: object, enum: type, names: dict) -> int:
    if isinstance(value, enum):
        return int(value)
    if isinstance(value, str) and value in names:
        return int(names[value])
    raise ValueError(f"{what} is {value!r}: expected one of {', '.join(map(repr, names))}")


def _format(fmt: Format) -> int:
    return _enum("fmt", fmt, Open311Format, {"json": Open311Format.JSON, "xml": Open311Format.XML})


def _take_text(out: c_void_p) -> str:
    try:
        return ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.jszb_free(out)


def open311_services(policy: Policy, fmt: Format = "json") -> str:
    """The policy's Open311 services as a JSON or XML document ("json", "xml"
    or an Open311Format): service_code is a category path the policy's
    dispatch or deadline rules name, levels joined by "/"."""
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be a jszb.Policy, not {type(policy).__name__}")
    code = _format(fmt)
    out = c_void_p()
    policy._call(lib.jszb_open311_services, code, byref(out))
    return _take_text(out)


@dataclass(frozen=True)
class Open311Import:
    """What Engine.open311_import did: new cases, requests imported before
    (unchanged), and the bad requests skipped as (position, reason)."""

    imported: int
    known: int
    bad: Tuple[Tuple[int, str], ...]


class _Open311(_EngineCore):
    """The Engine's Open311 calls."""

    def open311_requests(
        self,
        fmt: Format = "json",
        *,
        case_id: int = 0,
        start: Optional[Time] = None,
        until: Optional[Time] = None,
        status: Union[str, Open311Status] = "any",
        service_code: Optional[str] = None,
        with_personal: bool = False,
        limit: int = 0,
    ) -> str:
        """Cases as Open311 service requests, JSON or XML, ascending by id:
        one (case_id; NotFound if there is none) or those received in
        [start, until) (None: open end) with the status ("any", "open",
        "closed") and a category path starting with service_code, at most
        limit (0: all). Contact, exact address and point only with
        with_personal; erased data never."""
        q = _ffi.new_struct(_ffi.jszb_open311_query)
        q.case_id = _uint64("case_id", case_id)
        q.from_ms = 0 if start is None else to_ms(start, "start")
        q.until_ms = 0 if until is None else to_ms(until, "until")
        q.status = _enum(
            "status",
            status,
            Open311Status,
            {"any": Open311Status.ANY, "open": Open311Status.OPEN, "closed": Open311Status.CLOSED},
        )
        q.service_code = _encode("service_code", None if service_code == "" else service_code)
        q.with_personal = _flag("with_personal", with_personal)
        q.limit = _uint64("limit", limit)
        out = c_void_p()
        self._call(lib.jszb_engine_open311_requests, byref(q), _format(fmt), byref(out), reads=True)
        return _take_text(out)

    def open311_submit(
        self, body: Union[str, bytes], content: Union[str, Open311Content], time: Time
    ) -> int:
        """Submits a POST service request (body form-urlencoded, content
        "form", or a JSON object, "json") received at time; returns its case
        id. InvalidArgument names the field that is unknown, malformed, too
        long or missing; nothing changes then."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes):
            raise TypeError(f"body must be str or bytes, not {type(body).__name__}")
        kind = _enum(
            "content",
            content,
            Open311Content,
            {"form": Open311Content.FORM, "json": Open311Content.JSON},
        )
        case_id = c_uint64()
        self._call(
            lib.jszb_engine_open311_submit,
            body,
            len(body),
            kind,
            to_ms(time, "time"),
            byref(case_id),
        )
        return case_id.value

    def open311_import(
        self, data: Union[str, bytes], fmt: Format = "json", *, skip_bad: bool = False
    ) -> Open311Import:
        """Imports a file of service requests (a JSON array, or XML as
        open311_requests writes it) in one batch: each a submission at its
        requested_datetime, a closed one answered on the spot at its
        updated_datetime with its status_notes (docs/open311.md). A bad
        request: InvalidArgument naming the first few by position, nothing
        imported; with skip_bad, the others are imported and the bad ones
        listed. Importing a file again changes nothing."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):
            raise TypeError(f"data must be str or bytes, not {type(data).__name__}")
        out = POINTER(_ffi.jszb_open311_import)()
        self._call(
            lib.jszb_engine_open311_import,
            data,
            len(data),
            _format(fmt),
            _flag("skip_bad", skip_bad),
            byref(out),
        )
        try:
            bad = []
            position = c_size_t()
            for i in range(lib.jszb_open311_import_bad_count(out)):
                reason = lib.jszb_open311_import_bad(out, i, byref(position))
                bad.append((position.value, reason.decode("utf-8")))
            return Open311Import(
                imported=lib.jszb_open311_import_imported(out),
                known=lib.jszb_open311_import_known(out),
                bad=tuple(bad),
            )
        finally:
            lib.jszb_open311_import_free(out)
