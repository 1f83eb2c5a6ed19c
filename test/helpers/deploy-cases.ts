// Environment/backend answer sets the deploy suites render (deploy-manifests for every one,
// datadog-agent for those that deploy to the Datadog Agent).
import type { Backend } from '../../generators/shared/options.js';

export interface DeployCase {
  name?: string;
  environments: string[];
  backends: Record<string, Backend>;
}

export const DEPLOY_CASES: Record<string, DeployCase> = {
  defaults: {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'jaeger', staging: 'datadog', production: 'datadog' },
  },
  'development only, jaeger': { environments: ['development'], backends: { development: 'jaeger' } },
  'staging with otlp': {
    environments: ['development', 'staging'],
    backends: { development: 'jaeger', staging: 'otlp' },
  },
  'custom env qa with console': {
    name: 'orders_api2',
    environments: ['development', 'qa', 'production'],
    backends: { development: 'jaeger', qa: 'console', production: 'datadog' },
  },
  'an environment with none': {
    environments: ['development', 'staging'],
    backends: { development: 'none', staging: 'datadog' },
  },
  'no datadog anywhere (jaeger deployed, not local)': {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'console', staging: 'jaeger', production: 'otlp' },
  },
  'datadog locally, first env is not development': {
    name: 'shop.api',
    environments: ['local', 'prod'],
    backends: { local: 'datadog', prod: 'datadog' },
  },
  'datadog-native locally and deployed, datadog beside it': {
    environments: ['development', 'staging', 'production'],
    backends: { development: 'datadog-native', staging: 'datadog-native', production: 'datadog' },
  },
  'local otlp, deployed none': {
    environments: ['dev', 'prod'],
    backends: { dev: 'otlp', prod: 'none' },
  },
};
