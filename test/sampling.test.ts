// --sample-rate: each backend samples where Datadog's trace metrics stay exact. Rendered in process
// for every framework: the SDK's parentbased_traceidratio (jaeger, otlp, console) in compose and
// the overlays, Datadog's tracer sampling rule (datadog-native), the Agent's probabilistic sampler
// (datadog) in every Agent install style (for "existing", a README line for the platform team);
// nothing at all where every trace is kept. The DatadogAgent with the sampler still passes the
// Operator's strict schema. Also: the answer is never asked, and refresh combines it per environment.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { ANSWERS, DATADOG_AGENT_STYLES, FRAMEWORKS, samplingOf, type Answers } from '../generators/shared/options.js';
import { questionsFor } from '../generators/shared/prompts.js';
import { renderProject } from '../generators/shared/render.js';
import { resolveAnswers } from '../generators/refresh/command.js';
import { datadogAgentValidator, type Validate } from './helpers/datadog-agent.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SDK_VARS = ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'];
const TRACER_VARS = ['DD_TRACE_SAMPLING_RULES'];
const AGENT_VARS = ['DD_APM_PROBABILISTIC_SAMPLER_ENABLED', 'DD_APM_PROBABILISTIC_SAMPLER_SAMPLING_PERCENTAGE'];

