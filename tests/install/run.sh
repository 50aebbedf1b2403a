#!/usr/bin/env bash
# Installs jszb from a build tree into a scratch prefix, then builds and runs
# programs against it the ways an integrator would: find_package(jszb) and
# pkg-config; and, given the Python the package is installed for, imports the
# installed jszb package with it.
# Usage: run.sh <jszb build dir> <scratch dir> [<python>]
set -euo pipefail
build=$1
scratch=$2
python=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch"
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" > /dev/null

# The installed tree holds the library, the headers and both package files.
test -f "$prefix/include/jszb/jszb.h"
test -f "$prefix/include/jszb/jszb.hpp"
test -f "$prefix/include/jszb/jszb_ffi.h"
test -f "$prefix/include/jszb/proto/jszb/v1/case.proto"
libdir=$(dirname "$(find "$prefix" -name 'libjszb.so.0' | head -1)")
test -f "$libdir/cmake/jszb/jszbConfig.cmake"
test -f "$libdir/pkgconfig/jszb.pc"
# Every document jszb.h names is installed beside it, in share/doc/jszb.
for doc in $(grep -o 'docs/[a-z_]*\.md\|README\.md' "$prefix/include/jszb/jszb.h" | sort -u); do
  test -f "$prefix/share/doc/jszb/$(basename "$doc")" || { echo "jszb.h names $doc: not installed" >&2; exit 1; }
done
# The JSON Schema jszb.h names (the JSON Lines export), valid JSON.
python3 -m json.tool "$prefix/share/doc/jszb/schema/jszb-export.schema.json" > /dev/null

# find_package(jszb)
cmake -S "$here/consumer" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build "$scratch/consumer" > /dev/null
LD_LIBRARY_PATH=$libdir "$scratch/consumer/consumer_c"
LD_LIBRARY_PATH=$libdir "$scratch/consumer/consumer_cpp"
LD_LIBRARY_PATH=$libdir "$scratch/consumer/consumer_proto"

# pkg-config
export PKG_CONFIG_PATH=$libdir/pkgconfig
test "$(pkg-config --modversion jszb)" = "0.2.0"
cc -std=c99 -Wall -Wextra -pedantic -Werror "$here/consumer/main.c" -o "$scratch/consumer_pc" \
  $(pkg-config --cflags --libs jszb)
LD_LIBRARY_PATH=$libdir "$scratch/consumer_pc"
# jszb_ffi.h, for FFIs, is plain C declarations: it compiles after <stdint.h>.
printf '#include <stddef.h>\n#include <stdint.h>\n#include <jszb/jszb_ffi.h>\n' |
  cc -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$prefix/include" -x c -

# The Python package: where that python searches under the prefix
# (bindings/python/site_dir.py), typed, loading the installed library.
if [ -n "$python" ]; then
  site_dir=$here/../../bindings/python/site_dir.py
  site=$prefix/$("$python" "$site_dir" "$prefix")
  test -f "$site/jszb/__init__.py" || { echo "jszb is not installed in $site" >&2; exit 1; }
  test -f "$site/jszb/py.typed"
  loaded=$(cd "$scratch" && env -u JSZB_LIBRARY PYTHONPATH="$site" "$python" -c \
    'import jszb; e = jszb.Engine(); print(jszb.library_path); e.close()')
  test "$loaded" = "$libdir/libjszb.so.0" || { echo "loaded $loaded, not $libdir/libjszb.so.0" >&2; exit 1; }
  # Under /usr and /usr/local the directory is one that python searches.
  for system_prefix in /usr /usr/local; do
    dir=$system_prefix/$("$python" "$site_dir" "$system_prefix")
    "$python" -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' "$dir" ||
      { echo "$python does not search $dir" >&2; exit 1; }
  done
fi
echo "install test passed"
