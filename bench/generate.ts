// `npm run bench:generate -- [--runs 7] [--warmup 1] [--with-unbundled] [--json file]`
//
// Whole-process generation time, side by side, non-interactive, no install, no git:
//   A  create-instrumented-api (this repo's bin) → the default FastAPI project
//   B  create-t3-app --CI --noInstall --noGit
//   C  create-vite --template react-ts --no-interactive
//  (D  this repo's bin with CREATE_INSTRUMENTED_API_NO_BUNDLE=1, i.e. tsc's dist/ without the bundle)
// run alternately A B C A B C… (after --warmup rounds that are not counted), each in a fresh temp
// folder with stdin closed. Wall time is measured here from spawn to exit; CPU time and peak RSS are
// reported by the child itself (every tool is a Node program: it is started as `node --require
// <probe> <bin> …`, the probe writes process.resourceUsage() on exit). The peers are installed at
// pinned versions into the cache (outside the repo) on first use.
//
// The last line is the headline: `ratio vs create-t3-app: <median A / median B> (median of N)`.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CACHE, machineLine, max, median, min, parseFlags, PEERS, table } from './lib.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'create-instrumented-api.js');

const PEER_DIR = join(BENCH_CACHE, `peers-t3-${PEERS['create-t3-app']}-vite-${PEERS['create-vite']}`);
const RUN_TIMEOUT_MS = 60_000;

const USAGE = `usage: npm run bench:generate -- [--runs N] [--warmup N] [--with-unbundled] [--json file]
  --runs N            measured runs per tool (default 7, at least 7 for the headline)
  --warmup N          uncounted rounds first (default 1)
  --with-unbundled    also time this CLI without its bundle (CREATE_INSTRUMENTED_API_NO_BUNDLE=1)
  --json file         also write every measurement as JSON`;

interface Tool {
  label: string;
  version: string;
  /** Script run with node, its arguments (the project folder is created in the cwd). */
  script: string;
  args: string[];
  /** Folder the tool must have created (relative to the cwd). */
  creates: string;
  env?: Record<string, string>;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
}

// Loaded with --require into each measured process: reports its own resource usage on exit.
const PROBE = `'use strict';
const out = process.env.CIA_BENCH_RUSAGE_FILE;
if (out) {
  delete process.env.CIA_BENCH_RUSAGE_FILE;
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(out, JSON.stringify({ maxRSS: u.maxRSS, user: u.userCPUTime, system: u.systemCPUTime }));
  });
}
`;

function runChecked(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}

