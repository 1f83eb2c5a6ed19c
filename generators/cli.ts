// The command line: parses flags from the option declarations, answers --help/--version without
// loading yeoman, validates everything before anything is written, then runs the app generator
// (or the refresh command).
import { basename, dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseAnswers, readAnswersFile, withDefaults } from './shared/answers.js';
import { flagError, UsageError } from './shared/errors.js';
import { ANSWERS, ANSWER_KEYS, applies, RUN_OPTIONS, RUN_OPTION_KEYS, type RunOptions } from './shared/options.js';
import { GENERATOR_VERSION } from './shared/paths.js';
import { checkTarget } from './shared/target.js';

export interface CliIo {
  cwd: string;
  interactive: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo = (): CliIo => ({
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

/** parseArgs options for every declared flag (answers and run options). */
export function flagConfig(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const decl of Object.values(ANSWERS))
    options[decl.flag] = { type: 'string', multiple: 'multiple' in decl && decl.multiple === true };
  for (const decl of Object.values(RUN_OPTIONS)) {
    options[decl.flag] = {
      type: 'arg' in decl && decl.arg ? 'string' : 'boolean',
      ...('short' in decl && decl.short ? { short: decl.short } : {}),
    };
  }
  return options;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: flagConfig(), allowPositionals: true, strict: true });
  } catch (error) {
    throw flagError(error, 'create-instrumented-api');
  }
}

/**
 * The first argument may be a path, as with create-vite (`../my-api`, `services/orders`, `.`): the
 * project is created there and named after its last part. Returns that name and the folder it
 * goes in; without an argument, the name is asked and the project goes in `cwd`.
 */
export function projectPlace(cwd: string, first: string | undefined): { name?: string; parentDir: string } {
  if (first === undefined || first === '') return { name: first, parentDir: cwd };
  const full = resolve(cwd, first);
  return { name: basename(full), parentDir: dirname(full) };
}

/** Answer values given as flags, keyed by answer name (positional name included). */
export function answerFlags(values: Record<string, unknown>, positionals: string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of ANSWER_KEYS) {
    const value = values[ANSWERS[key].flag];
    if (value !== undefined) raw[key] = value;
  }
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}": give one project name (see --help)`);
  const [name] = positionals;
  if (name !== undefined) {
    if (raw.name !== undefined && raw.name !== name)
      throw new UsageError(`project name given twice ("${name}" and --name ${String(raw.name)}): give it once`);
    raw.name = name;
  }
  return raw;
}

function runOptions(values: Record<string, unknown>): RunOptions {
  const run = {} as Record<string, unknown>;
  for (const key of RUN_OPTION_KEYS) {
    const decl = RUN_OPTIONS[key];
    const value = values[decl.flag];
    run[key] = value === undefined ? decl.default() : decl.parse(value as never);
  }
  return run as RunOptions;
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    if (argv[0] === 'refresh') {
      const { runRefresh } = await import('./refresh/command.js');
      return await runRefresh(argv.slice(1), io.cwd);
    }
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout((await import('./help.js')).helpText());
      return 0;
    }
    if (values.version) {
      io.stdout(`${GENERATOR_VERSION}\n`);
      return 0;
    }
    const run = runOptions(values);
    const place = projectPlace(io.cwd, positionals[0]);
    const fromFlags = answerFlags(values, place.name === undefined ? positionals : [place.name, ...positionals.slice(1)]);
    const fromFile = run.answers ? readAnswersFile(run.answers) : undefined;
    const { answers, missing } = parseAnswers([fromFlags, fromFile]);
    // Everything known is checked now, including rules across answers, before yeoman loads.
    // (withDefaults also refuses an answer that the defaults make inapplicable: --pm with fastapi.)
    if (missing.length === 0 || run.yes) withDefaults(answers);
    if (missing.length > 0 && !run.yes && !io.interactive) {
      const assumed = { framework: ANSWERS.framework.default(), ...answers };
      const flags = missing
        .filter((key) => applies(key, assumed))
        .map((key) => `--${ANSWERS[key].flag}`)
        .join(', ');
      throw new UsageError(`no terminal to ask for ${flags}: pass ${flags.includes(',') ? 'them' : 'it'} as flags, use --answers <file>, or add --yes for defaults`);
    }
    // Check the target early when the name is known, so nothing is asked or loaded in vain.
    if (answers.name) checkTarget(place.parentDir, answers.name, run.force);
    const { generate } = await import('./app/run.js');
    return await generate({ answers, run, cwd: io.cwd, parentDir: place.parentDir });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`create-instrumented-api: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
