#!/usr/bin/env bash
# Installs jszb from a build tree into a scratch prefix, then builds and runs
# programs against it the ways an integrator would: find_package(jszb) and
# pkg-config.
# Usage: run.sh <jszb build dir> <scratch dir>
set -euo pipefail
build=$1
scratch=$2
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
echo "install test passed"
