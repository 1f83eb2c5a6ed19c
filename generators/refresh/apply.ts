// Applies a refresh as one transaction that survives a crash (SIGKILL, power loss) at any point:
// the project ends in its state before or after the refresh, and where a crash leaves it between
// the two, the next refresh finishes or undoes the transaction first (recover()).
//
//   0. check    every path: inside the project, no symbolic link on the way out of it, no folder
//               where a file goes, no file where a folder goes. Nothing is written before this.
//   1. prepare  journal (journal.ts) in state "prepare", naming every temp file, backup and folder
//               the transaction may create; then new folders, the new content in temp files next
//               to their targets, and backups of the files to replace or delete (hard links);
//               all fsynced, folders too.
//   2. commit   journal rewritten atomically in state "commit": the point of no return. Then each
//               temp file is renamed over its target (atomic per file) and deleted files unlinked.
//   3. finish   backups and folders emptied by deletions removed, then the journal.
// A crash in 1 leaves the project untouched plus litter the journal names; in 2 or 3, everything
// needed to finish is on disk. A failure (not a crash) in 1 or 2 undoes every step taken: the
// journal goes to state "rollback" first, so a crash during the undo is finished by the next run.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { sha256 } from '../shared/state.js';
import { backUp, Steps, syncDir, syncDirsOf, writeNewFile, type StepHook } from './disk.js';
import { bakName, JOURNAL_PATH, readJournal, tmpName, writeJournal, type Journal, type JournalState } from './journal.js';

export type { StepHook } from './disk.js';

export type Op = { kind: 'write'; path: string; content: string } | { kind: 'remove'; path: string };

export interface ApplyOptions {
  /** Called before each mutating step (tests: fail or stop at that point). */
  hook?: StepHook;
  /** Kept in the journal: what the next run reports if it has to finish this transaction. */
  result?: unknown;
}

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly cause: unknown,
    /** False when undoing failed too: the next refresh finishes the undo (the journal says how). */
    readonly undone = true,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}

function inside(root: string, path: string): string {
  const abs = resolve(root, path);
  const rel = relative(root, abs);
  if (!rel || isAbsolute(rel) || rel.split(sep).includes('..'))
    throw new UsageError(`refusing to touch ${path}: it is outside the project`);
  return abs;
}

const within = (root: string, path: string) => path === root || path.startsWith(root + sep);

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * The absolute path of a project path, checked: lexically inside the project, and no symbolic
 * link on the way (a folder of the path, or the file itself) that leads outside it. Refresh never
 * reads or writes through such a link.
 */
export async function projectPath(root: string, path: string, rootReal?: string): Promise<string> {
  const abs = inside(root, path);
  const real = rootReal ?? (await realpath(root));
  let current = root;
  for (const segment of relative(root, abs).split(sep)) {
    current = join(current, segment);
    const entry = await lstatOrUndefined(current);
    if (!entry) break; // the rest does not exist yet
    if (!entry.isSymbolicLink()) continue;
    const target = await realpath(current).catch(async () => resolve(dirname(current), await readlink(current)));
    if (!within(real, target)) {
      const link = relative(root, current);
      throw new UsageError(
        link === path
          ? `${path} is a symbolic link to ${target}, outside the project: refresh never writes through it; replace the link with a regular file, or pass --exclude ${path}`
          : `${path} is inside ${link}, a symbolic link to ${target}, outside the project: refresh never writes through it; replace the link with a real folder, or pass --exclude ${link}/`,
      );
    }
  }
  return abs;
}

/** A file system error, as one line that names the file and the fix. */
function oneLine(error: unknown, root: string): Error {
  if (error instanceof UsageError || error instanceof ApplyError) return error;
  const { code, path } = error as NodeJS.ErrnoException;
  const file = path ? relative(root, path) || '.' : 'the project';
  if (code === 'EACCES' || code === 'EPERM')
    return new UsageError(`cannot write ${file} (permission denied): make the project writable for your user (chmod -R u+w ${root}), then run again`);
  if (code === 'EROFS') return new UsageError(`cannot write ${file}: the file system is read-only; refresh a writable copy`);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new UsageError(`no space left on the device while writing ${file}: free some space, then run again`);
  return error as Error;
}

