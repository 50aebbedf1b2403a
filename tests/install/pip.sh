#!/usr/bin/env bash
# pip installs the jszb Python package into fresh virtual environments,
# offline (Debian's setuptools and wheel, no index, no build isolation), and
# runs a small engine round trip with each venv's python:
#   1. from the source tree (bindings/python), finding libjszb through
#      JSZB_LIBRARY, then through the system's loader (LD_LIBRARY_PATH);
#   2. from the build's staged package (<build>/python), which carries its
#      own copy of the library: no variable needed, and the copy installed in
#      the venv is the one loaded.
# Usage: pip.sh <source dir> <build dir> <python> <scratch dir>
set -euo pipefail
src=$1
build=$2
python=$3
scratch=$4
rm -rf "$scratch"
mkdir -p "$scratch"
# Skipped (77) only when what an offline pip install needs is not installed;
# scripts/setup installs it.
if ! "$python" -c 'import ensurepip, setuptools, wheel' 2>/dev/null; then
  echo "skipped: $python lacks venv/ensurepip, setuptools or wheel" \
    "(Debian: python3-venv python3-setuptools python3-wheel; scripts/setup)" >&2
  exit 77
fi
# The library the SONAME names (a build directory may hold older versions too).
library=$(readlink -f "$build/capi/libjszb.so.0" || true)
test -f "$library" || { echo "no libjszb.so.0 in $build/capi" >&2; exit 1; }

# A round trip: a case from intake to closed, then its state, from outside
# any source or build directory. Prints the library loaded.
round_trip='
import sys
from datetime import datetime, timedelta, timezone
import jszb
from jszb import Actor, Channel, Kind, Satisfaction, State
t = datetime(2024, 3, 1, 22, 15, tzinfo=timezone(timedelta(hours=8)))
with jszb.Engine() as eng:
    c = eng.submit(time=t, actor=Actor.operator(staff=7), channel=Channel.PHONE,
                   channel_ref="call-42", kind=Kind.COMPLAINT,
                   category=("城乡建设", "施工扰民"), content="工地夜间施工")
    eng.dispatch(c, t + timedelta(minutes=10), Actor.dispatcher(), unit=110105001)
    eng.sign(c, t + timedelta(minutes=30), Actor.unit(110105001))
    eng.reply(c, t + timedelta(hours=20), Actor.unit(110105001), text="已停工",
              contacted=True, solved=True)
    eng.visit(c, t + timedelta(days=1), Actor.operator(), contacted=True, solved=True,
              satisfaction=Satisfaction.SATISFIED)
    eng.close_case(c, t + timedelta(days=1, minutes=5), Actor.operator())
    assert eng.case(c).state == State.CLOSED, eng.case(c).state
    assert eng.stored_case_count == 1
print(jszb.__file__)
print(jszb.library_path)
'

# Runs the round trip with venv $1's python and a clean environment plus "$@".
run_in() {
  local venv=$1
  shift
  (cd "$scratch" && env -u JSZB_LIBRARY -u PYTHONPATH -u LD_LIBRARY_PATH "$@" \
    "$venv/bin/python" -c "$round_trip")
}

# The package must come from the venv, typed (PEP 561), with its version.
check_installed() {
  local venv=$1 out=$2
  local package
  package=$(sed -n 1p <<< "$out")
  case $package in
    "$venv"/*) ;;
    *) echo "jszb was imported from $package, not from $venv" >&2; exit 1 ;;
  esac
  test -f "$(dirname "$package")/py.typed" || { echo "py.typed is not installed" >&2; exit 1; }
  local version
  version=$("$venv/bin/pip" show jszb | sed -n 's/^Version: //p')
  test "$version" = "0.2.0" || { echo "pip says jszb is version $version" >&2; exit 1; }
}

pip_install() {
  local venv=$1 from=$2
  "$python" -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --no-index --no-build-isolation --disable-pip-version-check "$from"
}

# 1. From a copy of the source tree (pip builds in place: the copy keeps the
#    source tree clean).
cp -r "$src/bindings/python" "$scratch/source"
rm -rf "$scratch/source/build" "$scratch/source/"*.egg-info
pip_install "$scratch/v1" "$scratch/source"
out=$(run_in "$scratch/v1" JSZB_LIBRARY="$library")
check_installed "$scratch/v1" "$out"
test "$(sed -n 2p <<< "$out")" = "$library"
# An installed library, found by the system's loader by its SONAME.
out=$(run_in "$scratch/v1" LD_LIBRARY_PATH="$(dirname "$library")")
test "$(sed -n 2p <<< "$out")" = "libjszb.so.0"
# Nothing to load: the ImportError says what was tried.
if err=$(run_in "$scratch/v1" 2>&1); then
  echo "import jszb succeeded without any library to load: $err" >&2
  exit 1
fi
grep -q "JSZB_LIBRARY" <<< "$err"

# 2. From the build's staged package, which carries the library.
cp -r "$build/python" "$scratch/staged"
rm -rf "$scratch/staged/build" "$scratch/staged/"*.egg-info
pip_install "$scratch/v2" "$scratch/staged"
out=$(run_in "$scratch/v2")
check_installed "$scratch/v2" "$out"
loaded=$(sed -n 2p <<< "$out")
test "$loaded" = "$(dirname "$(sed -n 1p <<< "$out")")/libjszb.so.0" ||
  { echo "the venv loaded $loaded, not the library installed with the package" >&2; exit 1; }
echo "pip install test passed"
