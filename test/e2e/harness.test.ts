// Unit tests of the e2e harness's pure parts (no peers, no processes): kubelet-style env
// resolution, compose interpolation and rewriting, OTLP normalisation and trace matching, configs
// moved to loopback, the judging of Jaeger's metrics API, what a project applies to a cluster and
// how kubectl's answer is read, and the extraction of the README's "Start here" commands.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeAppEnv, interpolate } from './lib/compose-env.js';
import { composeService, flagValue, listenPorts, loopbackConfig, withFlag } from './lib/compose-services.js';
import { judgeMetric, metricSeries } from './lib/spm.js';
import { durationMs, readmePromQL } from './monitor.js';
import { healthcheckCommand } from './peers/prometheus.js';
import { expand, findAppWorkload, parseManifests, resolveContainerEnv } from './lib/k8s-env.js';
import { findApplyUnits, parseApplyOutput, undeclaredNamespaces } from './lib/kube-apply.js';
import { withDefaults } from '../../generators/shared/answers.js';
import { renderProject } from '../../generators/shared/render.js';
import { flattenTraces, matchTrace } from './lib/otlp.js';
import { flattenLogs, flattenMetrics, hexId, judgeDatadogSignals, judgeOutputLogs } from './lib/signals.js';
import { combineSignals } from './suite.js';
import { REPO_ROOT } from './lib/paths.js';
import { createdProjectDir, readmeCommands } from './readme.js';

