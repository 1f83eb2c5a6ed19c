// What happens after the files are on disk: dependency install and the first git commit.
import { execa } from 'execa';

export class InstallError extends Error {}

export async function runInstall(
  dir: string,
  install: { label: string; commands: [string, ...string[]][] },
  log: (line: string) => void,
): Promise<void> {
  log(`Installing dependencies: ${install.label}`);
  for (const [command, ...args] of install.commands) {
    const result = await execa(command, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], reject: false });
    if (result.exitCode !== 0)
      throw new InstallError(
        `installing dependencies failed (${command} exited ${result.exitCode ?? result.signal}): fix the cause above, then run "${install.label}" in ${dir}`,
      );
  }
}

export async function initGit(dir: string, log: (line: string) => void): Promise<void> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
  if (inside.failed && (inside as { code?: string }).code === 'ENOENT') {
    log('git not found: skipped git init (install git, then run "git init")');
    return;
  }
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') {
    log('Inside an existing git work tree: skipped git init');
    return;
  }
  log('Initializing git repository');
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  // A machine without a git identity (fresh CI) still gets the first commit.
  const email = await execa('git', ['config', 'user.email'], { cwd: dir, reject: false });
  const identity = email.stdout.trim()
    ? []
    : ['-c', 'user.name=create-instrumented-api', '-c', 'user.email=create-instrumented-api@users.noreply.invalid'];
  await execa('git', [...identity, 'commit', '-q', '-m', 'Initial commit from create-instrumented-api'], { cwd: dir });
}
