// `create-instrumented-api refresh` through the real bin (compiled dist/, as users and CI run it).
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_VERSION } from '../generators/shared/paths.js';
import { STATE_KEY, YO_RC_PATH } from '../generators/shared/state.js';
import { runCli as spawnCli, tempDir } from './helpers/cli.js';
import { answersFor, commitAll, generateProject, git, previousTemplates, snapshot } from './helpers/refresh.js';

async function runCli(args: string[], options: { cwd: string }): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  const result = await spawnCli(args, options);
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const APPENDED = '\n\ndef appended_by_user() -> str:\n    return "kept"\n';

describe('the issue\'s walk-through on a real generated project', () => {
  it('generate development,production; commit; append a function; check; add staging; check', async () => {
    const parent = tempDir('cia-refresh-cli-');
    const created = await runCli(['my-api', '--environments', 'development,production', '--yes', '--skip-install'], { cwd: parent });
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = join(parent, 'my-api');
    expect(git(dir, 'log', '--oneline')).toMatch(/Initial commit/);
    const app = join(dir, 'src/my_api/app.py');
    appendFileSync(app, APPENDED);
    commitAll(dir, 'add a function');

    const check1 = await runCli(['refresh', '--check'], { cwd: dir });
    expect(check1.exitCode, check1.stdout + check1.stderr).toBe(0);

    const refresh = await runCli(['refresh', '--environments', 'development,staging,production', '--yes'], { cwd: dir });
    expect(refresh.exitCode, refresh.stderr).toBe(0);
    expect(refresh.stderr).toBe('');
    expect(refresh.stdout).toContain('added    deploy/k8s/overlays/staging/kustomization.yaml');
    expect(readFileSync(app, 'utf8').endsWith(APPENDED)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, YO_RC_PATH), 'utf8'))[STATE_KEY].answers.environments).toEqual([
      'development',
      'staging',
      'production',
    ]);

    const check2 = await runCli(['refresh', '--check'], { cwd: dir });
    expect(check2.exitCode, check2.stdout).toBe(0);
    // Uncommitted refresh results make a second refresh refuse (check is fine, as above).
    const again = await runCli(['refresh', '--yes'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/^create-instrumented-api refresh: uncommitted changes in the git work tree .*--allow-dirty$/);
  });
});

describe('a real version bump through the bin', () => {
  let previous: string;
  beforeAll(() => {
    previous = previousTemplates();
  });
  afterAll(() => rmSync(join(previous, '..'), { recursive: true, force: true }));

  it('refreshes a project made by the previous release and its template to this release', async () => {
    const dir = tempDir('cia-refresh-cli-');
    await generateProject(dir, answersFor({ environments: ['development', 'production'] }), {
      templatesDir: previous,
      version: '0.0.1',
      git: true,
    });
    appendFileSync(join(dir, 'src/svc/app.py'), APPENDED);
    commitAll(dir, 'edit');
    const check = await runCli(['refresh', '--check', '--json'], { cwd: dir });
    expect(check.exitCode).toBe(1);
    const run = await runCli(['refresh', '--yes', '--json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      from: '0.0.1',
      to: GENERATOR_VERSION,
      merged: ['src/svc/app.py'],
      added: ['.github/workflows/template-refresh.yml'],
      removed: ['OLD_NOTES.md', 'legacy/config.txt'],
    });
    // --check predicted exactly what the refresh then changed.
    expect(report.files).toEqual(JSON.parse(check.stdout).files);
    commitAll(dir, 'refreshed');
    expect((await runCli(['refresh', '--check'], { cwd: dir })).exitCode).toBe(0);
  });
});

describe('run from a subfolder of the project', () => {
  it('finds the project above (as git does), says where, and refreshes only the project', async () => {
    const dir = tempDir('cia-refresh-cli-');
    await generateProject(dir, answersFor({ environments: ['development'] }), { version: GENERATOR_VERSION, git: true });
    const sub = join(dir, 'src/svc');
    const before = snapshot(dir);

    const check = await runCli(['refresh', '--check', '--json'], { cwd: sub });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stderr).toBe(`refreshing the project in ${dir}`);
    expect(JSON.parse(check.stdout)).toMatchObject({ to: GENERATOR_VERSION, conflicted: [] });

    const run = await runCli(['refresh', '--environments', 'development,staging', '--yes'], { cwd: sub });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('added    deploy/k8s/overlays/staging/kustomization.yaml');
    expect(snapshot(dir)).not.toEqual(before);
    expect(readFileSync(join(dir, 'deploy/k8s/overlays/staging/kustomization.yaml'), 'utf8')).toContain('kind: Kustomization');
  });
});

// Refusals through the bin (one line, exit 2, nothing changed): test/bad-inputs.test.ts, the catalogue.

describe('refresh --help', () => {
  it('prints the refresh usage', async () => {
    const run = await runCli(['refresh', '--help'], { cwd: tempDir() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: create-instrumented-api refresh \[options\]/);
  });
});
