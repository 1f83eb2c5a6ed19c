#!/usr/bin/env bash
# Builds Jaeger v2 (cmd/jaeger) from the Go module proxy and caches the binary outside the repo.
# v2.x tags are not valid Go module versions; v1.76.0 is the same commit as v2.13.0 and its go.mod
# has a replace directive, so it is resolved through a throwaway wrapper module with `go get -tool`.
set -euo pipefail
JAEGER_MODULE_VERSION="${JAEGER_MODULE_VERSION:-v1.76.0}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/jaeger/$JAEGER_MODULE_VERSION"
BIN="$CACHE/jaeger"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
mkdir -p "$CACHE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod init jaeger-wrapper >/dev/null 2>&1
echo "building jaeger $JAEGER_MODULE_VERSION (first time only; cached in $CACHE)" >&2
GOFLAGS=-mod=mod go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
