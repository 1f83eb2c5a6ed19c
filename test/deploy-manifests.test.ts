// The deployment files every framework shares (templates/deploy, templates/partials/readme-deploy),
// rendered for a matrix of answers and checked with the real tools: every YAML file parses, every
// Kubernetes object validates (kubernetes-models), compose.yaml passes `docker-compose config`,
// every overlay and the Datadog Agent folder pass `kustomize build`, and the built objects carry
// what the design promises (unified service tagging, exporter wiring, non-root, pinned images, no
// secrets). Needs docker-compose (Debian package) and Go (kustomize is built from the module proxy).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ejs from 'ejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { buildContext, type TemplateContext } from '../generators/shared/context.js';
import { type Answers, type Backend, FRAMEWORKS } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { VERSIONS } from '../generators/shared/versions.js';
import {
  composeConfig,
  containersOf,
  isKustomization,
  kustomizeBuild,
  type Obj,
  parseYamlDocs,
  REPO_ROOT,
  templatesDirFor,
  validateK8s,
  writeTree,
} from './helpers/deploy.js';

interface Case {
  name?: string;
  environments: string[];
  backends: Record<string, Backend>;
}

const CASES: Record<string, Case> = {
  defaults: {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'jaeger', staging: 'datadog', production: 'datadog' },
  },
  'development only, jaeger': { environments: ['development'], backends: { development: 'jaeger' } },
  'staging with otlp': {
    environments: ['development', 'staging'],
    backends: { development: 'jaeger', staging: 'otlp' },
  },
  'custom env qa with console': {
    name: 'orders_api2',
    environments: ['development', 'qa', 'production'],
    backends: { development: 'jaeger', qa: 'console', production: 'datadog' },
  },
  'an environment with none': {
    environments: ['development', 'staging'],
    backends: { development: 'none', staging: 'datadog' },
  },
  'no datadog anywhere (jaeger deployed, not local)': {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'console', staging: 'jaeger', production: 'otlp' },
  },
  'datadog locally, first env is not development': {
    name: 'shop.api',
    environments: ['local', 'prod'],
    backends: { local: 'datadog', prod: 'datadog' },
  },
  'local otlp, deployed none': {
    environments: ['dev', 'prod'],
    backends: { dev: 'otlp', prod: 'none' },
  },
};

/** Where each backend's OTLP exporter points in a Kubernetes overlay (undefined: no exporter). */
const K8S_ENDPOINT: Record<Backend, string | undefined> = {
  datadog: 'http://$(HOST_IP):4318',
  jaeger: 'http://jaeger-collector.observability:4318',
  otlp: 'http://otel-collector.observability:4318',
  console: undefined,
  none: undefined,
};

const UST = ['env', 'service', 'version'] as const;
const HEX_KEY = /\b[0-9a-f]{32}\b/i;

type EnvVar = { name: string; value?: string; valueFrom?: Obj };
const envOf = (container: Obj): EnvVar[] => container.env ?? [];
const envValue = (container: Obj, name: string) => envOf(container).find((e) => e.name === name)?.value;
const envIndex = (container: Obj, name: string) => envOf(container).findIndex((e) => e.name === name);

function imageTag(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  if (at >= 0) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}

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

