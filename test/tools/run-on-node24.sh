#!/usr/bin/env bash
# `npm run test:node24`: the CLI-facing suites once more on Node 24 (the npm package `node` ships a real
# binary; installed once into the cache, keyed by version). The spawned bin resolves `node` from PATH,
# so the generator itself runs on Node 24, not only vitest. Run after `npm run build`.
set -euo pipefail
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
DIR="${CIA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/create-instrumented-api}/node/$NODE24_VERSION"
if [[ ! -x "$DIR/node_modules/.bin/node" ]]; then
  echo "installing node@$NODE24_VERSION (first time only; cached in $DIR)" >&2
  npm install --no-audit --no-fund --loglevel=error --prefix "$DIR" "node@$NODE24_VERSION" >&2
fi
cd "$(dirname "$0")/../.."
export PATH="$DIR/node_modules/.bin:$PATH"
[[ "$(node --version)" == "v$NODE24_VERSION" ]] || { echo "run-on-node24: node on PATH is $(node --version), not v$NODE24_VERSION" >&2; exit 1; }
exec node node_modules/vitest/vitest.mjs run \
  test/cli.test.ts test/interactive.test.ts test/output.test.ts test/refresh-cli.test.ts test/package.test.ts
