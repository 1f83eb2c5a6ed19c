// `npm run bench:overhead -- [framework ...] [--rounds 4] [--duration 10] [--connections 10]
//                            [--warmup 3] [--pin] [--unsampled] [--keep] [--json file]`
//
// What the generated tracing costs a service. Per framework (default: every e2e adapter whose
// template exists): generate the default project and install it exactly as the e2e suite does
// (test/e2e/frameworks/* say how to install, build and start each one), start a real Jaeger v2 on
// loopback (test/e2e/peers), then boot the app alternately
//   on         development settings from the generated compose.yaml, exporting to that live Jaeger
//   off        the same settings plus OTEL_SDK_DISABLED=true
//  (unsampled  with --unsampled: tracing on but OTEL_TRACES_SAMPLER=always_off: instrumentation
//              without recording or exporting, to tell the two costs apart)
// (on off, off on, … one fresh process per measurement) and load the example route with autocannon
// on 127.0.0.1: a fixed number of connections for a fixed time, after an unmeasured warm-up. Prints
// requests/s, p50 and p99 latency and the app's CPU time per request (medians over the rounds), and
//   overhead <fw>: throughput traced/untraced 0.96
// (median traced req/s / median untraced req/s). After the traced rounds it checks that Jaeger
// really holds the app's spans. CPU per request (from /proc/<pid>/stat) does not depend on who else
// uses the machine as much as req/s does: on a small machine the load generator and Jaeger compete
// with the app. --pin puts the app on CPU 0 and everything else started here (load generator,
// Jaeger) on the other CPUs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADAPTERS, implemented } from '../test/e2e/frameworks/index.js';
import type { FrameworkAdapter, Project } from '../test/e2e/frameworks/types.js';
import { appEnv, bootApp } from '../test/e2e/lib/app.js';
import { generate, runSteps } from '../test/e2e/lib/steps.js';
import { composeAppEnv } from '../test/e2e/lib/compose-env.js';
import { LOOPBACK, waitFor } from '../test/e2e/lib/net.js';
import { capture, installSignalHandlers, lastLine, run, stop, stopAll } from '../test/e2e/lib/proc.js';
import { startJaeger, type JaegerInstance } from '../test/e2e/peers/jaeger.js';
import { peerBinary } from '../test/e2e/peers/setup.js';
import { machineLine, median, parseFlags, table } from './lib.js';

const PROJECT_NAME = 'my-api';

const USAGE = `usage: npm run bench:overhead -- [framework ...] [options]
frameworks: ${ADAPTERS.map((a) => a.name).join(', ')} (default: every one whose template exists)
  --rounds N        rounds of (on, off), alternating which goes first (default 4)
  --duration S      measured seconds per run (default 10)
  --connections N   concurrent connections (default 10)
  --warmup S        unmeasured load before each run (default 3)
  --pin             app on CPU 0, load generator and Jaeger on the other CPUs (taskset)
  --unsampled       also run with tracing on and OTEL_TRACES_SAMPLER=always_off
  --keep            keep the work folder (logs, generated projects)
  --json file       also write every measurement as JSON`;

type Mode = 'on' | 'off' | 'unsampled';
const MODE_LABEL: Record<Mode, string> = {
  on: 'on (Jaeger)',
  off: 'off (OTEL_SDK_DISABLED)',
  unsampled: 'on, always_off sampler',
};
const MODE_ENV: Record<Mode, Record<string, string>> = {
  on: {},
  off: { OTEL_SDK_DISABLED: 'true' },
  unsampled: { OTEL_TRACES_SAMPLER: 'always_off' },
};

interface Measurement {
  mode: Mode;
  round: number;
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** App process CPU time (all threads) during the measured load, ms; NaN without /proc. */
  cpuMs: number;
}

interface Options {
  rounds: number;
  duration: number;
  connections: number;
  warmup: number;
  pin: boolean;
  modes: Mode[];
}

const fmtMs = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 2 : 1));

/** Generate (the generator installs) → install the README's way if the markers are missing → build. */
async function prepare(adapter: FrameworkAdapter, fwDir: string, logDir: string): Promise<Project> {
  const project: Project = { dir: join(fwDir, PROJECT_NAME), name: PROJECT_NAME };
  const check = (error: string | undefined) => {
    if (error) throw new Error(error);
  };
  check(await generate(adapter, project, fwDir, join(logDir, 'generate.log')));
  const missing = () => adapter.installedMarkers.filter((m) => !existsSync(join(project.dir, m)));
  if (missing().length > 0 && adapter.install) check(await runSteps(adapter.install(project), project, join(logDir, 'install.log')));
  if (missing().length > 0) throw new Error(`install: ${missing().join(', ')} missing`);
  if (adapter.build) check(await runSteps(adapter.build(project), project, join(logDir, 'build.log')));
  return project;
}

