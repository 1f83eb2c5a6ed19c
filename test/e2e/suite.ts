// One framework, end to end: generate → install → own tests/linters → Jaeger (development settings
// from compose.yaml) → Datadog test agent (staging settings from the rendered overlay) → the Monitor
// tab (Jaeger and Prometheus from the generated configs, monitor.ts) → backend down (1,000 requests,
// then SIGTERM). Every part yields ok or a one-line reason; every wait is bounded and
// everything started here is stopped in a finally.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appEnv, bootApp, type App } from './lib/app.js';
import { generate, runSteps, toolEnv } from './lib/steps.js';
import { composeAppEnv } from './lib/compose-env.js';
import { findAppWorkload, parseManifests, resolveContainerEnv } from './lib/k8s-env.js';
import { errorMessage, freePort, http, LOOPBACK, waitFor } from './lib/net.js';
import { matchTrace, type FlatSpan } from './lib/otlp.js';
import { capture, describeExit, lastLine, oneLine, stop } from './lib/proc.js';
import { judgeDatadogSignals, hexId, type SignalsVerdict } from './lib/signals.js';
import { checkMonitor, failedMonitor, type MonitorResult } from './monitor.js';
import { startJaeger } from './peers/jaeger.js';
import { peerBinary } from './peers/setup.js';
import { AGENT_APM_PORT, AGENT_OTLP_HTTP_PORT, startTestAgent, TRACE_CHECKS, type NativeSpan } from './peers/test-agent.js';
import type { FrameworkAdapter, Project, Step } from './frameworks/types.js';

export const PROJECT_NAME = 'my-api';
/** The deployed environment whose manifests the Datadog check boots from. */
export const STAGING = 'staging';
/** The deployed environment generated with --backend <env>=datadog-native (Datadog's own tracer). */
export const NATIVE_ENV = 'production';
/** The extra environment of adapters with `sampling`: otlp, --sample-rate qa=SAMPLE_RATE. */
export const SAMPLING_ENV = 'qa';
export const SAMPLE_RATE = 0.1;
export const SAMPLING_REQUESTS = 200;
/** Share of SAMPLING_REQUESTS traces that must arrive at SAMPLE_RATE (binomial: far outside 4σ). */
export const SAMPLING_BOUNDS = [0.02, 0.25] as const;
export const RESILIENCE_REQUESTS = 1000;
export const RESILIENCE_CONCURRENCY = 10;
/** The app must be gone this long after SIGTERM ("within a few seconds"). */
export const SHUTDOWN_LIMIT_MS = 5000;
/** How long a slow shutdown is still measured (so the failure says how slow) before SIGKILL. */
const SHUTDOWN_MEASURE_MS = 30_000;
const TRACE_WAIT_MS = 30_000;

export interface Part {
  ok: boolean;
  reason?: string;
}

export interface FrameworkResult {
  framework: string;
  tests: Part;
  jaeger: Part;
  datadog: Part;
  /** Datadog's own tracer (datadog-native) into the test agent's APM port, its trace checks on. */
  native: Part;
  /** --sample-rate on an SDK-sampled backend (adapters with `sampling` only). */
  sampling?: Part & { arrived?: number };
  /** Jaeger's Monitor tab: span metrics read back, trace visibility, Prometheus down. */
  monitor: MonitorResult;
  resilience: Part & { okCount: number; total: number; shutdownMs?: number };
  /** Issue 11: metrics and logs at both peers, logs linked to their traces (datadog + development). */
  signals: Signals;
  /** Wall time for the framework, generate → shutdown after the backend-down run, seconds. */
  seconds: number;
}

type Log = (msg: string) => void;

export interface Signals {
  metrics: Part;
  logs: Part;
  correlated: Part;
}

/** How long metrics and logs may take to show up at the test agent once the app has stopped. */
const SIGNALS_WAIT_MS = 15_000;

const fail = (reason: string): Part => ({ ok: false, reason: oneLine(reason, 300) });
const OK: Part = { ok: true };

/** Runs the steps; a failure becomes the part's one-line reason. */
async function stepsPart(steps: Step[], project: Project, logDir: string, logName: string): Promise<Part> {
  const error = await runSteps(steps, project, join(logDir, `${logName}.log`));
  return error ? fail(error) : OK;
}

