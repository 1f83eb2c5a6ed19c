// The README's front door, checked as a newcomer meets it: the two commands of its "Start here"
// section, extracted from README.md and run exactly as written in a fresh clone of this repository
// (the committed state). The create command runs in a pseudo-terminal and every prompt is answered
// with Enter (the defaults); the project it makes must have its first commit and pass its own tests.
// The test command must exit 0; its vitest summary is quoted.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ADAPTERS } from './frameworks/index.js';
import { REPO_ROOT } from './lib/paths.js';
import { capture, describeExit, lastLine, oneLine, run, track } from './lib/proc.js';
import { fetchProjectTools, runSteps, toolEnv } from './lib/steps.js';
import type { Part } from './suite.js';

export interface ReadmeCommands {
  create: string;
  test: string;
}

/** The two ```sh blocks of the "## Start here" section: first the create command, then the tests'. */
export function readmeCommands(markdown: string): ReadmeCommands {
  const section = /^## Start here\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (!section) throw new Error('README.md has no "## Start here" section');
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trim());
  if (blocks.length !== 2) throw new Error(`"Start here" should hold 2 sh blocks (create, test), found ${blocks.length}`);
  const [create, test] = blocks as [string, string];
  if (!/create-instrumented-api/.test(create)) throw new Error(`the first "Start here" command does not create a project: ${create}`);
  if (!/\bnpm (run )?test\b/.test(test)) throw new Error(`the second "Start here" command does not run the tests: ${test}`);
  return { create, test };
}

/** The project folder the create command makes: its last argument, relative to the clone. */
export function createdProjectDir(create: string, cloneDir: string): string {
  const last = create.trim().split(/\s+/).at(-1)!;
  return join(cloneDir, last);
}

const CREATE_TIMEOUT_MS = 20 * 60_000;
const TEST_TIMEOUT_MS = 40 * 60_000;
/** Quiet time after output before a pending prompt is answered. */
const SETTLE_MS = 400;
const MAX_ENTERS = 40;

/** How many of vitest's failure lines the report quotes. */
const MAX_FAILURE_LINES = 40;

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Runs `command` with bash in a pseudo-terminal (util-linux `script`), pressing Enter whenever a
 * prompt ("? …") waits unanswered, so that every default is accepted. Output goes to `log`.
 */
async function runAcceptingDefaults(command: string, cwd: string, log: string): Promise<{ code: number | null; timedOut: boolean; enters: number }> {
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd,
    env: { ...toolEnv(), TERM: 'xterm', COLUMNS: '120' },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  let screen = '';
  let enters = 0;
  let timer: NodeJS.Timeout | undefined;
  const onOutput = (chunk: Buffer) => {
    screen += chunk.toString();
    clearTimeout(timer);
    timer = setTimeout(() => {
      const text = stripAnsi(screen);
      // inquirer marks a waiting question with "?" and an answered one with "✔".
      if (text.lastIndexOf('? ') > text.lastIndexOf('✔') && enters < MAX_ENTERS) {
        enters++;
        child.stdin.write('\r');
      }
    }, SETTLE_MS);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, CREATE_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('close', (c) => resolve(c));
  });
  clearTimeout(deadline);
  clearTimeout(timer);
  writeFileSync(log, stripAnsi(screen));
  return { code, timedOut, enters };
}

export interface ReadmeResult {
  create: Part;
  test: Part;
  /** vitest's "Tests …" summary line from the test command, when it got that far. */
  testSummary?: string;
  /** When the test command failed: vitest's lines naming what failed (at most MAX_FAILURE_LINES). */
  testFailures?: string[];
  seconds: number;
}

export async function checkReadme(root: string, say: (msg: string) => void): Promise<ReadmeResult> {
  const t0 = performance.now();
  const dir = join(root, 'readme');
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  // The clone's tests run the bin as another user too (the bad-input catalogue's permission rows, as
  // uid 65534 when run as root): like any checkout, the clone must be reachable by every user, and
  // mkdtemp made the e2e's work dir private.
  for (const folder of [root, dir]) chmodSync(folder, 0o755);
  const fail = (reason: string): Part => ({ ok: false, reason: oneLine(reason, 300) });
  const notRun = (why: string): ReadmeResult => ({ create: fail(why), test: fail(why), seconds: (performance.now() - t0) / 1000 });

  let commands: ReadmeCommands;
  try {
    commands = readmeCommands(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  } catch (error) {
    return notRun((error as Error).message);
  }
  // The pinned uv on the create command's PATH, as in the framework runs (Enter picks --pm uv).
  try {
    await fetchProjectTools();
  } catch (error) {
    return notRun((error as Error).message);
  }
  const clone = join(dir, 'clone');
  const cloned = await run('git', ['clone', '-q', '--no-hardlinks', REPO_ROOT, clone], { log: join(logs, 'clone.log'), timeoutMs: 120_000 });
  if (cloned.code !== 0) return notRun(`git clone: ${describeExit(cloned)}: ${lastLine(join(logs, 'clone.log'))}`);
  say(`readme: fresh clone of the committed state in ${clone}`);

  // 1. The create command, in a terminal, every prompt answered with its default.
  say(`readme: $ ${commands.create}`);
  const createLog = join(logs, 'create.log');
  const created = await runAcceptingDefaults(commands.create, clone, createLog);
  const project = createdProjectDir(commands.create, clone);
  let create: Part = { ok: true };
  if (created.timedOut || created.code !== 0)
    create = fail(`${created.timedOut ? 'timed out' : `exit ${created.code}`} after ${created.enters} prompts: ${lastLine(createLog)}`);
  else if (!existsSync(join(project, '.yo-rc.json'))) create = fail(`exit 0 but no project at ${project}`);
  else {
    const gitLog = await capture('git', ['log', '--format=%s'], { cwd: project, log: createLog, timeoutMs: 30_000 });
    const framework = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['create-instrumented-api']?.answers?.framework;
    const adapter = ADAPTERS.find((a) => a.name === framework);
    const checks = adapter
      ? await runSteps(adapter.checks({ dir: project, name: basename(project) }), { dir: project, name: basename(project) }, join(logs, 'project-checks.log'))
      : `no e2e adapter for framework "${String(framework)}"`;
    if (!gitLog.stdout.includes('Initial commit from create-instrumented-api')) create = fail('the project has no first commit');
    else if (checks) create = fail(`the project's own tests and linters: ${checks}`);
    else say(`readme: created ${project} (${framework}; ${created.enters} prompts answered with their defaults), first commit made, its own tests passed`);
  }

  // 2. The test command, in the clone.
  say(`readme: $ ${commands.test}`);
  const testLog = join(logs, 'test.log');
  const tested = await run('bash', ['-c', commands.test], { cwd: clone, env: toolEnv(), log: testLog, timeoutMs: TEST_TIMEOUT_MS });
  const testOutput = stripAnsi(readFileSync(testLog, 'utf8')).split('\n');
  const testSummary = testOutput
    .find((line) => /^\s*Tests\s+\d/.test(line))
    ?.trim()
    .replace(/\s+/g, ' ');
  const test: Part =
    tested.code === 0 && !tested.timedOut
      ? { ok: true }
      : fail(`${describeExit(tested, TEST_TIMEOUT_MS)}: ${testSummary ?? lastLine(testLog)}`);
  const testFailures = test.ok
    ? undefined
    : [...new Set(testOutput.filter((line) => /^\s*(FAIL|×)\s/.test(line)).map((line) => line.trim()))].slice(0, MAX_FAILURE_LINES);
  return { create, test, testSummary, testFailures, seconds: (performance.now() - t0) / 1000 };
}
