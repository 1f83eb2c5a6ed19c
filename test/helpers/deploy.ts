// Helpers for test/deploy-manifests.test.ts: write a rendered project to disk, run the real
// validators (kustomize and Docker Compose, built from the Go module proxy by test/tools/), and check
// Kubernetes objects against kubernetes-models.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../tools/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** Writes files (relative path → content) under a fresh temp dir and returns it. */
export function writeTree(files: Map<string, string>, prefix = 'cia-deploy-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * Templates folder for rendering `framework`: the real one when the framework's own templates
 * exist, else a stand-in whose shared roots (deploy, partials, shared) link to the real ones and
 * whose framework folder is empty, so that the deploy files are checked for every framework's
 * traits (port, health path, language) even before its templates land.
 */
export function templatesDirFor(framework: string): string | undefined {
  const real = join(REPO_ROOT, 'templates');
  if (existsSync(join(real, framework))) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `cia-templates-${framework}-`));
  for (const root of ['deploy', 'partials', 'shared'])
    if (existsSync(join(real, root))) symlinkSync(join(real, root), join(dir, root), 'dir');
  mkdirSync(join(dir, framework));
  return dir;
}

/** Every document of a (multi-document) YAML text; throws with the file name on any parse error. */
export function parseYamlDocs(text: string, where: string): Obj[] {
  return parseAllDocuments(text)
    .map((doc, i) => {
      if (doc.errors.length)
        throw new Error(`${where} (document ${i + 1}): ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Obj;
    })
    .filter((obj) => obj !== null && obj !== undefined);
}

/** The Kubernetes kinds the deploy templates may produce, each with its kubernetes-models class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
};

export function isKustomization(obj: Obj): boolean {
  return obj.kind === 'Kustomization' && String(obj.apiVersion).startsWith('kustomize.config.k8s.io/');
}

/** Validates one Kubernetes object with its kubernetes-models class; an unknown kind is an error. */
export function validateK8s(obj: Obj, where: string): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`${where}: no kubernetes-models class for ${key} (add it to MODELS if it is intended)`);
  try {
    new Model(obj).validate();
  } catch (error) {
    throw new Error(`${where}: ${key} ${obj.metadata?.name} is invalid: ${(error as Error).message}`);
  }
}

/** `kustomize build DIR` → its YAML output; throws with kustomize's message when it fails. */
export async function kustomizeBuildText(dir: string): Promise<string> {
  const bin = await toolPath('kustomize');
  const result = await execa(bin, ['build', dir], { reject: false, timeout: 60_000 });
  if (result.exitCode !== 0) throw new Error(`kustomize build ${dir} failed:\n${result.stderr}`);
  return result.stdout;
}

/** `kustomize build DIR` → the built objects; throws with kustomize's message when it fails. */
export async function kustomizeBuild(dir: string): Promise<Obj[]> {
  return parseYamlDocs(await kustomizeBuildText(dir), `kustomize build ${dir}`);
}

/** `docker-compose -f compose.yaml config -q` (Docker Compose itself; validates offline, no engine needed). */
export async function composeConfig(projectDir: string): Promise<{ exitCode: number; output: string }> {
  const result = await execa(await toolPath('docker-compose'), ['-f', 'compose.yaml', 'config', '-q'], {
    cwd: projectDir,
    reject: false,
    timeout: 60_000,
    // Interpolation must not depend on the caller's shell (empty = unset for ${VAR:-default}).
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: '' },
  });
  return { exitCode: result.exitCode ?? -1, output: `${result.stdout}\n${result.stderr}`.trim() };
}

/** Every container and init container of a pod template, with the pod's security context. */
export function containersOf(workload: Obj): { name: string; container: Obj; pod: Obj }[] {
  const pod = workload.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].map((container: Obj) => ({
    name: `${workload.kind}/${workload.metadata.name}/${container.name}`,
    container,
    pod,
  }));
}
