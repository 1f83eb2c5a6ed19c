// Helpers for test/datadog-agent.test.ts: the files each --datadog-agent style renders, the Datadog
// Operator's own JSON Schema for DatadogAgent (from its Go module, cached by version), and the keys of
// Datadog's Helm chart that the generated values file may use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { DatadogAgentStyle } from '../../generators/shared/options.js';
import { VERSIONS } from '../../generators/shared/versions.js';
import { toolPath } from '../tools/index.js';
import type { Obj } from './deploy.js';

/** What each style writes into deploy/k8s/datadog/ ("existing": nothing, the cluster has an Agent). */
export const AGENT_FILES: Record<DatadogAgentStyle, string[]> = {
  operator: ['datadog-agent.yaml', 'kustomization.yaml', 'namespace.yaml'],
  helm: ['namespace.yaml', 'values.yaml'],
  manifests: ['daemonset.yaml', 'kustomization.yaml', 'namespace.yaml', 'networkpolicy.yaml', 'rbac.yaml'],
  existing: [],
};

/**
 * The folder holding the DatadogAgent CRD of the pinned Operator (its strict JSON Schema and its CRD
 * YAML), fetched once from the Go module proxy by test/tools/fetch-datadog-operator.sh.
 */
export const datadogOperatorCrdDir = () => toolPath('datadog-operator-crd');

export type Validate = (obj: Obj) => string[];

/**
 * A validator for DatadogAgent objects built from the Operator's JSON Schema, as strict as the schema
 * is (additionalProperties: false on every object). The schema's Kubernetes annotations
 * (x-kubernetes-*) are declared as such, and its formats int32/int64 check integer ranges.
 * strictTypes stays off: it lints schema style (a `pattern` next to an int-or-string `anyOf`), not data.
 */
export async function datadogAgentValidator(): Promise<Validate> {
  const dir = await datadogOperatorCrdDir();
  const schema = JSON.parse(readFileSync(join(dir, 'datadoghq.com_datadogagents_v2alpha1.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats.default(ajv); // CommonJS: module.exports is the plugin, and .default too
  for (const keyword of [
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-int-or-string',
    'x-kubernetes-preserve-unknown-fields',
  ])
    ajv.addKeyword(keyword);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const validate = ajv.compile(schema);
  return (obj) =>
    validate(obj)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/**
 * The keys of Datadog's Helm chart `datadog` the generated values file may set, with their types.
 * Checked by hand against the chart's values.yaml (helm-charts at commit 79f7c74, chart 3.240.0; the
 * project pins 3.261.1, which cannot be fetched here): the chart has no complete values schema
 * (its values.schema.json covers neither apm nor otlp), so a typo would install silently.
 */
export const HELM_CHART_KEYS: Record<string, 'string' | 'boolean'> = {
  'datadog.apiKeyExistingSecret': 'string',
  'datadog.site': 'string',
  'datadog.clusterName': 'string',
  'datadog.kubelet.tlsVerify': 'boolean',
  'datadog.apm.portEnabled': 'boolean',
  'datadog.otlp.receiver.protocols.grpc.enabled': 'boolean',
  'datadog.otlp.receiver.protocols.grpc.endpoint': 'string',
  'datadog.otlp.receiver.protocols.grpc.useHostPort': 'boolean',
  'datadog.otlp.receiver.protocols.http.enabled': 'boolean',
  'datadog.otlp.receiver.protocols.http.endpoint': 'string',
  'datadog.otlp.receiver.protocols.http.useHostPort': 'boolean',
  'datadog.otlp.logs.enabled': 'boolean',
  'datadog.logs.enabled': 'boolean',
  'datadog.logs.containerCollectAll': 'boolean',
};

/** Every leaf of a parsed YAML/JSON value as [dotted path, value]. */
export function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

/** Removes the `# ` before each given (commented-out) line, keeping its indentation; each must be there. */
export function uncomment(text: string, lines: string[]): string {
  let out = text;
  for (const line of lines) {
    const re = new RegExp(`^(\\s*)# ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');
    if (!re.test(out)) throw new Error(`commented-out line "# ${line}" not found`);
    out = out.replace(re, `$1${line}`);
  }
  return out;
}
