#!/bin/sh
# What `make run` runs once the venv and the front-end files are in place: migrate, seed the demo, then
# the web process and the scheduler together from the Procfile (honcho); Ctrl-C stops both.
# Every SLIVERS_* variable (SLIVERS_DATA_DIR is exported by the Makefile) reaches every process, so they
# all open the same database, and each says which one at start-up.
# BIN: the venv's bin folder (absolute). SLIVERS_PORT: the web port (8000). SLIVERS_DEMO_ARGS: for `slivers demo`.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${BIN:-$ROOT/.venv/bin}"
"$BIN/slivers" db upgrade
# shellcheck disable=SC2086 # the demo's options, split on purpose
"$BIN/slivers" demo ${SLIVERS_DEMO_ARGS:-}
PATH="$BIN:$PATH"
export PATH
exec "$BIN/honcho" --procfile "$ROOT/Procfile" --app-root "$ROOT" start
