"""ctypes mirror of jszb.h's "interchange" section (import and export), kept
apart from _ffi.py, which imports it once the types it needs are defined."""
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int64, c_size_t
from ctypes import c_uint, c_uint64, c_void_p

from ._ffi import jszb_engine, jszb_progress_fn

__all__ = [
    "EXPORT_JSONL",
    "EXPORT_CSV",
    "jszb_write_fn",
    "jszb_export_options",
    "jszb_import_options",
    "jszb_import_result",
    "PROTOTYPES",
]

EXPORT_JSONL = 1
EXPORT_CSV = 2

# typedef int (*jszb_write_fn)(void *payload, const char *data, size_t size);
jszb_write_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)


class jszb_export_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("format", c_int),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("district", c_char_p),
        ("with_personal", c_int),
        ("progress", jszb_progress_fn),
        ("progress_payload", c_void_p),
    ]


class jszb_import_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("format", c_int),
        ("skip_bad", c_int),
        ("progress", jszb_progress_fn),
        ("progress_payload", c_void_p),
    ]


class jszb_import_result(Structure):
    """Opaque."""


_RESULT = POINTER(jszb_import_result)

PROTOTYPES = {
    "jszb_export_options_init": (c_int, [POINTER(jszb_export_options), c_uint]),
    "jszb_engine_export": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_export_options), jszb_write_fn, c_void_p],
    ),
    "jszb_import_options_init": (c_int, [POINTER(jszb_import_options), c_uint]),
    "jszb_engine_import": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_import_options), c_char_p, c_size_t,
         POINTER(_RESULT)],
    ),
    "jszb_import_result_imported": (c_uint64, [_RESULT]),
    "jszb_import_result_skipped": (c_uint64, [_RESULT]),
    "jszb_import_result_bad_count": (c_size_t, [_RESULT]),
    "jszb_import_result_bad_line": (c_uint64, [_RESULT, c_size_t]),
    "jszb_import_result_bad_message": (c_char_p, [_RESULT, c_size_t]),
    "jszb_import_result_free": (None, [_RESULT]),
}
