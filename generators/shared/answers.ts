// Answers come from three places, in this order of precedence: flags > answers file > defaults
// (or prompts, when interactive). Every value goes through its declaration's parse().
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { ANSWER_KEYS, ANSWERS, applies, checkSampleRates, canTellIfApplies, notApplicable, toSnakeCase, type AnswerKey, type Answers } from './options.js';
import { SHADOWED_PYTHON_NAMES } from './python-names.js';

export type PartialAnswers = Partial<Answers>;

/** Reads and checks an answers file: a JSON object whose keys are answer names. */
export function readAnswersFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read answers file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`answers file ${file} is not valid JSON (${(error as Error).message}): fix the file`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new UsageError(`answers file ${file} must hold a JSON object like {"framework": "fastapi"}`);
  for (const key of Object.keys(data)) {
    if (!(ANSWER_KEYS as string[]).includes(key))
      throw new UsageError(`answers file ${file} has unknown key "${key}": use ${ANSWER_KEYS.join(', ')}`);
  }
  return data as Record<string, unknown>;
}

/**
 * Parses raw answers (from flags and/or a file) in declaration order, so later answers can
 * depend on earlier ones (backends on environments). Returns the parsed answers and the keys
 * still missing. An answer given where it does not apply is refused, unless it is `droppable`
 * (saved by an earlier run, not given now: refresh drops it silently).
 */
export function parseAnswers(
  sources: Array<Record<string, unknown> | undefined>,
  droppable: ReadonlySet<AnswerKey> = new Set(),
): { answers: PartialAnswers; missing: AnswerKey[] } {
  const answers: PartialAnswers = {};
  const missing: AnswerKey[] = [];
  for (const key of ANSWER_KEYS) {
    const source = sources.find((s) => s && s[key] !== undefined);
    // Until what its condition reads is known (it may still be asked), a conditional answer is kept.
    if (canTellIfApplies(key, answers) && !applies(key, answers)) {
      if (source && !droppable.has(key)) throw notApplicable(key);
      continue;
    }
    if (!source) {
      // Never asked: not given means the default.
      if (ANSWERS[key].prompt.type === 'never') setAnswer(answers, key, ANSWERS[key].default(answers) as never);
      else missing.push(key);
      continue;
    }
    setAnswer(answers, key, ANSWERS[key].parse(source[key] as never, answers));
  }
  return { answers, missing };
}

function setAnswer<K extends AnswerKey>(answers: PartialAnswers, key: K, value: Answers[K]): void {
  answers[key] = value;
}

/**
 * Fills every missing answer with its default (for --yes). An answer that does not apply is
 * refused, or dropped if `droppable` (see parseAnswers).
 */
export function withDefaults(partial: PartialAnswers, droppable: ReadonlySet<AnswerKey> = new Set()): Answers {
  const answers: PartialAnswers = { ...partial };
  for (const key of ANSWER_KEYS) {
    if (!applies(key, answers)) {
      if (answers[key] !== undefined && !droppable.has(key)) throw notApplicable(key);
      delete answers[key];
    } else if (answers[key] === undefined) setAnswer(answers, key, ANSWERS[key].default(answers) as never);
    // Choices that depend on earlier answers (--pm on the framework) are checked once those are known.
    else if ('choicesFor' in ANSWERS[key]) setAnswer(answers, key, ANSWERS[key].parse(answers[key] as never, answers) as never);
    // Backends must cover exactly the environments (a default map may predate --environments).
    if (key === 'backends') answers.backends = ANSWERS.backends.parse(answers.backends, answers);
    // Sample rates name environments, which may have been asked after the flag was read.
    if (key === 'sampleRates') answers.sampleRates = ANSWERS.sampleRates.parse(answers.sampleRates, answers);
  }
  checkAcrossAnswers(answers as Answers);
  return answers as Answers;
}

/** Rules that need more than one answer. */
function checkAcrossAnswers(answers: Answers): void {
  checkSampleRates(answers);
  const pythonPackage = toSnakeCase(answers.name);
  if (answers.framework === 'fastapi' && SHADOWED_PYTHON_NAMES.has(pythonPackage))
    throw new UsageError(
      `project name "${answers.name}" would make a Python package "${pythonPackage}" that shadows the module of that name: choose another, e.g. ${answers.name}-api`,
    );
}

export function defaultAnswers(name = 'my-api'): Answers {
  return withDefaults({ name });
}
