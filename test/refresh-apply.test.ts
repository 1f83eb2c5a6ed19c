// The refresh transaction: all or nothing. A failure at any step leaves the project byte for byte
// as it was (files, modes, folders), with no temp or backup files left behind; a crash at any step
// leaves what recover() turns into the state before or after (the SIGKILL test of the real bin is
// test/refresh-sigkill.test.ts).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyError, applyOps, readFiles, recover, type Op } from '../generators/refresh/apply.js';
import type { Step } from '../generators/refresh/disk.js';
import { JOURNAL_PATH } from '../generators/refresh/journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cia-apply-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'old/deep'), { recursive: true });
  mkdirSync(join(dir, '.create-instrumented-api')); // the state folder of every project (the journal goes there)
  writeFileSync(join(dir, 'README.md'), 'readme\n');
  writeFileSync(join(dir, 'src/app.py'), 'app\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, 'old/deep/gone.yaml'), 'gone\n');
  return dir;
}

/** Every entry under dir (folders too) with content and mode: a byte-for-byte picture. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, entry.name);
      const rel = relative(dir, abs);
      const mode = (statSync(abs).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        out[`${rel}/`] = mode;
        walk(abs);
      } else out[rel] = `${mode} ${readFileSync(abs, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

const OPS: Op[] = [
  { kind: 'write', path: 'README.md', content: 'new readme\n' },
  { kind: 'write', path: 'deploy/k8s/overlays/staging/kustomization.yaml', content: 'k: 1\n' },
  { kind: 'write', path: 'run.sh', content: '#!/bin/sh\necho hi\n' },
  { kind: 'remove', path: 'old/deep/gone.yaml' },
  { kind: 'write', path: 'src/app.py', content: 'app v2\n' },
];

describe('applyOps', () => {
  it('applies writes and removals, keeps file modes, and removes folders emptied by removals', async () => {
    const dir = project();
    await applyOps(dir, OPS);
    expect(snapshot(dir)).toEqual({
      '.create-instrumented-api/': '755',
      'README.md': '644 new readme\n',
      'deploy/': '755',
      'deploy/k8s/': '755',
      'deploy/k8s/overlays/': '755',
      'deploy/k8s/overlays/staging/': '755',
      'deploy/k8s/overlays/staging/kustomization.yaml': '644 k: 1\n',
      'run.sh': '755 #!/bin/sh\necho hi\n',
      'src/': '755',
      'src/app.py': '644 app v2\n',
    });
  });

  /** Runs applyOps until the first step `where` holds, and abandons it there (it never continues). */
  function crashAt(dir: string, where: (step: Step) => boolean, result?: unknown): Promise<void> {
    return new Promise((reached) => {
      void applyOps(dir, OPS, {
        result,
        hook: (step) => {
          if (!where(step)) return undefined;
          reached();
          return new Promise<void>(() => undefined);
        },
      });
    });
  }

  /** Every step of an uninterrupted run, and the state after it. */
  async function stepsAndAfter(): Promise<{ steps: Step[]; after: Record<string, string> }> {
    const dir = project();
    const steps: Step[] = [];
    await applyOps(dir, OPS, { hook: (step) => void steps.push(step) });
    return { steps, after: snapshot(dir) };
  }

  it('takes its steps in order: journal, folders, temp files and backups, commit point, renames, clean-up', async () => {
    const { steps } = await stepsAndAfter();
    const labels = steps.map((s) => s.label);
    expect(labels[0]).toBe('journal-prepare');
    expect(labels.at(-1)).toBe('journal-done');
    const commit = labels.indexOf('journal-commit');
    expect(labels.slice(1, commit).every((l) => ['mkdir', 'stage', 'backup'].includes(l))).toBe(true);
    expect(labels.slice(commit + 1, -1).every((l) => ['rename', 'remove', 'unbackup', 'rmdir'].includes(l))).toBe(true);
    expect(labels.filter((l) => l === 'rename')).toHaveLength(4);
  });

  // Fail at every single step: up to the last rename the project must be exactly as before; after
  // it (clean-up) the refresh is done, and what is left of the clean-up the next run finishes.
  it('a failure at any step leaves the before-state (or, in the clean-up, the after-state once recovered)', async () => {
    const { steps, after } = await stepsAndAfter();
    const lastRename = Math.max(...steps.filter((s) => s.label === 'rename' || s.label === 'remove').map((s) => s.n));
    for (const failing of steps) {
      const dir = project();
      const before = snapshot(dir);
      const outcome = await applyOps(dir, OPS, {
        hook: (step) => {
          if (step.n === failing.n) throw new Error('disk full (simulated)');
        },
      }).catch((e: unknown) => e);
      if (failing.n <= lastRename) {
        expect(outcome, `step ${failing.n} ${failing.label}`).toBeInstanceOf(ApplyError);
        expect((outcome as Error).message).toBe('disk full (simulated)');
        expect(snapshot(dir), `step ${failing.n} ${failing.label}`).toEqual(before);
      } else {
        // Failures in the clean-up are litter for the next run, not a failed refresh.
        expect(outcome, `step ${failing.n} ${failing.label}`).toEqual({ warning: expect.stringMatching(/^the clean-up after the refresh failed \(disk full \(simulated\)\): the next refresh finishes it$/) });
        await recover(dir);
        expect(snapshot(dir), `step ${failing.n} ${failing.label}`).toEqual(after);
      }
    }
  });

  // A crash at any step (the process stops; here: the hook never returns and the run is abandoned),
  // then recover(): the project is in the before- or the after-state, nothing else.
  it('a crash at any step is finished or undone by recover()', async () => {
    const { steps, after } = await stepsAndAfter();
    const commit = steps.find((s) => s.label === 'journal-commit')!.n;
    for (const crash of steps) {
      const dir = project();
      const before = snapshot(dir);
      await crashAt(dir, (step) => step.n === crash.n);
      const recovered = await recover(dir);
      // Before the first journal write there is nothing to recover.
      expect(recovered?.state, `step ${crash.n} ${crash.label}`).toBe(crash.n === 1 ? undefined : crash.n <= commit ? 'prepare' : 'commit');
      expect(snapshot(dir), `step ${crash.n} ${crash.label}`).toEqual(crash.n <= commit ? before : after);
      expect(await recover(dir)).toBeUndefined();
    }
  });

  it('fails before touching anything when a file is in the way of a folder', async () => {
    const dir = project();
    writeFileSync(join(dir, 'deploy'), 'a file where a folder must go\n');
    const before = snapshot(dir);
    await expect(applyOps(dir, OPS)).rejects.toThrow(
      'deploy is a file, where a folder is needed for deploy/k8s/overlays/staging/kustomization.yaml: move it away',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails cleanly when a folder stands where a file must be written', async () => {
    const dir = project();
    mkdirSync(join(dir, 'LICENSE'));
    const before = snapshot(dir);
    await expect(applyOps(dir, [...OPS, { kind: 'write', path: 'LICENSE', content: 'MIT\n' }])).rejects.toThrow(
      'LICENSE is a folder, where a file is expected: move it away',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  // A failure in the middle of the renames starts an in-process undo (journal state "rollback");
  // a crash at any step of that undo is finished by recover(): the project ends as it was.
  it('a crash while undoing a failed commit is finished by recover()', async () => {
    const { steps } = await stepsAndAfter();
    const failAt = steps.filter((s) => s.label === 'rename')[2]!.n;
    const undoSteps: Step[] = [];
    await applyOps(project(), OPS, {
      hook: (step) => {
        if (step.n === failAt) throw new Error('disk full (simulated)');
        if (step.n > failAt) undoSteps.push(step);
      },
    }).catch(() => undefined);
    expect(undoSteps.map((s) => s.label)).toContain('restore');
    for (const crash of undoSteps) {
      const dir = project();
      const before = snapshot(dir);
      await new Promise<void>((reached) => {
        void applyOps(dir, OPS, {
          hook: (step) => {
            if (step.n === failAt) throw new Error('disk full (simulated)');
            if (step.n !== crash.n) return undefined;
            reached();
            return new Promise<void>(() => undefined);
          },
        });
      });
      expect((await recover(dir))?.state, `undo step ${crash.n} ${crash.label}`).toBe('rollback');
      expect(snapshot(dir), `undo step ${crash.n} ${crash.label}`).toEqual(before);
    }
  });

  it('keeps what it reports with the journal, for the run that finishes it', async () => {
    const dir = project();
    await crashAt(dir, (step) => step.label === 'rename', { said: 'done' });
    expect(readdirSync(join(dir, '.create-instrumented-api'))).toEqual(['journal.json']);
    expect(JSON.parse(readFileSync(join(dir, JOURNAL_PATH), 'utf8'))).toMatchObject({ state: 'commit', result: { said: 'done' } });
    expect(await recover(dir)).toMatchObject({ state: 'commit', result: { said: 'done' } });
  });

  it('refuses paths outside the project', async () => {
    const dir = project();
    await expect(applyOps(dir, [{ kind: 'write', path: '../escape', content: 'x' }])).rejects.toThrow(/outside the project/);
  });
});

describe('readFiles', () => {
  it('reads present files and skips absent ones', async () => {
    const dir = project();
    expect(await readFiles(dir, ['README.md', 'nope.txt', 'README.md/x'])).toEqual(new Map([['README.md', 'readme\n']]));
  });
});
