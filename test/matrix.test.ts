// Every framework × a spread of environment/backend answers, rendered in memory: the file tree and
// key files are snapshotted, and every file is checked for template slips.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { FRAMEWORKS, isDatadogBackend } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { COMBOS } from './helpers/combos.js';

export { COMBOS };

const KEY_FILES = /(^compose\.yaml$|config\.(py|ts|go)$|^deploy\/k8s\/overlays\/[^/]+\/deployment-patch\.yaml$)/;

describe.each(FRAMEWORKS)('%s', (framework) => {
  it.each(Object.keys(COMBOS))('%s', async (comboName) => {
    const combo = COMBOS[comboName]!;
    const answers = withDefaults({ name: 'shop-api', framework, environments: combo.environments, backends: combo.backends, datadogAgent: combo.datadogAgent });
    const files = await renderProject(answers);
    expect([...files.keys()]).toMatchSnapshot('file tree');

    for (const [path, content] of files) {
      // Template slips: unrendered tags, undefined locals, objects printed as text.
      expect(content, path).not.toMatch(/<%|%>|\bundefined\b(?!\s*(=|\)|;|,))|\[object Object\]|\bNaN\b/);
      expect(content, path).not.toMatch(/[ \t]+$/m);
      expect(content.endsWith('\n') && !content.endsWith('\n\n'), `${path} ends with exactly one newline`).toBe(true);
      if (/\.ya?ml$/.test(path)) {
        for (const doc of parseAllDocuments(content)) expect(doc.errors, path).toEqual([]);
      }
    }
    // Only the chosen environments appear; a Kubernetes overlay for each deployed one.
    const overlays = new Set([...files.keys()].map((p) => /^deploy\/k8s\/overlays\/([^/]+)\//.exec(p)?.[1]).filter(Boolean));
    const local = answers.environments.includes('development') ? 'development' : answers.environments[0];
    expect([...overlays].sort()).toEqual(answers.environments.filter((e) => e !== local).sort());
    // The agent only when some environment uses it (datadog or datadog-native) and the cluster has none; Jaeger in compose only when the local one does.
    const deploysDatadog = answers.environments.some((e) => e !== local && isDatadogBackend(answers.backends[e]));
    expect(answers.datadogAgent !== undefined).toBe(deploysDatadog);
    expect([...files.keys()].some((p) => p.startsWith('deploy/k8s/datadog/'))).toBe(deploysDatadog && answers.datadogAgent !== 'existing');
    expect(files.get('compose.yaml')!.includes('jaegertracing/jaeger:')).toBe(answers.backends[local!] === 'jaeger');

    if (comboName === 'defaults' || comboName === 'no datadog (otlp, console, none)') {
      for (const [path, content] of files) if (KEY_FILES.test(path)) expect(content).toMatchSnapshot(path);
    }
  });
});
