// A real Jaeger v2 on loopback, every listener on 127.0.0.1 and on a port found free now. Two ways:
// - startJaeger: from a config of the harness's own (not the embedded all-in-one one): OTLP HTTP +
//   gRPC receivers, the query HTTP (/api/v3) and gRPC servers, the health check; in-memory storage;
//   no metrics listener;
// - startProjectJaeger: the way the generated compose.yaml runs its jaeger service, from the
//   project's own config file (its listeners and the addresses of other compose services, e.g.
//   Prometheus, rewritten to loopback).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { composeService, flagValue, listenPorts, loopbackConfig, mountedFile, withFlag } from '../lib/compose-services.js';
import { flattenTraces, type FlatSpan } from '../lib/otlp.js';
import { freePorts, http, LOOPBACK, waitFor } from '../lib/net.js';
import { lastLine, start, stop, type Started } from '../lib/proc.js';

export interface JaegerInstance {
  otlpHttpPort: number;
  otlpGrpcPort: number;
  queryPort: number;
  /** container port (as in compose.yaml) → loopback port */
  portMap: Record<number, number>;
  /** Spans of every trace of `service` started in the last few minutes ([] when none yet). */
  /** Spans of the service's last 50 traces (of the traces holding a span named `operation`, if given). */
  spans: (service: string, operation?: string) => Promise<FlatSpan[]>;
  /** Spans of one trace (hex id); [] while Jaeger does not have it. */
  trace: (traceId: string) => Promise<FlatSpan[]>;
  /** GET /api/metrics/{name} (what the Monitor tab calls): HTTP status and parsed body. */
  metrics: (name: 'latencies' | 'calls' | 'errors', params: Record<string, string>) => Promise<{ status: number; body: unknown }>;
  /** GET the health check: whether Jaeger answers it with 200. */
  healthy: () => Promise<boolean>;
  hasExited: () => boolean;
  stop: () => Promise<void>;
  log: string;
  /** What was rewritten to run the project's config on loopback (startProjectJaeger). */
  rewrites: string[];
}

function config(p: { otlpHttp: number; otlpGrpc: number; query: number; queryGrpc: number; health: number }): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  jaeger_storage:
    backends:
      e2e_memory:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: e2e_memory
    http:
      endpoint: ${LOOPBACK}:${p.query}
    grpc:
      endpoint: ${LOOPBACK}:${p.queryGrpc}
  healthcheckv2:
    use_v2: true
    http:
      endpoint: ${LOOPBACK}:${p.health}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${LOOPBACK}:${p.otlpGrpc}
      http:
        endpoint: ${LOOPBACK}:${p.otlpHttp}
processors:
  batch:
    timeout: 200ms
exporters:
  jaeger_storage_exporter:
    trace_storage: e2e_memory
