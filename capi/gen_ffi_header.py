#!/usr/bin/env python3
"""Writes jszb_ffi.h: the declarations of jszb.h with no preprocessor directives
and no macros, for FFIs that parse C declarations but run no preprocessor
(LuaJIT's ffi.cdef, Python's cffi, Node's koffi).

What becomes of jszb.h, line by line (comments are dropped first):
  - the include guard, #include <stddef.h>/<stdint.h>: dropped (the FFIs know
    size_t and the <stdint.h> types);
  - #ifdef __cplusplus ... #endif (extern "C") and #if defined(__GNUC__) ...
    #endif (JSZB_API): dropped with what they hold; JSZB_API is removed from
    the declarations;
  - #define NAME <integer expression>: enum { NAME = <its value> };
  - #define NAME "string": a comment with the value (jszb_version() says it);
  - #define JSZB_..._INIT: a comment naming jszb_..._init(), its function;
  - any other directive or macro: an error, so that a change to jszb.h this
    script does not understand stops the build instead of going missing.

The output depends on jszb.h alone. Usage: gen_ffi_header.py jszb.h jszb_ffi.h
"""
import os
import re
import sys

PREAMBLE = """\
/* jszb_ffi.h: generated from jszb.h by capi/gen_ffi_header.py. Do not edit.

   The declarations of jszb.h with no preprocessor directives and no macros,
   for FFIs that parse C but do not preprocess it (LuaJIT's ffi.cdef, cffi,
   koffi). It needs size_t and the <stdint.h> types, which those FFIs know.
   Constants that jszb.h defines as macros are enum constants here; the
   JSZB_..._INIT macros are left out: initialise a struct with its
   jszb_<struct>_init(&s, JSZB_<STRUCT>_VERSION). jszb.h documents it all. */
"""

# Conditional blocks jszb.h has: keep what they hold, or drop it.
CONDITIONALS = {
    "#ifndef JSZB_JSZB_H": True,  # the include guard
    "#ifdef __cplusplus": False,  # extern "C" { ... }
    "#if defined(__GNUC__)": False,  # JSZB_API
}
DROPPED = {"#define JSZB_JSZB_H", "#include <stddef.h>", "#include <stdint.h>"}


def fail(lineno, message):
    sys.exit(f"jszb.h:{lineno}: {message} (gen_ffi_header.py does not know what to make of it)")


def drop_comments(text):
    """Comments out, line breaks kept, so that line numbers stay jszb.h's."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def logical_lines(text):
    """(line number, line) with backslash continuations joined."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start, line = i + 1, lines[i]
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line.rstrip()[:-1] + " " + lines[i]
        yield start, line
        i += 1


def integer_value(lineno, expression, constants):
    """The value of a constant expression of integers, + - * and parentheses,
    and constants defined before it."""
    def name(m):
        if m.group(0) not in constants:
            fail(lineno, f"{m.group(0)} is not a constant defined before")
        return str(constants[m.group(0)])

    digits = re.sub(r"[A-Za-z_]\w*", name, expression)
    if not re.fullmatch(r"[0-9\s()+*-]+", digits):
        fail(lineno, f"#define value {expression.strip()!r} is not an integer expression")
    return int(eval(digits, {"__builtins__": {}}, {}))  # digits and + - * ( ) only


def define(lineno, name, value, constants):
    """What a #define becomes."""
    if name.endswith("_INIT"):
        function = name[:-len("_INIT")].lower() + "_init"
        return [f"/* {name}: a macro; call {function}() instead. */"]
    wide = re.fullmatch(r"\s*INT64_C\((\d+)\)\s*", value)
    if wide:
        # An enum constant is an int in C; FFIs take the number from here.
        return [f"/* {name} is {wide.group(1)} (an int64_t, too wide for an enum constant). */"]
    if re.fullmatch(r'\s*"[^"\\]*"\s*', value):
        return [f"/* {name} is {value.strip()} (a string macro; jszb_version() says it). */"]
    constants[name] = integer_value(lineno, value, constants)
    return [f"enum {{ {name} = {constants[name]} }};"]


def convert(text):
    out = [PREAMBLE]
    keeping = []  # one entry per open conditional: keep what it holds?
    constants = {}
    blank = [not line.strip() for line in text.split("\n")]
    for lineno, line in logical_lines(drop_comments(text)):
        stripped = line.strip()
        if not stripped and not blank[lineno - 1]:
            continue  # a line that held only a comment
        kept = all(keeping)
        if stripped.startswith("#"):
            directive = " ".join(stripped.split())
            if directive in CONDITIONALS:
                keeping.append(CONDITIONALS[directive])
            elif directive == "#else":
                if not keeping or keeping[-1]:
                    fail(lineno, "#else of a block that is kept")
            elif directive == "#endif":
                if not keeping:
                    fail(lineno, "#endif without #if")
                keeping.pop()
            elif not kept or directive in DROPPED:
                pass
            else:
                m = re.fullmatch(r"#define (JSZB_\w+)(?: (.*))?", directive)
                if not m or m.group(2) is None:
                    fail(lineno, f"directive {directive!r}")
                out.extend(define(lineno, m.group(1), m.group(2), constants))
            continue
        if not kept:
            continue
        if re.search(r"\bJSZB_API\b", line):
            line = re.sub(r"\bJSZB_API\s+", "", line)
        out.append(line.rstrip())
    if keeping:
        fail(lineno, "a conditional is not closed")
    # Blank lines: at most one in a row, none at the end.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n"
    if re.search(r"^\s*#|\bJSZB_API\b", text, flags=re.M):
        sys.exit("gen_ffi_header.py: a directive or JSZB_API is left in the output")
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_ffi_header.py jszb.h jszb_ffi.h")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = convert(f.read())
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[2])), exist_ok=True)
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
