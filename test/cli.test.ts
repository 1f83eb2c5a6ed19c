// The real bin, spawned with execa: help, version, non-interactive creation (bad input: bad-inputs.test.ts).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS, BACKENDS, FRAMEWORKS, RUN_OPTIONS } from '../generators/shared/options.js';
import { listTree, readYoRc, REPO_ROOT, runCli, tempDir } from './helpers/cli.js';
import { toolPath } from './tools/index.js';

const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;

describe('--help and --version', () => {
  it('--help lists every declared option with its choices and default', async () => {
    const result = await runCli(['--help'], { cwd: tempDir() });
    expect(result.exitCode).toBe(0);
    const text = result.stdout.replace(/\s+/g, ' '); // option text is wrapped to 100 columns
    for (const decl of [...Object.values(ANSWERS), ...Object.values(RUN_OPTIONS)]) {
      expect(text).toContain(`--${decl.flag}`);
      expect(text).toContain(`default: ${decl.defaultText}`);
    }
    expect(text).toContain(`choices: ${FRAMEWORKS.join(', ')}`);
    expect(text).toContain(`choices: ${BACKENDS.join(', ')}`);
    expect(Math.max(...result.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('--version prints the package version', async () => {
    const result = await runCli(['--version'], { cwd: tempDir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});

describe('non-interactive creation', () => {
  let cwd: string;
  let project: string;
  beforeAll(async () => {
    cwd = tempDir();
    project = join(cwd, 'shop-api');
    const result = await runCli(
      ['shop-api', '--environments', 'development,production', '--backend', 'development=jaeger', '--backend', 'production=datadog', '--yes', '--skip-install', '--skip-git'],
      { cwd },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/error/i);
  });

  it('writes the project and saves answers and version in .yo-rc.json', () => {
    const saved = readYoRc(project);
    expect(saved.version).toBe(version);
    expect(saved.answers).toEqual({
      name: 'shop-api',
      framework: 'fastapi',
      environments: ['development', 'production'],
      backends: { development: 'jaeger', production: 'datadog' },
      datadogAgent: 'operator',
      // The tests' PATH has uv (test/setup/path.ts).
      pm: 'uv',
      sampleRates: {},
    });
    const files = listTree(project);
    expect(files).toContain('src/shop_api/app.py');
    expect(files).toContain('deploy/k8s/overlays/production/kustomization.yaml');
    expect(files.some((f) => f.includes('overlays/staging'))).toBe(false);
    expect(files.filter((f) => f.startsWith('deploy/k8s/datadog/'))).toEqual([
      'deploy/k8s/datadog/datadog-agent.yaml',
      'deploy/k8s/datadog/kustomization.yaml',
      'deploy/k8s/datadog/namespace.yaml',
    ]);
    // Every rendered file is recorded as managed, with the hash of what was written.
    expect(Object.keys(saved.managedFiles).sort()).toEqual(
      files.filter((f) => f !== '.yo-rc.json' && !f.startsWith('.create-instrumented-api/')),
    );
  });

  it('did not run git (--skip-git)', () => {
    expect(existsSync(join(project, '.git'))).toBe(false);
  });

  it('takes answers from --answers, with flags winning over the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'answers.json'), JSON.stringify({ name: 'from-file', environments: 'development,qa', backends: { qa: 'otlp' } }));
    const result = await runCli(['--answers', 'answers.json', '--environments', 'development,qa,prod', '--yes', '--skip-install', '--skip-git'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readYoRc(join(dir, 'from-file')).answers).toEqual({
      name: 'from-file',
      framework: 'fastapi',
      environments: ['development', 'qa', 'prod'],
      backends: { development: 'jaeger', qa: 'otlp', prod: 'datadog' },
      datadogAgent: 'operator',
      pm: 'uv',
      sampleRates: {},
    });
  });

  it('--datadog-agent picks how the Agent is installed, and is saved', async () => {
    const dir = tempDir();
    const result = await runCli(['helm-api', '--datadog-agent', 'helm', '--yes', '--skip-install', '--skip-git'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const project = join(dir, 'helm-api');
    expect(readYoRc(project).answers.datadogAgent).toBe('helm');
    expect(listTree(project).filter((f) => f.startsWith('deploy/k8s/datadog/'))).toEqual([
      'deploy/k8s/datadog/namespace.yaml',
      'deploy/k8s/datadog/values.yaml',
    ]);
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('helm upgrade --install datadog-agent datadog/datadog');
  });

  it('makes the first git commit unless --skip-git', async () => {
    const dir = tempDir();
    const result = await runCli(['git-api', '--yes', '--skip-install'], { cwd: dir, env: { GIT_CONFIG_GLOBAL: '/dev/null' } });
    expect(result.exitCode).toBe(0);
    const { execa } = await import('execa');
    const log = await execa('git', ['log', '--oneline'], { cwd: join(dir, 'git-api') });
    expect(log.stdout).toContain('Initial commit from create-instrumented-api');
    const status = await execa('git', ['status', '--porcelain'], { cwd: join(dir, 'git-api') });
    expect(status.stdout).toBe('');
  });
});

describe('--pm of a Python project: uv when it is on PATH, else pip', () => {
  /** A PATH for the bin: node alone, or node and the pinned uv (test/tools/uv.sh). */
  async function pathWith(uv: boolean): Promise<string> {
    const bin = tempDir('cia-path-');
    symlinkSync(process.execPath, join(bin, 'node'));
    return uv ? `${bin}${delimiter}${dirname(await toolPath('uv'))}` : bin;
  }

  it.each([
    ['no uv on PATH', 'pip', false, []],
    ['uv on PATH', 'uv', true, []],
    ['--pm pip with uv on PATH', 'pip', true, ['--pm', 'pip']],
  ] as const)('%s → %s', async (_label, pm, uv, flags) => {
    const cwd = tempDir();
    const result = await runCli(['py-api', ...flags, '--yes', '--skip-install', '--skip-git'], { cwd, env: { PATH: await pathWith(uv) } });
    expect(result.exitCode, result.stderr).toBe(0);
    const project = join(cwd, 'py-api');
    expect(readYoRc(project).answers.pm).toBe(pm);
    // The files follow the answer: the image installs from uv.lock, or with pip.
    const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
    if (pm === 'uv') expect(dockerfile).toContain('RUN uv sync --locked --no-dev --no-editable');
    else expect(dockerfile).toContain('RUN pip install .');
    expect(result.stdout).toContain(pm === 'uv' ? '\n  uv sync   # install dependencies\n' : '\n  python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"   # install dependencies\n');
  });
});

describe('a path as the first argument (as create-vite takes one)', () => {
  it('creates the project there, named after its last part, and the next steps cd from where it ran', async () => {
    const root = tempDir();
    const cwd = join(root, 'here');
    mkdirSync(cwd);
    const result = await runCli(['../services/orders-api', '--yes', '--skip-install', '--skip-git'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readYoRc(join(root, 'services/orders-api')).answers.name).toBe('orders-api');
    expect(readFileSync(join(root, 'services/orders-api/src/orders_api/app.py'), 'utf8')).toContain('def create_app(');
    expect(`${result.stdout}${result.stderr}`).toContain('\n  cd ../services/orders-api\n');
    expect(listTree(cwd)).toEqual([]);
  });

  it('"." creates the project in the current (empty) folder, named after it', async () => {
    const cwd = join(tempDir(), 'dot-api');
    mkdirSync(cwd);
    const result = await runCli(['.', '--yes', '--skip-install', '--skip-git'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readYoRc(cwd).answers.name).toBe('dot-api');
    expect(`${result.stdout}${result.stderr}`).toContain('Next steps:\n  uv sync   # install dependencies\n');
  });
});

// Bad input (names, flags, answers files, target folders): test/bad-inputs.test.ts, the catalogue.

describe('--force', () => {
  it('--force writes into a non-empty folder and keeps unrelated files', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'mine');
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git', '--force'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'my-api', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'my-api', 'src/my_api/app.py'))).toBe(true);
  });
});
