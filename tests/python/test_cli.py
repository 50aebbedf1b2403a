"""The jszb command-line tool (bindings/cli): each subcommand on a store this
test fills through the binding, what it prints, and the exit codes scripts rely
on (0 done, 1 bad usage, 2 refused input, 3 locked, 4 damaged, 5 storage).

The tool is the one built next to the library the package loaded
(<build>/bindings/cli/jszb), or JSZB_CLI."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import List

import pytest

import jszb
from jszb import Actor

from conftest import CHAOWAI, DAY, MINUTE, OPERATOR, T0, handling, submit


def cli_path() -> Path:
    env = os.environ.get("JSZB_CLI")
    if env:
        return Path(env)
    # The package staged by the build (<build>/python/jszb), or a library
    # loaded from <build>/capi: either way <build>/bindings/cli/jszb.
    for build in (Path(jszb.__file__).resolve().parents[2],
                  Path(jszb.library_path).resolve().parents[1]):
        tool = build / "bindings" / "cli" / "jszb"
        if tool.exists():
            return tool
    return Path("jszb (not found: set JSZB_CLI)")


CLI = cli_path()


def run(*args: str, check: int = 0) -> subprocess.CompletedProcess:
    assert CLI.exists(), f"the jszb tool is not built: {CLI} (cmake --build <build>)"
    done = subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == check, (done.returncode, done.stdout, done.stderr)
    return done


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with two cases: one closed (with a contact), one received."""
    path = tmp_path / "hotline.jszb"
    run("init", str(path))
    with jszb.Engine.open(str(path)) as eng:
        closed = handling(eng, "cli-1")
        eng.reply(closed, T0 + DAY, Actor.unit(CHAOWAI), contacted=True, solved=True, text="已处理")
        eng.visit(closed, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True, solved=True,
                  satisfaction=jszb.Satisfaction.SATISFIED)
        eng.close_case(closed, T0 + 2 * DAY + MINUTE, OPERATOR)
        submit(eng, "cli-2", contact_phone="13800000000")
    return path


def test_help_lists_every_subcommand_and_the_exit_codes() -> None:
    out = run("--help").stdout
    for sub in ["init", "info", "case", "verify", "purge", "erase-personal", "report", "calendar",
                "policy"]:
        assert sub in out
    assert "3  store locked" in out
    for sub in ["init", "report", "policy check"]:
        assert "Usage" in run(*sub.split(), "--help").stdout


def test_bad_usage_exits_1_with_the_reason_on_stderr() -> None:
    done = run("frobnicate", check=1)
    assert "frobnicate" in done.stderr
    assert run("report", check=1).stderr  # STORE and --period are required


def test_init_refuses_an_existing_file_and_info_counts_cases_by_state(store: Path) -> None:
    assert "exists already" in run("init", str(store), check=2).stderr
    out = run("info", str(store)).stdout
    assert "closed" in out and "received" in out
    assert out.strip().endswith("2")  # the total


def test_case_prints_the_history_and_json(store: Path) -> None:
    out = run("case", str(store), "1").stdout
    assert "case 1  closed" in out
    assert "dispatched" in out and "已处理" in out and "+08:00" in out
    case = json.loads(run("case", str(store), "1", "--json").stdout)
    assert case["id"] == "1"
    err = run("case", str(store), "99", check=2).stderr
    assert "99" in err


def test_a_missing_store_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jszb"
    assert "no such store" in run("info", str(missing), check=2).stderr
    assert not missing.exists()


def test_verify_passes_on_a_sound_store_and_exits_4_on_a_damaged_one(store: Path, tmp_path: Path) -> None:
    assert "0 mismatches" in run("verify", str(store)).stdout
    junk = tmp_path / "junk.jszb"
    junk.write_bytes(b"this is not an SQLite file at all" * 100)
    run("info", str(junk), check=4)


def test_a_store_another_process_writes_is_locked(store: Path) -> None:
    with jszb.Engine.open(str(store)):
        assert run("purge", str(store), "--before", "2021-01-01", check=3).stderr


def test_erase_personal_and_purge(store: Path) -> None:
    run("erase-personal", str(store), "2", "--time", str(T0 + 3 * DAY))
    with jszb.Engine.open(str(store), read_only=True) as eng:
        assert eng.case(2).intake.contact_phone == ""
    run("erase-personal", str(store), "77", "--time", str(T0 + 3 * DAY), check=2)
    assert "purged 1" in run("purge", str(store), "--before", "2030-01-01").stdout
    assert "expected a date" in run("purge", str(store), "--before", "2030-13-45", check=2).stderr


def test_report_in_three_formats_and_period_forms(store: Path, tmp_path: Path) -> None:
    report = json.loads(run("report", str(store), "--period", "month:2024-03").stdout)
    assert report  # the assessment month that holds T0 (2024-02-19 to 03-19)
    html = tmp_path / "r.html"
    run("report", str(store), "--period", "2024-02-26..2024-03-04", "--format", "html", "-o", str(html))
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    csv = run("report", str(store), "--period", "day:2024-03-02", "--format", "csv").stdout
    assert csv.startswith("# ")
    err = run("report", str(store), "--period", "last week", check=2).stderr
    assert "month:YYYY-MM" in err
    run("report", str(store), "--period", "month:2024-03", "--format", "pdf", check=1)


def test_calendar_and_policy_check(tmp_path: Path) -> None:
    out = run("calendar", "--year", "2024").stdout
    assert "2024-10-01  off" in out and "2024-09-29  working (make-up day)" in out
    policy = Path(__file__).resolve().parents[2] / "examples" / "policies" / "beijing-by-department.textproto"
    assert ": OK" in run("policy", "check", str(policy)).stdout
    bad = tmp_path / "bad.textproto"
    bad.write_text('name: "x"\nversion: 1\nno_such_field: 3\n', encoding="utf-8")
    err = run("policy", "check", str(bad), check=2).stderr
    assert "bad.textproto:3" in err
