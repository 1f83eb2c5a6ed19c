// Where things are: the repository root (found from this file, compiled or not), the peer scripts,
// the real bin, and the cache outside the repo shared with the peer scripts.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'create-instrumented-api') return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('e2e: cannot find the create-instrumented-api repository root');
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot();
export const PEER_SCRIPTS = join(REPO_ROOT, 'test', 'e2e', 'peers');
/** The real bin; E2E_GENERATOR_BIN swaps in another (only for testing the harness itself). */
export const BIN = process.env.E2E_GENERATOR_BIN ?? join(REPO_ROOT, 'bin', 'create-instrumented-api.js');
/** Same rule as the peer scripts: $CIA_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, /create-instrumented-api. */
export const CACHE_DIR =
  process.env.CIA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-instrumented-api');
