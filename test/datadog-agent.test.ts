// How the Datadog Agent is installed (--datadog-agent operator|helm|manifests|existing): every style ×
// framework × answer set renders exactly its files in deploy/k8s/datadog/, and each style's files are
// checked with what can check them offline: the DatadogAgent against the Datadog Operator's own strict
// JSON Schema (as written, with its documented optional lines uncommented, and as kustomize builds
// it); the Helm values against the chart keys checked by hand (see HELM_CHART_KEYS); the plain
// manifests with kubernetes-models and kustomize; the README's install steps per style. Everything
// else a project holds, the app's overlays included, is the same in every style: the app always
// reaches the node-local Agent at $(HOST_IP) (OTLP 4317/4318, APM 8126).
// Needs Go (kustomize and the Operator's module come from the Go module proxy) and python3.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { buildContext, type TemplateContext } from '../generators/shared/context.js';
import { DATADOG_AGENT_STYLES, type DatadogAgentStyle, deploysToDatadogAgent, FRAMEWORKS } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { VERSIONS } from '../generators/shared/versions.js';
import {
  AGENT_FILES,
  datadogAgentValidator,
  datadogOperatorCrdDir,
  HELM_CHART_KEYS,
  leaves,
  uncomment,
  type Validate,
} from './helpers/datadog-agent.js';
import { type DeployCase, DEPLOY_CASES } from './helpers/deploy-cases.js';
import { containersOf, kustomizeBuild, type Obj, parseYamlDocs, templatesDirFor, validateK8s, writeTree } from './helpers/deploy.js';
import { envOf, envValue, expectHardenedContainers, expectNoSecrets, HEX_KEY, renderReadmeDeploy } from './helpers/k8s-checks.js';

/** The deploy suites' answer sets in which some environment deployed to Kubernetes uses Datadog. */
const CASES = Object.fromEntries(Object.entries(DEPLOY_CASES).filter(([, combo]) => deploysToDatadogAgent(combo)));

const AGENT_DIR = 'deploy/k8s/datadog/';
const installs = (style: DatadogAgentStyle) => style !== 'existing';

const render = async (framework: string, combo: DeployCase, style: DatadogAgentStyle) => {
  const answers = withDefaults({
    name: combo.name ?? 'my-api',
    framework: framework as never,
    environments: combo.environments,
    backends: combo.backends,
    datadogAgent: style,
  });
  const templatesDir = templatesDirFor(framework);
  try {
    return { answers, files: await renderProject(answers, { templatesDir }) };
  } finally {
    if (templatesDir) rmSync(templatesDir, { recursive: true, force: true });
  }
};

let validateDatadogAgent: Validate;
beforeAll(async () => {
  validateDatadogAgent = await datadogAgentValidator();
}, 300_000);

const MATRIX = DATADOG_AGENT_STYLES.flatMap((style) =>
  FRAMEWORKS.flatMap((framework) =>
    Object.entries(CASES).map(([label, combo]) => [`${style}, ${framework}, ${label}`, style, framework, combo] as const),
  ),
);

