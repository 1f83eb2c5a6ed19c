// `npm run bench:create -- [--runs 5] [--warmup 1] [--json file]`
//
// What `npm create <tool>` costs before the generator even starts: npm installs the package and its
// dependencies into its npx cache, then runs the bin. Timed side by side, alternating, each run as
//   npm exec --yes --prefer-offline --package <tarball> -- <bin> <args>   (non-interactive, no install, no git)
// with a bench-private npm cache that the warm-up fills (so the registry's speed is not measured)
// and its `_npx` folder removed before every run (so every run installs, as a first `npm create`
// does). Tools, each from a tarball:
//   ours         `npm pack` of this repository (after `npm run build`): no dependencies
//   ours+deps    the same tarball with the dependencies it had before the CLI was bundled
//                (yeoman-environment, yeoman-generator, ejs, execa, node-diff3, prettier)
//   t3, vite     create-t3-app and create-vite at the versions bench:generate pins, packed once
// Prints median wall time and the number of packages installed; last line
// `ratio vs create-t3-app: <median ours / median t3> (median of N)`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CACHE, machineLine, max, median, min, parseFlags, PEERS, table } from './lib.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NPM_CACHE = join(BENCH_CACHE, 'npm-create-cache');
const TARBALLS = join(BENCH_CACHE, 'create-tarballs');
const RUN_TIMEOUT_MS = 5 * 60_000;
/** What the package listed as dependencies while the CLI ran from tsc's output (before the bundle). */
const FORMER_DEPENDENCIES = ['ejs', 'execa', 'node-diff3', 'prettier', 'yeoman-environment', 'yeoman-generator'];

const USAGE = `usage: npm run bench:create -- [--runs N] [--warmup N] [--json file]
  --runs N     measured runs per tool (default 5)
  --warmup N   uncounted rounds first, to fill the bench's npm cache (default 1)
  --json file  also write every measurement as JSON`;

interface Tool {
  label: string;
  tarball: string;
  bin: string;
  args: string[];
  creates: string;
}

