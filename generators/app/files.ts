// Which template files a project gets, declared as data: the template roots it renders, and the
// conditions under which a path (prefix) is left out. See templates/README.md for path rules.
import type { TemplateContext } from '../shared/context.js';

export interface TemplateRoot {
  /** Folder under templates/. */
  dir: (ctx: TemplateContext) => string;
  /** Rendered only when this holds (default: always). */
  when?: (ctx: TemplateContext) => boolean;
}

/** The Datadog Agent is installed by this project (every --datadog-agent style but "existing"). */
const installsDatadogAgent = (ctx: TemplateContext) => ctx.datadogAgent !== undefined && ctx.datadogAgent !== 'existing';

export const TEMPLATE_ROOTS: TemplateRoot[] = [
  { dir: (ctx) => ctx.framework },
  { dir: () => 'deploy' },
  { dir: () => 'shared' },
  // How the Agent is installed: the style's own files in deploy/k8s/datadog/ (operator, helm, manifests).
  { dir: (ctx) => `datadog-agent/${ctx.datadogAgent}`, when: installsDatadogAgent },
  // Datadog's own tracer behind the OpenTelemetry API: its setup file, only when some environment uses it.
  { dir: (ctx) => `datadog-native/${ctx.framework}`, when: (ctx) => ctx.usesDatadogNative },
];

export interface Condition {
  /** Rendered (output) path prefix the condition applies to. */
  prefix: string;
  when: (ctx: TemplateContext) => boolean;
}

export const CONDITIONS: Condition[] = [
  // Package-manager settings only for the one in use (yarn: node_modules linker; pnpm: allowBuilds).
  { prefix: '.yarnrc.yml', when: (ctx) => ctx.pm === 'yarn' },
  { prefix: 'pnpm-workspace.yaml', when: (ctx) => ctx.pm === 'pnpm' },
  // The Agent is deployed only if some deployed environment sends to it and the cluster has none yet.
  { prefix: 'deploy/k8s/datadog/', when: installsDatadogAgent },
  // Jaeger's and Prometheus' config for the Monitor tab: only when compose runs Jaeger.
  { prefix: 'observability/', when: (ctx) => ctx.backends[ctx.localEnvironment] === 'jaeger' },
  // Nothing to deploy to Kubernetes when the only environment is the local one.
  { prefix: 'deploy/k8s/', when: (ctx) => ctx.deployEnvironments.length > 0 },
];
