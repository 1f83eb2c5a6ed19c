// The Monitor tab, end to end, as the generated compose.yaml runs it: Prometheus from the generated
// prometheus.yml, Jaeger from the generated jaeger.yaml (both moved to loopback), the app with its
// development settings from compose.yaml. Then:
// - trace visible: 5 requests, each with a traceparent of our own; from the response to the trace
//   being readable from Jaeger's API (median reported, never asserted: speed belongs to bench/);
// - spm: successful, failing (the example error) and unmatched (404) requests across two flush +
//   scrape intervals, then /api/metrics/{latencies,calls,errors} read back exactly as the Monitor
//   tab does, plain and grouped by operation, plus the README's PromQL P95 query from Prometheus;
// - Prometheus down: stopped under load; the app answers as before, Jaeger stays healthy and a
//   new trace is still readable.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FrameworkAdapter, Project } from './frameworks/types.js';
import { appEnv, bootApp, type App } from './lib/app.js';
import { composeAppEnv } from './lib/compose-env.js';
import { composeService, flagValue, mountedFile } from './lib/compose-services.js';
import { errorMessage, http, sleep, waitFor } from './lib/net.js';
import { lastLine, oneLine, stop } from './lib/proc.js';
import { judgeOutputLogs, PROMETHEUS_DURATION, type SignalsVerdict } from './lib/signals.js';
import { judgeMetric, METRIC_NAMES, metricSeries, type MetricName } from './lib/spm.js';
import { projectJaegerPorts, startProjectJaeger, type JaegerInstance } from './peers/jaeger.js';
import { PROMETHEUS_CONTAINER_PORT, startPrometheus, type PrometheusInstance } from './peers/prometheus.js';
import { peerBinary } from './peers/setup.js';
import { checkShutdownUnderLoad, type ShutdownUnderLoad } from './shutdown-load.js';
import type { Part } from './suite.js';

export const TRACE_VISIBLE_SAMPLES = 5;
/** How long one request's trace may take to show up before the sample fails. */
const TRACE_VISIBLE_LIMIT_MS = 10_000;
/** After the traffic, how long the metrics may take to satisfy every check. */
const SPM_WAIT_MS = 60_000;
/** A path no route of the example app matches: its requests are another operation, never an error. */
export const UNMATCHED_PATH = '/e2e-no-such-route';

export interface MonitorResult {
  spm: Record<MetricName, Part>;
  traceVisible: Part & { medianMs?: number; samplesMs?: number[] };
  prometheusDown: Part;
  /** Issue 11, development side: the app's metrics in Prometheus, its JSON log lines linked to Jaeger traces. */
  signals: SignalsVerdict;
  /** Issue 13: SIGTERM under load; every answered request's trace in Jaeger (the last step: it stops the app). */
  shutdownUnderLoad: ShutdownUnderLoad;
}

type Log = (msg: string) => void;

const fail = (reason: string): Part => ({ ok: false, reason: oneLine(reason, 300) });
const OK: Part = { ok: true };

export function failedMonitor(reason: string): MonitorResult {
  const part = fail(reason);
  return {
    spm: { latencies: part, calls: part, errors: part },
    traceVisible: part,
    prometheusDown: part,
    signals: { metrics: part.reason, logs: part.reason, correlated: part.reason },
    shutdownUnderLoad: { ...part, responses: 0, traces: 0 },
  };
}

