// The app's development settings as compose.yaml gives them: the app service's environment (map or
// list form, plus env_file), interpolated the way compose does from the project's .env file only
// (never from the harness's own environment), then every URL pointing at another compose service
// (e.g. http://jaeger:4318) rewritten to the loopback port where the e2e peer serves that container
// port.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

/** Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])((?:[^{}]|\{[^}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      if (bare) return vars[bare] ?? '';
      const v = vars[name!];
      const unsetOrEmpty = v === undefined || (colon === ':' && v === '');
      switch (op) {
        case '-':
          return unsetOrEmpty ? interpolate(arg ?? '', vars) : v!;
        case '?':
          if (unsetOrEmpty) throw new Error(`compose: required variable ${name} is not set (${arg ?? ''})`);
          return v!;
        case '+':
          return unsetOrEmpty ? '' : interpolate(arg ?? '', vars);
        default:
          return v ?? '';
      }
    },
  );
}

export interface ComposeApp {
  service: string;
  env: Map<string, string>;
  /** Human-readable list of rewrites, e.g. "OTEL_EXPORTER_OTLP_ENDPOINT: jaeger:4318 → 127.0.0.1:41234". */
  rewrites: string[];
}

/**
 * @param peers compose service name → (container port → loopback port), e.g. { jaeger: { 4318: 41234 } }.
 *   A service is matched by name, or by image containing the key (e.g. "jaeger").
 */
export function composeAppEnv(
  projectDir: string,
  appName: string,
  peers: Record<string, Record<number, number>>,
): ComposeApp {
  const file = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']
    .map((f) => join(projectDir, f))
    .find((f) => existsSync(f));
  if (!file) throw new Error('no compose.yaml in the generated project');
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  const services = (doc?.services ?? {}) as Record<string, Json>;
  const names = Object.keys(services);
  const service =
    names.find((n) => n === appName) ??
    names.find((n) => services[n]?.build !== undefined) ??
    (names.length === 1 ? names[0] : undefined);
  if (!service) throw new Error(`compose.yaml: no app service (services: ${names.join(', ') || 'none'})`);
  const svc = services[service]!;
  const dotenvFile = join(projectDir, '.env');
  const vars = existsSync(dotenvFile) ? parseDotenv(readFileSync(dotenvFile, 'utf8')) : {};

  const env = new Map<string, string>();
  const envFiles = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  for (const ef of envFiles as Array<string | Json>) {
    const path = resolve(projectDir, typeof ef === 'string' ? ef : String(ef.path));
    if (!existsSync(path)) {
      if (typeof ef !== 'string' && ef.required === false) continue;
      throw new Error(`compose.yaml: env_file ${path} does not exist`);
    }
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(path, 'utf8')))) env.set(k, v);
  }
  const environment = svc.environment ?? {};
  if (Array.isArray(environment)) {
    for (const item of environment as string[]) {
      const s = interpolate(String(item), vars);
      const eq = s.indexOf('=');
      if (eq < 0) continue; // "VAR" alone passes the host's value through: not part of the settings
      env.set(s.slice(0, eq), s.slice(eq + 1));
    }
  } else {
    for (const [k, v] of Object.entries(environment as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      env.set(k, interpolate(String(v), vars));
    }
  }

  // Map compose service names to the peer port tables.
  const table = new Map<string, Record<number, number>>();
  for (const [name, def] of Object.entries(services)) {
    for (const [key, ports] of Object.entries(peers)) {
      if (name === key || String(def?.image ?? '').includes(key)) table.set(name, ports);
    }
  }
  const rewrites: string[] = [];
  for (const [k, v] of env) {
    const next = v.replace(/\b([a-z0-9][a-z0-9-]*):(\d+)\b/g, (whole, host: string, port: string) => {
      if (!(host in services) || host === service) return whole;
      const ports = table.get(host);
      const mapped = ports?.[Number(port)];
      if (mapped === undefined) {
        throw new Error(`compose env ${k}=${v} points at ${whole}, which no e2e peer serves`);
      }
      rewrites.push(`${k}: ${whole} → 127.0.0.1:${mapped}`);
      return `127.0.0.1:${mapped}`;
    });
    env.set(k, next);
  }
  return { service, env, rewrites };
}