let clockTicks: number | undefined;
/** CPU time (user + system, all threads) of a process so far, ms; NaN where /proc is missing. */
async function processCpuMs(pid: number): Promise<number> {
  try {
    clockTicks ??= Number((await capture('getconf', ['CLK_TCK'], { log: '/dev/null', timeoutMs: 5000 })).stdout.trim()) || 100;
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

/** Latency percentile (ms) from sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Load `url` for `seconds`. autocannon's own latency histogram has 1 ms resolution (most responses
 * here take less), so every 2xx response time (hrtime-based, from its 'response' event) is kept.
 */
async function load(url: string, connections: number, seconds: number) {
  let times = new Float64Array(1 << 16);
  let n = 0;
  const instance = autocannon({ url, connections, duration: seconds, timeout: 10 });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 200 || status > 299) return;
    if (n === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[n++] = ms;
  });
  const result = await instance;
  const sorted = times.subarray(0, n).sort();
  return { result, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function measureOnce(
  adapter: FrameworkAdapter,
  project: Project,
  settings: Map<string, string>,
  mode: Mode,
  round: number,
  opts: Options,
  logDir: string,
): Promise<Measurement> {
  const log = join(logDir, `app-${mode}-${round}.log`);
  const app = await bootApp(adapter, project, appEnv(settings, MODE_ENV[mode]), log, {
    pinCpu: opts.pin ? 0 : undefined,
    probeExample: true,
  });
  try {
    const url = app.base + adapter.examplePath;
    await load(url, opts.connections, opts.warmup);
    const cpu0 = await processCpuMs(app.proc.pid);
    const { result: r, p50, p99 } = await load(url, opts.connections, opts.duration);
    const cpu1 = await processCpuMs(app.proc.pid);
    if (app.proc.hasExited()) throw new Error(`app exited during the load: ${lastLine(log)}`);
    return {
      mode,
      round,
      rps: r['2xx'] / r.duration,
      p50,
      p99,
      requests: r['2xx'],
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      cpuMs: cpu1 - cpu0,
    };
  } finally {
    await stop(app.proc, 5000);
  }
}

async function benchFramework(adapter: FrameworkAdapter, root: string, opts: Options, say: (m: string) => void) {
  const fwDir = join(root, adapter.name);
  const logDir = join(fwDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  say(`${adapter.name}: generating and installing (logs in ${logDir})`);
  const jaegerBin = peerBinary('jaeger', logDir);
  const project = await prepare(adapter, fwDir, logDir);
  let jaeger: JaegerInstance | undefined;
  try {
    const bin = await jaegerBin;
    jaeger = await startJaeger(bin.path, fwDir, logDir);
    const { env: settings, rewrites } = composeAppEnv(project.dir, project.name, { jaeger: jaeger.portMap });
    if (!['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].some((v) => settings.has(v))) {
      settings.set('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${LOOPBACK}:${jaeger.otlpHttpPort}`);
      rewrites.push(`OTEL_EXPORTER_OTLP_ENDPOINT (unset in compose) → 127.0.0.1:${jaeger.otlpHttpPort}`);
    }
    say(`${adapter.name}: settings from compose.yaml (${[...settings.keys()].join(', ')}); ${rewrites.join('; ') || 'no rewrites'}`);
    const results: Measurement[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      const order = round % 2 === 1 ? opts.modes : [...opts.modes].reverse();
      for (const mode of order) {
        const m = await measureOnce(adapter, project, settings, mode, round, opts, logDir);
        results.push(m);
        say(
          `${adapter.name} round ${round}/${opts.rounds} ${mode.padEnd(9)}: ${m.rps.toFixed(0)} req/s, p50 ${fmtMs(m.p50)} ms, p99 ${fmtMs(m.p99)} ms, ` +
            `app CPU ${((m.cpuMs / 1000 / opts.duration) * 100).toFixed(0)}%` +
            (m.errors || m.non2xx ? ` (${m.errors} errors, ${m.non2xx} non-2xx)` : ''),
        );
      }
    }
    // The traced runs must really have exported: the route's spans are in Jaeger.
    const spans = await waitFor(
      `spans of ${project.name} in jaeger`,
      30_000,
      async (note) => {
        const found = await jaeger!.spans(project.name);
        return found.length > 0 ? found : (note('none yet'), undefined);
      },
      { intervalMs: 500 },
    );
    say(`${adapter.name}: jaeger holds the app's spans (${[...new Set(spans.map((s) => s.name))].join(', ')})`);
    return results;
  } finally {
    if (jaeger) await jaeger.stop();
  }
}

function summarize(fw: string, results: Measurement[], opts: Options) {
  const row = (mode: Mode) => {
    const list = results.filter((r) => r.mode === mode);
    return {
      mode,
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      cpuPct: median(list.map((r) => (r.cpuMs / 1000 / opts.duration) * 100)),
      cpuUsPerReq: median(list.map((r) => (r.cpuMs * 1000) / r.requests)),
      errors: list.reduce((n, r) => n + r.errors + r.non2xx, 0),
      each: list.map((r) => r.rps.toFixed(0)).join(' '),
    };
  };
  const rows = opts.modes.map(row);
  const on = rows.find((r) => r.mode === 'on')!;
  const off = rows.find((r) => r.mode === 'off')!;
  const pairRatios = [...new Set(results.map((r) => r.round))].map((round) => {
    const a = results.find((r) => r.round === round && r.mode === 'on')!;
    const b = results.find((r) => r.round === round && r.mode === 'off')!;
    return a.rps / b.rps;
  });
  return { fw, rows, on, off, ratio: on.rps / off.rps, pairRatios };
}

async function main(): Promise<number> {
  const { flags, positionals } = parseFlags(
    process.argv.slice(2),
    {
      rounds: 'number',
      duration: 'number',
      connections: 'number',
      warmup: 'number',
      pin: 'boolean',
      unsampled: 'boolean',
      keep: 'boolean',
      json: 'string',
    },
    USAGE,
  );
  const opts: Options = {
    rounds: Math.round(Number(flags.rounds ?? 4)),
    duration: Number(flags.duration ?? 10),
    connections: Math.round(Number(flags.connections ?? 10)),
    warmup: Number(flags.warmup ?? 3),
    pin: Boolean(flags.pin),
    modes: flags.unsampled ? ['on', 'off', 'unsampled'] : ['on', 'off'],
  };
  const names = positionals.flatMap((p) => p.split(',')).filter(Boolean);
  const unknown = names.filter((n) => !ADAPTERS.some((a) => a.name === n));
  if (unknown.length > 0) {
    console.error(`unknown framework ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const adapters = names.length === 0 ? ADAPTERS.filter(implemented) : names.map((n) => ADAPTERS.find((a) => a.name === n)!);
  if (adapters.length === 0) {
    console.error('bench:overhead: no implemented framework found under templates/');
    return 1;
  }
  if (opts.pin) {
    if (cpus().length < 2) throw new Error('--pin needs at least 2 CPUs');
    // This process (the load generator) and what it starts from now on leave CPU 0 to the app.
    const r = await run('taskset', ['-a', '-p', '-c', `1-${cpus().length - 1}`, String(process.pid)], { log: '/dev/null', timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error('taskset failed (is util-linux installed?)');
  }

  installSignalHandlers();
  const root = mkdtempSync(join(tmpdir(), 'cia-bench-overhead-'));
  const say = (m: string) => console.error(m);
  const setup =
    `${opts.rounds} rounds of (${opts.modes.join(', ')}), ${opts.connections} connections, ` +
    `${opts.warmup} s warm-up + ${opts.duration} s measured per run${opts.pin ? ', app pinned to CPU 0' : ''}`;
  say(machineLine());
  say(`work folder ${root}; ${setup}`);
  const summaries: ReturnType<typeof summarize>[] = [];
  const failures: string[] = [];
  const raw: Record<string, Measurement[]> = {};
  for (const adapter of adapters) {
    try {
      const results = await benchFramework(adapter, root, opts, say);
      raw[adapter.name] = results;
      summaries.push(summarize(adapter.name, results, opts));
    } catch (error) {
      failures.push(`${adapter.name}: ${(error as Error).message}`);
      say(`${adapter.name}: FAILED: ${(error as Error).message}`);
    }
  }
  await stopAll();

  console.log(`tracing overhead, example route on 127.0.0.1: ${setup}; medians (${machineLine()})`);
  if (summaries.length > 0) {
    const rows = summaries.flatMap((s) =>
      s.rows.map((x) => [
        s.fw,
        MODE_LABEL[x.mode],
        x.rps.toFixed(0),
        fmtMs(x.p50),
        fmtMs(x.p99),
        Number.isNaN(x.cpuPct) ? '-' : x.cpuPct.toFixed(0),
        Number.isNaN(x.cpuUsPerReq) ? '-' : x.cpuUsPerReq.toFixed(0),
        x.each,
        String(x.errors),
      ]),
    );
    console.log(table(['framework', 'tracing', 'req/s', 'p50 ms', 'p99 ms', 'app CPU %', 'app CPU µs/req', 'req/s per run', 'errors'], rows));
  }
  for (const f of failures) console.log(`failed ${f}`);
  if (flags.json)
    writeFileSync(String(flags.json), `${JSON.stringify({ date: new Date().toISOString(), machine: machineLine(), options: opts, results: raw }, null, 2)}\n`);
  for (const s of summaries) {
    const cpu = s.on.cpuUsPerReq / s.off.cpuUsPerReq;
    console.log(
      `${s.fw}: traced/untraced req/s per round ${s.pairRatios.map((r) => r.toFixed(2)).join(' ')}` +
        (Number.isNaN(cpu) ? '' : `; app CPU per request ×${cpu.toFixed(2)} (+${(s.on.cpuUsPerReq - s.off.cpuUsPerReq).toFixed(0)} µs)`),
    );
  }
  for (const s of summaries) console.log(`overhead ${s.fw}: throughput traced/untraced ${s.ratio.toFixed(2)}`);
  if (failures.length === 0 && !flags.keep) rmSync(root, { recursive: true, force: true });
  else say(`kept ${root}`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  async (error: unknown) => {
    console.error(`bench:overhead: ${(error as Error).message}`);
    await stopAll();
    process.exitCode = 1;
  },
);
