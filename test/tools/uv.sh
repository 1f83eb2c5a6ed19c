#!/usr/bin/env bash
# Installs uv (the Python package manager of --pm uv projects) from PyPI, whose wheel ships the static
# binary, and caches that binary alone in a folder outside the repo, keyed by version; prints its
# path. The folder holds nothing but uv, so the tests can put it first on PATH.
set -euo pipefail
UV_VERSION="${UV_VERSION:-0.13.8}"
ROOT="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}"
CACHE="$ROOT/uv/$UV_VERSION"
BIN="$CACHE/bin/uv"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "uv: $PYTHON not found" >&2; exit 1; }
echo "installing uv==$UV_VERSION (first time only; cached in $CACHE)" >&2
mkdir -p "$CACHE/bin"
scratch="$(mktemp -d "$CACHE/.install.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
"$PYTHON" -m venv "$scratch/venv" >&2
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$ROOT/pip}"
"$scratch/venv/bin/pip" install --disable-pip-version-check -q "uv==$UV_VERSION" >&2
version="$("$scratch/venv/bin/uv" --version)"
[[ "$version" == "uv $UV_VERSION"* ]] || { echo "uv: installed binary says \"$version\", not $UV_VERSION" >&2; exit 1; }
# Whole or not at all: a copy in the cache folder, then a rename (another run may be reading $BIN).
cp "$scratch/venv/bin/uv" "$CACHE/bin/.uv.$$"
mv "$CACHE/bin/.uv.$$" "$BIN"
echo "$BIN"
