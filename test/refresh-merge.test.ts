// The merge engine of refresh: unit cases, then the property the issue asks for — over random
// pairs of user edit × template change, no line the user wrote is ever lost: each is in the result
// or inside a reported conflict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasConflictMarkers, MARKERS, merge2, merge3, splitLines } from '../generators/refresh/merge.js';
import { plan } from '../generators/refresh/plan.js';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');

describe('splitLines', () => {
  it('keeps terminators so joining gives the text back', () => {
    for (const text of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\n', 'x\n\ny']) expect(splitLines(text).join('')).toBe(text);
  });
});

describe('merge3', () => {
  const base = lines('a', 'b', 'c', 'd', 'e', 'f', 'g');

  it('takes the template when the user changed nothing, and the user file when the template changed nothing', () => {
    const theirs = lines('a', 'B', 'c', 'd', 'e', 'f', 'g');
    expect(merge3(base, base, theirs)).toEqual({ clean: true, conflicts: 0, content: theirs });
    const ours = lines('a', 'b', 'c', 'mine', 'e', 'f', 'g');
    expect(merge3(base, ours, base)).toEqual({ clean: true, conflicts: 0, content: ours });
  });

  it('merges changes to different parts of a file', () => {
    const ours = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'def appended():', '    return 1');
    const theirs = lines('a', 'B', 'c', 'd', 'e', 'f', 'g');
    const result = merge3(base, ours, theirs);
    expect(result.clean).toBe(true);
    expect(result.content).toBe(lines('a', 'B', 'c', 'd', 'e', 'f', 'g', 'def appended():', '    return 1'));
  });

  it('accepts the same change made on both sides', () => {
    const both = lines('a', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(merge3(base, both, both)).toEqual({ clean: true, conflicts: 0, content: both });
    const ours = lines('a', 'b', 'C', 'd', 'e', 'f', 'g', 'mine');
    const theirs = lines('x', 'a', 'b', 'C', 'd', 'e', 'f', 'g');
    expect(merge3(base, ours, theirs).content).toBe(lines('x', 'a', 'b', 'C', 'd', 'e', 'f', 'g', 'mine'));
  });

  it('writes inline conflict markers when both sides change the same lines', () => {
    const ours = lines('a', 'b', 'mine', 'd', 'e', 'f', 'g');
    const theirs = lines('a', 'b', 'template', 'd', 'e', 'f', 'g');
    const result = merge3(base, ours, theirs);
    expect(result.clean).toBe(false);
    expect(result.conflicts).toBe(1);
    expect(result.content).toBe(
      lines('a', 'b', MARKERS.ours, 'mine', MARKERS.sep, 'template', MARKERS.theirs, 'd', 'e', 'f', 'g'),
    );
    expect(hasConflictMarkers(result.content)).toBe(true);
  });

  it('with style rej keeps the user side in the file and puts the template hunk in the reject', () => {
    const ours = lines('a', 'b', 'mine', 'd', 'e', 'f', 'G');
    const theirs = lines('A', 'b', 'template', 'd', 'e', 'f', 'g');
    const result = merge3(base, ours, theirs, 'rej', 'src/app.py');
    expect(result.clean).toBe(false);
    // The template's clean change (a → A) is applied, the conflicting one is not.
    expect(result.content).toBe(lines('A', 'b', 'mine', 'd', 'e', 'f', 'G'));
    expect(result.rej).toBe(
      '--- src/app.py\t(generated last time)\n+++ src/app.py\t(template)\n@@ -3,1 +3,1 @@\n-c\n+template\n',
    );
  });

  it('never glues a marker onto a last line without newline', () => {
    const result = merge3('a\nb', 'a\nmine', 'a\ntheirs');
    expect(result.content).toBe(`a\n${MARKERS.ours}\nmine\n${MARKERS.sep}\ntheirs\n${MARKERS.theirs}\n`);
  });

  it('writes markers with the file\'s CRLF line endings', () => {
    const result = merge3('a\r\nb\r\n', 'a\r\nmine\r\n', 'a\r\ntheirs\r\n');
    expect(result.content).toBe(`a\r\n${MARKERS.ours}\r\nmine\r\n${MARKERS.sep}\r\ntheirs\r\n${MARKERS.theirs}\r\n`);
  });
});

describe('merge2 (no base)', () => {
  it('keeps the common lines and makes every difference a conflict', () => {
    const result = merge2(lines('a', 'mine', 'c'), lines('a', 'template', 'c'));
    expect(result.content).toBe(lines('a', MARKERS.ours, 'mine', MARKERS.sep, 'template', MARKERS.theirs, 'c'));
    expect(result.conflicts).toBe(1);
  });
  it('with style rej leaves the user file untouched', () => {
    const ours = lines('a', 'mine', 'c');
    const result = merge2(ours, lines('a', 'template', 'c', 'd'), 'rej', 'x.yaml');
    expect(result.content).toBe(ours);
    expect(result.rej).toContain('+template\n');
    expect(result.rej).toContain('-mine\n');
  });
  it('is clean for identical files', () => {
    expect(merge2('x\n', 'x\n')).toEqual({ clean: true, conflicts: 0, content: 'x\n' });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random user edit × random template change.

/** An edit script over a list of lines: keep, delete, replace or insert-before, per position. */
type Step = { op: 'keep' } | { op: 'delete' } | { op: 'replace'; n: number } | { op: 'insert'; n: number[] };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 16, arbitrary: fc.constant({ op: 'keep' } as Step) },
  { weight: 1, arbitrary: fc.constant({ op: 'delete' } as Step) },
  { weight: 1, arbitrary: fc.nat(3).map((n) => ({ op: 'replace', n }) as Step) },
  { weight: 1, arbitrary: fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }).map((n) => ({ op: 'insert', n }) as Step) },
);

/**
 * Applies an edit script; new lines are tagged with `tag` and a serial number so they are
 * distinguishable from base lines and from the other side's lines (some are duplicates of each
 * other on purpose: `dup` lines repeat, as blank lines and braces do in real files).
 */
function edit(base: string[], steps: Step[], tag: string, tail: number[]): { result: string[]; added: string[] } {
  const result: string[] = [];
  const added: string[] = [];
  let serial = 0;
  const fresh = (n: number) => {
    const line = n === 0 ? `${tag}-dup` : `${tag}-${serial++}`;
    added.push(line);
    return line;
  };
  base.forEach((line, i) => {
    const step = steps[i] ?? { op: 'keep' };
    if (step.op === 'insert') result.push(...step.n.map(fresh), line);
    else if (step.op === 'replace') result.push(fresh(step.n));
    else if (step.op === 'keep') result.push(line);
  });
  result.push(...tail.map(fresh));
  return { result, added };
}

const baseArb = fc.array(fc.oneof(fc.constantFrom('', '}', 'pass', 'return x'), fc.integer({ min: 0, max: 40 }).map((n) => `line ${n}`)), {
  maxLength: 25,
});
const endArb = fc.oneof({ weight: 5, arbitrary: fc.constant('\n') }, { weight: 1, arbitrary: fc.constant('') });
const tailArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant<number[]>([]) },
  { weight: 1, arbitrary: fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }) },
);
const caseArb = fc
  .tuple(baseArb, endArb, endArb, endArb)
  .chain(([base, baseEnd, oursEnd, theirsEnd]) =>
    fc.record({
      base: fc.constant(base),
      ends: fc.constant([baseEnd, oursEnd, theirsEnd] as const),
      user: fc.array(stepArb, { minLength: base.length, maxLength: base.length }),
      userTail: tailArb,
      template: fc.array(stepArb, { minLength: base.length, maxLength: base.length }),
      templateTail: tailArb,
    }),
  );

