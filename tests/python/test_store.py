"""The durable store from Python: reopening continues where it stopped, batches
commit together or not at all, failures raise their own exception classes,
queries, erasure, purge and verify."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import jszb
from jszb import Actor, State

from conftest import CHAOWAI, DAY, MINUTE, OPERATOR, T0, dispatched, handling, request, submit


def closed_case(eng: jszb.Engine, ref: str) -> int:
    case_id = handling(eng, ref)
    eng.reply(case_id, T0 + DAY, Actor.unit(CHAOWAI), contacted=True, solved=True, text="已处理")
    eng.visit(
        case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True, solved=True,
        satisfaction=jszb.Satisfaction.SATISFIED,
    )
    eng.close_case(case_id, T0 + 2 * DAY + MINUTE, OPERATOR)
    return case_id


def test_reopening_continues_where_it_stopped(tmp_path: Path, default_policy: jszb.Policy) -> None:
    path = str(tmp_path / "week.jszb")
    with jszb.Engine.open(path) as eng:
        eng.set_policy(default_policy)
        a = dispatched(eng, "s-1")
        b = submit(eng, "s-2", contact_phone="13800000000")
        before_a = eng.case(a)
        timers = eng.timers_pending
    with jszb.Engine.open(path) as eng:
        assert eng.case(a) == before_a
        assert eng.case(b).state == State.RECEIVED
        assert eng.case(b).intake.contact_phone == "13800000000"
        assert eng.policy is None  # the Python object; the engine reloaded its own
        assert eng.timers_pending == timers
        assert eng.submit_ex(
            time=T0, actor=OPERATOR, channel=jszb.Channel.PHONE, channel_ref="s-1",
            kind=jszb.Kind.COMPLAINT, category=("城乡建设",), content="重复来电",
        ) == (a, False)
        assert submit(eng, "s-3") > b
        eng.sign(a, T0 + 30 * MINUTE, Actor.unit(CHAOWAI))
        assert eng.verify().ok


def test_a_batch_commits_together_or_not_at_all(tmp_path: Path) -> None:
    path = str(tmp_path / "batch.jszb")
    with jszb.Engine.open(path) as eng:
        with eng.batch():
            a = submit(eng, "b-1")
            b = submit(eng, "b-2")
        with pytest.raises(RuntimeError):
            with eng.batch():
                submit(eng, "b-3")
                raise RuntimeError("the caller gave up")
        assert eng.list_cases() == [a, b]
        with pytest.raises(jszb.StateError):
            eng.commit()
    with jszb.Engine.open(path) as eng:
        assert eng.list_cases() == [a, b]


def test_failures_raise_their_own_classes(tmp_path: Path) -> None:
    path = str(tmp_path / "f.jszb")
    with jszb.Engine.open(path) as eng:
        submit(eng, "f-1")
        with pytest.raises(jszb.StoreLocked, match="open already"):
            jszb.Engine.open(path)
    with jszb.Engine.open(path, read_only=True) as eng:
        assert len(eng.list_cases()) == 1
        with pytest.raises(jszb.StorageError, match="read-only"):
            submit(eng, "f-2")
        assert len(eng.list_cases()) == 1
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just notes written by someone, long enough to matter\n" * 4)
    with pytest.raises(jszb.CorruptStore, match="not a jszb store"):
        jszb.Engine.open(str(text))
    with pytest.raises(ValueError, match="synchronous"):
        jszb.Engine.open(path, synchronous="sometimes")


def test_a_reader_beside_the_writer_and_a_link_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.jszb"
    link = tmp_path / "link.jszb"
    with jszb.Engine.open(str(path)) as eng:
        submit(eng, "w-1")
        link.symlink_to(path)
        with pytest.raises(jszb.StoreLocked, match="open for writing"):
            jszb.Engine.open(str(link))
        with jszb.Engine.open(str(link), read_only=True) as reader:
            submit(eng, "w-2")
            assert len(reader.list_cases()) == 1  # the snapshot it opened with
    # A store that lost nothing opens with accept_lost_events as without it.
    with jszb.Engine.open(str(path), accept_lost_events=True) as eng:
        assert len(eng.list_cases()) == 2
    with pytest.raises(TypeError, match="accept_lost_events"):
        jszb.Engine.open(str(path), accept_lost_events="yes")  # type: ignore[arg-type]


def test_a_full_disk_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = str(tmp_path / "full.jszb")
    acknowledged = []
    with jszb.Engine.open(path, max_bytes=256 * 1024, checkpoint_events=20) as eng:
        with pytest.raises(jszb.StorageError, match="disk full"):
            for i in range(100000):
                acknowledged.append(submit(eng, f"full-{i}"))
        count = len(eng.list_cases())
    assert count == len(acknowledged) > 10
    with jszb.Engine.open(path) as eng:
        assert eng.list_cases() == acknowledged
        assert submit(eng, "after") == acknowledged[-1] + 1
        assert eng.verify().ok


def test_queries_over_memory_and_disk(tmp_path: Path, default_policy: jszb.Policy) -> None:
    path = str(tmp_path / "q.jszb")
    with jszb.Engine.open(path) as eng:
        eng.set_policy(default_policy)
        done = closed_case(eng, "q-1")
        open_case = dispatched(eng, "q-2")
        other = request(eng, "q-3", time=T0 + 3 * DAY)
    with jszb.Engine.open(path) as eng:
        assert eng.list_cases(state=State.CLOSED) == [done]
        assert eng.list_cases(unit=CHAOWAI) == [done, open_case]
        assert eng.list_cases(street="和平街街道") == [other]
        assert eng.list_cases(category=("城乡建设", "施工管理")) == [done, open_case, other]
        assert eng.list_cases(received_from=T0 + DAY) == [other]
        due = eng.case(open_case).deadlines
        assert eng.list_cases(due_from=T0, due_until=T0 + 30 * DAY) == [open_case]
        assert eng.list_cases(after=done, limit=1) == [open_case]
        assert due is not None


def test_erase_purge_and_verify(tmp_path: Path) -> None:
    path = str(tmp_path / "e.jszb")
    with jszb.Engine.open(path) as eng:
        old = closed_case(eng, "e-1")
        kept = submit(eng, "e-2", contact_name="王女士", contact_phone="13800000000")
        eng.erase_personal(kept, T0 + DAY)
        case = eng.case(kept)
        assert (case.intake.contact_name, case.intake.contact_phone) == ("", "")
        assert case.intake.street == "朝外街道"
        with pytest.raises(jszb.NotFound):
            eng.erase_personal(424242, T0)
        assert eng.purge(T0 + 365 * DAY) == 1
        with pytest.raises(jszb.NotFound):
            eng.case(old)
        report = eng.verify()
        assert report.ok and report.cases == 1 and report.problems == ()
    with jszb.Engine.open(path) as eng:
        assert eng.case(kept).intake.contact_phone == ""
        assert submit(eng, "e-3") > old


def test_a_script_continues_a_store_across_processes(tmp_path: Path) -> None:
    """Two runs of a script: the second finds the first's case and closes it."""
    path = tmp_path / "script.jszb"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = {sys.path!r}
        import jszb
        from jszb import Actor
        from conftest import CHAOWAI, DAY, MINUTE, OPERATOR, T0, handling
        with jszb.Engine.open({str(path)!r}) as eng:
            ids = eng.list_cases()
            if not ids:
                print(handling(eng, "p-1"))
            else:
                (case_id,) = ids
                eng.reply(case_id, T0 + DAY, Actor.unit(CHAOWAI), contacted=True, solved=True,
                          text="已处理")
                eng.visit(case_id, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True,
                          solved=True, satisfaction=jszb.Satisfaction.SATISFIED)
                eng.close_case(case_id, T0 + 2 * DAY + MINUTE, OPERATOR)
                print(eng.case(case_id).state.name)
        """
    )
    tests_dir = str(Path(__file__).parent)
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script], cwd=tests_dir, capture_output=True, text=True, check=True
    ).stdout.strip()
    first = run()
    assert first.isdigit()
    assert run() == "CLOSED"
