// The one object every template is rendered with (ejs locals). Templates read only these fields,
// so a template change never needs generator code and the refresh command can re-render from
// the saved answers alone.
import type { Backend, DatadogAgentStyle, Framework, PackageManager, Sampling } from './options.js';
import { templateHelpers, type TemplateHelpers } from './template-helpers.js';

export interface FrameworkTraits {
  /** Port the app listens on inside its container and locally. */
  port: number;
  /** Path of the liveness/readiness endpoint (never traced as noise: excluded from spans). */
  healthPath: string;
  /** Example route that creates a server span plus a nested custom span. */
  examplePath: string;
  /** Human name for README text, e.g. "FastAPI". */
  displayName: string;
  /** Language family: decides install and README commands. */
  language: 'python' | 'node' | 'go';
}

export interface TemplateContext {
  /** npm-valid project name, e.g. "my-api". Also the directory name. */
  name: string;
  /** Python package (snake_case), e.g. "my_api". */
  pythonPackage: string;
  /** DNS-1123 name for Kubernetes objects and the container image, e.g. "my-api". */
  k8sName: string;
  /** OTEL_SERVICE_NAME / Datadog service, e.g. "my-api". */
  serviceName: string;
  framework: Framework;
  app: FrameworkTraits;
  /** Package manager of install, CI, Dockerfile and README commands: npm|pnpm|yarn|bun (Node), uv|pip (Python); "npm" for Go. */
  pm: PackageManager;
  /** Go module path (Go framework; the project name elsewhere). */
  goModule: string;
  /** All environments, in the order the user gave them. */
  environments: string[];
  /** Backend per environment (every environment has exactly one entry). */
  backends: Record<string, Backend>;
  /** The environment run locally with compose: "development" if listed, else the first one. */
  localEnvironment: string;
  /** Every other environment: each gets a Kubernetes overlay. */
  deployEnvironments: string[];
  /** Some environment sends to Jaeger. */
  usesJaeger: boolean;
  /** Some environment deployed to Kubernetes sends to the Datadog Agent. */
  usesDatadog: boolean;
  /** Some environment uses Datadog's own tracer behind the OpenTelemetry API (datadog-native). */
  usesDatadogNative: boolean;
  /** Share of traces kept per environment (1 where --sample-rate did not set one). */
  sampleRates: Record<string, number>;
  /**
   * Share of OTLP traces the cluster's Datadog Agent keeps (its probabilistic sampler, after it
   * computed the trace metrics); undefined: the Agent keeps every trace. See samplingOf in options.ts.
   */
  agentSampleRate?: number;
  /** How an environment's traces are sampled (agent, tracer, sdk or none) and at which rate. */
  sampling: (env: string) => Sampling;
  /** How the Agent is installed (set exactly when usesDatadog): decides deploy/k8s/datadog/ (files.ts). */
  datadogAgent?: DatadogAgentStyle;
  /** Pinned versions (images and libraries), see versions.ts. */
  versions: typeof import('./versions.js').VERSIONS;
  /** Version of create-instrumented-api that rendered the project. */
  generatorVersion: string;
  /** Formatting helpers (markdown tables, TypeScript literals), see template-helpers.ts. */
  h: TemplateHelpers;
}

import { FRAMEWORK_SPECS } from './frameworks.js';
import { agentSampleRate, deploysToDatadogAgent, localEnvironmentOf, samplingOf, toSnakeCase, type Answers } from './options.js';
import { VERSIONS } from './versions.js';

/** Derives everything templates need from the answers; pure, so refresh re-derives it exactly. */
export function buildContext(answers: Answers, generatorVersion: string): TemplateContext {
  const localEnvironment = localEnvironmentOf(answers.environments);
  const backends = Object.values(answers.backends);
  return {
    name: answers.name,
    pythonPackage: toSnakeCase(answers.name),
    k8sName: answers.name.replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/-$/, ''),
    serviceName: answers.name,
    framework: answers.framework,
    app: FRAMEWORK_SPECS[answers.framework].traits,
    pm: answers.pm ?? 'npm',
    goModule: answers.module ?? answers.name,
    environments: [...answers.environments],
    backends: { ...answers.backends },
    localEnvironment,
    deployEnvironments: answers.environments.filter((env) => env !== localEnvironment),
    usesJaeger: backends.includes('jaeger'),
    usesDatadog: deploysToDatadogAgent(answers),
    usesDatadogNative: backends.includes('datadog-native'),
    sampleRates: Object.fromEntries(answers.environments.map((env) => [env, answers.sampleRates[env] ?? 1])),
    agentSampleRate: agentSampleRate(answers),
    sampling: (env) => samplingOf(answers, env),
    datadogAgent: answers.datadogAgent,
    versions: VERSIONS,
    generatorVersion,
    h: templateHelpers,
  };
}