/** The example path with its trailing number replaced (unique per check, see Expectation.requestPath). */
function examplePathWith(adapter: FrameworkAdapter, n: number): string {
  return adapter.examplePath.replace(/\d+$/, String(n));
}

/** Send n requests to the example route; returns the unique path of the one whose trace is awaited. */
async function sendExampleRequests(app: App, adapter: FrameworkAdapter, n: number): Promise<string> {
  const id = 100000 + Math.floor(Math.random() * 900000);
  const path = examplePathWith(adapter, id);
  for (let i = 0; i < n; i++) {
    const p = i === 0 ? path : examplePathWith(adapter, id + i);
    const r = await http(app.base + p, { timeoutMs: 5000 });
    if (r.status !== 200) throw new Error(`GET ${p} → ${r.status}: ${oneLine(r.body, 120)}`);
  }
  return path;
}

function spanSummary(spans: FlatSpan[]): string {
  return [...new Set(spans.map((s) => `${s.name}@${String(s.resource['service.name'] ?? '?')}`))].slice(0, 6).join(', ');
}

/** Rewrite loopback peer ports in env values (only when a peer could not get its well-known port). */
function rewritePorts(env: Map<string, string>, map: Record<number, number>, notes: string[]): void {
  for (const [k, v] of env) {
    const next = v.replace(/\b127\.0\.0\.1:(\d+)\b/g, (whole, port: string) => {
      const to = map[Number(port)];
      if (to === undefined || to === Number(port)) return whole;
      notes.push(`${k}: ${whole} → 127.0.0.1:${to}`);
      return `127.0.0.1:${to}`;
    });
    env.set(k, next);
  }
}

const OTLP_ENDPOINT_VARS = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'];
function exportTarget(env: Map<string, string>): string {
  const k = OTLP_ENDPOINT_VARS.find((v) => env.has(v));
  return k ? `${k}=${env.get(k)}` : 'no OTEL_EXPORTER_OTLP_*ENDPOINT set';
}

// ---------------------------------------------------------------------------------------------