/** Non-root, no privilege escalation, no capabilities, read-only root fs, seccomp, pinned image, resources. */
function expectHardenedContainers(workload: Obj) {
  for (const { name, container, pod } of containersOf(workload)) {
    const sc = container.securityContext ?? {};
    const podSc = pod.securityContext ?? {};
    expect(sc.runAsNonRoot ?? podSc.runAsNonRoot, `${name} runAsNonRoot`).toBe(true);
    const uid = sc.runAsUser ?? podSc.runAsUser;
    expect(typeof uid === 'number' && uid > 0, `${name} runs with a non-zero runAsUser (got ${uid})`).toBe(true);
    expect(sc.privileged ?? false, `${name} privileged`).toBe(false);
    expect(sc.allowPrivilegeEscalation, `${name} allowPrivilegeEscalation`).toBe(false);
    expect(sc.readOnlyRootFilesystem, `${name} readOnlyRootFilesystem`).toBe(true);
    expect(sc.capabilities?.drop, `${name} drops ALL capabilities`).toContain('ALL');
    expect(sc.capabilities?.add ?? [], `${name} adds no capabilities`).toEqual([]);
    expect((sc.seccompProfile ?? podSc.seccompProfile)?.type, `${name} seccomp`).toBe('RuntimeDefault');
    const tag = imageTag(container.image);
    expect(tag, `${name} image ${container.image} has a tag`).toBeTruthy();
    expect(tag, `${name} image ${container.image} is pinned`).not.toBe('latest');
    for (const kind of ['requests', 'limits'])
      for (const resource of ['cpu', 'memory'])
        expect(container.resources?.[kind]?.[resource], `${name} resources.${kind}.${resource}`).toBeTruthy();
  }
  expect(workload.spec.template.spec.hostNetwork ?? false, 'hostNetwork').toBe(false);
  expect(workload.spec.template.spec.hostPID ?? false, 'hostPID').toBe(false);
  // Host paths are only ever mounted read-only.
  const hostVolumes = new Set(
    (workload.spec.template.spec.volumes ?? []).filter((v: Obj) => v.hostPath).map((v: Obj) => v.name as string),
  );
  for (const { name, container } of containersOf(workload))
    for (const mount of container.volumeMounts ?? [])
      if (hostVolumes.has(mount.name))
        expect(mount.readOnly, `${name} mounts host path ${mount.name} read-only`).toBe(true);
}

/** No Secret objects, no DD_API_KEY literal, nothing that looks like a key. */
function expectNoSecrets(objects: Obj[], where: string) {
  for (const obj of objects) {
    expect(obj.kind, `${where}: no Secret objects`).not.toBe('Secret');
    if (obj.spec?.template?.spec)
      for (const { name, container } of containersOf(obj)) {
        const key = envOf(container).find((e) => e.name === 'DD_API_KEY');
        if (!key) continue;
        expect(key.value, `${where} ${name}: DD_API_KEY is never a literal`).toBeUndefined();
        expect(key.valueFrom, `${where} ${name}: DD_API_KEY from the datadog-secret Secret`).toEqual({
          secretKeyRef: { name: 'datadog-secret', key: 'api-key' },
        });
      }
  }
}

