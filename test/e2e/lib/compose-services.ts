// The peers of a generated compose.yaml (Jaeger, Prometheus) started from the project's own files:
// a service's command, mounted config files and tmpfs folders are read from compose.yaml, and a
// config file is moved to loopback the way compose URLs are (compose-env.ts): every address the
// service listens on (0.0.0.0:4318, localhost:16685) becomes 127.0.0.1 on a port found free, and
// every address of another compose service (http://prometheus:9090, jaeger:8889) becomes the
// loopback port serving that container port. Only values change: keys, comments and layout stay.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isScalar, parse, parseDocument, visit } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ComposeService {
  name: string;
  image: string;
  /** The command (compose `command`, list or string form), [] when unset. */
  command: string[];
  /** Container path → host path of each bind mount. */
  mounts: Map<string, string>;
  /** Container paths mounted as tmpfs. */
  tmpfs: string[];
  /** The healthcheck's test as a command (CMD form), if any. */
  healthcheck?: string[];
  /** Every service name in the file (to tell another service's address from a hostname). */
  services: string[];
}

export function composeService(projectDir: string, name: string): ComposeService {
  const file = join(projectDir, 'compose.yaml');
  if (!existsSync(file)) throw new Error('no compose.yaml in the generated project');
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  const services = (doc?.services ?? {}) as Record<string, Json>;
  const svc = services[name];
  if (!svc) throw new Error(`compose.yaml has no ${name} service (services: ${Object.keys(services).join(', ')})`);
  const command = svc.command === undefined ? [] : Array.isArray(svc.command) ? svc.command.map(String) : String(svc.command).split(/\s+/);
  const mounts = new Map<string, string>();
  for (const volume of (svc.volumes ?? []) as Array<string | Json>) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    // Bind mounts only (a relative or absolute host path); named volumes are not files of the project.
    if (!source || !target || !(source.startsWith('.') || isAbsolute(source))) continue;
    mounts.set(String(target), resolve(projectDir, String(source)));
  }
  const tmpfs = ([] as string[]).concat(svc.tmpfs ?? []).map((t) => String(t).split(':')[0]!);
  const test = svc.healthcheck?.test;
  const healthcheck = Array.isArray(test) && test[0] === 'CMD' ? test.slice(1).map(String) : undefined;
  return { name, image: String(svc.image ?? ''), command, mounts, tmpfs, healthcheck, services: Object.keys(services) };
}

/** The host file behind a container path of the service (a read-only config mount). */
export function mountedFile(service: ComposeService, containerPath: string): string {
  const host = service.mounts.get(containerPath);
  if (!host) throw new Error(`compose.yaml: ${service.name} reads ${containerPath}, which no volume of it mounts`);
  if (!existsSync(host)) throw new Error(`compose.yaml: ${service.name} mounts ${host}, which does not exist`);
  return host;
}

// A listen address: any-interface or local host, or a collector-style ${env:VAR:-default} host.
const LISTEN = /^(?:0\.0\.0\.0|localhost|127\.0\.0\.1|\[::\]|\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})?:(\d+)$/;
const SERVICE_ADDRESS = /\b([a-z0-9][a-z0-9_-]*):(\d+)\b/g;

/** Container ports a config listens on (values like 0.0.0.0:4318, localhost:16685, :9090). */
export function listenPorts(text: string): number[] {
  const ports = new Set<number>();
  visit(parseDocument(text), {
    Scalar(_key, node) {
      const m = typeof node.value === 'string' ? LISTEN.exec(node.value) : null;
      if (m) ports.add(Number(m[1]));
    },
  });
  return [...ports].sort((a, b) => a - b);
}

export interface LoopbackRewrite {
  /** Container port the service listens on → loopback port. */
  listen: Record<number, number>;
  /** Other compose services: name → (container port → loopback port). */
  services: Record<string, Record<number, number>>;
  /** Every service name in compose.yaml: an address of one without a mapping is an error. */
  composeServices: string[];
}

/** A config text moved to loopback (see the file comment); returns it with a list of the rewrites. */
export function loopbackConfig(text: string, map: LoopbackRewrite): { text: string; rewrites: string[] } {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`config is not valid YAML: ${doc.errors[0]!.message}`);
  const rewrites: string[] = [];
  const rewrite = (value: string): string => {
    const listen = LISTEN.exec(value);
    if (listen) {
      const to = map.listen[Number(listen[1])];
      if (to === undefined) throw new Error(`config listens on ${value}, which the harness did not map`);
      rewrites.push(`${value} → 127.0.0.1:${to}`);
      return `127.0.0.1:${to}`;
    }
    return value.replace(SERVICE_ADDRESS, (whole, host: string, port: string) => {
      if (!map.composeServices.includes(host)) return whole;
      const to = map.services[host]?.[Number(port)];
      if (to === undefined) throw new Error(`config points at ${whole}, which no e2e peer serves`);
      rewrites.push(`${whole} → 127.0.0.1:${to}`);
      return `127.0.0.1:${to}`;
    });
  };
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string') node.value = rewrite(node.value);
    },
  });
  return { text: doc.toString(), rewrites };
}

/** The value of a `--flag=value` or `--flag value` option in a command ([] index of the value). */
export function flagValue(command: string[], flag: string): { value: string; index: number } | undefined {
  for (let i = 0; i < command.length; i++) {
    const arg = command[i]!;
    if (arg === flag && i + 1 < command.length) return { value: command[i + 1]!, index: i + 1 };
    if (arg.startsWith(`${flag}=`)) return { value: arg.slice(flag.length + 1), index: i };
  }
  return undefined;
}

/** The command with a flag's value replaced (keeping the `--flag=value` or `--flag value` form). */
export function withFlag(command: string[], flag: string, value: string): string[] {
  const found = flagValue(command, flag);
  if (!found) return [...command, `${flag}=${value}`];
  const out = [...command];
  out[found.index] = out[found.index]!.startsWith(`${flag}=`) ? `${flag}=${value}` : value;
  return out;
}
