#!/usr/bin/env bash
# Fetches the Datadog Operator's DatadogAgent CRD (config/crd/bases/v1/datadoghq.com_datadogagents.yaml)
# from the github.com/DataDog/datadog-operator Go module (`go mod download`, which verifies it against
# the checksum database; nothing is built) and caches it outside the repo, keyed by version; prints its path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATADOG_OPERATOR_VERSION="${DATADOG_OPERATOR_VERSION:-v1.31.2}"
CACHE="$(peer_cache datadog-operator "$DATADOG_OPERATOR_VERSION")"
CRD="$CACHE/datadoghq.com_datadogagents.yaml"
if [[ -s "$CRD" ]]; then echo "$CRD"; exit 0; fi
command -v go >/dev/null || { echo "datadog-operator-crd: go not found" >&2; exit 1; }
peer_lock "$CACHE"
if [[ -s "$CRD" ]]; then echo "$CRD"; exit 0; fi
peer_scratch
echo "downloading github.com/DataDog/datadog-operator@$DATADOG_OPERATOR_VERSION (first time only; cached in $CACHE)" >&2
go mod init crd-wrapper >/dev/null 2>&1
# The module's go directive may be newer than the local Go (v1.31.2 wants 1.26.10), in which case
# `go mod download` verifies and caches the zip but refuses to extract it: read the file from the zip.
json="$(go mod download -json "github.com/DataDog/datadog-operator@$DATADOG_OPERATOR_VERSION" || true)"
zip="$(sed -n 's/^[[:space:]]*"Zip": "\(.*\)",*$/\1/p' <<<"$json")"
[[ -f "$zip" ]] || { echo "datadog-operator-crd: cannot download the module: $(tr -d '\n\t' <<<"$json")" >&2; exit 1; }
member="github.com/DataDog/datadog-operator@$DATADOG_OPERATOR_VERSION/config/crd/bases/v1/datadoghq.com_datadogagents.yaml"
src="crd.yaml"
"${PYTHON:-python3}" -c 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
  "$zip" "$member" "$src" || { echo "datadog-operator-crd: $member not found in $zip" >&2; exit 1; }
grep -q '^kind: CustomResourceDefinition' "$src" ||
  { echo "datadog-operator-crd: $member is not a CustomResourceDefinition" >&2; exit 1; }
chmod 644 "$src"
peer_install "$src" "$CRD"
echo "$CRD"
