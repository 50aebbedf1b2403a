#!/usr/bin/env python3
"""Checks the shape of lib/ and capi/ that docs/architecture.md ("The code in layers") promises.

  layers    every file in lib/ lives in a layer folder and includes from its own
            layer or the ones below it: base < model < policy < lifecycle <
            store < engine < report (CMake links the layers the same way; this
            catches an include that the shared include root would let through).
  sizes     no source file in lib/ or capi/ is over 900 lines, and no function
            defined at namespace scope is over 120 lines.

Usage: check_layout.py layers|sizes ROOT. Prints each problem as path:line and
exits 1 if there is any.
"""
import pathlib
import re
import sys

LAYERS = ["base", "model", "policy", "lifecycle", "store", "engine", "report", "interchange"]
SOURCE = (".h", ".cc")
MAX_FILE_LINES = 900
MAX_FUNCTION_LINES = 120
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def lib_sources(root):
    return sorted(p for p in (root / "lib").rglob("*") if p.suffix in SOURCE)


def check_layers(root):
    problems = []
    for path in lib_sources(root):
        rel = path.relative_to(root / "lib")
        if len(rel.parts) < 2 or rel.parts[0] not in LAYERS:
            problems.append(f"lib/{rel}: not in a layer folder ({', '.join(LAYERS)})")
            continue
        own = LAYERS.index(rel.parts[0])
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            top = target.split("/", 1)[0]
            if top in LAYERS:
                if LAYERS.index(top) > own:
                    problems.append(f"lib/{rel}:{n}: includes {target}, from layer "
                                    f"{top} above its own ({rel.parts[0]})")
                elif not (root / "lib" / target).exists():
                    problems.append(f"lib/{rel}:{n}: includes {target}, which does not exist")
            elif "/" not in target:
                problems.append(f"lib/{rel}:{n}: includes {target} by bare name; "
                                f"includes are rooted at lib/ (\"layer/{target}\")")
    return problems


def function_spans(lines):
    """(first line, length) of each function defined at column 0."""
    i = 0
    while i < len(lines):
        line = lines[i]
        starts_definition = (
            line and not line[0].isspace() and "(" in line
            and not line.startswith(("//", "#", "}", "namespace", "using", "struct ",
                                     "class ", "enum ", "extern", "static_assert", "typedef")))
        if starts_definition:
            j = i
            while j < len(lines) and j - i < 12 and not lines[j].rstrip().endswith(("{", ";")):
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith("{") and j - i < 12:
                k = j + 1
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                yield i + 1, k - i + 1
                i = k
        i += 1


def check_sizes(root):
    problems = []
    paths = lib_sources(root) + sorted(p for p in (root / "capi").rglob("*") if p.suffix in SOURCE)
    for path in paths:
        rel = path.relative_to(root)
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_FILE_LINES:
            problems.append(f"{rel}: {len(lines)} lines (at most {MAX_FILE_LINES})")
        for first, length in function_spans(lines):
            if length > MAX_FUNCTION_LINES:
                problems.append(f"{rel}:{first}: a function of {length} lines "
                                f"(at most {MAX_FUNCTION_LINES})")
    return problems


def main(argv):
    if len(argv) != 3 or argv[1] not in ("layers", "sizes"):
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(argv[2]).resolve()
    problems = check_layers(root) if argv[1] == "layers" else check_sizes(root)
    for p in problems:
        print(p)
    print(f"{argv[1]}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