const join = (l: string[], end: string) => (l.length === 0 ? '' : l.join('\n') + end);
const contentLines = (text: string) => text.split(/\r?\n/);

/** True when `needles` occur in `haystack` in order (as whole lines). */
function isSubsequence(needles: string[], haystack: string[]): boolean {
  let i = 0;
  for (const line of haystack) if (i < needles.length && line === needles[i]) i++;
  return i === needles.length;
}

describe('property: no user line is ever lost', () => {
  it('merge3 inline: every user line is in the result, in order, and a clean result has no markers (600 runs)', () => {
    const seen = { conflicted: 0, mergedBothSides: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const ours = edit(c.base, c.user, 'user', c.userTail);
        const theirs = edit(c.base, c.template, 'tmpl', c.templateTail);
        const baseText = join(c.base, c.ends[0]);
        const oursText = join(ours.result, c.ends[1]);
        const theirsText = join(theirs.result, c.ends[2]);
        const result = merge3(baseText, oursText, theirsText, 'inline');
        if (!result.clean) seen.conflicted++;
        else if (oursText !== baseText && theirsText !== baseText && oursText !== theirsText) seen.mergedBothSides++;
        const out = contentLines(result.content);
        expect(isSubsequence(ours.added, out)).toBe(true);
        // Template lines are never lost either.
        expect(isSubsequence(theirs.added, out)).toBe(true);
        expect(result.clean).toBe(!hasConflictMarkers(result.content));
        if (result.clean) expect(result.content.includes(MARKERS.sep + '\n')).toBe(false);
        if (oursText === baseText) expect(result.content).toBe(theirsText);
        if (theirsText === baseText) expect(result.content).toBe(oursText);
      }),
      { numRuns: 600 },
    );
    // The generator really exercises both conflicts and clean merges of two-sided changes.
    expect(seen.conflicted).toBeGreaterThan(60);
    expect(seen.mergedBothSides).toBeGreaterThan(30);
  });

  it('merge3 rej: every user line stays in the file, every template line is in the file or the reject (600 runs)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ours = edit(c.base, c.user, 'user', c.userTail);
        const theirs = edit(c.base, c.template, 'tmpl', c.templateTail);
        const result = merge3(join(c.base, c.ends[0]), join(ours.result, c.ends[1]), join(theirs.result, c.ends[2]), 'rej', 'f');
        const out = contentLines(result.content);
        expect(isSubsequence(ours.added, out)).toBe(true);
        expect(hasConflictMarkers(result.content)).toBe(false);
        const rejected = new Set(contentLines(result.rej ?? '').filter((l) => l.startsWith('+')).map((l) => l.slice(1)));
        for (const line of theirs.added) expect(out.includes(line) || rejected.has(line)).toBe(true);
        expect(result.clean).toBe(result.rej === undefined);
      }),
      { numRuns: 600 },
    );
  });

  it('plan over whole projects: user lines survive every action (update, merge, conflict, removal, addition) (500 runs)', () => {
    const fileArb = fc.record({
      base: fc.option(caseArb, { nil: undefined }),
      userDeletes: fc.boolean(),
      templateRemoves: fc.boolean(),
      userFileInTheWay: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fileArb, { maxLength: 6 }), fc.constantFrom('inline', 'rej' as const), (specs, style) => {
        const base = new Map<string, string>();
        const ours = new Map<string, string>();
        const theirs = new Map<string, string>();
        const userLines = new Map<string, string[]>();
        specs.forEach((spec, i) => {
          const path = `f${i}.txt`;
          if (spec.base) {
            const c = spec.base;
            const o = edit(c.base, c.user, `user${i}`, c.userTail);
            const t = edit(c.base, c.template, `tmpl${i}`, c.templateTail);
            base.set(path, join(c.base, '\n'));
            if (!spec.userDeletes) {
              ours.set(path, join(o.result, c.ends[1]));
              userLines.set(path, o.added);
            }
            if (!spec.templateRemoves) theirs.set(path, join(t.result, c.ends[2]));
          } else {
            // A new template file; maybe the user already has a file there.
            theirs.set(path, lines('new', `template ${i}`));
            if (spec.userFileInTheWay) {
              ours.set(path, lines('new', `user file ${i}`));
              userLines.set(path, [`user file ${i}`]);
            }
          }
        });
        const result = plan({ base, ours, theirs, conflictStyle: style });
        for (const [path, added] of userLines) {
          const file = result.files.find((f) => f.path === path)!;
          if (added.length > 0) expect(file.remove).toBeFalsy();
          const after = file.remove ? undefined : (file.write ?? ours.get(path));
          if (added.length > 0) expect(after).toBeDefined();
          if (after !== undefined) expect(isSubsequence(added, contentLines(after))).toBe(true);
        }
        // A user-deleted managed file is never re-created.
        for (const path of base.keys()) if (!ours.has(path)) expect(result.files.find((f) => f.path === path)?.write).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
