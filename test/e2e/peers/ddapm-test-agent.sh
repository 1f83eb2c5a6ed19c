#!/usr/bin/env bash
# Installs the Datadog APM test agent (ddapm-test-agent, PyPI) into its own cached virtualenv outside
# the repo and prints the path of its executable. It pins an older opentelemetry-proto than generated
# apps use, so it never shares an environment with them.
set -euo pipefail
DDAPM_TEST_AGENT_VERSION="${DDAPM_TEST_AGENT_VERSION:-1.69.1}"
ROOT="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}"
CACHE="$ROOT/ddapm-test-agent/$DDAPM_TEST_AGENT_VERSION"
BIN="$CACHE/venv/bin/ddapm-test-agent"
STAMP="$CACHE/.complete"
if [[ -x "$BIN" && -f "$STAMP" ]]; then echo "$BIN"; exit 0; fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "ddapm-test-agent: $PYTHON not found" >&2; exit 1; }
echo "installing ddapm-test-agent==$DDAPM_TEST_AGENT_VERSION (first time only; cached in $CACHE)" >&2
rm -rf "$CACHE/venv" "$STAMP"
mkdir -p "$CACHE"
"$PYTHON" -m venv "$CACHE/venv" >&2
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$ROOT/pip}"
"$CACHE/venv/bin/pip" install --disable-pip-version-check -q "ddapm-test-agent==$DDAPM_TEST_AGENT_VERSION" >&2
"$BIN" --help >/dev/null
touch "$STAMP"
echo "$BIN"
