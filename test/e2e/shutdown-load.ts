// Graceful shutdown under load (issue 13, part 4), on the Monitor stage's app and Jaeger (so no
// extra boot): requests at concurrency 10, each with a traceparent of our own; SIGTERM to the app's
// main process while they are in flight (as Kubernetes does to PID 1); then every request that got
// an answer before the process exited must have its trace in Jaeger: the spans of requests that
// finish during the shutdown are the ones a missing flush would lose.
import { randomBytes } from 'node:crypto';
import type { FrameworkAdapter } from './frameworks/types.js';
import type { App } from './lib/app.js';
import { errorMessage, http, sleep } from './lib/net.js';
import { oneLine } from './lib/proc.js';
import type { JaegerInstance } from './peers/jaeger.js';
import type { Part } from './suite.js';

const CONCURRENCY = 10;
/** Load before the SIGTERM, so that requests are in flight when it lands. */
const LOAD_BEFORE_SIGTERM_MS = 1000;
/** The app must be gone this long after SIGTERM (as in the resilience check). */
const EXIT_LIMIT_MS = 5000;
/** How long the traces may take to be readable once the app is gone. */
const TRACES_WAIT_MS = 10_000;

export type ShutdownUnderLoad = Part & { responses: number; traces: number };

type Log = (msg: string) => void;

export async function checkShutdownUnderLoad(
  app: App,
  adapter: FrameworkAdapter,
  jaeger: JaegerInstance,
  say: Log,
): Promise<ShutdownUnderLoad> {
  if (app.proc.hasExited()) return { ok: false, reason: 'the app had exited before the check', responses: 0, traces: 0 };
  /** trace id → caller span id, for every request answered before the process exited. */
  const answered = new Map<string, string>();
  const statuses = new Map<number, number>();
  let exited = false;
  let afterExit = 0;
  let refused = 0;
  let n = 0;
  const worker = async () => {
    while (!exited) {
      const traceId = randomBytes(16).toString('hex');
      const caller = randomBytes(8).toString('hex');
      const path = adapter.examplePath.replace(/\d+$/, String(100000 + n++));
      try {
        const r = await http(app.base + path, { headers: { traceparent: `00-${traceId}-${caller}-01` }, timeoutMs: 5000 });
        if (app.proc.hasExited()) afterExit++;
        else {
          answered.set(traceId, caller);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      } catch {
        // Refused or reset: the server had stopped accepting; not an answer.
        refused++;
        await sleep(20);
      }
    }
  };
  const load = Array.from({ length: CONCURRENCY }, worker);
  await sleep(LOAD_BEFORE_SIGTERM_MS);
  const before = answered.size;
  const t0 = performance.now();
  if (app.proc.pid > 0) process.kill(app.proc.pid, 'SIGTERM');
  const outcome = await Promise.race([
    app.proc.exited,
    new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), EXIT_LIMIT_MS).unref()),
  ]);
  const exitMs = performance.now() - t0;
  exited = true;
  await Promise.all(load);
  const responses = answered.size;
  say(
    `shutdown under load: ${before} answers before SIGTERM, ${responses - before} during the shutdown, ` +
      `${refused} refused, ${afterExit} after exit; exit ${outcome === 'late' ? `> ${EXIT_LIMIT_MS / 1000} s` : `${(exitMs / 1000).toFixed(2)} s (code ${outcome.code ?? outcome.signal})`}; ` +
      `statuses ${[...statuses].map(([s, c]) => `${c}× ${s}`).join(', ')}`,
  );

  // Every answered request's server span (child of our caller span) must be readable from Jaeger.
  const missing = new Map(answered);
  const until = performance.now() + TRACES_WAIT_MS;
  let lastError = '';
  while (missing.size > 0 && performance.now() < until) {
    const ids = [...missing.keys()];
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + CONCURRENCY).map(async (traceId) => {
          try {
            const spans = await jaeger.trace(traceId);
            if (spans.some((s) => s.kind === 'server' && s.parentSpanId === missing.get(traceId))) missing.delete(traceId);
          } catch (err) {
            lastError = errorMessage(err);
          }
        }),
      );
    }
    if (missing.size > 0) await sleep(500);
  }
  const traces = responses - missing.size;
  const problems: string[] = [];
  if (responses === 0) problems.push('no request was answered');
  if (missing.size > 0)
    problems.push(`${missing.size} answered requests have no trace in Jaeger (e.g. ${[...missing.keys()].slice(0, 2).join(', ')})${lastError ? `; last error: ${lastError}` : ''}`);
  if (outcome === 'late') problems.push(`the app was still running ${EXIT_LIMIT_MS / 1000} s after SIGTERM`);
  // Exit 0, or SIGTERM re-raised once the graceful shutdown is done (uvicorn does that).
  else if (outcome.code !== 0 && outcome.signal !== 'SIGTERM')
    problems.push(`the app exited with ${outcome.code ?? outcome.signal}`);
  return problems.length ? { ok: false, reason: oneLine(problems.join('; '), 300), responses, traces } : { ok: true, responses, traces };
}
