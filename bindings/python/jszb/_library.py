"""Finding libjszb. The library is looked up, in this order:
  1. the JSZB_LIBRARY environment variable (a path to libjszb.so), which wins;
  2. libjszb.so.<major> in the package's own directory, which the CMake build
     copies into its staged package (and pip installs from there carry);
  3. jszb/_libpath.py, written by CMake when the package is staged or installed;
  4. the system's loader by the library's SONAME (an installed libjszb: the
     ld.so cache, LD_LIBRARY_PATH), then ctypes.util.find_library("jszb").
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import List, Tuple

__all__ = ["load_library"]


def _candidates(soname: str) -> List[Tuple[str, str]]:
    """(where the name came from, name or path) in the order they are tried."""
    env = os.environ.get("JSZB_LIBRARY")
    if env:
        # An explicit choice wins and is not second-guessed by falling back.
        return [("JSZB_LIBRARY", env)]
    found: List[Tuple[str, str]] = []
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), soname)
    if os.path.exists(bundled):
        found.append(("the package's directory", bundled))
    try:
        from . import _libpath  # written by CMake; absent in the source tree

        found.append(("jszb/_libpath.py", _libpath.LIBRARY))
    except ImportError:
        pass
    found.append(("the system's loader", soname))
    name = ctypes.util.find_library("jszb")
    if name:
        found.append(("ctypes.util.find_library('jszb')", name))
    return found


def load_library(soname: str) -> Tuple[ctypes.CDLL, str]:
    """The library and the name it was loaded by."""
    tried: List[str] = []
    for origin, name in _candidates(soname):
        try:
            return ctypes.CDLL(name), name
        except OSError as exc:
            tried.append(f"{origin}: {name!r} ({exc})")
    raise ImportError(
        "jszb: cannot load libjszb. Set JSZB_LIBRARY to the path of libjszb.so, "
        "install libjszb (cmake --install), or use the package staged by the CMake build "
        "(PYTHONPATH=<build>/python, or pip install <build>/python). "
        "Tried:\n  " + "\n  ".join(tried)
    )
