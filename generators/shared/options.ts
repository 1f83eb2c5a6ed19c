// Every option is declared once, here. The declaration drives the CLI flag (cli.ts), --help
// (help.ts), the prompt (prompts.ts), validation (answers.ts), what is saved in .yo-rc.json
// (kind: 'answer') and the TypeScript types (Answers, RunOptions below).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from './errors.js';

export const FRAMEWORKS = ['fastapi', 'express', 'fastify', 'go'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export const NODE_FRAMEWORKS: readonly Framework[] = ['express', 'fastify'];
export const PYTHON_FRAMEWORKS: readonly Framework[] = ['fastapi'];

export const NODE_PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export const PYTHON_PACKAGE_MANAGERS = ['uv', 'pip'] as const;
export const PACKAGE_MANAGERS = [...NODE_PACKAGE_MANAGERS, ...PYTHON_PACKAGE_MANAGERS] as const;
export type NodePackageManager = (typeof NODE_PACKAGE_MANAGERS)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The package managers of a framework's language (none for Go: the go command manages modules). */
export function packageManagersFor(framework: string | undefined): readonly PackageManager[] {
  if (NODE_FRAMEWORKS.includes(framework as Framework)) return NODE_PACKAGE_MANAGERS;
  if (PYTHON_FRAMEWORKS.includes(framework as Framework)) return PYTHON_PACKAGE_MANAGERS;
  return [];
}

/** The package manager that ran us (`npm create`, `pnpm create`, …), from npm_config_user_agent. */
export function packageManagerFromUserAgent(userAgent = process.env.npm_config_user_agent ?? ''): NodePackageManager {
  const name = userAgent.split('/')[0] ?? '';
  return (NODE_PACKAGE_MANAGERS as readonly string[]).includes(name) ? (name as NodePackageManager) : 'npm';
}

/** Whether an executable named `command` is in one of the PATH folders. */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return statSync(join(dir, command)).isFile();
    } catch {
      return false;
    }
  });
}

/** uv when the machine has it (it locks and installs faster, from a committed uv.lock), else pip. */
export const pythonPackageManagerDefault = (path?: string): PackageManager => (onPath('uv', path) ? 'uv' : 'pip');

export const BACKENDS = ['jaeger', 'datadog', 'datadog-native', 'otlp', 'console', 'none'] as const;
export type Backend = (typeof BACKENDS)[number];

/** A backend that sends to the node-local Datadog Agent (every value named datadog…). */
export const isDatadogBackend = (backend: string | undefined): boolean => backend?.startsWith('datadog') ?? false;

/** How the Datadog Agent gets into the cluster (templates/datadog-agent/<style>/; none for "existing"). */
export const DATADOG_AGENT_STYLES = ['operator', 'helm', 'manifests', 'existing'] as const;
export type DatadogAgentStyle = (typeof DATADOG_AGENT_STYLES)[number];

export const DEFAULT_ENVIRONMENTS = ['development', 'staging', 'production'];

/** The environment that runs locally (compose): "development" if listed, else the first one. */
export function localEnvironmentOf(environments: readonly string[]): string {
  return environments.includes('development') ? 'development' : (environments[0] ?? 'development');
}

/** Default backend: Jaeger for the local environment, the Datadog Agent everywhere else. */
export function defaultBackends(environments: readonly string[]): Record<string, Backend> {
  const local = localEnvironmentOf(environments);
  return Object.fromEntries(environments.map((env) => [env, env === local ? 'jaeger' : 'datadog']));
}

/** What a parse()/default() may read of the answers parsed before it (declaration order). */
type Partial_ = {
  readonly name?: string;
  readonly framework?: string;
  readonly environments?: readonly string[];
  readonly backends?: Readonly<Record<string, string>>;
  readonly datadogAgent?: string;
};

/** Some environment deployed to Kubernetes (every one but the local one) sends to the Datadog Agent. */
export function deploysToDatadogAgent(answers: Partial_): boolean {
  const environments = answers.environments ?? DEFAULT_ENVIRONMENTS;
  const backends = answers.backends ?? defaultBackends(environments);
  const local = localEnvironmentOf(environments);
  return environments.some((env) => env !== local && isDatadogBackend(backends[env]));
}

