// `create-instrumented-api refresh`: flags → answers → render → plan → apply → report.
// The work is in engine.ts / plan.ts / merge.ts / apply.ts; this file is the thin CLI layer.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseAnswers, readAnswersFile, withDefaults, type PartialAnswers } from '../shared/answers.js';
import { row } from '../help.js';
import { flagError, UsageError } from '../shared/errors.js';
import { ANSWERS, ANSWER_KEYS, applies, RUN_OPTIONS, type AnswerDecl, type AnswerKey, type Answers } from '../shared/options.js';
import { GENERATOR_VERSION } from '../shared/paths.js';
import { answerFromPrompt, questionsFor, type Question } from '../shared/prompts.js';
import { findProjectDir, readProjectState, STATE_PATHS, type ProjectState } from '../shared/state.js';
import { ApplyError, applyOps, readFiles, recover, type StepHook } from './apply.js';
import { testStepHookFromEnv } from './disk.js';
import { computeRefresh, describeFile, relevantPaths, type Report } from './engine.js';
import { readJournal } from './journal.js';
import type { ConflictStyle } from './merge.js';

/** Options of the refresh command itself (answer flags come from the answer declarations). */
export const REFRESH_OPTIONS = {
  check: { flag: 'check', description: 'change nothing; exit 1 when a refresh would change files, listing them' },
  json: { flag: 'json', description: 'print a machine-readable report (JSON) on stdout' },
  conflict: {
    flag: 'conflict',
    arg: '<inline|rej>',
    choices: ['inline', 'rej'] as const,
    description: 'how to write conflicts: inline markers, or the user\'s side in the file and the template\'s in <file>.rej',
    defaultText: 'inline',
  },
  yes: { flag: RUN_OPTIONS.yes.flag, short: RUN_OPTIONS.yes.short, description: 'do not ask: use defaults for new answers' },
  answers: { flag: RUN_OPTIONS.answers.flag, arg: RUN_OPTIONS.answers.arg, description: 'read changed answers from a JSON file (flags win over it)' },
  allowDirty: { flag: 'allow-dirty', description: 'refresh even with uncommitted changes in the git work tree' },
  exclude: {
    flag: 'exclude',
    arg: '<path>',
    multiple: true,
    description: 'leave a file, or a folder ending in "/", out of this refresh (repeatable; a later refresh catches up)',
  },
  help: { flag: 'help', short: 'h', description: 'show this help' },
} as const;

export interface RefreshIo {
  cwd: string;
  interactive: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Version of the running tool (tests pretend to be another release). */
  toolVersion: string;
  /** Renders the project for the answers (tests render another template set). */
  render: (answers: Answers) => Promise<Map<string, string>>;
  /** Asks questions in a terminal. */
  prompt: (questions: Question[]) => Promise<Record<string, unknown>>;
  /** Test hook into the transaction (simulated failures, or a pause to SIGKILL the bin at). */
  applyHook?: StepHook;
}

export interface RefreshFlags {
  check: boolean;
  json: boolean;
  conflict: ConflictStyle;
  yes: boolean;
  allowDirty: boolean;
  help: boolean;
  answersFile: string;
  exclude: string[];
  /** Raw answer values from flags, keyed by answer name. */
  answers: Record<string, unknown>;
}

function parseConfig(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const decl of Object.values(REFRESH_OPTIONS)) {
    options[decl.flag] = {
      type: 'arg' in decl ? 'string' : 'boolean',
      ...('short' in decl ? { short: decl.short } : {}),
      ...('multiple' in decl ? { multiple: decl.multiple } : {}),
    };
  }
  for (const decl of Object.values(ANSWERS))
    options[decl.flag] = { type: 'string', multiple: 'multiple' in decl && decl.multiple === true };
  return options;
}

