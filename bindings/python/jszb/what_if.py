"""The what-if replay (jszb_what_if_run): a store's history run again under
another policy, to answer questions such as "what would the rates have been
with 5 working-day reply deadlines?".

    with jszb.Policy.load_file("five-days.textproto") as five_days:
        replay = jszb.what_if("hotline.jszb", five_days)
    with replay:
        print(replay.engine.assess(*jszb.assessment_month(2024, 3)))
        print(replay.commands_skipped, replay.skipped[:3])

The commands people gave are replayed with their times; what the engine did
by itself (escalations, automatic returns, routed decisions) is recomputed
under the new policy. A command the new policy refuses is skipped, counted and
(the first max_listed) listed. The replay's engine keeps counters, not events:
assessments over half-day edges and reports work on it (reports without
request groups: no request texts are kept); what reads the log raises
jszb.StateError.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref
from typing import Dict, NamedTuple, Optional, Tuple, Union

from . import _ffi
from ._arguments import _encode, _int32, _uint64
from ._ffi import lib
from ._progress import ProgressCallback, progress_callback
from .engine import Engine
from .enums import Code, CommandKind, Refusal
from .errors import check
from .model import Time, to_ms
from .policy import Policy

__all__ = ["SkippedCommand", "WhatIf", "what_if"]


class SkippedCommand(NamedTuple):
    """A command (or submission) of the source store the new policy refused."""

    case_id: int  # in the source store
    seq: int  # the event's sequence number in its case
    command: Optional[CommandKind]  # None: the submission
    time: int  # ms since the epoch
    code: Code  # what the engine refused it with
    refusal: Refusal  # for lifecycle refusals; else Refusal.NONE
    message: str


class WhatIf:
    """What a replay gave: `engine`, an in-memory Engine holding the replay's
    counters (and the cases still open at the end), and what was replayed.
    Closing it (or leaving its with block) closes the engine."""

    def __init__(self, engine: Engine, result: "ctypes._Pointer[_ffi.jszb_what_if_result]") -> None:
        self.engine = engine
        counts = lib.jszb_what_if_result_counts(result).contents
        self.events_read: int = counts.events_read
        self.submissions: int = counts.submissions
        self.commands_replayed: int = counts.commands_replayed
        self.commands_rerouted: int = counts.commands_rerouted
        self.engine_events: int = counts.engine_events
        self.outside_window: int = counts.outside_window
        self.commands_skipped: int = counts.commands_skipped
        self.memory_bounded: bool = bool(counts.memory_bounded)
        self.skipped_submissions: int = lib.jszb_what_if_result_skipped_of(result, 0)
        by_kind = {k: lib.jszb_what_if_result_skipped_of(result, k) for k in CommandKind}
        self.skipped_by_kind: Dict[CommandKind, int] = {k: n for k, n in by_kind.items() if n}
        listed = []
        for i in range(lib.jszb_what_if_result_skipped_count(result)):
            s = lib.jszb_what_if_result_skipped(result, i).contents
            listed.append(
                SkippedCommand(
                    s.case_id,
                    s.seq,
                    CommandKind(s.command) if s.command else None,
                    s.time_ms,
                    Code(s.code),
                    Refusal(s.refusal),
                    (s.message or b"").decode("utf-8", "replace"),
                )
            )
        self.skipped: Tuple[SkippedCommand, ...] = tuple(listed)

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> "WhatIf":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<jszb.WhatIf replayed={self.commands_replayed} skipped={self.commands_skipped} "
            f"events_read={self.events_read}>"
        )


def what_if(
    store_path: Union[str, "os.PathLike[str]"],
    policy: Policy,
    *,
    from_: Optional[Time] = None,
    until: Optional[Time] = None,
    progress: Optional[ProgressCallback] = None,
    progress_every: int = 1 << 20,
    max_listed: int = 100,
    max_extensions: Optional[int] = None,
) -> WhatIf:
    """Replays the store at store_path (opened read-only: its writer may have
    it open) under `policy`. from_/until: only submissions received in
    [from_, until) with their later commands before until (None: no bound).
    progress: told jszb.Progress("replay", events read, the log's events)
    every progress_every events and at the end; returning False stops the
    replay (jszb.Cancelled), raising stops it and re-raises. max_extensions:
    the replaying engine's (the live engine's, for a replay under the same
    rules; None: the library's default). Bad options raise
    jszb.InvalidArgument naming the field; nothing is kept of a replay that
    failed or was stopped."""
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be a jszb.Policy, not {type(policy).__name__}")
    if not isinstance(max_listed, int) or isinstance(max_listed, bool) or max_listed < 0:
        raise ValueError(f"max_listed is {max_listed!r}: expected an int >= 0")
    opts = _ffi.new_struct(_ffi.jszb_what_if_options)
    opts.from_ms = 0 if from_ is None else to_ms(from_, "from_")
    opts.until_ms = 0 if until is None else to_ms(until, "until")
    opts.progress_every = _uint64("progress_every", progress_every)
    opts.max_listed = max_listed
    engine_opts = None
    if max_extensions is not None:
        engine_opts = _ffi.new_struct(_ffi.jszb_engine_options)
        engine_opts.max_extensions = _int32("max_extensions", max_extensions)
        opts.engine_options = ctypes.pointer(engine_opts)
    path = _encode("store_path", os.fspath(store_path), required=True)
    handle = POINTER(_ffi.jszb_engine)()
    result = POINTER(_ffi.jszb_what_if_result)()
    with progress_callback(progress) as (c_progress, reraise):
        if c_progress is not None:
            opts.progress = c_progress
        try:
            rc = lib.jszb_what_if_run(path, policy._live(), byref(opts), byref(handle), byref(result))
        finally:
            reraise()
        check(rc)
    engine = Engine._adopt(handle, policy)
    try:
        return WhatIf(engine, result)
    except BaseException:
        engine.close()
        raise
    finally:
        lib.jszb_what_if_result_free(result)
