// What a generation records in the project, and how refresh reads it back.
//
// Two files, both committed with the project:
//   .yo-rc.json                       { "create-instrumented-api": { version, answers, managedFiles, deletedFiles? } }
//                                     managedFiles: path → sha256 (hex) of the exact content written
//   .create-instrumented-api/base.json { "format": 1, "files": { path: content } }
//                                     the exact content written: the merge base of the next refresh
//
// The base content is stored (not re-rendered from the recorded version) so a refresh works offline
// and after any number of tool upgrades: a newer tool cannot render an older template, but it can
// always read the old output. The hashes in .yo-rc.json let refresh check that the base store and
// the manifest belong together.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { PACKAGE_JSON } from './paths.js';

/** Key of our entry in .yo-rc.json (the package name, as yeoman keys it). */
export const STATE_KEY: string = PACKAGE_JSON.name;
export const YO_RC_PATH = '.yo-rc.json';
export const BASE_STORE_PATH = '.create-instrumented-api/base.json';
/** Files that hold the state: never managed files themselves. */
export const STATE_PATHS: readonly string[] = [YO_RC_PATH, BASE_STORE_PATH];
const BASE_STORE_FORMAT = 1;

export interface StateEntry {
  /** Version of create-instrumented-api that last wrote the project. */
  version: string;
  /** Saved answers (raw JSON; parse them with the answer declarations). */
  answers: Record<string, unknown>;
  /** Every managed file: path → sha256 (hex) of the content written. */
  managedFiles: Record<string, string>;
  /** Managed files the user deleted: a refresh never brings them back. */
  deletedFiles?: string[];
}

export interface ProjectState {
  entry: StateEntry;
  /** The whole .yo-rc.json object (other generators' keys are kept when it is rewritten). */
  yoRc: Record<string, unknown>;
  /** Content generated last time, per managed file (the merge base). */
  base: Map<string, string>;
  /** The two state files exactly as read (to tell whether a refresh changes them). */
  raw: { yoRc: string; baseStore: string };
}

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export interface GenerationStateOptions {
  /** Managed files the user deleted (kept out of the project on later refreshes). */
  deletedFiles?: Iterable<string>;
  /** The current .yo-rc.json object: other keys in it are kept. */
  yoRc?: Record<string, unknown>;
}

/**
 * The state to write after generating (or refreshing) `files`: the .yo-rc.json object and the base
 * store file. State paths in `files` are ignored (they are not managed files).
 */
export function generationState(
  files: Map<string, string>,
  answers: object,
  version: string,
  options: GenerationStateOptions = {},
) {
  const paths = [...files.keys()].filter((path) => !STATE_PATHS.includes(path)).sort();
  const managedFiles = Object.fromEntries(paths.map((path) => [path, sha256(files.get(path)!)]));
  const deleted = [...new Set(options.deletedFiles ?? [])].filter((path) => !files.has(path)).sort();
  const entry: StateEntry = {
    version,
    answers: { ...(answers as Record<string, unknown>) },
    managedFiles,
    ...(deleted.length > 0 ? { deletedFiles: deleted } : {}),
  };
  const yoRc: Record<string, unknown> = { ...(options.yoRc ?? {}), [STATE_KEY]: entry };
  const store = { format: BASE_STORE_FORMAT, files: Object.fromEntries(paths.map((path) => [path, files.get(path)!])) };
  return {
    entry,
    yoRc,
    yoRcContent: `${JSON.stringify(yoRc, null, 2)}\n`,
    baseStore: { path: BASE_STORE_PATH, content: `${JSON.stringify(store, null, 2)}\n` },
  };
}

/** A project path we are willing to write or delete: relative, forward slashes, inside the project. */
export function isSafeProjectPath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return false;
  if (segments[0] === '.git') return false;
  return !STATE_PATHS.includes(path);
}

/** Compares release versions (x.y.z, an optional -prerelease sorts before the release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.trim().replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  const xs = x.pre.split('.');
  const ys = y.pre.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const p = xs[i];
    const q = ys[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p) ? Number(p) : NaN;
    const qn = /^\d+$/.test(q) ? Number(q) : NaN;
    if (!Number.isNaN(pn) && !Number.isNaN(qn)) {
      if (pn !== qn) return Math.sign(pn - qn);
    } else if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const firstLine = (error: unknown) => String((error as Error).message ?? error).split('\n')[0]!.replace(/\.$/, '');

const RESTORE = (file: string) => `restore it from git (git checkout HEAD -- ${file})`;

/**
 * The generated project that `start` is in: the nearest folder, `start` or above, whose
 * .yo-rc.json has this tool's entry (so refresh works from a subfolder, as git does). `start`
 * itself when there is none, so that reading the state there explains what is missing.
 */
export function findProjectDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      if (readFileSync(join(dir, YO_RC_PATH), 'utf8').includes(JSON.stringify(STATE_KEY))) return dir;
    } catch {
      // No (readable) .yo-rc.json here: look further up.
    }
    if (dirname(dir) === dir) return start;
  }
}