interface Checked {
  journal: Journal;
  contents: Map<string, string>;
  modes: Map<string, number>;
}

/** Step 0: checks every operation and works out the journal. Reads only. */
async function check(root: string, ops: readonly Op[], result: unknown): Promise<Checked> {
  const rootReal = await realpath(root);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const journal: Journal = { format: 1, state: 'prepare', token, ops: [], createdDirs: [], result };
  const contents = new Map<string, string>();
  const modes = new Map<string, number>();
  const seen = new Set<string>();
  const created = new Set<string>();
  const writable = new Set<string>();
  for (const op of ops) {
    const abs = await projectPath(root, op.path, rootReal);
    if (seen.has(abs)) throw new Error(`${op.path} is changed twice in one refresh`);
    seen.add(abs);
    const current = await lstatOrUndefined(abs);
    if (current?.isSymbolicLink())
      throw new UsageError(`${op.path} is a symbolic link: refresh replaces only regular files; replace the link with the file, or pass --exclude ${op.path}`);
    if (current?.isDirectory()) throw new UsageError(`${op.path} is a folder, where a file is expected: move it away`);
    if (current && !current.isFile()) throw new UsageError(`${op.path} is not a regular file: move it away`);
    if (op.kind === 'remove') {
      if (!current) continue; // already gone
      writable.add(dirname(abs));
      const before = sha256(await readFile(abs, 'utf8'));
      journal.ops.push({ kind: 'remove', path: op.path, bak: bakName(op.path, token), before });
      continue;
    }
    // Folders to create: up to the nearest one that exists, which must be a folder.
    const missing: string[] = [];
    let dir = dirname(abs);
    while (!(await lstatOrUndefined(dir))) {
      missing.unshift(dir);
      dir = dirname(dir);
    }
    if (!(await stat(dir).catch(() => undefined))?.isDirectory())
      throw new UsageError(`${relative(root, dir)} is a file, where a folder is needed for ${op.path}: move it away`);
    writable.add(dir);
    for (const folder of missing) {
      const rel = relative(root, folder).split(sep).join('/');
      if (!created.has(rel)) journal.createdDirs.push(rel);
      created.add(rel);
    }
    contents.set(op.path, op.content);
    if (current) modes.set(op.path, current.mode & 0o7777);
    journal.ops.push({
      kind: 'write',
      path: op.path,
      tmp: tmpName(op.path, token),
      ...(current ? { bak: bakName(op.path, token) } : {}),
      after: sha256(op.content),
    });
  }
  // The journal's folder holds the base store: it exists in every generated project.
  const journalDir = dirname(join(root, JOURNAL_PATH));
  writable.add((await lstatOrUndefined(journalDir)) ? journalDir : root);
  // Permissions are checked now, so a read-only project fails before the first write.
  for (const dir of writable) {
    await access(dir, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
      const where = relative(root, dir) || '.';
      if (error.code === 'EROFS') throw new UsageError(`cannot write in ${where}: the file system is read-only; refresh a writable copy`);
      throw new UsageError(`cannot write in ${where} (permission denied): make the project writable for your user (e.g. chmod -R u+w .), then run again`);
    });
  }
  return { journal, contents, modes };
}

/**
 * Applies `ops` (see the top of this file). Throws when nothing was changed (UsageError: a refusal
 * naming the fix; ApplyError: a failure, undone). Resolves once the changes are in place, with a
 * warning when the clean-up after them failed (the next run finishes it).
 */
