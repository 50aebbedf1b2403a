"""ctypes mirror of jszb.h, its themes part (每月一题): the structures in the
header's field order. Re-exported by _ffi, which binds the prototypes.
"""
from __future__ import annotations

from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
)

__all__ = [
    "jszb_theme",
    "jszb_theme_candidate",
    "jszb_theme_count",
    "jszb_theme_task",
    "jszb_theme_trend_options",
    "jszb_themes",
]


class jszb_themes(Structure):
    """Opaque handle: a snapshot of themes."""


class jszb_theme(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("id", c_uint64),
        ("name", c_char_p),
        ("start_ms", c_int64),
        ("lead_unit", c_uint32),
        ("categories", POINTER(c_char_p)),
        ("categories_count", c_size_t),
        ("keywords", POINTER(c_char_p)),
        ("keywords_count", c_size_t),
        ("areas", POINTER(c_char_p)),
        ("areas_count", c_size_t),
    ]


class jszb_theme_task(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("id", c_uint32),
        ("owner_unit", c_uint32),
        ("title", c_char_p),
        ("due_ms", c_int64),
        ("state", c_int),
        ("done_ms", c_int64),
    ]


class jszb_theme_trend_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("theme_id", c_uint64),
        ("period", c_int),
        ("before", c_int),
        ("after", c_int),
        ("district", c_char_p),
    ]


class jszb_theme_count(Structure):
    _fields_ = [
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("offset", c_int),
        ("received", c_uint64),
    ]


class jszb_theme_candidate(Structure):
    _fields_ = [
        ("district", c_char_p),
        ("category", c_char_p),
        ("count", c_int64),
        ("baseline", c_double),
        ("z", c_double),
    ]
