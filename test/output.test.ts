// What creating a project prints, through the real bin: one line per step (files, install, git), a
// spinner with a clock on a terminal and plain lines without one, the file list only with --verbose,
// the install's own output only when it fails (its tail and the log's path).
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, readYoRc, runCli, tempDir } from './helpers/cli.js';

const STEP = (label: string) => new RegExp(`^${label} \\.\\.\\. done \\(\\d+\\.\\d s\\)$`);

describe('without a terminal (CI, pipes)', () => {
  it('prints one plain line per step, no file list, no tool output, then the next steps', async () => {
    const cwd = tempDir('cia-out-');
    // A real install (go mod tidy: quick once the module cache is warm) and a real first commit.
    const result = await runCli(['my-api', '--framework', 'go', '--yes'], { cwd, timeout: 300_000, env: { GIT_CONFIG_GLOBAL: '/dev/null' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    // Every managed file, .yo-rc.json and the refresh base store.
    const files = Object.keys(readYoRc(join(cwd, 'my-api')).managedFiles).length + 2;
    expect(lines[0]).toMatch(STEP(`Wrote ${files} files to my-api`));
    expect(lines[1]).toMatch(STEP('Installing dependencies with go mod tidy'));
    expect(lines[2]).toMatch(STEP('Initializing a git repository'));
    expect(lines.slice(3, 6)).toEqual(['', `Created my-api (Go net/http) in ${join(cwd, 'my-api')}`, '']);
    expect(lines[6]).toBe('Next steps:');
    expect(result.stdout).not.toMatch(/\bcreate\b|\bforce\b|go: downloading|\x1b/);
  });

  it('--verbose adds the list of files written', async () => {
    const cwd = tempDir('cia-out-');
    const result = await runCli(['my-api', '--yes', '--skip-install', '--skip-git', '--verbose'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const output = `${result.stdout}${result.stderr}`;
    for (const file of ['compose.yaml', 'src/my_api/app.py', 'deploy/k8s/base/deployment.yaml'])
      expect(output).toMatch(new RegExp(`create my-api/${file.replace(/\./g, '\\.')}\\b`));
  });

  it('says why git init was skipped inside an existing work tree', async () => {
    const cwd = tempDir('cia-out-');
    await execa('git', ['init', '-q'], { cwd });
    const result = await runCli(['my-api', '--yes', '--skip-install'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toContain('Skipped git init: inside an existing git work tree');
  });
});

describe('a failing install', () => {
  it('shows the tail of the install log and its path, keeps the log, exits 1, and keeps the written files', async () => {
    const cwd = tempDir('cia-out-');
    // A real failure: go mod tidy with the module proxy switched off and an empty module cache.
    const gomodcache = tempDir('cia-empty-modcache-');
    const result = await runCli(['my-api', '--framework', 'go', '--yes', '--skip-git'], {
      cwd,
      env: { GOPROXY: 'off', GOMODCACHE: gomodcache, GOFLAGS: '-modcacherw' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^Installing dependencies with go mod tidy \.\.\. failed \(\d+\.\d s\)$/m);
    const log = /Last lines of (\S+install\.log):/.exec(result.stderr)?.[1];
    expect(log, result.stderr).toBeDefined();
    const logText = readFileSync(log!, 'utf8');
    expect(logText).toContain('$ go mod tidy');
    expect(logText).toMatch(/GOPROXY=off/);
    // The tool's output reached the screen only as the tail quoted in the error.
    expect(result.stderr).toMatch(/GOPROXY=off/);
    expect(result.stdout).not.toMatch(/GOPROXY/);
    expect(result.stderr).toContain(`Fix the cause, then run "go mod tidy" in ${join(cwd, 'my-api')}`);
    expect(existsSync(join(cwd, 'my-api/go.mod'))).toBe(true);
  });

  it('names a package manager that is not installed', async () => {
    const cwd = tempDir('cia-out-');
    // A PATH with node alone on it.
    const bin = tempDir('cia-path-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await runCli(['my-api', '--framework', 'express', '--pm', 'pnpm', '--yes', '--skip-git'], { cwd, env: { PATH: bin } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('installing dependencies failed (pnpm was not found: install it)');
  });
});

describe('on a terminal', () => {
  it('draws a spinner with a clock, then one ✔ line per step', async () => {
    const cwd = tempDir('cia-out-');
    const child = await execa('script', ['-qec', `node ${BIN} my-api --framework go --yes --skip-git`, '/dev/null'], {
      cwd,
      stdin: 'ignore',
      reject: false,
      timeout: 300_000,
      env: { TERM: 'xterm', COLUMNS: '100' },
    });
    expect(child.exitCode, child.stdout).toBe(0);
    const screen = child.stdout;
    expect(screen).toMatch(/✔ Wrote \d+ files to my-api \(\d+\.\d s\)/);
    // At least one spinner frame with its running clock, rewritten in place, then the ✔ line.
    expect(screen).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Installing dependencies with go mod tidy \d+\.\d s/);
    expect(screen).toMatch(/\r\x1b\[2K✔ Installing dependencies with go mod tidy \(\d+\.\d s\)/);
    expect(screen).toContain('Next steps:');
    expect(screen).not.toMatch(/ \.\.\. done/);
  });
});
