// The generated Node projects (Express, Fastify), installed for real: render the default answers
// into a temp dir, `npm install` from the registry, then run the project's own scripts: its tests
// (vitest), type-check (tsc --noEmit), build (tsc) and format check (prettier --check .). Every step
// must exit 0; a failure shows the output. npm's cache lives outside the repo
// (~/.cache/create-instrumented-api/npm, or $CIA_NPM_CACHE_DIR) so reruns are fast.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withDefaults } from '../generators/shared/answers.js';
import { PRETTIER_OPTIONS } from '../generators/shared/format.js';
import type { Answers, PackageManager } from '../generators/shared/options.js';
import { renderProject } from '../generators/shared/render.js';
import { runIn, writeProject } from './helpers/project.js';

const NPM_CACHE_DIR = process.env.CIA_NPM_CACHE_DIR ?? join(homedir(), '.cache', 'create-instrumented-api', 'npm');
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const CHECK_TIMEOUT_MS = 2 * 60_000;
/** KEEP_NODE_PROJECTS=1 keeps the rendered projects (their paths are printed) for a closer look. */
const KEEP = process.env.KEEP_NODE_PROJECTS === '1';

// Settings a developer's shell or CI (or this vitest run) might carry that would change what the
// project's scripts see.
const SCRUBBED = ['APP_ENV', 'SERVICE_VERSION', 'TRACING_BACKEND', 'HOST', 'PORT', 'NODE_ENV', 'NODE_OPTIONS'];

function projectEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || SCRUBBED.includes(key) || /^(OTEL_|VITEST|npm_)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_cache: NPM_CACHE_DIR, npm_config_update_notifier: 'false', NO_COLOR: '1' };
}

const run = (dir: string, cmd: string, args: string[], timeout = CHECK_TIMEOUT_MS) =>
  runIn(dir, cmd, args, { env: projectEnv(), timeout });

async function writeNodeProject(answers: Answers, prefix: string): Promise<string> {
  const dir = await writeProject(answers, prefix);
  if (KEEP) console.log(`${answers.framework} project: ${dir}`);
  return dir;
}

/** vitest's summary line, e.g. "Tests  32 passed (32)": only passes allowed, and some tests run. */
function expectOnlyPassed(output: string): void {
  const summary = /^\s*Tests\s+(.+)$/m.exec(output)?.[1]?.trim();
  expect(summary, output).toMatch(/^(\d+) passed \(\1\)$/);
}

