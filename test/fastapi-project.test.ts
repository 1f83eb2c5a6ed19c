// The generated FastAPI project, installed for real: render the default answers into a temp dir,
// create a virtualenv, `pip install -e '.[dev]'` from PyPI, then run the project's own checks
// (pytest, ruff format --check, ruff check). Every step must exit 0; a failure shows the output.
// Needs python3 (>= 3.11) with venv and network access to PyPI; pip's cache lives outside the repo
// (~/.cache/create-instrumented-api/pip, or $CIA_PIP_CACHE_DIR) so reruns are fast.
import { mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnswers, withDefaults } from '../generators/shared/answers.js';
import { renderProject } from '../generators/shared/render.js';
import { runIn, writeProject } from './helpers/project.js';

const PYTHON = process.env.PYTHON ?? 'python3';
const PIP_CACHE_DIR = process.env.CIA_PIP_CACHE_DIR ?? join(homedir(), '.cache', 'create-instrumented-api', 'pip');
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const CHECK_TIMEOUT_MS = 2 * 60_000;

// Settings a developer's shell or CI might carry that would change what the project's tests see.
const SCRUBBED = [
  'APP_ENV',
  'SERVICE_VERSION',
  'TRACING_BACKEND',
  'HOST',
  'PORT',
  'VIRTUAL_ENV',
  'PYTHONPATH',
  'PYTHONHOME',
];

function projectEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || SCRUBBED.includes(key) || key.startsWith('OTEL_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    PIP_CACHE_DIR,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

const run = (dir: string, cmd: string, args: string[], timeout: number) =>
  runIn(dir, cmd, args, { env: projectEnv(), timeout });

async function mustRun(dir: string, cmd: string, args: string[], timeout: number): Promise<string> {
  const { exitCode, output } = await run(dir, cmd, args, timeout);
  if (exitCode !== 0) throw new Error(`generated FastAPI project: command failed\n${output}`);
  return output;
}

/**
 * pytest's summary line, e.g. "==== 19 passed, 1 warning in 1.02s ====": only passes allowed. It is
 * searched for, not taken from the last line: stderr (merged) may log after it at interpreter exit.
 */
function expectOnlyPassed(output: string): void {
  const summaries = [...output.matchAll(/^=+ (.+) in [\d.]+s(?: \([^)]*\))? =+$/gm)];
  expect(summaries.length, output).toBeGreaterThan(0);
  expect(summaries.at(-1)![1], output).toMatch(/^\d+ passed(, \d+ warnings?)?$/);
}

describe('generated FastAPI project (default answers), installed for real', () => {
  let dir: string;
  const bin = (tool: string) => join(dir, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin', tool);

  beforeAll(
    async () => {
      dir = await writeProject({ ...defaultAnswers('my-api'), framework: 'fastapi' }, 'cia-fastapi-');
      mkdirSync(PIP_CACHE_DIR, { recursive: true });
      await mustRun(dir, PYTHON, ['-m', 'venv', '.venv'], CHECK_TIMEOUT_MS);
      await mustRun(dir, bin('python'), ['-m', 'pip', 'install', '-e', '.[dev]'], INSTALL_TIMEOUT_MS);
    },
    INSTALL_TIMEOUT_MS + 2 * CHECK_TIMEOUT_MS,
  );

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the files the README promises', async () => {
    const files = await renderProject({ ...defaultAnswers('my-api'), framework: 'fastapi' });
    for (const path of [
      'pyproject.toml',
      'src/my_api/__init__.py',
      'src/my_api/__main__.py',
      'src/my_api/app.py',
      'src/my_api/config.py',
      'src/my_api/telemetry.py',
      'src/my_api/routes/health.py',
      'src/my_api/routes/items.py',
      'tests/conftest.py',
      'Dockerfile',
      '.dockerignore',
      '.gitignore',
      '.github/workflows/ci.yml',
      'README.md',
    ])
      expect(files.has(path), `${path} is rendered`).toBe(true);
  });

  it(
    'passes its own tests (pytest), none skipped',
    async () => {
      const { exitCode, output } = await run(dir, bin('pytest'), ['-p', 'no:cacheprovider'], CHECK_TIMEOUT_MS);
      expect(exitCode, output).toBe(0);
      expectOnlyPassed(output);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'is formatted (ruff format --check)',
    async () => {
      const { exitCode, output } = await run(
        dir,
        bin('ruff'),
        ['format', '--check', '--no-cache', '.'],
        CHECK_TIMEOUT_MS,
      );
      expect(exitCode, output).toBe(0);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'passes its linter (ruff check)',
    async () => {
      const { exitCode, output } = await run(dir, bin('ruff'), ['check', '--no-cache', '.'], CHECK_TIMEOUT_MS);
      expect(exitCode, output).toBe(0);
    },
    CHECK_TIMEOUT_MS,
  );

  // Names up to the generator's limits (63 characters) and other backends must still give code
  // that ruff accepts as is and tests that pass: installed into the same virtualenv (no deps).
  it(
    'stays formatted and green for long names and other backends',
    async () => {
      const longName = 'a-very-long-service-name-that-goes-right-up-to-the-limit-of-63x';
      const longEnv = 'preview-environment-with-a-dns-label-as-long-as-allowed-63-char';
      const variant = await writeProject(
        withDefaults({
          name: longName,
          framework: 'fastapi',
          environments: [longEnv, 'qa', 'production'],
          backends: { [longEnv]: 'console', qa: 'none', production: 'otlp' },
        }),
        'cia-fastapi-variant-',
      );
      try {
        await mustRun(variant, bin('python'), ['-m', 'pip', 'install', '--no-deps', '-e', '.'], CHECK_TIMEOUT_MS);
        const tests = await run(variant, bin('pytest'), ['-p', 'no:cacheprovider'], CHECK_TIMEOUT_MS);
        expect(tests.exitCode, tests.output).toBe(0);
        expectOnlyPassed(tests.output);
        const format = await run(variant, bin('ruff'), ['format', '--check', '--no-cache', '.'], CHECK_TIMEOUT_MS);
        expect(format.exitCode, format.output).toBe(0);
        const lint = await run(variant, bin('ruff'), ['check', '--no-cache', '.'], CHECK_TIMEOUT_MS);
        expect(lint.exitCode, lint.output).toBe(0);
      } finally {
        rmSync(variant, { recursive: true, force: true });
      }
    },
    3 * CHECK_TIMEOUT_MS,
  );
});