describe.each(MATRIX)('--datadog-agent %s', (_label, style, framework, combo) => {
  let ctx: TemplateContext;
  let files: Map<string, string>;
  let dir: string;
  const file = (name: string) => files.get(`${AGENT_DIR}${name}`)!;

  beforeAll(async () => {
    const rendered = await render(framework, combo, style);
    files = rendered.files;
    ctx = buildContext(rendered.answers, '0.0.0-test');
    dir = writeTree(files);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders exactly the style's files in deploy/k8s/datadog/", () => {
    expect(ctx.datadogAgent).toBe(style);
    const agentFiles = [...files.keys()].filter((p) => p.startsWith(AGENT_DIR)).map((p) => p.slice(AGENT_DIR.length));
    expect(agentFiles.sort()).toEqual(AGENT_FILES[style]);
    for (const name of agentFiles) {
      expect(file(name), `${name}: no key-like literal`).not.toMatch(HEX_KEY);
      expect(file(name), `${name}: no Secret object`).not.toMatch(/^kind:\s*Secret\s*$/m);
    }
  });

  if (installs(style))
    it('the namespace allows the privileged Pod Security level (host paths, host ports)', () => {
      const [namespace] = parseYamlDocs(file('namespace.yaml'), 'namespace.yaml');
      validateK8s(namespace!, 'namespace.yaml');
      expect(namespace!.metadata.name).toBe('datadog');
      for (const mode of ['enforce', 'warn', 'audit'])
        expect(namespace!.metadata.labels[`pod-security.kubernetes.io/${mode}`], mode).toBe('privileged');
    });

  if (style === 'operator')
    it("the DatadogAgent validates strictly against the Operator's schema, as written and as kustomize builds it", async () => {
      const [written] = parseYamlDocs(file('datadog-agent.yaml'), 'datadog-agent.yaml');
      expect(validateDatadogAgent(written!)).toEqual([]);
      // The optional settings the file and the README document, uncommented, are valid too.
      const optional = uncomment(file('datadog-agent.yaml'), ['clusterName: my-cluster', 'kubelet:', '  tlsVerify: false']);
      const [withOptional] = parseYamlDocs(optional, 'datadog-agent.yaml, optional lines');
      expect(withOptional!.spec.global).toMatchObject({ clusterName: 'my-cluster', kubelet: { tlsVerify: false } });
      expect(validateDatadogAgent(withOptional!)).toEqual([]);

      const objects = await kustomizeBuild(join(dir, AGENT_DIR));
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['DatadogAgent/datadog', 'Namespace/datadog']);
      const built = objects.find((o) => o.kind === 'DatadogAgent')!;
      expect(built.apiVersion).toBe('datadoghq.com/v2alpha1');
      expect(built.metadata.namespace).toBe('datadog');
      expect(validateDatadogAgent(built)).toEqual([]);
      validateK8s(objects.find((o) => o.kind === 'Namespace')!, 'kustomize build');

      // What the app relies on: APM and OTLP on host ports, logs, the API key from the Secret.
      const spec = built.spec;
      expect(spec.features.apm).toEqual({ enabled: true, hostPortConfig: { enabled: true, hostPort: 8126 } });
      expect(spec.features.otlp.receiver.protocols).toEqual({
        grpc: { enabled: true, endpoint: '0.0.0.0:4317', hostPortConfig: { enabled: true, hostPort: 4317 } },
        http: { enabled: true, endpoint: '0.0.0.0:4318', hostPortConfig: { enabled: true, hostPort: 4318 } },
      });
      expect(spec.features.logCollection).toEqual({ enabled: true, containerCollectAll: true });
      expect(spec.override.nodeAgent.containers.agent.env).toEqual([{ name: 'DD_OTLP_CONFIG_LOGS_ENABLED', value: 'true' }]);
      expect(spec.global.credentials).toEqual({ apiSecret: { secretName: 'datadog-secret', keyName: 'api-key' } });
      expect(spec.global.site).toBe('datadoghq.com');
    });

  if (style === 'helm')
    it('the values use only keys of the datadog chart, with their types, and turn on what the app needs', () => {
      const values = parse(file('values.yaml'));
      const withOptional = parse(
        uncomment(file('values.yaml'), ['clusterName: my-cluster', 'kubelet:', '  tlsVerify: false']),
      );
      expect(withOptional.datadog).toMatchObject({ clusterName: 'my-cluster', kubelet: { tlsVerify: false } });
      for (const [path, value] of [...leaves(values), ...leaves(withOptional)]) {
        expect(Object.keys(HELM_CHART_KEYS), `values.yaml: ${path} is not a key of the datadog chart`).toContain(path);
        expect(typeof value, `values.yaml: ${path}`).toBe(HELM_CHART_KEYS[path]);
      }
      expect(values.datadog).toEqual({
        apiKeyExistingSecret: 'datadog-secret',
        site: 'datadoghq.com',
        apm: { portEnabled: true },
        otlp: {
          receiver: {
            protocols: {
              grpc: { enabled: true, endpoint: '0.0.0.0:4317', useHostPort: true },
              http: { enabled: true, endpoint: '0.0.0.0:4318', useHostPort: true },
            },
          },
          logs: { enabled: true },
        },
        logs: { enabled: true, containerCollectAll: true },
      });
      // Its header gives the same pinned install command as the README.
      expect(file('values.yaml')).toContain(`datadog/datadog --version ${VERSIONS.datadogAgent.agentChart}`);
    });

  if (style === 'manifests')
    it('the DaemonSet, its RBAC and settings validate and build, hardened, with APM and OTLP on host ports', async () => {
      const objects = await kustomizeBuild(join(dir, AGENT_DIR));
      for (const obj of objects) validateK8s(obj, 'datadog');
      expectNoSecrets(objects, 'datadog');
      const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
      expect(objects.map((o) => o.kind).sort()).toEqual(
        ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'Namespace', 'NetworkPolicy', 'ServiceAccount'].sort(),
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
      expect(binding!.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role!.metadata.name });
      expect(binding!.subjects).toEqual([{ kind: 'ServiceAccount', name: sa!.metadata.name, namespace: 'datadog' }]);
      for (const rule of role!.rules) {
        expect(rule.resources ?? [], 'no access to Secrets').not.toContain('secrets');
        for (const verb of rule.verbs) expect(['get', 'list', 'watch']).toContain(verb);
      }

      // Pinned agent image everywhere; hardened containers.
      for (const { name, container } of containersOf(ds!)) expect(container.image, name).toBe(VERSIONS.images.datadogAgent);
      expectHardenedContainers(ds!);

      const pod = ds!.spec.template.spec;
      const agent = pod.containers.find((c: Obj) => c.name === 'agent');
      const trace = pod.containers.find((c: Obj) => c.name === 'trace-agent');
      expect(agent && trace, 'agent and trace-agent containers').toBeTruthy();
      const hostPorts = (c: Obj) => (c.ports ?? []).filter((p: Obj) => p.hostPort).map((p: Obj) => [p.hostPort, p.containerPort]);
      expect(hostPorts(agent).sort()).toEqual([
        [4317, 4317],
        [4318, 4318],
      ]);
      expect(hostPorts(trace)).toEqual([[8126, 8126]]);
      // Both containers report readiness (a DaemonSet rollout waits for it): the core agent's health
      // endpoint, the trace agent's APM port.
      expect(agent.readinessProbe.httpGet).toEqual({ path: '/ready', port: 5555 });
      expect(trace.readinessProbe.tcpSocket).toEqual({ port: 8126 });

      // The NetworkPolicy selects the Agent's pods and lets in only what apps send: every port a
      // container declares (host ports included), nothing else; egress stays open, as in Datadog's chart.
      const [policy] = byKind('NetworkPolicy');
      expect(ds!.spec.template.metadata.labels).toMatchObject(policy!.spec.podSelector.matchLabels);
      expect(policy!.spec.policyTypes).toEqual(['Ingress']);
      expect(policy!.spec.ingress).toHaveLength(1);
      expect(policy!.spec.ingress[0].from, 'from any pod').toBeUndefined();
      const declared = pod.containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => `${p.containerPort}/${p.protocol}`));
      expect(policy!.spec.ingress[0].ports.map((p: Obj) => `${p.port}/${p.protocol}`).sort()).toEqual(declared.sort());
      expect(envValue(trace, 'DD_APM_ENABLED')).toBe('true');
      expect(envValue(trace, 'DD_APM_NON_LOCAL_TRAFFIC')).toBe('true');
      // Logs over OTLP (the core agent's logs pipeline on, OTLP logs on).
      expect(envValue(agent, 'DD_LOGS_ENABLED')).toBe('true');
      expect(envValue(agent, 'DD_OTLP_CONFIG_LOGS_ENABLED')).toBe('true');
      for (const c of [agent, trace]) {
        // OTLP ingest for both the core agent and the trace agent.
        expect(envValue(c, 'DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT'), c.name).toBe('0.0.0.0:4317');
        expect(envValue(c, 'DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT'), c.name).toBe('0.0.0.0:4318');
        expect(envOf(c).find((e) => e.name === 'DD_API_KEY'), `${c.name} DD_API_KEY`).toBeTruthy();
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

  it("the README's deploy section gives this style's steps, pinned, and names only files that exist", () => {
    const readme = renderReadmeDeploy(ctx);
    expect(readme).not.toMatch(HEX_KEY);
    const has = (text: string) => readme.includes(text);
    expect(has('### Install the Datadog Agent')).toBe(installs(style));
    expect(has('### The Datadog Agent your cluster runs')).toBe(style === 'existing');
    expect(has('kubectl apply -f deploy/k8s/datadog/namespace.yaml')).toBe(installs(style));
    expect(has('kubectl create secret generic datadog-secret -n datadog --from-literal api-key=')).toBe(installs(style));
    expect(has('kubectl apply -k deploy/k8s/datadog')).toBe(style === 'operator' || style === 'manifests');
    expect(has('helm repo add datadog https://helm.datadoghq.com')).toBe(style === 'operator' || style === 'helm');
    expect(
      has(`helm upgrade --install datadog-operator datadog/datadog-operator --version ${VERSIONS.datadogAgent.operatorChart} \\`) &&
        has(`--namespace datadog --set image.tag=${VERSIONS.datadogAgent.operatorImageTag}`),
    ).toBe(style === 'operator');
    expect(
      has(`helm upgrade --install datadog-agent datadog/datadog --version ${VERSIONS.datadogAgent.agentChart} \\`) &&
        has('--namespace datadog -f deploy/k8s/datadog/values.yaml'),
    ).toBe(style === 'helm');
    if (style === 'existing')
      for (const setting of [
        'http://$(HOST_IP):4318',
        'host port 4318',
        'on 4317',
        'host port 8126',
        'hostPortConfig',
        'useHostPort: true',
        'datadog.apm.portEnabled: true',
        'DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT=0.0.0.0:4318',
        'DD_OTLP_CONFIG_LOGS_ENABLED=true',
        'refresh --datadog-agent operator',
      ])
        expect(readme, setting).toContain(setting);
    // Every deploy/k8s/datadog file the section names was rendered.
    for (const [, path] of readme.matchAll(/(deploy\/k8s\/datadog\/[\w.-]+\.ya?ml)/g)) expect([...files.keys()], path).toContain(path);
  });
});