function renderReadmeDeploy(ctx: TemplateContext): string {
  const file = join(REPO_ROOT, 'templates/partials/readme-deploy.md.ejs');
  return ejs.render(readFileSync(file, 'utf8'), ctx, { filename: file });
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
    deployFiles = [...files.keys()].filter((p) => p === 'compose.yaml' || p.startsWith('deploy/'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the expected deploy file set', () => {
    const expected = ['compose.yaml'];
    if (ctx.deployEnvironments.length > 0) {
      expected.push(
        'deploy/k8s/base/deployment.yaml',
        'deploy/k8s/base/kustomization.yaml',
        'deploy/k8s/base/service.yaml',
      );
      for (const env of ctx.deployEnvironments)
        expected.push(
          `deploy/k8s/overlays/${env}/deployment-patch.yaml`,
          `deploy/k8s/overlays/${env}/kustomization.yaml`,
        );
      if (ctx.usesDatadog)
        expected.push(
          'deploy/k8s/datadog/daemonset.yaml',
          'deploy/k8s/datadog/kustomization.yaml',
          'deploy/k8s/datadog/namespace.yaml',
          'deploy/k8s/datadog/rbac.yaml',
        );
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
    for (const path of deployFiles.filter((p) => /\.ya?ml$/.test(p))) {
      const docs = parseYamlDocs(files.get(path)!, path);
      expect(docs.length, `${path} has content`).toBeGreaterThan(0);
      if (path === 'compose.yaml' || patches.has(path)) continue;
      for (const obj of docs) {
        if (isKustomization(obj)) {
          expect(obj.resources?.length, `${path} lists resources`).toBeGreaterThan(0);
          continue;
        }
        validateK8s(obj, path);
        validated++;
      }
    }
    expect(validated).toBe(ctx.deployEnvironments.length === 0 ? 0 : ctx.usesDatadog ? 7 : 2);
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
      if (svc.image) expect(imageTag(svc.image), `${name} image pinned`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(appSvc.ports).toEqual([`127.0.0.1:${ctx.app.port}:${ctx.app.port}`]);
    // A healthcheck with the runtime in the image (Python, Node); Go images may have neither.
    if (ctx.app.language === 'go') expect(appSvc.healthcheck).toBeUndefined();
    else {
      expect(appSvc.healthcheck.test[0]).toBe('CMD');
      expect(appSvc.healthcheck.test[1]).toBe(ctx.app.language);
      expect(appSvc.healthcheck.test.at(-1)).toContain(`http://127.0.0.1:${ctx.app.port}${ctx.app.healthPath}`);
    }

    // Jaeger only when the local environment uses it (other environments' backends do not count).
    if (backend === 'jaeger') {
      expect(Object.keys(compose.services).sort()).toEqual(['app', 'jaeger']);
      expect(compose.services.jaeger.image).toBe(VERSIONS.images.jaeger);
      expect(compose.services.jaeger.ports.map(String).sort()).toEqual(
        ['127.0.0.1:16686:16686', '127.0.0.1:4317:4317', '127.0.0.1:4318:4318'].sort(),
      );
      expect(appSvc.depends_on).toContain('jaeger');
    } else {
      expect(Object.keys(compose.services)).toEqual(['app']);
      expect(files.get('compose.yaml')).not.toContain('jaegertracing/jaeger');
    }
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
        [`Deployment/${ctx.k8sName}`, `Service/${ctx.k8sName}`].sort(),
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
      if (backend === 'datadog')
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

      expectHardenedContainers(deployment);
      expect(deployment.spec.template.spec.containers).toHaveLength(1);
      expect(app.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  it('the Datadog Agent folder exists only when some environment uses it, and builds', async () => {
    const has = [...files.keys()].some((p) => p.startsWith('deploy/k8s/datadog/'));
    expect(has).toBe(ctx.usesDatadog && ctx.deployEnvironments.length > 0);
    if (!has) return;

    const objects = await kustomizeBuild(join(dir, 'deploy/k8s/datadog'));
    for (const obj of objects) validateK8s(obj, 'datadog');
    expectNoSecrets(objects, 'datadog');
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'Namespace', 'ServiceAccount'].sort(),
    );
    for (const obj of objects)
      if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(obj.kind))
        expect(obj.metadata.namespace, `${obj.kind} namespace`).toBe('datadog');

    // RBAC: the DaemonSet's ServiceAccount is bound to a read-only ClusterRole without Secrets.
    const [sa] = byKind('ServiceAccount');
    const [role] = byKind('ClusterRole');
    const [binding] = byKind('ClusterRoleBinding');
    const [ds] = byKind('DaemonSet');
    expect(ds!.spec.template.spec.serviceAccountName).toBe(sa!.metadata.name);
    expect(binding!.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role!.metadata.name,
    });
    expect(binding!.subjects).toEqual([{ kind: 'ServiceAccount', name: sa!.metadata.name, namespace: 'datadog' }]);
    for (const rule of role!.rules) {
      expect(rule.resources ?? [], 'no access to Secrets').not.toContain('secrets');
      for (const verb of rule.verbs) expect(['get', 'list', 'watch']).toContain(verb);
    }

    // Pod Security: host ports and host paths are forbidden from `baseline` up (a common cluster default).
    const [namespace] = byKind('Namespace');
    for (const mode of ['enforce', 'warn', 'audit'])
      expect(namespace!.metadata.labels[`pod-security.kubernetes.io/${mode}`], `datadog namespace ${mode}`).toBe(
        'privileged',
      );

    // Pinned agent image everywhere; hardened containers.
    for (const { name, container } of containersOf(ds!))
      expect(container.image, name).toBe(VERSIONS.images.datadogAgent);
    expectHardenedContainers(ds!);

    const pod = ds!.spec.template.spec;
    const agent = pod.containers.find((c: Obj) => c.name === 'agent');
    const trace = pod.containers.find((c: Obj) => c.name === 'trace-agent');
    expect(agent && trace, 'agent and trace-agent containers').toBeTruthy();
    const hostPorts = (c: Obj) =>
      (c.ports ?? []).filter((p: Obj) => p.hostPort).map((p: Obj) => [p.hostPort, p.containerPort]);
    expect(hostPorts(agent).sort()).toEqual([
      [4317, 4317],
      [4318, 4318],
    ]);
    expect(hostPorts(trace)).toEqual([[8126, 8126]]);
    expect(envValue(trace, 'DD_APM_ENABLED')).toBe('true');
    expect(envValue(trace, 'DD_APM_NON_LOCAL_TRAFFIC')).toBe('true');
    for (const c of [agent, trace]) {
      // OTLP ingest for both the core agent and the trace agent.
      expect(envValue(c, 'DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT'), c.name).toBe('0.0.0.0:4317');
      expect(envValue(c, 'DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT'), c.name).toBe('0.0.0.0:4318');
      expect(
        envOf(c).find((e) => e.name === 'DD_API_KEY'),
        `${c.name} DD_API_KEY`,
      ).toBeTruthy();
      expect(envOf(c).find((e) => e.name === 'DD_KUBERNETES_KUBELET_HOST')?.valueFrom, c.name).toEqual({
        fieldRef: { fieldPath: 'status.hostIP' },
      });
    }
    // DD_SITE comes from the generated ConfigMap, referenced by its hashed name.
    const [configMap] = byKind('ConfigMap');
    expect(configMap!.data.DD_SITE).toBe('datadoghq.com');
    for (const c of [agent, trace]) expect(c.envFrom).toEqual([{ configMapRef: { name: configMap!.metadata.name } }]);
    // Read-only host mounts for /proc and the cgroup tree; the DogStatsD socket directory.
    const volumes = Object.fromEntries(pod.volumes.map((v: Obj) => [v.name, v]));
    expect(volumes.procdir.hostPath.path).toBe('/proc');
    expect(volumes.cgroups.hostPath.path).toBe('/sys/fs/cgroup');
    expect(volumes.dsdsocket).toBeTruthy();
    expect(agent.volumeMounts.map((m: Obj) => m.mountPath)).toEqual(
      expect.arrayContaining(['/host/proc', '/host/sys/fs/cgroup', '/var/run/datadog', '/etc/datadog-agent']),
    );
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
    const agent = ctx.usesDatadog && ctx.deployEnvironments.length > 0;
    expect(readme.includes('kubectl create secret generic datadog-secret -n datadog --from-literal api-key=')).toBe(
      agent,
    );
    expect(readme.includes('kubectl apply -k deploy/k8s/datadog')).toBe(agent);
    // One row per environment in the backend table, naming its backend (cells padded as prettier does).
    for (const env of ctx.environments)
      expect(readme).toMatch(new RegExp(`^\\| \`${env}\` +\\|.*\\| \`${ctx.backends[env]}\` +\\|`, 'm'));
    // The file table lists exactly the deploy files that were rendered.
    const listed = [...readme.matchAll(/^\| `((?:compose\.yaml|deploy\/)[^`]*)` +\|/gm)].map((m) => m[1]);
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
