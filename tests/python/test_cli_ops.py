"""The operator's subcommands of the jszb tool (bindings/cli/cli_ops.cc):
backup while another process writes the store, metrics in the Prometheus
text format, info's counts; and `python3 -m jszb`, which runs the same tool."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jszb

from test_cli import CLI, run, store  # noqa: F401 (store: a fixture with two cases)

# A writer in a process of its own: it commits batches of 20 requests until
# killed, printing how many were acknowledged after each commit.
WRITER = """
import sys, jszb
sys.path.insert(0, sys.argv[2])
from conftest import submit
done = 0
with jszb.Engine.open(sys.argv[1]) as eng:
    while True:
        with eng.batch():
            for i in range(20):
                submit(eng, f"w-{done + i}")
        done += 20
        print(done, flush=True)
"""


def total_cases(store: Path) -> int:
    out = run("info", str(store)).stdout
    return int(out.strip().splitlines()[-1].split()[-1])


def test_backup_while_another_process_commits(store: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store), str(Path(__file__).parent)],
        stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert writer.stdout is not None
        acknowledged = 0
        while acknowledged < 600:
            line = writer.stdout.readline()
            assert line, "the writer stopped"
            acknowledged = int(line)
        backup = tmp_path / "copy.jszb"
        done = run("backup", str(store), str(backup))
        assert "backed up" in done.stdout
        later = int(writer.stdout.readline())
        assert later > acknowledged  # it went on writing
    finally:
        writer.kill()
        writer.wait()
    assert "0 mismatches" in run("verify", str(backup)).stdout
    # What was acknowledged before the backup began, and the two cases before.
    assert total_cases(backup) >= acknowledged + 2
    assert not list(tmp_path.glob("copy.jszb.tmp-*"))


def test_backup_refuses_an_existing_destination(store: Path, tmp_path: Path) -> None:
    dest = tmp_path / "taken.jszb"
    dest.write_text("keep me")
    assert "exists" in run("backup", str(store), str(dest), check=2).stderr
    assert dest.read_text() == "keep me"
    assert "no such" in run("backup", str(tmp_path / "none.jszb"), str(tmp_path / "b"),
                            check=2).stderr.lower()
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a store" * 100)
    run("backup", str(junk), str(tmp_path / "c"), check=4)
    run("backup", str(store), str(tmp_path / "no" / "dir" / "c"), check=5)


def test_metrics_prints_the_store_in_prometheus_text(store: Path) -> None:
    out = run("metrics", str(store)).stdout
    assert "# TYPE jszb_cases gauge" in out
    assert 'jszb_cases{state="closed"} 1' in out
    assert 'jszb_cases{state="received"} 1' in out
    assert "# TYPE jszb_commit_duration_seconds histogram" in out
    assert "jszb_store_events " in out
    # Every sample line is "name{labels} value" or "name value".
    for line in out.splitlines():
        if not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            assert name.startswith("jszb_")
            float(value)


def test_info_counts_events_and_cases_by_state(store: Path) -> None:
    out = run("info", str(store)).stdout
    assert "events" in out and "bytes" in out
    assert "closed" in out and "received" in out
    assert total_cases(store) == 2


def python_m(*args: str, env: "dict[str, str] | None" = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jszb", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_python_m_jszb_runs_the_tool(store: Path) -> None:
    done = python_m("--version")
    assert done.returncode == 0, done.stderr
    assert jszb.library_version in done.stdout
    assert python_m("info", str(store)).stdout == run("info", str(store)).stdout
    # Exit codes pass through.
    assert python_m("frobnicate").returncode == 1
    assert python_m("info", str(store.parent / "none.jszb")).returncode == 2


def test_python_m_jszb_says_when_there_is_no_tool(tmp_path: Path) -> None:
    env = dict(os.environ, JSZB_CLI=str(tmp_path / "no-jszb-here"))
    done = python_m("--version", env=env)
    assert done.returncode == 1
    assert "cannot find the jszb command-line tool" in done.stderr
    assert "JSZB_CLI" in done.stderr
    env["JSZB_CLI"] = str(CLI)
    assert python_m("--version", env=env).returncode == 0
