// The refresh as a function of its inputs: saved state + new answers + new render + files now →
// the operations to apply and the report. No disk access (apply.ts does that), so a version bump
// can be tested by feeding it the render of another template set.
import type { Op } from './apply.js';
import { hasConflictMarkers, type ConflictStyle } from './merge.js';
import { plan, type Action, type FilePlan, type Plan } from './plan.js';
import { BASE_STORE_PATH, generationState, YO_RC_PATH, type ProjectState, type StateEntry } from '../shared/state.js';

export interface RefreshInput {
  state: ProjectState;
  /** The answers to save (saved answers, changed by flags, new ones filled in). */
  answers: object;
  /** The new render. */
  theirs: ReadonlyMap<string, string>;
  /** The project's files now (at least every path in relevantPaths()). */
  ours: ReadonlyMap<string, string>;
  toolVersion: string;
  conflictStyle: ConflictStyle;
  /**
   * Paths left out of this refresh (a path, or a folder ending in "/"): not read, not written, and
   * their saved state carried over, so a later refresh without the exclusion merges them as usual.
   */
  exclude?: readonly string[];
}

/** True when path is one of the excluded paths or inside an excluded folder. */
export function isExcluded(path: string, exclude: readonly string[] = []): boolean {
  return exclude.some((entry) => {
    const folder = entry.endsWith('/') ? entry : `${entry}/`;
    return path === entry || path.startsWith(folder);
  });
}

export interface Report {
  /** Version that last wrote the project, and the version refreshing it. */
  from: string;
  to: string;
  /** True for --check (nothing was written). */
  check: boolean;
  /** Files were (or, with --check, would be) written or deleted. */
  changed: boolean;
  updated: string[];
  merged: string[];
  conflicted: string[];
  added: string[];
  removed: string[];
  /** No longer in the template, but changed by the user: left in place, no longer managed. */
  kept: string[];
  /** Deleted by the user: not brought back. */
  deleted: string[];
  /** Reject files written for conflicts (--conflict rej). */
  rejects: string[];
  /** Files that still hold conflict markers of an earlier refresh (committed unresolved). */
  unresolved: string[];
  /** Answers whose saved value changed (flags, or new answers filled in). */
  answersChanged: string[];
  /** Every path written or deleted, state files included. */
  files: string[];
  /** Paths left out (--exclude). */
  excluded: string[];
  conflictStyle: ConflictStyle;
  exitCode: number;
}

export interface RefreshResult {
  plan: Plan;
  ops: Op[];
  report: Report;
}

/** Paths whose current content the refresh needs. */
export function relevantPaths(
  state: ProjectState,
  theirs: ReadonlyMap<string, string>,
  exclude: readonly string[] = [],
): string[] {
  return [...new Set([...state.base.keys(), ...(state.entry.deletedFiles ?? []), ...theirs.keys()])]
    .filter((path) => !isExcluded(path, exclude))
    .sort();
}

/** JSON with sorted keys: compares state independent of key order and formatting. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function withoutVersion(entry: StateEntry) {
  return {
    answers: entry.answers,
    managedFiles: entry.managedFiles,
    deletedFiles: [...(entry.deletedFiles ?? [])].sort(),
  };
}

const BUCKETS: Partial<Record<Action, keyof Report>> = {
  updated: 'updated',
  merged: 'merged',
  conflicted: 'conflicted',
  added: 'added',
  removed: 'removed',
  kept: 'kept',
  deleted: 'deleted',
};

export function computeRefresh(input: RefreshInput, check = false): RefreshResult {
  const { state } = input;
  const exclude = input.exclude ?? [];
  const keep = <V>(entries: Iterable<[string, V]>) => new Map([...entries].filter(([path]) => !isExcluded(path, exclude)));
  const deleted = state.entry.deletedFiles ?? [];
  const result = plan({
    base: keep(state.base),
    deleted: deleted.filter((path) => !isExcluded(path, exclude)),
    ours: keep(input.ours),
    theirs: keep(input.theirs),
    conflictStyle: input.conflictStyle,
  });
  // Excluded paths keep their saved state.
  const excluded = [...new Set([...state.base.keys(), ...deleted, ...input.theirs.keys()])]
    .filter((path) => isExcluded(path, exclude))
    .sort();
  for (const [path, content] of state.base) if (isExcluded(path, exclude)) result.newBase.set(path, content);
  result.newDeleted.push(...deleted.filter((path) => isExcluded(path, exclude)));

  const ops: Op[] = [];
  for (const file of result.files) {
    if (file.write !== undefined) ops.push({ kind: 'write', path: file.path, content: file.write });
    if (file.remove) ops.push({ kind: 'remove', path: file.path });
    if (file.rej) ops.push({ kind: 'write', path: file.rej.path, content: file.rej.content });
  }

  // State: rewritten when anything but the recorded version changes (a release that changes no
  // file of the project leaves it alone, so --check does not flag every release).
  const next = generationState(result.newBase, input.answers, input.toolVersion, {
    deletedFiles: result.newDeleted,
    yoRc: state.yoRc,
  });
  const stateChanged =
    ops.length > 0 || canonical(withoutVersion(next.entry)) !== canonical(withoutVersion(state.entry));
  if (stateChanged) {
    ops.push({ kind: 'write', path: YO_RC_PATH, content: next.yoRcContent });
    ops.push({ kind: 'write', path: BASE_STORE_PATH, content: next.baseStore.content });
  }

  const report: Report = {
    from: state.entry.version,
    to: input.toolVersion,
    check,
    changed: ops.length > 0,
    updated: [],
    merged: [],
    conflicted: [],
    added: [],
    removed: [],
    kept: [],
    deleted: [],
    rejects: [],
    unresolved: [...input.ours]
      .filter(([path, content]) => state.base.has(path) && !isExcluded(path, exclude) && hasConflictMarkers(content))
      .map(([path]) => path)
      .sort(),
    answersChanged: changedAnswers(state.entry.answers, input.answers as Record<string, unknown>),
    files: ops.map((op) => op.path).sort(),
    excluded,
    conflictStyle: input.conflictStyle,
    exitCode: 0,
  };
  for (const file of result.files) {
    const bucket = BUCKETS[file.action];
    if (bucket) (report[bucket] as string[]).push(file.path);
    if (file.rej) report.rejects.push(file.rej.path);
  }
  report.exitCode = check ? (report.changed ? 1 : 0) : report.conflicted.length > 0 ? 1 : 0;
  return { plan: result, ops, report };
}

function changedAnswers(saved: Record<string, unknown>, next: Record<string, unknown>): string[] {
  return Object.keys(next).filter((key) => canonical(saved[key]) !== canonical(next[key]));
}

/** One line per file for people. */
export function describeFile(file: FilePlan): string | undefined {
  switch (file.action) {
    case 'updated':
      return 'updated to the new template';
    case 'merged':
      return 'your changes merged with the template changes';
    case 'conflicted':
      return file.twoWay
        ? `your file is in the way of a new template file: ${file.conflicts} conflict${file.conflicts === 1 ? '' : 's'}`
        : `${file.conflicts} conflict${file.conflicts === 1 ? '' : 's'} between your changes and the template changes`;
    case 'added':
      return 'new in the template';
    case 'removed':
      return 'no longer in the template';
    case 'kept':
      return 'no longer in the template, but you changed it: kept (no longer managed)';
    case 'deleted':
      return 'you deleted it: stays deleted';
    default:
      return undefined;
  }
}
