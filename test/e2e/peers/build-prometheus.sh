#!/usr/bin/env bash
# Builds Prometheus and promtool from the Go module proxy and caches both binaries outside the repo,
# keyed by version; prints the path of prometheus (promtool is beside it). Used by the e2e suite (the
# Monitor tab check) and by the unit tests (`promtool check config` on every rendered prometheus.yml).
#
# PROMETHEUS_VERSION is the release of the prom/prometheus image that compose.yaml pins (the callers
# pass it from generators/shared/versions.ts). Prometheus 3.X.Y is the Go module version v0.3XX.Y.
# Built with the tag remove_all_sd: no service discovery plugins but file and http (static targets
# are all a generated prometheus.yml uses). Measured cold (empty module and build caches, 2 cores):
# 320 s CPU and 0.95 GB peak memory for both binaries, against 705 s and 3.3 GB with every plugin.
# The web UI's assets are not in the module: the HTTP API works, the UI does not.
set -euo pipefail
PROMETHEUS_VERSION="${PROMETHEUS_VERSION:-3.16.0}"
if [[ ! "$PROMETHEUS_VERSION" =~ ^3\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "build-prometheus: PROMETHEUS_VERSION=$PROMETHEUS_VERSION is not a 3.X.Y release" >&2
  exit 1
fi
MODULE_VERSION="v0.3$(printf '%02d' "${BASH_REMATCH[1]}").${BASH_REMATCH[2]}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/prometheus/$PROMETHEUS_VERSION"
if [[ -x "$CACHE/prometheus" && -x "$CACHE/promtool" ]]; then echo "$CACHE/prometheus"; exit 0; fi
command -v go >/dev/null || { echo "build-prometheus: go not found (Prometheus $PROMETHEUS_VERSION needs Go 1.26+)" >&2; exit 1; }
mkdir -p "$CACHE"
# One build per version at a time (the unit tests and the e2e suite may ask at once): wait for it.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
  if [[ -x "$CACHE/prometheus" && -x "$CACHE/promtool" ]]; then echo "$CACHE/prometheus"; exit 0; fi
fi
gobin="$(mktemp -d "$CACHE/.gobin.XXXXXX")"
trap 'rm -rf "$gobin"' EXIT
echo "building prometheus $PROMETHEUS_VERSION (module $MODULE_VERSION; first time only; cached in $CACHE)" >&2
CGO_ENABLED=0 GOBIN="$gobin" go install -trimpath -tags remove_all_sd \
  -ldflags="-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
  "github.com/prometheus/prometheus/cmd/prometheus@$MODULE_VERSION" \
  "github.com/prometheus/prometheus/cmd/promtool@$MODULE_VERSION" >&2
"$gobin/promtool" --version >/dev/null
# promtool first: prometheus being there is what marks the cache as complete.
mv "$gobin/promtool" "$CACHE/promtool"
mv "$gobin/prometheus" "$CACHE/prometheus"
echo "$CACHE/prometheus"