export function parseRefreshArgs(args: string[]): RefreshFlags {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: parseConfig(), allowPositionals: true, strict: true });
  } catch (error) {
    throw flagError(error, 'create-instrumented-api refresh');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}": refresh takes no positional arguments, run it inside the project (see refresh --help)`,
    );
  const conflict = (values.conflict as string | undefined) ?? 'inline';
  if (!(REFRESH_OPTIONS.conflict.choices as readonly string[]).includes(conflict))
    throw new UsageError(`unknown conflict style "${conflict}": use --conflict inline|rej`);
  const answers: Record<string, unknown> = {};
  for (const key of ANSWER_KEYS) {
    const value = values[ANSWERS[key].flag];
    if (value !== undefined) answers[key] = value;
  }
  return {
    check: values.check === true,
    json: values.json === true,
    conflict: conflict as ConflictStyle,
    yes: values.yes === true,
    allowDirty: values['allow-dirty'] === true,
    help: values.help === true,
    answersFile: (values.answers as string | undefined) ?? '',
    exclude: parseExcludes((values.exclude as string[] | undefined) ?? []),
    answers,
  };
}

function parseExcludes(raw: string[]): string[] {
  return raw.map((entry) => {
    const path = entry.trim().replace(/^\.\//, '');
    const bare = path.replace(/\/$/, '');
    if (!bare || bare.startsWith('/') || bare.split('/').some((s) => s === '..' || s === '.' || s === ''))
      throw new UsageError(`--exclude "${entry}" is not a path inside the project: pass e.g. --exclude .github/workflows/`);
    return path;
  });
}

export function refreshHelp(): string {
  const lines = [
    'Usage: create-instrumented-api refresh [options]   (inside a generated project or a folder of it)',
    '',
    'Brings the project up to the current template without losing your edits: files you never',
    'changed are updated, files you changed are 3-way merged (base: what was generated last time,',
    'kept in .create-instrumented-api/base.json), conflicts are marked, files you deleted stay deleted.',
    '',
    'Options:',
  ];
  for (const decl of Object.values(REFRESH_OPTIONS)) {
    const short = 'short' in decl ? `-${decl.short}, ` : '';
    const flag = `${short}--${decl.flag}${'arg' in decl ? ` ${decl.arg}` : ''}`;
    lines.push(row(flag, `${decl.description}${'defaultText' in decl ? `; default: ${decl.defaultText}` : ''}`));
  }
  lines.push('', 'Answers (default: the saved answers; changed ones are saved):');
  for (const decl of Object.values(ANSWERS)) {
    const choices = 'choices' in decl && decl.choices ? ` (choices: ${decl.choices.join(', ')})` : '';
    lines.push(row(`--${decl.flag} ${decl.arg}`, `${decl.description}${choices}`));
  }
  lines.push(
    '',
    'Exit status: 0 done (or, with --check, up to date); 1 conflicts written (or, with --check,',
    'a refresh would change files); 2 refused, nothing changed.',
    '',
    'Examples:',
    '  create-instrumented-api refresh --check',
    '  create-instrumented-api refresh --yes --json',
    '  create-instrumented-api refresh --environments development,staging,production --yes',
  );
  return `${lines.join('\n')}\n`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function splitPairs(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return items
    .flatMap((item) => String(item).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Backends explicitly given (flag list "env=backend" or answers-file object), as an object. */
function givenBackends(raw: unknown): Record<string, unknown> {
  if (isObject(raw)) return { ...raw };
  const result: Record<string, unknown> = {};
  for (const pair of splitPairs(raw)) {
    const at = pair.indexOf('=');
    result[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return result;
}

/**
 * The answers of this refresh: flags > answers file > saved answers; answers that are new (declared
 * but not saved) are missing, unless the project already has what they describe (`assumedWhenUnsaved`).
 * Backends combine per environment (a --backend for one environment keeps the saved backends of the
 * others); saved backends of environments no longer listed are dropped. `droppable`: saved answers not
 * given now, dropped (not refused) where the new answers make them not apply.
 */
export function resolveAnswers(
  saved: Record<string, unknown>,
  fromFlags: Record<string, unknown>,
  fromFile: Record<string, unknown> = {},
): { answers: PartialAnswers; missing: AnswerKey[]; droppable: Set<AnswerKey> } {
  const known = Object.fromEntries(Object.entries(saved).filter(([key]) => (ANSWER_KEYS as string[]).includes(key)));
  for (const key of ANSWER_KEYS) {
    const declared = (ANSWERS[key] as AnswerDecl<unknown>).assumedWhenUnsaved;
    const assumed = typeof declared === 'function' ? declared(known) : declared;
    if (assumed !== undefined && known[key] === undefined && applies(key, known as Parameters<typeof applies>[1]))
      known[key] = assumed;
  }
  const droppable = new Set(ANSWER_KEYS.filter((key) => known[key] !== undefined && fromFlags[key] === undefined && fromFile[key] === undefined));
  // Given values alone first: their errors name the flag.
  const givenEnvs = fromFlags.environments ?? fromFile.environments;
  const environments =
    givenEnvs !== undefined
      ? ANSWERS.environments.parse(givenEnvs)
      : Array.isArray(known.environments)
        ? (known.environments as string[])
        : undefined;
  const givenBackendRaw = fromFlags.backends ?? fromFile.backends;
  if (givenBackendRaw !== undefined && environments) ANSWERS.backends.parse(givenBackendRaw as never, { environments });

  const merged: Record<string, unknown> = { ...known, ...fromFile, ...fromFlags };
  delete merged.backends;
  if (known.backends !== undefined || givenBackendRaw !== undefined) {
    const savedBackends = isObject(known.backends) ? known.backends : {};
    const combined: Record<string, unknown> = {};
    for (const [env, backend] of Object.entries({ ...savedBackends, ...givenBackends(fromFile.backends), ...givenBackends(fromFlags.backends) }))
      if (!environments || environments.includes(env)) combined[env] = backend;
    merged.backends = combined;
  }
  // Sample rates combine per environment the same way (a given one replaces the saved one).
  const givenRatesRaw = fromFlags.sampleRates ?? fromFile.sampleRates;
  if (givenRatesRaw !== undefined) ANSWERS.sampleRates.parse(givenRatesRaw as never, { environments });
  delete merged.sampleRates;
  if (known.sampleRates !== undefined || givenRatesRaw !== undefined) {
    const savedRates = isObject(known.sampleRates) ? known.sampleRates : {};
    merged.sampleRates = Object.fromEntries(
      Object.entries({ ...savedRates, ...givenBackends(fromFile.sampleRates), ...givenBackends(fromFlags.sampleRates) }).filter(
        ([env]) => !environments || environments.includes(env),
      ),
    );
  }
  try {
    return { ...parseAnswers([merged], droppable), droppable };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    try {
      parseAnswers([known]);
    } catch (savedError) {
      throw new UsageError(
        `a saved answer in .yo-rc.json is invalid (${(savedError as Error).message.split(':')[0]}): fix it there or pass the answer as a flag`,
      );
    }
    throw error;
  }
}

async function gitDirtyFiles(cwd: string): Promise<string[] | undefined> {
  const { execa } = await import('execa');
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd, reject: false });
  if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') return undefined; // no git, or not a work tree
  // --no-optional-locks: a check must not write .git/index (git status may refresh it otherwise).
  const status = await execa('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=all', '--', '.'], { cwd, reject: false });
  if (status.exitCode !== 0)
    throw new UsageError(`git status failed (${status.stderr.split('\n')[0]}): fix the repository, or pass --allow-dirty`);
  return status.stdout.split('\n').filter(Boolean);
}

async function completeAnswers(
  partial: PartialAnswers,
  missing: AnswerKey[],
  droppable: ReadonlySet<AnswerKey>,
  flags: RefreshFlags,
  io: RefreshIo,
): Promise<Answers> {
  if (missing.length === 0 || flags.yes || flags.check) return withDefaults(partial, droppable);
  // --json is for bots: never prompt (a prompt would also corrupt the JSON on stdout).
  if (!io.interactive || flags.json) {
    const names = missing.map((key) => `--${ANSWERS[key].flag}`).join(', ');
    throw new UsageError(
      `this version asks for new answer${missing.length > 1 ? 's' : ''} ${names} and there is no terminal to ask: pass ${missing.length > 1 ? 'them' : 'it'} as flags, or add --yes for the defaults`,
    );
  }
  const known: PartialAnswers = { ...partial };
  for (const key of missing) {
    if (!applies(key, known)) continue;
    const raw = await io.prompt(questionsFor(key, known));
    (known as Record<string, unknown>)[key] = answerFromPrompt(key, raw, known);
  }
  return withDefaults(known, droppable);
}

/** The report for people (stdout). */
function humanText(report: Report, files: ReturnType<typeof computeRefresh>['plan']['files']): string {
  const versions = report.from === report.to ? report.to : `${report.from} → ${report.to}`;
  const listed = files.filter((file) => describeFile(file) !== undefined);
  const width = Math.max(6, ...listed.map((f) => f.action.length)) + 2;
  const lines = listed.map((file) => `  ${file.action.padEnd(width)}${file.path}  (${describeFile(file)})`);
  for (const rej of report.rejects) lines.push(`  ${'reject'.padEnd(width)}${rej}`);
  const state = report.files.filter((p) => STATE_PATHS.includes(p));
  if (state.length > 0) lines.push(`  ${'state'.padEnd(width)}${state.join(', ')}  (answers, version, merge base)`);
  if (report.answersChanged.length > 0) lines.push(`  answers saved: ${report.answersChanged.join(', ')}`);
  if (report.check) {
    if (!report.changed) return `Up to date with the create-instrumented-api ${report.to} template: a refresh would change nothing.\n`;
    return `A refresh (${versions}) would change ${report.files.length} file${report.files.length === 1 ? '' : 's'}:\n${lines.join('\n')}\nRun "create-instrumented-api refresh" to apply.\n`;
  }
  if (!report.changed)
    return `Up to date with the create-instrumented-api ${report.to} template: nothing changed.\n${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
  let text = `Refreshed to the create-instrumented-api ${versions} template:\n${lines.join('\n')}\n`;
  if (report.conflicted.length > 0) {
    const how =
      report.conflictStyle === 'rej'
        ? 'your side is in the file, the template\'s side in the .rej file next to it: apply what you want, delete the .rej files'
        : 'resolve the blocks between "<<<<<<< ours" and ">>>>>>> template"';
    text += `${report.conflicted.length} file${report.conflicted.length === 1 ? ' has' : 's have'} conflicts: ${how}, then commit.\n`;
  } else text += 'Review the changes (git diff), then commit.\n';
  return text;
}

/** What a refresh prints when done; kept in the journal, so a run that finishes it prints the same. */
interface Outcome {
  report: Report;
  human: string;
}

const outcomeText = (outcome: Outcome, json: boolean) => (json ? `${JSON.stringify(outcome.report, null, 2)}\n` : outcome.human);

/**
 * A refresh interrupted by a crash (its journal is there): --check reports it (exit 1, nothing
 * written); otherwise it is finished (past its commit point: its outcome is printed and this run
 * ends there) or undone (this run then refreshes as usual). Returns the exit code when this run
 * is over.
 */
async function settleInterrupted(flags: RefreshFlags, io: RefreshIo): Promise<number | undefined> {
  if (flags.check) {
    const journal = await readJournal(io.cwd);
    if (!journal) return undefined;
    const what =
      journal.state === 'commit'
        ? `is half-applied (${journal.ops.length} files): run "create-instrumented-api refresh" to finish it`
        : `left ${journal.state === 'prepare' ? 'temporary files' : 'a half-undone change'}: run "create-instrumented-api refresh" to undo it and refresh again`;
    throw new UsageError(`an interrupted refresh ${what}`, 1);
  }
  const recovered = await recover(io.cwd, io.applyHook);
  if (!recovered) return undefined;
  if (recovered.state !== 'commit') {
    io.stderr(`create-instrumented-api refresh: undid an interrupted refresh (your files were as before it); refreshing again\n`);
    return undefined;
  }
  io.stderr(`create-instrumented-api refresh: finished a refresh that had been interrupted (${recovered.paths.length} files)\n`);
  const outcome = recovered.result as Outcome | undefined;
  if (!outcome?.report) return 0;
  io.stdout(outcomeText(outcome, flags.json));
  return outcome.report.exitCode;
}

export async function refresh(args: string[], io: RefreshIo): Promise<number> {
  let flags: RefreshFlags | undefined;
  const fail = (message: string, exitCode = 2): number => {
    io.stderr(`create-instrumented-api refresh: ${message}\n`);
    if (flags?.json) io.stdout(`${JSON.stringify({ error: message, exitCode }, null, 2)}\n`);
    return exitCode;
  };
  try {
    flags = parseRefreshArgs(args);
    if (flags.help) {
      io.stdout(refreshHelp());
      return 0;
    }
    const settled = await settleInterrupted(flags, io);
    if (settled !== undefined) return settled;
    const state: ProjectState = readProjectState(io.cwd, io.toolVersion);
    if (!flags.check && !flags.allowDirty) {
      const dirty = await gitDirtyFiles(io.cwd);
      if (dirty && dirty.length > 0) {
        const shown = dirty.slice(0, 3).map((line) => line.slice(3)).join(', ');
        throw new UsageError(
          `uncommitted changes in the git work tree (${shown}${dirty.length > 3 ? ', …' : ''}): commit or stash them first, or pass --allow-dirty`,
        );
      }
    }
    const fromFile = flags.answersFile ? readAnswersFile(flags.answersFile) : undefined;
    const { answers: partial, missing, droppable } = resolveAnswers(state.entry.answers, flags.answers, fromFile);
    if (partial.name !== undefined && state.entry.answers.name !== undefined && partial.name !== state.entry.answers.name)
      throw new UsageError(
        `refresh cannot rename the project (${String(state.entry.answers.name)} → ${partial.name}): it would move every file; create a new project instead`,
      );
    const answers = await completeAnswers(partial, missing, droppable, flags, io);

    const theirs = new Map([...(await io.render(answers))].filter(([path]) => !STATE_PATHS.includes(path)));
    const ours = await readFiles(io.cwd, relevantPaths(state, theirs, flags.exclude));
    const result = computeRefresh(
      { state, answers, theirs, ours, toolVersion: io.toolVersion, conflictStyle: flags.conflict, exclude: flags.exclude },
      flags.check,
    );
    const outcome: Outcome = { report: result.report, human: humanText(result.report, result.plan.files) };
    if (!flags.check && result.ops.length > 0) {
      try {
        const { warning } = await applyOps(io.cwd, result.ops, { hook: io.applyHook, result: outcome });
        if (warning) io.stderr(`warning: ${warning}\n`);
      } catch (error) {
        if (error instanceof UsageError) throw error;
        if (error instanceof ApplyError && !error.undone) return fail(`refresh failed: ${error.message}`);
        return fail(`refresh failed, nothing was changed: ${(error as Error).message}`);
      }
    }
    if (!flags.json && result.report.unresolved.length > 0)
      io.stderr(`warning: unresolved conflict markers from an earlier refresh in ${result.report.unresolved.join(', ')}: resolve them\n`);
    io.stdout(outcomeText(outcome, flags.json));
    return result.report.exitCode;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, error.exitCode);
    if ((error as Error)?.name === 'ExitPromptError') return fail('cancelled: nothing was changed', 130);
    if (process.env.DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return fail(`refresh failed, nothing was changed: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
  }
}

async function terminalPrompt(questions: Question[]): Promise<Record<string, unknown>> {
  const { EnvironmentBase } = await import('yeoman-environment');
  const env = new EnvironmentBase({});
  return (await env.adapter.prompt(questions as never)) as Record<string, unknown>;
}

/** Entry point used by cli.ts: `create-instrumented-api refresh ...args`. Returns the exit code. */
export async function runRefresh(args: string[], cwd: string, overrides: Partial<RefreshIo> = {}): Promise<number> {
  const { renderProject } = await import('../shared/render.js');
  const projectDir = findProjectDir(cwd);
  if (projectDir !== cwd) process.stderr.write(`refreshing the project in ${projectDir}\n`);
  return refresh(args, {
    cwd: projectDir,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    toolVersion: GENERATOR_VERSION,
    render: (answers) => renderProject(answers),
    prompt: terminalPrompt,
    applyHook: testStepHookFromEnv(),
    ...overrides,
  });
}
