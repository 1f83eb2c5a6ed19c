// Which template files a project gets, declared as data: the template roots it renders, and the
// conditions under which a path (prefix) is left out. See templates/README.md for path rules.
import type { TemplateContext } from '../shared/context.js';

export interface TemplateRoot {
  /** Folder under templates/. */
  dir: (ctx: TemplateContext) => string;
}

export const TEMPLATE_ROOTS: TemplateRoot[] = [
  { dir: (ctx) => ctx.framework },
  { dir: () => 'deploy' },
  { dir: () => 'shared' },
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
  // The agent is deployed only if some environment sends to it.
  { prefix: 'deploy/k8s/datadog/', when: (ctx) => ctx.usesDatadog },
  // Jaeger's and Prometheus' config for the Monitor tab: only when compose runs Jaeger.
  { prefix: 'observability/', when: (ctx) => ctx.backends[ctx.localEnvironment] === 'jaeger' },
  // Nothing to deploy to Kubernetes when the only environment is the local one.
  { prefix: 'deploy/k8s/', when: (ctx) => ctx.deployEnvironments.length > 0 },
];
