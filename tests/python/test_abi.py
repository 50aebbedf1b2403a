"""The package mirrors jszb.h: enum numbers, names and struct layouts."""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
from enum import IntEnum
from pathlib import Path
from typing import Dict, Type

import pytest

import jszb
from jszb import _ffi
from jszb.errors import check
from conftest import ROOT

HEADER = ROOT / "include" / "jszb" / "jszb.h"

# C typedef name -> (Python enum, prefix of its enumerators).
ENUMS: Dict[str, tuple] = {
    "jszb_code": (jszb.Code, "JSZB_"),
    "jszb_refusal": (jszb.Refusal, "JSZB_REFUSAL_"),
    "jszb_kind": (jszb.Kind, "JSZB_KIND_"),
    "jszb_channel": (jszb.Channel, "JSZB_CHANNEL_"),
    "jszb_urgency": (jszb.Urgency, "JSZB_URGENCY_"),
    "jszb_role": (jszb.Role, "JSZB_ROLE_"),
    "jszb_state": (jszb.State, "JSZB_STATE_"),
    "jszb_command_kind": (jszb.CommandKind, "JSZB_CMD_"),
    "jszb_event_type": (jszb.EventType, "JSZB_EVENT_"),
    "jszb_not_dispatched_reason": (jszb.NotDispatchedReason, "JSZB_NOT_DISPATCHED_"),
    "jszb_dispatch_mode": (jszb.DispatchMode, "JSZB_DISPATCH_"),
    "jszb_satisfaction": (jszb.Satisfaction, "JSZB_"),
    "jszb_visit_method": (jszb.VisitMethod, "JSZB_VISIT_"),
    "jszb_supervision_level": (jszb.SupervisionLevel, "JSZB_SUPERVISION_"),
    "jszb_step": (jszb.Step, "JSZB_STEP_"),
    "jszb_escalation_action": (jszb.EscalationAction, "JSZB_ESCALATE_"),
    "jszb_route_outcome": (jszb.RouteOutcome, "JSZB_ROUTE_"),
    "jszb_unit_class": (jszb.UnitClass, "JSZB_UNIT_"),
    "jszb_sync": (jszb.Sync, "JSZB_SYNC_"),
    "jszb_report_format": (jszb.ReportFormat, "JSZB_REPORT_"),
    "jszb_figure": (jszb.Figure, "JSZB_FIGURE_"),
    "jszb_group_scope": (jszb.GroupScope, "JSZB_GROUP_SCOPE_"),
    "jszb_task_state": (jszb.TaskState, "JSZB_TASK_"),
    "jszb_theme_period": (jszb.ThemePeriod, "JSZB_THEME_"),
    "jszb_log_level": (jszb.LogLevel, "JSZB_LOG_"),
    "jszb_open311_format": (jszb.Open311Format, "JSZB_OPEN311_"),
    "jszb_open311_content": (jszb.Open311Content, "JSZB_OPEN311_CONTENT_"),
    "jszb_open311_status": (jszb.Open311Status, "JSZB_OPEN311_STATUS_"),
    # interchange
    "jszb_export_format": (jszb.ExportFormat, "JSZB_EXPORT_"),
}


