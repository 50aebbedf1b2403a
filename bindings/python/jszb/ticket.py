"""A pipelined batch's ticket (Engine.commit_async): its commands are
acknowledged once the batch is durable, which wait() or done says."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine


class Ticket:
    """Batch number `number` of its engine (1, 2, ...). Listeners hear of the
    batch's events on the engine's thread, inside wait(), done, Engine.poll()
    or the next call that waits for the engine's writer."""

    __slots__ = ("_engine", "number")

    def __init__(self, engine: "Engine", number: int) -> None:
        self._engine = engine
        self.number = number

    def wait(self) -> None:
        """Blocks until the batch is durable; raises its error if it failed
        (the batch and the one applied on top of it are undone)."""
        self._engine.wait(self.number)

    @property
    def done(self) -> bool:
        """Without blocking: whether the batch is durable or failed (wait()
        then returns, or raises, at once)."""
        return self._engine.poll() >= self.number

    def __int__(self) -> int:
        return self.number

    def __repr__(self) -> str:
        return f"<jszb.Ticket {self.number}>"
