// Generating and installing a project the way a user does: shared by the e2e suite and the overhead
// benchmark. Each returns a one-line failure message, or undefined when the step succeeded.
import { delimiter, dirname, join } from 'node:path';
import { toolPath } from '../../tools/index.js';
import type { FrameworkAdapter, Project, Step } from '../frameworks/types.js';
import { BIN, CACHE_DIR } from './paths.js';
import { describeExit, lastLine, run } from './proc.js';

const GENERATE_TIMEOUT_MS = 20 * 60_000;
const STEP_TIMEOUT_MS = 5 * 60_000;

/** Folders of the package managers the generated projects install with (the pinned uv), once fetched. */
let projectToolDirs: string[] = [];

/**
 * Fetches the package managers that are test tools (uv, test/tools/uv.sh): toolEnv() then puts them
 * first on PATH, so a FastAPI project installs with the pinned uv whatever the machine has.
 */
export async function fetchProjectTools(): Promise<void> {
  projectToolDirs = [dirname(await toolPath('uv'))];
}

/** The harness's environment for tools, without anything that would change the generated app's behaviour. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OTEL_|DD_)/.test(k)) continue;
    if (['APP_ENV', 'TRACING_BACKEND', 'SERVICE_VERSION', 'PORT', 'HOST', 'VIRTUAL_ENV', 'PYTHONPATH'].includes(k))
      continue;
    env[k] = v;
  }
  env.PIP_CACHE_DIR ??= join(CACHE_DIR, 'pip');
  env.PIP_DISABLE_PIP_VERSION_CHECK = '1';
  env.UV_CACHE_DIR ??= join(CACHE_DIR, 'uv-cache');
  // The machine's Python only: uv must not fetch one from outside the package registries.
  env.UV_PYTHON_DOWNLOADS = 'never';
  if (projectToolDirs.length > 0) env.PATH = [...projectToolDirs, env.PATH ?? ''].join(delimiter);
  return { ...env, ...extra };
}

/** The real bin: `project.name` in `parentDir`, non-interactive, installing (the default), no git. */
export async function generate(
  adapter: FrameworkAdapter,
  project: Project,
  parentDir: string,
  log: string,
  extraArgs: string[] = [],
): Promise<string | undefined> {
  try {
    await fetchProjectTools();
  } catch (error) {
    return `generate: ${(error as Error).message}`;
  }
  const r = await run(
    process.execPath,
    [BIN, project.name, '--framework', adapter.name, '--yes', '--skip-git', ...(adapter.generateArgs ?? []), ...extraArgs],
    { cwd: parentDir, env: toolEnv(), log, timeoutMs: GENERATE_TIMEOUT_MS },
  );
  return r.code !== 0 || r.timedOut ? `generate: ${describeExit(r, GENERATE_TIMEOUT_MS)}: ${lastLine(log)}` : undefined;
}

/** Runs the steps in the project folder, in order, until one fails. */
export async function runSteps(steps: Step[], project: Project, log: string): Promise<string | undefined> {
  for (const step of steps) {
    const timeoutMs = step.timeoutMs ?? STEP_TIMEOUT_MS;
    const r = await run(step.cmd, step.args, { cwd: project.dir, env: toolEnv(step.env), log, timeoutMs });
    if (r.code !== 0 || r.timedOut) return `${step.label}: ${describeExit(r, timeoutMs)}: ${lastLine(log)}`;
  }
  return undefined;
}