/** Go-style durations in the configs (5s, 500ms, 1m) → ms. */
export function durationMs(value: unknown, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(value ?? '').trim());
  if (!m) throw new Error(`${where}: cannot read the duration ${JSON.stringify(value)}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

/** Jaeger's spanmetrics flush interval and Prometheus' scrape interval, from the generated files. */
function intervals(project: Project): { flushMs: number; scrapeMs: number } {
  const jaeger = composeService(project.dir, 'jaeger');
  const jaegerFile = mountedFile(jaeger, flagValue(jaeger.command, '--config')!.value.replace(/^file:/, ''));
  const prometheus = composeService(project.dir, 'prometheus');
  const promFile = mountedFile(prometheus, flagValue(prometheus.command, '--config.file')!.value);
  const j = parse(readFileSync(jaegerFile, 'utf8'));
  const p = parse(readFileSync(promFile, 'utf8'));
  const job = p.scrape_configs?.find((c: { static_configs?: Array<{ targets?: string[] }> }) =>
    c.static_configs?.some((s) => s.targets?.some((t) => t.startsWith('jaeger:'))),
  );
  return {
    flushMs: durationMs(j.connectors?.spanmetrics?.metrics_flush_interval ?? '60s', 'jaeger spanmetrics'),
    scrapeMs: durationMs(job?.scrape_interval ?? p.global?.scrape_interval ?? '1m', 'prometheus scrape_interval'),
  };
}

/** The README's PromQL example (the curl to Prometheus' /api/v1/query), if there is one. */
export function readmePromQL(readme: string): string | undefined {
  return /--data-urlencode 'query=([^']+)'/.exec(readme)?.[1];
}

const randomId = () => 100000 + Math.floor(Math.random() * 900000);

/**
 * One request with a traceparent of our own; ms from its response to its trace in Jaeger. The trace
 * id goes into `seen` once Jaeger holds it.
 */
async function traceVisibleMs(
  app: App,
  adapter: FrameworkAdapter,
  jaeger: JaegerInstance,
  seen?: Set<string>,
): Promise<number> {
  const traceId = randomBytes(16).toString('hex');
  const callerSpan = randomBytes(8).toString('hex');
  const path = adapter.examplePath.replace(/\d+$/, String(randomId()));
  const r = await http(app.base + path, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
  const answered = performance.now();
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}: ${oneLine(r.body, 120)}`);
  await waitFor(
    `trace ${traceId} in jaeger`,
    TRACE_VISIBLE_LIMIT_MS,
    async (note) => {
      const spans = await jaeger.trace(traceId);
      const server = spans.find((s) => s.kind === 'server' && s.parentSpanId === callerSpan);
      return server ? true : (note(spans.length ? `${spans.length} spans, no server span yet` : 'not there yet'), undefined);
    },
    { intervalMs: 10, abort: () => (app.proc.hasExited() ? `app exited: ${lastLine(app.log)}` : undefined) },
  );
  seen?.add(traceId);
  return performance.now() - answered;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One round of traffic: successes, the example error, an unmatched path. Throws on a wrong status. */
async function burst(app: App, adapter: FrameworkAdapter, ok = 5): Promise<void> {
  const requests: Array<[string, number]> = [
    ...Array.from({ length: ok }, (): [string, number] => [adapter.examplePath.replace(/\d+$/, String(randomId())), 200]),
    [adapter.errorPath, 500],
    [UNMATCHED_PATH, 404],
  ];
  for (const [path, want] of requests) {
    const r = await http(app.base + path, { timeoutMs: 5000 });
    if (r.status !== want) throw new Error(`GET ${path} → ${r.status} (want ${want}): ${oneLine(r.body, 120)}`);
  }
}

