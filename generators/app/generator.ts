// The app generator: asks what is missing, renders the project in memory, writes it, installs
// dependencies and makes the first commit. Everything a project holds comes from renderProject,
// which the refresh command shares.
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import Generator from 'yeoman-generator';
import { withDefaults, type PartialAnswers } from '../shared/answers.js';
import { FRAMEWORK_SPECS } from '../shared/frameworks.js';
import { ANSWERS, ANSWER_KEYS, applies, type AnswerKey, type Answers, type RunOptions } from '../shared/options.js';
import { GENERATOR_VERSION } from '../shared/paths.js';
import { answerFromPrompt, questionsFor } from '../shared/prompts.js';
import { renderProject } from '../shared/render.js';
import { generationState } from '../shared/state.js';
import { checkTarget } from '../shared/target.js';
import { gitSkipReason, initGit, runInstall } from './post-write.js';
import { createProgress, type Progress } from './progress.js';

export interface AppGeneratorOptions {
  /** Answers already known (flags, answers file); the rest are asked. */
  answers?: PartialAnswers;
  /** Run options from the CLI (yeoman's own skipInstall/force are set from these too). */
  run?: Partial<RunOptions>;
  /** Folder the project folder is created in (defaults to the generator's cwd). */
  parentDir?: string;
}

export default class AppGenerator extends Generator {
  declare options: Generator['options'] & AppGeneratorOptions;
  private answers!: Answers;
  private targetExisted = false;
  private written = false;
  private fileCount = 0;
  private writeStarted = 0;
  private readonly progress: Progress = createProgress();

  constructor(...args: ConstructorParameters<typeof Generator>) {
    // Installs are ours (per language); yeoman's package.json-driven npm install stays off.
    super(args[0], args[1], { ...(typeof args[2] === 'object' ? args[2] : {}), customInstallTask: true });
  }

  async prompting(): Promise<void> {
    const known: PartialAnswers = { ...this.options.answers };
    const missing = ANSWER_KEYS.filter((key) => known[key] === undefined);
    for (const key of missing) {
      if (this.options.run?.yes) break;
      if (!applies(key, known) || ANSWERS[key].prompt.type === 'never') continue;
      const raw = (await this.prompt(questionsFor(key, known) as never)) as Record<string, unknown>;
      setAnswer(known, key, answerFromPrompt(key, raw, known));
    }
    this.answers = withDefaults(known);
  }

  configuring(): void {
    const parentDir = this.options.parentDir ?? this.env.cwd;
    const target = checkTarget(parentDir, this.answers.name, Boolean(this.options.run?.force));
    this.targetExisted = target.existed;
    this.destinationRoot(target.dir);
  }

  async writing(): Promise<void> {
    this.writeStarted = performance.now();
    // Render fully before writing anything: a template error leaves the disk untouched.
    const files = await renderProject(this.answers);
    this.fileCount = files.size + 2; // and the two state files below
    const state = generationState(files, this.answers, GENERATOR_VERSION);
    for (const [path, content] of files) this.fs.write(this.destinationPath(path), content);
    this.config.set(state.yoRc[this.rootGeneratorName()] as Record<string, unknown>);
    this.fs.write(this.destinationPath(state.baseStore.path), state.baseStore.content);
    this.written = true;
  }

  /** Runs after yeoman's commit phase has put the files on disk. */
  async install(): Promise<void> {
    const where = relative(this.env.cwd, this.destinationRoot()) || '.';
    this.progress.done(`Wrote ${this.fileCount} files to ${where}`, performance.now() - this.writeStarted);
    if (this.options.run?.skipInstall || this.options.skipInstall) return;
    const plan = FRAMEWORK_SPECS[this.answers.framework].install(this.answers);
    await this.progress.step(`Installing dependencies with ${plan.tool}`, () => runInstall(this.destinationRoot(), plan));
  }

  async end(): Promise<void> {
    if (!this.options.run?.skipGit) {
      const skipped = await gitSkipReason(this.destinationRoot());
      if (skipped) this.progress.line(skipped);
      else await this.progress.step('Initializing a git repository', () => initGit(this.destinationRoot()));
    }
    // Relative to where the command runs (the project may go elsewhere: `create-instrumented-api ../my-api`).
    const rel = relative(this.env.cwd, this.destinationRoot());
    const spec = FRAMEWORK_SPECS[this.answers.framework];
    const steps = rel ? [`cd ${rel}`] : [];
    if (this.options.run?.skipInstall) steps.push(`${spec.install(this.answers).label}   # install dependencies`);
    steps.push(...spec.nextSteps(this.answers));
    this.progress.line(`\nCreated ${this.answers.name} (${spec.traits.displayName}) in ${this.destinationRoot()}\n\nNext steps:\n${steps.map((s) => `  ${s}`).join('\n')}\n`);
  }

  /** Removes a half-created project folder (only one this run created). */
  cleanUpAfterFailure(): void {
    if (this.written && !this.targetExisted) rmSync(this.destinationRoot(), { recursive: true, force: true });
  }
}

function setAnswer<K extends AnswerKey>(answers: PartialAnswers, key: K, value: Answers[K]): void {
  answers[key] = value;
}