def header_enums() -> Dict[str, Dict[str, int]]:
    """{typedef name: {enumerator: value}} parsed from jszb.h."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
    found = {}
    for body, name in re.findall(r"typedef enum \w+\s*\{(.*?)\}\s*(\w+);", text, flags=re.S):
        found[name] = {
            m.group(1): int(m.group(2))
            for m in re.finditer(r"(JSZB_\w+)\s*=\s*(-?\d+)", body)
        }
    return found


def test_every_c_enum_is_mirrored_with_the_same_numbers() -> None:
    parsed = header_enums()
    assert set(parsed) == set(ENUMS), "a C enum was added or removed: mirror it in enums.py"
    for c_name, (py_enum, prefix) in ENUMS.items():
        expected = {}
        for enumerator, value in parsed[c_name].items():
            member = enumerator[len(prefix):]
            if py_enum is jszb.Code:
                member = member[2:] if member.startswith("E_") else member
            expected[member] = value
        actual = {m.name: m.value for m in py_enum}
        assert actual == expected, c_name


def test_header_macros_match_the_package() -> None:
    text = HEADER.read_text(encoding="utf-8")

    def macro(name: str) -> int:
        m = re.search(rf"#define {name} (\d+)", text)
        assert m, name
        return int(m.group(1))

    assert macro("JSZB_VERSION_MAJOR") == _ffi.EXPECTED_MAJOR
    assert macro("JSZB_STATE_COUNT") == len(jszb.State)
    assert macro("JSZB_CMD_FIRST") == min(jszb.CommandKind)
    assert macro("JSZB_CMD_LAST") == max(jszb.CommandKind)
    for struct in CALLER_FILLED + [_ffi.jszb_request_group_v2]:
        name = struct.__name__[len("jszb_"):].upper()
        if struct is _ffi.jszb_request_group_v2:
            name = "REQUEST_GROUP"
        assert macro(f"JSZB_{name}_VERSION") == struct.LAYOUT_VERSION, struct.__name__


# The structs the caller fills: each mirrors one version of its layout
# (LAYOUT_VERSION) and is made by _ffi.new_struct with jszb_<struct>_init.
CALLER_FILLED = [
    _ffi.jszb_engine_options,
    _ffi.jszb_intake,
    _ffi.jszb_command,
    _ffi.jszb_case_filter,
    _ffi.jszb_store_options,
    _ffi.jszb_rate_weights,
    _ffi.jszb_report_options,
    _ffi.jszb_group_options,
    _ffi.jszb_unit_orders_options,
    _ffi.jszb_theme,
    _ffi.jszb_theme_task,
    _ffi.jszb_theme_trend_options,
    _ffi.jszb_verify_options,
    # operations
    _ffi.jszb_backup_options,
    _ffi.jszb_store_stats,
    _ffi.jszb_metrics,
    _ffi.jszb_open311_query,
    _ffi.jszb_what_if_options,
    # interchange
    _ffi.jszb_export_options,
    _ffi.jszb_import_options,
]


def test_every_init_macro_has_its_function_and_struct() -> None:
    text = HEADER.read_text(encoding="utf-8")
    macros = set(re.findall(r"#define JSZB_(\w+)_INIT\b", text))
    assert {s.__name__[len("jszb_"):].upper() for s in CALLER_FILLED} == macros
    for struct in CALLER_FILLED:
        assert f"{struct.__name__}_init" in header_functions(), struct.__name__


@pytest.mark.parametrize("struct", CALLER_FILLED, ids=lambda s: s.__name__)
def test_new_struct_has_the_library_defaults(struct: type) -> None:
    s = _ffi.new_struct(struct)
    assert s.version == struct.LAYOUT_VERSION
    init = getattr(_ffi.lib, struct.__name__ + "_init")
    for version, says in [(0, struct.__name__), (struct.LAYOUT_VERSION + 1, "version")]:
        with pytest.raises(jszb.InvalidArgument, match=says):
            check(init(ctypes.byref(struct()), version))
    with pytest.raises(jszb.InvalidArgument, match="NULL"):
        check(init(None, struct.LAYOUT_VERSION))


def test_the_package_makes_caller_filled_structs_with_new_struct() -> None:
    """No module builds one of them by hand (a version number and defaults of
    its own): each comes from _ffi.new_struct, so from jszb_<struct>_init."""
    names = "|".join(s.__name__ for s in CALLER_FILLED)
    by_hand = re.compile(rf"(?<!class )\b(?:{names})\(|\.version\s*=")
    for path in sorted(Path(jszb.__file__).parent.glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not by_hand.search(line), f"{path.name}:{n}: {line.strip()}"


def test_new_struct_defaults_are_the_macros() -> None:
    """A few values of the INIT macros, as the package now gets them."""
    assert _ffi.new_struct(_ffi.jszb_engine_options).max_extensions == 1
    r = _ffi.new_struct(_ffi.jszb_report_options)
    assert (r.top, r.baseline_periods, r.min_visits, r.with_orders) == (20, 4, 10, 0)
    w = _ffi.new_struct(_ffi.jszb_rate_weights)
    assert (w.response, w.resolution, w.satisfaction) == (0.1, 0.5, 0.4)
    g = _ffi.new_struct(_ffi.jszb_group_options)
    assert (g.scope, g.min_size, g.group_version) == (jszb.GroupScope.DISTRICT, 10, 1)
    t = _ffi.new_struct(_ffi.jszb_theme_trend_options)
    assert (t.period, t.before, t.after) == (jszb.ThemePeriod.MONTH, 3, 3)
    assert _ffi.new_struct(_ffi.jszb_theme_task).state == jszb.TaskState.OPEN
    c = _ffi.new_struct(_ffi.jszb_command)
    assert c.kind == 0 and c.payload.text is None and c.payload.request_id is None


@pytest.mark.parametrize(
    "function, enum",
    [
        ("jszb_code_name", jszb.Code),
        ("jszb_refusal_name", jszb.Refusal),
        ("jszb_kind_name", jszb.Kind),
        ("jszb_channel_name", jszb.Channel),
        ("jszb_urgency_name", jszb.Urgency),
        ("jszb_role_name", jszb.Role),
        ("jszb_state_name", jszb.State),
        ("jszb_command_name", jszb.CommandKind),
        ("jszb_event_type_name", jszb.EventType),
        ("jszb_not_dispatched_reason_name", jszb.NotDispatchedReason),
        ("jszb_dispatch_mode_name", jszb.DispatchMode),
        ("jszb_satisfaction_name", jszb.Satisfaction),
        ("jszb_visit_method_name", jszb.VisitMethod),
        ("jszb_supervision_level_name", jszb.SupervisionLevel),
    ],
)
def test_member_names_are_the_library_names(function: str, enum: Type[IntEnum]) -> None:
    for member in enum:
        assert _ffi.name_of(function, member.value) == member.name.lower()
    assert _ffi.name_of(function, 999) is None


def header_functions() -> Dict[str, str]:
    """{function name: its declaration, whitespace collapsed} for every JSZB_API
    function in jszb.h."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(encoding="utf-8"), flags=re.S)
    return {
        m.group(1): " ".join(m.group(0).split())
        for m in re.finditer(r"JSZB_API [^;(]*?\b(jszb_\w+)\s*\([^;]*\);", text)
    }


