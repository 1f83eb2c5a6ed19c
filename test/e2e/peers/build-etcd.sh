#!/usr/bin/env bash
# Builds etcd (go.etcd.io/etcd/server/v3, the server's main package) from the Go module proxy and
# caches the binary outside the repo, keyed by version; prints its path. Its go.mod has replace
# directives, so `go install` refuses it: it is resolved through a throwaway wrapper with `go get -tool`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE="$(peer_cache etcd "$ETCD_VERSION")"
BIN="$CACHE/etcd"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-etcd: go not found" >&2; exit 1; }
peer_lock "$CACHE"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
peer_scratch
echo "building etcd $ETCD_VERSION (first time only; cached in $CACHE)" >&2
go mod init etcd-wrapper >/dev/null 2>&1
GOFLAGS=-mod=mod go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o etcd go.etcd.io/etcd/server/v3 >&2
./etcd --version >/dev/null
peer_install etcd "$BIN"
echo "$BIN"