export async function applyOps(root: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<{ warning?: string }> {
  root = resolve(root);
  const steps = new Steps(options.hook);
  const { journal, contents, modes } = await check(root, ops, options.result);
  if (journal.ops.length === 0) return {};
  const at = (path: string) => join(root, path);

  // 1. Prepare.
  try {
    await steps.before('journal-prepare', JOURNAL_PATH);
    await mkdir(dirname(at(JOURNAL_PATH)), { recursive: true });
    await writeJournal(root, journal);
  } catch (error) {
    throw new ApplyError(oneLine(error, root).message, error); // nothing else was written
  }
  try {
    for (const dir of journal.createdDirs) {
      await steps.before('mkdir', dir);
      await mkdir(at(dir));
    }
    await syncDirsOf(journal.createdDirs.map(at));
    for (const op of journal.ops) {
      if (op.tmp) {
        await steps.before('stage', op.tmp);
        await writeNewFile(at(op.tmp), contents.get(op.path)!, modes.get(op.path));
      }
      if (op.bak) {
        await steps.before('backup', op.bak);
        await backUp(at(op.path), at(op.bak));
      }
    }
    await syncDirsOf(journal.ops.map((op) => at(op.path)));
  } catch (error) {
    await undoAfter(error, root, journal, steps, false);
  }

  // 2. Commit: once the journal says "commit", the next run finishes the transaction.
  try {
    await steps.before('journal-commit', JOURNAL_PATH);
    await writeJournal(root, { ...journal, state: 'commit' });
    await redo(root, journal, steps);
  } catch (error) {
    await undoAfter(error, root, journal, steps, true);
  }

  // 3. Finish. The changes are in place: a failure here only leaves the journal, and the next run
  // completes the clean-up.
  try {
    await finish(root, journal, steps);
  } catch (error) {
    return { warning: `the clean-up after the refresh failed (${oneLine(error, root).message}): the next refresh finishes it` };
  }
  return {};
}

/** Undoes a transaction that failed in-process, then throws the failure (as one line). */
async function undoAfter(
  error: unknown,
  root: string,
  journal: Journal,
  steps: Steps,
  committing: boolean,
): Promise<never> {
  const cause = oneLine(error, root);
  try {
    if (committing) await writeJournal(root, { ...journal, state: 'rollback' });
    await undo(root, journal, steps, committing);
  } catch (undoError) {
    throw new ApplyError(
      `${cause.message}; undoing it failed too (${(undoError as Error).message}): run the refresh again to finish undoing it`,
      error,
      false,
    );
  }
  throw new ApplyError(cause.message, error);
}

/** Renames every staged file into place and deletes what is to be deleted (idempotent). */
async function redo(root: string, journal: Journal, steps: Steps): Promise<void> {
  const at = (path: string) => join(root, path);
  for (const op of journal.ops) {
    if (op.kind === 'write') {
      if (!(await lstatOrUndefined(at(op.tmp!)))) continue; // renamed already
      await steps.before('rename', op.path);
      await rename(at(op.tmp!), at(op.path));
    } else {
      const current = await lstatOrUndefined(at(op.path));
      // A file changed since the transaction began is the user's: left alone.
      if (!current?.isFile() || sha256(await readFile(at(op.path), 'utf8')) !== op.before) continue;
      await steps.before('remove', op.path);
      await unlink(at(op.path));
    }
  }
  await syncDirsOf(journal.ops.map((op) => at(op.path)));
}

/** After a commit: removes backups, folders emptied by deletions, then the journal (idempotent). */
async function finish(root: string, journal: Journal, steps: Steps): Promise<void> {
  const at = (path: string) => join(root, path);
  for (const op of journal.ops) {
    if (!op.bak) continue;
    await steps.before('unbackup', op.bak);
    await rm(at(op.bak), { force: true });
  }
  const emptied = [...new Set(journal.ops.filter((op) => op.kind === 'remove').map((op) => dirname(at(op.path))))];
  for (const dir of emptied.sort((a, b) => b.length - a.length)) await removeEmptyDirs(dir, root, steps);
  await syncDirsOf(journal.ops.map((op) => at(op.path)));
  await dropJournal(root, steps);
}

/**
 * Undoes a transaction (idempotent). `restore`: files may have been replaced already (state
 * "rollback"), so backups are renamed back and new files deleted; otherwise (state "prepare") the
 * project files were never touched and only temp files, backups and new folders go.
 */
async function undo(root: string, journal: Journal, steps: Steps, restore: boolean): Promise<void> {
  const at = (path: string) => join(root, path);
  for (const op of [...journal.ops].reverse()) {
    if (restore && op.bak && (await lstatOrUndefined(at(op.bak)))) {
      await steps.before('restore', op.path);
      await rename(at(op.bak), at(op.path)); // a no-op when both are still links to the same file
    } else if (restore && op.kind === 'write' && !op.bak) {
      const current = await lstatOrUndefined(at(op.path));
      if (current?.isFile() && sha256(await readFile(at(op.path), 'utf8')) === op.after) {
        await steps.before('unwrite', op.path);
        await unlink(at(op.path));
      }
    }
    if (op.bak && (await lstatOrUndefined(at(op.bak)))) {
      await steps.before('unbackup', op.bak);
      await rm(at(op.bak), { force: true });
    }
    if (op.tmp && (await lstatOrUndefined(at(op.tmp)))) {
      await steps.before('unstage', op.tmp);
      await rm(at(op.tmp), { force: true });
    }
  }
  await syncDirsOf(journal.ops.map((op) => at(op.path)));
  for (const dir of [...journal.createdDirs].reverse()) {
    if (!(await lstatOrUndefined(at(dir)))) continue;
    await steps.before('rmdir', dir);
    await rmdir(at(dir)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error; // something else is in it now: kept
    });
  }
  await syncDirsOf(journal.createdDirs.map(at));
  await dropJournal(root, steps);
}

