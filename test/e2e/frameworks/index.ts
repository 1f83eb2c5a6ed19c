// Every framework the e2e suite knows, in run order. `npm run e2e` with no argument runs those whose
// template exists in templates/<name>/ (i.e. implemented); naming one explicitly always runs it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/paths.js';
import { express } from './express.js';
import { fastapi } from './fastapi.js';
import { fastify } from './fastify.js';
import { go } from './go.js';
import type { FrameworkAdapter } from './types.js';

export const ADAPTERS: FrameworkAdapter[] = [fastapi, express, fastify, go];

export function implemented(adapter: FrameworkAdapter): boolean {
  const dir = join(REPO_ROOT, 'templates', adapter.name);
  return existsSync(dir) && readdirSync(dir).length > 0;
}
