// The generated .github/workflows/template-refresh.yml: its shape (triggers, least privilege, pinned
// actions, no secrets), actionlint with shellcheck (every generated workflow), and its shell steps run for real
// against a local git "server" with stand-ins for npx/npm/gh — so the refresh → patch → commit →
// push → pull request path is exercised, not just read.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PartialAnswers } from '../generators/shared/answers.js';
import { FRAMEWORKS, PYTHON_PACKAGE_MANAGERS } from '../generators/shared/options.js';
import { GENERATOR_VERSION } from '../generators/shared/paths.js';
import { renderProject } from '../generators/shared/render.js';
import { BIN, tempDir } from './helpers/cli.js';
import { answersFor, commitAll, generateProject, git, previousTemplates } from './helpers/refresh.js';
import { toolPath } from './tools/index.js';

const WORKFLOW = '.github/workflows/template-refresh.yml';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  permissions: Record<string, string>;
  steps: Step[];
  needs?: string;
  if?: string;
  outputs?: Record<string, string>;
}

let text: string;
let workflow: { on: Record<string, unknown>; permissions: unknown; env: Record<string, string>; jobs: Record<string, Job> };

beforeAll(async () => {
  const files = await renderProject(answersFor({}));
  text = files.get(WORKFLOW)!;
  expect(text).toBeDefined();
  workflow = parse(text);
});

describe('template-refresh.yml', () => {
  it('is rendered into every project, the same for every answer set (nothing project-specific in it)', async () => {
    for (const environments of [['development'], ['development', 'production'], ['qa', 'prod']]) {
      const files = await renderProject(answersFor({ name: 'other-api', environments }));
      expect(files.get(WORKFLOW)).toBe(text);
    }
    // It must not change with every release either: GITHUB_TOKEN cannot push workflow changes.
    const other = await renderProject(answersFor({}), { generatorVersion: '9.9.9' });
    expect(other.get(WORKFLOW)).toBe(text);
  });

  it('runs on a schedule and on manual dispatch', () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  it('grants least privilege: nothing by default, read for the job running the tool, write only where the PR is made', () => {
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.refresh!.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs['pull-request']!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(Object.keys(workflow.jobs).sort()).toEqual(['pull-request', 'refresh']);
  });

  it('pins every action to a full commit SHA and keeps credentials off disk', () => {
    const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses));
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const step of uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    for (const line of text.split('\n').filter((l) => l.includes('uses: '))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    for (const step of uses.filter((s) => s.uses!.startsWith('actions/checkout@')))
      expect(step.with?.['persist-credentials']).toBe(false);
  });

  it('uses no secret beyond the workflow token, and no expression inside a script', () => {
    expect(text).not.toMatch(/secrets\./);
    expect(text.match(/github\.token/g)).toHaveLength(1);
    for (const job of Object.values(workflow.jobs)) for (const step of job.steps) if (step.run) expect(step.run).not.toContain('${{');
  });

  it('runs the refresh with --yes --json from an exact npm release', () => {
    const run = workflow.jobs.refresh!.steps.find((s) => s.id === 'refresh')!.run!;
    expect(run).toContain('npx --yes "create-instrumented-api@${VERSION}" refresh --yes --json');
  });

});

