// Helpers for templates (ejs locals `h`): they print answer-dependent text exactly as prettier
// would format it, so rendered files need no formatting pass (test/formatted-templates.test.ts).

/** Display width of a string as prettier measures it: East Asian wide characters count 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x300 && code <= 0x36f)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * A left-aligned markdown table as prettier prints it: every column padded to its widest cell
 * (at least 3, the shortest delimiter), `| a | b |` with single spaces. No trailing newline.
 */
export function mdTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(3, displayWidth(cell), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (cells: string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '') + ' '.repeat(w - displayWidth(cells[i] ?? ''))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A TypeScript string literal as prettier prints it (singleQuote: true): the quote needing fewer escapes. */
export function tsString(value: string): string {
  const singles = (value.match(/'/g) ?? []).length;
  const doubles = (value.match(/"/g) ?? []).length;
  const quote = doubles < singles ? '"' : "'";
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replaceAll(quote, `\\${quote}`);
  return quote + body + quote;
}

/** An object key as prettier prints it (quoteProps: as-needed): bare when it is an identifier. */
export function tsKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : tsString(key);
}

/** A quoted YAML scalar as prettier prints it (singleQuote: true): single quotes unless the value has more of them. */
export function yamlString(value: string): string {
  const singles = (value.match(/'/g) ?? []).length;
  const doubles = (value.match(/"/g) ?? []).length;
  return doubles < singles ? JSON.stringify(value) : `'${value.replaceAll("'", "''")}'`;
}

/** prettier's printWidth for the generated projects (format.ts, .prettierrc). */
const PRINT_WIDTH = 100;

/**
 * One TypeScript assignment or object property (`head` is e.g. `const a =` or `key:`) whose value
 * is `operands` joined with `??`, broken the way prettier breaks it when it is too long: first
 * after the head, then after each `??`. `tail` is what follows (`;` or `,`).
 */
export function tsAssignment(indent: string, head: string, operands: string[], tail: string): string {
  const value = operands.join(' ?? ');
  const one = `${indent}${head} ${value}${tail}`;
  if (one.length <= PRINT_WIDTH) return one;
  const inner = `${indent}  `;
  const two = `${inner}${value}${tail}`;
  if (two.length <= PRINT_WIDTH || operands.length === 1) return `${indent}${head}\n${two}`;
  return `${indent}${head}\n${inner}${operands.join(` ??\n${inner}`)}${tail}`;
}

/** Whether `line` fits prettier's printWidth. */
export function fits(line: string): boolean {
  return line.length <= PRINT_WIDTH;
}

export const templateHelpers = { displayWidth, fits, mdTable, tsAssignment, tsString, tsKey, yamlString };
export type TemplateHelpers = typeof templateHelpers;