/**
 * Reads and checks the state of the generated project in `cwd`. Throws a UsageError (one line that
 * names the fix) when it is not a generated project, a state file is missing or corrupt, or the
 * project was written by a newer create-instrumented-api than `toolVersion`.
 */
export function readProjectState(cwd: string, toolVersion: string): ProjectState {
  let yoRcText: string;
  try {
    yoRcText = readFileSync(join(cwd, YO_RC_PATH), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(
        `not a generated project (no ${YO_RC_PATH} in ${cwd}): run inside a project created by create-instrumented-api`,
      );
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new UsageError(`${YO_RC_PATH} is a folder, where a file is expected: ${RESTORE(YO_RC_PATH)}`);
    throw new UsageError(`cannot read ${YO_RC_PATH}: ${firstLine(error)}: fix its permissions`);
  }
  let yoRc: unknown;
  try {
    yoRc = JSON.parse(yoRcText);
  } catch (error) {
    throw new UsageError(`${YO_RC_PATH} is not valid JSON (${firstLine(error)}): fix it or ${RESTORE(YO_RC_PATH)}`);
  }
  if (!isObject(yoRc))
    throw new UsageError(`${YO_RC_PATH} must hold a JSON object: fix it or ${RESTORE(YO_RC_PATH)}`);
  const entry = yoRc[STATE_KEY];
  if (entry === undefined)
    throw new UsageError(
      `not a generated project (${YO_RC_PATH} has no "${STATE_KEY}" entry): run inside a project created by create-instrumented-api`,
    );
  const corrupt = (what: string) =>
    new UsageError(`${YO_RC_PATH} is corrupt: "${STATE_KEY}" ${what}: fix it or ${RESTORE(YO_RC_PATH)}`);
  if (!isObject(entry)) throw corrupt('is not an object');
  if (typeof entry.version !== 'string' || !/^v?\d+\.\d+\.\d+/.test(entry.version))
    throw corrupt('has no valid "version"');
  if (!isObject(entry.answers)) throw corrupt('has no "answers" object');
  if (!isObject(entry.managedFiles)) throw corrupt('has no "managedFiles" object');
  for (const [path, hash] of Object.entries(entry.managedFiles)) {
    if (!isSafeProjectPath(path)) throw corrupt(`lists an unsafe path "${path}" in "managedFiles"`);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
      throw corrupt(`has no sha256 for "${path}" in "managedFiles"`);
  }
  const deletedFiles = entry.deletedFiles ?? [];
  if (!Array.isArray(deletedFiles) || deletedFiles.some((p) => typeof p !== 'string' || !isSafeProjectPath(p)))
    throw corrupt('has an invalid "deletedFiles" list');

  if (compareVersions(entry.version, toolVersion) > 0)
    throw new UsageError(
      `this project was generated by create-instrumented-api ${entry.version}, newer than this one (${toolVersion}): run "npx create-instrumented-api@${entry.version} refresh" or newer`,
    );

  let storeText: string;
  try {
    storeText = readFileSync(join(cwd, BASE_STORE_PATH), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${firstLine(error)})`;
    throw new UsageError(`the merge base ${BASE_STORE_PATH} ${reason}: ${RESTORE(BASE_STORE_PATH)}`);
  }
  let store: unknown;
  try {
    store = JSON.parse(storeText);
  } catch (error) {
    throw new UsageError(`the merge base ${BASE_STORE_PATH} is not valid JSON (${firstLine(error)}): ${RESTORE(BASE_STORE_PATH)}`);
  }
  if (!isObject(store) || !isObject(store.files))
    throw new UsageError(`the merge base ${BASE_STORE_PATH} is corrupt (no "files" object): ${RESTORE(BASE_STORE_PATH)}`);
  if (typeof store.format === 'number' && store.format > BASE_STORE_FORMAT)
    throw new UsageError(
      `the merge base ${BASE_STORE_PATH} has format ${store.format}, newer than this create-instrumented-api understands: upgrade it`,
    );
  const files = store.files;
  const base = new Map<string, string>();
  for (const [path, hash] of Object.entries(entry.managedFiles)) {
    const content = files[path];
    if (typeof content !== 'string' || sha256(content) !== hash)
      throw new UsageError(
        `the merge base ${BASE_STORE_PATH} does not match ${YO_RC_PATH} for ${path}: restore both from the same commit (git checkout HEAD -- ${YO_RC_PATH} ${BASE_STORE_PATH})`,
      );
    base.set(path, content);
  }
  return {
    entry: {
      version: entry.version,
      answers: entry.answers,
      managedFiles: entry.managedFiles as Record<string, string>,
      deletedFiles: deletedFiles as string[],
    },
    yoRc,
    base,
    raw: { yoRc: yoRcText, baseStore: storeText },
  };
}
