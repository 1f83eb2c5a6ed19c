// The generated FastAPI project, created by the real bin and installed for real, once per package
// manager: `--pm uv` (the generator runs `uv sync`, which writes uv.lock; the first commit holds it;
// then what CI runs: `uv sync --locked`, and pytest / ruff through `uv run`) and `--pm pip` (a
// virtualenv and `pip install -e '.[dev]'`). Both must pass the project's own checks (pytest, ruff
// format --check, ruff check). For uv, the Dockerfile's builder stage runs outside Docker (it must
// install from the lock alone), and refresh must leave uv.lock alone. Needs python3 (>= 3.11) with
// venv and network access to PyPI; uv is the pinned one (test/tools/uv.sh); the pip and uv caches
// live outside the repo (~/.cache/create-instrumented-api/{pip,uv-cache}), so reruns are fast.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnswers, withDefaults } from '../generators/shared/answers.js';
import { PYTHON_PACKAGE_MANAGERS, type PackageManager } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { BIN, tempDir } from './helpers/cli.js';
import { runIn, writeProject } from './helpers/project.js';

const PYTHON = process.env.PYTHON ?? 'python3';
const CACHE = join(homedir(), '.cache', 'create-instrumented-api');
const PIP_CACHE_DIR = process.env.CIA_PIP_CACHE_DIR ?? join(CACHE, 'pip');
const UV_CACHE_DIR = process.env.CIA_UV_CACHE_DIR ?? join(CACHE, 'uv-cache');
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const CHECK_TIMEOUT_MS = 2 * 60_000;
/** KEEP_FASTAPI_PROJECTS=1 keeps the projects (their paths are printed) for a closer look. */
const KEEP = process.env.KEEP_FASTAPI_PROJECTS === '1';

// Settings a developer's shell or CI might carry that would change what the project's tests see.
const SCRUBBED = ['APP_ENV', 'SERVICE_VERSION', 'TRACING_BACKEND', 'HOST', 'PORT', 'VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME'];

function projectEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || SCRUBBED.includes(key) || key.startsWith('OTEL_') || key.startsWith('UV_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    PIP_CACHE_DIR,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    UV_CACHE_DIR,
    // The machine's Python only: a missing one is a clear failure, not a download from outside PyPI.
    UV_PYTHON_DOWNLOADS: 'never',
    // A machine without a git identity still gets the first commit (the generator's fallback).
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

const run = (dir: string, cmd: string, args: string[], timeout = CHECK_TIMEOUT_MS, env: Record<string, string> = {}) =>
  runIn(dir, cmd, args, { env: { ...projectEnv(), ...env }, timeout });

async function mustRun(dir: string, cmd: string, args: string[], timeout = CHECK_TIMEOUT_MS): Promise<string> {
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

/** How the project's own tools run: through `uv run` (the lock must not change), or from .venv/bin. */
function tool(dir: string, pm: PackageManager, name: string, args: string[]): [string, string[]] {
  return pm === 'uv' ? ['uv', ['run', '--locked', name, ...args]] : [join(dir, '.venv', 'bin', name), args];
}

const dirs: string[] = [];
afterAll(() => {
  if (!KEEP) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
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
    'src/my_api/logs.py',
    'src/my_api/routes/health.py',
    'src/my_api/routes/items.py',
    'tests/conftest.py',
    'tests/test_signals.py',
    'Dockerfile',
    '.dockerignore',
    '.gitignore',
    '.github/workflows/ci.yml',
    'README.md',
  ])
    expect(files.has(path), `${path} is rendered`).toBe(true);
  // uv.lock is resolved at create time (it needs the package index), never rendered.
  expect(files.has('uv.lock')).toBe(false);
});

