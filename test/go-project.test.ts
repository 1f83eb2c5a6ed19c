// The Go template, rendered and checked with the Go toolchain: `go mod tidy` (which must leave the
// rendered go.mod as it is), `gofmt -l` (prettier does not touch Go: the templates must render
// gofmt-clean), `go vet` and the generated project's own tests. Two renders: the defaults, and a
// module path / environment set that stress import grouping and the generated tables.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../generators/shared/answers.js';
import type { Answers } from '../generators/shared/options.js';
import { runIn, writeProject } from './helpers/project.js';

const STEP_TIMEOUT = 10 * 60_000;
/** KEEP_GO_PROJECT=1 keeps the rendered projects (their paths are printed) for a closer look. */
const KEEP = process.env.KEEP_GO_PROJECT === '1';

/** Go's environment without the shell's app or OpenTelemetry settings. */
function goEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(OTEL_|DD_)/.test(key) || ['APP_ENV', 'TRACING_BACKEND', 'SERVICE_VERSION', 'HOST', 'PORT'].includes(key)) continue;
    env[key] = value;
  }
  // Module downloads allowed (the go.sum is created by tidy); the default GOMODCACHE is shared.
  env.GOFLAGS = '-mod=mod';
  return env;
}

const run = (dir: string, cmd: string, args: string[]) => runIn(dir, cmd, args, { env: goEnv() });

async function writeGoProject(answers: Answers): Promise<string> {
  const dir = await writeProject(answers, 'cia-go-');
  if (KEEP) console.log(`go project (${answers.module}): ${dir}`);
  return dir;
}

const dirs: string[] = [];
afterAll(() => {
  if (!KEEP) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('go project, default answers', () => {
  let dir: string;
  let renderedGoMod: string;
  beforeAll(async () => {
    dir = await writeGoProject(withDefaults({ name: 'my-api', framework: 'go' }));
    dirs.push(dir);
    renderedGoMod = readFileSync(join(dir, 'go.mod'), 'utf8');
  });

  it('go mod tidy succeeds and leaves the rendered go.mod as it is', { timeout: STEP_TIMEOUT }, async () => {
    const version = await run(dir, 'go', ['version']);
    expect(version.exitCode, `Go is needed for these tests (>= the go directive in go.mod)\n${version.output}`).toBe(0);

    const tidy = await run(dir, 'go', ['mod', 'tidy']);
    expect(tidy.exitCode, tidy.output).toBe(0);
    const tidied = readFileSync(join(dir, 'go.mod'), 'utf8');
    // When this fails after a version bump, copy the indirect requirements below into
    // VERSIONS.go.indirect (generators/shared/versions.ts).
    expect(tidied, `go mod tidy changed go.mod: update templates/go/go.mod.ejs or VERSIONS.go\n${tidied}`).toBe(
      renderedGoMod,
    );
  });

  it('gofmt -l . lists no file', { timeout: STEP_TIMEOUT }, async () => {
    const gofmt = await run(dir, 'gofmt', ['-l', '.']);
    expect(gofmt.exitCode, gofmt.output).toBe(0);
    expect(gofmt.stdout.trim(), `not gofmt-formatted (gofmt -d shows how):\n${gofmt.output}`).toBe('');
  });

  it('go vet ./... is clean', { timeout: STEP_TIMEOUT }, async () => {
    const vet = await run(dir, 'go', ['vet', './...']);
    expect(vet.exitCode, vet.output).toBe(0);
  });

  it("go test ./... passes (the project's own tests)", { timeout: STEP_TIMEOUT }, async () => {
    const test = await run(dir, 'go', ['test', '-count=1', './...']);
    expect(test.exitCode, test.output).toBe(0);
    for (const pkg of ['cmd/server', 'internal/app', 'internal/config', 'internal/telemetry']) {
      expect(test.stdout, test.output).toMatch(new RegExp(`^ok\\s+my-api/${pkg}\\s`, 'm'));
    }
  });

  // Other answers: a module path that sorts before go.opentelemetry.io, custom environment names of
  // very different lengths, every non-OTLP backend.
  describe('custom module path and environments', () => {
    let custom: string;
    beforeAll(async () => {
      custom = await writeGoProject(
        withDefaults({
          name: 'shop-api',
          framework: 'go',
          module: 'github.com/acme/shop-api',
          environments: ['local', 'preview-with-a-rather-long-environment-name', 'prod'],
          backends: { local: 'console', 'preview-with-a-rather-long-environment-name': 'otlp', prod: 'none' },
        }),
      );
      dirs.push(custom);
    });

    it('is gofmt-clean, vet-clean and passes its tests', { timeout: STEP_TIMEOUT }, async () => {
      const rendered = readFileSync(join(custom, 'go.mod'), 'utf8');
      const tidy = await run(custom, 'go', ['mod', 'tidy']);
      expect(tidy.exitCode, tidy.output).toBe(0);
      expect(readFileSync(join(custom, 'go.mod'), 'utf8'), 'go mod tidy changed go.mod').toBe(rendered);
      const gofmt = await run(custom, 'gofmt', ['-l', '.']);
      expect(gofmt.stdout.trim(), `not gofmt-formatted:\n${gofmt.output}`).toBe('');
      for (const args of [['vet', './...'], ['test', '-count=1', './...']]) {
        const result = await run(custom, 'go', args);
        expect(result.exitCode, result.output).toBe(0);
      }
    });
  });

  // datadog-native: dd-trace-go is required by this project only, and tidy leaves the rendered
  // go.mod (with VERSIONS.goDatadogNative.indirect) as it is.
  describe('a datadog-native environment', () => {
    let native: string;
    beforeAll(async () => {
      native = await writeGoProject(withDefaults({ name: 'my-api', framework: 'go', backends: { staging: 'datadog-native' } }));
      dirs.push(native);
    });

    it('requires dd-trace-go, is gofmt-clean, vet-clean and passes its tests', { timeout: STEP_TIMEOUT }, async () => {
      const rendered = readFileSync(join(native, 'go.mod'), 'utf8');
      expect(rendered).toMatch(/^\tgithub\.com\/DataDog\/dd-trace-go\/v2 v\S+$/m);
      expect(renderedGoMod).not.toContain('dd-trace-go');
      const tidy = await run(native, 'go', ['mod', 'tidy']);
      expect(tidy.exitCode, tidy.output).toBe(0);
      const tidied = readFileSync(join(native, 'go.mod'), 'utf8');
      // When this fails after a bump, copy the new indirect requirements into VERSIONS.goDatadogNative.indirect.
      expect(tidied, `go mod tidy changed go.mod: update VERSIONS.goDatadogNative\n${tidied}`).toBe(rendered);
      const gofmt = await run(native, 'gofmt', ['-l', '.']);
      expect(gofmt.stdout.trim(), `not gofmt-formatted:\n${gofmt.output}`).toBe('');
      for (const args of [['vet', './...'], ['test', '-count=1', './...']]) {
        const result = await run(native, 'go', args);
        expect(result.exitCode, result.output).toBe(0);
      }
    });
  });
});