describe('every style deploys the app the same way', () => {
  it.each(FRAMEWORKS.flatMap((framework) => Object.entries(CASES).map(([label, combo]) => [framework, label, combo] as const)))(
    '%s, %s: only deploy/k8s/datadog/ and the README differ between styles',
    async (framework, _label, combo) => {
      const renders = await Promise.all(DATADOG_AGENT_STYLES.map((style) => render(framework, combo, style)));
      const common = (files: Map<string, string>) =>
        new Map([...files].filter(([path]) => !path.startsWith(AGENT_DIR) && path !== 'README.md'));
      const [first, ...others] = renders.map(({ files }) => common(files));
      for (const other of others) expect(other).toEqual(first);
      // The deployed Datadog environments send OTLP to the Agent's host port on their node.
      const ctx = buildContext(renders[0]!.answers, '0.0.0-test');
      for (const env of ctx.deployEnvironments.filter((e) => ctx.backends[e] === 'datadog')) {
        const patch = parseYamlDocs(first!.get(`deploy/k8s/overlays/${env}/deployment-patch.yaml`)!, env)[0]!;
        const app = patch.spec.template.spec.containers[0];
        expect(envOf(app).find((e) => e.name === 'HOST_IP')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'status.hostIP' } });
        expect(envValue(app, 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://$(HOST_IP):4318');
      }
    },
  );
});

