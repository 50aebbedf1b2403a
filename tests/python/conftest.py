"""pytest setup for the jszb Python package.

Run:  JSZB_LIBRARY=<build>/capi/libjszb.so /usr/bin/python3 -m pytest tests/python
  or: PYTHONPATH=<build>/python /usr/bin/python3 -m pytest tests/python

If `jszb` is not importable from PYTHONPATH, the package in the source tree
(bindings/python) is used. If the library cannot be loaded, the whole run
stops with the loader's message: nothing is skipped silently.
"""
from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PACKAGE_DIR = ROOT / "bindings" / "python"

if importlib.util.find_spec("jszb") is None:
    sys.path.insert(0, str(SOURCE_PACKAGE_DIR))

try:
    import jszb
except ImportError as exc:  # the loader says what it tried
    pytest.exit(
        "cannot import the jszb Python package, so no test can run.\n"
        f"{exc}\n"
        "Build the library (cmake --build <build>) and set JSZB_LIBRARY=<build>/capi/libjszb.so, "
        "or use PYTHONPATH=<build>/python.",
        returncode=4,
    )

from jszb import Actor, Channel, Kind  # noqa: E402

# Beijing time: the hotline's clock, and a zone that is not UTC, to keep the
# datetime conversion honest.
BJT = timezone(timedelta(hours=8), "Asia/Shanghai")
T0 = 1_709_254_800_000  # 2024-03-01 09:00:00 +08:00
MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# Units: district Chaoyang (110105), two of its streets, a city department and
# the water utility.
CHAOYANG = 110105
CHAOWAI = 110105001  # 朝外街道
JIANWAI = 110105002  # 建外街道
HOUSING = 110000301  # 市住房城乡建设委
WATER = 110000901  # 北京自来水集团

OPERATOR = Actor.operator(staff=1201)
DISPATCHER = Actor.dispatcher(staff=3301)

# Units of the built-in policy (jszb.Policy.default()), whose codes are the
# national division codes: 和平街街道 of Chaoyang.
HEPINGJIE = 110105007

# The built-in policy's version (scripts/gen-beijing-policy): 2 since every
# request whose street is known goes straight to that street (直派街乡).
BEIJING_VERSION = 3
# The alternative that routes categories to district departments, and its version.
BY_DEPARTMENT_POLICY = ROOT / "examples" / "policies" / "beijing-by-department.textproto"
BY_DEPARTMENT_VERSION = 1002


def pytest_report_header(config: pytest.Config) -> str:
    return f"jszb package: {jszb.__file__}\nlibjszb: {jszb.library_path} ({jszb.library_version})"


def submit(eng: jszb.Engine, ref: str = "call-0001", time: Any = T0, **overrides: Any) -> int:
    """Submits a typical request; keyword arguments override its fields."""
    fields = dict(
        time=time,
        actor=OPERATOR,
        channel=Channel.PHONE,
        channel_ref=ref,
        kind=Kind.COMPLAINT,
        category=("城乡建设", "施工管理", "施工扰民"),
        content="工地夜间施工噪音扰民",
        district="朝阳区",
        street="朝外街道",
    )
    fields.update(overrides)
    return eng.submit(**fields)


def dispatched(eng: jszb.Engine, ref: str = "call-0001", unit: int = CHAOWAI, **dispatch: Any) -> int:
    """A case dispatched to unit at T0 + 10 min."""
    case_id = submit(eng, ref)
    eng.dispatch(case_id, T0 + 10 * MINUTE, DISPATCHER, unit=unit, **dispatch)
    return case_id


def handling(eng: jszb.Engine, ref: str = "call-0001", unit: int = CHAOWAI) -> int:
    """A case signed for by unit at T0 + 20 min."""
    case_id = dispatched(eng, ref, unit)
    eng.sign(case_id, T0 + 20 * MINUTE, Actor.unit(unit))
    return case_id


@pytest.fixture
def eng() -> Iterator[jszb.Engine]:
    with jszb.Engine() as engine:
        yield engine


@pytest.fixture(scope="session")
def default_policy() -> Iterator[jszb.Policy]:
    # Immutable: one for the whole run.
    with jszb.Policy.default() as policy:
        yield policy


@pytest.fixture
def peng(default_policy: jszb.Policy) -> Iterator[jszb.Engine]:
    """An engine running under the built-in Beijing policy."""
    with jszb.Engine() as engine:
        engine.set_policy(default_policy)
        yield engine


def request(eng: jszb.Engine, ref: str = "req-0001", time: Any = T0, **overrides: Any) -> int:
    """Submits a night-construction complaint in 朝阳区/和平街街道 (the built-in
    policy routes it to the street, copied to the district)."""
    fields: dict = dict(
        category=("城乡建设", "施工管理", "夜间施工扰民"),
        content="工地夜间施工扰民",
        district="朝阳区",
        street="和平街街道",
    )
    fields.update(overrides)
    return submit(eng, ref, time, **fields)
