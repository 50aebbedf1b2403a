"""Progress callbacks for long calls (verify, iter_cases; imports and replays
of whole logs to come): one shape for all of them.

A progress callback is any callable taking a jszb.Progress: the stage, units
done and the total (None when not known). It is told now and then and once at
the end of each stage. If it returns False (not merely something falsy: None
goes on), the call stops and raises jszb.Cancelled. If it raises, the call
stops and re-raises that exception (a KeyboardInterrupt in a notebook stops a
long verify). For the
library's own long calls it is passed through jszb_progress_fn (see
progress_callback).
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, List, NamedTuple, Optional, Tuple

from . import _ffi

__all__ = ["Progress", "ProgressCallback", "progress_callback"]


class Progress(NamedTuple):
    """How far a long call has come: `done` of `total` units of `stage`
    (total None: not known yet)."""

    stage: str
    done: int
    total: Optional[int]

    @property
    def fraction(self) -> Optional[float]:
        """done / total, or None without a total (1.0 for an empty stage)."""
        if self.total is None:
            return None
        return 1.0 if self.total == 0 else self.done / self.total


ProgressCallback = Callable[[Progress], Any]


def checked(progress: Optional[ProgressCallback]) -> Optional[ProgressCallback]:
    """progress, checked to be a callable or None (TypeError before any work)."""
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a callable taking a jszb.Progress, not {progress!r}")
    return progress


class _Failures:
    """The exception the callback raised during the library call, if any."""

    def __init__(self) -> None:
        self.raised: List[BaseException] = []


@contextlib.contextmanager
def progress_callback(
    progress: Optional[ProgressCallback],
) -> Iterator[Tuple[Optional["_ffi.jszb_progress_fn"], Callable[[], None]]]:
    """For a library call taking a jszb_progress_fn: yields (the C function or
    None, reraise). The C function calls progress and asks the library to stop
    once it raises; call reraise() after the library call (whatever it
    returned) to raise the callback's exception, which is the real reason the
    call stopped."""
    progress = checked(progress)
    if progress is None:
        yield None, lambda: None
        return
    failures = _Failures()

    def call(_payload: Optional[int], stage: Optional[bytes], done: int, total: int) -> int:
        # Nothing may propagate into C: the library stops, then we re-raise.
        if failures.raised:
            return 1
        try:
            name = (stage or b"").decode("utf-8", "replace")
            go_on = progress(Progress(name, done, total if total else None))
            return 1 if go_on is False else 0
        except BaseException as exc:  # noqa: B036 - re-raised after the C call returns
            failures.raised.append(exc)
            return 1

    def reraise() -> None:
        if failures.raised:
            raise failures.raised[0]

    c_fn = _ffi.jszb_progress_fn(call)  # kept alive by this frame during the call
    yield c_fn, reraise
