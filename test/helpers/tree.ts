// A byte-for-byte picture of a folder: every entry (folders, files, symbolic links) with its type,
// permission bits and content, to assert "nothing written or lost" and "exactly this state".
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Content as text when it is UTF-8 (readable diffs), else base64: equal pictures ⇔ equal bytes. */
function bytes(buffer: Buffer): string {
  try {
    return `text ${UTF8.decode(buffer)}`;
  } catch {
    return `base64 ${buffer.toString('base64')}`;
  }
}

/** path → "dir 755" | "file 644 text …" | "link -> target"; `skip`: entry names left out (e.g. .git). */
export function tree(dir: string, skip: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (skip.includes(name)) continue;
      const abs = join(d, name);
      const rel = relative(dir, abs);
      const stat = lstatSync(abs);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(abs)}`;
      else if (stat.isDirectory()) {
        out[`${rel}/`] = `dir ${mode}`;
        walk(abs);
      } else if (stat.isFile()) out[rel] = `file ${mode} ${bytes(readFileSync(abs))}`;
      else out[rel] = `other ${mode}`;
    }
  };
  walk(dir);
  return out;
}