/**
 * Where an environment's traces are sampled, chosen so that Datadog's trace metrics stay exact:
 * - agent: the cluster's Datadog Agent (OTLP from the datadog backend) keeps a share of the traces
 *   after it computed the metrics (its probabilistic sampler; one rate for the whole Agent);
 * - tracer: Datadog's tracer (datadog-native) applies a sampling rule; it still sends every span to
 *   the Agent, marked keep or drop, so the Agent's metrics count them all;
 * - sdk: the OpenTelemetry SDK's parentbased_traceidratio sampler (jaeger, otlp, console): what is not
 *   sampled is never recorded, so metrics derived from spans (e.g. Jaeger's Monitor tab) shrink too;
 * - none: every trace is kept (rate 1, or tracing off).
 */
export interface Sampling {
  mechanism: 'agent' | 'tracer' | 'sdk' | 'none';
  rate: number;
}

/** The environments deployed to Kubernetes whose OTLP goes to the cluster's Datadog Agent. */
function agentOtlpEnvironments(answers: Partial_): string[] {
  const environments = answers.environments ?? DEFAULT_ENVIRONMENTS;
  const local = localEnvironmentOf(environments);
  return environments.filter((env) => env !== local && answers.backends?.[env] === 'datadog');
}

/** The rate of the Agent's probabilistic sampler; undefined when the Agent keeps every trace. */
export function agentSampleRate(answers: Partial_ & { sampleRates?: Readonly<Record<string, number>> }): number | undefined {
  const rates = agentOtlpEnvironments(answers).map((env) => answers.sampleRates?.[env] ?? 1);
  return rates.some((rate) => rate < 1) ? rates[0] : undefined;
}

export function samplingOf(answers: Partial_ & { sampleRates?: Readonly<Record<string, number>> }, env: string): Sampling {
  const rate = answers.sampleRates?.[env] ?? 1;
  const backend = answers.backends?.[env];
  if (rate >= 1 || backend === 'none') return { mechanism: 'none', rate: 1 };
  if (backend === 'datadog') return { mechanism: 'agent', rate };
  if (backend === 'datadog-native') return { mechanism: 'tracer', rate };
  return { mechanism: 'sdk', rate };
}

/** Sample rates that cannot be applied as asked (checked once every answer is known). */
export function checkSampleRates(answers: Partial_ & { sampleRates: Readonly<Record<string, number>> }): void {
  const environments = answers.environments ?? DEFAULT_ENVIRONMENTS;
  const local = localEnvironmentOf(environments);
  for (const [env, rate] of Object.entries(answers.sampleRates)) {
    const backend = answers.backends?.[env];
    if (backend === 'none')
      throw new UsageError(`--sample-rate ${env}=${rate}: tracing is off in ${env} (backend none): drop it or choose a backend`);
    if (backend === 'datadog' && env === local && rate < 1)
      throw new UsageError(
        `--sample-rate ${env}=${rate}: ${env} sends OTLP to a Datadog Agent this project does not configure, which samples after computing trace metrics: set DD_APM_PROBABILISTIC_SAMPLER_ENABLED=true and DD_APM_PROBABILISTIC_SAMPLER_SAMPLING_PERCENTAGE=${+(rate * 100).toFixed(4)} on that Agent instead`,
      );
  }
  const shared = agentOtlpEnvironments(answers);
  const rates = new Set(shared.map((env) => answers.sampleRates[env] ?? 1));
  if (rates.size > 1)
    throw new UsageError(
      `--sample-rate: ${shared.join(', ')} all send OTLP to the cluster's one Datadog Agent, whose sampler keeps one share of every trace: give them the same rate (or use datadog-native, which samples in each app)`,
    );
  const rate = agentSampleRate(answers);
  const native = environments.filter((env) => env !== local && answers.backends?.[env] === 'datadog-native');
  if (rate !== undefined && native.length > 0)
    throw new UsageError(
      `--sample-rate: the Datadog Agent's sampler (${shared.join(', ')}) would also sample the traces of ${native.join(', ')} (datadog-native): sample those in the tracer only, e.g. --backend ${shared[0]}=datadog-native, or keep every trace in ${shared.join(', ')}`,
    );
}

interface BaseDecl<T> {
  /** Long flag without dashes. */
  flag: string;
  /** Placeholder in --help, e.g. "<name>"; absent for boolean flags. */
  arg?: string;
  description: string;
  choices?: readonly string[];
  /** Value used with --yes or when the user accepts the prompt's default. */
  default: (answers: Partial_) => T;
  /** Text for --help's "default:" column. */
  defaultText: string;
  /** Turns the raw flag / answers-file / prompt value into the typed value; throws UsageError. */
  parse: (raw: unknown, answers: Partial_) => T;
}

