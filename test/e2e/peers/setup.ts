// Peer binaries: each comes from its setup script (build or install once, cached outside the repo,
// keyed by version; the script prints the binary path). The harness starts them all at once, early,
// so a cold Jaeger build overlaps project generation; each is awaited where first needed. A script
// that fails is a failure of every check that needs the peer, with the script's last line as reason.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toolPath, type ToolName } from '../../tools/index.js';
import { capture, describeExit, lastLine } from '../lib/proc.js';
import { CACHE_DIR, PEER_SCRIPTS } from '../lib/paths.js';

export type PeerName = 'jaeger' | 'ddapm-test-agent' | 'kustomize' | 'kubernetes' | 'etcd' | 'datadog-operator-crd' | 'prometheus';

/** Peers that are also test tools (test/tools/, pinned in VERSIONS.tools): their path comes from there. */
const TOOLS: Partial<Record<PeerName, { tool: ToolName; file?: string }>> = {
  kustomize: { tool: 'kustomize' },
  // Prometheus and promtool (build-prometheus.sh, beside the other peer scripts), the release the
  // generated compose.yaml pins; the unit tests run its promtool.
  prometheus: { tool: 'prometheus' },
  // A file (the DatadogAgent CRD) from the Operator's Go module, not a binary: nothing is built.
  'datadog-operator-crd': { tool: 'datadog-operator-crd', file: 'datadoghq.com_datadogagents.yaml' },
};

const SCRIPTS: Record<Exclude<PeerName, 'kustomize' | 'datadog-operator-crd' | 'prometheus'>, { script: string; timeoutMs: number }> = {
  // Cold: ~4 min on 2 cores (module download + build); generous bound for slow networks.
  jaeger: { script: 'build-jaeger.sh', timeoutMs: 30 * 60_000 },
  'ddapm-test-agent': { script: 'ddapm-test-agent.sh', timeoutMs: 10 * 60_000 },
  // kube-apiserver + kubectl (prints their folder). Cold: ~5 min on 2 cores when idle, longer while
  // the frameworks install beside it.
  kubernetes: { script: 'build-kubernetes.sh', timeoutMs: 40 * 60_000 },
  etcd: { script: 'build-etcd.sh', timeoutMs: 20 * 60_000 },
};

export interface PeerBinary {
  path: string;
  /** How long the setup script ran (≈0 when cached). */
  ms: number;
}

const pending = new Map<PeerName, Promise<PeerBinary>>();

export function peerBinary(name: PeerName, logDir: string): Promise<PeerBinary> {
  let p = pending.get(name);
  if (!p) {
    p = setup(name, logDir);
    // Avoid unhandled-rejection noise when a peer fails before anyone awaits it.
    p.catch(() => undefined);
    pending.set(name, p);
  }
  return p;
}

async function setup(name: PeerName, logDir: string): Promise<PeerBinary> {
  const tool = TOOLS[name];
  if (tool) {
    const t0 = performance.now();
    const path = await toolPath(tool.tool);
    return { path: tool.file ? join(path, tool.file) : path, ms: performance.now() - t0 };
  }
  const { script, timeoutMs } = SCRIPTS[name as keyof typeof SCRIPTS];
  const path = join(PEER_SCRIPTS, script);
  if (!existsSync(path)) throw new Error(`${name}: setup script ${path} is missing`);
  const log = join(logDir, `peer-${name}.log`);
  const r = await capture('bash', [path], {
    log,
    timeoutMs,
    env: { ...process.env, CIA_CACHE_DIR: CACHE_DIR },
  });
  const out = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || r.timedOut || !out || !existsSync(out)) {
    const why = lastLine(log) || 'no output';
    throw new Error(`${name} setup failed (${describeExit(r, timeoutMs)}): ${why}`);
  }
  return { path: out, ms: r.ms };
}
