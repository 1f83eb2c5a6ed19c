// The interactive path: prompts answered through yeoman-test, and once through a real
// pseudo-terminal (util-linux `script`) to prove a person can walk through them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import AppGenerator from '../generators/app/generator.js';
import { GENERATOR_PATH, NAMESPACE } from '../generators/app/run.js';
import { applies } from '../generators/shared/options.js';
import { questionsFor } from '../generators/shared/prompts.js';
import { readYoRc, tempDir, walkThroughTerminal } from './helpers/cli.js';

const runGenerator = () =>
  helpers.run(AppGenerator, { resolved: GENERATOR_PATH, namespace: NAMESPACE }).withOptions({ skipInstall: true, run: { skipGit: true, skipInstall: true } } as never);

describe('prompts (yeoman-test)', () => {
  it('asks every answer and saves what was chosen', async () => {
    const result = await runGenerator().withAnswers({
      name: 'shop-api',
      framework: 'fastapi',
      environments: 'development, production',
      backend_development: 'console',
      backend_production: 'otlp',
      pm: 'pip',
    });
    result.assertFile('shop-api/src/shop_api/app.py');
    result.assertNoFile('shop-api/deploy/k8s/datadog/kustomization.yaml');
    expect(readYoRc(join(result.cwd, 'shop-api')).answers).toEqual({
      name: 'shop-api',
      framework: 'fastapi',
      environments: ['development', 'production'],
      backends: { development: 'console', production: 'otlp' },
      pm: 'pip',
      sampleRates: {},
    });
  });

  it('accepting every default gives the default project', async () => {
    const result = await runGenerator().withAnswers({});
    expect(readYoRc(join(result.cwd, 'my-api')).answers).toEqual({
      name: 'my-api',
      framework: 'fastapi',
      environments: ['development', 'staging', 'production'],
      backends: { development: 'jaeger', staging: 'datadog', production: 'datadog' },
      datadogAgent: 'operator',
      pm: 'uv', // uv is on the tests' PATH (test/setup/path.ts)
      sampleRates: {},
    });
  });

  it('asks how the Datadog Agent is installed only when a deployed environment uses Datadog', async () => {
    const asked: string[] = [];
    const result = await runGenerator().withAnswers(
      { name: 'dd-api', environments: 'development,production', backend_production: 'datadog', datadogAgent: 'existing' },
      { callback: (answer, { question }) => (asked.push(String(question.name)), answer) },
    );
    expect(asked).toEqual(['name', 'framework', 'environments', 'backend_development', 'backend_production', 'datadogAgent', 'pm']);
    expect(readYoRc(join(result.cwd, 'dd-api')).answers.datadogAgent).toBe('existing');
    result.assertNoFile('dd-api/deploy/k8s/datadog/namespace.yaml');
    result.assertFileContent('dd-api/README.md', '### The Datadog Agent your cluster runs');
  });

  it('does not ask what flags already answered', async () => {
    const asked: string[] = [];
    await runGenerator()
      .withOptions({ answers: { name: 'flag-api', framework: 'fastapi' } } as never)
      .withAnswers({ environments: 'development' }, { callback: (answer, { question }) => (asked.push(String(question.name)), answer) });
    expect(asked).toEqual(['environments', 'backend_development', 'pm']);
  });

  it('re-asks instead of failing on an invalid typed answer', () => {
    const [nameQuestion] = questionsFor('name', {});
    expect(nameQuestion!.validate!('My Api')).toMatch(/invalid project name/);
    expect(nameQuestion!.validate!('my-api')).toBe(true);
    const [envQuestion] = questionsFor('environments', {});
    expect(envQuestion!.validate!('dev,dev')).toMatch(/listed twice/);
  });

  it("offers the package managers of the framework's language, and none for Go", () => {
    const choices = (framework: string) => questionsFor('pm', { framework })[0]!.choices!.map((c) => c.value);
    expect(choices('fastapi')).toEqual(['uv', 'pip']);
    expect(choices('express')).toEqual(['npm', 'pnpm', 'yarn', 'bun']);
    expect(applies('pm', { framework: 'go' })).toBe(false);
  });
});

describe('prompts in a real terminal', () => {
  it('a person can walk through every prompt with the keyboard', async () => {
    const cwd = tempDir();
    const down = '\u001b[B';
    const { result, screen } = await walkThroughTerminal(cwd, [
      [/Project name/, 'tty-api\r'],
      [/Framework/, '\r'],
      [/Environments/, 'development,production\r'],
      [/Tracing backend for development/, '\r'],
      [/Tracing backend for production/, `${down}${down}\r`], // default datadog, two down = otlp (past datadog-native)
      [/Package manager/, `${down}\r`], // default uv (on the tests' PATH), one down = pip
    ]);
    expect(result.exitCode, screen.slice(-2000)).toBe(0);
    expect(screen).toContain('Created tty-api');
    expect(readYoRc(join(cwd, 'tty-api')).answers).toEqual({
      name: 'tty-api',
      framework: 'fastapi',
      environments: ['development', 'production'],
      backends: { development: 'jaeger', production: 'otlp' },
      pm: 'pip',
      sampleRates: {},
    });
    expect(readFileSync(join(cwd, 'tty-api/.yo-rc.json'), 'utf8')).toContain('"production": "otlp"');
  });
});