export interface AnswerDecl<T> extends BaseDecl<T> {
  kind: 'answer';
  /** Also accepted as the first positional argument. */
  positional?: boolean;
  /** Flag may be repeated (values are collected into an array before parse). */
  multiple?: boolean;
  /** Only asked, accepted and saved when this holds (e.g. --pm for Node frameworks only). */
  when?: (answers: Partial_) => boolean;
  /** The answers `when` reads: until they are known (they may still be asked), the answer is kept. */
  whenReads?: ReadonlyArray<keyof Partial_>;
  /** Says when the answer applies, and how to fix it, for the error when it is given but does not. */
  whenText?: string;
  whenFix?: string;
  /** The choices that apply given the answers before it (`choices` lists them all, for --help). */
  choicesFor?: (answers: Partial_) => readonly string[];
  /**
   * What a project saved before this answer existed already has; refresh assumes it (where the
   * answer applies) instead of the default, so that a refresh does not change what it deploys.
   * A function when that depends on other answers (undefined: nothing to assume).
   */
  assumedWhenUnsaved?: T | ((answers: Partial_) => T | undefined);
  prompt: PromptDecl<T>;
}

export interface RunDecl<T> extends BaseDecl<T> {
  kind: 'run';
  short?: string;
}

/** How to ask for an answer: one question, or (for per-environment answers) one per environment. */
export type PromptDecl<T> =
  | { type: 'input'; message: string; toInput?: (value: T) => string }
  | { type: 'select'; message: string }
  | { type: 'perEnvironment'; message: (env: string) => string; choices: readonly string[] }
  /** Never asked: a flag or answers-file value, else the default. */
  | { type: 'never' };

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico', 'refresh']);
const PYTHON_KEYWORDS = new Set(
  'false none true and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

export function parseName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  const fix = 'use lower case letters, digits and dashes, starting with a letter, e.g. my-api';
  if (!name) throw new UsageError(`project name is empty: ${fix}`);
  if (RESERVED_NAMES.has(name)) throw new UsageError(`project name "${name}" is reserved: choose another, e.g. my-api`);
  if (name.length > 63) throw new UsageError(`project name "${name}" is longer than 63 characters: shorten it`);
  if (!/^[a-z][a-z0-9._-]*$/.test(name) || name.includes('..'))
    throw new UsageError(`invalid project name "${name}": ${fix}`);
  if (!/[a-z0-9]$/.test(name)) throw new UsageError(`invalid project name "${name}": it must end with a letter or digit`);
  if (PYTHON_KEYWORDS.has(toSnakeCase(name)))
    throw new UsageError(`project name "${name}" is a Python keyword: choose another, e.g. ${name}-api`);
  return name;
}

export function toSnakeCase(name: string): string {
  return name.replace(/[^a-z0-9]+/g, '_');
}

