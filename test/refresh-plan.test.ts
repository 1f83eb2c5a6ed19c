// Per-file decisions of refresh, on synthetic file maps (no templates, no disk).
import { describe, expect, it } from 'vitest';
import { computeRefresh } from '../generators/refresh/engine.js';
import { MARKERS } from '../generators/refresh/merge.js';
import { plan, type FilePlan } from '../generators/refresh/plan.js';
import { generationState, type ProjectState } from '../generators/shared/state.js';

const m = (o: Record<string, string>) => new Map(Object.entries(o));
const byPath = (files: FilePlan[]) => Object.fromEntries(files.map((f) => [f.path, f]));

describe('plan', () => {
  it('updates a file the user never changed', () => {
    const p = plan({ base: m({ a: 'x\n' }), ours: m({ a: 'x\n' }), theirs: m({ a: 'y\n' }) });
    expect(p.files).toEqual([{ path: 'a', action: 'updated', write: 'y\n' }]);
    expect(p.newBase).toEqual(m({ a: 'y\n' }));
  });

  it('leaves alone a file only the user changed, and one the template did not change', () => {
    const p = plan({ base: m({ a: 'x\n', b: 'b\n' }), ours: m({ a: 'mine\n', b: 'b\n' }), theirs: m({ a: 'x\n', b: 'b\n' }) });
    expect(p.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
    expect(p.files.every((f) => f.write === undefined)).toBe(true);
  });

  it('3-way merges a file both changed', () => {
    const p = plan({ base: m({ a: '1\n2\n3\n4\n' }), ours: m({ a: '1\n2\n3\n4\nmine\n' }), theirs: m({ a: 'ONE\n2\n3\n4\n' }) });
    expect(p.files).toEqual([{ path: 'a', action: 'merged', write: 'ONE\n2\n3\n4\nmine\n' }]);
    expect(p.newBase.get('a')).toBe('ONE\n2\n3\n4\n');
  });

  it('reports conflicts, inline or as a reject file', () => {
    const input = { base: m({ a: '1\n2\n' }), ours: m({ a: '1\nmine\n' }), theirs: m({ a: '1\ntemplate\n' }) };
    const inline = plan(input).files[0]!;
    expect(inline.action).toBe('conflicted');
    expect(inline.conflicts).toBe(1);
    expect(inline.write).toBe(`1\n${MARKERS.ours}\nmine\n${MARKERS.sep}\ntemplate\n${MARKERS.theirs}\n`);
    const rej = plan({ ...input, conflictStyle: 'rej' }).files[0]!;
    expect(rej.action).toBe('conflicted');
    expect(rej.write).toBeUndefined(); // the user's side is already the file
    expect(rej.rej?.path).toBe('a.rej');
    expect(rej.rej?.content).toContain('+template\n');
    // The next merge base is the template's side.
    expect(plan(input).newBase.get('a')).toBe('1\ntemplate\n');
  });

  it('removes a file the template no longer renders only if the user never changed it', () => {
    const p = plan({ base: m({ a: 'x\n', b: 'y\n' }), ours: m({ a: 'x\n', b: 'mine\n' }), theirs: m({}) });
    expect(byPath(p.files)).toEqual({ a: { path: 'a', action: 'removed', remove: true }, b: { path: 'b', action: 'kept' } });
    expect(p.newBase.size).toBe(0);
  });

  it('keeps a managed file the user deleted deleted, and remembers it', () => {
    const p = plan({ base: m({ a: 'x\n' }), ours: m({}), theirs: m({ a: 'y\n' }) });
    expect(p.files).toEqual([{ path: 'a', action: 'deleted' }]);
    expect(p.newDeleted).toEqual(['a']);
    expect(p.newBase.has('a')).toBe(false);
    // Next refresh: still deleted, still not re-added.
    const again = plan({ base: m({}), deleted: ['a'], ours: m({}), theirs: m({ a: 'z\n' }) });
    expect(again.files).toEqual([{ path: 'a', action: 'deleted' }]);
    expect(again.newDeleted).toEqual(['a']);
    // Once the template drops it too, it is forgotten.
    const gone = plan({ base: m({}), deleted: ['a'], ours: m({}), theirs: m({}) });
    expect(gone.files).toEqual([{ path: 'a', action: 'forgotten' }]);
    expect(gone.newDeleted).toEqual([]);
  });

  it('treats a CRLF checkout of an LF file as unchanged, and writes back in CRLF', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    const same = plan({ base: m({ a: '1\n2\n' }), ours: m({ a: crlf('1\n2\n') }), theirs: m({ a: '1\n2\n' }) });
    expect(same.files).toEqual([{ path: 'a', action: 'unchanged' }]);
    const updated = plan({ base: m({ a: '1\n2\n' }), ours: m({ a: crlf('1\n2\n') }), theirs: m({ a: '1\nTWO\n' }) });
    expect(updated.files).toEqual([{ path: 'a', action: 'updated', write: crlf('1\nTWO\n') }]);
    const merged = plan({ base: m({ a: '1\n2\n3\n' }), ours: m({ a: crlf('1\n2\n3\nmine\n') }), theirs: m({ a: 'ONE\n2\n3\n' }) });
    expect(merged.files).toEqual([{ path: 'a', action: 'merged', write: crlf('ONE\n2\n3\nmine\n') }]);
    const removed = plan({ base: m({ a: '1\n' }), ours: m({ a: crlf('1\n') }), theirs: m({}) });
    expect(removed.files).toEqual([{ path: 'a', action: 'removed', remove: true }]);
  });

  it('adds new template files, never overwriting a file of the user\'s', () => {
    const p = plan({ base: m({}), ours: m({ b: 'user\n', c: 'same\n' }), theirs: m({ a: 'new\n', b: 'template\n', c: 'same\n' }) });
    const files = byPath(p.files);
    expect(files.a).toEqual({ path: 'a', action: 'added', write: 'new\n' });
    expect(files.b!.action).toBe('conflicted');
    expect(files.b!.twoWay).toBe(true);
    expect(files.b!.write).toBe(`${MARKERS.ours}\nuser\n${MARKERS.sep}\ntemplate\n${MARKERS.theirs}\n`);
    expect(files.c).toEqual({ path: 'c', action: 'unchanged' });
    expect([...p.newBase.keys()]).toEqual(['a', 'b', 'c']);
    const rej = byPath(plan({ base: m({}), ours: m({ b: 'user\n' }), theirs: m({ b: 'template\n' }), conflictStyle: 'rej' }).files);
    expect(rej.b!.write).toBeUndefined();
    expect(rej.b!.rej!.content).toContain('-user\n+template\n');
  });
});

