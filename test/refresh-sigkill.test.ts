// `refresh` survives SIGKILL: the real bin, spawned with execa, is killed at random moments of a
// refresh that changes answers (environments added and dropped, a backend set: files added,
// updated, merged and removed, folders created and emptied, both state files). After each kill
// the project must be byte for byte its before-state or its after-state, or the next run of the
// same command must finish or undo the interrupted one and end byte for byte in the after-state,
// with the same output as an uninterrupted run (never a refusal because of our own half-write).
//
// The kills are biased toward the write phase, honestly: most runs set the bin's test hook
// CREATE_INSTRUMENTED_API_TEST_STEP_HOOK=pause:K (generators/refresh/disk.ts; unset, as for every
// user, it does nothing), so the bin stops before the K-th of its file-system steps (K at random)
// and the test kills it there with SIGKILL from outside; the other runs are killed after a random
// delay without any hook. Some of the next runs are killed again (during the recovery, or the
// refresh after it), and the run after them must still end in the after-state.
//
// CIA_SIGKILL_KILLS (default 100: kills that happened, a timed one that came too late is not
// counted) and CIA_SIGKILL_SEED (printed) reproduce a run.
import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { commitAll } from './helpers/refresh.js';
import { tree } from './helpers/tree.js';

const COMMAND = ['refresh', '--environments', 'development,staging,production,qa,perf', '--backend', 'qa=otlp', '--yes'];
const HOOK = 'CREATE_INSTRUMENTED_API_TEST_STEP_HOOK';
const KILLS = Number(process.env.CIA_SIGKILL_KILLS ?? 100);
const SEED = Number(process.env.CIA_SIGKILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** After one kill at each step: share of kills at a random time (no hook), the rest at a random step. */
const TIMED_SHARE = 0.4;
/** Share of the next runs that are killed again, at a random step. */
const KILL_AGAIN_SHARE = 0.2;
const PARALLEL = 2;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Step {
  n: number;
  label: string;
  path: string;
}
type Kill = { kind: 'step'; at: number } | { kind: 'timed'; ms: number };

let sandbox: string;
let pristine: string;
let before: Record<string, string>;
let after: Record<string, string>;
let reference: { stdout: string; ms: number };
let steps: Step[];
let copies = 0;

const snapshot = (dir: string) => tree(dir, ['.git']);

function copyOfPristine(): string {
  const dir = join(sandbox, `run-${++copies}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  sandbox = tempDir('cia-sigkill-');
  const created = await runCli(['my-api', '--environments', 'development,old', '--yes', '--skip-install'], { cwd: sandbox });
  expect(created.exitCode, String(created.stderr)).toBe(0);
  pristine = join(sandbox, 'my-api');
  // A user edit the refresh has to merge (README.md also changes in the template).
  appendFileSync(join(pristine, 'README.md'), '\n## Our notes\n\nOn-call: team-a.\n');
  commitAll(pristine, 'our notes');
  before = snapshot(pristine);

  const dir = copyOfPristine();
  const run = await runCli(COMMAND, { cwd: dir });
  expect(run.exitCode, String(run.stderr)).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/merged +README\.md[\s\S]*removed +deploy\/k8s\/overlays\/old\/kustomization\.yaml[\s\S]*added +deploy\/k8s\/overlays\/qa\/kustomization\.yaml/);
  after = snapshot(dir);
  reference = { stdout: String(run.stdout), ms: run.durationMs };

  const listed = copyOfPristine();
  const list = await runCli(COMMAND, { cwd: listed, env: { [HOOK]: 'list' } });
  expect(list.exitCode).toBe(0);
  steps = String(list.stderr)
    .split('\n')
    .map((line) => /^cia-step (\d+) (\S+) (.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ n: Number(m[1]), label: m[2]!, path: m[3]! }));
  expect(steps.length).toBeGreaterThan(40);
  expect(snapshot(listed)).toEqual(after);
}, 120_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

/** Runs COMMAND in dir and kills it with SIGKILL as `kill` says. Returns whether it was killed. */
async function runAndKill(dir: string, kill: Kill): Promise<boolean> {
  const env = kill.kind === 'step' ? { [HOOK]: `pause:${kill.at}` } : {};
  const child = runCli(COMMAND, { cwd: dir, env, buffer: false, stdout: 'ignore' });
  if (kill.kind === 'step') {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`cia-step-paused ${kill.at} `)) child.kill('SIGKILL');
    });
  } else {
    const timer = setTimeout(() => child.kill('SIGKILL'), kill.ms);
    void child.finally(() => clearTimeout(timer));
  }
  const result = await child;
  if (result.signal === 'SIGKILL') return true;
  expect(result.exitCode, `${JSON.stringify(kill)}: not killed, so it must have finished`).toBe(0);
  return false;
}

const where = (state: Record<string, string>) =>
  isDeepStrictEqual(state, before) ? 'before' : isDeepStrictEqual(state, after) ? 'after' : 'between';

/** Lines a run that recovers may add on stderr: a note, never a refusal. */
const RECOVERY_NOTE =
  /^create-instrumented-api refresh: (finished a refresh that had been interrupted \(\d+ files\)|undid an interrupted refresh \(your files were as before it\); refreshing again)$/;

it(`a SIGKILL at any moment of a refresh leaves the before- or after-state, or one the next run finishes`, async () => {
  const started = Date.now();
  const rand = random(SEED);
  // Every step once (in random order), then random steps and random times.
  const everyStep = steps.map((s) => s.n);
  for (let i = everyStep.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [everyStep[i], everyStep[j]] = [everyStep[j]!, everyStep[i]!];
  }
  const kills: Kill[] = [];
  const nextKill = (): Kill =>
    kills.length < everyStep.length
      ? { kind: 'step', at: everyStep[kills.length]! }
      : rand() < TIMED_SHARE
        ? { kind: 'timed', ms: Math.round(rand() * reference.ms * 1.1) }
        : { kind: 'step', at: 1 + Math.floor(rand() * steps.length) };

  const counts = { before: 0, after: 0, between: 0, killedAgain: 0, notKilled: 0 };
  const stepsHit = new Set<number>();
  const worker = async () => {
    // Until KILLS kills have happened (one in flight counts; a timed one that came too late not).
    while (kills.length - counts.notKilled < KILLS) {
      const index = kills.length;
      const kill = nextKill();
      kills.push(kill);
      const again = rand() < KILL_AGAIN_SHARE ? 1 + Math.floor(rand() * 30) : 0;
      const context = `seed ${SEED}, kill ${index + 1}: ${kill.kind === 'step' ? `before step ${kill.at} (${steps[kill.at - 1]!.label} ${steps[kill.at - 1]!.path})` : `after ${kill.ms} ms`}`;
      const dir = copyOfPristine();
      const killed = await runAndKill(dir, kill);
      if (!killed) counts.notKilled++;
      else if (kill.kind === 'step') stepsHit.add(kill.at);
      const left = where(snapshot(dir));
      counts[left]++;
      if (left === 'between') {
        // The next run of the same command: sometimes killed again first (then the run after it
        // is the one that must finish).
        if (again > 0 && (await runAndKill(dir, { kind: 'step', at: again }))) counts.killedAgain++;
        if (!isDeepStrictEqual(snapshot(dir), after)) {
          const run = await runCli(COMMAND, { cwd: dir });
          expect(run.exitCode, `${context}: ${String(run.stderr)}`).toBe(0);
          for (const line of String(run.stderr).split('\n').filter(Boolean)) expect(line, context).toMatch(RECOVERY_NOTE);
          expect(run.stdout, context).toBe(reference.stdout);
        }
        expect(snapshot(dir), context).toEqual(after);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));

  const stepKills = kills.filter((k) => k.kind === 'step').length;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `SIGKILL test (seed ${SEED}): ${kills.length - counts.notKilled} kills of "create-instrumented-api ${COMMAND.join(' ')}" ` +
      `(${stepKills} before one of its ${steps.length} file-system steps, every step at least once: ${stepsHit.size === steps.length}; ` +
      `${kills.length - stepKills} at a random time, ${counts.notKilled} of those too late to kill); ` +
      `left in the before-state ${counts.before}×, the after-state ${counts.after}×, in between ${counts.between}× ` +
      `(each finished by the next run, ${counts.killedAgain} of those killed again first); all ended byte for byte in the after-state (${seconds} s)`,
  );
  expect(kills.length - counts.notKilled).toBeGreaterThanOrEqual(KILLS);
  // The bias works: most kills land in the write phase, where the project is neither state.
  expect(counts.between).toBeGreaterThan(stepKills / 2);
  if (KILLS >= steps.length) expect(stepsHit.size).toBe(steps.length);
}, 900_000);
