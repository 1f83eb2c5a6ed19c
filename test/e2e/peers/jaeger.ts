// A real Jaeger v2 on loopback. It runs from a written config (not the embedded all-in-one one) so
// every listener is on 127.0.0.1 and on a port found free now: OTLP HTTP + gRPC receivers, the query
// HTTP (/api/v3) and gRPC servers, the health check; in-memory storage; no metrics listener.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  spans: (service: string) => Promise<FlatSpan[]>;
  stop: () => Promise<void>;
  log: string;
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
  const log = join(logDir, 'jaeger.log');
  let proc: Started | undefined = start(binary, ['--config', `file:${cfg}`], {
    log,
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? workDir, JAEGER_LISTEN_HOST: LOOPBACK },
  });
  const started = proc;
  try {
    await waitFor(
      'jaeger healthy',
      30_000,
      async (note) => {
        const r = await http(`http://${LOOPBACK}:${health}/status`, { timeoutMs: 2000 });
        if (r.status !== 200) return note(`health ${r.status}`), undefined;
        const q = await http(`http://${LOOPBACK}:${query}/api/services`, { timeoutMs: 2000 });
        return q.status === 200 ? true : (note(`query ${q.status}`), undefined);
      },
      { abort: () => (started.hasExited() ? `jaeger exited: ${lastLine(log, /error|fatal/i)}` : undefined) },
    );
  } catch (err) {
    await stop(started);
    throw err;
  }
  return {
    otlpHttpPort: otlpHttp,
    otlpGrpcPort: otlpGrpc,
    queryPort: query,
    portMap: { 4318: otlpHttp, 4317: otlpGrpc, 16686: query },
    log,
    async spans(service) {
      const now = Date.now();
      const params = new URLSearchParams({
        'query.service_name': service,
        'query.start_time_min': new Date(now - 10 * 60_000).toISOString(),
        'query.start_time_max': new Date(now + 60_000).toISOString(),
        'query.num_traces': '50',
      });
      const r = await http(`http://${LOOPBACK}:${query}/api/v3/traces?${params}`, { timeoutMs: 5000 });
      if (r.status === 404) return []; // "No traces found"
      if (r.status !== 200) throw new Error(`jaeger /api/v3/traces ${r.status}: ${r.body.slice(0, 120)}`);
      return flattenTraces((JSON.parse(r.body) as { result?: unknown }).result);
    },
    async stop() {
      if (proc) await stop(proc);
      proc = undefined;
    },
  };
}
