"""Prints where, under an install prefix, this Python looks for packages: the
directory `cmake --install` puts the jszb package in (relative to the prefix).

    python3 site_dir.py /usr/local   ->  lib/python3.11/dist-packages   (Debian)
    python3 site_dir.py /usr         ->  lib/python3/dist-packages      (Debian)
    python3 site_dir.py /opt/jszb    ->  lib/python3.11/dist-packages   (then PYTHONPATH)

Of the interpreter's install schemes, the first whose prefix is the given one
and whose package directory is on sys.path wins (Debian's python searches
/usr/local/lib/python3.X/dist-packages and /usr/lib/python3/dist-packages, not
.../site-packages); for any other prefix, the default scheme's directory.
"""
from __future__ import annotations

import os
import sys
import sysconfig


def _default_scheme() -> str:
    get = getattr(sysconfig, "get_default_scheme", None)  # Python 3.10+
    return get() if get else sysconfig._get_default_scheme()  # type: ignore[attr-defined]


def site_dir(prefix: str) -> str:
    prefix = os.path.normpath(prefix)
    searched = {os.path.normpath(p) for p in sys.path if p}
    default = _default_scheme()
    schemes = [default] + sorted(s for s in sysconfig.get_scheme_names() if s != default)
    for scheme in schemes:
        try:
            paths = sysconfig.get_paths(scheme)
        except KeyError:  # a scheme this platform cannot expand
            continue
        purelib = os.path.normpath(paths["purelib"])
        if os.path.normpath(paths["data"]) == prefix and purelib in searched:
            return os.path.relpath(purelib, prefix)
    paths = sysconfig.get_paths(default)
    return os.path.relpath(paths["purelib"], paths["data"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: site_dir.py <install prefix>")
    print(site_dir(sys.argv[1]))