def test_every_c_function_has_a_prototype() -> None:
    declared = header_functions()
    # The regex still finds the declarations, first to last.
    assert {"jszb_version", "jszb_engine_apply", "jszb_engine_timers_pending"} <= set(declared)
    assert set(declared) == set(_ffi._PROTOTYPES), "bind new functions in _ffi._PROTOTYPES"


# C parameter type (as written in jszb.h) -> the ctypes type that mirrors it.
C_TYPES = {
    "int": ctypes.c_int,
    "unsigned": ctypes.c_uint,
    "uint32_t": ctypes.c_uint32,
    "uint64_t": ctypes.c_uint64,
    "int64_t": ctypes.c_int64,
    "size_t": ctypes.c_size_t,
    "void *": ctypes.c_void_p,
    "const void *": ctypes.c_void_p,
    "const char *": ctypes.c_char_p,
    "jszb_actor": _ffi.jszb_actor,
    "jszb_router_fn": _ffi.jszb_router_fn,
    "jszb_listener_fn": _ffi.jszb_listener_fn,
    "jszb_log_fn": _ffi.jszb_log_fn,
    # interchange
    "jszb_write_fn": _ffi.jszb_write_fn,
}


def c_parameter_types(declaration: str) -> list:
    """["const char *", "int64_t", "jszb_policy **", ...] for a declaration."""
    params = declaration[declaration.index("(") + 1 : declaration.rindex(")")]
    if params.strip() == "void":
        return []
    types = []
    for param in params.split(","):
        m = re.fullmatch(r"\s*(.*?)\b\w+\s*", param)  # drop the parameter's name
        assert m, param
        base = " ".join(m.group(1).replace("*", " ").split())
        stars = m.group(1).count("*")
        types.append(base + (" " + "*" * stars if stars else ""))
    return types


