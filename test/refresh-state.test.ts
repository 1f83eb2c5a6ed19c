// What generation records (.yo-rc.json + the base store) and how refresh reads it back.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../generators/shared/errors.js';
import {
  BASE_STORE_PATH,
  compareVersions,
  generationState,
  isSafeProjectPath,
  readProjectState,
  sha256,
  STATE_KEY,
  YO_RC_PATH,
} from '../generators/shared/state.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cia-state-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const rendered = new Map([
  ['README.md', '# x\n'],
  ['src/app.py', 'print(1)\n'],
]);
const answers = { name: 'my-api', framework: 'fastapi', environments: ['development'], backends: { development: 'jaeger' } };

function generated(extra: Record<string, string> = {}) {
  const state = generationState(rendered, answers, '0.1.0');
  return project({ [YO_RC_PATH]: state.yoRcContent, [state.baseStore.path]: state.baseStore.content, ...extra });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('generationState', () => {
  it('records version, answers and a sha256 per managed file, and the exact content in the base store', () => {
    const state = generationState(rendered, answers, '0.1.0');
    expect(state.yoRc).toEqual({
      [STATE_KEY]: {
        version: '0.1.0',
        answers,
        managedFiles: { 'README.md': sha256('# x\n'), 'src/app.py': sha256('print(1)\n') },
      },
    });
    expect(state.baseStore.path).toBe('.create-instrumented-api/base.json');
    expect(JSON.parse(state.baseStore.content)).toEqual({ format: 1, files: Object.fromEntries(rendered) });
    expect(state.yoRcContent).toBe(`${JSON.stringify(state.yoRc, null, 2)}\n`);
  });

  it('keeps other keys of .yo-rc.json and records deleted files', () => {
    const state = generationState(rendered, answers, '0.2.0', { yoRc: { other: { a: 1 } }, deletedFiles: ['gone.md'] });
    expect(state.yoRc.other).toEqual({ a: 1 });
    expect(state.entry.deletedFiles).toEqual(['gone.md']);
  });

  it('never lists the state files themselves as managed', () => {
    const state = generationState(new Map([...rendered, [YO_RC_PATH, '{}']]), answers, '0.1.0');
    expect(Object.keys(state.entry.managedFiles)).toEqual(['README.md', 'src/app.py']);
  });
});

describe('readProjectState', () => {
  it('reads back what generationState wrote', () => {
    const state = readProjectState(generated(), '0.1.0');
    expect(state.entry.version).toBe('0.1.0');
    expect(state.entry.answers).toEqual(answers);
    expect(state.base).toEqual(rendered);
    expect(state.entry.deletedFiles).toEqual([]);
  });

  it('refuses a folder that is not a generated project', () => {
    expect(errorOf(() => readProjectState(project({}), '0.1.0'))).toMatch(
      /^not a generated project \(no \.yo-rc\.json in .*\): run inside a project created by create-instrumented-api$/,
    );
    expect(errorOf(() => readProjectState(project({ [YO_RC_PATH]: '{"generator-foo":{}}' }), '0.1.0'))).toMatch(
      /^not a generated project \(\.yo-rc\.json has no "create-instrumented-api" entry\)/,
    );
  });

  it('refuses a corrupt .yo-rc.json, naming the fix', () => {
    expect(errorOf(() => readProjectState(project({ [YO_RC_PATH]: '{ "create-instrumented-api": ' }), '0.1.0'))).toMatch(
      /^\.yo-rc\.json is not valid JSON \(.*\): fix it or restore it from git \(git checkout HEAD -- \.yo-rc\.json\)$/,
    );
    expect(errorOf(() => readProjectState(project({ [YO_RC_PATH]: '[1]' }), '0.1.0'))).toMatch(/must hold a JSON object/);
    const bad = (entry: unknown) => project({ [YO_RC_PATH]: JSON.stringify({ [STATE_KEY]: entry }) });
    expect(errorOf(() => readProjectState(bad('x'), '0.1.0'))).toMatch(/is corrupt: "create-instrumented-api" is not an object/);
    expect(errorOf(() => readProjectState(bad({ answers: {}, managedFiles: {} }), '0.1.0'))).toMatch(/no valid "version"/);
    expect(errorOf(() => readProjectState(bad({ version: '0.1.0', managedFiles: {} }), '0.1.0'))).toMatch(/no "answers"/);
    expect(errorOf(() => readProjectState(bad({ version: '0.1.0', answers: {} }), '0.1.0'))).toMatch(/no "managedFiles"/);
    expect(
      errorOf(() => readProjectState(bad({ version: '0.1.0', answers: {}, managedFiles: { '../etc/passwd': sha256('') } }), '0.1.0')),
    ).toMatch(/unsafe path "\.\.\/etc\/passwd"/);
    expect(errorOf(() => readProjectState(bad({ version: '0.1.0', answers: {}, managedFiles: { a: 'nothex' } }), '0.1.0'))).toMatch(
      /no sha256 for "a"/,
    );
  });

  it('refuses a project written by a newer create-instrumented-api', () => {
    expect(errorOf(() => readProjectState(generated(), '0.0.9'))).toBe(
      'this project was generated by create-instrumented-api 0.1.0, newer than this one (0.0.9): run "npx create-instrumented-api@0.1.0 refresh" or newer',
    );
    expect(() => readProjectState(generated(), '0.1.0')).not.toThrow();
    expect(() => readProjectState(generated(), '1.0.0')).not.toThrow();
  });

  it('refuses a missing, corrupt or mismatched base store', () => {
    const dir = generated();
    rmSync(join(dir, BASE_STORE_PATH));
    expect(errorOf(() => readProjectState(dir, '0.1.0'))).toBe(
      'the merge base .create-instrumented-api/base.json is missing: restore it from git (git checkout HEAD -- .create-instrumented-api/base.json)',
    );
    writeFileSync(join(dir, BASE_STORE_PATH), '{"files": ');
    expect(errorOf(() => readProjectState(dir, '0.1.0'))).toMatch(/base\.json is not valid JSON/);
    writeFileSync(join(dir, BASE_STORE_PATH), '{"format": 1}');
    expect(errorOf(() => readProjectState(dir, '0.1.0'))).toMatch(/is corrupt \(no "files" object\)/);
    writeFileSync(join(dir, BASE_STORE_PATH), JSON.stringify({ format: 1, files: { 'README.md': '# x\n', 'src/app.py': 'edited\n' } }));
    expect(errorOf(() => readProjectState(dir, '0.1.0'))).toMatch(
      /does not match \.yo-rc\.json for src\/app\.py: restore both from the same commit/,
    );
  });

  it('tolerates a reformatted state (key order, indentation)', () => {
    const state = generationState(rendered, answers, '0.1.0');
    const dir = project({
      [YO_RC_PATH]: JSON.stringify(state.yoRc),
      [BASE_STORE_PATH]: JSON.stringify(JSON.parse(state.baseStore.content), null, 4),
    });
    expect(readProjectState(dir, '0.1.0').base).toEqual(rendered);
  });
});

describe('helpers', () => {
  it('compares versions', () => {
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('0.2.0', '0.10.0')).toBe(-1);
    expect(compareVersions('1.0.0', '0.99.99')).toBe(1);
    expect(compareVersions('1.0.0-beta.2', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-beta.10', '1.0.0-beta.2')).toBe(1);
    expect(compareVersions('1.0.0-alpha', '1.0.0-beta')).toBe(-1);
  });
  it('accepts only relative paths inside the project', () => {
    for (const ok of ['a', 'src/app.py', '.github/workflows/ci.yml']) expect(isSafeProjectPath(ok)).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a\\b', '.git/config', '.yo-rc.json'])
      expect(isSafeProjectPath(bad)).toBe(false);
  });
});
