// checkov, the scanner platform and security teams already run, over what a user of a generated
// project deploys, for every framework × answer sets that cover each --datadog-agent style and every
// backend: the kustomize-built overlay of every deployed environment, the kustomize-built Agent folder
// (operator, manifests), the Dockerfile and the GitHub workflows. Goal: 0 failed. A finding that is a
// deliberate choice is skipped in the file itself (checkov.io/skipN annotations, which kustomize keeps;
// `# checkov:skip=ID:reason` comments in Dockerfiles and workflows), and every skip must carry a reason
// a user can read. checkov starts slowly, so it runs once over one folder holding every project, plus
// a known-bad project whose findings must show up in the same run (the scan can fail).
//
// What is not scanned, and why:
// - helm: deploy/k8s/datadog/values.yaml is input to Datadog's chart, not Kubernetes objects; the
//   objects exist only after `helm template` of the chart, which cannot be fetched here. Its
//   namespace.yaml is scanned. (The chart's own DaemonSet is Datadog's, like the Operator's.)
// - operator: the DatadogAgent is scanned, but checkov has no check for that kind (the test asserts
//   it and prints it); the DaemonSet the Operator creates from it is Datadog's code, not a file here.
// - existing: the project installs no Agent.
// - compose.yaml (local development only) and the unbuilt base (never applied on its own).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../generators/shared/answers.js';
import { type Answers, FRAMEWORKS, NODE_FRAMEWORKS, type PackageManager, PYTHON_FRAMEWORKS } from '../generators/shared/options.js';
import { VERSIONS } from '../generators/shared/versions.js';
import {
  CHECKOV_FRAMEWORKS,
  type CheckovReport,
  type CheckResult,
  deployedFiles,
  describeResult,
  runCheckov,
  skipReason,
  writeUnder,
} from './helpers/checkov.js';
import { parseYamlDocs, writeTree } from './helpers/deploy.js';

/** Answer sets: each Datadog install style once, and the other backends; Node and Python package managers spread over them. */
const CASES: Record<string, Partial<Answers> & { pm: PackageManager; pythonPm: PackageManager }> = {
  operator: { datadogAgent: 'operator', pm: 'npm', pythonPm: 'uv' }, // the defaults: staging and production on Datadog
  helm: { environments: ['development', 'production'], datadogAgent: 'helm', pm: 'pnpm', pythonPm: 'pip' },
  manifests: { environments: ['development', 'production'], datadogAgent: 'manifests', pm: 'yarn', pythonPm: 'uv' },
  existing: { environments: ['development', 'production'], datadogAgent: 'existing', pm: 'bun', pythonPm: 'pip' },
  'other backends': {
    environments: ['development', 'qa', 'staging', 'production'],
    backends: { development: 'jaeger', qa: 'console', staging: 'otlp', production: 'none' },
    pm: 'npm',
    pythonPm: 'uv',
  },
};

/** KEEP_CHECKOV_SCAN=1 keeps the scan folder and checkov's report (their path is printed) for a closer look. */
const KEEP = process.env.KEEP_CHECKOV_SCAN === '1';

const PROJECTS = FRAMEWORKS.flatMap((framework) =>
  Object.entries(CASES).map(([label, { pm, pythonPm, ...rest }]) => ({
    folder: `${framework}-${label.replaceAll(' ', '-')}`,
    answers: withDefaults({
      name: 'my-api',
      framework,
      ...rest,
      ...(NODE_FRAMEWORKS.includes(framework) ? { pm } : PYTHON_FRAMEWORKS.includes(framework) ? { pm: pythonPm } : {}),
    }),
  })),
);

