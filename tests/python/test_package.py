"""The package's shape: what jszb and its modules export, that Engine keeps
every method it had when engine.py was split into parts (issue 12), and that
library failures are turned into exceptions in one place (jszb.errors.check)."""
from __future__ import annotations

import ctypes
import importlib
import inspect
import typing
from pathlib import Path
from types import ModuleType
from typing import List

import pytest

import jszb
from jszb import Code, errors

PACKAGE_DIR = Path(jszb.__file__).resolve().parent

# The modules users may import from. The underscore modules (_ffi, _arguments,
# _core, _commands, _queries, _store_ops) are the package's own business.
PUBLIC_MODULES = [
    "jszb.engine",
    "jszb.enums",
    "jszb.errors",
    "jszb.frames",
    "jszb.model",
    "jszb.policy",
    "jszb.report",
    "jszb.results",
]

# Classes and functions a module's __all__ lists although another module
# defines them: jszb.engine exported them before they moved to jszb.results.
REEXPORTS = {"jszb.engine": {"RequestGroup", "UnitScore", "VerifyReport"}}

# Public names of the modules that jszb itself need not export: helpers for
# code that calls the C library, constants of the C ABI, and jszb.frames,
# which is used as a module (jszb.frames.report_tables).
NOT_AT_TOP = {
    "jszb.errors": {"check", "error_for"},
    "jszb.model": {"check_uint32"},
    "jszb.engine": {"PAYLOAD_FIELDS", "UINT64_MAX"},
    "jszb.frames": {
        "have_pandas", "report_tables", "scores_table", "cases_frame", "events_frame", "table",
        "TIME_ZONE",
    },
    # Used as a module too (jszb.report.UnitRow): the types of report()'s rows.
    "jszb.report": {
        "CountRow", "UnitRow", "GroupRow", "FigureOrders", "RisingRow", "ThemePeriodRow",
        "ThemeTaskRow", "ThemeRow", "ReportDict", "Report", "typed_report",
    },
}

# Every attribute jszb.Engine had before engine.py was split (issue 12): its
# methods, properties and the dunders it defined itself. Nothing may go.
ENGINE_MEMBERS = """
    __init__ __enter__ __exit__ __del__ __repr__ __len__ __contains__
    open close closed
    begin commit rollback batch
    submit submit_ex apply
    answer_on_spot not_dispatch dispatch request_return approve_return refuse_return
    sign contact_citizen add_co_handlers report_to_lead
    request_extension approve_extension refuse_extension suspend resume supervise
    reply visit redo terminate close_case appeal uphold_appeal reject_appeal reopen
    merge merge_group dispatch_routed
    replay_json replay_proto
    add_listener remove_listener set_router set_policy policy advance
    case case_count stored_case_count case_json case_proto events_json events_proto list_cases
    iter_cases
    route explain deadlines timers_pending
    assess report request_groups
    checkpoint verify purge erase_personal
""".split()
ENGINE_PROPERTIES = {"closed", "policy", "case_count", "stored_case_count", "timers_pending"}


def defined_here(module: ModuleType) -> List[str]:
    """The public classes and functions the module itself defines."""
    return sorted(
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(obj) or inspect.isfunction(obj))
        and obj.__module__ == module.__name__
    )


def test_every_name_in_jszb_all_exists_once() -> None:
    assert len(jszb.__all__) == len(set(jszb.__all__))
    missing = [name for name in jszb.__all__ if not hasattr(jszb, name)]
    assert missing == []


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_module_all_lists_exactly_what_the_module_defines(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    assert [n for n in exported if n.startswith("_") or not hasattr(module, n)] == []
    # Complete: every public class and function defined here is exported.
    assert sorted(set(defined_here(module)) - set(exported)) == []
    # Accurate: a class or function exported from elsewhere is a known re-export.
    borrowed = {
        n
        for n in exported
        if (inspect.isclass(getattr(module, n)) or inspect.isfunction(getattr(module, n)))
        and getattr(module, n).__module__ != name
    }
    assert borrowed == REEXPORTS.get(name, set())


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_jszb_reexports_what_users_need(name: str) -> None:
    module = importlib.import_module(name)
    for n in set(module.__all__) - NOT_AT_TOP.get(name, set()):
        assert n in jszb.__all__, f"{name}.{n} is not exported by jszb"
        assert getattr(jszb, n) is getattr(module, n)


def test_private_modules_export_what_they_name() -> None:
    for path in sorted(PACKAGE_DIR.glob("_*.py")):
        if path.stem in ("__init__", "_ffi", "_libpath"):
            continue
        module = importlib.import_module(f"jszb.{path.stem}")
        assert [n for n in module.__all__ if not hasattr(module, n)] == [], path.name


def test_engine_keeps_every_member() -> None:
    missing = [name for name in ENGINE_MEMBERS if not hasattr(jszb.Engine, name)]
    assert missing == []
    for name in ENGINE_MEMBERS:
        member = inspect.getattr_static(jszb.Engine, name)
        if name in ENGINE_PROPERTIES:
            assert isinstance(member, property), name
        else:
            assert callable(getattr(jszb.Engine, name)), name
    assert isinstance(inspect.getattr_static(jszb.Engine, "open"), classmethod)


def test_engine_annotations_resolve() -> None:
    # The methods now live in several modules; each must still see the names
    # its annotations use (typing.get_type_hints evaluates them).
    for name in ENGINE_MEMBERS:
        member = inspect.getattr_static(jszb.Engine, name)
        fn = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
        typing.get_type_hints(fn)


def test_check_raises_the_class_for_the_code() -> None:
    assert errors.check(0) is None
    lo, hi = ctypes.c_int64(), ctypes.c_int64()
    rc = jszb._ffi.lib.jszb_assessment_month(2024, 13, ctypes.byref(lo), ctypes.byref(hi))
    with pytest.raises(jszb.InvalidArgument) as exc:
        errors.check(rc)
    assert exc.value.code is Code.INVALID
    assert "2024-13" in exc.value.message
    # A code the error state does not describe: reported as such, not mixed up.
    with pytest.raises(jszb.NotFound) as exc:
        errors.check(int(Code.NOT_FOUND))
    assert "jszb_error_last() says" in exc.value.message


def test_only_errors_reads_the_library_error_state() -> None:
    # One place turns return codes into exceptions: jszb.errors.check.
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        if path.name in ("errors.py", "_ffi.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "jszb_error_last" not in text, path.name
        assert "rc != 0" not in text, path.name
