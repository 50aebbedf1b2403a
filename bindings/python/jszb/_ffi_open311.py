"""ctypes mirror of jszb.h's "Open311 GeoReport v2" section: its structures
and prototypes, merged into _ffi's."""
from __future__ import annotations

from ctypes import (POINTER, Structure, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint64,
                    c_void_p)
from typing import Any, Dict, List, Tuple

__all__ = ["jszb_open311_import", "jszb_open311_query", "prototypes"]


class jszb_open311_import(Structure):
    """Opaque handle: what an Open311 import did."""


class jszb_open311_query(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("case_id", c_uint64),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("status", c_int),
        ("service_code", c_char_p),
        ("with_personal", c_int),
        ("limit", c_size_t),
    ]


def prototypes(engine: Any, policy: Any) -> Dict[str, Tuple[Any, List[Any]]]:
    """The section's prototypes; `engine` and `policy` are _ffi's handles."""
    jszb_engine, jszb_policy = engine, policy
    return {
        "jszb_open311_services": (c_int, [POINTER(jszb_policy), c_int, POINTER(c_void_p)]),
        "jszb_open311_query_init": (c_int, [POINTER(jszb_open311_query), c_uint]),
        "jszb_engine_open311_requests": (
            c_int,
            [POINTER(jszb_engine), POINTER(jszb_open311_query), c_int, POINTER(c_void_p)],
        ),
        "jszb_engine_open311_submit": (
            c_int,
            [POINTER(jszb_engine), c_char_p, c_size_t, c_int, c_int64, POINTER(c_uint64)],
        ),
        "jszb_engine_open311_import": (
            c_int,
            [
                POINTER(jszb_engine),
                c_char_p,
                c_size_t,
                c_int,
                c_int,
                POINTER(POINTER(jszb_open311_import)),
            ],
        ),
        "jszb_open311_import_free": (None, [POINTER(jszb_open311_import)]),
        "jszb_open311_import_imported": (c_uint64, [POINTER(jszb_open311_import)]),
        "jszb_open311_import_known": (c_uint64, [POINTER(jszb_open311_import)]),
        "jszb_open311_import_bad_count": (c_size_t, [POINTER(jszb_open311_import)]),
        "jszb_open311_import_bad": (
            c_char_p,
            [POINTER(jszb_open311_import), c_size_t, POINTER(c_size_t)],
        ),
    }
