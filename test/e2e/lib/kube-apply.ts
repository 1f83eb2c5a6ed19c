// What a rendered project would apply to a cluster, and what the API server said about it. Pure:
// the control plane itself is in peers/kube-apiserver.ts.
//
// The set of objects comes from the project's files, not from a list kept here: every kustomization
// under deploy/ that no other kustomization includes (each overlay, the Agent's folder; the base is
// included by the overlays) is one unit, built with `kustomize build`; every other YAML file under
// deploy/ whose documents are all Kubernetes objects (apiVersion + kind) is one unit, applied as is;
// YAML that is not Kubernetes objects (e.g. a Helm values file) is listed, never applied.
import { posix } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

export interface ApplyUnit {
  /** Project-relative path: the kustomization's folder, or the manifest file. */
  path: string;
  kind: 'kustomization' | 'manifest';
}

export interface ProjectUnits {
  units: ApplyUnit[];
  /** YAML files under deploy/ that hold no Kubernetes objects (not applied). */
  notObjects: string[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const isYaml = (path: string) => /\.ya?ml$/.test(path);

function isObject(doc: unknown): doc is { apiVersion: unknown; kind: unknown } {
  return typeof doc === 'object' && doc !== null && 'apiVersion' in doc && 'kind' in doc;
}

/** The apply units of a project (path → content), under `root`. */
export function findApplyUnits(files: Map<string, string>, root = 'deploy/'): ProjectUnits {
  const paths = [...files.keys()].filter((p) => p.startsWith(root)).sort();
  const kustomizationDirs = new Map<string, string>(); // folder → its kustomization file
  for (const p of paths)
    if (KUSTOMIZATION_FILES.includes(posix.basename(p))) kustomizationDirs.set(posix.dirname(p), p);

  // Folders another kustomization pulls in (resources, components, the old `bases`) are not roots.
  const included = new Set<string>();
  for (const [dir, file] of kustomizationDirs) {
    const k = (parse(files.get(file)!) ?? {}) as Record<string, unknown>;
    for (const key of ['resources', 'components', 'bases'])
      for (const entry of (k[key] as unknown[] | undefined) ?? [])
        if (typeof entry === 'string') included.add(posix.normalize(posix.join(dir, entry)));
  }
  const inKustomization = (p: string) => {
    for (let d = posix.dirname(p); d !== '.' && d !== '/'; d = posix.dirname(d))
      if (kustomizationDirs.has(d)) return true;
    return false;
  };

  const units: ApplyUnit[] = [...kustomizationDirs.keys()]
    .filter((dir) => !included.has(dir))
    .map((dir) => ({ path: dir, kind: 'kustomization' }));
  const notObjects: string[] = [];
  for (const p of paths) {
    if (!isYaml(p) || inKustomization(p)) continue;
    const docs = parseAllDocuments(files.get(p)!)
      .map((d) => d.toJS() as unknown)
      .filter((d) => d != null);
    if (docs.length > 0 && docs.every(isObject)) units.push({ path: p, kind: 'manifest' });
    else notObjects.push(p);
  }
  units.sort((a, b) => a.path.localeCompare(b.path));
  return { units, notObjects };
}

export interface ApplyOutcome {
  /** `kind/name` lines kubectl reported as applied. */
  applied: string[];
  /** The server's warnings (kubectl prints each distinct one once, prefixed `Warning: `). */
  warnings: string[];
  /** The server's (or kubectl's) errors, one per rejected object or failure. */
  errors: string[];
}

/** Reads `kubectl apply --server-side` output: applied objects, warnings and errors, verbatim. */
export function parseApplyOutput(r: {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}): ApplyOutcome {
  const applied = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /\sserverside-applied\b/.test(l))
    .map((l) => l.split(/\s+/)[0]!);
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const line of r.stderr.split('\n').map((l) => l.trim())) {
    if (line.startsWith('Warning: ')) warnings.push(line.slice('Warning: '.length));
    else if (/^(Error from server|error:|Error:)/.test(line)) errors.push(line);
  }
  if (r.timedOut) errors.push('kubectl timed out');
  else if (r.code !== 0 && errors.length === 0)
    errors.push(`kubectl exit ${r.code}: ${r.stderr.trim().split('\n').pop() || 'no output'}`);
  return { applied, warnings, errors };
}

/** Namespaces the objects live in that no object of the set declares (the user creates them). */
export function undeclaredNamespaces(objects: Array<Record<string, any>>): string[] {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const declared = new Set(
    objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.metadata?.name),
  );
  const used = new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => typeof n === 'string'));
  return [...used].filter((n) => !declared.has(n)).sort();
}
