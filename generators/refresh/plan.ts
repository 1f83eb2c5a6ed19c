// Decides, per file, what a refresh does. Pure: no disk, no clock, so every case is unit-testable
// with plain maps and the whole refresh can be property-tested.
//
//   base    what the tool generated last time for each managed file (from the base store)
//   deleted managed files the user deleted earlier (they stay deleted)
//   ours    the project's files now (only the paths in base ∪ deleted ∪ theirs matter)
//   theirs  the new render
import { merge2, merge3, type ConflictStyle } from './merge.js';

export type Action =
  /** Nothing to do (same content, or only the user changed it). */
  | 'unchanged'
  /** The user never changed it: replaced by the new render. */
  | 'updated'
  /** Changed on both sides, merged cleanly. */
  | 'merged'
  /** Changed on both sides (or a new template file meets a file of the user's): conflicts written. */
  | 'conflicted'
  /** New in the template: written. */
  | 'added'
  /** No longer rendered and never changed: deleted. */
  | 'removed'
  /** No longer rendered but changed by the user: left alone, no longer managed. */
  | 'kept'
  /** Deleted by the user and still rendered: stays deleted. */
  | 'deleted'
  /** Gone on both sides: only forgotten from the state. */
  | 'forgotten';

export interface FilePlan {
  path: string;
  action: Action;
  /** New content to write (absent: the file is not written). */
  write?: string;
  /** Delete the file. */
  remove?: boolean;
  /** Reject file to write (style 'rej'). */
  rej?: { path: string; content: string };
  /** Number of conflict blocks (conflicted only). */
  conflicts?: number;
  /** Conflict without a merge base (a file of the user's was in the way of a new template file). */
  twoWay?: boolean;
}

export interface PlanInput {
  base: ReadonlyMap<string, string>;
  deleted?: Iterable<string>;
  ours: ReadonlyMap<string, string>;
  theirs: ReadonlyMap<string, string>;
  conflictStyle?: ConflictStyle;
}

export interface Plan {
  files: FilePlan[];
  /** Managed files after the refresh and their new merge base (= the new render). */
  newBase: Map<string, string>;
  /** Managed files the user deleted, after the refresh. */
  newDeleted: string[];
}

export const REJ_SUFFIX = '.rej';

export function plan(input: PlanInput): Plan {
  const style = input.conflictStyle ?? 'inline';
  const deleted = new Set(input.deleted ?? []);
  const paths = [...new Set([...input.base.keys(), ...deleted, ...input.theirs.keys()])].sort();
  const files: FilePlan[] = [];
  const newBase = new Map<string, string>();
  const newDeleted: string[] = [];

  for (const path of paths) {
    const base = input.base.get(path);
    const theirs = input.theirs.get(path);
    // A checkout that turned LF into CRLF (git autocrlf) is not a user change: compare and merge
    // in LF, write back in CRLF.
    const raw = input.ours.get(path);
    const crlf = raw !== undefined && raw.includes('\r\n') && !(base ?? theirs ?? '').includes('\r\n');
    const ours = crlf ? raw!.replace(/\r\n/g, '\n') : raw;
    const eol = (text: string) => (crlf ? text.replace(/\r?\n/g, '\r\n') : text);
    const conflict = (result: ReturnType<typeof merge3>, twoWay: boolean): FilePlan => ({
      path,
      action: 'conflicted',
      ...(result.content !== ours ? { write: eol(result.content) } : {}),
      ...(result.rej !== undefined ? { rej: { path: path + REJ_SUFFIX, content: result.rej } } : {}),
      conflicts: result.conflicts,
      ...(twoWay ? { twoWay } : {}),
    });

    if (base !== undefined) {
      // A managed file.
      if (ours === undefined) {
        // The user deleted it.
        if (theirs !== undefined) {
          files.push({ path, action: 'deleted' });
          newDeleted.push(path);
        } else files.push({ path, action: 'forgotten' });
        continue;
      }
      if (theirs === undefined) {
        // The template no longer renders it.
        files.push(ours === base ? { path, action: 'removed', remove: true } : { path, action: 'kept' });
        continue;
      }
      newBase.set(path, theirs);
      if (ours === theirs || theirs === base) files.push({ path, action: 'unchanged' });
      else if (ours === base) files.push({ path, action: 'updated', write: eol(theirs) });
      else {
        const result = merge3(base, ours, theirs, style, path);
        if (result.clean)
          files.push(result.content === ours ? { path, action: 'unchanged' } : { path, action: 'merged', write: eol(result.content) });
        else files.push(conflict(result, false));
      }
      continue;
    }

    // Not managed: a new template file, or a managed file the user deleted earlier.
    if (theirs === undefined) {
      if (deleted.has(path)) files.push({ path, action: 'forgotten' });
      continue;
    }
    if (ours === undefined) {
      if (deleted.has(path)) {
        files.push({ path, action: 'deleted' });
        newDeleted.push(path);
      } else {
        files.push({ path, action: 'added', write: theirs });
        newBase.set(path, theirs);
      }
      continue;
    }
    // A file of the user's stands where the template now renders one: never overwrite it.
    newBase.set(path, theirs);
    if (ours === theirs) files.push({ path, action: 'unchanged' });
    else files.push(conflict(merge2(ours, theirs, style, path), true));
  }
  return { files, newBase, newDeleted };
}

/** True when a file plan writes or deletes something. */
export function changesDisk(file: FilePlan): boolean {
  return file.write !== undefined || file.remove === true || file.rej !== undefined;
}
