"""docs/schema/jszb-export.schema.json: up to date with the jszb.v1 schema
(scripts/gen_export_schema.py makes it), and every line of a JSON Lines
export valid against it (checked by a small validator of the keywords the
schema uses, as Debian's python3 has no jsonschema by default)."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

import jszb

from conftest import ROOT
from test_interchange import fill

SCHEMA_FILE = ROOT / "docs" / "schema" / "jszb-export.schema.json"


def test_the_schema_file_is_generated_from_the_protos(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_export_schema.py"), str(out)],
                   check=True)
    assert out.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "run scripts/gen_export_schema.py")


def check(value: Any, schema: Dict[str, Any], root: Dict[str, Any], path: str) -> None:
    if "$ref" in schema:
        check(value, root["$defs"][schema["$ref"].split("/")[-1]], root, path)
        return
    if "oneOf" in schema:
        passing = 0
        for option in schema["oneOf"]:
            try:
                check(value, option, root, path)
                passing += 1
            except AssertionError:
                pass
        assert passing == 1, f"{path}: {passing} of oneOf match"
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "number": (int, float)}
    kind = schema.get("type")
    if kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: not an integer"
        assert schema["minimum"] <= value <= schema["maximum"], f"{path}: out of range"
    elif kind is not None:
        assert isinstance(value, types[kind]), f"{path}: not a {kind}"
    if "const" in schema:
        assert value == schema["const"], path
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in the enum"
    if "pattern" in schema:
        assert re.search(schema["pattern"], value), f"{path}: {value!r}"
    if kind == "array":
        for i, item in enumerate(value):
            check(item, schema["items"], root, f"{path}[{i}]")
    if kind == "object":
        for key in schema.get("required", []):
            assert key in value, f"{path}: {key} missing"
        for key, item in value.items():
            assert key in schema["properties"], f"{path}: {key} is not in the schema"
            check(item, schema["properties"][key], root, f"{path}.{key}")


def test_every_exported_line_is_valid(tmp_path: Path, default_policy: jszb.Policy) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    with jszb.Engine.open(str(tmp_path / "s.jszb")) as eng:
        eng.set_policy(default_policy)
        fill(eng)
        out = io.BytesIO()
        eng.export_cases(out, with_personal=True)
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) > 10
    for n, line in enumerate(lines, 1):
        check(json.loads(line), schema, schema, f"line {n}")
    # The validator can fail: a field the schema does not know, a bad time.
    with pytest.raises(AssertionError, match="colour"):
        check({"record": "case", "colour": 1}, schema["oneOf"][0], schema, "x")
    with pytest.raises(AssertionError):
        check({"record": "event", "time": "2024-03-01T01:00:00Z"}, schema, schema, "x")
