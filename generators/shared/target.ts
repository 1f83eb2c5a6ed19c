// Checks on the folder a project is created in, run before anything is written.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { PACKAGE_JSON } from './paths.js';

/** Entries that do not make a folder "not empty" (as create-vite treats a fresh clone). */
const IGNORABLE = new Set(['.git']);

export function checkTarget(cwd: string, name: string, force: boolean): { dir: string; existed: boolean } {
  const dir = resolve(cwd, name);
  if (!existsSync(dir)) {
    // The folder is created with its missing parents: the nearest existing one must be a folder we can write in.
    let parent = dirname(dir);
    while (!existsSync(parent)) parent = dirname(parent);
    if (!statSync(parent).isDirectory())
      throw new UsageError(`${parent} is a file, so ${name} cannot be created in it: choose another path for the project`);
    writable(parent, `cannot create ${name} in ${parent}`);
    return { dir, existed: false };
  }
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
  writable(dir, `cannot write in ${name}`);
  return { dir, existed: true };
}

/** Permissions are checked before anything is written (yeoman would fail halfway with a stack trace). */
function writable(dir: string, what: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') throw new UsageError(`${what}: the file system is read-only; choose a folder on a writable one`);
    throw new UsageError(`${what} (permission denied): choose a folder you can write to, or fix its permissions`);
  }
}
