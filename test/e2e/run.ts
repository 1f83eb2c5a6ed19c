// `npm run e2e -- [framework ...] [--keep]`
//
// For each framework: generate a project, install it, run its own tests and linters, read a trace
// back from a real Jaeger v2 (development settings) and from the Datadog APM test agent (staging
// settings from the rendered manifests), then 1,000 requests with the backend down and a timed
// SIGTERM. Prints per framework (stdout, for scripts):
//
//   e2e fastapi: tests=ok jaeger=ok datadog=ok (41.2 s)
//   spm fastapi: latencies=ok calls=ok errors=ok
//   trace visible fastapi: 412 ms
//   prometheus down fastapi: ok
//   resilience fastapi: 1000/1000 ok with backend down
//
// then, against a real kube-apiserver (apiserver.ts), for the chosen frameworks × the matrix's answer
// sets:
//
//   apiserver peer: ok (…what the server was seen to warn about and reject…)
//   apiserver: 96 objects applied (server dry-run), 0 warnings, 0 rejected
//   refresh apiserver: ok (…)
//
// and the README's two "Start here" commands in a fresh clone (readme.ts):
//
//   readme: create=ok test=ok (312.0 s)
//
// a failing part reads `=fail` (or `fail`), followed by an indented `  <part>: <one-line reason>`; at
// the end `N passed, N failed` (10 checks per framework, 11 for go: tests, jaeger, datadog, datadog-native, (sampling), latencies, calls,
// errors, trace visible, prometheus down, resilience; 3 for the API server, 2 for the README). Exit 0
// only when everything passed. Progress and
// details go to stderr. Work happens in a temp dir, removed when everything passed (kept, with all
// logs, on failure or with --keep / E2E_KEEP=1).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRAMEWORKS } from '../../generators/shared/options.js';
import { runApiserverChecks, type ApiserverResult } from './apiserver.js';
import { ADAPTERS, implemented } from './frameworks/index.js';
import type { FrameworkAdapter } from './frameworks/types.js';
import { installSignalHandlers, stopAll } from './lib/proc.js';
import { peerBinary, type PeerName } from './peers/setup.js';
import { checkReadme, type ReadmeResult } from './readme.js';
import { runFramework, SAMPLE_RATE, SAMPLING_REQUESTS, type FrameworkResult, type Part } from './suite.js';
import { missingPrerequisites } from '../tools/prerequisites.js';

const USAGE = `usage: npm run e2e -- [framework ...] [readme] [--keep] [--apiserver-only]
frameworks: ${ADAPTERS.map((a) => a.name).join(', ')}, each run and then checked by the API server;
readme: the README's two "Start here" commands in a fresh clone
(default: every implemented framework, the API server checks, then readme)`;

interface Args {
  adapters: FrameworkAdapter[];
  readme: boolean;
  keep: boolean;
  /** Only the API server checks (for the chosen frameworks), not the per-framework runs. */
  apiserverOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  let keep = process.env.E2E_KEEP === '1';
  let apiserverOnly = false;
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--keep') keep = true;
    else if (arg === '--apiserver-only') apiserverOnly = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) {
      console.error(`unknown option ${arg}\n${USAGE}`);
      process.exit(2);
    } else names.push(...arg.split(',').filter(Boolean));
  }
  if (names.length === 0) return { adapters: ADAPTERS.filter(implemented), readme: !apiserverOnly, keep, apiserverOnly };
  const readme = names.includes('readme');
  const adapters = names.filter((n) => n !== 'readme').map((n) => {
    const a = ADAPTERS.find((x) => x.name === n);
    if (!a) {
      console.error(`unknown framework "${n}"\n${USAGE}`);
      process.exit(2);
    }
    return a;
  });
  return { adapters: adapters.length > 0 || readme ? adapters : ADAPTERS.filter(implemented), readme, keep, apiserverOnly };
}

/** Frameworks run at once (E2E_CONCURRENCY): two, one per core of the machines this runs on. */
const CONCURRENCY = Math.max(1, Number(process.env.E2E_CONCURRENCY) || 2);

