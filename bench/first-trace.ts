// `npm run bench:first-trace -- [framework ...] [--runs 1] [--keep] [--json file]`
//
// A newcomer's path, timed as a whole with warm package caches (npm, uv, Go modules and build cache:
// whatever earlier runs left): the real bin creates the project with its dependency install (as
// the e2e does: `<name> --framework <fw> --yes --skip-git`, FastAPI with --pm uv) → the development
// environment of its compose.yaml starts: Prometheus and Jaeger from the generated configs (moved to
// loopback, local binaries instead of images: test/e2e/peers), and, at the same time, the app built
// and started as the e2e does with the compose settings (test/e2e/lib/compose-env.ts) → one request
// to the example route with a traceparent of our own → its trace readable from Jaeger's query API.
// Prints per framework
//   first trace <fw>: N s (create X s, install Y s, boot Z s, visible W s)
// create = the bin's wall time without its install step; install = the install step's time as the
// bin reports it ("Installing dependencies … done (Y s)"); boot = from the bin's exit until the app
// answers its health check and Jaeger is up (build included); visible = from the request's answer
// until Jaeger returns the trace. With --runs N, medians. Peer binaries are resolved before the clock.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTERS } from '../test/e2e/frameworks/index.js';
import type { FrameworkAdapter, Project } from '../test/e2e/frameworks/types.js';
import { appEnv, bootApp, type App } from '../test/e2e/lib/app.js';
import { composeAppEnv } from '../test/e2e/lib/compose-env.js';
import { http, waitFor } from '../test/e2e/lib/net.js';
import { installSignalHandlers, lastLine, stop, stopAll } from '../test/e2e/lib/proc.js';
import { fetchProjectTools, generate, runSteps } from '../test/e2e/lib/steps.js';
import { projectJaegerPorts, startProjectJaeger, type JaegerInstance } from '../test/e2e/peers/jaeger.js';
import { PROMETHEUS_CONTAINER_PORT, startPrometheus, type PrometheusInstance } from '../test/e2e/peers/prometheus.js';
import { peerBinary } from '../test/e2e/peers/setup.js';
import { selectAdapters } from './frameworks.js';
import { finishRun, machineLine, median, parseFlags, runBench, table } from './lib.js';

const PROJECT_NAME = 'my-api';
const GOAL_S = 20;
const VISIBLE_LIMIT_MS = 30_000;

const USAGE = `usage: npm run bench:first-trace -- [framework ...] [options]
frameworks: ${ADAPTERS.map((a) => a.name).join(', ')} (default: every one whose template exists)
  --runs N     timed runs per framework, medians reported (default 1)
  --keep       keep the work folder (logs, generated projects)
  --json file  also write every run as JSON`;

interface Run {
  totalS: number;
  createS: number;
  installS: number;
  bootS: number;
  visibleS: number;
}

const seconds = (ms: number) => ms / 1000;

/** The install step's time as the bin prints it without a terminal: "Installing … done (3.2 s)". */
function installSeconds(log: string): number {
  const m = /^Installing[^\n]*? done \((\d+(?:\.\d+)?) s\)/m.exec(readFileSync(log, 'utf8'));
  if (!m) throw new Error(`no "Installing … done (N s)" line in ${log}`);
  return Number(m[1]);
}

async function once(adapter: FrameworkAdapter, workDir: string, logDir: string, bins: { jaeger: string; prometheus: string }): Promise<Run> {
  const project: Project = { dir: join(workDir, PROJECT_NAME), name: PROJECT_NAME };
  let prometheus: PrometheusInstance | undefined;
  let jaeger: JaegerInstance | undefined;
  let app: App | undefined;
  try {
    const t0 = performance.now();
    const failed = await generate(adapter, project, workDir, join(logDir, 'create.log'));
    if (failed) throw new Error(failed);
    const created = performance.now();
    const installS = installSeconds(join(logDir, 'create.log'));

    // compose up: Prometheus → Jaeger (depends on it), and the app built and started meanwhile.
    const jaegerPorts = await projectJaegerPorts(project.dir);
    const peers = (async () => {
      prometheus = await startPrometheus(bins.prometheus, project.dir, workDir, logDir, { services: { jaeger: jaegerPorts } });
      jaeger = await startProjectJaeger(bins.jaeger, project.dir, workDir, logDir, jaegerPorts, {
        prometheus: { [PROMETHEUS_CONTAINER_PORT]: prometheus.port },
      });
    })();
    const appUp = (async () => {
      if (adapter.build) {
        const buildFailed = await runSteps(adapter.build(project), project, join(logDir, 'build.log'));
        if (buildFailed) throw new Error(buildFailed);
      }
      const { env } = composeAppEnv(project.dir, project.name, { jaeger: jaegerPorts });
      app = await bootApp(adapter, project, appEnv(env), join(logDir, 'app.log'));
    })();
    const [p, a] = await Promise.allSettled([peers, appUp]);
    for (const r of [p, a]) if (r.status === 'rejected') throw r.reason;
    const booted = performance.now();

    const traceId = randomBytes(16).toString('hex');
    const caller = randomBytes(8).toString('hex');
    const r = await http(app!.base + adapter.examplePath, { headers: { traceparent: `00-${traceId}-${caller}-01` } });
    const answered = performance.now();
    if (r.status !== 200) throw new Error(`GET ${adapter.examplePath} → ${r.status}`);
    await waitFor(
      `trace ${traceId} in jaeger`,
      VISIBLE_LIMIT_MS,
      async (note) => {
        const spans = await jaeger!.trace(traceId);
        return spans.some((s) => s.kind === 'server' && s.parentSpanId === caller) ? true : (note(`${spans.length} spans`), undefined);
      },
      { intervalMs: 10, abort: () => (app!.proc.hasExited() ? `app exited: ${lastLine(app!.log)}` : undefined) },
    );
    const visible = performance.now();
    return {
      totalS: seconds(visible - t0),
      createS: seconds(created - t0) - installS,
      installS,
      bootS: seconds(booted - created),
      visibleS: seconds(visible - answered),
    };
  } finally {
    const a = app as App | undefined;
    const j = jaeger as JaegerInstance | undefined;
    const pr = prometheus as PrometheusInstance | undefined;
    if (a) await stop(a.proc);
    if (j) await j.stop();
    if (pr) await pr.stop();
  }
}

