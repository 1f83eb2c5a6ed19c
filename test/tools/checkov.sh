#!/usr/bin/env bash
# Installs checkov (the infrastructure-as-code scanner platform teams run) from PyPI into its own
# cached virtualenv outside the repo, keyed by version; prints its path.
set -euo pipefail
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
ROOT="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}"
CACHE="$ROOT/checkov/$CHECKOV_VERSION"
BIN="$CACHE/venv/bin/checkov"
STAMP="$CACHE/.complete"
if [[ -x "$BIN" && -f "$STAMP" ]]; then echo "$BIN"; exit 0; fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "checkov: $PYTHON not found" >&2; exit 1; }
echo "installing checkov==$CHECKOV_VERSION (first time only; cached in $CACHE)" >&2
rm -rf "$CACHE/venv" "$STAMP"
mkdir -p "$CACHE"
"$PYTHON" -m venv "$CACHE/venv" >&2
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$ROOT/pip}"
"$CACHE/venv/bin/pip" install --disable-pip-version-check -q "checkov==$CHECKOV_VERSION" >&2
"$BIN" --version >/dev/null
touch "$STAMP"
echo "$BIN"
