#!/usr/bin/env bash
# Builds actionlint (lints GitHub workflows; runs shellcheck on their `run:` scripts) from the Go
# module proxy and caches the binary outside the repo, keyed by version; prints its path.
set -euo pipefail
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/actionlint/$ACTIONLINT_VERSION"
BIN="$CACHE/actionlint"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-actionlint: go not found" >&2; exit 1; }
mkdir -p "$CACHE"
echo "building actionlint $ACTIONLINT_VERSION (first time only; cached in $CACHE)" >&2
gobin="$CACHE/.gobin.$$"
trap 'rm -rf "$gobin"' EXIT
CGO_ENABLED=0 GOBIN="$gobin" go install -trimpath -ldflags="-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
"$gobin/actionlint" -version >/dev/null
mv "$gobin/actionlint" "$BIN"
echo "$BIN"