/** Runs the functions given to it at most `n` at a time, in the order given. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return (fn) =>
    new Promise((resolve, reject) => {
      const go = () => {
        active++;
        fn()
          .then(resolve, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < n) go();
      else waiting.push(go);
    });
}

function partText(name: string, p: Part): string {
  return `${name}=${p.ok ? 'ok' : 'fail'}`;
}

function report(r: FrameworkResult): { passed: number; failed: number } {
  const parts: Array<[string, Part]> = [
    ['tests', r.tests],
    ['jaeger', r.jaeger],
    ['datadog', r.datadog],
  ];
  console.log(`e2e ${r.framework}: ${parts.map(([n, p]) => partText(n, p)).join(' ')} (${r.seconds.toFixed(1)} s)`);
  for (const [n, p] of parts) if (!p.ok) console.log(`  ${n}: ${p.reason}`);
  console.log(`e2e ${r.framework} datadog-native: ${r.native.ok ? 'ok' : 'fail'}`);
  if (!r.native.ok) console.log(`  datadog-native: ${r.native.reason}`);
  const extra: Part[] = [r.native];
  if (r.sampling) {
    const s = r.sampling;
    const count = s.arrived === undefined ? '' : ` (${s.arrived}/${SAMPLING_REQUESTS} traces at rate ${SAMPLE_RATE})`;
    console.log(`e2e ${r.framework} sampling: ${s.ok ? 'ok' : 'fail'}${count}`);
    if (!s.ok) console.log(`  sampling: ${s.reason}`);
    extra.push(s);
  }
  const spm: Array<[string, Part]> = [
    ['latencies', r.monitor.spm.latencies],
    ['calls', r.monitor.spm.calls],
    ['errors', r.monitor.spm.errors],
  ];
  console.log(`spm ${r.framework}: ${spm.map(([n, p]) => partText(n, p)).join(' ')}`);
  for (const [n, p] of spm) if (!p.ok) console.log(`  ${n}: ${p.reason}`);
  const visible = r.monitor.traceVisible;
  console.log(`trace visible ${r.framework}: ${visible.ok ? `${visible.medianMs!.toFixed(0)} ms` : 'fail'}`);
  if (!visible.ok) console.log(`  trace visible: ${visible.reason}`);
  const down = r.monitor.prometheusDown;
  console.log(`prometheus down ${r.framework}: ${down.ok ? 'ok' : 'fail'}`);
  if (!down.ok) console.log(`  prometheus down: ${down.reason}`);
  const signals: Array<[string, Part]> = [
    ['metrics', r.signals.metrics],
    ['logs', r.signals.logs],
    ['correlated', r.signals.correlated],
  ];
  console.log(`signals ${r.framework}: ${signals.map(([n, p]) => partText(n, p)).join(' ')}`);
  for (const [n, p] of signals) if (!p.ok) console.log(`  ${n}: ${p.reason}`);
  const sul = r.monitor.shutdownUnderLoad;
  console.log(`shutdown under load ${r.framework}: ${sul.ok ? '' : 'fail '}${sul.responses} responses, ${sul.traces} traces in Jaeger`);
  if (!sul.ok) console.log(`  shutdown under load: ${sul.reason}`);
  const res = r.resilience;
  console.log(
    `resilience ${r.framework}: ${res.ok ? '' : 'fail '}${res.okCount}/${res.total} ok with backend down`,
  );
  if (!res.ok) console.log(`  resilience: ${res.reason}`);
  const all = [...parts.map(([, p]) => p), ...extra, ...spm.map(([, p]) => p), visible, down, ...signals.map(([, p]) => p), sul, res];
  const passed = all.filter((p) => p.ok).length;
  return { passed, failed: all.length - passed };
}

function reportApiserver(r: ApiserverResult): { passed: number; failed: number } {
  console.log(`apiserver peer: ${r.peer.ok ? `ok (${r.peer.summary})` : 'fail'}`);
  if (!r.peer.ok) console.log(`  peer: ${r.peer.reason}`);
  const a = r.apply;
  console.log(`apiserver: ${a.objects} objects applied (server dry-run), ${a.warnings} warnings, ${a.rejected} rejected`);
  if (!a.ok) console.log(`  apiserver: ${a.reason}`);
  console.log(`refresh apiserver: ${r.refresh.ok ? `ok (${r.refresh.summary})` : 'fail'}`);
  if (!r.refresh.ok) console.log(`  refresh: ${r.refresh.reason}`);
  const passed = [r.peer, a, r.refresh].filter((p) => p.ok).length;
  return { passed, failed: 3 - passed };
}

function reportReadme(r: ReadmeResult): { passed: number; failed: number } {
  const parts: Array<[string, Part]> = [
    ['create', r.create],
    ['test', r.test],
  ];
  console.log(`readme: ${parts.map(([n, p]) => partText(n, p)).join(' ')} (${r.seconds.toFixed(1)} s)`);
  for (const [n, p] of parts) if (!p.ok) console.log(`  ${n}: ${p.reason}`);
  if (r.testSummary) console.log(`  npm test in the clone: ${r.testSummary}`);
  // What failed, as vitest reported it (the whole output stays in the kept work dir).
  for (const line of r.testFailures ?? []) console.log(`    ${line}`);
  const passed = parts.filter(([, p]) => p.ok).length;
  return { passed, failed: parts.length - passed };
}

async function main(): Promise<number> {
  const { adapters, readme, keep, apiserverOnly } = parseArgs(process.argv.slice(2));
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    for (const line of missing) console.error(`e2e: ${line}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (adapters.length === 0 && !readme) {
    console.log('e2e: no implemented framework found under templates/');
    console.log('0 passed, 1 failed');
    return 1;
  }
  installSignalHandlers((signal) => console.error(`\ne2e: ${signal}: stopping everything it started`));

  const root = mkdtempSync(join(tmpdir(), 'cia-e2e-'));
  const peerLogs = join(root, 'peers');
  mkdirSync(peerLogs, { recursive: true });
  const t0 = performance.now();
  console.error(`e2e: frameworks ${adapters.map((a) => a.name).join(', ')}; work dir ${root}`);

  // Start every peer's setup now (cached: instant; cold: Jaeger, Prometheus and the control plane
  // build while projects install and run; the API server checks come after the frameworks).
  const apiserverPeers: PeerName[] = ['kustomize', 'kubernetes', 'etcd', 'datadog-operator-crd'];
  const peers: PeerName[] =
    adapters.length === 0
      ? []
      : apiserverOnly
        ? apiserverPeers
        : ['jaeger', 'ddapm-test-agent', 'prometheus', ...apiserverPeers];
  for (const name of peers) {
    void peerBinary(name, peerLogs).then(
      (b) => console.error(`e2e: peer ${name} ready in ${(b.ms / 1000).toFixed(1)} s: ${b.path}`),
      (err: unknown) => console.error(`e2e: peer ${name}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  let passed = 0;
  let failed = 0;
  try {
    // The README's commands first: their `npm test` needs no peer, so on a cold cache the peers above
    // build while it runs, and are ready when the frameworks need them.
    if (readme) {
      const c = reportReadme(await checkReadme(root, (msg) => console.error(`[readme] ${msg}`)));
      passed += c.passed;
      failed += c.failed;
    }
    // Frameworks run CONCURRENCY at a time: one's install or build overlaps another's waits on its
    // peers. Each has its own peers on free ports. Reports print in the order given.
    const slot = limiter(CONCURRENCY);
    const results = (apiserverOnly ? [] : adapters).map((adapter) =>
      slot(() => runFramework(adapter, root, (msg: string) => console.error(`[${adapter.name}] ${msg}`))),
    );
    for (const result of results) {
      const c = report(await result);
      passed += c.passed;
      failed += c.failed;
    }
    if (adapters.length > 0) {
      const frameworks = FRAMEWORKS.filter((f) => adapters.some((a) => a.name === f));
      const c = reportApiserver(await runApiserverChecks(frameworks, root, (msg) => console.error(`[apiserver] ${msg}`)));
      passed += c.passed;
      failed += c.failed;
    }
  } finally {
    await stopAll();
  }
  console.error(`e2e: total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (failed === 0 && !keep) rmSync(root, { recursive: true, force: true });
  else console.error(`e2e: logs and projects kept in ${root}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    console.error(`e2e: harness error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopAll();
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