function splitList(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return items
    .flatMap((item) => String(item).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseEnvironments(raw: unknown): string[] {
  const envs = splitList(raw);
  if (envs.length === 0)
    throw new UsageError('no environments given: pass e.g. --environments development,staging,production');
  const seen = new Set<string>();
  for (const env of envs) {
    if (!DNS_LABEL.test(env))
      throw new UsageError(
        `environment "${env}" is not a DNS label: use lower case letters, digits and dashes (max 63), e.g. staging`,
      );
    if (seen.has(env)) throw new UsageError(`environment "${env}" is listed twice in --environments: list it once`);
    seen.add(env);
  }
  return envs;
}

export function parseBackends(raw: unknown, answers: Partial_): Record<string, Backend> {
  const environments = answers.environments ?? DEFAULT_ENVIRONMENTS;
  const result: Record<string, Backend> = defaultBackends(environments);
  const given =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw as Record<string, unknown>).map(([env, b]) => `${env}=${String(b)}`)
      : splitList(raw);
  const seen = new Set<string>();
  for (const pair of given) {
    const match = /^([^=]+)=(.*)$/.exec(pair);
    if (!match) throw new UsageError(`--backend "${pair}" is not ENV=BACKEND: pass e.g. --backend production=datadog`);
    const env = match[1]!.trim();
    const backend = match[2]!.trim();
    if (!environments.includes(env))
      throw new UsageError(
        `--backend names environment "${env}", which is not in --environments (${environments.join(',')}): add it there or fix the name`,
      );
    if (!(BACKENDS as readonly string[]).includes(backend))
      throw new UsageError(`unknown backend "${backend}" for ${env}: choose one of ${BACKENDS.join(', ')}`);
    if (seen.has(env)) throw new UsageError(`--backend sets "${env}" twice: set it once`);
    seen.add(env);
    result[env] = backend as Backend;
  }
  return result;
}

/**
 * --sample-rate ENV=RATE (repeatable): the share of traces kept in an environment, 0 < RATE <= 1.
 * Only the environments given are saved (1, keep everything, is the default of the others).
 */
export function parseSampleRates(raw: unknown, answers: Partial_): Record<string, number> {
  const given =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw as Record<string, unknown>).map(([env, r]) => `${env}=${String(r)}`)
      : splitList(raw);
  const result: Record<string, number> = {};
  for (const pair of given) {
    const match = /^([^=]+)=(.*)$/.exec(pair);
    if (!match) throw new UsageError(`--sample-rate "${pair}" is not ENV=RATE: pass e.g. --sample-rate production=0.1`);
    const env = match[1]!.trim();
    const text = match[2]!.trim();
    // Until the environments are known (they may still be asked), withDefaults checks again.
    if (answers.environments && !answers.environments.includes(env))
      throw new UsageError(
        `--sample-rate names environment "${env}", which is not in --environments (${answers.environments.join(',')}): add it there or fix the name`,
      );
    const rate = /^(0|[1-9]\d*)?(\.\d+)?$/.test(text) && text !== '' && text !== '.' ? Number(text) : NaN;
    if (!(rate > 0 && rate <= 1))
      throw new UsageError(
        `--sample-rate ${env}=${text}: the rate must be a number above 0 and at most 1 (the share of traces kept), e.g. ${env}=0.1`,
      );
    if (env in result) throw new UsageError(`--sample-rate sets "${env}" twice: set it once`);
    result[env] = rate;
  }
  return result;
}

export function parseGoModule(raw: unknown): string {
  const path = typeof raw === 'string' ? raw.trim() : '';
  // Module path rules (golang.org/x/mod/module.CheckPath), simplified: lower-case path elements.
  if (!/^[a-z0-9][a-z0-9._~-]*(\/[a-zA-Z0-9._~-]+)*$/.test(path) || path.split('/').some((e) => e.startsWith('.') || e.endsWith('.')))
    throw new UsageError(`invalid Go module path "${path}": use e.g. github.com/acme/my-api`);
  return path;
}

function parseChoice<T extends string>(what: string, flag: string, choices: readonly T[]) {
  return (raw: unknown): T => {
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!(choices as readonly string[]).includes(value))
      throw new UsageError(`unknown ${what} "${String(raw ?? '')}": use --${flag} ${choices.join('|')}`);
    return value as T;
  };
}

/** A package manager of the framework's language; one of another language's is named as such. */
function parsePackageManager(raw: unknown, answers: Partial_): PackageManager {
  // Until the framework is known (it may still be asked), any; withDefaults checks again.
  const choices = answers.framework === undefined ? PACKAGE_MANAGERS : packageManagersFor(answers.framework);
  const value = typeof raw === 'string' ? raw.trim() : '';
  if ((PACKAGE_MANAGERS as readonly string[]).includes(value) && !(choices as readonly string[]).includes(value))
    throw new UsageError(`--pm ${value} does not manage ${answers.framework} projects: use --pm ${choices.join('|')}`);
  return parseChoice('package manager', 'pm', choices)(raw);
}

const bool = (raw: unknown): boolean => raw === true || raw === 'true';

