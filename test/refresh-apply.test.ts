// The refresh transaction: all or nothing. A failure at any step leaves the project byte for byte
// as it was (files, modes, folders), with no temp or backup files left behind.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyError, applyOps, readFiles, type Op } from '../generators/refresh/apply.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cia-apply-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'old/deep'), { recursive: true });
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

  // Fail after every single step of both phases: the project must be exactly as before.
  const steps = OPS.length * 2; // one stage step and one commit step per operation
  for (let n = 0; n < steps; n++) {
    it(`leaves the project untouched when step ${n + 1} of ${steps} fails`, async () => {
      const dir = project();
      const before = snapshot(dir);
      let count = 0;
      const error = await applyOps(dir, OPS, () => {
        if (count++ === n) throw new Error('disk full (simulated)');
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyError);
      expect((error as Error).message).toBe('disk full (simulated)');
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('fails before touching anything when a file is in the way of a folder', async () => {
    const dir = project();
    writeFileSync(join(dir, 'deploy'), 'a file where a folder must go\n');
    const before = snapshot(dir);
    await expect(applyOps(dir, OPS)).rejects.toThrow(ApplyError);
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
