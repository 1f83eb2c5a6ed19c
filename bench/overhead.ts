// `npm run bench:overhead -- [framework ...] [--rounds 3] [--duration 5] [--connections 10]
//                            [--warmup 2] [--no-pin] [--unsampled] [--keep] [--json file] [--summarize file]`
//
// What the generated tracing costs a service, next to what a user would pick instead. Per framework
// (default: every e2e adapter whose template exists): generate the default project and install it
// exactly as the e2e suite does (test/e2e/frameworks/*), add the bench's `GET /work` route (~1 ms of
// CPU, the same SHA-256 work in every language: bench/work-route.ts), install the zero-code peers into
// that temp copy (bench/arms.ts), start a real Jaeger v2 and, when a Datadog peer runs, the
// ddapm-test-agent on loopback (test/e2e/peers), then boot the app once per arm and round, arms in
// alternating order (A B C …, then … C B A), one fresh process each, with the development settings of
// its compose.yaml plus the arm's (bench/arms.ts declares the arms as data: untraced, ours, the peers).
// Each boot loads the no-op example route and then /work (order alternating by round) with
// autocannon on 127.0.0.1 (a fixed number of connections for a fixed time, after an unmeasured
// warm-up). Prints req/s, p50/p99 latency and the app's CPU time per request (from /proc/<pid>/stat),
// and, against the untraced arm of the same round (medians over the rounds), the added CPU per
// request, the measured req/s ratio and the capacity ratio (untraced CPU per request / the arm's:
// what the pinned core serves, which other users of the machine do not move as much as req/s).
// Last lines per framework:
//   overhead <fw>: ours X µs/req, best peer Y µs/req (<peer>), ratio X/Y = R   (added CPU, example route)
//   throughput <fw> 1ms-route: traced/untraced Z                              (ours, /work, capacity)
// After every traced run it checks that the spans arrived, the example's custom span among them, so
// every arm records the same spans (Jaeger: the arm's service name; the test agent: traces of this run). Also --summarize <json>: the tables and last lines of a saved run. By default the app runs alone on CPU 0 and everything else started here (load
// generator, Jaeger, test agent) on the other CPUs (taskset); --no-pin turns that off.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADAPTERS } from '../test/e2e/frameworks/index.js';
import type { FrameworkAdapter, Project } from '../test/e2e/frameworks/types.js';
import { appEnv, bootApp } from '../test/e2e/lib/app.js';
import { generate, runSteps } from '../test/e2e/lib/steps.js';
import { composeAppEnv } from '../test/e2e/lib/compose-env.js';
import { http, LOOPBACK, waitFor } from '../test/e2e/lib/net.js';
import { capture, installSignalHandlers, lastLine, run, stop, stopAll } from '../test/e2e/lib/proc.js';
import { startJaeger, type JaegerInstance } from '../test/e2e/peers/jaeger.js';
import { startTestAgent, type TestAgentInstance } from '../test/e2e/peers/test-agent.js';
import { peerBinary } from '../test/e2e/peers/setup.js';
import { ARMS, armAdapter, armsFor, installPeers, node24, type Arm } from './arms.js';
import { selectAdapters } from './frameworks.js';
import { finishRun, machineLine, median, parseFlags, runBench, table } from './lib.js';
import { addWorkRoute, WORK_BLOCKS, WORK_PATH } from './work-route.js';

const PROJECT_NAME = 'my-api';

const USAGE = `usage: npm run bench:overhead -- [framework ...] [options]
frameworks: ${ADAPTERS.map((a) => a.name).join(', ')} (default: every one whose template exists)
  --rounds N        rounds over every arm, alternating the order (default 3)
  --duration S      measured seconds per route and run (default 5)
  --connections N   concurrent connections (default 10)
  --warmup S        unmeasured load before each measurement (default 2)
  --no-pin          do not pin (default, also --pin: app on CPU 0, the rest on the other CPUs, taskset)
  --unsampled       also run ours with OTEL_TRACES_SAMPLER=always_off
  --keep            keep the work folder (logs, generated projects)
  --json file       also write every measurement as JSON
  --summarize file  print the tables and last lines of a saved --json file (no run)`;

type RouteId = 'example' | 'work';
const ROUTE_LABEL: Record<RouteId, string> = { example: 'example (no-op)', work: `${WORK_PATH} (~1 ms CPU)` };

