#!/usr/bin/env bash
# Builds Docker Compose (the `docker compose` CLI, standalone as docker-compose) from the Go module
# proxy and caches the binary outside the repo, keyed by version; prints its path. The tests run
# `docker-compose config -q` on every generated compose.yaml: the same validation, interpolation and
# consistency checks that users' `docker compose` runs, and it needs no Docker engine.
# Its go.mod has exclude directives, so `go install …@version` refuses: a throwaway wrapper module
# resolves it with `go get -tool` instead.
set -euo pipefail
DOCKER_COMPOSE_VERSION="${DOCKER_COMPOSE_VERSION:-v5.6.0}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/docker-compose/$DOCKER_COMPOSE_VERSION"
BIN="$CACHE/docker-compose"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-docker-compose: go not found (Docker Compose $DOCKER_COMPOSE_VERSION needs Go 1.26+)" >&2; exit 1; }
mkdir -p "$CACHE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod init docker-compose-wrapper >/dev/null 2>&1
echo "building docker-compose $DOCKER_COMPOSE_VERSION (first time only; cached in $CACHE)" >&2
GOFLAGS=-mod=mod go get -tool "github.com/docker/compose/v5/cmd@$DOCKER_COMPOSE_VERSION" >&2
CGO_ENABLED=0 go build -trimpath \
  -ldflags="-s -w -X github.com/docker/compose/v5/internal.Version=$DOCKER_COMPOSE_VERSION" \
  -o "$BIN.tmp.$$" github.com/docker/compose/v5/cmd >&2
"$BIN.tmp.$$" version >/dev/null
mv "$BIN.tmp.$$" "$BIN"
echo "$BIN"
