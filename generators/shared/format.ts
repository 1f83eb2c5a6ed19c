// Formats rendered files with prettier where it knows the language. Python and Go templates
// are written already formatted (ruff / gofmt check them in tests); prettier has no parser.
import type { Options } from 'prettier';

const PARSERS: Record<string, string> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.md': 'markdown',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.js': 'babel',
  '.mjs': 'babel',
};

/** Options shared with the generated Node projects' own .prettierrc. */
export const PRETTIER_OPTIONS: Options = { singleQuote: true, printWidth: 100, proseWrap: 'preserve' };

export function parserFor(path: string): string | undefined {
  // What `prettier --check` uses for package.json: keeps generated projects' own lint green.
  if (path === 'package.json' || path.endsWith('/package.json')) return 'json-stringify';
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : PARSERS[path.slice(dot)];
}

export async function formatFile(path: string, content: string): Promise<string> {
  const parser = parserFor(path);
  if (!parser) return content;
  const prettier = await import('prettier');
  try {
    return await prettier.format(content, { ...PRETTIER_OPTIONS, parser, filepath: path });
  } catch (error) {
    // A template bug, not a user error: say which file so it can be fixed.
    throw new Error(`prettier could not format rendered ${path}: ${(error as Error).message}`);
  }
}
