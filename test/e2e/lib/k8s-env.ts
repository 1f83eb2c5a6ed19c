// The app container's environment as the kubelet would compute it from rendered manifests:
// envFrom first, then env in order; valueFrom.fieldRef through the downward API (pod template
// labels/annotations, status.hostIP → the given host IP); configMap/secret references from the
// rendered objects; $(VAR) references expanded against the variables defined before, exactly like
// k8s.io/kubernetes third_party/forked/golang/expansion (unknown references stay literal, $$ → $).
import { parseAllDocuments } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function parseManifests(text: string): Json[] {
  const docs = parseAllDocuments(text);
  const out: Json[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value && typeof value === 'object') {
      const obj = value as Json;
      if (obj.kind === 'List' && Array.isArray(obj.items)) out.push(...(obj.items as Json[]));
      else out.push(obj);
    }
  }
  return out;
}

/** Port of kubelet's expansion.Expand. */
export function expand(input: string, mapping: (name: string) => string | undefined): string {
  let buf = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === '$' && cursor + 1 < input.length) {
      buf += input.slice(checkpoint, cursor);
      const rest = input.slice(cursor + 1);
      let read: string;
      let isVar = false;
      let advance: number;
      if (rest[0] === '$') {
        read = '$';
        advance = 1;
      } else if (rest[0] === '(') {
        const close = rest.indexOf(')', 1);
        if (close >= 1) {
          read = rest.slice(1, close);
          isVar = true;
          advance = close + 1;
        } else {
          read = '$(';
          advance = 1;
        }
      } else {
        read = `$${rest[0]}`;
        advance = 1;
      }
      buf += isVar ? (mapping(read) ?? `$(${read})`) : read;
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return buf + input.slice(checkpoint);
}

export interface PodContext {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeName: string;
  serviceAccountName: string;
  hostIP: string;
  podIP: string;
}

function fieldRefValue(path: string, pod: PodContext): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) {
    const map = m[1] === 'labels' ? pod.labels : pod.annotations;
    // The kubelet yields "" for a missing key (no error).
    return map[m[2]!] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'metadata.uid':
      return pod.uid;
    case 'spec.nodeName':
      return pod.nodeName;
    case 'spec.serviceAccountName':
      return pod.serviceAccountName;
    case 'status.hostIP':
    case 'status.hostIPs':
      return pod.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return pod.podIP;
    default:
      throw new Error(`unsupported fieldRef.fieldPath "${path}"`);
  }
}

function findObject(objects: Json[], kind: string, name: string, namespace: string): Json | undefined {
  return objects.find(
    (o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? namespace) === namespace,
  );
}

function dataOf(obj: Json): Record<string, string> {
  const out: Record<string, string> = {};
  if (obj.kind === 'Secret') {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>))
      out[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) out[k] = String(v);
  } else {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out[k] = String(v);
  }
  return out;
}

export interface AppWorkload {
  deployment: Json;
  container: Json;
  pod: PodContext;
}

/** The app's Deployment and container in rendered manifests (by name, or the only one). */
export function findAppWorkload(objects: Json[], appName: string, hostIP: string): AppWorkload {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const deployment =
    deployments.find((d) => d.metadata?.name === appName) ?? (deployments.length === 1 ? deployments[0] : undefined);
  if (!deployment) {
    const names = deployments.map((d) => d.metadata?.name).join(', ') || 'none';
    throw new Error(`no Deployment "${appName}" in the rendered overlay (Deployments: ${names})`);
  }
  const template = deployment.spec?.template ?? {};
  const containers = (template.spec?.containers ?? []) as Json[];
  const container =
    containers.find((c) => c.name === appName) ??
    containers.find((c) => c.name === 'app') ??
    (containers.length === 1 ? containers[0] : undefined);
  if (!container) throw new Error(`Deployment ${deployment.metadata?.name} has no container "${appName}"`);
  const namespace = String(deployment.metadata?.namespace ?? 'default');
  const pod: PodContext = {
    name: `${deployment.metadata?.name}-e2e`,
    namespace,
    uid: '00000000-0000-4000-8000-000000000e2e',
    labels: (template.metadata?.labels ?? {}) as Record<string, string>,
    annotations: (template.metadata?.annotations ?? {}) as Record<string, string>,
    nodeName: 'e2e-node',
    serviceAccountName: String(template.spec?.serviceAccountName ?? 'default'),
    hostIP,
    podIP: hostIP,
  };
  return { deployment, container, pod };
}

/** The container's environment, in definition order, as the kubelet computes it. */
export function resolveContainerEnv(container: Json, pod: PodContext, objects: Json[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const from of (container.envFrom ?? []) as Json[]) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const obj = ref ? findObject(objects, kind, ref.name, pod.namespace) : undefined;
    if (!obj) {
      if (ref?.optional) continue;
      throw new Error(`envFrom references ${kind} "${ref?.name}" which is not in the rendered manifests`);
    }
    for (const [k, v] of Object.entries(dataOf(obj))) env.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const item of (container.env ?? []) as Json[]) {
    const name = String(item.name);
    if (item.valueFrom) {
      const vf = item.valueFrom as Json;
      if (vf.fieldRef) {
        env.set(name, fieldRefValue(String(vf.fieldRef.fieldPath), pod));
      } else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = (vf.configMapKeyRef ?? vf.secretKeyRef) as Json;
        const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
        const obj = findObject(objects, kind, ref.name, pod.namespace);
        const value = obj ? dataOf(obj)[ref.key] : undefined;
        if (value === undefined) {
          if (ref.optional) continue;
          throw new Error(`env ${name} references ${kind} ${ref.name}/${ref.key} not in the rendered manifests`);
        }
        env.set(name, value);
      } else {
        throw new Error(`env ${name}: unsupported valueFrom ${Object.keys(vf).join(',')}`);
      }
    } else {
      env.set(name, expand(String(item.value ?? ''), (ref) => env.get(ref)));
    }
  }
  return env;
}
