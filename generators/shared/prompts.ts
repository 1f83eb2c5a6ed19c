// Turns answer declarations into prompt questions and prompt answers back into typed answers.
// Questions validate with the same parse() the flags use, so a bad value is re-asked, not fatal.
import { ANSWERS, defaultBackends, DEFAULT_ENVIRONMENTS, type AnswerKey, type Answers } from './options.js';
import type { PartialAnswers } from './answers.js';

export interface Question {
  type: 'input' | 'select';
  name: string;
  message: string;
  default?: string;
  choices?: Array<{ name: string; value: string }>;
  validate?: (input: string) => true | string;
}

const backendQuestionName = (env: string) => `backend_${env}`;

export function questionsFor(key: AnswerKey, soFar: PartialAnswers): Question[] {
  const decl = ANSWERS[key];
  const prompt = decl.prompt;
  const choices = (list: readonly string[]) => list.map((value) => ({ name: value, value }));
  switch (prompt.type) {
    case 'input': {
      const def = decl.default(soFar);
      const toInput = 'toInput' in prompt && prompt.toInput ? (prompt.toInput as (v: unknown) => string) : String;
      return [
        {
          type: 'input',
          name: key,
          message: prompt.message,
          default: toInput(def),
          validate: (input: string) => {
            try {
              decl.parse(input as never, soFar);
              return true;
            } catch (error) {
              return (error as Error).message;
            }
          },
        },
      ];
    }
    case 'select':
      return [
        {
          type: 'select',
          name: key,
          message: prompt.message,
          choices: choices('choicesFor' in decl ? decl.choicesFor(soFar) : 'choices' in decl ? decl.choices : []),
          default: String(decl.default(soFar)),
        },
      ];
    case 'never':
      return [];
    case 'perEnvironment': {
      const envs = soFar.environments ?? DEFAULT_ENVIRONMENTS;
      const defaults = defaultBackends(envs);
      return envs.map((env) => ({
        type: 'select',
        name: backendQuestionName(env),
        message: prompt.message(env),
        choices: choices(prompt.choices),
        default: defaults[env],
      }));
    }
  }
}

/** Parses what the prompts returned for one answer key. */
export function answerFromPrompt<K extends AnswerKey>(key: K, raw: Record<string, unknown>, soFar: PartialAnswers): Answers[K] {
  const decl = ANSWERS[key];
  if (decl.prompt.type === 'perEnvironment') {
    const envs = soFar.environments ?? DEFAULT_ENVIRONMENTS;
    const map = Object.fromEntries(envs.map((env) => [env, raw[backendQuestionName(env)]]));
    return decl.parse(map as never, soFar) as Answers[K];
  }
  return decl.parse(raw[key] as never, soFar) as Answers[K];
}
