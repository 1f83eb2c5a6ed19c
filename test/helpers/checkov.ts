// Helpers for test/checkov.test.ts: gather what a user of a generated project deploys into one scan
// folder, run checkov (test/tools/checkov.sh: PyPI, own virtualenv, pinned) over it once, and read
// its JSON report.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { buildContext } from '../../generators/shared/context.js';
import type { Answers } from '../../generators/shared/options.js';
import { renderProject } from '../../generators/shared/render.js';
import { toolPath } from '../tools/index.js';
import { kustomizeBuildText, writeTree } from './deploy.js';

/** The checkov frameworks that read what a project deploys. */
export const CHECKOV_FRAMEWORKS = ['kubernetes', 'dockerfile', 'github_actions'] as const;

/**
 * What a user deploys from one generated project, as scan paths → content: the kustomize build of
 * every deployed environment's overlay (`deploy/k8s/overlays/<env>.yaml`), the kustomize build of
 * the Agent folder where the style has a kustomization (`deploy/k8s/datadog.yaml`: operator,
 * manifests), the Agent folder's plain Kubernetes files where it has none (helm: its namespace; the
 * values file is input to Datadog's chart, not Kubernetes objects), the Dockerfile and the GitHub
 * workflows. Nothing else of the project (app code, compose.yaml, the unbuilt base) is deployed.
 */
export async function deployedFiles(answers: Answers): Promise<Map<string, string>> {
  const ctx = buildContext(answers, '0.0.0-test');
  const files = await renderProject(answers);
  const dir = writeTree(files, 'cia-checkov-project-');
  try {
    const out = new Map<string, string>();
    for (const env of ctx.deployEnvironments)
      out.set(`deploy/k8s/overlays/${env}.yaml`, await kustomizeBuildText(join(dir, 'deploy/k8s/overlays', env)));
    const agent = join(dir, 'deploy/k8s/datadog');
    if (existsSync(join(agent, 'kustomization.yaml'))) out.set('deploy/k8s/datadog.yaml', await kustomizeBuildText(agent));
    else
      for (const [path, content] of files)
        if (path.startsWith('deploy/k8s/datadog/') && path !== 'deploy/k8s/datadog/values.yaml') out.set(path, content);
    for (const [path, content] of files)
      if (path === 'Dockerfile' || path.startsWith('.github/workflows/')) out.set(path, content);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `files` under `dir/prefix/`. */
export function writeUnder(dir: string, prefix: string, files: Map<string, string>): void {
  for (const [path, content] of files) {
    const target = join(dir, prefix, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** One check's outcome on one resource, as checkov's JSON report gives it. */
export interface CheckResult {
  /** The checkov framework that produced it: kubernetes, dockerfile, github_actions. */
  check_type: string;
  check_id: string;
  check_name: string;
  /** Relative to the scanned folder, with a leading "/". */
  file_path: string;
  resource: string;
  check_result: { result: 'PASSED' | 'FAILED' | 'SKIPPED'; suppress_comment?: string };
  file_line_range?: [number, number];
}

export interface CheckovReport {
  passed: CheckResult[];
  failed: CheckResult[];
  skipped: CheckResult[];
  /** Files checkov could not parse (each one is a file that was not scanned). */
  parsingErrors: string[];
  version: string;
}

/**
 * `checkov -d dir` over the deploy frameworks, JSON output, offline: no download of external checks
 * or guidelines (--skip-download), no update check. Exit code 1 only means "some check failed".
 */
export async function runCheckov(dir: string): Promise<CheckovReport> {
  const bin = await toolPath('checkov');
  const result = await execa(
    bin,
    ['-d', dir, '--framework', ...CHECKOV_FRAMEWORKS, '--output', 'json', '--skip-download', '--compact'],
    {
      reject: false,
      timeout: 10 * 60_000,
      env: { CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true', LOG_LEVEL: 'WARNING' },
    },
  );
  if (result.exitCode !== 0 && result.exitCode !== 1)
    throw new Error(`checkov exited ${result.exitCode}:\n${result.stderr.slice(-4000)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`checkov printed no JSON report:\n${result.stdout.slice(0, 2000)}\n${result.stderr.slice(-4000)}`);
  }
  return mergeReports(Array.isArray(parsed) ? parsed : [parsed]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mergeReports(reports: any[]): CheckovReport {
  const merged: CheckovReport = { passed: [], failed: [], skipped: [], parsingErrors: [], version: '' };
  for (const report of reports) {
    // A framework with nothing to scan reports a bare summary.
    if (!report.results) continue;
    const tag = (results: CheckResult[]) => results.map((r) => ({ ...r, check_type: report.check_type }));
    merged.passed.push(...tag(report.results.passed_checks));
    merged.failed.push(...tag(report.results.failed_checks));
    merged.skipped.push(...tag(report.results.skipped_checks));
    merged.parsingErrors.push(...report.results.parsing_errors);
    merged.version = report.summary.checkov_version;
  }
  return merged;
}

/** The reason a skip carries, or undefined when it has none (checkov's placeholder counts as none). */
export function skipReason(result: CheckResult): string | undefined {
  const reason = result.check_result.suppress_comment?.trim();
  return reason && reason !== 'No comment provided' ? reason : undefined;
}

/** "CKV_K8S_43 Deployment.production.my-api (express-operator/deploy/k8s/overlays/production.yaml): Image should use digest" */
export function describeResult(r: CheckResult): string {
  // Kubernetes Pod resources carry every pod label in their name: keep kind.namespace.name.
  const resource = r.check_type === 'kubernetes' ? r.resource.split('.').slice(0, 3).join('.') : r.resource;
  return `${r.check_id} ${resource} (${r.file_path.replace(/^\//, '')}): ${r.check_name}`;
}
