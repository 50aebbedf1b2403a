"""The Engine object, times, loading the library, and the example."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import jszb
from jszb import Actor, Role
from conftest import BJT, CHAOWAI, DISPATCHER, HOUR, ROOT, SOURCE_PACKAGE_DIR, T0, dispatched, submit


# ------------------------------------------------------------------- times


def test_aware_datetime_in_beijing_time_gives_utc_milliseconds(eng: jszb.Engine) -> None:
    received = datetime(2024, 3, 1, 9, 0, 0, 250_000, tzinfo=BJT)  # 01:00:00.250 UTC
    case_id = submit(eng, time=received)
    assert eng.case(case_id).intake.time_ms == 1_709_254_800_250
    assert jszb.to_ms(received) == 1_709_254_800_250
    # The same instant written in UTC is the same number.
    assert jszb.to_ms(datetime(2024, 3, 1, 1, 0, 0, 250_000, tzinfo=timezone.utc)) == 1_709_254_800_250
    # Datetimes work for every time argument, payload times included.
    signed = received + timedelta(minutes=30)
    eng.dispatch(case_id, received + timedelta(minutes=10), DISPATCHER, unit=CHAOWAI)
    eng.sign(case_id, signed, Actor.unit(CHAOWAI))
    eng.request_extension(case_id, signed, Actor.unit(CHAOWAI), until=signed + timedelta(days=7),
                          text="需协调")
    c = eng.case(case_id)
    assert c.signed_ms == 1_709_254_800_250 + 30 * 60_000
    assert c.extension_requested_until_ms == c.signed_ms + 7 * 86_400_000


def test_time_conversion_is_exact() -> None:
    assert jszb.to_ms(datetime(1970, 1, 1, tzinfo=timezone.utc)) == 0
    assert jszb.to_ms(datetime(1970, 1, 1, 8, tzinfo=BJT)) == 0
    # Sub-millisecond digits are dropped towards the past, never rounded up.
    assert jszb.to_ms(datetime(2024, 3, 1, 9, 0, 0, 999_999, tzinfo=BJT)) == T0 + 999
    assert jszb.to_ms(datetime(1969, 12, 31, 23, 59, 59, 999_500, tzinfo=timezone.utc)) == -1
    # A far date where float seconds would lose the milliseconds.
    far = datetime(9999, 12, 31, 23, 59, 59, 999_000, tzinfo=timezone.utc)
    assert jszb.to_ms(far) == 253_402_300_799_999
    assert jszb.to_datetime(253_402_300_799_999) == far
    assert jszb.to_datetime(T0, BJT) == datetime(2024, 3, 1, 9, tzinfo=BJT)
    assert jszb.to_ms(T0) == T0


def test_naive_datetimes_and_other_types_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        jszb.to_ms(datetime(2024, 3, 1, 9))
    with pytest.raises(TypeError):
        jszb.to_ms(True)
    with pytest.raises(TypeError):
        jszb.to_ms("2024-03-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        jszb.to_ms(2**63)


# ------------------------------------------------------------------ actors


def test_actor_helpers() -> None:
    assert Actor.operator(7) == Actor(Role.OPERATOR, 0, 7)
    assert Actor.dispatcher(staff=3) == Actor(Role.DISPATCHER, 0, 3)
    assert Actor.unit(CHAOWAI, staff=9) == Actor(Role.UNIT, CHAOWAI, 9)
    assert Actor.unit(CHAOWAI).unit == CHAOWAI
    assert Actor.citizen() == Actor(Role.CITIZEN)
    assert Actor.system().role is Role.SYSTEM
    assert Actor(2).role is Role.DISPATCHER  # plain numbers become members
    with pytest.raises(ValueError):
        Actor.unit(-1)
    with pytest.raises(TypeError):
        Actor(jszb.Kind.HELP)


# ------------------------------------------------------------------ engine


def test_close_is_idempotent_and_later_calls_raise() -> None:
    eng = jszb.Engine()
    case_id = dispatched(eng)
    eng.close()
    eng.close()
    assert eng.closed
    for call in (
        lambda: eng.case(case_id),
        lambda: len(eng),
        lambda: submit(eng, "after"),
        lambda: eng.sign(case_id, T0 + HOUR, Actor.unit(CHAOWAI)),
        lambda: eng.add_listener(print),
        lambda: eng.list_cases(),
        lambda: eng.replay_json("{}"),
    ):
        with pytest.raises(jszb.EngineClosed, match="closed"):
            call()
    assert issubclass(jszb.EngineClosed, jszb.Error)
    assert issubclass(jszb.EngineClosed, ValueError)
    assert "closed" in repr(eng)


def test_context_manager_closes_even_on_error() -> None:
    with pytest.raises(RuntimeError):
        with jszb.Engine() as eng:
            submit(eng)
            raise RuntimeError("caller's bug")
    assert eng.closed
    with pytest.raises(jszb.EngineClosed):
        with eng:
            pass


def test_engine_options_are_checked() -> None:
    with pytest.raises(jszb.InvalidArgument, match="max_extensions"):
        jszb.Engine(max_extensions=-1)
    with pytest.raises(TypeError):
        jszb.Engine(max_extensions="1")  # type: ignore[arg-type]
    with jszb.Engine(max_extensions=0) as eng:
        case_id = dispatched(eng)
        eng.sign(case_id, T0 + HOUR, Actor.unit(CHAOWAI))
        with pytest.raises(jszb.Refused):
            eng.request_extension(case_id, T0 + HOUR, Actor.unit(CHAOWAI), until=T0 + 2 * HOUR,
                                  text="x")


# ----------------------------------------------------------------- loading


def run_python(code: str, env: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_loading_errors_say_what_was_tried(tmp_path: Path) -> None:
    env = dict(os.environ, JSZB_LIBRARY=str(tmp_path / "libnothing.so"),
               PYTHONPATH=str(SOURCE_PACKAGE_DIR))
    result = run_python("import jszb", env)
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "JSZB_LIBRARY" in result.stderr and "libnothing.so" in result.stderr


def test_jszb_library_variable_wins() -> None:
    env = dict(os.environ, JSZB_LIBRARY=jszb.library_path, PYTHONPATH=str(SOURCE_PACKAGE_DIR))
    result = run_python("import jszb; print(jszb.library_path)", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == jszb.library_path


def staged_package_dir() -> Path:
    """<build>/python for the build the loaded library belongs to: the library
    is the copy staged in <build>/python/jszb, or <build>/capi/libjszb.so."""
    library = Path(jszb.library_path).resolve()
    if library.parent.name == "jszb":
        return library.parent.parent
    return library.parent.parent / "python"


def test_the_staged_package_finds_its_library_without_help(tmp_path: Path) -> None:
    staged = staged_package_dir()
    if not (staged / "jszb" / "_libpath.py").exists():
        pytest.skip(f"{jszb.library_path} is not from a CMake build tree with a staged package")
    env = {k: v for k, v in os.environ.items() if k not in ("JSZB_LIBRARY", "PYTHONPATH")}
    env["PYTHONPATH"] = str(staged)
    result = run_python("import jszb; print(jszb.__file__); print(jszb.library_path)", env,
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package_file, library = result.stdout.split()
    assert Path(package_file).parent == staged / "jszb"
    assert Path(library).resolve() == Path(jszb.library_path).resolve()


def test_minimal_example_runs_to_closed() -> None:
    env = dict(os.environ, JSZB_LIBRARY=jszb.library_path, PYTHONPATH=str(SOURCE_PACKAGE_DIR))
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "minimal.py")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Step lines ("sign      HANDLING"); the listener's lines are indented.
    steps = [line.split() for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [step[-1] for step in steps] == [
        "RECEIVED", "DISPATCHED", "HANDLING", "REPLIED", "VISITED", "CLOSED"]


def test_one_engine_shared_by_threads(eng: jszb.Engine) -> None:
    seen = []
    eng.add_listener(lambda e: seen.append(e.case_id))
    errors = []

    def work(thread: int) -> None:
        try:
            for i in range(200):
                case_id = submit(eng, f"t{thread}-{i}")
                eng.dispatch(case_id, T0 + HOUR, DISPATCHER, unit=CHAOWAI)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(eng) == 800
    assert len(eng.list_cases(state=jszb.State.DISPATCHED)) == 800
    assert len(seen) == 1600


# ------------------------------------------------------------ request ids


def test_a_retried_command_with_its_request_id_is_applied_once(eng: jszb.Engine) -> None:
    case_id = submit(eng)
    heard: list = []
    eng.add_listener(heard.append)
    eng.apply(jszb.CommandKind.DISPATCH, case_id, T0 + HOUR, DISPATCHER, unit=CHAOWAI,
              request_id="desk-3/0001")
    # The answer was lost; the client sends the same command again.
    eng.apply(jszb.CommandKind.DISPATCH, case_id, T0 + HOUR, DISPATCHER, unit=CHAOWAI,
              request_id="desk-3/0001")
    assert [e.type for e in heard] == [jszb.EventType.DISPATCHED]
    assert heard[0].payload.request_id == "desk-3/0001"
    assert [e["type"] for e in eng.events_json(case_id)] == ["EVENT_TYPE_SUBMITTED",
                                                             "EVENT_TYPE_DISPATCHED"]
    assert eng.events_json(case_id)[1]["payload"]["request_id"] == "desk-3/0001"
    # Without the id, the repeat is a new command, and a dispatched case is refused.
    with pytest.raises(jszb.StateError):
        eng.apply(jszb.CommandKind.DISPATCH, case_id, T0 + HOUR, DISPATCHER, unit=CHAOWAI)


def test_a_request_id_over_256_bytes_is_refused(eng: jszb.Engine) -> None:
    case_id = submit(eng)
    with pytest.raises(jszb.InvalidArgument, match="request_id"):
        eng.apply(jszb.CommandKind.DISPATCH, case_id, T0 + HOUR, DISPATCHER, unit=CHAOWAI,
                  request_id="x" * 257)
    assert len(eng.events_json(case_id)) == 1
