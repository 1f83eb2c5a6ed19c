#!/usr/bin/env bash
# Fetches the Datadog Operator's Go module (github.com/DataDog/datadog-operator) from the Go module proxy
# and caches, outside the repo and keyed by version, the DatadogAgent CRD it ships: the strict JSON Schema
# (datadoghq.com_datadogagents_v2alpha1.json, additionalProperties: false everywhere; test/datadog-agent
# validates the generated DatadogAgent against it) and the CRD YAML (datadoghq.com_datadogagents.yaml, to
# install into a real API server). Prints the folder holding both.
# `go mod download` fetches and verifies the module zip even though the module needs a newer Go than the
# one here to build (it then exits 1 with "requires go >= ..."): the zip is all this needs.
set -euo pipefail
VERSION="${DATADOG_OPERATOR_VERSION:-v1.31.2}"
MODULE=github.com/DataDog/datadog-operator
FILES=(datadoghq.com_datadogagents_v2alpha1.json datadoghq.com_datadogagents.yaml)
PARENT="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/datadog-operator"
CACHE="$PARENT/$VERSION"
cached() { for f in "${FILES[@]}"; do [[ -s "$CACHE/$f" ]] || return 1; done; }
if cached; then echo "$CACHE"; exit 0; fi
command -v go >/dev/null || { echo "fetch-datadog-operator: go not found" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fetch-datadog-operator: python3 not found (it unzips the module)" >&2; exit 1; }
mkdir -p "$PARENT"
tmp="$(mktemp -d "$PARENT/.tmp-$VERSION.XXXXXX")" # same filesystem as $CACHE: the final mv is a rename
trap 'rm -rf "$tmp"' EXIT
echo "fetching $MODULE@$VERSION (first time only; cached in $CACHE)" >&2
json="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION" 2>&1 || true)"
zip="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Zip": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$zip" || ! -s "$zip" ]]; then
  why="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' | head -1)"
  echo "fetch-datadog-operator: go mod download $MODULE@$VERSION gave no module zip: ${why:-$json}" >&2
  exit 1
fi
mkdir "$tmp/out"
python3 - "$zip" "$MODULE@$VERSION/config/crd/bases/v1" "$tmp/out" "${FILES[@]}" <<'PY'
import sys, zipfile
zip_path, prefix, out, *files = sys.argv[1:]
with zipfile.ZipFile(zip_path) as z:
    for name in files:
        with open(f"{out}/{name}", "wb") as f:
            f.write(z.read(f"{prefix}/{name}"))
PY
# Another run may have filled the cache meanwhile: keep its copy (same version, same bytes).
mv -T "$tmp/out" "$CACHE" 2>/dev/null || cached || { echo "fetch-datadog-operator: cannot write $CACHE" >&2; exit 1; }
echo "$CACHE"
