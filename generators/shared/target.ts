// Checks on the folder a project is created in, run before anything is written.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { PACKAGE_JSON } from './paths.js';

/** Entries that do not make a folder "not empty" (as create-vite treats a fresh clone). */
const IGNORABLE = new Set(['.git']);

export function checkTarget(cwd: string, name: string, force: boolean): { dir: string; existed: boolean } {
  const dir = resolve(cwd, name);
  if (!existsSync(dir)) return { dir, existed: false };
  if (!statSync(dir).isDirectory()) throw new UsageError(`${name} exists and is not a folder: choose another name`);
  const yoRc = join(dir, '.yo-rc.json');
  if (existsSync(yoRc)) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(yoRc, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `${name}/.yo-rc.json cannot be read (${(error as Error).message.split('\n')[0]}): fix or delete it, then run again`,
      );
    }
    if (!force && data && typeof data === 'object' && PACKAGE_JSON.name in data)
      throw new UsageError(
        `${name} is already a create-instrumented-api project: run "create-instrumented-api refresh" inside it to update it`,
      );
  }
  const entries = readdirSync(dir).filter((entry) => !IGNORABLE.has(entry));
  if (entries.length > 0 && !force)
    throw new UsageError(`folder ${name} exists and is not empty: choose another name, empty it, or pass --force to overwrite files`);
  return { dir, existed: true };
}
