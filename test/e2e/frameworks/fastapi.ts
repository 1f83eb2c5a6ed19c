// FastAPI, created with --pm uv: the generator's `uv sync` makes .venv and uv.lock; the checks are
// CI's (`uv sync --locked`, then pytest and ruff through `uv run --locked`); uvicorn with the
// application factory is started from .venv directly, so SIGTERM reaches it. A project made with
// pip (the README stage accepts the default, which depends on PATH) is checked the pip way.
// (The pip path's full install and checks run in test/fastapi-project.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameworkAdapter, Project, Step } from './types.js';

const pythonPackage = (name: string) => name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();

/** The package manager the project was made with (saved in .yo-rc.json). */
function packageManager(p: Project): string {
  const yoRc = JSON.parse(readFileSync(join(p.dir, '.yo-rc.json'), 'utf8')) as Record<string, { answers?: { pm?: string } }>;
  return yoRc['create-instrumented-api']?.answers?.pm ?? 'pip';
}

/** A project tool: through `uv run --locked` (the lock must not change), or from .venv/bin. */
const tool = (p: Project, label: string, name: string, args: string[]): Step =>
  packageManager(p) === 'uv'
    ? { label, cmd: 'uv', args: ['run', '--locked', name, ...args] }
    : { label, cmd: `.venv/bin/${name}`, args };

export const fastapi: FrameworkAdapter = {
  name: 'fastapi',
  generateArgs: ['--pm', 'uv'],
  installedMarkers: ['.venv/bin/python', '.venv/bin/uvicorn', '.venv/bin/pytest', '.venv/bin/ruff'],
  install: (p) =>
    packageManager(p) === 'uv'
      ? [{ label: 'uv sync', cmd: 'uv', args: ['sync'], timeoutMs: 10 * 60_000 }]
      : [
          { label: 'venv', cmd: 'python3', args: ['-m', 'venv', '.venv'] },
          {
            label: 'pip install',
            cmd: '.venv/bin/pip',
            args: ['install', '--disable-pip-version-check', '-q', '-e', '.[dev]'],
            timeoutMs: 10 * 60_000,
          },
        ],
  checks: (p) => [
    // What CI installs: exactly the committed lock, which must match pyproject.toml.
    ...(packageManager(p) === 'uv' ? [{ label: 'uv sync --locked', cmd: 'uv', args: ['sync', '--locked'], timeoutMs: 10 * 60_000 }] : []),
    tool(p, 'pytest', 'pytest', ['-q', '-p', 'no:cacheprovider']),
    tool(p, 'ruff format', 'ruff', ['format', '--check', '.']),
    tool(p, 'ruff check', 'ruff', ['check', '--no-cache', '.']),
  ],
  start: (p, host, port) => ({
    cmd: '.venv/bin/uvicorn',
    args: [`${pythonPackage(p.name)}.app:create_app`, '--factory', '--host', host, '--port', String(port)],
    env: { PYTHONUNBUFFERED: '1' },
  }),
  listenEnv: { host: 'HOST', port: 'PORT' },
  healthPath: '/healthz',
  examplePath: '/items/42',
  errorPath: '/items/0',
  exampleRoute: '/items/{item_id}',
  customSpanName: 'load-item',
};
