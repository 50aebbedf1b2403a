"""ctypes mirror of jszb.h's "operations" section (backup, store stats, the
log hook, metrics): its structures and prototypes, merged into _ffi's."""
from __future__ import annotations

from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_uint,
    c_uint64,
    c_void_p,
)
from typing import Any, Dict, List, Tuple

__all__ = ["jszb_backup_options", "jszb_store_stats", "jszb_metrics", "jszb_log_fn",
           "jszb_progress_fn", "METRICS_BUCKETS", "prototypes"]

# The same type as _ffi.jszb_progress_fn (ctypes caches function types).
jszb_progress_fn = CFUNCTYPE(c_int, c_void_p, c_char_p, c_uint64, c_uint64)
# typedef void (*jszb_log_fn)(void *user_data, int level, const char *message);
jszb_log_fn = CFUNCTYPE(None, c_void_p, c_int, c_char_p)

METRICS_BUCKETS = 13  # JSZB_METRICS_BUCKETS


class jszb_backup_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("progress", jszb_progress_fn),
        ("progress_payload", c_void_p),
        ("pages_per_step", c_int),
    ]


class jszb_store_stats(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("cases_by_state", c_uint64 * 32),
        ("cases", c_uint64),
        ("events", c_uint64),
        ("last_event_ms", c_int64),
        ("file_bytes", c_uint64),
        ("wal_bytes", c_uint64),
    ]


class jszb_metrics(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("events_applied", c_uint64),
        ("events_committed", c_uint64),
        ("commits", c_uint64),
        ("commit_bucket_ms", c_double * METRICS_BUCKETS),
        ("commit_buckets", c_uint64 * METRICS_BUCKETS),
        ("commit_seconds_sum", c_double),
        ("open_cases", c_uint64),
        ("timers_pending", c_uint64),
        ("escalations_fired", c_uint64),
        ("cases_read_back", c_uint64),
    ]


def prototypes(engine: Any) -> Dict[str, Tuple[Any, List[Any]]]:
    """The section's prototypes; `engine` is _ffi.jszb_engine."""
    return {
        "jszb_backup_options_init": (c_int, [POINTER(jszb_backup_options), c_uint]),
        "jszb_backup": (c_int, [c_char_p, c_char_p, POINTER(jszb_backup_options)]),
        "jszb_engine_backup": (c_int, [POINTER(engine), c_char_p, POINTER(jszb_backup_options)]),
        "jszb_store_stats_init": (c_int, [POINTER(jszb_store_stats), c_uint]),
        "jszb_engine_store_stats": (c_int, [POINTER(engine), POINTER(jszb_store_stats)]),
        "jszb_set_log": (c_int, [jszb_log_fn, c_void_p, c_int]),
        "jszb_metrics_init": (c_int, [POINTER(jszb_metrics), c_uint]),
        "jszb_engine_metrics": (c_int, [POINTER(engine), POINTER(jszb_metrics)]),
        "jszb_engine_metrics_prometheus": (c_int, [POINTER(engine), POINTER(c_void_p)]),
    }