/** The app container's env of an overlay's Deployment patch, as name → value. */
function overlayEnv(files: Map<string, string>, env: string): Record<string, string> {
  const patch = parse(files.get(`deploy/k8s/overlays/${env}/deployment-patch.yaml`)!) as Obj;
  const items = patch.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
  return Object.fromEntries(items.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
}

function composeEnv(files: Map<string, string>): Record<string, string> {
  return (parse(files.get('compose.yaml')!) as Obj).services.app.environment as Record<string, string>;
}

const names = (env: Record<string, string>) => Object.keys(env);

describe.each(FRAMEWORKS)('%s', (framework) => {
  it('samples in the SDK (jaeger, otlp, console), the tracer (datadog-native) or not at all', async () => {
    const answers = withDefaults({
      name: 'my-api',
      framework,
      environments: ['development', 'qa', 'staging', 'production', 'demo'],
      backends: { development: 'jaeger', qa: 'otlp', staging: 'datadog-native', production: 'datadog-native', demo: 'console' },
      sampleRates: { development: 0.5, qa: 0.1, staging: 0.25, demo: 0.3 },
    });
    const files = await renderProject(answers);
    expect(composeEnv(files)).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' });
    expect(overlayEnv(files, 'qa')).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    expect(overlayEnv(files, 'demo')).toMatchObject({ OTEL_TRACES_SAMPLER_ARG: '0.3' });
    const staging = overlayEnv(files, 'staging');
    expect(JSON.parse(staging.DD_TRACE_SAMPLING_RULES!)).toEqual([{ sample_rate: 0.25 }]);
    expect(names(staging)).not.toContain('OTEL_TRACES_SAMPLER');
    // production keeps every trace: no sampling settings at all.
    for (const name of [...SDK_VARS, ...TRACER_VARS]) expect(names(overlayEnv(files, 'production'))).not.toContain(name);
    // No Agent sampling: no datadog (OTLP) environment asked for it.
    for (const [path, text] of files) if (path.startsWith('deploy/k8s/datadog/')) for (const v of AGENT_VARS) expect(text, path).not.toContain(v);
    const readme = files.get('README.md')!;
    expect(readme).toMatch(/\| `staging` +\| `datadog-native` \| 25 %, by Datadog's tracer \(`DD_TRACE_SAMPLING_RULES`\)/);
    expect(readme).toMatch(/\| `qa` +\| `otlp` +\| 10 %, by the OpenTelemetry SDK \(`parentbased_traceidratio`\)/);
    expect(readme).toMatch(/\| `production` +\| `datadog-native` \| every trace/);
  });

  it('keeps every trace by default: no sampler anywhere', async () => {
    const files = await renderProject(withDefaults({ name: 'my-api', framework }));
    for (const [path, text] of files)
      for (const v of [...SDK_VARS, ...TRACER_VARS, ...AGENT_VARS])
        if (path.endsWith('.yaml') || path.endsWith('.yml')) expect(text, path).not.toContain(v);
  });
});

describe('datadog (OTLP into the Agent): the Agent samples, after computing trace metrics', () => {
  let validate: Validate;
  beforeAll(async () => {
    validate = await datadogAgentValidator();
  }, 300_000);

  const render = (datadogAgent: Answers['datadogAgent']) =>
    renderProject(withDefaults({ name: 'my-api', framework: 'fastapi', datadogAgent, sampleRates: { staging: 0.25, production: 0.25 } }));

  it.each(DATADOG_AGENT_STYLES)('%s', async (style) => {
    const files = await render(style);
    // The app itself does not sample: its OTLP goes to the Agent whole.
    for (const env of ['staging', 'production'])
      for (const name of [...SDK_VARS, ...TRACER_VARS]) expect(names(overlayEnv(files, env))).not.toContain(name);
    const expected = [
      { name: 'DD_APM_PROBABILISTIC_SAMPLER_ENABLED', value: 'true' },
      { name: 'DD_APM_PROBABILISTIC_SAMPLER_SAMPLING_PERCENTAGE', value: '25' },
    ];
    if (style === 'operator') {
      const agent = parse(files.get('deploy/k8s/datadog/datadog-agent.yaml')!) as Obj;
      expect(agent.spec.override.nodeAgent.env).toEqual(expected);
      expect(validate(agent)).toEqual([]);
    } else if (style === 'helm') {
      const values = parse(files.get('deploy/k8s/datadog/values.yaml')!) as Obj;
      expect(values.agents.containers.traceAgent.env).toEqual(expected);
    } else if (style === 'manifests') {
      const docs = parseAllDocuments(files.get('deploy/k8s/datadog/daemonset.yaml')!).map((d) => d.toJS() as Obj);
      const ds = docs.find((d) => d.kind === 'DaemonSet')!;
      const traceAgent = (ds.spec.template.spec.containers as Obj[]).find((c) => c.name === 'trace-agent')!;
      expect(traceAgent.env).toEqual(expect.arrayContaining(expected));
    } else {
      expect([...files.keys()].filter((p) => p.startsWith('deploy/k8s/datadog/'))).toEqual(['deploy/k8s/datadog/namespace.yaml'].filter((p) => files.has(p)));
      expect(files.get('README.md')).toContain('`DD_APM_PROBABILISTIC_SAMPLER_SAMPLING_PERCENTAGE=25` on the trace agent');
    }
    expect(files.get('README.md')).toMatch(/\| `production` +\| `datadog` +\| 25 %, by the Datadog Agent's probabilistic sampler/);
  });

  it('maps each backend to its mechanism', () => {
    const answers = { backends: { a: 'datadog', b: 'datadog-native', c: 'jaeger', d: 'otlp', e: 'console', f: 'none' }, sampleRates: { a: 0.1, b: 0.1, c: 0.1, d: 0.1, e: 0.1 } };
    expect(Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((env) => [env, samplingOf(answers, env).mechanism]))).toEqual({
      a: 'agent',
      b: 'tracer',
      c: 'sdk',
      d: 'sdk',
      e: 'sdk',
      f: 'none',
    });
    expect(samplingOf({ ...answers, sampleRates: {} }, 'c')).toEqual({ mechanism: 'none', rate: 1 });
  });
});

describe('the --sample-rate answer', () => {
  it('is never asked, and defaults to keeping every trace', () => {
    expect(questionsFor('sampleRates', {})).toEqual([]);
    expect(ANSWERS.sampleRates.default()).toEqual({});
    expect(withDefaults({ name: 'x' }).sampleRates).toEqual({});
  });

  it('refresh combines it per environment and drops environments no longer listed', () => {
    const saved = { ...withDefaults({ name: 'x', sampleRates: { development: 0.5, staging: 0.2, production: 0.2 } }) };
    const { answers } = resolveAnswers(saved, { sampleRates: ['staging=0.3', 'production=0.3'] });
    expect(answers.sampleRates).toEqual({ development: 0.5, staging: 0.3, production: 0.3 });
    const fewer = resolveAnswers(saved, { environments: 'development,production', backends: [] });
    expect(fewer.answers.sampleRates).toEqual({ development: 0.5, production: 0.2 });
  });
});
