// The deployment files every framework shares (templates/deploy, templates/partials/readme-deploy),
// rendered for a matrix of answers and checked with the real tools: every YAML file parses, every
// Kubernetes object validates (kubernetes-models), compose.yaml passes `docker-compose config`,
// every overlay passes `kustomize build`, and the built objects carry what the design promises
// (unified service tagging, exporter wiring, non-root, pinned images, no secrets). The Datadog Agent
// folder (deploy/k8s/datadog, one set of files per --datadog-agent style) is datadog-agent.test.ts's.
// Needs docker-compose (Debian package) and Go (kustomize is built from the module proxy).
import { rmSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { buildContext, type TemplateContext } from '../generators/shared/context.js';
import { type Answers, type Backend, FRAMEWORKS } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { VERSIONS } from '../generators/shared/versions.js';
import {
  composeConfig,
  isKustomization,
  kustomizeBuild,
  type Obj,
  parseYamlDocs,
  PROMETHEUS_RELEASE,
  promtoolBin,
  promtoolCheckConfig,
  templatesDirFor,
  validateK8s,
  writeTree,
} from './helpers/deploy.js';
import { AGENT_FILES } from './helpers/datadog-agent.js';
import { DEPLOY_CASES as CASES } from './helpers/deploy-cases.js';
import {
  envIndex,
  envOf,
  envValue,
  expectHardenedContainers,
  expectNoSecrets,
  HEX_KEY,
  imageTag,
  renderReadmeDeploy,
} from './helpers/k8s-checks.js';

/** Where each backend's OTLP exporter points in a Kubernetes overlay (undefined: no exporter). */
const K8S_ENDPOINT: Record<Backend, string | undefined> = {
  datadog: 'http://$(HOST_IP):4318',
  // Datadog's tracer goes to the APM port (DD_AGENT_HOST); the app's metrics to the Agent's OTLP ingest.
  'datadog-native': 'http://$(HOST_IP):4318',
  jaeger: 'http://jaeger-collector.observability:4318',
  otlp: 'http://otel-collector.observability:4318',
  console: undefined,
  none: undefined,
};

const UST = ['env', 'service', 'version'] as const;
/** Kubernetes expands $(VAR) only from variables defined earlier in the same list. */
function expectDependentVarsDefinedFirst(container: Obj, where: string) {
  const env = envOf(container);
  env.forEach((entry, i) => {
    for (const [, ref] of (entry.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
      const defined = env.findIndex((e) => e.name === ref);
      expect(defined, `${where}: ${entry.name} uses $(${ref}), which must be defined before it`).toBeGreaterThanOrEqual(
        0,
      );
      expect(defined, `${where}: ${entry.name} uses $(${ref}), which must be defined before it`).toBeLessThan(i);
    }
  });
}

const MATRIX = FRAMEWORKS.flatMap((framework) =>
  Object.entries(CASES).map(([label, combo]) => [`${framework}, ${label}`, framework, combo] as const),
);

describe.each(MATRIX)('deploy files: %s', (_label, framework, combo) => {
  let answers: Answers;
  let ctx: TemplateContext;
  let files: Map<string, string>;
  let dir: string;
  let deployFiles: string[];

  beforeAll(async () => {
    answers = withDefaults({
      name: combo.name ?? 'my-api',
      framework,
      environments: combo.environments,
      backends: combo.backends,
    });
    ctx = buildContext(answers, '0.0.0-test');
    const templatesDir = templatesDirFor(framework);
    files = await renderProject(answers, { templatesDir });
    if (templatesDir) rmSync(templatesDir, { recursive: true, force: true });
    dir = writeTree(files);
    deployFiles = [...files.keys()].filter(
      (p) => p === 'compose.yaml' || p.startsWith('deploy/') || p.startsWith('observability/'),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the expected deploy file set', () => {
    const expected = ['compose.yaml'];
    // Jaeger's and Prometheus' config only when compose runs them (the local backend is jaeger).
    if (ctx.backends[ctx.localEnvironment] === 'jaeger')
      expected.push('observability/jaeger.yaml', 'observability/prometheus.yml');
    if (ctx.deployEnvironments.length > 0) {
      expected.push(
        'deploy/k8s/base/deployment.yaml',
        'deploy/k8s/base/kustomization.yaml',
        'deploy/k8s/base/networkpolicy.yaml',
        'deploy/k8s/base/service.yaml',
      );
      for (const env of ctx.deployEnvironments)
        expected.push(
          `deploy/k8s/overlays/${env}/deployment-patch.yaml`,
          `deploy/k8s/overlays/${env}/kustomization.yaml`,
        );
      if (ctx.datadogAgent) expected.push(...AGENT_FILES[ctx.datadogAgent].map((f) => `deploy/k8s/datadog/${f}`));
    }
    expect(deployFiles.sort()).toEqual(expected.sort());
  });

  it('every YAML file parses and every Kubernetes object in it validates', () => {
    // Strategic-merge patches are partial objects: they are validated after kustomize merges them.
    const patches = new Set<string>();
    for (const path of deployFiles.filter((p) => p.endsWith('kustomization.yaml')))
      for (const patch of parse(files.get(path)!).patches ?? [])
        patches.add(normalize(join(dirname(path), patch.path)));
    let validated = 0;
    for (const path of deployFiles.filter((p) => /\.ya?ml$/.test(p) && !p.startsWith('deploy/k8s/datadog/'))) {
      const docs = parseYamlDocs(files.get(path)!, path);
      expect(docs.length, `${path} has content`).toBeGreaterThan(0);
      if (path === 'compose.yaml' || path.startsWith('observability/') || patches.has(path)) continue;
      for (const obj of docs) {
        if (isKustomization(obj)) {
          expect(obj.resources?.length, `${path} lists resources`).toBeGreaterThan(0);
          continue;
        }
        validateK8s(obj, path);
        validated++;
      }
    }
    expect(validated).toBe(ctx.deployEnvironments.length === 0 ? 0 : 3);
  });

  it('compose.yaml validates with docker-compose and runs the local environment', async () => {
    const result = await composeConfig(dir);
    expect(result.exitCode, result.output).toBe(0);

    const compose = parse(files.get('compose.yaml')!);
    const local = ctx.localEnvironment;
    const backend = ctx.backends[local]!;
    const appSvc = compose.services.app;
    expect(appSvc.build).toBe('.');
    const env = appSvc.environment;
    expect(env).toMatchObject({
      APP_ENV: local,
      HOST: '0.0.0.0',
      PORT: String(ctx.app.port),
      OTEL_SERVICE_NAME: ctx.serviceName,
      TRACING_BACKEND: backend,
    });
    if (backend === 'jaeger') expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    else if (backend === 'datadog' || backend === 'otlp') {
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-http://host.docker.internal:4318}');
      expect(appSvc.extra_hosts).toContain('host.docker.internal:host-gateway');
    } else expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    if (backend === 'none') expect(env.OTEL_SDK_DISABLED).toBe('true');
    else expect(env.OTEL_SDK_DISABLED).toBeUndefined();
    expect(env.DD_API_KEY).toBeUndefined();

    // Non-root, read-only, no capabilities; ports on 127.0.0.1 only.
    for (const [name, svc] of Object.entries<Obj>(compose.services)) {
      expect(svc.read_only, `${name} read_only`).toBe(true);
      expect(String(svc.user ?? ''), `${name} runs as a non-root user`).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/);
      expect(svc.cap_drop, `${name} cap_drop`).toContain('ALL');
      expect(svc.security_opt, `${name} no-new-privileges`).toContain('no-new-privileges:true');
      for (const port of svc.ports ?? [])
        expect(String(port), `${name} port ${port}`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      if (svc.image) expect(imageTag(svc.image), `${name} image pinned`).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
    expect(appSvc.ports).toEqual([`127.0.0.1:${ctx.app.port}:${ctx.app.port}`]);
    // A healthcheck with the runtime in the image (Python, Node); Go images may have neither.
    if (ctx.app.language === 'go') expect(appSvc.healthcheck).toBeUndefined();
    else {
      expect(appSvc.healthcheck.test[0]).toBe('CMD');
      expect(appSvc.healthcheck.test[1]).toBe(ctx.app.language);
      expect(appSvc.healthcheck.test.at(-1)).toContain(`http://127.0.0.1:${ctx.app.port}${ctx.app.healthPath}`);
    }

    // Spans leave quickly in the local environment (a request shows up within a second).
    if (['jaeger', 'datadog', 'otlp'].includes(backend)) expect(env.OTEL_BSP_SCHEDULE_DELAY).toBe('200');
    else expect(env.OTEL_BSP_SCHEDULE_DELAY).toBeUndefined();

    // Jaeger and Prometheus only when the local environment uses Jaeger (other environments'
    // backends do not count).
    if (backend === 'jaeger') {
      expect(Object.keys(compose.services).sort()).toEqual(['app', 'jaeger', 'prometheus']);
      const { jaeger, prometheus } = compose.services;
      expect(jaeger.image).toBe(VERSIONS.images.jaeger);
      expect(jaeger.ports.map(String).sort()).toEqual(
        ['127.0.0.1:16686:16686', '127.0.0.1:4317:4317', '127.0.0.1:4318:4318'].sort(),
      );
      expect(appSvc.depends_on).toContain('jaeger');
      expect(jaeger.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
      expect(jaeger.volumes).toEqual(['./observability/jaeger.yaml:/etc/jaeger/config.yaml:ro']);
      expect(jaeger.command).toEqual(['--config', '/etc/jaeger/config.yaml']);
      expect(prometheus.image).toBe(VERSIONS.images.prometheus);
      expect(prometheus.ports).toEqual(['127.0.0.1:9090:9090']);
      expect(prometheus.volumes).toEqual(['./observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro']);
      expect(prometheus.command).toEqual([
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
      ]);
      // The TSDB is the only thing Prometheus writes: in memory, like Jaeger's traces.
      expect(prometheus.tmpfs).toEqual(['/prometheus']);
      expect(prometheus.healthcheck.test).toEqual(['CMD', 'promtool', 'check', 'healthy', '--url=http://127.0.0.1:9090']);
    } else {
      expect(Object.keys(compose.services)).toEqual(['app']);
      expect(files.get('compose.yaml')).not.toContain('jaegertracing/jaeger');
      expect(files.get('compose.yaml')).not.toContain('prometheus');
    }
  });

  it('Jaeger and Prometheus configs fit together, and promtool accepts prometheus.yml', async () => {
    if (ctx.backends[ctx.localEnvironment] !== 'jaeger') {
      expect([...files.keys()].filter((p) => p.startsWith('observability/'))).toEqual([]);
      return;
    }
    const jaeger = parse(files.get('observability/jaeger.yaml')!);
    const prometheus = parse(files.get('observability/prometheus.yml')!);
    const port = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1]);
    // Traces are stored and turned into span metrics, which go to the Prometheus exporter.
    expect(jaeger.service.pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['batch'],
      exporters: ['jaeger_storage_exporter', 'spanmetrics'],
    });
    expect(jaeger.service.pipelines['metrics/spanmetrics']).toEqual({ receivers: ['spanmetrics'], exporters: ['prometheus'] });
    // Names and units as the Monitor tab queries them; error rates need the status.code dimension.
    const spanmetrics = jaeger.connectors.spanmetrics;
    expect(spanmetrics.histogram.unit).toBe('ms');
    expect(spanmetrics.exclude_dimensions ?? []).not.toContain('status.code');
    const query = jaeger.extensions.jaeger_query;
    const storage = jaeger.extensions.jaeger_storage;
    expect(Object.keys(storage.backends)).toEqual([query.storage.traces]);
    const metricsBackend = storage.metric_backends[query.storage.metrics].prometheus;
    expect(metricsBackend).toMatchObject({ normalize_calls: true, normalize_duration: true });
    // Jaeger reads the Prometheus compose service; Prometheus scrapes Jaeger's exporter port.
    expect(metricsBackend.endpoint).toBe('http://prometheus:9090');
    const exporterPort = port(jaeger.exporters.prometheus.endpoint);
    expect(prometheus.scrape_configs.flatMap((job: Obj) => job.static_configs.flatMap((c: Obj) => c.targets))).toEqual([
      `jaeger:${exporterPort}`,
    ]);
    // The ports compose publishes are the ones Jaeger listens on.
    const listening = [
      jaeger.receivers.otlp.protocols.grpc.endpoint,
      jaeger.receivers.otlp.protocols.http.endpoint,
      query.http.endpoint,
    ];
    expect(listening.map((e) => `0.0.0.0:${port(e)}`)).toEqual(['0.0.0.0:4317', '0.0.0.0:4318', '0.0.0.0:16686']);

    const result = await promtoolCheckConfig(join(dir, 'observability/prometheus.yml'));
    expect(result.exitCode, result.output).toBe(0);
  });

  it('every overlay builds with kustomize and wires unified service tagging and the exporter', async () => {
    if (ctx.deployEnvironments.length === 0) {
      expect([...files.keys()].some((p) => p.startsWith('deploy/k8s/'))).toBe(false);
      return;
    }
    // The base's image is only a placeholder that each overlay replaces.
    const base = parseYamlDocs(files.get('deploy/k8s/base/deployment.yaml')!, 'base')[0]!;
    expect(base.spec.template.spec.containers[0].image).toBe(ctx.k8sName);

    for (const env of ctx.deployEnvironments) {
      const backend = ctx.backends[env]!;
      const where = `overlay ${env} (${backend})`;
      const objects = await kustomizeBuild(join(dir, 'deploy/k8s/overlays', env));
      for (const obj of objects) validateK8s(obj, where);
      expectNoSecrets(objects, where);
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
        [`Deployment/${ctx.k8sName}`, `NetworkPolicy/${ctx.k8sName}`, `Service/${ctx.k8sName}`].sort(),
      );
      for (const obj of objects) expect(obj.metadata.namespace, `${where}: namespace`).toBe(env);

      const deployment = objects.find((o) => o.kind === 'Deployment')!;
      const service = objects.find((o) => o.kind === 'Service')!;
      const podLabels = deployment.spec.template.metadata.labels;
      const app = deployment.spec.template.spec.containers.find((c: Obj) => c.name === 'app');
      const version = imageTag(app.image);
      expect(version, `${where}: image ${app.image} pinned`).toMatch(/^\d+\.\d+\.\d+/);
      expect(app.image).toBe(`${ctx.k8sName}:${version}`);

      // UST labels on the Deployment and on its pod template; the version is the image's tag.
      const expected = { env, service: ctx.serviceName, version };
      for (const key of UST) {
        expect(deployment.metadata.labels[`tags.datadoghq.com/${key}`], `${where}: Deployment label ${key}`).toBe(
          expected[key],
        );
        expect(podLabels[`tags.datadoghq.com/${key}`], `${where}: pod template label ${key}`).toBe(expected[key]);
      }
      // Selectors stay stable across releases: no UST labels there, and they match the pods.
      const selector = deployment.spec.selector.matchLabels;
      expect(
        Object.keys(selector).some((k) => k.startsWith('tags.datadoghq.com/')),
        `${where}: selector`,
      ).toBe(false);
      expect(podLabels).toMatchObject(selector);
      expect(podLabels).toMatchObject(service.spec.selector);

      // DD_* from the labels through the downward API; HOST_IP from the node.
      for (const key of UST)
        expect(
          envOf(app).find((e) => e.name === `DD_${key.toUpperCase()}`)?.valueFrom,
          `${where}: DD_${key.toUpperCase()}`,
        ).toEqual({
          fieldRef: { fieldPath: `metadata.labels['tags.datadoghq.com/${key}']` },
        });
      expect(envOf(app).find((e) => e.name === 'HOST_IP')?.valueFrom).toEqual({
        fieldRef: { fieldPath: 'status.hostIP' },
      });
      expect(envValue(app, 'APP_ENV')).toBe('$(DD_ENV)');
      expect(envValue(app, 'SERVICE_VERSION')).toBe('$(DD_VERSION)');
      expect(envValue(app, 'HOST')).toBe('0.0.0.0');
      expect(envValue(app, 'PORT')).toBe(String(ctx.app.port));
      expect(envValue(app, 'OTEL_SERVICE_NAME')).toBe(ctx.serviceName);
      expect(envValue(app, 'TRACING_BACKEND')).toBe(backend);
      expect(envValue(app, 'OTEL_EXPORTER_OTLP_ENDPOINT'), `${where}: endpoint`).toBe(K8S_ENDPOINT[backend]);
      expect(envValue(app, 'OTEL_SDK_DISABLED')).toBe(backend === 'none' ? 'true' : undefined);
      if (backend.startsWith('datadog'))
        expect(envIndex(app, 'HOST_IP'), `${where}: HOST_IP before OTEL_EXPORTER_OTLP_ENDPOINT`).toBeLessThan(
          envIndex(app, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
        );
      expectDependentVarsDefinedFirst(app, where);
      expect(new Set(envOf(app).map((e) => e.name)).size, `${where}: no duplicate env`).toBe(envOf(app).length);

      // The framework's port and health endpoint.
      expect(app.ports).toEqual([{ name: 'http', containerPort: ctx.app.port, protocol: 'TCP' }]);
      expect(app.readinessProbe.httpGet).toEqual({ path: ctx.app.healthPath, port: 'http' });
      expect(app.livenessProbe.httpGet).toEqual({ path: ctx.app.healthPath, port: 'http' });
      expect(service.spec.ports[0].targetPort).toBe('http');

      // The NetworkPolicy selects the app's pods: ingress on its port only; egress by port to DNS and
      // the trace ports, which include the port of this environment's exporter endpoint.
      const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
      expect(podLabels).toMatchObject(policy.spec.podSelector.matchLabels);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([{ ports: [{ port: ctx.app.port, protocol: 'TCP' }] }]);
      const egress = policy.spec.egress.flatMap((rule: Obj) => rule.ports.map((p: Obj) => `${p.port}/${p.protocol}`));
      expect(egress.sort()).toEqual(['4317/TCP', '4318/TCP', '53/TCP', '53/UDP', '8126/TCP']);
      const endpoint = K8S_ENDPOINT[backend];
      if (endpoint) expect(egress, `${where}: egress to ${endpoint}`).toContain(`${new URL(endpoint.replace('$(HOST_IP)', '10.0.0.1')).port}/TCP`);

      expectHardenedContainers(deployment);
      expect(app.imagePullPolicy, `${where}: every pod start resolves the tag`).toBe('Always');
      expect(deployment.spec.template.spec.containers).toHaveLength(1);
      expect(app.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  it('no file holds a secret', () => {
    for (const path of deployFiles) {
      const text = files.get(path)!;
      expect(text, `${path}: no key-like literal`).not.toMatch(HEX_KEY);
      expect(text, `${path}: no Secret object`).not.toMatch(/^kind:\s*Secret\s*$/m);
      expect(text, `${path}: DD_API_KEY is never given a value`).not.toMatch(/DD_API_KEY\s*[:=]\s*\S/);
    }
  });

  it('the README deploy section matches the rendered files', () => {
    const readme = renderReadmeDeploy(ctx);
    expect(readme).toMatch(/^## Deploy$/m);
    expect(readme).toContain('docker compose up --build');
    expect(readme).not.toMatch(HEX_KEY);
    expect(readme.includes('http://localhost:16686')).toBe(ctx.backends[ctx.localEnvironment] === 'jaeger');
    for (const env of ctx.deployEnvironments) expect(readme).toContain(`kubectl apply -k deploy/k8s/overlays/${env}`);
    // One row per environment in the backend table, naming its backend (cells padded as prettier does).
    for (const env of ctx.environments)
      expect(readme).toMatch(new RegExp(`^\\| \`${env}\` +\\|.*\\| \`${ctx.backends[env]}\` +\\|`, 'm'));
    // The file table lists exactly the deploy files that were rendered.
    const listed = [...readme.matchAll(/^\| `((?:compose\.yaml|deploy\/|observability\/)[^`]*)` +\|/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual([...deployFiles].sort());
    // If the framework README already includes the section, it is this text.
    const projectReadme = files.get('README.md');
    if (projectReadme?.includes('## Deploy')) expect(projectReadme).toContain('### Deploy files');
  });
});

describe('deploy validators reject broken input (so a green run means something)', () => {
  it('kubernetes-models rejects a string containerPort', () => {
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'x', image: 'x:1', ports: [{ containerPort: '80' }] }] },
        },
      },
    };
    expect(() => validateK8s(bad, 'bad')).toThrow(/invalid/);
    expect(() => validateK8s({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, 'secret')).toThrow(
      /no kubernetes-models class/,
    );
  });

  it('docker-compose rejects an invalid compose file', async () => {
    const dir = writeTree(new Map([['compose.yaml', 'services:\n  app:\n    image: x:1\n    ports: 8000\n']]));
    try {
      const result = await composeConfig(dir);
      expect(result.exitCode).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('promtool is the Prometheus release compose.yaml pins', async () => {
    const { stdout } = await execa(await promtoolBin(), ['--version']);
    expect(stdout).toMatch(new RegExp(`^promtool, version ${PROMETHEUS_RELEASE.replaceAll('.', '\\.')} `));
    expect(VERSIONS.images.prometheus).toBe(`prom/prometheus:v${PROMETHEUS_RELEASE}`);
  });

  it('promtool rejects a prometheus.yml with a bad scrape interval', async () => {
    const dir = writeTree(new Map([['prometheus.yml', 'global:\n  scrape_interval: 5 seconds\n']]));
    try {
      const result = await promtoolCheckConfig(join(dir, 'prometheus.yml'));
      expect(result.exitCode, result.output).not.toBe(0);
      expect(result.output).toMatch(/5 seconds/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kustomize rejects an overlay whose patch targets nothing', async () => {
    const dir = writeTree(
      new Map([
        [
          'kustomization.yaml',
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\npatches: [{path: p.yaml}]\n',
        ],
        ['cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n'],
        ['p.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: missing}\n'],
      ]),
    );
    try {
      await expect(kustomizeBuild(dir)).rejects.toThrow(/kustomize build/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
