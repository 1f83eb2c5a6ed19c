#!/usr/bin/env bash
# Builds etcd (go.etcd.io/etcd/server/v3, the server's main package) from the Go module proxy and
# caches the binary outside the repo, keyed by version; prints its path. Its go.mod has replace
# directives, so `go install` refuses it: it is resolved through a throwaway wrapper with `go get -tool`.
set -euo pipefail
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/etcd/$ETCD_VERSION"
BIN="$CACHE/etcd"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-etcd: go not found" >&2; exit 1; }
mkdir -p "$CACHE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "building etcd $ETCD_VERSION (first time only; cached in $CACHE)" >&2
go mod init etcd-wrapper >/dev/null 2>&1
GOFLAGS=-mod=mod go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/etcd" go.etcd.io/etcd/server/v3 >&2
"$work/etcd" --version >/dev/null
mv "$work/etcd" "$CACHE/.etcd.$$"
mv "$CACHE/.etcd.$$" "$BIN"
echo "$BIN"