async function main(): Promise<number> {
  const { flags, positionals } = parseFlags(process.argv.slice(2), { runs: 'number', keep: 'boolean', json: 'string' }, USAGE);
  const runs = Math.round(Number(flags.runs ?? 1));
  const adapters = selectAdapters(positionals, USAGE);
  if (!adapters) return 2;
  installSignalHandlers();
  const root = mkdtempSync(join(tmpdir(), 'cia-bench-first-trace-'));
  const say = (m: string) => console.error(m);
  const machineAtStart = machineLine();
  say(machineAtStart);
  say(`work folder ${root}; ${runs} run(s) per framework`);
  // Not timed: the peers' binaries (built once, cached) and the pinned uv.
  const logDir0 = join(root, 'logs');
  mkdirSync(logDir0, { recursive: true });
  const [jaegerBin, prometheusBin] = await Promise.all([peerBinary('jaeger', logDir0), peerBinary('prometheus', logDir0), fetchProjectTools()]);
  const bins = { jaeger: jaegerBin.path, prometheus: prometheusBin.path };

  const results: Record<string, Run[]> = {};
  const failures: string[] = [];
  for (const adapter of adapters) {
    for (let i = 1; i <= runs; i++) {
      const workDir = join(root, `${adapter.name}-${i}`);
      const logDir = join(workDir, 'logs');
      mkdirSync(logDir, { recursive: true });
      try {
        const r = await once(adapter, workDir, logDir, bins);
        (results[adapter.name] ??= []).push(r);
        say(
          `${adapter.name} run ${i}/${runs}: ${r.totalS.toFixed(1)} s (create ${r.createS.toFixed(1)}, install ${r.installS.toFixed(1)}, ` +
            `boot ${r.bootS.toFixed(1)}, visible ${r.visibleS.toFixed(2)})`,
        );
      } catch (error) {
        failures.push(`${adapter.name}: ${(error as Error).message}`);
        say(`${adapter.name}: FAILED: ${(error as Error).message} (logs in ${logDir})`);
        break;
      }
    }
  }
  await stopAll();

  const rows = Object.entries(results).map(([fw, list]) => {
    const m = (k: keyof Run) => median(list.map((r) => r[k]));
    return { fw, total: m('totalS'), create: m('createS'), install: m('installS'), boot: m('bootS'), visible: m('visibleS'), n: list.length };
  });
  console.log(`first trace, warm package caches, medians (start: ${machineAtStart}; end: ${machineLine()})`);
  console.log(
    table(
      ['framework', 'total s', 'create s', 'install s', 'boot s', 'visible s', `goal ≤ ${GOAL_S} s`, 'runs'],
      rows.map((r) => [r.fw, r.total.toFixed(1), r.create.toFixed(1), r.install.toFixed(1), r.boot.toFixed(1), r.visible.toFixed(2), r.total <= GOAL_S ? 'met' : 'not met', String(r.n)]),
    ),
  );
  for (const f of failures) console.log(`failed ${f}`);
  if (flags.json) writeFileSync(String(flags.json), `${JSON.stringify({ date: new Date().toISOString(), machine: machineAtStart, runs, results }, null, 2)}\n`);
  for (const r of rows)
    console.log(
      `first trace ${r.fw}: ${r.total.toFixed(1)} s (create ${r.create.toFixed(1)} s, install ${r.install.toFixed(1)} s, boot ${r.boot.toFixed(1)} s, visible ${r.visible.toFixed(2)} s)`,
    );
  return finishRun(root, failures.length > 0, flags.keep, say);
}

runBench('bench:first-trace', main, stopAll);
