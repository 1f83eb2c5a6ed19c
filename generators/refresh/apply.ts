// Applies a refresh as one transaction: nothing is half-written.
//
//   1. stage:  every new content goes to a temp file next to its target (same folder, so the
//              rename below cannot cross file systems); folders that must exist are created.
//   2. commit: each target that exists is renamed to a backup, then its temp file renamed into
//              place (deletions only rename to the backup).
//   3. clean:  backups are deleted, and folders emptied by deletions removed.
// A failure in 1 or 2 undoes every step taken (backups renamed back, new files and created
// folders removed), so the project is exactly as it was, and the error is rethrown.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export type Op = { kind: 'write'; path: string; content: string } | { kind: 'remove'; path: string };

/** Test hook: called after each step; throwing from it simulates a failure at that point. */
export type StepHook = (step: 'stage' | 'commit', index: number, op: Op) => void | Promise<void>;

interface Staged {
  op: Op;
  abs: string;
  tmp?: string;
  bak?: string;
  /** The backup was taken (target renamed away). */
  backedUp: boolean;
  /** The temp file was renamed into place. */
  placed: boolean;
}

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly cause: unknown,
    /** Set when rolling back failed too: files to restore by hand. */
    readonly leftovers: string[] = [],
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

function inside(root: string, path: string): string {
  const abs = resolve(root, path);
  const rel = relative(root, abs);
  if (!rel || isAbsolute(rel) || rel.split(sep).includes('..'))
    throw new Error(`refusing to touch ${path}: it is outside the project`);
  return abs;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates dir and its missing parents, returning the folders it created (outermost first). */
async function mkdirs(dir: string, root: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (current !== root && !(await exists(current))) {
    missing.unshift(current);
    current = dirname(current);
  }
  for (const folder of missing) {
    await mkdir(folder);
    created.push(folder);
  }
}

export async function applyOps(root: string, ops: readonly Op[], hook?: StepHook): Promise<void> {
  root = resolve(root);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged: Staged[] = [];
  const createdDirs: string[] = [];
  const seen = new Set<string>();

  const rollback = async (cause: unknown): Promise<never> => {
    const leftovers: string[] = [];
    for (const item of [...staged].reverse()) {
      try {
        if (item.placed) await unlink(item.abs);
        if (item.backedUp && item.bak) await rename(item.bak, item.abs);
      } catch {
        leftovers.push(item.bak && item.backedUp ? `${item.bak} → ${item.abs}` : item.abs);
      }
      if (item.tmp && !item.placed) await rm(item.tmp, { force: true }).catch(() => undefined);
    }
    for (const dir of [...createdDirs].reverse()) await rmdir(dir).catch(() => undefined);
    const reason = (cause as Error)?.message ?? String(cause);
    if (leftovers.length > 0)
      throw new ApplyError(`${reason}; restoring failed too, restore by hand: ${leftovers.join(', ')}`, cause, leftovers);
    throw new ApplyError(reason, cause);
  };

  // 1. Stage.
  try {
    for (const [index, op] of ops.entries()) {
      const abs = inside(root, op.path);
      if (seen.has(abs)) throw new Error(`${op.path} is changed twice in one refresh`);
      seen.add(abs);
      const item: Staged = { op, abs, backedUp: false, placed: false };
      let current: Awaited<ReturnType<typeof lstat>> | undefined;
      try {
        current = await lstat(abs);
      } catch {
        current = undefined;
      }
      if (current?.isDirectory()) throw new Error(`${op.path} is a folder, where a file is expected: move it away`);
      if (op.kind === 'write') {
        await mkdirs(dirname(abs), root, createdDirs);
        item.tmp = `${abs}.cia-tmp-${token}`;
        staged.push(item);
        await writeFile(item.tmp, op.content, { flag: 'wx' });
        if (current?.isFile()) await chmod(item.tmp, current.mode & 0o7777);
      } else {
        if (!current) continue; // already gone
        staged.push(item);
      }
      if (current) item.bak = `${abs}.cia-bak-${token}`;
      await hook?.('stage', index, op);
    }
  } catch (error) {
    await rollback(error);
  }

  // 2. Commit.
  try {
    for (const [index, item] of staged.entries()) {
      if (item.bak) {
        await rename(item.abs, item.bak);
        item.backedUp = true;
      }
      if (item.tmp) {
        await rename(item.tmp, item.abs);
        item.placed = true;
      }
      await hook?.('commit', index, item.op);
    }
  } catch (error) {
    await rollback(error);
  }

  // 3. Clean up: past the point of no return, so failures here only leave litter.
  for (const item of staged) if (item.bak) await rm(item.bak, { force: true }).catch(() => undefined);
  const emptied = new Set<string>();
  for (const item of staged) if (item.op.kind === 'remove') emptied.add(dirname(item.abs));
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) await removeEmptyDirs(dir, root);
}

async function removeEmptyDirs(dir: string, root: string): Promise<void> {
  let current = dir;
  while (current !== root && current.startsWith(root + sep)) {
    try {
      if (!(await stat(current)).isDirectory() || (await readdir(current)).length > 0) return;
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}

/** Reads the given project files; absent files are left out. */
export async function readFiles(root: string, paths: Iterable<string>): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const path of paths) {
    const abs = inside(resolve(root), path);
    let content: string;
    try {
      content = await readFile(abs, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      if (code === 'EISDIR') throw new Error(`${path} is a folder, where a file is expected: move it away`);
      throw error;
    }
    result.set(path, content);
  }
  return result;
}
