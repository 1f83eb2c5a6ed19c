#!/usr/bin/env bash
# Builds kustomize (sigs.k8s.io/kustomize/kustomize/v5) from the Go module proxy and caches the binary
# outside the repo, keyed by version; prints its path. Used by test/deploy-manifests.test.ts to
# `kustomize build` every generated overlay and the Datadog Agent folder.
set -euo pipefail
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.2}"
CACHE="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/kustomize/$KUSTOMIZE_VERSION"
BIN="$CACHE/kustomize"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "build-kustomize: go not found (v5.8.2 needs Go 1.26+)" >&2; exit 1; }
mkdir -p "$CACHE"
echo "building kustomize $KUSTOMIZE_VERSION (first time only; cached in $CACHE)" >&2
CGO_ENABLED=0 GOBIN="$CACHE/.gobin" go install -trimpath -ldflags="-s -w" \
  "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
mv "$CACHE/.gobin/kustomize" "$BIN"
rmdir "$CACHE/.gobin" 2>/dev/null || true
"$BIN" version >/dev/null
echo "$BIN"