interface Measurement {
  arm: string;
  route: RouteId;
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
  unsampled: boolean;
}

const fmtMs = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 2 : 1));

/**
 * Generate (the generator installs) → install the README's way if the markers are missing → the
 * bench's /work route and the zero-code peers into this temp copy → build.
 */
async function prepare(adapter: FrameworkAdapter, fwDir: string, logDir: string) {
  const project: Project = { dir: join(fwDir, PROJECT_NAME), name: PROJECT_NAME };
  const check = (error: string | undefined) => {
    if (error) throw new Error(error);
  };
  check(await generate(adapter, project, fwDir, join(logDir, 'generate.log')));
  const missing = () => adapter.installedMarkers.filter((m) => !existsSync(join(project.dir, m)));
  if (missing().length > 0 && adapter.install) check(await runSteps(adapter.install(project), project, join(logDir, 'install.log')));
  if (missing().length > 0) throw new Error(`install: ${missing().join(', ')} missing`);
  addWorkRoute(adapter.name, project);
  const peers = await installPeers(adapter.name, project, join(logDir, 'peers-install.log'));
  if (adapter.build) check(await runSteps(adapter.build(project), project, join(logDir, 'build.log')));
  return { project, peers };
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

/** Boots the app for one arm and loads each route in turn (warm-up, then measured). */
async function measureArm(
  adapter: FrameworkAdapter,
  project: Project,
  env: NodeJS.ProcessEnv,
  arm: Arm,
  round: number,
  opts: Options,
  logDir: string,
): Promise<Measurement[]> {
  const log = join(logDir, `app-${arm.id}-${round}.log`);
  const app = await bootApp(adapter, project, env, log, { pinCpu: opts.pin ? 0 : undefined, probeExample: true });
  const out: Measurement[] = [];
  try {
    const routes: Array<[RouteId, string]> = [
      ['example', adapter.examplePath],
      ['work', WORK_PATH],
    ];
    for (const [route, path] of round % 2 === 1 ? routes : routes.reverse()) {
      const url = app.base + path;
      await load(url, opts.connections, opts.warmup);
      const cpu0 = await processCpuMs(app.proc.pid);
      const { result: r, p50, p99 } = await load(url, opts.connections, opts.duration);
      const cpu1 = await processCpuMs(app.proc.pid);
      if (app.proc.hasExited()) throw new Error(`app exited during the load: ${lastLine(log)}`);
      out.push({
        arm: arm.id,
        route,
        round,
        rps: r['2xx'] / r.duration,
        p50,
        p99,
        requests: r['2xx'],
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
        cpuMs: cpu1 - cpu0,
      });
    }
  } finally {
    await stop(app.proc, 5000);
  }
  return out;
}

/**
 * The example route's custom span (same name in every template). Every traced arm must record it:
 * an arm that dropped the app's own spans would look cheaper than it is.
 */
const EXAMPLE_CHILD_SPAN = 'load-item';

/** Traces the test agent holds (its trace API's session), and how many hold the custom span; then a fresh session. */
async function agentTraces(agent: TestAgentInstance): Promise<{ traces: number; withChild: number }> {
  const base = `http://${LOOPBACK}:${agent.apmPort}`;
  const r = await http(`${base}/test/session/traces`, { timeoutMs: 30_000 });
  if (r.status !== 200) throw new Error(`test agent /test/session/traces ${r.status}: ${r.body.slice(0, 120)}`);
  const traces = JSON.parse(r.body) as { name?: string; resource?: string }[][];
  // dd tracers name an OpenTelemetry API span's resource after it (the operation name is its kind).
  const withChild = traces.filter((t) => t.some((s) => s.name === EXAMPLE_CHILD_SPAN || s.resource === EXAMPLE_CHILD_SPAN)).length;
  await http(`${base}/test/session/clear`, { timeoutMs: 10_000 });
  return { traces: traces.length, withChild };
}

async function benchFramework(adapter: FrameworkAdapter, root: string, opts: Options, say: (m: string) => void) {
  const fwDir = join(root, adapter.name);
  const logDir = join(fwDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const arms = armsFor(adapter.name, { unsampled: opts.unsampled });
  const needsAgent = arms.some((a) => a.sink === 'test-agent');
  say(`${adapter.name}: generating, installing, adding ${WORK_PATH} and the peers (logs in ${logDir})`);
  const jaegerBin = peerBinary('jaeger', logDir);
  const agentBin = needsAgent ? peerBinary('ddapm-test-agent', logDir) : undefined;
  const { project, peers } = await prepare(adapter, fwDir, logDir);
  const node = adapter.start(project, LOOPBACK, 0).cmd === process.execPath ? await node24(join(logDir, 'node24.log')) : undefined;
  say(`${adapter.name}: peers ${Object.entries(peers).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}${node ? `; Node arms on ${node}` : ''}`);
  let jaeger: JaegerInstance | undefined;
  let agent: TestAgentInstance | undefined;
  try {
    jaeger = await startJaeger((await jaegerBin).path, fwDir, logDir);
    if (agentBin) agent = await startTestAgent((await agentBin).path, fwDir, logDir);
    const { env: settings, rewrites } = composeAppEnv(project.dir, project.name, { jaeger: jaeger.portMap });
    if (!['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].some((v) => settings.has(v))) {
      settings.set('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${LOOPBACK}:${jaeger.otlpHttpPort}`);
      rewrites.push(`OTEL_EXPORTER_OTLP_ENDPOINT (unset in compose) → 127.0.0.1:${jaeger.otlpHttpPort}`);
    }
    say(`${adapter.name}: settings from compose.yaml (${[...settings.keys()].join(', ')}); ${rewrites.join('; ') || 'no rewrites'}`);
    const ctx = { project, agentUrl: agent ? `http://${LOOPBACK}:${agent.apmPort}` : undefined };
    const results: Measurement[] = [];
    const exported: Record<string, string[]> = {};
    for (let round = 1; round <= opts.rounds; round++) {
      for (const arm of round % 2 === 1 ? arms : [...arms].reverse()) {
        const env = appEnv(settings, arm.env?.(ctx) ?? {});
        const ms = await measureArm(armAdapter(adapter, arm, node), project, env, arm, round, opts, logDir);
        results.push(...ms);
        for (const m of ms)
          say(
            `${adapter.name} round ${round}/${opts.rounds} ${arm.id.padEnd(16)} ${m.route.padEnd(7)}: ${m.rps.toFixed(0)} req/s, ` +
              `p50 ${fmtMs(m.p50)} ms, p99 ${fmtMs(m.p99)} ms, app CPU ${((m.cpuMs * 1000) / m.requests).toFixed(0)} µs/req` +
              (m.errors || m.non2xx ? ` (${m.errors} errors, ${m.non2xx} non-2xx)` : ''),
          );
        // Every traced run really exported: its spans reached Jaeger / the test agent. Checked right
        // after the run (Jaeger keeps the last 10,000 traces in memory; the agent's session is cleared).
        if (arm.sink === 'test-agent' && agent) {
          // dd tracers flush every 1-2 s (and on SIGTERM). Jaeger: the service's spans of the last
          // minutes (a weaker check from round 2 on: earlier rounds' spans count too).
          const n = await waitFor(`traces of ${arm.id} in the test agent`, 15_000, async (note) => {
            const c = await agentTraces(agent!);
            return c.traces > 0 ? c : (note('none'), undefined);
          });
          if (n.withChild === 0) throw new Error(`${arm.id}: none of its ${n.traces} traces holds the example's custom span ${EXAMPLE_CHILD_SPAN}: it does not record the app's own spans, so it would not compare like for like`);
          (exported[arm.id] ??= []).push(`${n.traces} traces (${n.withChild} with ${EXAMPLE_CHILD_SPAN})`);
        } else if (arm.sink === 'jaeger') {
          const service = env.OTEL_SERVICE_NAME ?? project.name;
          const spans = await waitFor(
            `spans of ${service} with its ${EXAMPLE_CHILD_SPAN} span in jaeger`,
            15_000,
            async (note) => {
              const found = await jaeger!.spans(service, EXAMPLE_CHILD_SPAN);
              return found.some((s) => s.name === EXAMPLE_CHILD_SPAN) ? found : (note('none yet'), undefined);
            },
            { intervalMs: 500 },
          );
          (exported[arm.id] ??= []).push(`spans in jaeger (with ${EXAMPLE_CHILD_SPAN})`);
          if (round === 1) say(`${adapter.name}: ${arm.id}: jaeger holds ${service}: ${[...new Set(spans.map((s) => s.name))].join(', ')}`);
        }
      }
    }
    say(`${adapter.name}: exported, per run: ${Object.entries(exported).map(([a, c]) => `${a} ${c.join(', ')}`).join('; ')}`);
    return { results, arms, peers };
  } finally {
    if (agent) await agent.stop();
    if (jaeger) await jaeger.stop();
  }
}

interface Row {
  arm: Arm;
  route: RouteId;
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerReq: number;
  /** App CPU per request minus the untraced arm's in the same round, µs: median over the rounds. */
  addedUs: number;
  /** req/s over the untraced arm's in the same round: median over the rounds. */
  rpsRatio: number;
  /** Untraced CPU per request over this arm's in the same round (what one core can serve): median. */
  capacityRatio: number;
  each: string;
  errors: number;
}

/**
 * Medians over rounds of per-round comparisons with the untraced arm (the arms of one round ran
 * within a minute of each other, so a change in the machine's load shifts both sides).
 */
function summarize(fw: string, results: Measurement[], arms: Arm[]) {
  const rows: Row[] = [];
  const rounds = [...new Set(results.map((r) => r.round))];
  const cpuOf = (m: Measurement) => (m.cpuMs * 1000) / m.requests;
  for (const route of ['example', 'work'] as RouteId[]) {
    const base = arms.find((a) => a.role === 'untraced')!;
    const at = (arm: Arm, round: number) => results.find((r) => r.arm === arm.id && r.route === route && r.round === round);
    for (const arm of arms) {
      const list = results.filter((r) => r.arm === arm.id && r.route === route);
      const paired = rounds.flatMap((round) => {
        const m = at(arm, round);
        const b = at(base, round);
        return m && b ? [{ m, b }] : [];
      });
      rows.push({
        arm,
        route,
        rps: median(list.map((r) => r.rps)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        cpuUsPerReq: median(list.map(cpuOf)),
        addedUs: median(paired.map(({ m, b }) => cpuOf(m) - cpuOf(b))),
        rpsRatio: median(paired.map(({ m, b }) => m.rps / b.rps)),
        capacityRatio: median(paired.map(({ m, b }) => cpuOf(b) / cpuOf(m))),
        each: list.map((r) => r.rps.toFixed(0)).join(' '),
        errors: list.reduce((n, r) => n + r.errors + r.non2xx, 0),
      });
    }
  }
  const find = (role: string, route: RouteId) => rows.filter((r) => r.arm.role === role && r.route === route);
  const ours = find('ours', 'example')[0]!;
  const bestPeer = find('peer', 'example').sort((a, b) => a.addedUs - b.addedUs)[0];
  const oursWork = find('ours', 'work')[0]!;
  return { fw, rows, ours, bestPeer, oursWork };
}

interface Saved {
  date: string;
  machine: { start: string; end: string };
  options: Options;
  setup: string;
  work: { path: string; sha256Blocks64KiB: number };
  results: Record<string, { arms: Array<Pick<Arm, 'id' | 'label' | 'role'>>; peers: Record<string, string>; measurements: Measurement[] }>;
}

/** The tables and the last lines, from the measurements (of this run, or of a saved one). */
function report(saved: Saved, failures: string[] = []): void {
  const summaries = Object.entries(saved.results).map(([fw, r]) =>
    summarize(
      fw,
      r.measurements,
      r.arms.map((a) => ARMS.find((x) => x.id === a.id) ?? { ...a, frameworks: [fw] }),
    ),
  );
  console.log(`tracing overhead on 127.0.0.1: ${saved.setup}; medians (start: ${saved.machine.start}; end: ${saved.machine.end})`);
  if (summaries.length > 0) {
    const rows = summaries.flatMap((s) =>
      s.rows.map((x) => [
        s.fw,
        ROUTE_LABEL[x.route],
        x.arm.label,
        x.rps.toFixed(0),
        x.arm.role === 'untraced' ? '' : x.rpsRatio.toFixed(2),
        x.arm.role === 'untraced' ? '' : x.capacityRatio.toFixed(2),
        fmtMs(x.p50),
        fmtMs(x.p99),
        Number.isNaN(x.cpuUsPerReq) ? '-' : x.cpuUsPerReq.toFixed(0),
        x.arm.role === 'untraced' || Number.isNaN(x.addedUs) ? '' : `${x.addedUs >= 0 ? '+' : ''}${x.addedUs.toFixed(0)}`,
        x.each,
        String(x.errors),
      ]),
    );
    console.log(
      table(['framework', 'route', 'arm', 'req/s', 'req/s / untraced', 'capacity / untraced', 'p50 ms', 'p99 ms', 'CPU µs/req', 'added µs/req', 'req/s per run', 'errors'], rows),
    );
  }
  for (const f of failures) console.log(`failed ${f}`);
  console.log(
    'Per framework: added CPU per request on the example route (median over rounds of ours - untraced in the same round), and on ' +
      `${WORK_PATH} the capacity ratio: untraced CPU per request / traced CPU per request (what the one pinned core serves); ` +
      'the measured req/s ratio is in the table (on a shared machine it follows whoever else runs on the core).',
  );
  for (const s of summaries) {
    const peer = s.bestPeer;
    console.log(
      `overhead ${s.fw}: ours ${s.ours.addedUs.toFixed(0)} µs/req, ` +
        (peer ? `best peer ${peer.addedUs.toFixed(0)} µs/req (${peer.arm.id}), ratio X/Y = ${(s.ours.addedUs / peer.addedUs).toFixed(2)}` : 'no peer'),
    );
    console.log(`throughput ${s.fw} 1ms-route: traced/untraced ${s.oursWork.capacityRatio.toFixed(2)}`);
  }
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
      'no-pin': 'boolean',
      unsampled: 'boolean',
      keep: 'boolean',
      json: 'string',
      summarize: 'string',
    },
    USAGE,
  );
  if (flags.summarize) {
    report(JSON.parse(readFileSync(String(flags.summarize), 'utf8')) as Saved);
    return 0;
  }
  const opts: Options = {
    rounds: Math.round(Number(flags.rounds ?? 3)),
    duration: Number(flags.duration ?? 5),
    connections: Math.round(Number(flags.connections ?? 10)),
    warmup: Number(flags.warmup ?? 2),
    pin: !flags['no-pin'],
    unsampled: Boolean(flags.unsampled),
  };
  const adapters = selectAdapters(positionals, USAGE);
  if (!adapters) return 2;
  if (adapters.length === 0) {
    console.error('bench:overhead: no implemented framework found under templates/');
    return 1;
  }
  if (opts.pin) {
    if (cpus().length < 2) throw new Error('pinning needs at least 2 CPUs (use --no-pin)');
    // This process (the load generator) and what it starts from now on leave CPU 0 to the app.
    const r = await run('taskset', ['-a', '-p', '-c', `1-${cpus().length - 1}`, String(process.pid)], { log: '/dev/null', timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error('taskset failed (is util-linux installed?)');
  }

  installSignalHandlers();
  const root = mkdtempSync(join(tmpdir(), 'cia-bench-overhead-'));
  const say = (m: string) => console.error(m);
  const setup =
    `${opts.rounds} alternating rounds over the arms, ${opts.connections} connections, ` +
    `${opts.warmup} s warm-up + ${opts.duration} s measured per route and run${opts.pin ? ', app pinned to CPU 0' : ''}; ` +
    `${WORK_PATH} = SHA-256 of ${WORK_BLOCKS} × 64 KiB`;
  const machineAtStart = machineLine();
  say(machineAtStart);
  say(`work folder ${root}; ${setup}`);
  const failures: string[] = [];
  const raw: Saved['results'] = {};
  for (const adapter of adapters) {
    try {
      const { results, arms, peers } = await benchFramework(adapter, root, opts, say);
      raw[adapter.name] = { arms: arms.map(({ id, label, role }) => ({ id, label, role })), peers, measurements: results };
    } catch (error) {
      failures.push(`${adapter.name}: ${(error as Error).message}`);
      say(`${adapter.name}: FAILED: ${(error as Error).message}`);
    }
  }
  await stopAll();

  const saved: Saved = {
    date: new Date().toISOString(),
    machine: { start: machineAtStart, end: machineLine() },
    options: opts,
    setup,
    work: { path: WORK_PATH, sha256Blocks64KiB: WORK_BLOCKS },
    results: raw,
  };
  if (flags.json) writeFileSync(String(flags.json), `${JSON.stringify(saved, null, 2)}\n`);
  report(saved, failures);
  return finishRun(root, failures.length > 0, flags.keep, say);
}

runBench('bench:overhead', main, stopAll);