describe.each(PYTHON_PACKAGE_MANAGERS)('generated FastAPI project (--pm %s), created by the bin and installed for real', (pm) => {
  let parent: string;
  let dir: string;

  beforeAll(
    async () => {
      parent = tempDir(`cia-fastapi-${pm}-`);
      dirs.push(parent);
      dir = join(parent, 'my-api');
      if (KEEP) console.log(`fastapi (${pm}) project: ${dir}`);
      mkdirSync(PIP_CACHE_DIR, { recursive: true });
      // The generator installs (uv sync, or venv + pip) and makes the first commit.
      const created = await run(parent, process.execPath, [BIN, 'my-api', '--framework', 'fastapi', '--pm', pm, '--yes'], INSTALL_TIMEOUT_MS);
      expect(created.exitCode, created.output).toBe(0);
      expect(created.stdout).toMatch(new RegExp(`^Installing dependencies with ${pm} \\.\\.\\. done`, 'm'));
      console.log(`fastapi (${pm}): create with install took ${(created.ms / 1000).toFixed(1)} s`);
    },
    INSTALL_TIMEOUT_MS + CHECK_TIMEOUT_MS,
  );

  if (pm === 'uv') {
    it('has its uv.lock in the first commit, and nothing left out of it', async () => {
      expect((await mustRun(dir, 'git', ['ls-files', 'uv.lock'])).trim().split('\n').at(-1)).toBe('uv.lock');
      const lock = readFileSync(join(dir, 'uv.lock'), 'utf8');
      // A universal lock: every Python the project allows (CI and the image run 3.13, this machine maybe 3.11).
      expect(lock).toMatch(/^requires-python = ">=3\.11"$/m);
      expect(lock).toMatch(/^name = "opentelemetry-sdk"$/m);
      expect((await run(dir, 'git', ['status', '--porcelain'])).stdout).toBe('');
    });

    it(
      'installs from the committed lock as CI does (uv sync --locked)',
      async () => {
        const sync = await run(dir, 'uv', ['sync', '--locked'], INSTALL_TIMEOUT_MS);
        expect(sync.exitCode, sync.output).toBe(0);
      },
      INSTALL_TIMEOUT_MS,
    );
  } else {
    it('has no uv.lock (pip locks nothing)', () => {
      expect(existsSync(join(dir, 'uv.lock'))).toBe(false);
    });
  }

  it(
    'passes its own tests (pytest), none skipped',
    async () => {
      const { exitCode, output } = await run(dir, ...tool(dir, pm, 'pytest', ['-p', 'no:cacheprovider']));
      expect(exitCode, output).toBe(0);
      expectOnlyPassed(output);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'is formatted (ruff format --check)',
    async () => {
      const { exitCode, output } = await run(dir, ...tool(dir, pm, 'ruff', ['format', '--check', '--no-cache', '.']));
      expect(exitCode, output).toBe(0);
    },
    CHECK_TIMEOUT_MS,
  );

  it(
    'passes its linter (ruff check)',
    async () => {
      const { exitCode, output } = await run(dir, ...tool(dir, pm, 'ruff', ['check', '--no-cache', '.']));
      expect(exitCode, output).toBe(0);
    },
    CHECK_TIMEOUT_MS,
  );

  it('is left as committed by its checks (lock unchanged; .venv and caches ignored)', async () => {
    expect((await run(dir, 'git', ['status', '--porcelain'])).stdout).toBe('');
  });

  if (pm === 'uv') {
    it(
      "the Dockerfile's builder stage, run outside Docker, installs the app from the lock alone, without dev tools",
      async () => {
        const root = tempDir('cia-fastapi-image-');
        dirs.push(root);
        const steps = builderStage(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
        expect(steps.filter((s) => s.kind === 'RUN').map((s) => s.text)).toEqual([
          'uv sync --locked --no-dev --no-install-project',
          'uv sync --locked --no-dev --no-editable',
        ]);
        const venv = await runBuilderStage(steps, dir, root);
        // The app's command and its packages are there; the dev group is not; nothing points at the sources.
        expect(existsSync(join(venv, 'bin', 'my-api'))).toBe(true);
        expect(existsSync(join(venv, 'bin', 'pytest'))).toBe(false);
        expect(existsSync(join(venv, 'bin', 'ruff'))).toBe(false);
        rmSync(join(root, 'build'), { recursive: true, force: true });
        const imported = await run(root, join(venv, 'bin', 'python'), ['-c', 'import my_api.app, opentelemetry.sdk; print(my_api.app.__file__)']);
        expect(imported.exitCode, imported.output).toBe(0);
        expect(imported.stdout).toContain(`${venv}/lib/`);
      },
      INSTALL_TIMEOUT_MS,
    );

    it('refresh leaves uv.lock alone: not managed, not drift, kept when switching to pip and back', async () => {
      const lock = readFileSync(join(dir, 'uv.lock'), 'utf8');
      const managed = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['create-instrumented-api'].managedFiles;
      expect(Object.keys(managed)).not.toContain('uv.lock');
      expect(readFileSync(join(dir, '.create-instrumented-api/base.json'), 'utf8')).not.toContain('"uv.lock"');

      const check = await run(dir, process.execPath, [BIN, 'refresh', '--check']);
      expect(check.exitCode, check.output).toBe(0);

      const toPip = await run(dir, process.execPath, [BIN, 'refresh', '--pm', 'pip', '--yes', '--json']);
      expect(toPip.exitCode, toPip.output).toBe(0);
      const report = JSON.parse(toPip.stdout);
      expect(report.files).toContain('pyproject.toml');
      expect(report.files).not.toContain('uv.lock');
      expect(readFileSync(join(dir, 'uv.lock'), 'utf8')).toBe(lock);
      expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toContain('[project.optional-dependencies]\ndev = [');
      await mustRun(dir, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qam', 'pip']);

      const back = await run(dir, process.execPath, [BIN, 'refresh', '--pm', 'uv', '--yes', '--json']);
      expect(back.exitCode, back.output).toBe(0);
      expect(JSON.parse(back.stdout).files).not.toContain('uv.lock');
      expect(readFileSync(join(dir, 'uv.lock'), 'utf8')).toBe(lock);
      // Back to what the lock was made from: CI's install passes again.
      const sync = await run(dir, 'uv', ['sync', '--locked'], INSTALL_TIMEOUT_MS);
      expect(sync.exitCode, sync.output).toBe(0);
    }, INSTALL_TIMEOUT_MS);
  }

  if (pm === 'pip') {
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
            pm: 'pip',
            environments: [longEnv, 'qa', 'production'],
            backends: { [longEnv]: 'console', qa: 'none', production: 'otlp' },
          }),
          'cia-fastapi-variant-',
        );
        dirs.push(variant);
        const bin = (name: string) => join(dir, '.venv', 'bin', name);
        await mustRun(variant, bin('python'), ['-m', 'pip', 'install', '--no-deps', '-e', '.']);
        const tests = await run(variant, bin('pytest'), ['-p', 'no:cacheprovider']);
        expect(tests.exitCode, tests.output).toBe(0);
        expectOnlyPassed(tests.output);
        const format = await run(variant, bin('ruff'), ['format', '--check', '--no-cache', '.']);
        expect(format.exitCode, format.output).toBe(0);
        const lint = await run(variant, bin('ruff'), ['check', '--no-cache', '.']);
        expect(lint.exitCode, lint.output).toBe(0);
      },
      3 * CHECK_TIMEOUT_MS,
    );

    // datadog-native: ddtrace is a dependency of this project only, installed for real in its own
    // virtualenv; the project stays green and starts ddtrace exactly when the backend says so.
    it(
      'with a datadog-native environment: installs ddtrace, stays green, starts it only there',
      async () => {
        const native = await writeProject(
          withDefaults({ name: 'my-api', framework: 'fastapi', pm: 'pip', backends: { staging: 'datadog-native' } }),
          'cia-fastapi-native-',
        );
        dirs.push(native);
        expect(readFileSync(join(native, 'pyproject.toml'), 'utf8')).toMatch(/^ {4}"ddtrace[>=<,.\d]+",$/m);
        expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).not.toContain('ddtrace');
        await mustRun(native, PYTHON, ['-m', 'venv', '.venv']);
        const bin = (name: string) => join(native, '.venv', 'bin', name);
        await mustRun(native, bin('pip'), ['install', '-q', '-e', '.[dev]'], INSTALL_TIMEOUT_MS);
        const tests = await run(native, bin('pytest'), ['-p', 'no:cacheprovider']);
        expect(tests.exitCode, tests.output).toBe(0);
        expectOnlyPassed(tests.output);
        for (const args of [['format', '--check', '--no-cache', '.'], ['check', '--no-cache', '.']]) {
          const ruff = await run(native, bin('ruff'), args);
          expect(ruff.exitCode, ruff.output).toBe(0);
        }
        // Importing the app starts ddtrace (before FastAPI) in staging only.
        const probe = ['-c', 'import sys, my_api.app; print("ddtrace" in sys.modules)'];
        const staging = await run(native, bin('python'), probe, CHECK_TIMEOUT_MS, { APP_ENV: 'staging', DD_TRACE_ENABLED: 'false' });
        expect(staging.stdout.trim(), staging.output).toBe('True');
        const development = await run(native, bin('python'), probe);
        expect(development.stdout.trim(), development.output).toBe('False');
      },
      INSTALL_TIMEOUT_MS + 3 * CHECK_TIMEOUT_MS,
    );
  }
});