const npmEnv = () => ({
  ...process.env,
  npm_config_cache: NPM_CACHE,
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_loglevel: 'error',
});

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `npm pack` in `dir` (or of `spec`) into TARBALLS; returns the tarball's path. */
function pack(cwd: string, spec?: string): string {
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', TARBALLS, ...(spec ? [spec] : [])], cwd);
  return join(TARBALLS, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
}

/** Our tarball again, with the former dependencies (at the ranges devDependencies pin) put back. */
function packWithDependencies(ours: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cia-bench-create-'));
  try {
    execFileSync('tar', ['-xzf', ours, '-C', dir]);
    const pkgDir = join(dir, 'package');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const dev = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
    pkg.name = 'create-instrumented-api-with-deps';
    pkg.dependencies = Object.fromEntries(FORMER_DEPENDENCIES.map((name) => [name, dev[name]]));
    writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    return pack(pkgDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Packages npm installed for the last `npm exec` (its only _npx folder). */
function installedPackages(): number {
  const npx = join(NPM_CACHE, '_npx');
  const [entry] = existsSync(npx) ? readdirSync(npx) : [];
  if (!entry) return NaN;
  const lock = join(npx, entry, 'package-lock.json');
  if (!existsSync(lock)) return NaN;
  const packages = (JSON.parse(readFileSync(lock, 'utf8')) as { packages: Record<string, unknown> }).packages;
  return Object.keys(packages).filter((p) => p.startsWith('node_modules/')).length;
}

function measure(tool: Tool): Promise<{ wallMs: number; packages: number }> {
  rmSync(join(NPM_CACHE, '_npx'), { recursive: true, force: true });
  const dir = mkdtempSync(join(tmpdir(), 'cia-bench-create-run-'));
  const args = ['exec', '--yes', '--prefer-offline', '--package', tool.tarball, '--', tool.bin, ...tool.args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('npm', args, { cwd: dir, env: npmEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      const made = existsSync(join(dir, tool.creates));
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 || !made) reject(new Error(`${tool.label}: exit ${code}${made ? '' : `, no ${tool.creates}/`}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
      else resolve({ wallMs, packages: installedPackages() });
    });
  });
}

async function main(): Promise<number> {
  const { flags } = parseFlags(process.argv.slice(2), { runs: 'number', warmup: 'number', json: 'string' }, USAGE);
  const runs = Math.round(Number(flags.runs ?? 5));
  const warmup = Math.round(Number(flags.warmup ?? 1));
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'cli.js'))) throw new Error('run `npm run build` first');
  mkdirSync(TARBALLS, { recursive: true });

  const ours = pack(REPO_ROOT);
  const tools: Tool[] = [
    { label: 'create-instrumented-api', tarball: ours, bin: 'create-instrumented-api', args: ['my-api', '--yes', '--skip-install', '--skip-git'], creates: 'my-api' },
    {
      label: 'create-instrumented-api with its former dependencies',
      tarball: packWithDependencies(ours),
      bin: 'create-instrumented-api',
      args: ['my-api', '--yes', '--skip-install', '--skip-git'],
      creates: 'my-api',
    },
    {
      label: `create-t3-app ${PEERS['create-t3-app']}`,
      tarball: pack(TARBALLS, `create-t3-app@${PEERS['create-t3-app']}`),
      bin: 'create-t3-app',
      args: ['my-t3-app', '--CI', '--noInstall', '--noGit'],
      creates: 'my-t3-app',
    },
    {
      label: `create-vite ${PEERS['create-vite']}`,
      tarball: pack(TARBALLS, `create-vite@${PEERS['create-vite']}`),
      bin: 'create-vite',
      args: ['my-vite-app', '--template', 'react-ts', '--no-interactive'],
      creates: 'my-vite-app',
    },
  ];

  console.error(machineLine());
  console.error(`${warmup} warm-up round(s), then ${runs} alternating rounds; npm cache ${NPM_CACHE}`);
  const samples = new Map<Tool, Array<{ wallMs: number; packages: number }>>(tools.map((t) => [t, []]));
  for (let round = -warmup; round < runs; round++) {
    const line: string[] = [];
    for (const tool of tools) {
      const s = await measure(tool);
      if (round >= 0) samples.get(tool)!.push(s);
      line.push(`${(s.wallMs / 1000).toFixed(2)}s (${s.packages} pkgs)`);
    }
    console.error(`${round < 0 ? 'warm-up' : `round ${round + 1}/${runs}`}: ${line.join(', ')}`);
  }

  const stats = tools.map((tool) => {
    const list = samples.get(tool)!;
    const wall = list.map((s) => s.wallMs / 1000);
    return { tool, wall: median(wall), min: min(wall), max: max(wall), packages: median(list.map((s) => s.packages)) };
  });
  const t3 = stats[2]!;
  console.log(`npm exec of a packed tarball (= npm create), warm npm cache, fresh npx folder, no install, no git (${machineLine()})`);
  console.log(
    table(
      ['tool', 'median wall s', 'min-max s', 'packages installed', 'wall / t3'],
      stats.map((x) => [x.tool.label, x.wall.toFixed(2), `${x.min.toFixed(2)}-${x.max.toFixed(2)}`, String(x.packages), (x.wall / t3.wall).toFixed(2)]),
    ),
  );
  if (flags.json)
    writeFileSync(
      String(flags.json),
      `${JSON.stringify({ date: new Date().toISOString(), machine: machineLine(), runs, warmup, tools: tools.map((t) => ({ label: t.label, args: t.args, samples: samples.get(t) })) }, null, 2)}\n`,
    );
  console.log(`ratio vs create-t3-app: ${(stats[0]!.wall / t3.wall).toFixed(2)} (median of ${runs})`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`bench:create: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
