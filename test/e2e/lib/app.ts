// Booting a generated app on loopback: shared by the e2e suite and the overhead benchmark.
import type { FrameworkAdapter, Project } from '../frameworks/types.js';
import { freePort, http, LOOPBACK, waitFor } from './net.js';
import { lastLine, start, stop, type Started } from './proc.js';

const APP_READY_MS = 60_000;

/** A minimal environment plus the app's settings: nothing from the caller's shell leaks in. */
export function appEnv(settings: Map<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
  };
  if (process.env.GOCACHE) env.GOCACHE = process.env.GOCACHE;
  if (process.env.GOPATH) env.GOPATH = process.env.GOPATH;
  for (const [k, v] of settings) env[k] = v;
  return { ...env, ...extra };
}

export interface App {
  proc: Started;
  base: string;
  log: string;
}

/**
 * Starts the app on a free loopback port with `env` and waits (bounded) until its health path
 * answers 200; stops it again if it never does. `pinCpu` runs it under taskset (which execs, so
 * the pid stays the app's); `probeExample` also requires one 200 from the example route.
 */
export async function bootApp(
  adapter: FrameworkAdapter,
  project: Project,
  env: NodeJS.ProcessEnv,
  log: string,
  options: { pinCpu?: number; probeExample?: boolean } = {},
): Promise<App> {
  const port = await freePort();
  const spec = adapter.start(project, LOOPBACK, port);
  const listen: Record<string, string> = {};
  if (adapter.listenEnv.port) listen[adapter.listenEnv.port] = String(port);
  if (adapter.listenEnv.host) listen[adapter.listenEnv.host] = LOOPBACK;
  const [cmd, args] =
    options.pinCpu === undefined
      ? [spec.cmd, spec.args]
      : ['taskset', ['-c', String(options.pinCpu), spec.cmd, ...spec.args]];
  const proc = start(cmd, args, { cwd: project.dir, env: { ...env, ...listen, ...(spec.env ?? {}) }, log });
  const base = `http://${LOOPBACK}:${port}`;
  try {
    await waitFor(
      `app ready (${adapter.healthPath})`,
      APP_READY_MS,
      async (note) => {
        const r = await http(base + adapter.healthPath, { timeoutMs: 2000 });
        return r.status === 200 ? true : (note(`${adapter.healthPath} ${r.status}`), undefined);
      },
      { abort: () => (proc.hasExited() ? `app exited: ${lastLine(log, /error|exception|fatal|panic/i)}` : undefined) },
    );
    if (options.probeExample) {
      const probe = await http(base + adapter.examplePath, { timeoutMs: 5000 });
      if (probe.status !== 200) throw new Error(`GET ${adapter.examplePath} → ${probe.status}`);
    }
  } catch (error) {
    await stop(proc);
    throw error;
  }
  return { proc, base, log };
}