function installedVersion(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PEER_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned peers into the cache once (npm install --prefix, no scripts). */
async function ensurePeers(): Promise<void> {
  const wanted = Object.entries(PEERS);
  if (wanted.every(([name, version]) => installedVersion(name) === version)) return;
  mkdirSync(PEER_DIR, { recursive: true });
  writeFileSync(
    join(PEER_DIR, 'package.json'),
    `${JSON.stringify({ private: true, dependencies: Object.fromEntries(wanted) }, null, 2)}\n`,
  );
  console.error(`installing ${wanted.map(([n, v]) => `${n}@${v}`).join(', ')} into ${PEER_DIR}`);
  await runChecked('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], PEER_DIR);
  for (const [name, version] of wanted) {
    if (installedVersion(name) !== version) throw new Error(`${name}@${version} not installed in ${PEER_DIR}`);
  }
}

function peerBin(name: string): string {
  const pkgDir = join(PEER_DIR, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin[name];
  if (!bin) throw new Error(`${name} has no "${name}" bin`);
  return join(pkgDir, bin);
}

function ourVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** One measured run in a fresh temp folder. */
function measure(tool: Tool, probe: string): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'cia-bench-gen-'));
  const usageFile = join(dir, '.rusage.json');
  const logFile = join(dir, '.output.log');
  const fd = openSync(logFile, 'w');
  const env = { ...process.env, ...tool.env, CIA_BENCH_RUSAGE_FILE: usageFile };
  return new Promise<Sample>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--require', probe, tool.script, ...tool.args], {
      cwd: dir,
      env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      try {
        const out = join(dir, tool.creates);
        if (code !== 0 || !existsSync(out) || readdirSync(out).length === 0) {
          const log = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n  ');
          throw new Error(`${tool.label}: exit ${code ?? signal}${existsSync(out) ? '' : `, no ${tool.creates}/`}\n  ${log}`);
        }
        const u = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS: number; user: number; system: number };
        resolve({ wallMs, cpuMs: (u.user + u.system) / 1000, maxRssKb: u.maxRSS });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function main(): Promise<number> {
  const { flags } = parseFlags(process.argv.slice(2), { runs: 'number', warmup: 'number', 'with-unbundled': 'boolean', json: 'string' }, USAGE);
  const runs = Math.round(Number(flags.runs ?? 7));
  const warmup = Math.round(Number(flags.warmup ?? 1));

  if (!existsSync(join(REPO_ROOT, 'dist', 'generators', 'cli.js'))) throw new Error('run `npm run build` first');
  await ensurePeers();
  mkdirSync(BENCH_CACHE, { recursive: true });
  const probe = join(BENCH_CACHE, 'rusage-probe.cjs');
  writeFileSync(probe, PROBE);

  const ours: Tool = {
    label: 'create-instrumented-api',
    version: ourVersion(),
    script: BIN,
    args: ['my-api', '--yes', '--skip-install', '--skip-git'],
    creates: 'my-api',
    env: { CREATE_INSTRUMENTED_API_NO_BUNDLE: '0' },
  };
  const tools: Tool[] = [
    ours,
    {
      label: 'create-t3-app',
      version: PEERS['create-t3-app'],
      script: peerBin('create-t3-app'),
      args: ['my-t3-app', '--CI', '--noInstall', '--noGit'],
      creates: 'my-t3-app',
    },
    {
      label: 'create-vite',
      version: PEERS['create-vite'],
      script: peerBin('create-vite'),
      args: ['my-vite-app', '--template', 'react-ts', '--no-interactive'],
      creates: 'my-vite-app',
    },
  ];
  if (flags['with-unbundled'])
    tools.push({ ...ours, label: 'create-instrumented-api (no bundle)', env: { CREATE_INSTRUMENTED_API_NO_BUNDLE: '1' } });

  console.error(machineLine());
  console.error(`${warmup} warm-up round(s), then ${runs} alternating rounds of ${tools.map((t) => t.label).join(' → ')}`);
  const samples = new Map<Tool, Sample[]>(tools.map((t) => [t, []]));
  for (let round = -warmup; round < runs; round++) {
    const line: string[] = [];
    for (const tool of tools) {
      const s = await measure(tool, probe);
      if (round >= 0) samples.get(tool)!.push(s);
      line.push(`${tool.label.split(' ')[0]!.replace('create-', '')} ${(s.wallMs / 1000).toFixed(2)}s`);
    }
    console.error(`${round < 0 ? 'warm-up' : `round ${round + 1}/${runs}`}: ${line.join(', ')}`);
  }

  const stats = tools.map((tool) => {
    const list = samples.get(tool)!;
    return {
      tool,
      wall: median(list.map((s) => s.wallMs)),
      wallMin: min(list.map((s) => s.wallMs)),
      wallMax: max(list.map((s) => s.wallMs)),
      cpu: median(list.map((s) => s.cpuMs)),
      rss: median(list.map((s) => s.maxRssKb)),
    };
  });
  const t3 = stats[1]!;
  const s = (ms: number) => (ms / 1000).toFixed(3);
  console.log(`generation, non-interactive, no install, no git (${machineLine()})`);
  console.log(
    table(
      ['tool', 'version', 'median wall s', 'min-max s', 'median CPU s', 'median peak RSS MB', 'wall / t3'],
      stats.map((x) => [
        x.tool.label,
        x.tool.version,
        s(x.wall),
        `${s(x.wallMin)}-${s(x.wallMax)}`,
        s(x.cpu),
        (x.rss / 1024).toFixed(1),
        (x.wall / t3.wall).toFixed(2),
      ]),
    ),
  );
  if (flags.json) {
    writeFileSync(
      String(flags.json),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: machineLine(),
          runs,
          warmup,
          tools: tools.map((t) => ({ label: t.label, version: t.version, args: t.args, samples: samples.get(t) })),
        },
        null,
        2,
      )}\n`,
    );
  }
  console.log(`ratio vs create-t3-app: ${(stats[0]!.wall / t3.wall).toFixed(2)} (median of ${runs})`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`bench:generate: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
