"""Engine.backup, store_stats, metrics and metrics_prometheus, jszb.backup and
jszb.set_log: the operations section of jszb.h through the binding."""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest

import jszb

from conftest import DAY, T0, dispatched, submit


def test_metrics_count_events_commits_and_escalations(peng: jszb.Engine) -> None:
    eng = peng  # the Beijing policy: deadlines, so that marks are armed and fire
    dispatched(eng, "m-1")
    submit(eng, "m-2")
    m = eng.metrics()
    assert m["events_applied"] == 3 and m["events_committed"] == 3
    assert m["commits"] == 3
    assert sum(n for _, n in m["commit_latency"]) == 0  # in memory: not timed
    assert m["commit_latency"][-1][0] == float("inf")
    assert m["open_cases"] == 2 and 0 < m["timers_pending"] <= 2
    eng.advance(T0 + 60 * DAY)
    after = eng.metrics()
    assert after["escalations_fired"] > 0
    assert after["events_applied"] == after["events_committed"] >= 3 + after["escalations_fired"]
    text = eng.metrics_prometheus()
    assert "# TYPE jszb_escalations_fired_total counter" in text
    assert f"jszb_escalations_fired_total {after['escalations_fired']}\n" in text


def test_store_stats_and_backup(tmp_path: Path) -> None:
    path, copy = tmp_path / "s.jszb", tmp_path / "copy.jszb"
    with jszb.Engine.open(str(path)) as eng:
        dispatched(eng, "s-1")
        submit(eng, "s-2")
        stats = eng.store_stats()
        assert stats["cases_by_state"] == {"dispatched": 1, "received": 1}
        assert stats["cases"] == 2 and stats["events"] == 3 and stats["file_bytes"] > 0
        m = eng.metrics()
        assert m["commits"] == 3 and sum(n for _, n in m["commit_latency"]) == 3
        assert m["commit_seconds_sum"] > 0
        eng.backup(copy)
        with pytest.raises(jszb.InvalidArgument, match="exists"):
            eng.backup(copy)
    seen: List[Tuple[str, int, int]] = []
    jszb.backup(path, tmp_path / "again.jszb", progress=lambda p: seen.append(tuple(p)[:3]))
    assert seen and seen[-1][0] == "backup" and seen[-1][1] == seen[-1][2]
    with jszb.Engine.open(str(copy), read_only=True) as back:
        assert back.store_stats()["cases"] == 2


def test_set_log_hears_a_checkpoint(tmp_path: Path) -> None:
    heard: List[Tuple[int, str]] = []
    jszb.set_log(lambda level, message: heard.append((level, message)), jszb.LogLevel.INFO)
    try:
        with jszb.Engine.open(str(tmp_path / "l.jszb")) as eng:
            submit(eng, "l-1")
            eng.checkpoint()
    finally:
        jszb.set_log(None)
    assert any(level == jszb.LogLevel.INFO and "checkpoint" in m for level, m in heard)
    count = len(heard)
    with jszb.Engine.open(str(tmp_path / "l.jszb")) as eng:
        eng.checkpoint()
    assert len(heard) == count  # off again
    with pytest.raises(jszb.InvalidArgument, match="level"):
        jszb.set_log(print, 9)


def test_set_log_warns_of_a_provisional_calendar() -> None:
    heard: List[Tuple[int, str]] = []
    jszb.set_log(lambda level, message: heard.append((level, message)), jszb.LogLevel.WARN)
    try:
        with jszb.Engine() as eng:
            eng.set_policy(jszb.Policy.default())
    finally:
        jszb.set_log(None)
    # The built-in calendar has the official schedule through a year, then the
    # national holiday rules alone (provisional) through 2030.
    assert any(level == jszb.LogLevel.WARN and "provisional" in m and "official schedule ends" in m
               for level, m in heard), heard
