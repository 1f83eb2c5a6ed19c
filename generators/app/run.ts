// Runs the app generator in a yeoman environment. The one generator class is registered
// directly: no lookup through node_modules (the classic cause of slow yeoman start-up).
import { fileURLToPath } from 'node:url';
import type { PartialAnswers } from '../shared/answers.js';
import { UsageError } from '../shared/errors.js';
import type { RunOptions } from '../shared/options.js';
import { PACKAGE_ROOT } from '../shared/paths.js';
import AppGenerator from './generator.js';
import { InstallError } from './post-write.js';

const FILE_STATUSES = ['create', 'force', 'identical', 'skip'] as const;

export const NAMESPACE = 'instrumented-api:app';
export const GENERATOR_PATH = fileURLToPath(new URL('./generator.js', import.meta.url));

/** `parentDir`: the folder the project goes in (default `cwd`, where the command runs). */
export async function generate(input: { answers: PartialAnswers; run: RunOptions; cwd: string; parentDir?: string }): Promise<number> {
  const { EnvironmentBase } = await import('yeoman-environment');
  const env = new EnvironmentBase({ cwd: input.cwd, force: input.run.force, skipInstall: true, logCwd: input.cwd });
  // yeoman logs a status line per file ("create …", "force .yo-rc.json"): that list is for --verbose.
  if (!input.run.verbose) for (const status of FILE_STATUSES) env.adapter.log[status] = () => env.adapter.log;
  env.register(AppGenerator, { namespace: NAMESPACE, resolved: GENERATOR_PATH, packagePath: PACKAGE_ROOT });
  const generator = (await env.create(NAMESPACE, {
    generatorOptions: { answers: input.answers, run: input.run, parentDir: input.parentDir ?? input.cwd, skipInstall: input.run.skipInstall },
  })) as AppGenerator;
  try {
    await env.runGenerator(generator);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof InstallError) {
      process.stderr.write(`create-instrumented-api: ${error.message}\n`);
      return 1;
    }
    generator.cleanUpAfterFailure();
    if ((error as Error).name === 'ExitPromptError') throw new UsageError('cancelled: nothing was written', 130);
    throw error;
  }
}
