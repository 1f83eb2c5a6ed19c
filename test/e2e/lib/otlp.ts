// OTLP trace data as JSON, normalised: Jaeger's /api/v3 returns protojson (camelCase, hex ids,
// numeric kinds); ddapm-test-agent returns MessageToDict(preserving_proto_field_name) output
// (snake_case, base64 ids, enum-name kinds). Ids are compared only within one payload, so their
// encoding does not matter.

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: SpanKind;
  scope: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function pick(obj: Json | undefined, camel: string, snake: string): unknown {
  if (!obj) return undefined;
  return obj[camel] ?? obj[snake];
}

function asArray(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

function anyValue(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  for (const [key, value] of Object.entries(o)) {
    switch (key) {
      case 'stringValue':
      case 'string_value':
      case 'boolValue':
      case 'bool_value':
      case 'doubleValue':
      case 'double_value':
        return value;
      case 'intValue':
      case 'int_value':
        return Number(value);
      case 'arrayValue':
      case 'array_value':
        return asArray((value as Json)?.values).map(anyValue);
      default:
        break;
    }
  }
  return undefined;
}

export function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of asArray(list)) out[String(kv.key)] = anyValue(kv.value);
  return out;
}

function kindOf(v: unknown): SpanKind {
  if (typeof v === 'number') return KINDS[v] ?? 'unspecified';
  if (typeof v === 'string') {
    const k = v.replace(/^SPAN_KIND_/, '').toLowerCase();
    return (KINDS as string[]).includes(k) ? (k as SpanKind) : 'unspecified';
  }
  return 'unspecified';
}

/** Flatten one TracesData / ExportTraceServiceRequest object (or a list of them). */
export function flattenTraces(data: unknown): FlatSpan[] {
  if (Array.isArray(data)) return data.flatMap(flattenTraces);
  if (!data || typeof data !== 'object') return [];
  const root = data as Json;
  const out: FlatSpan[] = [];
  for (const rs of asArray(pick(root, 'resourceSpans', 'resource_spans'))) {
    const resource = attributes((rs.resource as Json | undefined)?.attributes);
    for (const ss of asArray(pick(rs, 'scopeSpans', 'scope_spans'))) {
      const scope = String(((ss.scope as Json | undefined)?.name as string | undefined) ?? '');
      for (const s of asArray(ss.spans)) {
        out.push({
          traceId: String(pick(s, 'traceId', 'trace_id') ?? ''),
          spanId: String(pick(s, 'spanId', 'span_id') ?? ''),
          parentSpanId: String(pick(s, 'parentSpanId', 'parent_span_id') ?? ''),
          name: String(s.name ?? ''),
          kind: kindOf(s.kind),
          scope,
          attributes: attributes(s.attributes),
          resource,
        });
      }
    }
  }
  return out;
}

/** Scopes of instrumentation libraries (not the app's own tracer). */
const LIBRARY_SCOPE =
  /(^|[/.@])(opentelemetry[.-]instrumentation|instrumentation-|otelhttp|contrib\/instrumentation)|^@fastify\/otel|^fastify|^express/i;

export interface Expectation {
  /** Route template the server span is for, e.g. "/items/{item_id}". */
  route: string;
  /** Name of the app's own nested span; when absent, any internal span from the app's own tracer. */
  customSpanName?: string;
  /**
   * The exact path requested (e.g. "/items/738211"): only a server span carrying it (url.path,
   * http.target, url.full, http.url …) counts, so traces from anything else that happens to export
   * to the same port (another local app also called my-api) are ignored.
   */
  requestPath?: string;
}

function carriesPath(span: FlatSpan, path: string): boolean {
  return Object.values(span.attributes).some(
    (v) => typeof v === 'string' && (v === path || v.endsWith(path) || v.includes(`${path}?`)),
  );
}

export interface TraceMatch {
  server: FlatSpan;
  custom: FlatSpan;
}

function isServerSpanFor(span: FlatSpan, route: string): boolean {
  if (span.kind !== 'server') return false;
  const r = span.attributes['http.route'];
  return r === route || span.name === route || span.name.endsWith(` ${route}`);
}

/**
 * Find a trace holding the server span for the route and the custom span as its direct child
 * (parent reference = the server span's id, same trace). Returns undefined with the reason.
 */
export function matchTrace(spans: FlatSpan[], exp: Expectation): TraceMatch | { reason: string } {
  const forRoute = spans.filter((s) => isServerSpanFor(s, exp.route));
  const servers = exp.requestPath ? forRoute.filter((s) => carriesPath(s, exp.requestPath!)) : forRoute;
  if (servers.length === 0 && forRoute.length > 0) {
    return { reason: `${forRoute.length} server span(s) for ${exp.route}, none for the request ${exp.requestPath}` };
  }
  if (servers.length === 0) {
    const names = [...new Set(spans.map((s) => `${s.name}[${s.kind}]`))].slice(0, 8).join(', ');
    return { reason: `no server span for ${exp.route} among ${spans.length} spans (${names || 'none'})` };
  }
  for (const server of servers) {
    const children = spans.filter((s) => s.traceId === server.traceId && s.parentSpanId === server.spanId);
    const custom = children.find((s) =>
      exp.customSpanName ? s.name === exp.customSpanName : s.kind === 'internal' && !LIBRARY_SCOPE.test(s.scope),
    );
    if (custom) return { server, custom };
  }
  const want = exp.customSpanName ? `"${exp.customSpanName}"` : 'an internal span from the app tracer';
  const inTrace = spans.filter((s) => s.traceId === servers[0]!.traceId);
  const seen = inTrace
    .filter((s) => s !== servers[0])
    .map((s) => `${s.name}(parent ${s.parentSpanId === servers[0]!.spanId ? 'server' : s.parentSpanId || 'none'})`)
    .slice(0, 8)
    .join(', ');
  return { reason: `server span "${servers[0]!.name}" has no child ${want}; trace holds: ${seen || 'nothing else'}` };
}
