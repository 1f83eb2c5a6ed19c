// What happens after the files are on disk: dependency install and the first git commit. The
// tools' own output (pip's wheel hashes, npm's warnings) goes to a log file, not the screen; when a
// step fails, its last lines and the log's path are shown instead.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { InstallPlan } from '../shared/frameworks.js';

export class InstallError extends Error {}

/** How many lines of a failed install's output are shown on the screen. */
const TAIL_LINES = 20;

/**
 * Runs the install commands in `dir`, output (stdout and stderr, interleaved as written) to a log
 * file that is removed when everything succeeds. On failure: InstallError with the log's tail and
 * path, and how to run the install again.
 */
export async function runInstall(dir: string, install: InstallPlan): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'create-instrumented-api-install-'));
  const log = join(logDir, 'install.log');
  for (const [command, ...args] of install.commands) {
    appendFileSync(log, `$ ${[command, ...args].join(' ')}\n`);
    const toLog = { file: log, append: true } as const;
    const result = await execa(command, args, { cwd: dir, stdin: 'ignore', stdout: toLog, stderr: toLog, reject: false });
    if (result.exitCode !== 0) {
      const why =
        result.exitCode !== undefined
          ? `exited ${result.exitCode}`
          : (result as { code?: string }).code === 'ENOENT'
            ? 'was not found: install it'
            : (result.signal ?? result.shortMessage);
      appendFileSync(log, `\n${command} ${why}\n`);
      const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
      throw new InstallError(
        `installing dependencies failed (${command} ${why}). Last lines of ${log}:\n${tail}\n` +
          `Fix the cause, then run "${install.label}" in ${dir}`,
      );
    }
  }
  rmSync(logDir, { recursive: true, force: true });
}

/** Why no repository should be made in `dir`, or undefined when one should. */
export async function gitSkipReason(dir: string): Promise<string | undefined> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
  if (inside.failed && (inside as { code?: string }).code === 'ENOENT')
    return 'Skipped git init: git not found (install git, then run "git init")';
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return 'Skipped git init: inside an existing git work tree';
  return undefined;
}

/** git init, add everything, and the first commit. */
export async function initGit(dir: string): Promise<void> {
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  // A machine without a git identity (fresh CI) still gets the first commit.
  const email = await execa('git', ['config', 'user.email'], { cwd: dir, reject: false });
  const identity = email.stdout.trim()
    ? []
    : ['-c', 'user.name=create-instrumented-api', '-c', 'user.email=create-instrumented-api@users.noreply.invalid'];
  await execa('git', [...identity, 'commit', '-q', '-m', 'Initial commit from create-instrumented-api'], { cwd: dir });
}