/** Removes the journal (and a temp file of a journal write cut short): the transaction is over. */
async function dropJournal(root: string, steps: Steps): Promise<void> {
  const path = join(root, JOURNAL_PATH);
  await rm(`${path}.tmp`, { force: true });
  await steps.before('journal-done', JOURNAL_PATH);
  await rm(path, { force: true });
  await syncDir(dirname(path));
}

/** Removes dir and its parents while they are empty (a folder already gone counts as empty). */
async function removeEmptyDirs(dir: string, root: string, steps: Steps): Promise<void> {
  for (let current = dir; current !== root && within(root, current); current = dirname(current)) {
    let entries: string[];
    try {
      entries = await readdir(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return;
    }
    if (entries.length > 0) return;
    await steps.before('rmdir', relative(root, current));
    await rmdir(current).catch(() => undefined);
  }
}

/** What recover() found and did. */
export interface Recovered {
  /** The state the interrupted transaction was in: "commit" was finished, the others undone. */
  state: JournalState;
  /** Files the transaction wrote or deleted. */
  paths: string[];
  /** The `result` given to applyOps by the interrupted run. */
  result?: unknown;
}

/**
 * Finishes or undoes a transaction that a crash interrupted (see the top of this file); undefined
 * when there was none. Removes a journal temp file left by a crash before the first journal write.
 */
export async function recover(root: string, hook?: StepHook): Promise<Recovered | undefined> {
  root = resolve(root);
  const journal = await readJournal(root);
  if (!journal) {
    await rm(join(root, `${JOURNAL_PATH}.tmp`), { force: true }).catch(() => undefined); // litter, if any
    return undefined;
  }
  const steps = new Steps(hook);
  try {
    if (journal.state === 'commit') {
      await redo(root, journal, steps);
      await finish(root, journal, steps);
    } else await undo(root, journal, steps, journal.state === 'rollback');
  } catch (error) {
    const cause = oneLine(error, root);
    throw new UsageError(`an interrupted refresh could not be ${journal.state === 'commit' ? 'finished' : 'undone'}: ${cause.message}`);
  }
  return { state: journal.state, paths: journal.ops.map((op) => op.path), result: journal.result };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the given project files; absent files are left out. Refuses (one line naming the fix) a
 * folder where a file is expected, a path through a symbolic link leading outside the project, and
 * content that is not UTF-8 text (writing it back would lose bytes).
 */
export async function readFiles(root: string, paths: Iterable<string>): Promise<Map<string, string>> {
  root = resolve(root);
  const rootReal = await realpath(root);
  const result = new Map<string, string>();
  for (const path of paths) {
    const abs = await projectPath(root, path, rootReal);
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      if (code === 'EISDIR') throw new UsageError(`${path} is a folder, where a file is expected: move it away`);
      if (code === 'EACCES' || code === 'EPERM')
        throw new UsageError(`cannot read ${path} (permission denied): make it readable for your user, then run again`);
      throw error;
    }
    try {
      result.set(path, UTF8.decode(bytes));
    } catch {
      throw new UsageError(`${path} is not UTF-8 text: convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8), or pass --exclude ${path}`);
    }
  }
  return result;
}