/** A project nobody should ship, scanned in the same run: its findings must be reported. */
const KNOWN_BAD = 'known-bad';
const KNOWN_BAD_FILES = new Map([
  [
    'deploy/k8s/overlays/production.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
  namespace: production
  annotations:
    checkov.io/skip1: CKV_K8S_43
spec:
  selector:
    matchLabels: {app: bad}
  template:
    metadata:
      labels: {app: bad}
    spec:
      containers:
        - name: app
          image: bad:latest
          securityContext:
            privileged: true
`,
  ],
  ['Dockerfile', 'FROM node:latest\nCOPY . .\nCMD ["node", "server.js"]\n'],
]);
/** What the known-bad project must fail: privileged container, unpinned image, no USER, latest base. */
const KNOWN_BAD_FAILS = ['CKV_K8S_14', 'CKV_K8S_16', 'CKV_DOCKER_3', 'CKV_DOCKER_7'];

const inKnownBad = (r: CheckResult) => r.file_path.startsWith(`/${KNOWN_BAD}/`);

const isKubernetes = (r: CheckResult) => /\/deploy\/k8s\//.test(r.file_path);
/** "Deployment.production.my-api" → "Deployment" (Kubernetes results only). */
const kindOf = (r: CheckResult) => r.resource.split('.')[0]!;

describe(`checkov ${VERSIONS.tools.checkov} over what a generated project deploys`, () => {
  let dir: string;
  let report: CheckovReport;
  let ours: { passed: CheckResult[]; failed: CheckResult[]; skipped: CheckResult[] };
  /** Kind → how many objects of it the scanned Kubernetes files hold (ours only). */
  const kinds = new Map<string, number>();

  beforeAll(async () => {
    dir = writeTree(new Map(), 'cia-checkov-scan-');
    for (const { folder, answers } of PROJECTS) writeUnder(dir, folder, await deployedFiles(answers));
    writeUnder(dir, KNOWN_BAD, KNOWN_BAD_FILES);
    for (const folder of PROJECTS.map((p) => p.folder))
      for (const file of yamlFiles(join(dir, folder, 'deploy')))
        for (const obj of parseYamlDocs(readFileSync(file, 'utf8'), relative(dir, file)))
          kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);

    report = await runCheckov(dir);
    if (KEEP) {
      writeFileSync(join(dir, 'checkov-report.json'), JSON.stringify(report, null, 1));
      console.log(`checkov scan folder and report (checkov-report.json): ${dir}`);
    }
    const mine = (results: CheckResult[]) => results.filter((r) => !inKnownBad(r));
    ours = { passed: mine(report.passed), failed: mine(report.failed), skipped: mine(report.skipped) };
    const unexplained = ours.skipped.filter((r) => !skipReason(r)).length;
    console.log(
      `checkov: ${ours.passed.length} passed, ${ours.failed.length} failed, ${ours.skipped.length - unexplained} skipped with reasons` +
        `${unexplained ? `, ${unexplained} skipped WITHOUT a reason` : ''} ` +
        `(checkov ${report.version}; ${PROJECTS.length} projects: ${FRAMEWORKS.join(', ')} × ${Object.keys(CASES).join(', ')})`,
    );
  }, 15 * 60_000);
  afterAll(() => {
    if (dir && !KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('reads every file (no parse errors) and scans every framework it is given', () => {
    expect(report.parsingErrors).toEqual([]);
    for (const framework of CHECKOV_FRAMEWORKS)
      expect(ours.passed.filter((r) => r.check_type === framework).length, `${framework} checks passed`).toBeGreaterThan(0);
    // Every project contributes results: its Dockerfile, its workflows and its overlays.
    for (const { folder } of PROJECTS)
      for (const part of ['/Dockerfile', '/.github/workflows/', '/deploy/k8s/overlays/'])
        expect(
          ours.passed.some((r) => r.file_path.startsWith(`/${folder}${part}`)),
          `${folder}${part} has passing checks`,
        ).toBe(true);
  });

  it('finds nothing: 0 failed checks', () => {
    expect(ours.failed.map(describeResult)).toEqual([]);
    expect(ours.passed.length).toBeGreaterThan(0);
  });

  it('every skip carries a reason a user can read', () => {
    const unexplained = ours.skipped.filter((r) => !skipReason(r) || skipReason(r)!.length < 20);
    expect(unexplained.map(describeResult)).toEqual([]);
  });

  it('skips only the deliberate choices, each where it is made', () => {
    // check → where it may be skipped (the scanned file, below the project folder); README and the
    // skip annotations/comments in the templates give the reasons.
    const where = (r: CheckResult) => `${r.check_id} ${r.file_path.replace(/^\/[^/]+\//, '').replace(/overlays\/[^/]+\.yaml$/, 'overlays/<env>.yaml')}`;
    expect([...new Set(ours.skipped.map(where))].sort()).toEqual(
      [
        // The app's image is tagged by version: the user's registry assigns the digest.
        'CKV_K8S_43 deploy/k8s/overlays/<env>.yaml',
        // The manifests-style Agent: host ports, its image's uid, API token, API key as a variable,
        // release tag without digest, IfNotPresent for that tag.
        ...['CKV_K8S_15', 'CKV_K8S_26', 'CKV_K8S_35', 'CKV_K8S_38', 'CKV_K8S_40', 'CKV_K8S_43'].map((id) => `${id} deploy/k8s/datadog.yaml`),
        // template-refresh.yml's workflow_dispatch input (the tool version to refresh to).
        'CKV_GHA_7 .github/workflows/template-refresh.yml',
      ].sort(),
    );
  });

  it('the known-bad project fails in the same run, and its skip without a reason is caught', () => {
    const failed = new Set(report.failed.filter(inKnownBad).map((r) => r.check_id));
    for (const id of KNOWN_BAD_FAILS) expect(failed, `known-bad fails ${id}`).toContain(id);
    const skipped = report.skipped.filter(inKnownBad);
    expect(skipped.map((r) => r.check_id)).toEqual(['CKV_K8S_43']);
    expect(skipReason(skipped[0]!)).toBeUndefined();
  });

  it('says what is not scanned, and which scanned kinds checkov reports nothing on', () => {
    // helm: the values file is chart input, not Kubernetes objects (the chart cannot be fetched here
    // to render it); its namespace is scanned.
    const helm = PROJECTS.filter((p) => p.answers.datadogAgent === 'helm').map((p) => p.folder);
    expect(helm).toHaveLength(FRAMEWORKS.length);
    for (const folder of helm) {
      expect(existsSync(join(dir, folder, 'deploy/k8s/datadog/values.yaml')), folder).toBe(false);
      expect(existsSync(join(dir, folder, 'deploy/k8s/datadog/namespace.yaml')), folder).toBe(true);
    }
    console.log(`checkov: not scanned: deploy/k8s/datadog/values.yaml of the helm style (×${helm.length}), input to Datadog's chart`);

    const checked = new Set([...ours.passed, ...ours.failed, ...ours.skipped].filter(isKubernetes).map(kindOf));
    const unchecked = [...kinds].filter(([kind]) => !checked.has(kind));
    console.log(`checkov: no result on ${unchecked.map(([kind, n]) => `${kind} (${n})`).join(', ')}`);
    // DatadogAgent (operator style): checkov has no check for it, and the DaemonSet the Operator makes
    // from it is not in this project. Namespaces: no checks. NetworkPolicies: no checks of their own;
    // CKV2_K8S_6 reads them to pass the pods they select.
    expect(unchecked.map(([kind]) => kind).sort()).toEqual(['DatadogAgent', 'Namespace', 'NetworkPolicy']);
    expect(checked).toEqual(
      new Set(['Deployment', 'Service', 'Pod', 'DaemonSet', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap']),
    );
  });
});

function yamlFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}