describe('where no deployed environment uses Datadog, the answer does not apply', () => {
  it.each([
    ['no Datadog at all', ['development', 'production'], { development: 'jaeger', production: 'otlp' }],
    ['Datadog only locally', ['development', 'production'], { development: 'datadog', production: 'none' }],
    ['the local environment only', ['development'], { development: 'datadog' }],
  ] as const)('%s: no Agent files, no Agent section, no saved answer', async (_label, environments, backends) => {
    const answers = withDefaults({ name: 'my-api', environments: [...environments], backends: { ...backends } });
    expect(answers.datadogAgent).toBeUndefined();
    const files = await renderProject(answers);
    expect([...files.keys()].filter((p) => p.startsWith(AGENT_DIR))).toEqual([]);
    expect(files.get('README.md')).not.toMatch(/### (Install the Datadog Agent|The Datadog Agent your cluster runs)/);
    expect(() => withDefaults({ ...answers, datadogAgent: 'helm' })).toThrow(
      /^--datadog-agent applies only when an environment deployed to Kubernetes uses a Datadog backend: drop it/,
    );
  });
});

describe('the checks reject broken input (so a green run means something)', () => {
  const operatorAgent = async () => {
    const { files } = await render('fastapi', DEPLOY_CASES.defaults!, 'operator');
    return parseYamlDocs(files.get(`${AGENT_DIR}datadog-agent.yaml`)!, 'datadog-agent.yaml')[0]!;
  };

  it("the Operator's schema rejects a misspelled key, a wrong type and an unknown top-level field", async () => {
    const misspelled = await operatorAgent();
    misspelled.spec.features.apm.hostPortConfg = misspelled.spec.features.apm.hostPortConfig;
    delete misspelled.spec.features.apm.hostPortConfig;
    expect(validateDatadogAgent(misspelled).join('\n')).toMatch(/\/spec\/features\/apm must NOT have additional properties.*hostPortConfg/);

    const wrongType = await operatorAgent();
    wrongType.spec.features.otlp.receiver.protocols.http.hostPortConfig.hostPort = '4318';
    expect(validateDatadogAgent(wrongType).join('\n')).toMatch(/hostPort must be integer/);

    const unknown = await operatorAgent();
    unknown.spec.agent = { enabled: true };
    expect(validateDatadogAgent(unknown).join('\n')).toMatch(/\/spec must NOT have additional properties.*"agent"/);
  });

  it('the cached Operator module also holds the CRD YAML (for a real API server)', async () => {
    const crd = parse(readFileSync(join(await datadogOperatorCrdDir(), 'datadoghq.com_datadogagents.yaml'), 'utf8'));
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.name).toBe('datadogagents.datadoghq.com');
    expect(crd.spec.versions.map((v: Obj) => v.name)).toContain('v2alpha1');
  });

  it('the Operator version the README installs is the one whose schema the tests use', () => {
    expect(`v${VERSIONS.datadogAgent.operatorImageTag}`).toBe(VERSIONS.tools.datadogOperator);
  });

  it('the Helm key check flags a key the chart does not have', () => {
    const paths = leaves(parse('datadog:\n  apm:\n    portEnable: true\n')).map(([path]) => path);
    expect(paths).toEqual(['datadog.apm.portEnable']);
    expect(Object.keys(HELM_CHART_KEYS)).not.toContain(paths[0]);
  });

  it('uncomment() fails loudly when a documented optional line is gone', () => {
    expect(() => uncomment('a: 1\n', ['clusterName: my-cluster'])).toThrow(/not found/);
  });
});