/** Answers: asked, saved in .yo-rc.json, reused by refresh. Order = prompt order. */
export const ANSWERS = {
  name: {
    kind: 'answer',
    flag: 'name',
    arg: '<name>',
    positional: true,
    description:
      'project name (npm-valid); also the folder, Python package, service and Kubernetes name. The first argument may be a path: the project goes there, named after its last part',
    default: () => 'my-api',
    defaultText: 'asked (my-api with --yes)',
    parse: parseName,
    prompt: { type: 'input', message: 'Project name' },
  } satisfies AnswerDecl<string>,
  framework: {
    kind: 'answer',
    flag: 'framework',
    arg: '<framework>',
    description: 'web framework of the generated service',
    choices: FRAMEWORKS,
    default: () => 'fastapi' as Framework,
    defaultText: 'fastapi',
    parse: parseChoice('framework', 'framework', FRAMEWORKS),
    prompt: { type: 'select', message: 'Framework' },
  } satisfies AnswerDecl<Framework>,
  environments: {
    kind: 'answer',
    flag: 'environments',
    arg: '<a,b,...>',
    description: 'environments the service runs in (DNS labels); "development" (else the first) runs locally with compose, the others get Kubernetes overlays',
    default: () => [...DEFAULT_ENVIRONMENTS],
    defaultText: DEFAULT_ENVIRONMENTS.join(','),
    parse: parseEnvironments,
    prompt: { type: 'input', message: 'Environments (comma-separated)', toInput: (v: string[]) => v.join(',') },
  } satisfies AnswerDecl<string[]>,
  backends: {
    kind: 'answer',
    flag: 'backend',
    arg: '<env=backend>',
    multiple: true,
    description: 'tracing backend of an environment (repeatable)',
    choices: BACKENDS,
    default: (answers) => defaultBackends(answers.environments ?? DEFAULT_ENVIRONMENTS),
    defaultText: 'local environment=jaeger, others=datadog',
    parse: parseBackends,
    prompt: { type: 'perEnvironment', message: (env: string) => `Tracing backend for ${env}`, choices: BACKENDS },
  } satisfies AnswerDecl<Record<string, Backend>>,
  datadogAgent: {
    kind: 'answer',
    flag: 'datadog-agent',
    arg: '<style>',
    description:
      'how the Datadog Agent is installed in the cluster: a DatadogAgent for the Datadog Operator, values for the datadog Helm chart, plain manifests (DaemonSet), or nothing (the cluster already runs one)',
    choices: DATADOG_AGENT_STYLES,
    when: deploysToDatadogAgent,
    whenReads: ['environments', 'backends'],
    whenText: 'only when an environment deployed to Kubernetes uses a Datadog backend',
    whenFix: 'drop it or send a deployed environment there (--backend <env>=datadog)',
    // Datadog recommends its Operator for Kubernetes.
    default: () => 'operator' as DatadogAgentStyle,
    defaultText: 'operator (Datadog\'s recommendation)',
    // Projects generated before this answer existed run the Agent from plain manifests.
    assumedWhenUnsaved: 'manifests' as DatadogAgentStyle,
    parse: parseChoice('Datadog Agent style', 'datadog-agent', DATADOG_AGENT_STYLES),
    prompt: { type: 'select', message: 'How the Datadog Agent is installed in the cluster' },
  } satisfies AnswerDecl<DatadogAgentStyle>,
  sampleRates: {
    kind: 'answer',
    flag: 'sample-rate',
    arg: '<env=rate>',
    multiple: true,
    description:
      'share of traces kept in an environment, 0 < rate <= 1 (repeatable): sampled where Datadog trace metrics stay exact (the Agent for datadog, the tracer for datadog-native, the SDK for jaeger and otlp). Never asked',
    default: (): Record<string, number> => ({}),
    defaultText: '1 everywhere (keep every trace)',
    // Projects saved before this answer existed keep every trace.
    assumedWhenUnsaved: {} as Record<string, number>,
    parse: parseSampleRates,
    // A cost knob whose right value depends on traffic: given as a flag or in the answers file,
    // never asked (one more question per environment would slow every first run down).
    prompt: { type: 'never' },
  } satisfies AnswerDecl<Record<string, number>>,
  pm: {
    kind: 'answer',
    flag: 'pm',
    arg: '<pm>',
    description:
      'package manager for installs, CI, the Dockerfile and the README commands: npm|pnpm|yarn|bun for Node frameworks, uv|pip for Python (uv commits a uv.lock)',
    choices: PACKAGE_MANAGERS,
    choicesFor: (answers) => packageManagersFor(answers.framework),
    when: (answers) => packageManagersFor(answers.framework).length > 0,
    whenReads: ['framework'],
    whenText: `only with --framework ${FRAMEWORKS.filter((f) => packageManagersFor(f).length > 0).join('|')}`,
    whenFix: 'drop it or change --framework',
    default: (answers) =>
      PYTHON_FRAMEWORKS.includes(answers.framework as Framework) ? pythonPackageManagerDefault() : packageManagerFromUserAgent(),
    defaultText: 'Node: the one running create (npm_config_user_agent), else npm; Python: uv when on PATH, else pip',
    // Python projects saved before they had a package manager answer install with pip.
    assumedWhenUnsaved: (answers) => (PYTHON_FRAMEWORKS.includes(answers.framework as Framework) ? 'pip' : undefined),
    parse: parsePackageManager,
    prompt: { type: 'select', message: 'Package manager' },
  } satisfies AnswerDecl<PackageManager>,
  module: {
    kind: 'answer',
    flag: 'module',
    arg: '<path>',
    description: 'Go module path (Go framework)',
    when: (answers) => answers.framework === 'go',
    whenReads: ['framework'],
    whenText: 'only with --framework go',
    whenFix: 'drop it or change --framework',
    default: (answers) => answers.name ?? 'my-api',
    defaultText: 'the project name',
    parse: parseGoModule,
    prompt: { type: 'input', message: 'Go module path' },
  } satisfies AnswerDecl<string>,
} as const;

