// Metrics and logs as the peers hand them back, normalised, and the judgements of the signals check
// (issue 11): the HTTP duration histogram and the example counter arrived with the service's
// resource; the example route's "item loaded" record arrived; and it carries the trace id of a
// trace the backend holds. Pure functions: harness.test.ts tests them.
import { attributes } from './otlp.js';

type Json = Record<string, unknown>;

export const DURATION_METRIC = 'http.server.request.duration';
export const COUNTER_METRIC = 'app.items.loaded';
export const LOG_MESSAGE = 'item loaded';
/** The duration histogram in Prometheus, as the Collector's prometheus exporter names it. */
export const PROMETHEUS_DURATION = 'http_server_request_duration_seconds_count';

function asArray(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

function pick(obj: Json | undefined, camel: string, snake: string): unknown {
  return obj?.[camel] ?? obj?.[snake];
}

/** A trace or span id as lowercase hex, whether it came as hex (protojson) or base64 (MessageToDict). */
export function hexId(value: unknown): string {
  const s = String(value ?? '');
  if (/^[0-9a-fA-F]+$/.test(s) && (s.length === 32 || s.length === 16)) return s.toLowerCase();
  return Buffer.from(s, 'base64').toString('hex');
}

export interface FlatMetric {
  name: string;
  unit: string;
  /** "delta", "cumulative" or "" (gauges). */
  temporality: string;
  resource: Record<string, unknown>;
  points: Array<Record<string, unknown>>;
}

function temporalityOf(v: unknown): string {
  if (v === 1 || v === 'AGGREGATION_TEMPORALITY_DELTA') return 'delta';
  if (v === 2 || v === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 'cumulative';
  return '';
}

/** ExportMetricsServiceRequest objects (or a list of them) → one entry per metric. */
export function flattenMetrics(data: unknown): FlatMetric[] {
  if (Array.isArray(data)) return data.flatMap(flattenMetrics);
  if (!data || typeof data !== 'object') return [];
  const out: FlatMetric[] = [];
  for (const rm of asArray(pick(data as Json, 'resourceMetrics', 'resource_metrics'))) {
    const resource = attributes((rm.resource as Json | undefined)?.attributes);
    for (const sm of asArray(pick(rm, 'scopeMetrics', 'scope_metrics'))) {
      for (const m of asArray(sm.metrics)) {
        const body = (m.histogram ?? m.sum ?? m.gauge ?? m.exponentialHistogram ?? m.exponential_histogram) as
          | Json
          | undefined;
        out.push({
          name: String(m.name ?? ''),
          unit: String(m.unit ?? ''),
          temporality: temporalityOf(pick(body, 'aggregationTemporality', 'aggregation_temporality')),
          resource,
          points: asArray(pick(body, 'dataPoints', 'data_points')).map((p) => attributes(p.attributes)),
        });
      }
    }
  }
  return out;
}

export interface FlatLog {
  body: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** ExportLogsServiceRequest objects (or a list of them) → one entry per log record. */
export function flattenLogs(data: unknown): FlatLog[] {
  if (Array.isArray(data)) return data.flatMap(flattenLogs);
  if (!data || typeof data !== 'object') return [];
  const out: FlatLog[] = [];
  for (const rl of asArray(pick(data as Json, 'resourceLogs', 'resource_logs'))) {
    const resource = attributes((rl.resource as Json | undefined)?.attributes);
    for (const sl of asArray(pick(rl, 'scopeLogs', 'scope_logs'))) {
      for (const r of asArray(pick(sl, 'logRecords', 'log_records'))) {
        const body = r.body as Json | undefined;
        const traceId = pick(r, 'traceId', 'trace_id');
        const spanId = pick(r, 'spanId', 'span_id');
        out.push({
          body: String(pick(body, 'stringValue', 'string_value') ?? ''),
          traceId: traceId ? hexId(traceId) : '',
          spanId: spanId ? hexId(spanId) : '',
          attributes: attributes(r.attributes),
          resource,
        });
      }
    }
  }
  return out;
}

/** The JSON objects among an app's output lines (other lines, e.g. a runner's banner, are skipped). */
export function jsonLines(text: string): Json[] {
  const out: Json[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v = JSON.parse(t) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Json);
    } catch {
      // not JSON after all
    }
  }
  return out;
}

/** The message of a JSON log line: pino and slog write "msg", Python's JSON formatters "message". */
export function messageOf(line: Json): string {
  return String(line.msg ?? line.message ?? '');
}

export interface DatadogSignals {
  metrics: FlatMetric[];
  logs: FlatLog[];
  /** Hex trace ids of the spans the agent holds. */
  traceIds: Set<string>;
  service: string;
  environment: string;
  /** The temporality the manifests ask for (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE), if any. */
  temporality?: string;
}

export interface SignalsVerdict {
  metrics?: string;
  logs?: string;
  correlated?: string;
}

/** What the Datadog test agent received: reasons for each failing part, nothing when all is well. */
export function judgeDatadogSignals(s: DatadogSignals): SignalsVerdict {
  const verdict: SignalsVerdict = {};
  const ours = (resource: Record<string, unknown>) => resource['service.name'] === s.service;
  const names = [...new Set(s.metrics.map((m) => `${m.name}@${String(m.resource['service.name'] ?? '?')}`))];
  const duration = s.metrics.filter((m) => m.name === DURATION_METRIC && ours(m.resource));
  const metricProblems: string[] = [];
  if (duration.length === 0) {
    metricProblems.push(`no ${DURATION_METRIC} for service.name=${s.service} (got ${names.slice(0, 6).join(', ') || 'no metrics'})`);
  } else {
    const env = duration[0]!.resource['deployment.environment.name'];
    if (env !== s.environment) metricProblems.push(`${DURATION_METRIC} has deployment.environment.name=${String(env)} (want ${s.environment})`);
    if (duration[0]!.unit !== 's') metricProblems.push(`${DURATION_METRIC} unit ${JSON.stringify(duration[0]!.unit)} (want "s")`);
    if (!duration.some((m) => m.points.some((p) => typeof p['http.route'] === 'string')))
      metricProblems.push(`${DURATION_METRIC} has no point with http.route`);
    const want = s.temporality?.toLowerCase();
    if (want && !duration.every((m) => m.temporality === want))
      metricProblems.push(`${DURATION_METRIC} temporality ${duration.map((m) => m.temporality || '?').join(',')} (the manifests ask for ${want})`);
  }
  if (!s.metrics.some((m) => m.name === COUNTER_METRIC && ours(m.resource)))
    metricProblems.push(`no ${COUNTER_METRIC} for service.name=${s.service}`);
  if (metricProblems.length) verdict.metrics = metricProblems.join('; ');

  const records = s.logs.filter((l) => l.body === LOG_MESSAGE);
  if (records.length === 0) {
    const bodies = [...new Set(s.logs.map((l) => l.body))].slice(0, 4);
    verdict.logs = `no "${LOG_MESSAGE}" record over OTLP (${s.logs.length} records${bodies.length ? `: ${bodies.map((b) => JSON.stringify(b)).join(', ')}` : ''})`;
    verdict.correlated = 'no record to correlate';
  } else {
    if (!records.some((l) => ours(l.resource)))
      verdict.logs = `"${LOG_MESSAGE}" records have service.name=${String(records[0]!.resource['service.name'])} (want ${s.service})`;
    const withTrace = records.filter((l) => l.traceId && !/^0+$/.test(l.traceId));
    if (withTrace.length === 0) verdict.correlated = `"${LOG_MESSAGE}" records carry no trace id`;
    else if (!withTrace.some((l) => s.traceIds.has(l.traceId)))
      verdict.correlated = `"${LOG_MESSAGE}" trace ids ${withTrace.map((l) => l.traceId).slice(0, 3).join(', ')} match none of the ${s.traceIds.size} traces at the agent`;
  }
  return verdict;
}

/**
 * The app's output in development: a JSON "item loaded" line (logs) whose trace_id is one of the
 * traces read back from Jaeger (correlated).
 */
export function judgeOutputLogs(output: string, jaegerTraceIds: Set<string>): SignalsVerdict {
  const lines = jsonLines(output);
  const loaded = lines.filter((l) => messageOf(l) === LOG_MESSAGE);
  if (loaded.length === 0) {
    return {
      logs: `no JSON "${LOG_MESSAGE}" line in the app's output (${lines.length} JSON lines)`,
      correlated: 'no line to correlate',
    };
  }
  const ids = loaded.map((l) => String(l.trace_id ?? ''));
  if (!ids.some((id) => /^[0-9a-f]{32}$/.test(id)))
    return { correlated: `"${LOG_MESSAGE}" lines have no trace_id of 32 hex digits (${ids.slice(0, 2).join(', ') || 'none'})` };
  if (!ids.some((id) => jaegerTraceIds.has(id)))
    return { correlated: `no "${LOG_MESSAGE}" line carries one of the ${jaegerTraceIds.size} trace ids read back from Jaeger` };
  return {};
}
