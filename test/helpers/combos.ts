// Environment/backend answer combos rendered by the matrix and formatted-templates tests.
import { withDefaults } from '../../generators/shared/answers.js';
import type { Answers } from '../../generators/shared/options.js';

export type Combo = Omit<Answers, 'name' | 'framework' | 'sampleRates'> & { sampleRates?: Answers['sampleRates'] };

// The defaults minus what depends on the framework (--pm): each case adds its own framework.
const { name: _name, framework: _framework, pm: _pm, ...DEFAULTS } = withDefaults({ name: 'x' });

export const COMBOS: Record<string, Combo> = {
  defaults: DEFAULTS,
  'development only': { environments: ['development'], backends: { development: 'jaeger' } },
  'no datadog (otlp, console, none)': {
    environments: ['development', 'qa', 'prod'],
    backends: { development: 'console', qa: 'otlp', prod: 'none' },
  },
  'custom names, jaeger everywhere': {
    environments: ['local', 'preview'],
    backends: { local: 'jaeger', preview: 'jaeger' },
  },
  'datadog locally too': {
    environments: ['development', 'production'],
    backends: { development: 'datadog', production: 'datadog' },
  },
  // How the Agent is installed (the defaults use the Operator).
  'agent from the helm chart': { environments: ['development', 'production'], backends: { development: 'jaeger', production: 'datadog' }, datadogAgent: 'helm' },
  'agent from plain manifests': { environments: ['development', 'production'], backends: { development: 'jaeger', production: 'datadog' }, datadogAgent: 'manifests' },
  // Datadog's own tracer, and sampling where each backend keeps trace metrics exact.
  'datadog-native, sampled in the tracer and the SDK': {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'jaeger', staging: 'datadog-native', production: 'datadog-native' },
    datadogAgent: 'operator',
    sampleRates: { development: 0.5, production: 0.1 },
  },
  'sampled in the agent': {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'jaeger', staging: 'datadog', production: 'datadog' },
    datadogAgent: 'operator',
    sampleRates: { staging: 0.25, production: 0.25 },
  },
  'agent already in the cluster': { environments: ['development', 'production'], backends: { development: 'jaeger', production: 'datadog' }, datadogAgent: 'existing' },
};
