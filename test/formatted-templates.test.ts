// Templates render already-formatted output: generation skips prettier (render.ts), so every file
// prettier knows must come out of ejs exactly as prettier would print it, for every framework,
// package manager and a spread of answers (long names move table widths and line breaks).
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../generators/shared/answers.js';
import { formatFile, parserFor } from '../generators/shared/format.js';
import { FRAMEWORKS, NODE_FRAMEWORKS, packageManagersFor, type Answers, type PackageManager } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { COMBOS, type Combo } from './helpers/combos.js';

/** A DNS-label-valid name of exactly `length` characters. */
const sized = (first: string, length: number) => (length === 1 ? first : `${first}-${'x'.repeat(length - 3)}z`);
const LONG_NAME = sized('a', 63);
const LONG_ENV = sized('e', 63);
const LONG_ENV_2 = sized('p', 63);

const CASES: Array<[string, string, Combo]> = [
  ...Object.entries(COMBOS).map(([label, combo]) => [label, 'shop-api', combo] as [string, string, Combo]),
  [
    'long names',
    LONG_NAME,
    { environments: [LONG_ENV, LONG_ENV_2], backends: { [LONG_ENV]: 'jaeger', [LONG_ENV_2]: 'datadog' } },
  ],
  ['one long environment', LONG_NAME, { environments: [LONG_ENV], backends: { [LONG_ENV]: 'datadog' } }],
  ['one short environment', 'a', { environments: ['dev'], backends: { dev: 'otlp' } }],
  [
    'long names, datadog locally',
    LONG_NAME,
    { environments: ['development', LONG_ENV], backends: { development: 'datadog', [LONG_ENV]: 'none' } },
  ],
];

const VARIANTS: Array<[string, Answers['framework'], PackageManager | undefined]> = FRAMEWORKS.flatMap((framework) =>
  packageManagersFor(framework).length > 0
    ? packageManagersFor(framework).map((pm) => [`${framework} (${pm})`, framework, pm] as [string, Answers['framework'], PackageManager])
    : [[framework, framework, undefined] as [string, Answers['framework'], undefined]],
);

/** Every file prettier formats is rendered exactly as prettier prints it. */
async function expectFormatted(answers: Answers): Promise<void> {
  const files = await renderProject(answers, { format: false });
  for (const [path, content] of files) {
    if (!parserFor(path)) continue;
    const formatted = (await formatFile(path, content)).replace(/\s+$/, '') + '\n';
    expect(content, `${path} is not prettier-formatted`).toBe(formatted);
  }
}

describe.each(VARIANTS)('%s', (_label, framework, pm) => {
  it.each(CASES)('%s', async (_case, name, combo) => {
    const answers = withDefaults({ name, framework, pm, environments: combo.environments, backends: combo.backends, datadogAgent: combo.datadogAgent });
    await expectFormatted(answers);
  });
});

// Line breaks that depend on answer lengths, across the lengths where they change.
describe('answer lengths around printWidth', () => {
  const lengths = Array.from({ length: 24 }, (_, i) => 40 + i);
  it.each(lengths)('names of %i characters', async (length) => {
    for (const framework of NODE_FRAMEWORKS)
      for (const backend of ['none', 'datadog'] as const) {
        const env = sized('e', length);
        const answers = withDefaults({ name: sized('n', length), framework, environments: [env], backends: { [env]: backend } });
        await expectFormatted(answers);
      }
  });
});
