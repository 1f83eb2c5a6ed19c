// The real bin, spawned with execa: help, version, non-interactive creation and every bad input.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS, BACKENDS, FRAMEWORKS, RUN_OPTIONS } from '../generators/shared/options.js';
import { listTree, readYoRc, REPO_ROOT, runCli, tempDir } from './helpers/cli.js';

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
    expect(`${result.stdout}${result.stderr}`).toContain('Next steps:\n  python3 -m venv');
  });
});

describe('bad input: one clear line, exit code not 0, nothing written', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['name with a space', ['my api', '--yes'], /invalid project name "my api".*e\.g\. my-api/],
    ['upper-case name', ['MyApi', '--yes'], /invalid project name "MyApi"/],
    ['path whose last part is not a valid name', ['../sub/X_y', '--yes'], /invalid project name "X_y"/],
    ['path-like --name (the flag takes a name, not a path)', ['--name', '../x', '--yes'], /invalid project name "\.\.\/x"/],
    ['empty name', ['', '--yes'], /project name is empty/],
    ['reserved name', ['node_modules', '--yes'], /"node_modules" is reserved/],
    ['name that shadows a Python module', ['logging', '--yes'], /"logging" would make a Python package "logging" that shadows the module/],
    ['--pm for a Python framework', ['my-api', '--framework', 'fastapi', '--pm', 'pnpm', '--yes'], /--pm applies only with --framework express\|fastify/],
    ['invalid Go module path', ['my-api', '--framework', 'go', '--module', 'Bad Path', '--yes'], /invalid Go module path "Bad Path"/],
    ['unknown framework', ['my-api', '--framework', 'django', '--yes'], /unknown framework "django": use --framework fastapi\|express\|fastify\|go/],
    ['unknown backend', ['my-api', '--backend', 'production=zipkin', '--yes'], /unknown backend "zipkin" for production: choose one of jaeger, datadog/],
    ['backend for an unlisted environment', ['my-api', '--environments', 'development,production', '--backend', 'staging=datadog', '--yes'], /environment "staging", which is not in --environments/],
    ['backend without =', ['my-api', '--backend', 'datadog', '--yes'], /is not ENV=BACKEND/],
    ['duplicate environment', ['my-api', '--environments', 'development,prod,prod', '--yes'], /"prod" is listed twice/],
    ['environment that is not a DNS label', ['my-api', '--environments', 'development,Prod_1', '--yes'], /"Prod_1" is not a DNS label/],
    ['unknown flag', ['my-api', '--frobnicate', '--yes'], /Unknown option '--frobnicate'.*--help/],
    ['two names', ['my-api', 'other', '--yes'], /unexpected argument "other"/],
    ['missing answers file', ['my-api', '--answers', 'nope.json', '--yes'], /cannot read answers file nope\.json: ENOENT/],
    ['no terminal and a missing answer without --yes', ['my-api'], /no terminal to ask for --framework, --environments, --backend, --datadog-agent: pass them as flags.*--yes/],
    ['unknown Datadog Agent style', ['my-api', '--datadog-agent', 'kubectl', '--yes'], /unknown Datadog Agent style "kubectl": use --datadog-agent operator\|helm\|manifests\|existing/],
    ['--datadog-agent with no Datadog environment', ['my-api', '--environments', 'development,production', '--backend', 'production=otlp', '--datadog-agent', 'helm', '--yes'], /--datadog-agent applies only when an environment deployed to Kubernetes uses a Datadog backend: drop it or send a deployed environment there \(--backend <env>=datadog\)/],
    ['--datadog-agent when only the local environment uses Datadog', ['my-api', '--environments', 'development', '--backend', 'development=datadog', '--datadog-agent', 'operator', '--yes'], /--datadog-agent applies only when an environment deployed to Kubernetes uses a Datadog backend/],
    ['--datadog-agent whose environments come from the defaults', ['my-api', '--environments', 'development', '--datadog-agent', 'operator', '--yes'], /--datadog-agent applies only when/],
    ['--pm while the framework defaults to fastapi', ['my-api', '--pm', 'pnpm', '--yes'], /--pm applies only with --framework express\|fastify: drop it or change --framework/],
    ['no terminal and no name without --yes', ['--framework', 'fastapi'], /no terminal to ask for --name/],
  ];

  it.each(cases)('%s', async (_label, args, message) => {
    const cwd = tempDir();
    const result = await runCli(args, { cwd });
    expect(result.exitCode, result.stderr).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(listTree(cwd)).toEqual([]);
  });

  it('a corrupt answers file', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'a.json'), '{"name": ');
    const result = await runCli(['--answers', 'a.json', '--yes'], { cwd });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/answers file a\.json is not valid JSON .*fix the file/);
    expect(listTree(cwd)).toEqual(['a.json']);
  });

  it('an answers file with an unknown key', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'a.json'), '{"name": "x-api", "colour": "blue"}');
    const result = await runCli(['--answers', 'a.json', '--yes'], { cwd });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/unknown key "colour"/);
  });

  it('a non-empty target folder is left alone without --force', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'mine');
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git'], { cwd });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/folder my-api exists and is not empty: .*--force/);
    expect(listTree(cwd)).toEqual(['my-api/notes.txt']);
    expect(readFileSync(join(cwd, 'my-api', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('--force writes into a non-empty folder and keeps unrelated files', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', 'notes.txt'), 'mine');
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git', '--force'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'my-api', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'my-api', 'src/my_api/app.py'))).toBe(true);
  });

  it('an unreadable existing .yo-rc.json is reported, even with --force', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'my-api'));
    writeFileSync(join(cwd, 'my-api', '.yo-rc.json'), '{ not json');
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git', '--force'], { cwd });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/my-api\/\.yo-rc\.json cannot be read .*fix or delete it/);
    expect(listTree(cwd)).toEqual(['my-api/.yo-rc.json']);
  });

  it('an existing generated project points to refresh', async () => {
    const cwd = tempDir();
    expect((await runCli(['my-api', '--yes', '--skip-install', '--skip-git'], { cwd })).exitCode).toBe(0);
    const before = listTree(cwd);
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git'], { cwd });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/already a create-instrumented-api project: run "create-instrumented-api refresh"/);
    expect(listTree(cwd)).toEqual(before);
  });
});