/** Run options: how this run behaves; never saved. */
export const RUN_OPTIONS = {
  yes: {
    kind: 'run',
    flag: 'yes',
    short: 'y',
    description: 'do not ask: use defaults for every answer not given',
    default: () => false,
    defaultText: 'off',
    parse: bool,
  } satisfies RunDecl<boolean>,
  answers: {
    kind: 'run',
    flag: 'answers',
    arg: '<file.json>',
    description: 'read answers from a JSON file (flags win over it)',
    default: () => '',
    defaultText: 'none',
    parse: (raw) => String(raw ?? ''),
  } satisfies RunDecl<string>,
  skipInstall: {
    kind: 'run',
    flag: 'skip-install',
    description: 'do not install dependencies',
    default: () => false,
    defaultText: 'off',
    parse: bool,
  } satisfies RunDecl<boolean>,
  skipGit: {
    kind: 'run',
    flag: 'skip-git',
    description: 'do not run git init and the first commit',
    default: () => false,
    defaultText: 'off',
    parse: bool,
  } satisfies RunDecl<boolean>,
  verbose: {
    kind: 'run',
    flag: 'verbose',
    description: 'list every file written',
    default: () => false,
    defaultText: 'off',
    parse: bool,
  } satisfies RunDecl<boolean>,
  force: {
    kind: 'run',
    flag: 'force',
    description: 'write into a non-empty target folder, overwriting files',
    default: () => false,
    defaultText: 'off',
    parse: bool,
  } satisfies RunDecl<boolean>,
} as const;

type ValueOf<D> = D extends BaseDecl<infer T> ? T : never;
export type AnswerKey = keyof typeof ANSWERS;
type ConditionalKey = { [K in AnswerKey]: (typeof ANSWERS)[K] extends { when: unknown } ? K : never }[AnswerKey];
/** Answers; conditional ones (with `when`) are present only where they apply. */
export type Answers = { -readonly [K in Exclude<AnswerKey, ConditionalKey>]: ValueOf<(typeof ANSWERS)[K]> } & {
  -readonly [K in ConditionalKey]?: ValueOf<(typeof ANSWERS)[K]>;
};

/** Whether an answer applies given the answers before it. */
export function applies(key: AnswerKey, answers: Partial_): boolean {
  const decl = ANSWERS[key] as AnswerDecl<unknown>;
  return decl.when ? decl.when(answers) : true;
}

/** Whether every answer an answer's condition reads is known yet. */
export function canTellIfApplies(key: AnswerKey, answers: Partial_): boolean {
  return ((ANSWERS[key] as AnswerDecl<unknown>).whenReads ?? []).every((read) => answers[read] !== undefined);
}

/** The error for an answer given where it does not apply. */
export function notApplicable(key: AnswerKey): UsageError {
  const decl = ANSWERS[key] as AnswerDecl<unknown>;
  return new UsageError(`--${decl.flag} applies ${decl.whenText}: ${decl.whenFix}`);
}
export type RunOptionKey = keyof typeof RUN_OPTIONS;
export type RunOptions = { -readonly [K in RunOptionKey]: ValueOf<(typeof RUN_OPTIONS)[K]> };

export const ANSWER_KEYS = Object.keys(ANSWERS) as AnswerKey[];
export const RUN_OPTION_KEYS = Object.keys(RUN_OPTIONS) as RunOptionKey[];
