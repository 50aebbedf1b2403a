"""The pipelined commit from Python: tickets, listeners told only once a batch
is durable, a failed batch undone with the batch applied on top of it."""
from __future__ import annotations

from pathlib import Path

import pytest

import jszb
from jszb import State

from conftest import submit


def test_tickets_acknowledge_in_order(tmp_path: Path) -> None:
    path = str(tmp_path / "pipe.jszb")
    with jszb.Engine.open(path) as eng:
        told: list = []
        eng.add_listener(lambda e: told.append(e.case_id))
        assert eng.poll() == 0
        eng.begin()
        a = submit(eng, "p-1")
        b = submit(eng, "p-2")
        first = eng.commit_async()
        assert isinstance(first, jszb.Ticket) and first.number == 1
        assert told == []  # not durable as far as the caller knows
        eng.begin()
        c = submit(eng, "p-3")  # built while the first batch commits
        assert eng.case(a).state == State.RECEIVED
        second = eng.commit_async()
        assert told == [a, b]  # handing the second over acknowledged the first
        second.wait()
        assert told == [a, b, c]
        assert first.done and second.done
        assert eng.poll() == 2
        with pytest.raises(jszb.InvalidArgument):
            eng.wait(7)
        assert eng.verify().ok
    with jszb.Engine.open(path) as eng:
        assert eng.list_cases() == [a, b, c]


def test_a_failed_batch_undoes_the_one_on_top(tmp_path: Path) -> None:
    path = str(tmp_path / "full.jszb")
    with jszb.Engine.open(path, max_bytes=256 * 1024) as eng:
        told: list = []
        eng.add_listener(lambda e: told.append(e.case_id))
        kept = submit(eng, "kept")
        n = 0
        failure = None
        while failure is None and n < 100000:
            eng.begin()
            for _ in range(50):
                submit(eng, f"fill-{n}")
                n += 1
            ticket = eng.commit_async()
            eng.begin()
            on_top = submit(eng, "on-top")
            try:
                ticket.wait()
                eng.rollback()
            except jszb.StorageError as exc:
                failure = exc
        assert failure is not None and "disk full" in str(failure)
        assert ticket.done
        with pytest.raises(jszb.StorageError):
            ticket.wait()
        # The batch on top was undone with it: every call in it says so.
        with pytest.raises(jszb.StorageError, match="under it"):
            submit(eng, "more")
        with pytest.raises(jszb.StorageError, match="under it"):
            eng.commit()
        assert eng.case(kept).state == State.RECEIVED
        with pytest.raises(jszb.NotFound):
            eng.case(on_top)
        assert on_top not in told
