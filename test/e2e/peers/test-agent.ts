// The Datadog APM test agent (ddapm-test-agent) on loopback: the trace API (Datadog's 8126) and OTLP
// HTTP (the Agent's 4318) and gRPC receivers. OTLP HTTP gets exactly 4318 when that port is free, so
// the manifests' http://$(HOST_IP):4318 is used verbatim; otherwise a free port, and the caller must
// rewrite the port (and says so).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flattenTraces, type FlatSpan } from '../lib/otlp.js';
import { flattenLogs, flattenMetrics, type FlatLog, type FlatMetric } from '../lib/signals.js';
import { freePorts, http, LOOPBACK, portIsFree, waitFor } from '../lib/net.js';
import { lastLine, start, stop, type Started } from '../lib/proc.js';

export const AGENT_OTLP_HTTP_PORT = 4318;
export const AGENT_APM_PORT = 8126;

/** The checks the agent runs on every native trace payload (none by default): headers and size. */
export const TRACE_CHECKS = ['trace_count_header', 'meta_tracer_version_header', 'trace_content_length'];

/** A span as Datadog's tracers send it (v0.4/v0.5 payloads), as the test agent returns it. */
export interface NativeSpan {
  name: string;
  resource: string;
  service: string;
  trace_id: number | string;
  span_id: number | string;
  parent_id: number | string;
  type?: string | null;
  meta?: Record<string, string>;
}

export interface TestAgentInstance {
  apmPort: number;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  /** Agent's well-known port → the loopback port this instance really uses. */
  portMap: Record<number, number>;
  /** Spans the agent captured over OTLP (HTTP or gRPC) in this session. */
  otlpSpans: () => Promise<FlatSpan[]>;
  /** Traces Datadog's tracers sent to the APM port (msgpack, decoded by the agent) in this session. */
  nativeTraces: () => Promise<NativeSpan[][]>;
  /** The trace checks (TRACE_CHECKS) that failed on native payloads, one line; '' when none. */
  traceCheckFailures: () => Promise<string>;
  /** Metrics and log records the agent captured over OTLP in this session. */
  otlpMetrics: () => Promise<FlatMetric[]>;
  otlpLogs: () => Promise<FlatLog[]>;
  stop: () => Promise<void>;
  log: string;
}

export async function startTestAgent(
  binary: string,
  workDir: string,
  logDir: string,
  preferAgentPorts = true,
): Promise<TestAgentInstance> {
  const [apmFallback, otlpHttpFallback, otlpGrpc] = (await freePorts(3)) as [number, number, number];
  const otlpHttp = preferAgentPorts && (await portIsFree(AGENT_OTLP_HTTP_PORT)) ? AGENT_OTLP_HTTP_PORT : otlpHttpFallback;
  const apm = preferAgentPorts && (await portIsFree(AGENT_APM_PORT)) ? AGENT_APM_PORT : apmFallback;
  const log = join(logDir, 'ddapm-test-agent.log');
  let proc: Started | undefined = start(
    binary,
    ['--host', LOOPBACK, '--port', String(apm), '--otlp-http-port', String(otlpHttp), '--otlp-grpc-port', String(otlpGrpc)],
    {
      log,
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? workDir,
        PYTHONUNBUFFERED: '1',
        // The agent's own trace checks on native payloads, failures kept for /test/trace_check/failures.
        ENABLED_CHECKS: TRACE_CHECKS.join(','),
        DD_POOL_TRACE_CHECK_FAILURES: 'true',
      },
    },
  );
  const started = proc;
  try {
    await waitFor(
      'ddapm-test-agent ready',
      30_000,
      async (note) => {
        const info = await http(`http://${LOOPBACK}:${apm}/info`, { timeoutMs: 2000 });
        if (info.status !== 200) return note(`/info ${info.status}`), undefined;
        const t = await http(`http://${LOOPBACK}:${otlpHttp}/test/session/traces`, { timeoutMs: 2000 });
        return t.status === 200 ? true : (note(`otlp /test/session/traces ${t.status}`), undefined);
      },
      { abort: () => (started.hasExited() ? `exited: ${lastLine(log, /error|address/i)}` : undefined) },
    );
    // A fresh session: nothing captured before this point counts.
    await http(`http://${LOOPBACK}:${otlpHttp}/test/session/clear`, { timeoutMs: 2000 });
  } catch (err) {
    await stop(started);
    // Frameworks run two at a time: the other one's agent may take 4318 or 8126 between the check
    // above and the bind. Then start again on ports found free.
    const lost = existsSync(log) && /address already in use/.test(readFileSync(log, 'utf8'));
    if (preferAgentPorts && lost && (apm === AGENT_APM_PORT || otlpHttp === AGENT_OTLP_HTTP_PORT))
      return startTestAgent(binary, workDir, logDir, false);
    throw err;
  }
  /** What the agent captured over OTLP (traces, metrics, logs: 1.69 serves all three on its OTLP port). */
  const session = async (what: 'traces' | 'metrics' | 'logs'): Promise<unknown> => {
    const r = await http(`http://${LOOPBACK}:${otlpHttp}/test/session/${what}`, { timeoutMs: 5000 });
    if (r.status !== 200) throw new Error(`test agent /test/session/${what} ${r.status}: ${r.body.slice(0, 120)}`);
    return JSON.parse(r.body) as unknown;
  };
  return {
    apmPort: apm,
    otlpHttpPort: otlpHttp,
    otlpGrpcPort: otlpGrpc,
    portMap: { [AGENT_OTLP_HTTP_PORT]: otlpHttp, [AGENT_APM_PORT]: apm, 4317: otlpGrpc },
    log,
    async otlpSpans() {
      return flattenTraces(await session('traces'));
    },
    async otlpMetrics() {
      return flattenMetrics(await session('metrics'));
    },
    async otlpLogs() {
      return flattenLogs(await session('logs'));
    },
    async nativeTraces() {
      const r = await http(`http://${LOOPBACK}:${apm}/test/session/traces`, { timeoutMs: 5000 });
      if (r.status !== 200) throw new Error(`test agent :${apm}/test/session/traces ${r.status}: ${r.body.slice(0, 120)}`);
      return JSON.parse(r.body) as NativeSpan[][];
    },
    async traceCheckFailures() {
      const r = await http(`http://${LOOPBACK}:${apm}/test/trace_check/failures?return_all=true`, { timeoutMs: 5000 });
      return r.status === 200 ? '' : r.body.replace(/\s+/g, ' ').slice(0, 300);
    },
    async stop() {
      if (proc) await stop(proc);
      proc = undefined;
    },
  };
}
