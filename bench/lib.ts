// Shared bits of the benchmarks: statistics, table printing, the machine line, the cache folder.
import { readFileSync, rmSync } from 'node:fs';
import { cpus, homedir, totalmem } from 'node:os';
import { join } from 'node:path';

/** Same rule as the e2e peers: $CIA_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/create-instrumented-api. */
export const CACHE_DIR =
  process.env.CIA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-instrumented-api');
export const BENCH_CACHE = join(CACHE_DIR, 'bench');

/** The tools compared with, at pinned versions (bump deliberately; results name the versions). */
export const PEERS = { 'create-t3-app': '7.40.0', 'create-vite': '9.3.0' } as const;

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function min(values: number[]): number {
  return values.length ? Math.min(...values) : NaN;
}

export function max(values: number[]): number {
  return values.length ? Math.max(...values) : NaN;
}

/** Fixed-width text table (first column left-aligned, the others right-aligned). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "nproc 2, 23.4 GiB, Node v20.20.2, Intel(R) Xeon(R) Processor" */
export function machineLine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    /* not Linux */
  }
  let load = '';
  try {
    load = `, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
  } catch {
    /* not Linux */
  }
  return `nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${model}${load}`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Minimal flag parser: --name value / --name=value / --flag; the rest are positionals. */
export function parseFlags(
  argv: string[],
  spec: Record<string, 'number' | 'boolean' | 'string'>,
  usage: string,
): { flags: Record<string, string | number | boolean>; positionals: string[] } {
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      console.log(usage);
      process.exit(0);
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s) as [string, string | undefined];
    const type = spec[name];
    if (!type) {
      console.error(`unknown option --${name}\n${usage}`);
      process.exit(2);
    }
    if (type === 'boolean') {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      console.error(`--${name} needs a value\n${usage}`);
      process.exit(2);
    }
    if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) {
        console.error(`--${name} must be a positive number\n${usage}`);
        process.exit(2);
      }
      flags[name] = n;
    } else flags[name] = value;
  }
  return { flags, positionals };
}

/** Ends a run: the work folder is removed unless something failed or --keep; returns the exit code. */
export function finishRun(root: string, failed: boolean, keep: unknown, say: (msg: string) => void): number {
  if (!failed && !keep) rmSync(root, { recursive: true, force: true });
  else say(`kept ${root}`);
  return failed ? 1 : 0;
}

/** Runs a bench's main: its exit code, or its error on one line once the peers it started are stopped. */
export function runBench(name: string, main: () => Promise<number>, stopAll: () => Promise<void>): void {
  main().then(
    (code) => (process.exitCode = code),
    async (error: unknown) => {
      console.error(`${name}: ${(error as Error).message}`);
      await stopAll();
      process.exitCode = 1;
    },
  );
}
