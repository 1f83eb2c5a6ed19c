// The published package, as `npm create instrumented-api` gets it: `npm pack` of this folder
// (after `npm run build`, as `npm test` does), installed from the tarball into an empty prefix, with
// its bin run from there. The CLI ships as one self-contained bundle (dist/bundle/) plus templates:
// no runtime dependencies, so installing it fetches one package, not yeoman's hundreds.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../generators/shared/options.js';
import { listTree, readYoRc, REPO_ROOT, runCli, tempDir, walkThroughTerminal } from './helpers/cli.js';

const NPM_ENV = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

describe('the npm package', () => {
  let work: string;
  let tarball: string;
  let installedBin: string;
  let installOutput: string;

  beforeAll(async () => {
    work = tempDir('cia-package-');
    // --ignore-scripts: prepack would rebuild dist/ while other test files use it; npm test built it.
    const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: REPO_ROOT,
      env: NPM_ENV,
    });
    tarball = join(work, JSON.parse(pack.stdout)[0].filename);
    const prefix = join(work, 'prefix');
    // --offline: a package without dependencies installs from the tarball alone.
    const install = await execa('npm', ['install', '--offline', '--prefix', prefix, tarball], { env: NPM_ENV });
    installOutput = install.stdout;
    installedBin = join(prefix, 'node_modules/.bin/create-instrumented-api');
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has no runtime dependencies and ships the bundle, not the compiled sources or tests', async () => {
    const list = await execa('tar', ['-tzf', tarball]);
    const files = list.stdout.split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('dist/bundle/cli.js');
    expect(files).toContain('bin/create-instrumented-api.js');
    expect(files.filter((f) => f.startsWith('templates/')).length).toBeGreaterThan(50);
    expect(files.filter((f) => /^dist\/(generators|test|bench)\//.test(f))).toEqual([]);
    const manifest = JSON.parse((await execa('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(installOutput).toMatch(/added 1 package/);
    expect(readdirSync(join(work, 'prefix/node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['create-instrumented-api']);
  });

  it('prints its help from the installed bin', async () => {
    const help = await execa(installedBin, ['--help'], { stdin: 'ignore' });
    expect(help.stdout).toMatch(/^Usage: create-instrumented-api/m);
    expect(help.stdout).toContain('--framework');
  });

  it('walks through the prompts in a real terminal (the bundled prompt modules load)', async () => {
    const cwd = tempDir('cia-package-tty-');
    try {
      const { result, screen } = await walkThroughTerminal(
        cwd,
        [
          [/Project name/, 'tty-api\r'],
          [/Framework/, '\u001b[B\r'], // one down from fastapi = express
          [/Environments/, '\r'],
          [/Tracing backend for development/, '\r'],
          [/Tracing backend for staging/, '\r'],
          [/Tracing backend for production/, '\r'],
          [/How the Datadog Agent is installed/, '\r'],
          [/Package manager/, '\r'],
        ],
        installedBin,
      );
      expect(result.exitCode, screen.slice(-2000)).toBe(0);
      expect(readYoRc(join(cwd, 'tty-api')).answers).toMatchObject({ name: 'tty-api', framework: 'express', datadogAgent: 'operator' });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it.each(FRAMEWORKS)('generates the same %s project as the repository bin, and refresh --check finds it current', async (framework) => {
    const args = ['my-api', '--framework', framework, '--yes', '--skip-install', '--skip-git'];
    const fromPackage = tempDir('cia-package-gen-');
    const fromRepo = tempDir('cia-repo-gen-');
    try {
      const installed = await execa(installedBin, args, { cwd: fromPackage, stdin: 'ignore', reject: false });
      expect(installed.exitCode, installed.stderr).toBe(0);
      const repo = await runCli(args, { cwd: fromRepo });
      expect(repo.exitCode, repo.stderr).toBe(0);

      const project = join(fromPackage, 'my-api');
      const tree = listTree(project);
      expect(tree).toEqual(listTree(join(fromRepo, 'my-api')));
      expect(tree).toContain('.yo-rc.json');
      for (const path of tree) {
        expect(readFileSync(join(project, path), 'utf8'), path).toBe(readFileSync(join(fromRepo, 'my-api', path), 'utf8'));
      }
      const check = await execa(installedBin, ['refresh', '--check'], { cwd: project, stdin: 'ignore', reject: false });
      expect(check.exitCode, check.stderr + check.stdout).toBe(0);
      expect(existsSync(join(project, 'node_modules'))).toBe(false);
    } finally {
      rmSync(fromPackage, { recursive: true, force: true });
      rmSync(fromRepo, { recursive: true, force: true });
    }
  });
});
