// Node frameworks (Express, Fastify): TypeScript compiled with tsc, dependencies from `npm install`
// (the generator's install step; the e2e run is started with npm, so --pm is npm), the project's own
// scripts as checks, then the compiled server started with node directly, its tracing loaded first
// with --import (as in the Dockerfile), so SIGTERM reaches the server itself, not an npm wrapper.
import type { FrameworkAdapter } from './types.js';

export function nodeAdapter(name: 'express' | 'fastify'): FrameworkAdapter {
  return {
    name,
    installedMarkers: [`node_modules/${name}/package.json`, 'node_modules/.bin/tsc', 'node_modules/.bin/vitest'],
    install: () => [
      { label: 'npm install', cmd: 'npm', args: ['install', '--no-audit', '--no-fund'], timeoutMs: 10 * 60_000 },
    ],
    checks: () => [
      { label: 'vitest', cmd: 'npm', args: ['run', 'test'] },
      { label: 'tsc --noEmit', cmd: 'npm', args: ['run', 'typecheck'] },
      { label: 'prettier --check', cmd: 'npm', args: ['run', 'lint'] },
    ],
    build: () => [{ label: 'tsc build', cmd: 'npm', args: ['run', 'build'] }],
    start: () => ({
      cmd: process.execPath,
      args: ['--enable-source-maps', '--import', './dist/instrumentation.js', 'dist/server.js'],
    }),
    listenEnv: { host: 'HOST', port: 'PORT' },
    healthPath: '/healthz',
    examplePath: '/items/42',
    errorPath: '/items/0',
    exampleRoute: '/items/:itemId',
    customSpanName: 'load-item',
  };
}