function stateOf(files: Record<string, string>, answers: object, version: string, deleted: string[] = []): ProjectState {
  const s = generationState(m(files), answers, version, { deletedFiles: deleted });
  return { entry: { deletedFiles: [], ...s.entry }, yoRc: s.yoRc, base: m(files), raw: { yoRc: s.yoRcContent, baseStore: s.baseStore.content } };
}

describe('computeRefresh', () => {
  const answers = { name: 'x', environments: ['development'] };

  it('changes nothing when the project is up to date, even across a release that changes no file', () => {
    const state = stateOf({ a: '1\n' }, answers, '0.1.0');
    const result = computeRefresh({ state, answers, theirs: m({ a: '1\n' }), ours: m({ a: '1\n' }), toolVersion: '0.2.0', conflictStyle: 'inline' }, true);
    expect(result.ops).toEqual([]);
    expect(result.report).toMatchObject({ from: '0.1.0', to: '0.2.0', changed: false, exitCode: 0, files: [] });
  });

  it('reports every bucket and writes the state with the files', () => {
    const state = stateOf({ up: '1\n', merge: '1\n2\n3\n', conf: 'a\n', rm: 'r\n', keep: 'k\n', del: 'd\n' }, answers, '0.1.0');
    const ours = m({ up: '1\n', merge: '1\n2\n3\nmine\n', conf: 'mine\n', rm: 'r\n', keep: 'mine\n', new2: 'user\n' });
    const theirs = m({ up: '2\n', merge: 'one\n2\n3\n', conf: 'template\n', del: 'd2\n', new1: 'n\n', new2: 'template\n' });
    const { report, ops } = computeRefresh({ state, answers: { ...answers, environments: ['development', 'staging'] }, theirs, ours, toolVersion: '0.2.0', conflictStyle: 'rej' });
    expect(report).toMatchObject({
      from: '0.1.0',
      to: '0.2.0',
      check: false,
      changed: true,
      updated: ['up'],
      merged: ['merge'],
      conflicted: ['conf', 'new2'],
      added: ['new1'],
      removed: ['rm'],
      kept: ['keep'],
      deleted: ['del'],
      rejects: ['conf.rej', 'new2.rej'],
      answersChanged: ['environments'],
      exitCode: 1,
    });
    expect(ops.map((op) => `${op.kind} ${op.path}`)).toEqual([
      'write conf.rej',
      'write merge',
      'write new1',
      'write new2.rej',
      'remove rm',
      'write up',
      'write .yo-rc.json',
      'write .create-instrumented-api/base.json',
    ]);
    const yoRc = JSON.parse((ops.find((op) => op.path === '.yo-rc.json') as { content: string }).content);
    expect(yoRc['create-instrumented-api']).toMatchObject({
      version: '0.2.0',
      answers: { environments: ['development', 'staging'] },
      deletedFiles: ['del'],
    });
    expect(Object.keys(yoRc['create-instrumented-api'].managedFiles)).toEqual(['conf', 'merge', 'new1', 'new2', 'up']);
  });

  it('saves changed answers even when no file changes', () => {
    const state = stateOf({ a: '1\n' }, answers, '0.1.0');
    const result = computeRefresh({ state, answers: { ...answers, extra: true }, theirs: m({ a: '1\n' }), ours: m({ a: '1\n' }), toolVersion: '0.1.0', conflictStyle: 'inline' });
    expect(result.ops.map((op) => op.path)).toEqual(['.yo-rc.json', '.create-instrumented-api/base.json']);
    expect(result.report.answersChanged).toEqual(['extra']);
  });
});