`;
}

export async function startJaeger(binary: string, workDir: string, logDir: string): Promise<JaegerInstance> {
  const [otlpHttp, otlpGrpc, query, queryGrpc, health] = (await freePorts(5)) as [number, number, number, number, number];
  const cfg = join(workDir, 'jaeger-e2e.yaml');
  writeFileSync(cfg, config({ otlpHttp, otlpGrpc, query, queryGrpc, health }));
  const proc = await launch(binary, ['--config', `file:${cfg}`], workDir, logDir, { query, health });
  return instance(proc, { otlpHttp, otlpGrpc, query, health }, { 4318: otlpHttp, 4317: otlpGrpc, 16686: query }, []);
}

/** The config file the project's compose.yaml runs Jaeger with, and its command. */
function projectJaegerConfig(projectDir: string) {
  const service = composeService(projectDir, 'jaeger');
  const configFlag = flagValue(service.command, '--config');
  if (!configFlag) throw new Error('compose.yaml: the jaeger command has no --config');
  const generated = mountedFile(service, configFlag.value.replace(/^file:/, ''));
  return { service, configFlag, generated, text: readFileSync(generated, 'utf8') };
}

/**
 * A free loopback port for every port the project's Jaeger config listens on (container port →
 * loopback port), found before anything starts: Prometheus, started first as in compose, needs the
 * one it scrapes.
 */
export async function projectJaegerPorts(projectDir: string): Promise<Record<number, number>> {
  const ports = listenPorts(projectJaegerConfig(projectDir).text);
  const free = await freePorts(ports.length);
  return Object.fromEntries(ports.map((p, i) => [p, free[i]!]));
}

/**
 * Jaeger as the project's compose.yaml runs it: its command, with the config file it mounts moved
 * to loopback. `listen` comes from projectJaegerPorts; `services` maps other compose services'
 * container ports to loopback ports (e.g. { prometheus: { 9090: 41234 } }).
 */
export async function startProjectJaeger(
  binary: string,
  projectDir: string,
  workDir: string,
  logDir: string,
  listen: Record<number, number>,
  services: Record<string, Record<number, number>>,
): Promise<JaegerInstance> {
  const { service, configFlag, generated, text } = projectJaegerConfig(projectDir);
  const moved = loopbackConfig(text, { listen, services, composeServices: service.services });
  const dir = join(workDir, 'jaeger');
  mkdirSync(dir, { recursive: true });
  const cfg = join(dir, basename(generated));
  writeFileSync(cfg, moved.text);
  // The ports the rest of the harness needs, read from the config it runs.
  const parsed = parse(moved.text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const portOf = (what: string, endpoint: unknown) => {
    const m = /:(\d+)$/.exec(String(endpoint ?? ''));
    if (!m) throw new Error(`${basename(generated)}: no ${what} endpoint`);
    return Number(m[1]);
  };
  const p = {
    otlpHttp: portOf('OTLP HTTP receiver', parsed.receivers?.otlp?.protocols?.http?.endpoint),
    otlpGrpc: portOf('OTLP gRPC receiver', parsed.receivers?.otlp?.protocols?.grpc?.endpoint),
    query: portOf('jaeger_query HTTP', parsed.extensions?.jaeger_query?.http?.endpoint),
    health: portOf('healthcheckv2 HTTP', parsed.extensions?.healthcheckv2?.http?.endpoint),
  };
  const args = withFlag(service.command, '--config', configFlag.value.startsWith('file:') ? `file:${cfg}` : cfg);
  const proc = await launch(binary, args, dir, logDir, p);
  return instance(proc, p, listen, moved.rewrites);
}

async function launch(
  binary: string,
  args: string[],
  cwd: string,
  logDir: string,
  p: { query: number; health: number },
): Promise<Started> {
  const log = join(logDir, 'jaeger.log');
  const proc = start(binary, args, {
    log,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, JAEGER_LISTEN_HOST: LOOPBACK },
  });
  try {
    await waitFor(
      'jaeger healthy',
      30_000,
      async (note) => {
        const r = await http(`http://${LOOPBACK}:${p.health}/status`, { timeoutMs: 2000 });
        if (r.status !== 200) return note(`health ${r.status}`), undefined;
        const q = await http(`http://${LOOPBACK}:${p.query}/api/services`, { timeoutMs: 2000 });
        return q.status === 200 ? true : (note(`query ${q.status}`), undefined);
      },
      { abort: () => (proc.hasExited() ? `jaeger exited: ${lastLine(log, /error|fatal/i)}` : undefined) },
    );
  } catch (err) {
    await stop(proc);
    throw err;
  }
  return proc;
}

function instance(
  started: Started,
  p: { otlpHttp: number; otlpGrpc: number; query: number; health: number },
  portMap: Record<number, number>,
  rewrites: string[],
): JaegerInstance {
  let proc: Started | undefined = started;
  const api = `http://${LOOPBACK}:${p.query}`;
  return {
    otlpHttpPort: p.otlpHttp,
    otlpGrpcPort: p.otlpGrpc,
    queryPort: p.query,
    portMap,
    log: started.log,
    rewrites,
    async spans(service, operation) {
      const now = Date.now();
      const params = new URLSearchParams({
        'query.service_name': service,
        ...(operation ? { 'query.operation_name': operation } : {}),
        'query.start_time_min': new Date(now - 10 * 60_000).toISOString(),
        'query.start_time_max': new Date(now + 60_000).toISOString(),
        'query.num_traces': '50',
      });
      const r = await http(`${api}/api/v3/traces?${params}`, { timeoutMs: 5000 });
      if (r.status === 404) return []; // "No traces found"
      if (r.status !== 200) throw new Error(`jaeger /api/v3/traces ${r.status}: ${r.body.slice(0, 120)}`);
      return flattenTraces((JSON.parse(r.body) as { result?: unknown }).result);
    },
    async trace(traceId) {
      const r = await http(`${api}/api/v3/traces/${traceId}`, { timeoutMs: 5000 });
      if (r.status === 404) return [];
      if (r.status !== 200) throw new Error(`jaeger /api/v3/traces/${traceId} ${r.status}: ${r.body.slice(0, 120)}`);
      return flattenTraces((JSON.parse(r.body) as { result?: unknown }).result);
    },
    async metrics(name, params) {
      const r = await http(`${api}/api/metrics/${name}?${new URLSearchParams(params)}`, { timeoutMs: 10_000 });
      let body: unknown = r.body;
      try {
        body = JSON.parse(r.body);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: r.status, body };
    },
    async healthy() {
      const r = await http(`http://${LOOPBACK}:${p.health}/status`, { timeoutMs: 2000 });
      return r.status === 200;
    },
    hasExited: () => started.hasExited(),
    async stop() {
      if (proc) await stop(proc);
      proc = undefined;
    },
  };
}
