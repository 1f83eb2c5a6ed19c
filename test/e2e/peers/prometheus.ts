// A real Prometheus (built from the Go module proxy by build-prometheus.sh) run the way the generated
// compose.yaml runs its prometheus service: the same command, the generated prometheus.yml (scrape
// targets rewritten to loopback), the TSDB (a tmpfs in compose) in the work dir, the web listener
// on 127.0.0.1 on a port found free. Ready when the compose healthcheck passes (promtool check
// healthy, the image's own promtool → the one built beside prometheus).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { composeService, flagValue, loopbackConfig, mountedFile, withFlag } from '../lib/compose-services.js';
import { freePort, http, LOOPBACK, waitFor } from '../lib/net.js';
import { capture, lastLine, start, stop, type Started } from '../lib/proc.js';

/** Where Prometheus listens in its container (its default, which compose.yaml publishes). */
export const PROMETHEUS_CONTAINER_PORT = 9090;

export interface PrometheusInstance {
  port: number;
  /** The rewrites applied to the generated prometheus.yml (for the log). */
  rewrites: string[];
  /** Instant PromQL query → the result vector ([] when empty); throws on an API error. */
  query: (promql: string) => Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop: () => Promise<void>;
  hasExited: () => boolean;
  log: string;
}

export async function startPrometheus(
  binary: string,
  projectDir: string,
  workDir: string,
  logDir: string,
  peers: { services: Record<string, Record<number, number>> },
): Promise<PrometheusInstance> {
  const service = composeService(projectDir, 'prometheus');
  const configFlag = flagValue(service.command, '--config.file');
  if (!configFlag) throw new Error('compose.yaml: the prometheus command has no --config.file');
  const port = await freePort();
  const generated = mountedFile(service, configFlag.value);
  const { text, rewrites } = loopbackConfig(readFileSync(generated, 'utf8'), {
    listen: {},
    services: peers.services,
    composeServices: service.services,
  });
  const dir = join(workDir, 'prometheus');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, basename(generated));
  writeFileSync(config, text);
  let args = withFlag(service.command, '--config.file', config);
  // Container paths on a tmpfs (the TSDB) → folders in the work dir.
  for (const [i, arg] of args.entries()) {
    const m = /^(--[^=]+)=(\/.*)$/.exec(arg);
    if (m && service.tmpfs.includes(m[2]!)) {
      const local = join(dir, m[2]!.replace(/\//g, '_'));
      mkdirSync(local, { recursive: true });
      args[i] = `${m[1]}=${local}`;
    }
  }
  args = withFlag(args, '--web.listen-address', `${LOOPBACK}:${port}`);
  const log = join(logDir, 'prometheus.log');
  let proc: Started | undefined = start(binary, args, {
    log,
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir },
  });
  const started = proc;
  const healthcheck = healthcheckCommand(service.healthcheck, dirname(binary), port);
  try {
    await waitFor(
      'prometheus healthy (the compose healthcheck)',
      30_000,
      async (note) => {
        const r = await capture(healthcheck[0]!, healthcheck.slice(1), {
          log: join(logDir, 'prometheus-healthcheck.log'),
          timeoutMs: 5000,
        });
        return r.code === 0 ? true : (note(`${healthcheck.join(' ')}: exit ${r.code}`), undefined);
      },
      { abort: () => (started.hasExited() ? `prometheus exited: ${lastLine(log, /err|fatal/i)}` : undefined) },
    );
  } catch (err) {
    await stop(started);
    throw err;
  }
  return {
    port,
    rewrites,
    log,
    hasExited: () => started.hasExited(),
    async query(promql) {
      const r = await http(`http://${LOOPBACK}:${port}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
        timeoutMs: 5000,
      });
      const body = JSON.parse(r.body) as { status: string; error?: string; data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (r.status !== 200 || body.status !== 'success') throw new Error(`prometheus query ${r.status}: ${body.error ?? r.body.slice(0, 120)}`);
      return (body.data?.result ?? []).map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
    },
    async stop() {
      if (proc) await stop(proc);
      proc = undefined;
    },
  };
}

/**
 * The compose healthcheck (CMD form) run on this machine: the image's tools are the ones built
 * beside prometheus, and its container address 127.0.0.1:9090 is the loopback port in use.
 */
export function healthcheckCommand(test: string[] | undefined, toolsDir: string, port: number): string[] {
  if (!test || test.length === 0) throw new Error('compose.yaml: the prometheus service has no healthcheck (CMD form)');
  const [tool, ...args] = test;
  return [
    join(toolsDir, basename(tool!)),
    ...args.map((a) => a.replace(new RegExp(`\\b(127\\.0\\.0\\.1|localhost):${PROMETHEUS_CONTAINER_PORT}\\b`), `${LOOPBACK}:${port}`)),
  ];
}