async function checkSpm(
  app: App,
  adapter: FrameworkAdapter,
  project: Project,
  jaeger: JaegerInstance,
  prometheus: PrometheusInstance,
  say: Log,
): Promise<Record<MetricName, Part>> {
  const { flushMs, scrapeMs } = intervals(project);
  const trafficMs = 2 * (flushMs + scrapeMs) + 1000;
  say(`spm: traffic for ${(trafficMs / 1000).toFixed(0)} s (flush ${flushMs / 1000} s + scrape ${scrapeMs / 1000} s, twice)`);
  const until = performance.now() + trafficMs;
  let rounds = 0;
  while (performance.now() < until) {
    await burst(app, adapter);
    rounds++;
    await sleep(1000);
  }
  const operation = `GET ${adapter.exampleRoute}`;
  const promql = readmePromQL(readFileSync(join(project.dir, 'README.md'), 'utf8'));
  const reasons: Record<MetricName, string | undefined> = { latencies: 'not read', calls: 'not read', errors: 'not read' };
  const judge = async (name: MetricName): Promise<string | undefined> => {
    const problems: string[] = [];
    for (const grouped of [false, true]) {
      const params: Record<string, string> = { service: project.name, ...(grouped ? { groupByOperation: 'true' } : {}) };
      if (name === 'latencies') params.quantile = '0.95';
      const r = await jaeger.metrics(name, params);
      if (r.status !== 200) {
        problems.push(`/api/metrics/${name} ${r.status}: ${oneLine(JSON.stringify(r.body), 160)}`);
        continue;
      }
      const why = judgeMetric(name, metricSeries(r.body), { service: project.name, ...(grouped ? { operation } : {}) });
      if (why) problems.push(why);
    }
    if (name === 'latencies') {
      if (!promql) problems.push('README has no PromQL example (curl … --data-urlencode \'query=…\')');
      else {
        const result = await prometheus.query(promql);
        if (!result.some((s) => Number.isFinite(s.value) && s.value > 0))
          problems.push(`README's PromQL gives ${result.length ? result.map((s) => s.value).join(', ') : 'no series'}`);
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  };
  try {
    await waitFor(
      'Monitor tab metrics',
      SPM_WAIT_MS,
      async (note) => {
        for (const name of METRIC_NAMES) reasons[name] = await judge(name).catch((err: unknown) => errorMessage(err));
        const open = METRIC_NAMES.filter((n) => reasons[n]);
        return open.length === 0 ? true : (note(open.map((n) => reasons[n]).join(' | ')), undefined);
      },
      { intervalMs: 2000, abort: () => (app.proc.hasExited() ? `app exited: ${lastLine(app.log)}` : undefined) },
    );
  } catch (err) {
    say(`spm: ${errorMessage(err)}`);
  }
  say(`spm: ${rounds} rounds of traffic; ${METRIC_NAMES.map((n) => `${n} ${reasons[n] ? 'fail' : 'ok'}`).join(', ')}`);
  return Object.fromEntries(METRIC_NAMES.map((n) => [n, reasons[n] ? fail(reasons[n]!) : OK])) as Record<MetricName, Part>;
}

/** How long the app's metrics may take to reach Prometheus (export interval + scrape). */
const APP_METRICS_WAIT_MS = 20_000;

/**
 * Issue 11, development side: Prometheus holds the app's HTTP duration histogram for the service
 * (OTLP → Jaeger's Collector → its prometheus exporter → scrape), and the app's output has a JSON
 * "item loaded" line with the trace id of a trace read back from Jaeger.
 */
async function checkDevelopmentSignals(
  app: App,
  project: Project,
  prometheus: PrometheusInstance,
  jaegerTraceIds: Set<string>,
  say: Log,
): Promise<SignalsVerdict> {
  const verdict: SignalsVerdict = {};
  // The exporter's job label (service.name) becomes exported_job: the scrape job is Jaeger's.
  const forService = (metric: Record<string, string>) =>
    [metric.exported_job, metric.job, metric.service_name].includes(project.name);
  let seen: Array<Record<string, string>> = [];
  try {
    await waitFor(
      `${PROMETHEUS_DURATION} for ${project.name} in Prometheus`,
      APP_METRICS_WAIT_MS,
      async (note) => {
        seen = (await prometheus.query(PROMETHEUS_DURATION)).map((s) => s.metric);
        if (seen.some(forService)) return true;
        return note(`series: ${seen.map((m) => m.exported_job ?? m.job ?? '?').join(', ') || 'none'}`), undefined;
      },
      { intervalMs: 1000 },
    );
    say(`signals: Prometheus has ${seen.filter(forService).length} ${PROMETHEUS_DURATION} series for ${project.name}`);
  } catch (err) {
    verdict.metrics = `Prometheus: ${errorMessage(err)}`;
  }
  const logs = judgeOutputLogs(readFileSync(app.log, 'utf8'), jaegerTraceIds);
  return { ...verdict, ...logs };
}

async function checkPrometheusDown(
  app: App,
  adapter: FrameworkAdapter,
  jaeger: JaegerInstance,
  prometheus: PrometheusInstance,
  say: Log,
): Promise<Part> {
  await prometheus.stop();
  if (!prometheus.hasExited()) return fail('prometheus did not stop');
  // Long enough for Jaeger's exporter and query side to notice, with traffic going on.
  for (let i = 0; i < 3; i++) {
    await burst(app, adapter);
    await sleep(500);
  }
  if (jaeger.hasExited()) return fail(`jaeger exited with Prometheus down: ${lastLine(jaeger.log, /error|fatal/i)}`);
  if (!(await jaeger.healthy())) return fail('jaeger health check fails with Prometheus down');
  const ms = await traceVisibleMs(app, adapter, jaeger);
  const metrics = await jaeger.metrics('calls', { service: 'x' }).catch((err: unknown) => ({ status: 0, body: errorMessage(err) }));
  say(
    `prometheus down: app and jaeger still up, a trace visible after ${ms.toFixed(0)} ms; ` +
      `/api/metrics/calls answers ${metrics.status} (${oneLine(JSON.stringify(metrics.body), 100)})`,
  );
  return OK;
}

export async function checkMonitor(
  adapter: FrameworkAdapter,
  project: Project,
  workDir: string,
  logDir: string,
  say: Log,
): Promise<MonitorResult> {
  const [jaegerBin, prometheusBin] = await Promise.all([peerBinary('jaeger', logDir), peerBinary('prometheus', logDir)]);
  // Ports first: each config names the other service's.
  const jaegerPorts = await projectJaegerPorts(project.dir);
  let prometheus: PrometheusInstance | undefined;
  let jaeger: JaegerInstance | undefined;
  let app: App | undefined;
  try {
    prometheus = await startPrometheus(prometheusBin.path, project.dir, workDir, logDir, { services: { jaeger: jaegerPorts } });
    jaeger = await startProjectJaeger(jaegerBin.path, project.dir, workDir, logDir, jaegerPorts, {
      prometheus: { [PROMETHEUS_CONTAINER_PORT]: prometheus.port },
    });
    say(`monitor: prometheus.yml ${prometheus.rewrites.join(', ')}; jaeger.yaml ${jaeger.rewrites.length} rewrites (${jaeger.rewrites.join(', ')})`);
    const { env, rewrites } = composeAppEnv(project.dir, project.name, { jaeger: jaegerPorts });
    say(`monitor: app env from compose.yaml; ${rewrites.join('; ') || 'no rewrites'}`);
    app = await bootApp(adapter, project, appEnv(env), join(logDir, 'app-monitor.log'));

    const jaegerTraceIds = new Set<string>();
    let traceVisible: MonitorResult['traceVisible'];
    try {
      const samplesMs: number[] = [];
      for (let i = 0; i < TRACE_VISIBLE_SAMPLES; i++) samplesMs.push(await traceVisibleMs(app, adapter, jaeger, jaegerTraceIds));
      const medianMs = median(samplesMs);
      say(`trace visible: ${samplesMs.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${medianMs.toFixed(0)})`);
      traceVisible = { ...OK, medianMs, samplesMs };
    } catch (err) {
      traceVisible = fail(errorMessage(err));
    }
    const spm = await checkSpm(app, adapter, project, jaeger, prometheus, say);
    let signals: SignalsVerdict;
    try {
      signals = await checkDevelopmentSignals(app, project, prometheus, jaegerTraceIds, say);
    } catch (err) {
      const reason = errorMessage(err);
      signals = { metrics: reason, logs: reason, correlated: reason };
    }
    let prometheusDown: Part;
    try {
      prometheusDown = await checkPrometheusDown(app, adapter, jaeger, prometheus, say);
    } catch (err) {
      prometheusDown = fail(errorMessage(err));
    }
    let shutdownUnderLoad: ShutdownUnderLoad;
    try {
      shutdownUnderLoad = await checkShutdownUnderLoad(app, adapter, jaeger, say);
    } catch (err) {
      shutdownUnderLoad = { ...fail(errorMessage(err)), responses: 0, traces: 0 };
    }
    return { spm, traceVisible, prometheusDown, signals, shutdownUnderLoad };
  } catch (err) {
    return failedMonitor(errorMessage(err));
  } finally {
    if (app) await stop(app.proc);
    await jaeger?.stop();
    await prometheus?.stop();
  }
}