async function checkJaeger(adapter: FrameworkAdapter, project: Project, workDir: string, logDir: string, say: Log) {
  const bin = await peerBinary('jaeger', logDir);
  const jaeger = await startJaeger(bin.path, workDir, logDir);
  let app: App | undefined;
  try {
    const { env, rewrites } = composeAppEnv(project.dir, project.name, { jaeger: jaeger.portMap });
    if (!OTLP_ENDPOINT_VARS.some((v) => env.has(v))) {
      // Run outside compose, the app's own default (localhost:4318) would be used; point it at ours.
      env.set('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${LOOPBACK}:${jaeger.otlpHttpPort}`);
      rewrites.push(`OTEL_EXPORTER_OTLP_ENDPOINT (unset in compose) → 127.0.0.1:${jaeger.otlpHttpPort}`);
    }
    say(`jaeger: app env from compose.yaml; ${rewrites.join('; ') || 'no rewrites'}`);
    app = await bootApp(adapter, project, appEnv(env), join(logDir, 'app-development.log'));
    const requestPath = await sendExampleRequests(app, adapter, 3);
    const found = await waitFor(
      `trace for ${project.name} in jaeger`,
      TRACE_WAIT_MS,
      async (note) => {
        const spans = await jaeger.spans(project.name);
        if (spans.length === 0) return note(`no trace for service ${project.name} yet`), undefined;
        const m = matchTrace(spans, {
          route: adapter.exampleRoute,
          customSpanName: adapter.customSpanName,
          requestPath,
        });
        return 'reason' in m ? (note(m.reason), undefined) : m;
      },
      { intervalMs: 500, abort: () => (app?.proc.hasExited() ? `app exited: ${lastLine(app.log)}` : undefined) },
    );
    const env0 = found.server.resource['deployment.environment.name'];
    if (env0 !== 'development') {
      return fail(`trace found but resource deployment.environment.name=${String(env0)} (want development)`);
    }
    say(`jaeger: "${found.server.name}" → child "${found.custom.name}" (trace ${found.server.traceId})`);
    return OK;
  } finally {
    if (app) await stop(app.proc);
    await jaeger.stop();
  }
}

async function stagingEnv(project: Project, logDir: string): Promise<Map<string, string>> {
  const overlay = join(project.dir, 'deploy', 'k8s', 'overlays', STAGING);
  if (!existsSync(overlay)) throw new Error(`no ${STAGING} overlay at deploy/k8s/overlays/${STAGING}`);
  const kustomize = await peerBinary('kustomize', logDir);
  const log = join(logDir, 'kustomize.log');
  const r = await capture(kustomize.path, ['build', overlay], { log, timeoutMs: 60_000, env: toolEnv() });
  if (r.code !== 0) throw new Error(`kustomize build overlays/${STAGING}: ${describeExit(r)}: ${lastLine(log)}`);
  const objects = parseManifests(r.stdout);
  const { container, pod } = findAppWorkload(objects, project.name, LOOPBACK);
  return resolveContainerEnv(container, pod, objects);
}

/**
 * The Datadog side of the signals check, on the app checkDatadog booted: the app is stopped as
 * Kubernetes stops it (SIGTERM), which flushes its metrics (the manifests keep the SDK's 60 s
 * export interval) and log records; then the agent must hold the duration histogram and the
 * counter with the staging resource, and the example route's log record with the trace id of a
 * span it holds.
 */
async function datadogSignals(
  app: App,
  agent: Awaited<ReturnType<typeof startTestAgent>>,
  project: Project,
  env: Map<string, string>,
  say: Log,
): Promise<SignalsVerdict> {
  await stop(app.proc, SHUTDOWN_LIMIT_MS);
  let verdict: SignalsVerdict = {};
  const until = performance.now() + SIGNALS_WAIT_MS;
  for (;;) {
    const [metrics, logs, spans] = await Promise.all([agent.otlpMetrics(), agent.otlpLogs(), agent.otlpSpans()]);
    verdict = judgeDatadogSignals({
      metrics,
      logs,
      traceIds: new Set(spans.map((span) => hexId(span.traceId))),
      service: project.name,
      environment: STAGING,
      temporality: env.get('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'),
    });
    if (Object.keys(verdict).length === 0 || performance.now() > until) {
      say(
        `datadog signals: ${metrics.length} metrics (${[...new Set(metrics.map((m) => m.name))].slice(0, 8).join(', ')}), ` +
          `${logs.length} log records, ${spans.length} spans at the agent after SIGTERM`,
      );
      return verdict;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function checkDatadog(
  adapter: FrameworkAdapter,
  project: Project,
  workDir: string,
  logDir: string,
  say: Log,
  signals: { verdict?: SignalsVerdict },
) {
  const env = await stagingEnv(project, logDir);
  const expectedVersion = env.get('DD_VERSION');
  const agentBin = await peerBinary('ddapm-test-agent', logDir);
  const agent = await startTestAgent(agentBin.path, workDir, logDir);
  let app: App | undefined;
  try {
    const notes: string[] = [];
    rewritePorts(env, agent.portMap, notes);
    say(
      `datadog: app env from overlays/${STAGING} (${exportTarget(env)})` +
        (notes.length ? `; ${AGENT_OTLP_HTTP_PORT}/${AGENT_APM_PORT} busy, rewrote ${notes.join(', ')}` : ''),
    );
    app = await bootApp(adapter, project, appEnv(env), join(logDir, `app-${STAGING}.log`));
    const requestPath = await sendExampleRequests(app, adapter, 3);
    const current = app;
    const server = await waitFor(
      'OTLP trace at the Datadog test agent',
      TRACE_WAIT_MS,
      async (note) => {
        const spans = await agent.otlpSpans();
        if (spans.length === 0) return note(`nothing received; app exports to ${exportTarget(env)}`), undefined;
        const m = matchTrace(spans, {
          route: adapter.exampleRoute,
          customSpanName: adapter.customSpanName,
          requestPath,
        });
        return 'reason' in m ? (note(`${m.reason}; got ${spanSummary(spans)}`), undefined) : m.server;
      },
      { intervalMs: 500, abort: () => (current.proc.hasExited() ? `app exited: ${lastLine(current.log)}` : undefined) },
    );
    signals.verdict = await datadogSignals(app, agent, project, env, say);
    const res = server.resource;
    const problems: string[] = [];
    if (res['service.name'] !== project.name) problems.push(`service.name=${String(res['service.name'])} (want ${project.name})`);
    const version = res['service.version'];
    if (typeof version !== 'string' || version === '') problems.push('service.version missing');
    else if (expectedVersion && version !== expectedVersion)
      problems.push(`service.version=${version} but DD_VERSION=${expectedVersion}`);
    if (res['deployment.environment.name'] !== STAGING)
      problems.push(`deployment.environment.name=${String(res['deployment.environment.name'])} (want ${STAGING})`);
    if (problems.length) return fail(`captured trace has ${problems.join(', ')}`);
    say(`datadog: service.name=${String(res['service.name'])} service.version=${String(version)} deployment.environment.name=${STAGING}`);
    return OK;
  } finally {
    if (app) await stop(app.proc);
    await agent.stop();
  }
}

/** Rendered manifests of a deployed environment: the app container's env as the kubelet computes it. */
async function overlayEnv(project: Project, logDir: string, env: string): Promise<Map<string, string>> {
  const overlay = join(project.dir, 'deploy', 'k8s', 'overlays', env);
  if (!existsSync(overlay)) throw new Error(`no ${env} overlay at deploy/k8s/overlays/${env}`);
  const kustomize = await peerBinary('kustomize', logDir);
  const log = join(logDir, `kustomize-${env}.log`);
  const r = await capture(kustomize.path, ['build', overlay], { log, timeoutMs: 60_000, env: toolEnv() });
  if (r.code !== 0) throw new Error(`kustomize build overlays/${env}: ${describeExit(r)}: ${lastLine(log)}`);
  const objects = parseManifests(r.stdout);
  const { container, pod } = findAppWorkload(objects, project.name, LOOPBACK);
  return resolveContainerEnv(container, pod, objects);
}

const isRequestSpan = (s: NativeSpan) => s.type === 'web' || s.meta?.['span.kind'] === 'server';

async function checkDatadogNative(adapter: FrameworkAdapter, project: Project, workDir: string, logDir: string, say: Log) {
  const env = await overlayEnv(project, logDir, NATIVE_ENV);
  if (env.get('TRACING_BACKEND') !== 'datadog-native')
    return fail(`overlays/${NATIVE_ENV} sets TRACING_BACKEND=${String(env.get('TRACING_BACKEND'))} (want datadog-native)`);
  const expected = { service: project.name, env: env.get('DD_ENV'), version: env.get('DD_VERSION') };
  const agentBin = await peerBinary('ddapm-test-agent', logDir);
  const agent = await startTestAgent(agentBin.path, workDir, logDir);
  let app: App | undefined;
  try {
    // DD_AGENT_HOST=$(HOST_IP) resolves to loopback; the tracers' default port is the Agent's 8126.
    if (agent.apmPort !== AGENT_APM_PORT) env.set('DD_TRACE_AGENT_PORT', String(agent.apmPort));
    say(`datadog-native: app env from overlays/${NATIVE_ENV} (DD_AGENT_HOST=${String(env.get('DD_AGENT_HOST'))}, APM port ${agent.apmPort})`);
    app = await bootApp(adapter, project, appEnv(env), join(logDir, `app-${NATIVE_ENV}.log`));
    const requestPath = await sendExampleRequests(app, adapter, 3);
    const current = app;
    const found = await waitFor(
      'native trace at the Datadog test agent',
      TRACE_WAIT_MS,
      async (note) => {
        const traces = await agent.nativeTraces();
        if (traces.length === 0) return note('no native trace received'), undefined;
        for (const trace of traces) {
          // The path is in http.url (Python, Node) or url.path (Go's otelhttp), full URL or not.
          const request = trace.find((s) => isRequestSpan(s) && Object.values(s.meta ?? {}).some((v) => String(v).endsWith(requestPath)));
          if (!request) continue;
          const custom = trace.find(
            (s) => (s.name === adapter.customSpanName || s.resource === adapter.customSpanName) && String(s.parent_id) === String(request.span_id),
          );
          if (custom) return { request, custom };
          return note(`request span for ${requestPath} has no child "${adapter.customSpanName}": ${trace.map((s) => `${s.name}/${s.resource}`).join(', ')}`), undefined;
        }
        return note(`no request span for ${requestPath} among ${traces.length} traces`), undefined;
      },
      { intervalMs: 500, abort: () => (current.proc.hasExited() ? `app exited: ${lastLine(current.log)}` : undefined) },
    );
    const { request } = found;
    const problems: string[] = [];
    if (request.service !== expected.service) problems.push(`service=${request.service} (want ${expected.service})`);
    if (request.meta?.env !== expected.env) problems.push(`env=${String(request.meta?.env)} (want DD_ENV=${String(expected.env)})`);
    if (request.meta?.version !== expected.version)
      problems.push(`version=${String(request.meta?.version)} (want DD_VERSION=${String(expected.version)})`);
    if (problems.length) return fail(`native trace has ${problems.join(', ')}`);
    const failures = await agent.traceCheckFailures();
    if (failures) return fail(`test agent trace checks (${TRACE_CHECKS.join(', ')}) failed: ${failures}`);
    say(
      `datadog-native: "${request.resource}" → child "${found.custom.resource}" service=${request.service} env=${String(request.meta?.env)} version=${String(request.meta?.version)}; trace checks ${TRACE_CHECKS.join(', ')} passed`,
    );
    return OK;
  } finally {
    if (app) await stop(app.proc);
    await agent.stop();
  }
}

/** --sample-rate SAMPLING_ENV=SAMPLE_RATE (otlp: the SDK's parentbased_traceidratio, from the overlay). */
async function checkSampling(adapter: FrameworkAdapter, project: Project, workDir: string, logDir: string, say: Log) {
  const env = await overlayEnv(project, logDir, SAMPLING_ENV);
  if (env.get('OTEL_TRACES_SAMPLER') !== 'parentbased_traceidratio' || env.get('OTEL_TRACES_SAMPLER_ARG') !== String(SAMPLE_RATE))
    return { ...fail(`overlays/${SAMPLING_ENV} has OTEL_TRACES_SAMPLER=${String(env.get('OTEL_TRACES_SAMPLER'))} OTEL_TRACES_SAMPLER_ARG=${String(env.get('OTEL_TRACES_SAMPLER_ARG'))}`) };
  const agentBin = await peerBinary('ddapm-test-agent', logDir);
  const agent = await startTestAgent(agentBin.path, workDir, logDir);
  let app: App | undefined;
  try {
    // The overlay points at a collector in the cluster; here the test agent's OTLP port takes its place.
    env.set('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${LOOPBACK}:${agent.otlpHttpPort}`);
    env.set('OTEL_BSP_SCHEDULE_DELAY', '200');
    app = await bootApp(adapter, project, appEnv(env), join(logDir, `app-${SAMPLING_ENV}.log`));
    for (let i = 1; i <= SAMPLING_REQUESTS; i++) {
      const r = await http(app.base + examplePathWith(adapter, i), { timeoutMs: 5000 });
      if (r.status !== 200) throw new Error(`GET ${examplePathWith(adapter, i)} → ${r.status}`);
    }
    // Every span ends before its response: after two quiet export intervals, the count is final.
    let arrived = -1;
    for (let stable = 0; stable < 2; ) {
      await new Promise((r) => setTimeout(r, 1000));
      const spans = await agent.otlpSpans();
      const count = new Set(spans.filter((s) => s.kind === 'server').map((s) => s.traceId)).size;
      stable = count === arrived ? stable + 1 : 0;
      arrived = count;
    }
    const share = arrived / SAMPLING_REQUESTS;
    const line = `${arrived}/${SAMPLING_REQUESTS} traces (${(share * 100).toFixed(1)} %) at rate ${SAMPLE_RATE}`;
    say(`sampling: ${line}`);
    const [low, high] = SAMPLING_BOUNDS;
    if (share < low || share > high) return { ...fail(`${line}: outside ${low * 100}–${high * 100} %`), arrived };
    return { ...OK, arrived };
  } finally {
    if (app) await stop(app.proc);
    await agent.stop();
  }
}

async function checkResilience(
  adapter: FrameworkAdapter,
  project: Project,
  logDir: string,
  say: Log,
): Promise<FrameworkResult['resilience']> {
  const total = RESILIENCE_REQUESTS;
  const closed = await freePort(); // nothing listens here
  // Production-like settings (the staging manifests) with the node-local agent gone; fall back to
  // the development settings if the manifests cannot be used (that failure is datadog's to report).
  let env: Map<string, string>;
  let source = `overlays/${STAGING}`;
  try {
    env = await stagingEnv(project, logDir);
  } catch {
    source = 'compose.yaml';
    try {
      env = composeAppEnv(project.dir, project.name, { jaeger: { 4317: closed, 4318: closed, 16686: closed } }).env;
    } catch {
      source = 'defaults';
      env = new Map([['APP_ENV', 'development']]);
    }
  }
  rewritePorts(env, { 4317: closed, 4318: closed, [AGENT_APM_PORT]: closed }, []);
  if (!OTLP_ENDPOINT_VARS.some((v) => env.has(v))) env.set('OTEL_EXPORTER_OTLP_ENDPOINT', `http://${LOOPBACK}:${closed}`);
  say(`resilience: settings from ${source}, ${exportTarget(env)} (unreachable)`);

  const app = await bootApp(adapter, project, appEnv(env), join(logDir, 'app-backend-down.log'));
  try {
    let next = 0;
    let okCount = 0;
    const errors = new Map<string, number>();
    const t0 = performance.now();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        try {
          // Ids from 1: the example route fails on purpose for id 0 (adapter.errorPath).
          const path = examplePathWith(adapter, i + 1);
          const r = await http(app.base + path, { timeoutMs: 5000 });
          if (r.status === 200) okCount++;
          else errors.set(`HTTP ${r.status}`, (errors.get(`HTTP ${r.status}`) ?? 0) + 1);
        } catch (err) {
          const m = errorMessage(err);
          errors.set(m, (errors.get(m) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: RESILIENCE_CONCURRENCY }, worker));
    const reqSeconds = (performance.now() - t0) / 1000;

    // SIGTERM to the app's main process only, as Kubernetes does to PID 1.
    const t1 = performance.now();
    const exitedAlready = app.proc.hasExited();
    if (!exitedAlready && app.proc.pid > 0) process.kill(app.proc.pid, 'SIGTERM');
    const outcome = await Promise.race([
      app.proc.exited,
      new Promise<{ late: true }>((r) => setTimeout(() => r({ late: true }), SHUTDOWN_MEASURE_MS).unref()),
    ]);
    const shutdownMs = performance.now() - t1;
    say(
      `resilience: ${okCount}/${total} ok in ${reqSeconds.toFixed(1)} s; exit ${'late' in outcome ? `> ${SHUTDOWN_MEASURE_MS / 1000} s` : `${(shutdownMs / 1000).toFixed(2)} s`} after SIGTERM` +
        ('code' in outcome ? ` (code ${outcome.code ?? outcome.signal})` : ''),
    );
    const problems: string[] = [];
    if (okCount < total) {
      const top = [...errors.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${n}× ${m}`).slice(0, 3);
      problems.push(`${total - okCount} failed (${top.join(', ')})`);
    }
    if (exitedAlready) problems.push('app died during the requests');
    else if ('late' in outcome || shutdownMs > SHUTDOWN_LIMIT_MS)
      problems.push(
        `exit took ${'late' in outcome ? `> ${SHUTDOWN_MEASURE_MS / 1000}` : (shutdownMs / 1000).toFixed(1)} s after SIGTERM (limit ${SHUTDOWN_LIMIT_MS / 1000} s)`,
      );
    return { ...(problems.length ? fail(problems.join('; ')) : OK), okCount, total, shutdownMs };
  } finally {
    await stop(app.proc, 1000);
  }
}

// ---------------------------------------------------------------------------------------------

export async function runFramework(adapter: FrameworkAdapter, root: string, say: Log): Promise<FrameworkResult> {
  const t0 = performance.now();
  const fwDir = join(root, adapter.name);
  const logDir = join(fwDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const project: Project = { dir: join(fwDir, PROJECT_NAME), name: PROJECT_NAME };
  const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    try {
      return await fn();
    } finally {
      say(`${label} ${((performance.now() - s) / 1000).toFixed(1)} s`);
    }
  };
  const guard = async (fn: () => Promise<Part>): Promise<Part> => {
    try {
      return await fn();
    } catch (err) {
      return fail(errorMessage(err));
    }
  };

  // 1. generate (the generator installs by default) + own tests and linters
  let usable = true;
  let tests: Part = await timed('generate+install', async () => {
    const error = await generate(adapter, project, fwDir, join(logDir, 'generate.log'), generateArgs(adapter));
    const missing = () => adapter.installedMarkers.filter((m) => !existsSync(join(project.dir, m)));
    if (error) {
      usable = existsSync(project.dir) && missing().length === 0;
      return fail(error);
    }
    if (!existsSync(project.dir)) {
      usable = false;
      return fail(`generate: exit 0 but no ${PROJECT_NAME}/ directory`);
    }
    if (missing().length > 0 && adapter.install) {
      say(`generator did not install (${missing().join(', ')} missing): installing as the README says`);
      const part = await stepsPart(adapter.install(project), project, logDir, 'install');
      if (!part.ok) {
        usable = false;
        return part;
      }
    }
    if (missing().length > 0) {
      usable = false;
      return fail(`install: ${missing().join(', ')} missing after install`);
    }
    return OK;
  });
  if (tests.ok) tests = await timed('own tests+linters', () => stepsPart(adapter.checks(project), project, logDir, 'checks'));
  if (usable && adapter.build) {
    const built = await timed('build', () => stepsPart(adapter.build!(project), project, logDir, 'build'));
    if (!built.ok) {
      usable = false;
      if (tests.ok) tests = built;
    }
  }
  const notRun = fail('not run: the project could not be generated/installed/built');

  // 2. Jaeger, 3. Datadog (need the project)
  const jaeger = usable ? await timed('jaeger', () => guard(() => checkJaeger(adapter, project, fwDir, logDir, say))) : notRun;
  const ddSignals: { verdict?: SignalsVerdict } = {};
  const datadog = usable
    ? await timed('datadog', () => guard(() => checkDatadog(adapter, project, fwDir, logDir, say, ddSignals)))
    : notRun;

  const native = usable
    ? await timed('datadog-native', () => guard(() => checkDatadogNative(adapter, project, fwDir, logDir, say)))
    : notRun;
  let sampling: FrameworkResult['sampling'];
  if (adapter.sampling)
    sampling = usable ? await timed('sampling', () => guard(() => checkSampling(adapter, project, fwDir, logDir, say))) : notRun;

  // 4. the Monitor tab (needs the project)
  const monitor = usable
    ? await timed('monitor', async () => {
        try {
          return await checkMonitor(adapter, project, fwDir, logDir, say);
        } catch (err) {
          return failedMonitor(errorMessage(err));
        }
      })
    : failedMonitor(notRun.reason!);

  // 5. backend down
  let resilience: FrameworkResult['resilience'] = { ...notRun, okCount: 0, total: RESILIENCE_REQUESTS };
  if (usable) {
    resilience = await timed('resilience', async () => {
      try {
        return await checkResilience(adapter, project, logDir, say);
      } catch (err) {
        return { ...fail(errorMessage(err)), okCount: 0, total: RESILIENCE_REQUESTS };
      }
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const signals = usable
    ? combineSignals(ddSignals.verdict ?? notReached(datadog.reason ?? 'not reached'), monitor.signals)
    : { metrics: notRun, logs: notRun, correlated: notRun };
  return { framework: adapter.name, tests, jaeger, datadog, native, ...(sampling ? { sampling } : {}), monitor, resilience, signals, seconds };
}

function notReached(reason: string): SignalsVerdict {
  const why = `the datadog check stopped before it: ${reason}`;
  return { metrics: why, logs: why, correlated: why };
}

/** One part per signal: ok only when both the Datadog side and the development side are. */
export function combineSignals(datadog: SignalsVerdict, development: SignalsVerdict): Signals {
  const part = (key: keyof SignalsVerdict): Part => {
    const reasons = [
      datadog[key] ? `datadog: ${datadog[key]}` : '',
      development[key] ? `development: ${development[key]}` : '',
    ].filter(Boolean);
    return reasons.length ? { ok: false, reason: oneLine(reasons.join(' | '), 600) } : OK;
  };
  return { metrics: part('metrics'), logs: part('logs'), correlated: part('correlated') };
}

/** What every e2e project adds to the defaults: a datadog-native environment, and for `sampling` a sampled otlp one. */
export function generateArgs(adapter: FrameworkAdapter): string[] {
  const args = ['--backend', `${NATIVE_ENV}=datadog-native`];
  if (adapter.sampling)
    args.push(
      '--environments',
      `development,${STAGING},${NATIVE_ENV},${SAMPLING_ENV}`,
      '--backend',
      `${SAMPLING_ENV}=otlp`,
      '--sample-rate',
      `${SAMPLING_ENV}=${SAMPLE_RATE}`,
    );
  return args;
}
