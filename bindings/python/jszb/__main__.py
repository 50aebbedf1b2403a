"""python3 -m jszb: runs the jszb command-line tool (docs/cli.md) with the
arguments given, as the process itself (os.execv), so its output and exit
code are the tool's. The tool is looked up, in this order:
  1. the JSZB_CLI environment variable (a path to the tool), which wins;
  2. bin/jszb in the package's directory, which the CMake build stages there;
  3. beside the libjszb this package loaded: <prefix>/bin/jszb for an
     installed <prefix>/lib*/libjszb.so, <build>/bindings/cli/jszb for a build;
  4. jszb on PATH.
The tool is run with the directory of the library this package loaded first
on LD_LIBRARY_PATH, so that both use the same libjszb.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import List, Optional, Tuple

__all__ = ["candidates", "find_tool", "main"]


def candidates() -> List[Tuple[str, Path]]:
    """(where the path came from, path) in the order they are tried."""
    env = os.environ.get("JSZB_CLI")
    if env:
        return [("JSZB_CLI", Path(env))]  # an explicit choice is not second-guessed
    found = [("the package's bin/", Path(__file__).resolve().parent / "bin" / "jszb")]
    library = _library_dir()
    if library is not None:
        for prefix in (library.parent, library.parent.parent):  # lib/ or lib/<multiarch>/
            found.append(("beside the installed libjszb", prefix / "bin" / "jszb"))
        found.append(("beside the built libjszb", library.parent / "bindings" / "cli" / "jszb"))
    on_path = shutil.which("jszb")
    if on_path:
        found.append(("PATH", Path(on_path)))
    return found


def _library_dir() -> Optional[Path]:
    """The directory of the libjszb this package loads, if it is a path."""
    from . import _ffi

    path = Path(_ffi.LIBRARY_PATH)
    return path.resolve().parent if path.is_absolute() or path.exists() else None


def find_tool() -> Path:
    tried = []
    for origin, path in candidates():
        if path.is_file() and os.access(path, os.X_OK):
            return path
        tried.append(f"{origin}: {path}")
    sys.stderr.write(
        "jszb: cannot find the jszb command-line tool. Set JSZB_CLI to its path, install "
        "jszb (cmake --install puts it in <prefix>/bin), or use the package staged by the "
        "CMake build. Tried:\n  " + "\n  ".join(tried) + "\n")
    raise SystemExit(1)  # bad usage, as the tool itself says it


def main(argv: List[str]) -> None:
    tool = find_tool()
    env = dict(os.environ)
    library = _library_dir()
    if library is not None:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            p for p in (str(library), env.get("LD_LIBRARY_PATH", "")) if p)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(str(tool), [str(tool), *argv], env)


if __name__ == "__main__":
    main(sys.argv[1:])