const dirs: string[] = [];
afterAll(() => {
  if (!KEEP) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(['express', 'fastify'] as const)(
  'generated %s project (default answers), installed for real',
  (framework) => {
    let dir: string;
    let installOutput = '';

    beforeAll(async () => {
      dir = await writeNodeProject(withDefaults({ name: 'my-api', framework }), `cia-${framework}-`);
      dirs.push(dir);
      mkdirSync(NPM_CACHE_DIR, { recursive: true });
      const install = await run(dir, 'npm', ['install', '--no-audit', '--no-fund'], INSTALL_TIMEOUT_MS);
      if (install.exitCode !== 0)
        throw new Error(`generated ${framework} project: npm install failed\n${install.output}`);
      installOutput = install.output;
      console.log(`${framework}: npm install took ${(install.ms / 1000).toFixed(1)} s`);
    }, INSTALL_TIMEOUT_MS + CHECK_TIMEOUT_MS);

    it('needs no dependency install script (npm 11 skips them unless allowed)', () => {
      // npm lists the packages whose scripts it skipped; esbuild (tsx) gets its binary from an
      // optional dependency, and package.json "allowScripts" says its script is not needed.
      expect(installOutput, installOutput).not.toMatch(/install-scripts/);
    });

    it("renders the files the README promises, with the generator's prettier options", async () => {
      const files = await renderProject(withDefaults({ name: 'my-api', framework }));
      for (const path of [
        'package.json',
        'tsconfig.json',
        'tsconfig.build.json',
        'vitest.config.ts',
        'src/instrumentation.ts',
        'src/telemetry.ts',
        'src/framework-tracing.ts',
        'src/config.ts',
        'src/app.ts',
        'src/routes/health.ts',
        'src/routes/items.ts',
        'src/items.ts',
        'src/server.ts',
        'test/tracing.test.ts',
        'Dockerfile',
        '.dockerignore',
        '.gitignore',
        '.prettierrc',
        '.prettierignore',
        '.github/workflows/ci.yml',
        'README.md',
      ])
        expect(files.has(path), `${path} is rendered`).toBe(true);
      expect(JSON.parse(files.get('.prettierrc')!)).toEqual(PRETTIER_OPTIONS);
    });

    it(
      'passes its own tests (vitest), none skipped',
      async () => {
        const { exitCode, output, ms } = await run(dir, 'npm', ['run', 'test']);
        expect(exitCode, output).toBe(0);
        expectOnlyPassed(output);
        console.log(`${framework}: first test run took ${(ms / 1000).toFixed(1)} s`);
      },
      CHECK_TIMEOUT_MS,
    );

    it(
      'type-checks (tsc --noEmit, strict)',
      async () => {
        const { exitCode, output } = await run(dir, 'npm', ['run', 'typecheck']);
        expect(exitCode, output).toBe(0);
      },
      CHECK_TIMEOUT_MS,
    );

    it(
      'builds (tsc), and the build holds the --import entry point',
      async () => {
        const { exitCode, output } = await run(dir, 'npm', ['run', 'build']);
        expect(exitCode, output).toBe(0);
        for (const file of ['dist/instrumentation.js', 'dist/server.js', 'dist/app.js'])
          expect(readFileSync(join(dir, file), 'utf8').length, file).toBeGreaterThan(0);
      },
      CHECK_TIMEOUT_MS,
    );

    it(
      'is formatted (prettier --check .)',
      async () => {
        const { exitCode, output } = await run(dir, 'npm', ['run', 'lint']);
        expect(exitCode, output).toBe(0);
      },
      CHECK_TIMEOUT_MS,
    );

    // Long names, other environments and backends, and the other package managers must still give a
    // project that is formatted, type-checks and passes its tests: checked with the dependencies
    // installed above (linked, not installed again).
    it(
      'stays green for long names and other backends',
      async () => {
        const variant = await writeNodeProject(
          withDefaults({
            name: 'a-very-long-service-name-that-goes-right-up-to-the-limit-of-63x',
            framework,
            environments: ['preview-environment-with-a-dns-label-as-long-as-allowed-63-char', 'qa', 'production'],
            backends: {
              'preview-environment-with-a-dns-label-as-long-as-allowed-63-char': 'console',
              qa: 'none',
              production: 'otlp',
            },
          }),
          `cia-${framework}-variant-`,
        );
        dirs.push(variant);
        symlinkSync(join(dir, 'node_modules'), join(variant, 'node_modules'), 'dir');
        for (const script of ['lint', 'typecheck', 'test']) {
          const result = await run(variant, 'npm', ['run', script]);
          expect(result.exitCode, result.output).toBe(0);
          if (script === 'test') expectOnlyPassed(result.output);
        }
      },
      3 * CHECK_TIMEOUT_MS,
    );

    // datadog-native: dd-trace is a dependency of this project only, installed for real, and the
    // project still passes its own checks (the tracer itself runs in the e2e suite).
    it(
      'with a datadog-native environment: installs dd-trace and stays green',
      async () => {
        const answers = withDefaults({ name: 'my-api', framework, backends: { staging: 'datadog-native' } });
        const native = await writeNodeProject(answers, `cia-${framework}-native-`);
        dirs.push(native);
        const pkg = JSON.parse(readFileSync(join(native, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
        expect(pkg.dependencies['dd-trace']).toBeDefined();
        expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['dd-trace']).toBeUndefined();
        expect(readFileSync(join(native, 'src/datadog-native.ts'), 'utf8')).toContain("import('dd-trace/initialize.mjs')");
        const install = await run(native, 'npm', ['install', '--no-audit', '--no-fund'], INSTALL_TIMEOUT_MS);
        expect(install.exitCode, install.output).toBe(0);
        expect(install.output, install.output).not.toMatch(/install-scripts/);
        for (const script of ['lint', 'typecheck', 'test', 'build']) {
          const result = await run(native, 'npm', ['run', script]);
          expect(result.exitCode, result.output).toBe(0);
          if (script === 'test') expectOnlyPassed(result.output);
        }
      },
      INSTALL_TIMEOUT_MS + 4 * CHECK_TIMEOUT_MS,
    );

    it.each(['pnpm', 'yarn', 'bun'] satisfies PackageManager[])(
      'is formatted when made with %s',
      async (pm) => {
        const variant = await writeNodeProject(withDefaults({ name: 'my-api', framework, pm }), `cia-${framework}-${pm}-`);
        dirs.push(variant);
        symlinkSync(join(dir, 'node_modules'), join(variant, 'node_modules'), 'dir');
        const lint = await run(variant, 'npm', ['run', 'lint']);
        expect(lint.exitCode, lint.output).toBe(0);
        const ci = readFileSync(join(variant, '.github/workflows/ci.yml'), 'utf8');
        for (const doc of parseAllDocuments(ci)) expect(doc.errors).toEqual([]);
        expect(ci).toContain(`run: ${pm} run test`);
        expect(readFileSync(join(variant, 'Dockerfile'), 'utf8')).toContain(`RUN ${pm} run build`);
        // Yarn must install a plain node_modules: the image runs `node --import ...` without Yarn.
        if (pm === 'yarn')
          expect(readFileSync(join(variant, '.yarnrc.yml'), 'utf8')).toMatch(/^nodeLinker: node-modules$/m);
        // pnpm 10 warns about (and pnpm 11+ refuses) dependency install scripts not listed there.
        if (pm === 'pnpm')
          expect(readFileSync(join(variant, 'pnpm-workspace.yaml'), 'utf8')).toMatch(/^ {2}esbuild: false$/m);
      },
      CHECK_TIMEOUT_MS,
    );
  },
);
