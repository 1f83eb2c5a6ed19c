#!/usr/bin/env bash
# Builds Prometheus and promtool from the Go module proxy and caches both binaries outside the repo,
# keyed by version; prints the path of prometheus (promtool is beside it). Used by the e2e suite (the
# Monitor tab check) and, as the test tool `prometheus` (test/tools/index.ts), by the unit tests
# (`promtool check config` on every rendered prometheus.yml).
#
# PROMETHEUS_VERSION is the release of the prom/prometheus image that compose.yaml pins (the callers
# pass it from generators/shared/versions.ts). Prometheus 3.X.Y is the Go module version v0.3XX.Y.
# Built with the tag remove_all_sd: no service discovery plugins but file and http (static targets
# are all a generated prometheus.yml uses). Measured cold (empty module and build caches, 2 cores):
# 320 s CPU and 0.95 GB peak memory for both binaries, against 705 s and 3.3 GB with every plugin.
# The web UI's assets are not in the module: the HTTP API works, the UI does not.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PROMETHEUS_VERSION="${PROMETHEUS_VERSION:-3.16.0}"
if [[ ! "$PROMETHEUS_VERSION" =~ ^3\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "build-prometheus: PROMETHEUS_VERSION=$PROMETHEUS_VERSION is not a 3.X.Y release" >&2
  exit 1
fi
MODULE_VERSION="v0.3$(printf '%02d' "${BASH_REMATCH[1]}").${BASH_REMATCH[2]}"
CACHE="$(peer_cache prometheus "$PROMETHEUS_VERSION")"
BIN="$CACHE/prometheus"
# prometheus is installed last: its presence means promtool is there too.
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-prometheus: go not found (Prometheus $PROMETHEUS_VERSION needs Go 1.26+)" >&2; exit 1; }
peer_lock "$CACHE"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
peer_scratch
echo "building prometheus $PROMETHEUS_VERSION (module $MODULE_VERSION; first time only; cached in $CACHE)" >&2
CGO_ENABLED=0 GOBIN="$PEER_SCRATCH" go install -trimpath -tags remove_all_sd \
  -ldflags="-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
  "github.com/prometheus/prometheus/cmd/prometheus@$MODULE_VERSION" \
  "github.com/prometheus/prometheus/cmd/promtool@$MODULE_VERSION" >&2
./promtool --version >/dev/null
peer_install promtool "$CACHE/promtool"
peer_install prometheus "$BIN"
echo "$BIN"
