"""What an operator needs around a running store: an online backup, what the
store holds, the engine's metrics (as a dict and in the Prometheus text
format), and the library's log.

Apart from _store_ops because none of these changes the store: they copy it
or look at it.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import byref, c_void_p
from typing import Any, Callable, Dict, Optional

from . import _ffi
from ._core import _EngineCore
from ._ffi import lib
from ._progress import ProgressCallback, progress_callback
from .enums import LogLevel
from .errors import check

__all__ = ["_Ops", "backup", "set_log"]

def _state_name(state: int) -> Optional[str]:
    """The name of jszb_state `state` (cases_by_state's index), or None."""
    return _ffi.name_of("jszb_state_name", state)


def _with_backup_options(progress: Optional[ProgressCallback],
                         run: Callable[[Any], None]) -> None:
    """run(options) with the backup options carrying `progress`."""
    with progress_callback(progress) as (c_progress, reraise):
        options = _ffi.new_struct(_ffi.jszb_backup_options)
        if c_progress is not None:
            options.progress = c_progress
        try:
            run(byref(options))
        finally:
            reraise()


def backup(store: "os.PathLike[str] | str", dest: "os.PathLike[str] | str", *,
           progress: Optional[ProgressCallback] = None) -> None:
    """Copies the store file at `store` to `dest` (which must not exist) with
    SQLite's online backup: safe while another process writes the store. The
    copy is the store as it was when the backup began, and `dest` appears only
    once it is complete. progress hears of the stage "backup" (pages)."""
    src, dst = os.fsencode(store), os.fsencode(dest)
    _with_backup_options(progress, lambda options: check(lib.jszb_backup(src, dst, options)))


_log_callback: Optional[Any] = None  # kept alive while the library may call it


def set_log(callback: Optional[Callable[[LogLevel, str], None]],
            level: int = LogLevel.INFO) -> None:
    """Sends the library's log messages of `level` and more severe
    (jszb.LogLevel) to callback(level, message); None turns it off.
    Process-wide; the callback may run on an engine's commit thread and must
    not raise (what it raises is dropped)."""
    global _log_callback
    if callback is None:
        check(lib.jszb_set_log(_ffi.jszb_log_fn(), None, LogLevel.OFF))
        _log_callback = None
        return

    def call(_user: Optional[int], lvl: int, message: Optional[bytes]) -> None:
        try:
            callback(LogLevel(lvl), (message or b"").decode("utf-8", "replace"))
        except Exception:  # noqa: BLE001 - nothing may unwind into C
            pass

    c_fn = _ffi.jszb_log_fn(call)
    check(lib.jszb_set_log(c_fn, None, int(level)))
    _log_callback = c_fn


class _Ops(_EngineCore):
    """Backup, store stats and metrics (see engine.py)."""

    def backup(self, dest: "os.PathLike[str] | str", *,
               progress: Optional[ProgressCallback] = None) -> None:
        """An online backup of this engine's store to `dest` (which must not
        exist), once what it committed is durable; see jszb.backup."""
        dst = os.fsencode(dest)
        _with_backup_options(
            progress, lambda options: self._call(lib.jszb_engine_backup, dst, options, reads=True))

    def store_stats(self) -> Dict[str, Any]:
        """What the store holds, counted by SQL: {"cases_by_state": {name:
        count}, "cases", "events", "last_event_ms", "file_bytes", "wal_bytes"}."""
        s = _ffi.new_struct(_ffi.jszb_store_stats)
        self._call(lib.jszb_engine_store_stats, byref(s), reads=True)
        by_state = {}
        for state, n in enumerate(s.cases_by_state):
            name = _state_name(state) if state else None
            if name and n:
                by_state[name] = n
        return {"cases_by_state": by_state, "cases": s.cases, "events": s.events,
                "last_event_ms": s.last_event_ms, "file_bytes": s.file_bytes,
                "wal_bytes": s.wal_bytes}

    def metrics(self) -> Dict[str, Any]:
        """Counters since the engine opened: events_applied, events_committed,
        commits, commit_latency (a list of (upper bound in ms, count) with
        float("inf") last; not cumulative), commit_seconds_sum, open_cases,
        timers_pending, escalations_fired, cases_read_back."""
        m = _ffi.new_struct(_ffi.jszb_metrics)
        self._call(lib.jszb_engine_metrics, byref(m), reads=True)
        return {
            "events_applied": m.events_applied,
            "events_committed": m.events_committed,
            "commits": m.commits,
            "commit_latency": list(zip(list(m.commit_bucket_ms), list(m.commit_buckets))),
            "commit_seconds_sum": m.commit_seconds_sum,
            "open_cases": m.open_cases,
            "timers_pending": m.timers_pending,
            "escalations_fired": m.escalations_fired,
            "cases_read_back": m.cases_read_back,
        }

    def metrics_prometheus(self) -> str:
        """The metrics and the store's stats in the Prometheus text format
        0.0.4, for a server's /metrics."""
        text = c_void_p()
        self._call(lib.jszb_engine_metrics_prometheus, byref(text), reads=True)
        try:
            return ctypes.string_at(text.value).decode("utf-8") if text.value else ""
        finally:
            lib.jszb_free(text)
