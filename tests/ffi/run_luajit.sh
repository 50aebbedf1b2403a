#!/bin/sh
# Runs a Lua script with LuaJIT, or skips (exit 77, ctest's SKIP_RETURN_CODE)
# with a message when luajit is not installed: scripts/setup installs it.
# Usage: run_luajit.sh <script.lua> [arguments...]
if ! command -v luajit >/dev/null 2>&1; then
  echo "luajit is not installed: skipped (scripts/setup installs Debian's luajit)"
  exit 77
fi
exec luajit "$@"