def test_prototypes_take_the_header_parameter_types() -> None:
    """Scalars and by-value structs must match exactly (a wrong width is
    silent corruption); pointers must at least be pointers."""
    returns = {"int": ctypes.c_int, "void": None, "uint32_t": ctypes.c_uint32,
               "size_t": ctypes.c_size_t, "const char *": ctypes.c_char_p,
               "uint64_t": ctypes.c_uint64}
    for name, declaration in header_functions().items():
        restype, argtypes = _ffi._PROTOTYPES[name]
        c_return = " ".join(declaration[len("JSZB_API ") : declaration.index(name)].split())
        c_return = c_return.replace("*", " *").replace("  ", " ").strip()  # "char*" or "char *"
        if c_return.endswith("*") and c_return != "const char *":
            assert issubclass(restype, ctypes._Pointer), f"{name} returns {c_return}"
        else:
            assert restype is returns[c_return], f"{name} returns {c_return}, bound as {restype}"
        c_types = c_parameter_types(declaration)
        assert len(argtypes) == len(c_types), name
        for c_type, py_type in zip(c_types, argtypes):
            if c_type in C_TYPES and not c_type.endswith("*"):
                assert py_type is C_TYPES[c_type], f"{name}: {c_type} is bound as {py_type}"
            elif c_type.endswith("*"):
                pointerish = (ctypes.c_void_p, ctypes.c_char_p)
                assert py_type in pointerish or issubclass(py_type, ctypes._Pointer), (
                    f"{name}: {c_type} is bound as {py_type}"
                )
            else:
                assert py_type is C_TYPES.get(c_type), f"{name}: unknown C type {c_type}"


def test_loaded_library_version() -> None:
    assert jszb.library_version_number // 10000 == _ffi.EXPECTED_MAJOR
    major, minor, patch = (int(x) for x in jszb.library_version.split("."))
    assert major * 10000 + minor * 100 + patch == jszb.library_version_number
    assert jszb.__version__ == jszb.library_version  # the package and the library move together


# Struct layouts: compile a C program that prints sizeof and offsetof for every
# field, with the real header, and compare with the ctypes mirror.
STRUCTS = [
    _ffi.jszb_error,
    _ffi.jszb_engine_options,
    _ffi.jszb_actor,
    _ffi.jszb_intake,
    _ffi.jszb_payload,
    _ffi.jszb_command,
    _ffi.jszb_event,
    _ffi.jszb_case_info,
    _ffi.jszb_case_filter,
    _ffi.jszb_deadline,
    _ffi.jszb_route,
    _ffi.jszb_rule_verdict,
    _ffi.jszb_deadline_status,
    _ffi.jszb_unit_orders_options,
    _ffi.jszb_unit_order,
    _ffi.jszb_theme,
    _ffi.jszb_theme_task,
    _ffi.jszb_theme_trend_options,
    _ffi.jszb_theme_count,
    _ffi.jszb_theme_candidate,
    _ffi.jszb_verify_options,
    _ffi.jszb_open311_query,
    # interchange
    _ffi.jszb_export_options,
    _ffi.jszb_import_options,
    _ffi.jszb_store_options,
    _ffi.jszb_rate_weights,
    _ffi.jszb_report_options,
    _ffi.jszb_group_options,
    _ffi.jszb_request_group,
    _ffi.jszb_request_group_v2,
    _ffi.jszb_unit_score,
    _ffi.jszb_unit,
    # operations
    _ffi.jszb_backup_options,
    _ffi.jszb_store_stats,
    _ffi.jszb_metrics,
    _ffi.jszb_what_if_options,
    _ffi.jszb_what_if_counts,
    _ffi.jszb_what_if_skipped,
]


def test_struct_layouts_match_the_c_compiler(tmp_path: Path) -> None:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler (cc/gcc) to measure the header's struct layouts")
    lines = ["#include <stdio.h>", "#include <stddef.h>", '#include "jszb/jszb.h"', "int main(void) {"]
    for s in STRUCTS:
        name = s.__name__
        lines.append(f'  printf("{name} sizeof %zu\\n", sizeof({name}));')
        for field, _ in s._fields_:
            lines.append(f'  printf("{name} {field} %zu\\n", offsetof({name}, {field}));')
    lines += ["  return 0;", "}"]
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines), encoding="utf-8")
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c99", "-I", str(ROOT / "include"), str(src), "-o", str(exe)], check=True)
    measured = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout

    expected = []
    for s in STRUCTS:
        expected.append(f"{s.__name__} sizeof {ctypes.sizeof(s)}")
        for field, _ in s._fields_:
            expected.append(f"{s.__name__} {field} {getattr(s, field).offset}")
    assert measured.split("\n")[:-1] == expected
