// Loopback ports, bounded HTTP and bounded polling.
import { createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether nothing listens on 127.0.0.1:port (nor on the wildcard address) right now. */
export async function portIsFree(port: number): Promise<boolean> {
  const server = await listen(port);
  if (!server) return false;
  await close(server);
  return true;
}

/** n distinct ports the kernel reports free on loopback (held together so they are distinct). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = await listen(0);
      if (!server) throw new Error('cannot bind an ephemeral port on 127.0.0.1');
      servers.push(server);
    }
    return servers.map((s) => {
      const addr = s.address();
      if (addr === null || typeof addr === 'string') throw new Error('unexpected server address');
      return addr.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

export interface HttpResult {
  status: number;
  body: string;
}

/** GET (or other method) with a hard timeout; network errors reject with a short message. */
export async function http(
  url: string,
  opts: { method?: string; timeoutMs?: number; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    body: opts.body,
    headers: opts.headers,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  return { status: res.status, body: await res.text() };
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code}` : cause.message;
    }
    if (err.name === 'TimeoutError') return 'timed out';
    return err.message;
  }
  return String(err);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Poll `probe` until it returns a value (not undefined) or `timeoutMs` passes. `probe` may return
 * undefined with a note (why not yet) via the `note` callback, which becomes part of the timeout
 * error. `abort` is checked each round (e.g. the app exited) and ends the wait early.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: (note: (why: string) => void) => Promise<T | undefined>,
  opts: { intervalMs?: number; abort?: () => string | undefined } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  const note = (why: string) => {
    last = why;
  };
  for (;;) {
    const stop = opts.abort?.();
    if (stop) throw new Error(`${what}: ${stop}`);
    try {
      const value = await probe(note);
      if (value !== undefined) return value;
    } catch (err) {
      last = errorMessage(err);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what} not within ${(timeoutMs / 1000).toFixed(0)} s${last ? ` (last: ${last})` : ''}`);
    }
    await sleep(opts.intervalMs ?? 250);
  }
}
