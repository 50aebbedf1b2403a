"""Engine's store upkeep: writing projections out, checking the store
against its log, and deleting what must not be kept (finished cases past
retention, a citizen's personal data).

Apart from the commands because none of these is a step of a case's
lifecycle: they look after the store the cases are kept in.
"""
from __future__ import annotations

import ctypes
from ctypes import byref, c_uint64, c_void_p
from typing import Optional

from . import _ffi
from ._arguments import _uint64
from ._core import _EngineCore
from ._ffi import lib
from ._progress import ProgressCallback, progress_callback
from .model import Time, to_ms
from .results import VerifyReport

__all__ = ["_StoreOps"]


class _StoreOps(_EngineCore):
    """Store checkpoint, verification and deletion (see engine.py)."""

    def checkpoint(self) -> None:
        """Writes every case projection that lags the log (closing does it too)."""
        self._call(lib.jszb_engine_checkpoint)

    def verify(self, *, progress: Optional[ProgressCallback] = None) -> VerifyReport:
        """Replays the whole log into a fresh engine and compares every case
        with the stored projection and this engine's copy. progress gets a
        jszb.Progress now and then: stages "replay" (events; total the log's
        length) and "compare" (cases). If it raises, verify stops and raises
        that exception (a KeyboardInterrupt stays one)."""
        events, cases, mismatches = c_uint64(), c_uint64(), c_uint64()
        problems = c_void_p()
        with progress_callback(progress) as (c_progress, reraise):
            options = None
            if c_progress is not None:
                options = _ffi.new_struct(_ffi.jszb_verify_options)
                options.progress = c_progress
            try:
                self._call(
                    lib.jszb_engine_verify_v2,
                    byref(options) if options is not None else None,
                    byref(events),
                    byref(cases),
                    byref(mismatches),
                    byref(problems),
                    reads=True,
                )
            finally:
                reraise()
        text = ""
        if problems.value:
            text = ctypes.string_at(problems.value).decode("utf-8", "replace")
            lib.jszb_free(problems)
        return VerifyReport(
            events.value,
            cases.value,
            mismatches.value,
            tuple(line for line in text.split("\n") if line),
        )

    def purge(self, before: Time) -> int:
        """Deletes finished cases whose last event came before `before`, with
        their events; returns how many. Their ids are never given out again."""
        n = c_uint64()
        self._call(lib.jszb_engine_purge, to_ms(before, "before"), byref(n))
        return n.value

    def erase_personal(self, case_id: int, time: Time) -> None:
        """Erases the citizen's personal data of a case (contact, address,
        content, point); the case stays, anonymised, in listings and statistics."""
        self._call(
            lib.jszb_engine_erase_personal, _uint64("case_id", case_id), to_ms(time, "time")
        )
