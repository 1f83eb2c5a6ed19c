// FastAPI: a virtualenv in .venv, pytest + ruff, uvicorn with the application factory.
import type { FrameworkAdapter } from './types.js';

const pythonPackage = (name: string) => name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();

export const fastapi: FrameworkAdapter = {
  name: 'fastapi',
  installedMarkers: ['.venv/bin/python', '.venv/bin/uvicorn', '.venv/bin/pytest', '.venv/bin/ruff'],
  install: () => [
    { label: 'venv', cmd: 'python3', args: ['-m', 'venv', '.venv'] },
    {
      label: 'pip install',
      cmd: '.venv/bin/pip',
      args: ['install', '--disable-pip-version-check', '-q', '-e', '.[dev]'],
      timeoutMs: 10 * 60_000,
    },
  ],
  checks: () => [
    { label: 'pytest', cmd: '.venv/bin/pytest', args: ['-q', '-p', 'no:cacheprovider'] },
    { label: 'ruff format', cmd: '.venv/bin/ruff', args: ['format', '--check', '.'] },
    { label: 'ruff check', cmd: '.venv/bin/ruff', args: ['check', '--no-cache', '.'] },
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
