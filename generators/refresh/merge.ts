// Line-based merges for refresh.
//
// merge3: base = what the tool generated last time, ours = the file now, theirs = the new render.
// merge2: no base (a new template file meets a file the user already has): every difference is a
// conflict, nothing is merged silently.
//
// Conflicts are written either inline, git style,
//     <<<<<<< ours
//     (the user's lines)
//     =======
//     (the template's lines)
//     >>>>>>> template
// or, with style 'rej', the file keeps the user's side of every conflict and the template's side
// goes to a reject file (unified-diff hunks, like patch(1) writes). Either way no line of the user's
// is dropped: it is in the result, or (inline) inside a conflict block.
import { diff3Merge, diffComm } from 'node-diff3';

export type ConflictStyle = 'inline' | 'rej';

export const MARKERS = { ours: '<<<<<<< ours', sep: '=======', theirs: '>>>>>>> template' } as const;

export interface MergeResult {
  /** True when no conflict was found. */
  clean: boolean;
  /** Number of conflict blocks. */
  conflicts: number;
  /** The file's new content (inline: with markers; rej: the user's side of each conflict). */
  content: string;
  /** With style 'rej' and conflicts: the reject file's content. */
  rej?: string;
}

/** Splits text into lines that keep their terminator, so joining them gives the text back exactly. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

interface Conflict {
  ours: string[];
  base: string[];
  baseIndex: number;
  theirs: string[];
  theirsIndex: number;
}

type Region = { ok: string[] } | { conflict: Conflict };

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Joins lines for a conflict block: the block's last line must end with a newline. */
function block(lines: string[], eol: string): string {
  const text = lines.join('');
  return text === '' || text.endsWith('\n') ? text : text + eol;
}

function render(regions: Region[], style: ConflictStyle, path: string, eol: string, twoWay: boolean): MergeResult {
  let content = '';
  let conflicts = 0;
  const hunks: string[] = [];
  for (const region of regions) {
    if ('ok' in region) {
      content += region.ok.join('');
      continue;
    }
    conflicts++;
    const c = region.conflict;
    if (style === 'inline') {
      // A conflict never glues onto the end of a line without newline.
      if (content !== '' && !content.endsWith('\n')) content += eol;
      content += `${MARKERS.ours}${eol}${block(c.ours, eol)}${MARKERS.sep}${eol}${block(c.theirs, eol)}${MARKERS.theirs}${eol}`;
    } else {
      content += c.ours.join('');
      hunks.push(rejHunk(twoWay ? c.ours : c.base, twoWay ? c.baseIndex : c.baseIndex, c.theirs, c.theirsIndex));
    }
  }
  const result: MergeResult = { clean: conflicts === 0, conflicts, content };
  if (style === 'rej' && conflicts > 0) {
    const header = twoWay
      ? `--- ${path}\t(your file)\n+++ ${path}\t(template)\n`
      : `--- ${path}\t(generated last time)\n+++ ${path}\t(template)\n`;
    result.rej = header + hunks.join('');
  }
  return result;
}

function rejHunk(from: string[], fromIndex: number, to: string[], toIndex: number): string {
  const range = (index: number, length: number) => `${length === 0 ? index : index + 1},${length}`;
  let out = `@@ -${range(fromIndex, from.length)} +${range(toIndex, to.length)} @@\n`;
  const lines = (prefix: string, list: string[]) => {
    for (const line of list) {
      out += prefix + line;
      if (!line.endsWith('\n')) out += '\n\\ No newline at end of file\n';
    }
  };
  lines('-', from);
  lines('+', to);
  return out;
}

/** Three-way merge of a managed file. */
export function merge3(base: string, ours: string, theirs: string, style: ConflictStyle = 'inline', path = 'file'): MergeResult {
  if (ours === theirs || theirs === base) return { clean: true, conflicts: 0, content: ours };
  if (ours === base) return { clean: true, conflicts: 0, content: theirs };
  const regions = diff3Merge<string>(splitLines(ours), splitLines(base), splitLines(theirs), {
    excludeFalseConflicts: true,
  }).map((region): Region => {
    if (region.ok) return { ok: region.ok };
    const c = region.conflict!;
    return { conflict: { ours: c.a, base: c.o, baseIndex: c.oIndex, theirs: c.b, theirsIndex: c.bIndex } };
  });
  return render(coalesce(regions), style, path, eolOf(ours), false);
}

/** Two-way "merge" (no base): lines both files share are kept, every difference is a conflict. */
export function merge2(ours: string, theirs: string, style: ConflictStyle = 'inline', path = 'file'): MergeResult {
  if (ours === theirs) return { clean: true, conflicts: 0, content: ours };
  const regions: Region[] = [];
  let oursIndex = 0;
  let theirsIndex = 0;
  for (const part of diffComm(splitLines(ours), splitLines(theirs))) {
    if (part.common) {
      regions.push({ ok: part.common });
      oursIndex += part.common.length;
      theirsIndex += part.common.length;
    } else {
      const a = part.buffer1 ?? [];
      const b = part.buffer2 ?? [];
      regions.push({ conflict: { ours: a, base: a, baseIndex: oursIndex, theirs: b, theirsIndex } });
      oursIndex += a.length;
      theirsIndex += b.length;
    }
  }
  return render(coalesce(regions), style, path, eolOf(ours), true);
}

/** Merges adjacent ok regions (diff3 may split them), keeping output stable. */
function coalesce(regions: Region[]): Region[] {
  const out: Region[] = [];
  for (const region of regions) {
    const last = out[out.length - 1];
    if (last && 'ok' in last && 'ok' in region) last.ok = [...last.ok, ...region.ok];
    else out.push('ok' in region ? { ok: [...region.ok] } : region);
  }
  return out;
}

/** True when text holds an unresolved inline conflict written by refresh. */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< ours\r?$/m.test(text) && /^>>>>>>> template\r?$/m.test(text);
}