interface Instruction {
  kind: string;
  text: string;
}

/** The instructions of the Dockerfile's `builder` stage (continuation lines joined, comments dropped). */
function builderStage(dockerfile: string): Instruction[] {
  const lines = dockerfile.replace(/\\\n\s*/g, '').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const start = lines.findIndex((l) => /^FROM \S+ AS builder$/.test(l));
  expect(start, 'a "FROM … AS builder" stage').toBeGreaterThan(-1);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('FROM '));
  return lines.slice(start + 1, end).map((l) => {
    const [kind, ...rest] = l.split(' ');
    return { kind: kind!, text: rest.join(' ') };
  });
}

/**
 * Runs the builder stage here: its absolute paths moved under `root`, COPY from the project, RUN
 * with bash, uv from PATH instead of the uv image (the same release). Returns the virtualenv's path.
 */
async function runBuilderStage(steps: Instruction[], project: string, root: string): Promise<string> {
  const inRoot = (path: string) => join(root, path);
  const env: Record<string, string> = {};
  let workdir = root;
  for (const { kind, text } of steps) {
    if (kind === 'ENV') {
      for (const [, key, value] of text.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!.startsWith('/') ? inRoot(value!) : value!;
    } else if (kind === 'WORKDIR') {
      workdir = inRoot(text);
      mkdirSync(workdir, { recursive: true });
    } else if (kind === 'COPY' && text.startsWith('--from=uv ')) {
      continue; // uv itself: the tests' pinned uv is on PATH
    } else if (kind === 'COPY') {
      const parts = text.split(' ');
      const target = parts.pop()!;
      for (const source of parts) cpSync(join(project, source), join(workdir, target === './' ? source : target), { recursive: true });
    } else if (kind === 'RUN') {
      const result = await run(workdir, 'bash', ['-c', text], INSTALL_TIMEOUT_MS, env);
      if (result.exitCode !== 0) throw new Error(`Dockerfile builder stage: RUN ${text} failed\n${result.output}`);
    } else throw new Error(`Dockerfile builder stage: no stand-in for ${kind} ${text}: extend runBuilderStage`);
  }
  expect(env.UV_PROJECT_ENVIRONMENT, 'the builder installs into UV_PROJECT_ENVIRONMENT').toBeDefined();
  return env.UV_PROJECT_ENVIRONMENT!;
}
