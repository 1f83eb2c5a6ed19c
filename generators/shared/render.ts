// Renders a whole project in memory: answers → Map(relative path → content).
// Pure apart from reading templates, so the app generator, refresh and the tests share it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ejs from 'ejs';
import { CONDITIONS, TEMPLATE_ROOTS } from '../app/files.js';
import { buildContext, type TemplateContext } from './context.js';
import { formatFile } from './format.js';
import type { Answers } from './options.js';
import { GENERATOR_VERSION, TEMPLATES_DIR } from './paths.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Output path for a template path; `env` is set when expanding an `__env__` folder. */
function outputPath(templatePath: string, ctx: TemplateContext, env?: string): string {
  return templatePath
    .split(sep)
    .map((segment) =>
      segment
        .replace(/^_(?!_)/, '.')
        .replaceAll('__pythonPackage__', ctx.pythonPackage)
        .replaceAll('__env__', env ?? '__env__'),
    )
    .join('/')
    .replace(/\.ejs$/, '');
}

export interface RenderOptions {
  /** Version recorded in the output (refresh renders "the current" version). */
  generatorVersion?: string;
  /** Templates folder (tests render a fixture "previous" template set). */
  templatesDir?: string;
  /**
   * Run prettier over the output. Off by default: templates render already-formatted files
   * (test/formatted-templates.test.ts checks it), and prettier was most of the generation time.
   */
  format?: boolean;
}

export async function renderProject(answers: Answers, options: RenderOptions = {}): Promise<Map<string, string>> {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const ctx = buildContext(answers, options.generatorVersion ?? GENERATOR_VERSION);
  const files = new Map<string, string>();
  for (const root of TEMPLATE_ROOTS) {
    if (root.when && !root.when(ctx)) continue;
    const rootDir = join(templatesDir, root.dir(ctx));
    for (const file of walk(rootDir)) {
      const rel = relative(rootDir, file);
      const envs = rel.split(sep).includes('__env__') ? ctx.deployEnvironments : [undefined];
      for (const env of envs) {
        const out = outputPath(rel, ctx, env);
        if (CONDITIONS.some((c) => out.startsWith(c.prefix) && !c.when(ctx))) continue;
        if (files.has(out)) throw new Error(`two templates render ${out}: ${file}`);
        const source = readFileSync(file, 'utf8');
        const locals = env === undefined ? ctx : { ...ctx, env, backend: ctx.backends[env] };
        const text = file.endsWith('.ejs') ? ejs.render(source, locals, { filename: file }) : source;
        files.set(out, normalize(text));
      }
    }
  }
  const sorted = [...files.keys()].sort();
  const result = new Map<string, string>();
  for (const path of sorted) {
    const text = files.get(path)!;
    result.set(path, options.format === true ? normalize(await formatFile(path, text)) : text);
  }
  return result;
}

/** LF line endings, no trailing blank lines, exactly one final newline. */
function normalize(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\s+$/, '') + '\n';
}
