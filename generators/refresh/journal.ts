// The journal of a refresh transaction: .create-instrumented-api/journal.json, present only while a
// refresh writes (or after one was killed). It names every temp file, backup and folder the
// transaction may create, so the next run can finish or undo it without searching the project.
// Written atomically (temp file, fsync, rename, folder fsync): it is absent or whole, never half.
//
//   state "prepare"   temp files and backups are being made; the project files are untouched
//                     → the next run removes them (undo)
//   state "commit"    everything is staged and on disk; renames are under way
//                     → the next run finishes the renames (redo)
//   state "rollback"  a commit failed and is being undone → the next run finishes the undo
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { isSafeProjectPath, STATE_PATHS } from '../shared/state.js';
import { replaceFile } from './disk.js';

export const JOURNAL_PATH = '.create-instrumented-api/journal.json';
const JOURNAL_FORMAT = 1;

export type JournalState = 'prepare' | 'commit' | 'rollback';

export interface JournalOp {
  kind: 'write' | 'remove';
  path: string;
  /** write: the staged content's temp file. */
  tmp?: string;
  /** The backup of the file there before (absent: there was none). */
  bak?: string;
  /** write: sha256 of the new content. */
  after?: string;
  /** remove: sha256 of the content to remove (a file changed since is left alone). */
  before?: string;
}

export interface Journal {
  format: number;
  state: JournalState;
  token: string;
  ops: JournalOp[];
  /** Folders the transaction creates, outermost first. */
  createdDirs: string[];
  /** What the caller reports once the transaction is done (refresh: its report and output). */
  result?: unknown;
}

export const tmpName = (path: string, token: string) => `${path}.cia-tmp-${token}`;
export const bakName = (path: string, token: string) => `${path}.cia-bak-${token}`;

export async function writeJournal(root: string, journal: Journal): Promise<void> {
  await replaceFile(join(root, JOURNAL_PATH), `${JSON.stringify(journal, null, 1)}\n`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const HASH = /^[0-9a-f]{64}$/;
/** A path the journal may name: a project path or a state file (both are written by a refresh). */
const safe = (path: unknown): path is string =>
  typeof path === 'string' && (isSafeProjectPath(path) || STATE_PATHS.includes(path));

/**
 * The journal of an interrupted refresh, or undefined when there is none. Checked strictly: it
 * names only paths inside the project and temp/backup names derived from them, so even a
 * hand-edited journal cannot make recovery touch anything else.
 */
export async function readJournal(root: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, JOURNAL_PATH), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`cannot read ${JOURNAL_PATH} (${(error as NodeJS.ErrnoException).code}): fix its permissions and run again`);
  }
  const corrupt = (why: string) =>
    new UsageError(
      `the journal of an interrupted refresh, ${JOURNAL_PATH}, is corrupt (${why}): check the project with git status, delete the journal and any *.cia-tmp-* / *.cia-bak-* files, then run again`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  if (!isObject(data)) throw corrupt('not an object');
  if (typeof data.format === 'number' && data.format > JOURNAL_FORMAT)
    throw new UsageError(
      `${JOURNAL_PATH} was written by a newer create-instrumented-api: finish the interrupted refresh with that version`,
    );
  if (data.format !== JOURNAL_FORMAT) throw corrupt('unknown format');
  if (data.state !== 'prepare' && data.state !== 'commit' && data.state !== 'rollback') throw corrupt('unknown state');
  const token = data.token;
  if (typeof token !== 'string' || !/^\d+-[0-9a-f]{8}$/.test(token)) throw corrupt('bad token');
  if (!Array.isArray(data.ops) || !Array.isArray(data.createdDirs)) throw corrupt('no operations');
  const ops: JournalOp[] = data.ops.map((op: unknown) => {
    if (!isObject(op) || (op.kind !== 'write' && op.kind !== 'remove') || !safe(op.path)) throw corrupt('bad operation');
    const path = op.path;
    if (op.tmp !== undefined && op.tmp !== tmpName(path, token)) throw corrupt(`bad temp file for ${path}`);
    if (op.bak !== undefined && op.bak !== bakName(path, token)) throw corrupt(`bad backup for ${path}`);
    if (op.kind === 'write' && (op.tmp === undefined || typeof op.after !== 'string' || !HASH.test(op.after)))
      throw corrupt(`bad write of ${path}`);
    if (op.kind === 'remove' && (op.bak === undefined || typeof op.before !== 'string' || !HASH.test(op.before)))
      throw corrupt(`bad removal of ${path}`);
    return op as unknown as JournalOp;
  });
  if (!data.createdDirs.every((dir: unknown) => typeof dir === 'string' && isSafeProjectPath(dir))) throw corrupt('bad folder');
  return { format: JOURNAL_FORMAT, state: data.state, token, ops, createdDirs: data.createdDirs as string[], result: data.result };
}
