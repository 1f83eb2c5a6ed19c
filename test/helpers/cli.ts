// Spawns the real bin (compiled dist/, built by `npm test`) the way a user or CI would.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execa, type Options } from 'execa';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO_ROOT, 'bin/create-instrumented-api.js');

export function tempDir(prefix = 'cia-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI with no terminal (stdin closed), as CI does. Never throws on exit codes. */
export function runCli(args: string[], options: Options & { cwd: string }, bin = BIN) {
  return execa('node', [bin, ...args], { stdin: 'ignore', reject: false, timeout: 60_000, ...options });
}

/** Every file under dir (relative paths, sorted), to compare "nothing written". */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export function readYoRc(projectDir: string): { version: string; answers: Record<string, unknown>; managedFiles: Record<string, string> } {
  return JSON.parse(readFileSync(join(projectDir, '.yo-rc.json'), 'utf8'))['create-instrumented-api'];
}

/**
 * Drives a bin (default: this repository's) in a pseudo-terminal (util-linux `script`): waits for
 * each prompt text, then types.
 */
export async function walkThroughTerminal(cwd: string, steps: Array<[RegExp, string]>, command = `node ${BIN}`) {
  const child = execa('script', ['-qec', `${command} --skip-install --skip-git`, '/dev/null'], {
    cwd,
    stdin: 'pipe',
    reject: false,
    timeout: 60_000,
    env: { TERM: 'xterm', COLUMNS: '120' },
  });
  let screen = '';
  let waiter: (() => void) | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    waiter?.();
  });
  let seenUpTo = 0;
  for (const [pattern, keys] of steps) {
    await new Promise<void>((resolvePrompt, reject) => {
      const timer = setTimeout(() => reject(new Error(`prompt ${pattern} never appeared; screen:\n${screen.slice(-2000)}`)), 20_000);
      const check = () => {
        const match = pattern.exec(screen.slice(seenUpTo));
        if (!match) return;
        seenUpTo += match.index + match[0].length;
        clearTimeout(timer);
        waiter = undefined;
        resolvePrompt();
      };
      waiter = check;
      check();
    });
    child.stdin!.write(keys);
  }
  const result = await child;
  return { result, screen };
}
