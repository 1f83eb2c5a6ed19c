// Durable file-system steps for the refresh transaction (apply.ts): every change that must survive
// a crash is fsynced, and so is the folder that holds it (a rename or a new name is only durable
// once its folder is). Each mutating step passes through a step hook, which tests use to fail or
// to stop the process at an exact point.
import { constants } from 'node:fs';
import { copyFile, link, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One mutating step of a transaction: its number in this process, what it does, and on which path. */
export interface Step {
  n: number;
  label: string;
  path: string;
}

/** Called before each mutating step; throwing from it makes that step fail (tests). */
export type StepHook = (step: Step) => void | Promise<void>;

/** Numbers the steps of this process and hands each to the hook (if any). */
export class Steps {
  private count = 0;
  constructor(private readonly hook?: StepHook) {}
  async before(label: string, path: string): Promise<void> {
    this.count += 1;
    await this.hook?.({ n: this.count, label, path });
  }
}

/**
 * The test hook of the real bin, from CREATE_INSTRUMENTED_API_TEST_STEP_HOOK. Inert in
 * production: unset (as it always is for users), it returns undefined and no step does anything
 * more than count. `list` prints each step on stderr; `pause:N` prints "cia-step-paused N …" and
 * waits forever before step N, so a test can SIGKILL the process at exactly that point (N counts
 * the steps of the whole process: a recovery and the refresh after it); `pause:LABEL` does the
 * same before the first step of that kind (e.g. `pause:rename`).
 */
export function testStepHookFromEnv(env: NodeJS.ProcessEnv = process.env): StepHook | undefined {
  const value = env.CREATE_INSTRUMENTED_API_TEST_STEP_HOOK;
  if (!value) return undefined;
  const pauseAt = /^pause:([\w-]+)$/.exec(value)?.[1];
  let n = 0;
  return async ({ label, path }) => {
    n += 1;
    if (value === 'list') process.stderr.write(`cia-step ${n} ${label} ${path}\n`);
    else if (pauseAt !== undefined && (String(n) === pauseAt || label === pauseAt)) {
      process.stderr.write(`cia-step-paused ${n} ${label} ${path}\n`);
      await new Promise(() => setInterval(() => undefined, 60_000));
    }
  };
}

/**
 * fsync a folder, so the names created, renamed or removed in it are on disk. A folder that is
 * gone (removed by the transaction) is recorded in its parent: that one is synced instead.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && dirname(dir) !== dir) return syncDir(dirname(dir));
    // Some platforms (Windows) and file systems cannot open or fsync a folder: best effort there.
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle?.close();
  }
}

/** fsync every folder of `paths` (each once). */
export async function syncDirsOf(paths: Iterable<string>): Promise<void> {
  for (const dir of new Set([...paths].map((path) => dirname(path)))) await syncDir(dir);
}

/** Writes a new file (it must not exist), with `mode` if given, and fsyncs it. */
export async function writeNewFile(path: string, content: string, mode?: number): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `content` atomically and durably: a temp file next to it, fsynced, renamed
 * over it, folder fsynced. A crash leaves the old file or the new one, never a part; the temp name
 * (`path` + ".tmp") is litter that the next writer removes first.
 */
export async function replaceFile(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await rm(tmp, { force: true });
  await writeNewFile(tmp, content);
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/**
 * A backup of `path` at `bak` that costs nothing: a hard link to the same file (the rename that
 * replaces `path` later leaves it holding the old content). Where hard links are not supported,
 * a copy, fsynced.
 */
export async function backUp(path: string, bak: string): Promise<void> {
  try {
    await link(path, bak);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'ENOSYS') throw error;
    await copyFile(path, bak, constants.COPYFILE_EXCL);
    const handle = await open(bak, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
