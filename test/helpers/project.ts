// Shared by the suites that install and check a generated project for real (FastAPI, Node, Go):
// render it into a fresh temp folder, and run its tools with a controlled environment.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { Answers } from '../../generators/shared/options.js';
import { renderProject } from '../../generators/shared/render.js';

/** Renders the project for `answers` into a new temp folder (named with `prefix`) and returns it. */
export async function writeProject(answers: Answers, prefix: string): Promise<string> {
  const files = await renderProject(answers);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export interface RunResult {
  exitCode: number | undefined;
  stdout: string;
  /** The command line, its status and duration, then stdout and stderr interleaved: for failure messages. */
  output: string;
  ms: number;
}

/** Runs a command in `dir` with exactly `env` (no inherited variables); never throws on exit codes. */
export async function runIn(
  dir: string,
  cmd: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeout?: number },
): Promise<RunResult> {
  const result = await execa(cmd, args, {
    cwd: dir,
    env: options.env,
    extendEnv: false,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: options.timeout,
  });
  const status = result.timedOut ? `timed out after ${options.timeout} ms` : `exit ${result.exitCode ?? result.signal}`;
  return {
    exitCode: result.exitCode,
    stdout: result.stdout ?? '',
    output: `$ ${cmd} ${args.join(' ')} (${status}, ${Math.round(result.durationMs)} ms)\n${result.all ?? ''}`,
    ms: result.durationMs,
  };
}
