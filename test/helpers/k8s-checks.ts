// Assertions on rendered Kubernetes objects shared by the deploy suites (deploy-manifests, datadog-agent).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { expect } from 'vitest';
import type { TemplateContext } from '../../generators/shared/context.js';
import { containersOf, type Obj, REPO_ROOT } from './deploy.js';

export const HEX_KEY = /\b[0-9a-f]{32}\b/i;

export type EnvVar = { name: string; value?: string; valueFrom?: Obj };
export const envOf = (container: Obj): EnvVar[] => container.env ?? [];
export const envValue = (container: Obj, name: string) => envOf(container).find((e) => e.name === name)?.value;
export const envIndex = (container: Obj, name: string) => envOf(container).findIndex((e) => e.name === name);

export function imageTag(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  if (at >= 0) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}

/** Non-root, no privilege escalation, no capabilities, read-only root fs, seccomp, pinned image, resources. */
export function expectHardenedContainers(workload: Obj) {
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
export function expectNoSecrets(objects: Obj[], where: string) {
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

/** The README's deploy section (templates/partials/readme-deploy.md.ejs) for a context. */
export function renderReadmeDeploy(ctx: TemplateContext): string {
  const file = join(REPO_ROOT, 'templates/partials/readme-deploy.md.ejs');
  return ejs.render(readFileSync(file, 'utf8'), ctx, { filename: file });
}

