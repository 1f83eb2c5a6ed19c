// Helpers for the refresh scenarios: generate a project from any template set and version, a
// "previous" template set derived from the current one, and in-process refresh runs.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runRefresh, type RefreshIo } from '../../generators/refresh/command.js';
import { withDefaults, type PartialAnswers } from '../../generators/shared/answers.js';
import type { Answers } from '../../generators/shared/options.js';
import { TEMPLATES_DIR } from '../../generators/shared/paths.js';
import { renderProject } from '../../generators/shared/render.js';
import { BASE_STORE_PATH, generationState, YO_RC_PATH } from '../../generators/shared/state.js';
import { tempDir } from './cli.js';

export const answersFor = (partial: PartialAnswers): Answers => withDefaults({ name: 'svc', ...partial });

/** Writes a generated project (files + state) the way the app generator does. */
export async function generateProject(
  dir: string,
  answers: Answers,
  options: { templatesDir?: string; version: string; git?: boolean },
): Promise<Map<string, string>> {
  const files = await renderProject(answers, { templatesDir: options.templatesDir, generatorVersion: options.version });
  const state = generationState(files, answers, options.version);
  for (const [path, content] of [...files, [YO_RC_PATH, state.yoRcContent], [state.baseStore.path, state.baseStore.content]] as const) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  if (options.git) {
    git(dir, 'init', '-q');
    commitAll(dir, 'generated');
  }
  return files;
}

/** What past releases generated: test/fixtures/releases/<version>/<framework>/ (see make.sh there). */
export const RELEASES_DIR = join(import.meta.dirname, '..', 'fixtures', 'releases');

/**
 * Writes the default project `my-api` exactly as release `version` generated it for `framework`:
 * its two state files as recorded, and every file it wrote (the base store holds them all).
 * Returns the files (path → content), state files excluded.
 */
export function releaseProject(dir: string, version: string, framework: string): Map<string, string> {
  const recorded = join(RELEASES_DIR, version, framework);
  const files = new Map<string, string>();
  for (const path of [YO_RC_PATH, BASE_STORE_PATH]) {
    const content = readFileSync(join(recorded, path), 'utf8');
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (path === BASE_STORE_PATH)
      for (const [file, text] of Object.entries((JSON.parse(content) as { files: Record<string, string> }).files))
        files.set(file, text);
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return files;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/**
 * The template set of an imagined previous release, derived from the current templates so it
 * never drifts from them. What changed from it to the current set:
 * - app.py: the previous template had an extra first comment line (the current one dropped it);
 * - config.py: the previous template ended with "# previous tail" (dropped since);
 * - compose.yaml and deploy/k8s/base/service.yaml: a trailing comment (dropped since);
 * - OLD_NOTES.md and legacy/config.txt: rendered before, no longer;
 * - .github/workflows/template-refresh.yml: new in the current set.
 */
export const PREVIOUS = {
  appHeader: '# Application factory (previous template).',
  configTail: '# previous tail',
  composeTail: '# previous compose',
  serviceTail: '# previous service',
};

export function previousTemplates(): string {
  const dir = join(tempDir('cia-prev-templates-'), 'templates');
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  const edit = (path: string, change: (text: string) => string) => {
    const file = join(dir, path);
    writeFileSync(file, change(readFileSync(file, 'utf8')));
  };
  edit('fastapi/src/__pythonPackage__/app.py.ejs', (t) => `${PREVIOUS.appHeader}\n${t}`);
  edit('fastapi/src/__pythonPackage__/config.py.ejs', (t) => `${t.replace(/\s*$/, '')}\n${PREVIOUS.configTail}\n`);
  appendFileSync(join(dir, 'deploy/compose.yaml.ejs'), `\n${PREVIOUS.composeTail}\n`);
  appendFileSync(join(dir, 'deploy/deploy/k8s/base/service.yaml.ejs'), `\n${PREVIOUS.serviceTail}\n`);
  writeFileSync(join(dir, 'deploy/OLD_NOTES.md'), '# Old notes\n\nNo longer part of the template.\n');
  mkdirSync(join(dir, 'deploy/legacy'));
  writeFileSync(join(dir, 'deploy/legacy/config.txt'), 'legacy setting = 1\n');
  rmSync(join(dir, 'shared/_github/workflows/template-refresh.yml.ejs'));
  return dir;
}

/** Every file under dir except .git, with content: "nothing changed" means this is equal. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === '.git') continue;
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export interface RefreshRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout (for --json runs). */
  json: () => Record<string, unknown> & { files: string[] };
}

/** Runs the refresh command in-process (the same code the bin runs), with no terminal. */
export async function refreshIn(
  dir: string,
  args: string[],
  options: { toolVersion?: string; templatesDir?: string } & Partial<RefreshIo> = {},
): Promise<RefreshRun> {
  let stdout = '';
  let stderr = '';
  const { toolVersion, templatesDir, ...overrides } = options;
  const code = await runRefresh(args, dir, {
    interactive: false,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ...(toolVersion ? { toolVersion } : {}),
    render: (answers) => renderProject(answers, { templatesDir, ...(toolVersion ? { generatorVersion: toolVersion } : {}) }),
    prompt: async () => {
      throw new Error('unexpected prompt');
    },
    ...overrides,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