describe('kubelet $(VAR) expansion', () => {
  const vars: Record<string, string> = { HOST_IP: '10.0.0.7', EMPTY: '' };
  const map = (n: string) => vars[n];
  it.each([
    ['http://$(HOST_IP):4318', 'http://10.0.0.7:4318'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(HOST_IP)', '$(HOST_IP)'],
    ['$$', '$'],
    ['a$b', 'a$b'],
    ['$(HOST_IP', '$(HOST_IP'],
    ['x$(EMPTY)y', 'xy'],
    ['$', '$'],
  ])('%s → %s', (input, out) => expect(expand(input, map)).toBe(out));
});

const RENDERED = `
apiVersion: v1
kind: ConfigMap
metadata: {name: extra, namespace: staging}
data: {FROM_CM: cm-value}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: my-api, namespace: staging}
spec:
  template:
    metadata:
      labels:
        tags.datadoghq.com/env: staging
        tags.datadoghq.com/version: 1.2.3
    spec:
      containers:
        - name: app
          envFrom:
            - configMapRef: {name: extra}
          env:
            - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://$(HOST_IP):4318"}
            - name: HOST_IP
              valueFrom: {fieldRef: {fieldPath: status.hostIP}}
            - name: DD_ENV
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['tags.datadoghq.com/env']"}}
            - name: DD_VERSION
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['tags.datadoghq.com/version']"}}
            - name: NS
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            - {name: APP_ENV, value: $(DD_ENV)}
            - {name: LATER, value: "http://$(HOST_IP):4318"}
            - {name: CM, value: $(FROM_CM)}
`;

describe('container env as the kubelet resolves it', () => {
  const objects = parseManifests(RENDERED);
  const { container, pod } = findAppWorkload(objects, 'my-api', '127.0.0.1');
  const env = resolveContainerEnv(container, pod, objects);
  it('resolves the downward API and references in definition order', () => {
    expect(env.get('HOST_IP')).toBe('127.0.0.1');
    expect(env.get('DD_ENV')).toBe('staging');
    expect(env.get('DD_VERSION')).toBe('1.2.3');
    expect(env.get('NS')).toBe('staging');
    expect(env.get('APP_ENV')).toBe('staging');
    expect(env.get('LATER')).toBe('http://127.0.0.1:4318');
    expect(env.get('CM')).toBe('cm-value');
  });
  it('leaves a reference to a later variable literal, like the kubelet', () => {
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://$(HOST_IP):4318');
  });
  it('fails on a missing non-optional secret', () => {
    const bad = parseManifests(
      RENDERED.replace(
        '- {name: CM, value: $(FROM_CM)}',
        '- name: S\n              valueFrom: {secretKeyRef: {name: nope, key: k}}',
      ),
    );
    const w = findAppWorkload(bad, 'my-api', '127.0.0.1');
    expect(() => resolveContainerEnv(w.container, w.pod, bad)).toThrow(/Secret nope\/k/);
  });
});

describe('compose', () => {
  it('interpolates like compose', () => {
    const vars = { SET: 'v', EMPTY: '' };
    expect(interpolate('${SET}', vars)).toBe('v');
    expect(interpolate('${UNSET:-http://host.docker.internal:4318}', vars)).toBe('http://host.docker.internal:4318');
    expect(interpolate('${EMPTY:-d}', vars)).toBe('d');
    expect(interpolate('${EMPTY-d}', vars)).toBe('');
    expect(interpolate('$$HOME', vars)).toBe('$HOME');
    expect(() => interpolate('${UNSET:?needed}', vars)).toThrow(/UNSET/);
  });

  it('takes the app service env and points peer URLs at loopback', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cia-e2e-unit-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:
  app:
    build: .
    environment:
      APP_ENV: development
      OTEL_EXPORTER_OTLP_ENDPOINT: http://jaeger:4318
  jaeger:
    image: jaegertracing/jaeger:2.13.0
`,
    );
    const { service, env, rewrites } = composeAppEnv(dir, 'my-api', { jaeger: { 4318: 40000 } });
    expect(service).toBe('app');
    expect(env.get('APP_ENV')).toBe('development');
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://127.0.0.1:40000');
    expect(rewrites).toHaveLength(1);
    expect(() => composeAppEnv(dir, 'my-api', { jaeger: { 4317: 1 } })).toThrow(/no e2e peer serves/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('OTLP JSON from both peers', () => {
  // Jaeger /api/v3 (protojson): camelCase, hex ids, numeric kinds.
  const jaeger = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my-api' } }] },
        scopeSpans: [
          {
            scope: { name: 'opentelemetry.instrumentation.fastapi' },
            spans: [
              { traceId: 't', spanId: 's1', name: 'GET /items/{item_id}', kind: 2, attributes: [{ key: 'url.path', value: { stringValue: '/items/7' } }] },
              { traceId: 't', spanId: 's2', parentSpanId: 's1', name: 'GET /items/{item_id} http send', kind: 1 },
            ],
          },
          { scope: { name: 'my_api' }, spans: [{ traceId: 't', spanId: 's3', parentSpanId: 's1', name: 'load-item', kind: 1 }] },
        ],
      },
    ],
  };
  // ddapm-test-agent (MessageToDict, preserving_proto_field_name): snake_case, enum names.
  const agent = [
    {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.version', value: { string_value: '0.1.0' } }] },
          scope_spans: [
            {
              scope: { name: 'my_api' },
              spans: [
                { trace_id: 'A==', span_id: 'B==', name: 'GET /items/{item_id}', kind: 'SPAN_KIND_SERVER', attributes: [{ key: 'n', value: { int_value: '3' } }] },
                { trace_id: 'A==', span_id: 'C==', parent_span_id: 'B==', name: 'load-item', kind: 'SPAN_KIND_INTERNAL' },
              ],
            },
          ],
        },
      ],
    },
  ];

  it('flattens both shapes', () => {
    const j = flattenTraces(jaeger);
    expect(j.map((s) => [s.name, s.kind, s.scope])).toContainEqual(['load-item', 'internal', 'my_api']);
    expect(j[0]!.resource['service.name']).toBe('my-api');
    const a = flattenTraces(agent);
    expect(a[0]!.kind).toBe('server');
    expect(a[0]!.attributes.n).toBe(3);
    expect(a[1]!.parentSpanId).toBe('B==');
    expect(a[0]!.resource['service.version']).toBe('0.1.0');
  });

  it('finds the custom span as a direct child of the route server span', () => {
    const m = matchTrace(flattenTraces(jaeger), { route: '/items/{item_id}', requestPath: '/items/7' });
    expect('reason' in m ? m.reason : m.custom.name).toBe('load-item');
    const named = matchTrace(flattenTraces(jaeger), { route: '/items/{item_id}', customSpanName: 'load-item' });
    expect('server' in named).toBe(true);
  });

  it('explains what is missing', () => {
    const spans = flattenTraces(jaeger).filter((s) => s.name !== 'load-item');
    const m = matchTrace(spans, { route: '/items/{item_id}' });
    expect('reason' in m && m.reason).toMatch(/no child/);
    const other = matchTrace(flattenTraces(jaeger), { route: '/items/{item_id}', requestPath: '/items/8' });
    expect('reason' in other && other.reason).toMatch(/none for the request \/items\/8/);
  });
});

describe('configs moved to loopback', () => {
  const JAEGER = `# comment with localhost:9999 stays
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
extensions:
  jaeger_storage:
    metric_backends:
      m:
        prometheus:
          endpoint: http://prometheus:9090
  jaeger_query:
    grpc:
      endpoint: localhost:16685
    http:
      endpoint: \${env:JAEGER_LISTEN_HOST:-0.0.0.0}:16686
exporters:
  prometheus:
    endpoint: 0.0.0.0:8889
  other:
    timeout: 5s
`;
  const services = ['app', 'jaeger', 'prometheus'];

  it('finds every listener (not comments, not other services)', () => {
    expect(listenPorts(JAEGER)).toEqual([4317, 4318, 8889, 16685, 16686]);
  });

  it('rewrites listeners and service addresses, keeping comments', () => {
    const listen = { 4317: 1, 4318: 2, 8889: 3, 16685: 4, 16686: 5 };
    const { text, rewrites } = loopbackConfig(JAEGER, { listen, services: { prometheus: { 9090: 6 } }, composeServices: services });
    expect(text).toContain('# comment with localhost:9999 stays');
    expect(text).toContain('endpoint: 127.0.0.1:2');
    expect(text).toContain('endpoint: http://127.0.0.1:6');
    expect(text).toContain('endpoint: 127.0.0.1:5');
    expect(text).toContain('timeout: 5s');
    expect(text).not.toMatch(/0\.0\.0\.0|localhost:16685|prometheus:9090/);
    expect(rewrites).toHaveLength(6);
    const scrape = loopbackConfig("scrape_configs:\n  - static_configs:\n      - targets: ['jaeger:8889', 'example.com:80']\n", {
      listen: {},
      services: { jaeger: { 8889: 7 } },
      composeServices: services,
    });
    expect(parse(scrape.text).scrape_configs[0].static_configs[0].targets).toEqual(['127.0.0.1:7', 'example.com:80']);
  });

  it('refuses what it cannot map', () => {
    expect(() => loopbackConfig(JAEGER, { listen: {}, services: {}, composeServices: services })).toThrow(/listens on 0\.0\.0\.0:4317/);
    const all = { 4317: 1, 4318: 2, 8889: 3, 16685: 4, 16686: 5 };
    expect(() => loopbackConfig(JAEGER, { listen: all, services: {}, composeServices: services })).toThrow(
      /points at prometheus:9090, which no e2e peer serves/,
    );
  });

  it('reads a service from compose.yaml and replaces flag values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cia-harness-'));
    try {
      writeFileSync(
        join(dir, 'compose.yaml'),
        `services:
  prometheus:
    image: prom/prometheus:v3.16.0
    command: [--config.file=/etc/prometheus/prometheus.yml, --storage.tsdb.path=/prometheus]
    volumes: ['./observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro', 'data:/data']
    tmpfs: [/prometheus]
    healthcheck:
      test: [CMD, promtool, check, healthy, --url=http://127.0.0.1:9090]
`,
      );
      const svc = composeService(dir, 'prometheus');
      expect(svc.mounts.get('/etc/prometheus/prometheus.yml')).toBe(join(dir, 'observability/prometheus.yml'));
      expect(svc.mounts.has('/data')).toBe(false);
      expect(svc.tmpfs).toEqual(['/prometheus']);
      expect(flagValue(svc.command, '--config.file')?.value).toBe('/etc/prometheus/prometheus.yml');
      expect(withFlag(svc.command, '--storage.tsdb.path', '/tmp/x')).toEqual([
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/tmp/x',
      ]);
      expect(withFlag(['--config', '/a'], '--config', '/b')).toEqual(['--config', '/b']);
      expect(withFlag([], '--web.listen-address', '127.0.0.1:1')).toEqual(['--web.listen-address=127.0.0.1:1']);
      expect(healthcheckCommand(svc.healthcheck, '/cache/prom', 4242)).toEqual([
        '/cache/prom/promtool',
        'check',
        'healthy',
        '--url=http://127.0.0.1:4242',
      ]);
      expect(() => composeService(dir, 'jaeger')).toThrow(/no jaeger service/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads durations and the README PromQL', () => {
    expect([durationMs('5s', 'x'), durationMs('200ms', 'x'), durationMs('1m', 'x')]).toEqual([5000, 200, 60_000]);
    expect(() => durationMs('soon', 'x')).toThrow(/cannot read/);
    expect(readmePromQL("curl -G http://localhost:9090/api/v1/query --data-urlencode 'query=sum(up)'")).toBe('sum(up)');
  });
});

describe("Jaeger's metrics API judged as the Monitor tab needs it", () => {
  const family = (metrics: Array<{ op?: string; service?: string; values: Array<number | string> }>) => ({
    name: 'service_operation_call_rate',
    type: 'GAUGE',
    metrics: metrics.map((m) => ({
      labels: [
        { name: 'service_name', value: m.service ?? 'my-api' },
        ...(m.op ? [{ name: 'operation', value: m.op }] : []),
      ],
      metricPoints: m.values.map((v) => ({ gaugeValue: { doubleValue: v }, timestamp: '2026-12-02T00:00:00Z' })),
    })),
  });
  const op = 'GET /items/{id}';

  it('a series for the service with a point > 0', () => {
    expect(judgeMetric('calls', metricSeries(family([{ values: ['NaN', 0, 0.4] }])), { service: 'my-api' })).toBeUndefined();
    expect(judgeMetric('calls', metricSeries(family([{ values: ['NaN', 0] }])), { service: 'my-api' })).toMatch(/no point > 0/);
    expect(judgeMetric('calls', metricSeries(family([{ service: 'other', values: [1] }])), { service: 'my-api' })).toMatch(
      /no series for service my-api \(1 series: other\)/,
    );
  });

  it('by operation: the route has a point > 0; errors only for it', () => {
    const ok = family([{ op, values: [0, 0.1] }, { op: 'GET', values: [0, 0] }]);
    expect(judgeMetric('errors', metricSeries(ok), { service: 'my-api', operation: op })).toBeUndefined();
    const both = family([{ op, values: [0.1] }, { op: 'GET', values: [0.2] }]);
    expect(judgeMetric('errors', metricSeries(both), { service: 'my-api', operation: op })).toMatch(/other operations too \(GET: 0.2\)/);
    expect(judgeMetric('calls', metricSeries(both), { service: 'my-api', operation: op })).toBeUndefined();
    expect(judgeMetric('calls', metricSeries(family([{ op, values: [1] }])), { service: 'my-api', operation: op })).toMatch(
      /no operation but "GET \/items\/\{id\}" has calls/,
    );
    expect(judgeMetric('latencies', metricSeries(family([{ op: 'GET', values: [3] }])), { service: 'my-api', operation: op })).toMatch(
      /no series for "GET \/items\/\{id\}" \(operations: GET\)/,
    );
  });

  it('says when the body is not a MetricFamily', () => {
    expect(() => metricSeries({ errors: [{ code: 405, msg: 'metrics querying is currently disabled' }] })).toThrow(/not a MetricFamily/);
  });
});

describe("the README's front door (readme.ts)", () => {
  it('extracts the two "Start here" commands of this repository\'s README', () => {
    const commands = readmeCommands(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
    expect(commands.create).toMatch(/node bin\/create-instrumented-api\.js \S+$/);
    expect(commands.test).toBe('npm ci && npm test');
    expect(createdProjectDir(commands.create, '/w/clone')).toBe(join('/w/clone', commands.create.split(' ').at(-1)!));
  });

  it('refuses a README whose "Start here" lost a command', () => {
    const text = '# x\n\n## Start here\n\n```sh\nnpm ci && npm test\n```\n\n## Next\n';
    expect(() => readmeCommands(text)).toThrow(/2 sh blocks/);
    expect(() => readmeCommands('# x\n## Other\n')).toThrow(/no "## Start here"/);
  });

  it('.ci/run runs the whole e2e (its readme part runs the README\'s commands) and installs nothing itself', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci.split('\n').map((l) => l.trim())).toContain('npm run e2e');
    expect(ci).not.toMatch(/apt-get|go install|pip install/);
  });
});

describe('what a project applies to a cluster', () => {
  const k = (resources: string[]) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [${resources.join(', ')}]\n`;
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

  it('roots are the kustomizations nothing includes; loose objects apply as is; other YAML is listed', () => {
    const files = new Map([
      ['deploy/k8s/base/kustomization.yaml', k(['deployment.yaml'])],
      ['deploy/k8s/base/deployment.yaml', cm],
      ['deploy/k8s/overlays/staging/kustomization.yaml', k(['../../base'])],
      ['deploy/k8s/overlays/staging/deployment-patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'],
      ['deploy/k8s/datadog/datadog-agent.yaml', 'apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\n'],
      ['deploy/k8s/datadog/values.yaml', 'datadog:\n  apiKeyExistingSecret: datadog-secret\n'],
      ['deploy/k8s/datadog/README.md', '# not YAML'],
      ['compose.yaml', 'services: {}\n'],
    ]);
    expect(findApplyUnits(files)).toEqual({
      units: [
        { path: 'deploy/k8s/datadog/datadog-agent.yaml', kind: 'manifest' },
        { path: 'deploy/k8s/overlays/staging', kind: 'kustomization' },
      ],
      notObjects: ['deploy/k8s/datadog/values.yaml'],
    });
  });

  it('a default project applies its two overlays and the Agent folder', async () => {
    const files = await renderProject(withDefaults({ name: 'my-api', framework: 'fastapi' }));
    expect(findApplyUnits(files).units.map((u) => u.path)).toEqual([
      'deploy/k8s/datadog',
      'deploy/k8s/overlays/production',
      'deploy/k8s/overlays/staging',
    ]);
  });

  it('namespaces used but not declared are the ones the user creates', () => {
    expect(
      undeclaredNamespaces([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'datadog' } },
        { kind: 'DaemonSet', metadata: { name: 'a', namespace: 'datadog' } },
        { kind: 'Deployment', metadata: { name: 'b', namespace: 'staging' } },
        { kind: 'ClusterRole', metadata: { name: 'c' } },
      ]),
    ).toEqual(['staging']);
  });
});

describe("reading kubectl apply's answer", () => {
  it('applied objects, warnings and errors verbatim', () => {
    const out = parseApplyOutput({
      code: 1,
      stdout: 'namespace/datadog serverside-applied (server dry run)\ndaemonset.apps/datadog-agent serverside-applied (server dry run)\n',
      stderr:
        'Warning: would violate PodSecurity "baseline:latest": hostPort (container "agent" uses hostPort 4317)\n' +
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n',
    });
    expect(out.applied).toEqual(['namespace/datadog', 'daemonset.apps/datadog-agent']);
    expect(out.warnings).toEqual(['would violate PodSecurity "baseline:latest": hostPort (container "agent" uses hostPort 4317)']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^Error from server \(BadRequest\)/);
  });

  it('a failure without an error line still counts, with its last line', () => {
    expect(parseApplyOutput({ code: 1, stdout: '', stderr: 'something odd\n' }).errors).toEqual(['kubectl exit 1: something odd']);
    expect(parseApplyOutput({ code: null, stdout: '', stderr: '', timedOut: true }).errors).toEqual(['kubectl timed out']);
    expect(parseApplyOutput({ code: 0, stdout: 'service/x serverside-applied\n', stderr: '' })).toEqual({
      applied: ['service/x'],
      warnings: [],
      errors: [],
    });
  });
});

describe('signals (issue 11)', () => {
  const TRACE = '0af7651916cd43dd8448eb211c80319c';
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const kv = (key: string, value: string) => ({ key, value: { string_value: value } });
  const resource = { attributes: [kv('service.name', 'my-api'), kv('deployment.environment.name', 'staging')] };
  // As ddapm-test-agent serves them: MessageToDict(preserving_proto_field_name), ids in base64.
  const metrics = [
    {
      resource_metrics: [
        {
          resource,
          scope_metrics: [
            {
              metrics: [
                {
                  name: 'http.server.request.duration',
                  unit: 's',
                  histogram: {
                    aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    data_points: [{ attributes: [kv('http.route', '/items/:itemId')] }],
                  },
                },
                { name: 'app.items.loaded', unit: '{item}', sum: { data_points: [{ as_int: '3' }] } },
              ],
            },
          ],
        },
      ],
    },
  ];
  const logs = (traceHex: string) => [
    {
      resource_logs: [
        {
          resource,
          scope_logs: [
            { log_records: [{ body: { string_value: 'item loaded' }, trace_id: b64(traceHex), span_id: b64('b7ad6b7169203331') }] },
          ],
        },
      ],
    },
  ];
  const judge = (traceHex: string, traceIds: string[], temporality = 'delta') =>
    judgeDatadogSignals({
      metrics: flattenMetrics(metrics),
      logs: flattenLogs(logs(traceHex)),
      traceIds: new Set(traceIds),
      service: 'my-api',
      environment: 'staging',
      temporality,
    });

  it('reads ids in hex or base64', () => {
    expect(hexId(TRACE)).toBe(TRACE);
    expect(hexId(b64(TRACE))).toBe(TRACE);
  });

  it('accepts the histogram, the counter and a log record of a held trace', () => {
    expect(judge(TRACE, [TRACE])).toEqual({});
  });

  it('names what is missing or wrong', () => {
    expect(judge(TRACE, ['ffffffffffffffffffffffffffffffff']).correlated).toMatch(/match none of the 1 traces/);
    expect(judge(TRACE, [TRACE], 'cumulative').metrics).toMatch(/temporality delta \(the manifests ask for cumulative\)/);
    const empty = judgeDatadogSignals({ metrics: [], logs: [], traceIds: new Set(), service: 'my-api', environment: 'staging' });
    expect(empty.metrics).toMatch(/no http.server.request.duration for service.name=my-api \(got no metrics\); no app.items.loaded/);
    expect(empty.logs).toMatch(/no "item loaded" record over OTLP \(0 records\)/);
  });

  it('finds the JSON output line of a Jaeger trace (msg or message)', () => {
    const output = ['my-api listening on http://127.0.0.1:1', JSON.stringify({ message: 'item loaded', trace_id: TRACE })].join('\n');
    expect(judgeOutputLogs(output, new Set([TRACE]))).toEqual({});
    expect(judgeOutputLogs(output, new Set()).correlated).toMatch(/no "item loaded" line carries/);
    expect(judgeOutputLogs('plain text only', new Set([TRACE])).logs).toMatch(/no JSON "item loaded" line/);
  });

  it('fails a signal when either side does, naming the side', () => {
    const signals = combineSignals({ metrics: 'no histogram' }, { logs: 'no line' });
    expect(signals.metrics).toEqual({ ok: false, reason: 'datadog: no histogram' });
    expect(signals.logs).toEqual({ ok: false, reason: 'development: no line' });
    expect(signals.correlated).toEqual({ ok: true });
  });
});
