import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Source (generators/shared) and compiled (dist/generators/shared) layouts both work.
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('create-instrumented-api: cannot find its package folder');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const PACKAGE_JSON = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
export const GENERATOR_VERSION = PACKAGE_JSON.version;