// Every workflow a project gets (ci.yml per framework, template-refresh.yml), linted by actionlint
// with shellcheck on the run: scripts, both fetched by the tests (test/tools/).
describe('generated workflows pass actionlint and shellcheck', () => {
  const lint = async (files: Map<string, string>) => {
    const dir = tempDir('cia-actionlint-');
    const workflows = [...files.keys()].filter((p) => p.startsWith('.github/workflows/'));
    for (const path of workflows) {
      mkdirSync(join(dir, '.github/workflows'), { recursive: true });
      writeFileSync(join(dir, path), files.get(path)!);
    }
    const [actionlint, shellcheck] = await Promise.all([toolPath('actionlint'), toolPath('shellcheck')]);
    const result = await execa(actionlint, ['-no-color', '-shellcheck', shellcheck, ...workflows], { cwd: dir, reject: false });
    return { workflows, output: `${result.stdout}${result.stderr}`, exitCode: result.exitCode };
  };

  // Every framework with its default answers, and the package managers whose CI differs.
  const variants: Array<[string, PartialAnswers]> = [
    ...FRAMEWORKS.map((framework) => [framework, { framework }] as [string, PartialAnswers]),
    ...PYTHON_PACKAGE_MANAGERS.map((pm) => [`fastapi (${pm})`, { framework: 'fastapi', pm }] as [string, PartialAnswers]),
  ];
  it.each(variants)('%s: every workflow is clean', async (_label, answers) => {
    const { workflows, output, exitCode } = await lint(await renderProject(answersFor(answers)));
    expect(workflows).toContain(WORKFLOW);
    expect(output).toBe('');
    expect(exitCode).toBe(0);
  });

  it('reports a shellcheck finding in a run: script (shellcheck really runs)', async () => {
    const bad = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ls $HOME/*.txt\n';
    const { output, exitCode } = await lint(new Map([['.github/workflows/bad.yml', bad]]));
    expect(output).toContain('SC2086');
    expect(exitCode).not.toBe(0);
  });
});

describe('template-refresh.yml, run for real', () => {
  let root: string;
  let project: string;
  let server: string;
  let fakeBin: string;
  let log: string;
  beforeAll(async () => {
    root = tempDir('cia-workflow-');
    fakeBin = join(root, 'bin');
    log = join(root, 'calls.log');
    mkdirSync(fakeBin);
    const fake = (name: string, body: string) => {
      writeFileSync(join(fakeBin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(fakeBin, name), 0o755);
    };
    // npx --yes create-instrumented-api@VERSION refresh …  →  this repo's bin
    fake('npx', `echo "npx $*" >> "$FAKE_LOG"\nshift 2\nexec node "$CIA_BIN" "$@"`);
    fake('npm', `echo "npm $*" >> "$FAKE_LOG"\nprintf '%s\\n' "$FAKE_NPM_VIEW"`);
    fake('gh', `echo "gh $*" >> "$FAKE_LOG"\nif [ "$1 $2" = "pr list" ]; then printf '%s\\n' "$FAKE_PR_NUMBER"; fi`);

    // A project made by the previous release, pushed to a local "GitHub".
    const previous = previousTemplates();
    server = join(root, 'server/acme/svc.git');
    mkdirSync(server, { recursive: true });
    git(server, 'init', '-q', '--bare', '--initial-branch=main');
    project = join(root, 'checkout');
    mkdirSync(project);
    await generateProject(project, answersFor({ environments: ['development', 'production'] }), { templatesDir: previous, version: '0.0.1' });
    git(project, 'init', '-q', '--initial-branch=main');
    // The workflow file itself is in the repository (rendered by the current release).
    mkdirSync(join(project, '.github/workflows'), { recursive: true });
    writeFileSync(join(project, WORKFLOW), text);
    commitAll(project, 'initial');
    git(project, 'remote', 'add', 'origin', server);
    git(project, 'push', '-q', 'origin', 'main');
    rmSync(join(previous, '..'), { recursive: true, force: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function env(extra: Record<string, string>): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      PATH: `${fakeBin}${delimiter}${process.env.PATH}`,
      FAKE_LOG: log,
      CIA_BIN: BIN,
      FAKE_NPM_VIEW: '"0.1.0"',
      FAKE_PR_NUMBER: '',
      RUNNER_TEMP: join(root, 'runner-temp'),
      GITHUB_OUTPUT: join(root, 'github-output'),
      GITHUB_STEP_SUMMARY: join(root, 'summary.md'),
      GITHUB_SERVER_URL: 'https://github.com',
      BRANCH: workflow.env.BRANCH!,
      ...extra,
    };
  }

  /** Runs a step's script the way the runner does (`bash -e {0}`). */
  async function runStep(job: string, match: (s: Step) => boolean, cwd: string, extra: Record<string, string>) {
    const step = workflow.jobs[job]!.steps.find(match)!;
    const script = join(root, `step-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(script, step.run!);
    writeFileSync(join(root, 'github-output'), '');
    const result = await execa('bash', ['--noprofile', '--norc', '-e', script], { cwd, env: env(extra), reject: false });
    const outputs = Object.fromEntries(
      readFileSync(join(root, 'github-output'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return { ...result, outputs };
  }

  const freshCheckout = () => {
    const dir = join(root, `pr-job-${Math.random().toString(36).slice(2)}`);
    execFileSync('git', ['clone', '-q', server, dir]);
    return dir;
  };

  it('resolves the tool version to an exact release, and rejects a range that matches none', async () => {
    const ok = await runStep('refresh', (s) => s.id === 'version', project, { WANTED: 'latest' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.outputs).toEqual({ version: '0.1.0' });
    const range = await runStep('refresh', (s) => s.id === 'version', project, { WANTED: '^0.1', FAKE_NPM_VIEW: '["0.1.0","0.1.1"]' });
    expect(range.outputs).toEqual({ version: '0.1.1' });
    const none = await runStep('refresh', (s) => s.id === 'version', project, { WANTED: '^7', FAKE_NPM_VIEW: '' });
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toContain('::error::no create-instrumented-api release matches "^7"');
  });

  it('refreshes, makes the patch and the PR body, then commits, pushes and opens the pull request', async () => {
    const refresh = await runStep('refresh', (s) => s.id === 'refresh', project, { VERSION: '0.1.0' });
    expect(refresh.exitCode, refresh.stdout + refresh.stderr).toBe(0);
    expect(refresh.outputs).toEqual({ changed: 'true' });
    const out = join(root, 'runner-temp/template-refresh');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ from: '0.0.1', merged: [], removed: ['OLD_NOTES.md', 'legacy/config.txt'] });
    expect(report.excluded).toContain(WORKFLOW);
    const body = readFileSync(join(out, 'body.md'), 'utf8');
    expect(body).toContain('from the create-instrumented-api 0.0.1 template to the 0.1.0 template');
    expect(body).toContain('### Removed (no longer in the template)\n\n- `OLD_NOTES.md`\n- `legacy/config.txt`\n');
    expect(body).toContain('<details><summary>Report</summary>');
    expect(readFileSync(join(out, 'refresh.patch'), 'utf8')).toContain('diff --git a/OLD_NOTES.md b/OLD_NOTES.md');
    expect(readFileSync(log, 'utf8')).toContain('npx --yes create-instrumented-api@0.1.0 refresh --yes --json --exclude .github/workflows/');

    const checkout = freshCheckout();
    const pr = await runStep('pull-request', (s) => Boolean(s.run), checkout, {
      GH_TOKEN: 'token-not-used',
      VERSION: '0.1.0',
      BASE_BRANCH: 'main',
    });
    expect(pr.exitCode, pr.stdout + pr.stderr).toBe(0);
    const branch = workflow.env.BRANCH!;
    expect(git(server, 'log', '-1', '--format=%an <%ae>|%s', branch).trim()).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|Refresh to the create-instrumented-api 0.1.0 template',
    );
    expect(git(server, 'show', '--stat', '--format=', branch)).toContain('OLD_NOTES.md');
    expect(readFileSync(log, 'utf8')).toMatch(
      /gh pr create --base main --head create-instrumented-api\/template-refresh --title Refresh to the create-instrumented-api 0\.1\.0 template --body-file .*body\.md/,
    );
  });

  it('updates the open pull request on the next run, but never overwrites a person\'s commits', async () => {
    const again = await runStep('pull-request', (s) => Boolean(s.run), freshCheckout(), {
      GH_TOKEN: 't',
      VERSION: '0.1.0',
      BASE_BRANCH: 'main',
      FAKE_PR_NUMBER: '7',
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/gh pr edit 7 --title Refresh to the create-instrumented-api 0\.1\.0 template --body-file /);

    // A person resolves something on the branch.
    const human = freshCheckout();
    git(human, 'checkout', '-q', workflow.env.BRANCH!);
    writeFileSync(join(human, 'RESOLVED.md'), 'by hand\n');
    git(human, 'add', '-A');
    execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', 'commit', '-qm', 'resolve'], { cwd: human });
    git(human, 'push', '-q', 'origin', workflow.env.BRANCH!);
    const head = git(server, 'rev-parse', workflow.env.BRANCH!);
    const blocked = await runStep('pull-request', (s) => Boolean(s.run), freshCheckout(), { GH_TOKEN: 't', VERSION: '0.1.0', BASE_BRANCH: 'main' });
    expect(blocked.exitCode).toBe(0);
    expect(blocked.stdout).toContain('::warning::create-instrumented-api/template-refresh has commits by someone else');
    expect(git(server, 'rev-parse', workflow.env.BRANCH!)).toBe(head);
  });

  it('reports "no change" when the project is up to date', async () => {
    const dir = freshCheckout();
    const upToDate = join(root, 'up-to-date');
    // Generated by this very release (the bin that the faked npx runs), so there is nothing to do.
    await generateProject(upToDate, answersFor({}), { version: GENERATOR_VERSION, git: true });
    expect(existsSync(dir)).toBe(true);
    const run = await runStep('refresh', (s) => s.id === 'refresh', upToDate, { VERSION: '0.1.0' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.outputs).toEqual({ changed: 'false' });
  });

  it('brings a committed uv.lock up to the refreshed pyproject.toml (uv lock), in the pull request', async () => {
    const checkout = freshCheckout();
    // A lock that predates a dependency (as after a template release that adds one): locked without it.
    const uvEnv = { ...env({}), UV_CACHE_DIR: join(homedir(), '.cache', 'create-instrumented-api', 'uv-cache'), UV_PYTHON_DOWNLOADS: 'never' };
    const pyproject = readFileSync(join(checkout, 'pyproject.toml'), 'utf8');
    writeFileSync(join(checkout, 'pyproject.toml'), pyproject.replace(/^ {4}"pydantic-settings.*\n/m, ''));
    const stale = await execa('uv', ['lock'], { cwd: checkout, env: uvEnv, reject: false, all: true });
    expect(stale.exitCode, stale.all).toBe(0);
    writeFileSync(join(checkout, 'pyproject.toml'), pyproject);
    expect(readFileSync(join(checkout, 'uv.lock'), 'utf8')).not.toContain('name = "pydantic-settings"');
    commitAll(checkout, 'uv lock');

    const refresh = await runStep('refresh', (s) => s.id === 'refresh', checkout, { VERSION: '0.1.0', ...uvEnv });
    expect(refresh.exitCode, refresh.stdout + refresh.stderr).toBe(0);
    const patch = readFileSync(join(root, 'runner-temp/template-refresh/refresh.patch'), 'utf8');
    expect(patch.split('\n').filter((line) => line.startsWith('diff --git '))).toContain('diff --git a/uv.lock b/uv.lock');
    expect(patch.split('\n').filter((line) => line.startsWith('+name = '))).toContain('+name = "pydantic-settings"');
    const check = await execa('uv', ['lock', '--check'], { cwd: checkout, env: uvEnv, reject: false, all: true });
    expect(check.exitCode, check.all).toBe(0);
    // The setup step runs only where there is a lock to update.
    expect(workflow.jobs.refresh!.steps.find((step) => step.uses?.startsWith('astral-sh/setup-uv@'))?.if).toBe("hashFiles('uv.lock') != ''");
  });
});
