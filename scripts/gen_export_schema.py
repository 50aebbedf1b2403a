#!/usr/bin/env python3
"""Writes docs/schema/jszb-export.schema.json, the JSON Schema (draft 2020-12)
of the JSON Lines export, from the public jszb.v1 schema (include/jszb/proto),
by the rules of lib/interchange/export_json.h: proto field names, instants
(int64 *_ms but paused_*) renamed without "_ms" as RFC 3339 strings in China
time, enums as lowercase names without their type's prefix, numbers for the
rest. tests/python/test_interchange_schema.py checks the file is up to date.

Usage: scripts/gen_export_schema.py [OUT]   (default: the file in docs/schema)
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROTO = ROOT / "include" / "jszb" / "proto" / "jszb" / "v1"
OUT = ROOT / "docs" / "schema" / "jszb-export.schema.json"
FILES = ["enums", "actor", "intake", "event", "case"]
CHINA_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$"
INTEGERS = {"int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1),
            "int64": (-2**53, 2**53), "uint64": (0, 2**53)}


def strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)


def enum_prefix(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).upper() + "_"


def parse():
    enums, messages = {}, {}
    for name in FILES:
        text = strip_comments((PROTO / f"{name}.proto").read_text(encoding="utf-8"))
        for m in re.finditer(r"enum (\w+) \{(.*?)\}", text, re.S):
            prefix = enum_prefix(m.group(1))
            values = re.findall(r"(\w+) = \d+;", m.group(2))
            enums[m.group(1)] = [v[len(prefix):].lower() if v.startswith(prefix) else v.lower()
                                 for v in values]
        for m in re.finditer(r"message (\w+) \{(.*?)\n\}", text, re.S):
            body = re.sub(r"oneof \w+ \{(.*?)\}", r"\1", m.group(2), flags=re.S)
            fields = re.findall(r"(repeated |optional )?(\w+) (\w+) = \d+;", body)
            messages[m.group(1)] = fields
    return enums, messages


def field_schema(label: str, ptype: str, name: str, enums, messages):
    if ptype == "int64" and name.endswith("_ms") and not name.startswith("paused"):
        one = {"type": "string", "pattern": CHINA_TIME}
        name = name[:-3]
    elif ptype in INTEGERS:
        lo, hi = INTEGERS[ptype]
        one = {"type": "integer", "minimum": lo, "maximum": hi}
    elif ptype in ("double", "float"):
        one = {"type": "number"}
    elif ptype == "bool":
        one = {"type": "boolean"}
    elif ptype == "string":
        one = {"type": "string"}
    elif ptype in enums:
        one = {"$ref": f"#/$defs/{ptype}"}
    elif ptype in messages:
        one = {"$ref": f"#/$defs/{ptype}"}
    else:
        raise SystemExit(f"unknown type {ptype} of {name}")
    return name, ({"type": "array", "items": one} if label == "repeated " else one)


def build():
    enums, messages = parse()
    defs = {}
    for name, values in sorted(enums.items()):
        defs[name] = {"enum": values}
    for name, fields in sorted(messages.items()):
        props = dict(field_schema(l, t, n, enums, messages) for l, t, n in fields)
        defs[name] = {"type": "object", "properties": props, "additionalProperties": False}
    record = {
        "case": {"$ref": "#/$defs/Case"},
        "event": {"$ref": "#/$defs/Event"},
    }
    one_of = []
    for kind, ref in record.items():
        target = dict(defs[ref["$ref"].split("/")[-1]])
        props = {"record": {"const": kind}, **target["properties"]}
        if kind == "case":
            props.pop("events")  # a case line carries no history: its events follow it
        one_of.append({"type": "object", "required": ["record"], "properties": props,
                       "additionalProperties": False})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://jszb.example/schema/jszb-export.schema.json",
        "title": "jszb JSON Lines export: one line, a case or an event",
        "description": "Each line of a jszb JSON Lines export is one of these objects "
                       "(docs/interchange.md). Fields holding their default are left out.",
        "oneOf": one_of,
        "$defs": defs,
    }


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
