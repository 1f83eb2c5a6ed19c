// Process management for the e2e suite: every child runs in its own process group (detached =
// setsid), is registered while alive, and is killed as a group on stop, on timeout, on SIGINT/SIGTERM
// of the harness and, as a last resort, synchronously on process exit. Output goes to a log file so
// failures can quote it without flooding the terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Registers a child spawned elsewhere (detached) so that stopAll and the exit handler reach it too. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
    killGroup(child, 'SIGKILL');
  });
}

/** Synchronous last resort: SIGKILL every process group still registered. */
export function killAllNow(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
}

/** Kill everything still running (SIGTERM, then SIGKILL after graceMs). */
export async function stopAll(graceMs = 3000): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child, graceMs)));
}

let handlersInstalled = false;
/** SIGINT/SIGTERM of the harness: stop every child, then exit 130/143. */
export function installSignalHandlers(onSignal?: (signal: NodeJS.Signals) => void): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const handle = (signal: NodeJS.Signals) => {
    onSignal?.(signal);
    void stopAll(2000).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    // A second signal, or a stuck stop, must not keep the harness alive.
    setTimeout(() => {
      killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }, 4000).unref();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.on('exit', killAllNow);
}

export function tailOfFile(path: string, lines = 20): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Last non-empty line of a log, trimmed to one short line (for one-line failure reasons). */
export function lastLine(path: string, pattern?: RegExp): string {
  const lines = tailOfFile(path, 200).split('\n');
  const hit = pattern ? [...lines].reverse().find((l) => pattern.test(l)) : undefined;
  return oneLine(hit ?? lines[lines.length - 1] ?? '');
}

export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface Started {
  child: ChildProcess;
  pid: number;
  log: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited: () => boolean;
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Log file; stdout and stderr are both appended to it. */
  log: string;
}

/** Start a long-running process in its own process group, output appended to opts.log. */
export function start(cmd: string, args: string[], opts: StartOptions): Started {
  const fd = openSync(opts.log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  live.add(child);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (err) => {
      done = true;
      live.delete(child);
      resolve({ code: 127, signal: null });
      void err;
    });
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      // The main process is gone; take whatever it left in its group with it.
      killGroup(child, 'SIGKILL');
      resolve({ code, signal });
    });
  });
  return { child, pid: child.pid ?? -1, log: opts.log, exited, hasExited: () => done };
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!live.has(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([gone, timer])) === 'timeout') {
    killGroup(child, 'SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
  live.delete(child);
}

/** Stop one started process (its whole group): SIGTERM, then SIGKILL after graceMs. */
export async function stop(started: Started, graceMs = 3000): Promise<void> {
  if (started.hasExited()) return;
  await stopChild(started.child, graceMs);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
}

/** Run a command to completion with a hard timeout (the whole group is killed when it expires). */
export async function run(
  cmd: string,
  args: string[],
  opts: StartOptions & { timeoutMs: number },
): Promise<RunResult> {
  const t0 = performance.now();
  const p = start(cmd, args, opts);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(p, 2000);
  }, opts.timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  return { code, signal, timedOut, ms: performance.now() - t0 };
}

/** Run a command and capture stdout (stderr goes to the log); bounded. */
export async function capture(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: string; timeoutMs: number },
): Promise<RunResult & { stdout: string }> {
  const t0 = performance.now();
  const fd = openSync(opts.log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', fd] });
  } finally {
    closeSync(fd);
  }
  live.add(child);
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopChild(child, 2000);
  }, opts.timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => {
      child.once('error', () => resolve({ code: 127, signal: null }));
      child.once('close', (c, s) => resolve({ code: c, signal: s }));
    },
  );
  clearTimeout(timer);
  live.delete(child);
  killGroup(child, 'SIGKILL');
  return { code, signal, timedOut, ms: performance.now() - t0, stdout: Buffer.concat(chunks).toString('utf8') };
}

export function describeExit(r: RunResult, timeoutMs?: number): string {
  if (r.timedOut) return `timed out after ${((timeoutMs ?? r.ms) / 1000).toFixed(0)} s`;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.code === 127) return 'command not found';
  return `exit ${r.code}`;
}
