// Jaeger's metrics API (what the Monitor tab calls), read back and judged. The body of
// GET /api/metrics/{latencies|calls|errors} is a MetricFamily:
//   { "name": "service_latencies", "type": "GAUGE",
//     "metrics": [ { "labels": [{ "name": "service_name", "value": "my-api" },
//                               { "name": "operation", "value": "GET /items/{id}" }],   (grouped)
//                    "metricPoints": [ { "gaugeValue": { "doubleValue": 1.9 }, "timestamp": "…" } ] } ] }
// doubleValue may be the string "NaN" (protojson) before there are two samples to rate.

export type MetricName = 'latencies' | 'calls' | 'errors';
export const METRIC_NAMES: readonly MetricName[] = ['latencies', 'calls', 'errors'];

export interface MetricSeries {
  labels: Record<string, string>;
  points: number[];
}

type Json = Record<string, unknown>;

/** The series of a MetricFamily body; throws with a short reason when it is not one. */
export function metricSeries(body: unknown): MetricSeries[] {
  if (!body || typeof body !== 'object' || !Array.isArray((body as Json).metrics)) {
    throw new Error(`not a MetricFamily: ${JSON.stringify(body).slice(0, 160)}`);
  }
  return ((body as Json).metrics as Json[]).map((metric) => {
    const labels: Record<string, string> = {};
    for (const label of (metric.labels as Json[] | undefined) ?? []) labels[String(label.name)] = String(label.value);
    const points = ((metric.metricPoints as Json[] | undefined) ?? []).map((point) =>
      Number(((point.gaugeValue as Json | undefined)?.doubleValue as number | string | undefined) ?? NaN),
    );
    return { labels, points };
  });
}

const positive = (s: MetricSeries) => s.points.some((v) => Number.isFinite(v) && v > 0);
const summary = (s: MetricSeries) =>
  `${s.labels.operation ?? s.labels.service_name ?? '?'}: ${s.points.filter(Number.isFinite).slice(-3).map((v) => +v.toFixed(3)).join(', ') || 'no finite point'}`;

/**
 * Whether a response is what the Monitor tab needs: a series for `service` with a point > 0; when
 * grouped by operation, one for `operation` with a point > 0, and for errors no other operation
 * with an error (the failing operation only), which means something only if another operation
 * had calls (checked on calls). Returns undefined when it is, else the reason.
 */
export function judgeMetric(
  name: MetricName,
  series: MetricSeries[],
  expect: { service: string; operation?: string },
): string | undefined {
  const mine = series.filter((s) => s.labels.service_name === expect.service);
  const services = [...new Set(series.map((s) => s.labels.service_name))].join(', ');
  if (mine.length === 0) return `${name}: no series for service ${expect.service} (${series.length} series${services ? `: ${services}` : ''})`;
  if (expect.operation === undefined) {
    return mine.some(positive) ? undefined : `${name}: no point > 0 yet (${mine.map(summary).join('; ')})`;
  }
  const op = mine.find((s) => s.labels.operation === expect.operation);
  const ops = mine.map((s) => s.labels.operation ?? '(none)').join(', ');
  if (!op) return `${name} by operation: no series for "${expect.operation}" (operations: ${ops})`;
  if (!positive(op)) return `${name} by operation: no point > 0 yet for "${expect.operation}" (${summary(op)})`;
  const others = mine.filter((s) => s !== op && positive(s));
  if (name === 'errors' && others.length > 0)
    return `errors by operation: errors for other operations too (${others.map(summary).join('; ')})`;
  // The premise of "errors for the failing operation only": another operation had calls.
  if (name === 'calls' && others.length === 0)
    return `calls by operation: no operation but "${expect.operation}" has calls (operations: ${ops})`;
  return undefined;
}
