// The machine-level prerequisites the README names (Node, Python with venv, Go, git). Everything else
// the tests use is fetched by them (test/tools/, test/e2e/peers/). Checked up front, so a missing one
// is one clear line before anything runs, not a failed test in the middle.
import { execFileSync } from 'node:child_process';

interface Prerequisite {
  name: string;
  /** Command that prints the version, and how to read "major.minor" from its output. */
  probe: [string, ...string[]];
  pattern: RegExp;
  minimum: [number, number];
  fix: string;
}

export const PREREQUISITES: Prerequisite[] = [
  {
    name: 'Node.js',
    probe: [process.execPath, '--version'],
    pattern: /v(\d+)\.(\d+)/,
    minimum: [20, 17],
    fix: 'install Node.js 20.17+ or 22.9+',
  },
  {
    name: 'Python (with venv and pip)',
    // Debian's python3 lacks ensurepip unless python3-venv is installed: venv creation would fail later.
    probe: ['python3', '-c', 'import ensurepip, sys, venv; print("%d.%d" % sys.version_info[:2])'],
    pattern: /(\d+)\.(\d+)/,
    minimum: [3, 11],
    fix: 'install Python 3.11+ as python3, with its venv module (Debian: apt-get install python3-venv)',
  },
  { name: 'Go', probe: ['go', 'env', 'GOVERSION'], pattern: /go(\d+)\.(\d+)/, minimum: [1, 26], fix: 'install Go 1.26+' },
  { name: 'git', probe: ['git', '--version'], pattern: /(\d+)\.(\d+)/, minimum: [2, 0], fix: 'install git' },
];

/** One line per missing or too old prerequisite; empty when the machine has them all. */
export function missingPrerequisites(): string[] {
  const problems: string[] = [];
  for (const p of PREREQUISITES) {
    let output: string;
    try {
      output = execFileSync(p.probe[0], p.probe.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    } catch {
      problems.push(`${p.name} not found or not usable (${p.probe[0]}): ${p.fix}`);
      continue;
    }
    const m = p.pattern.exec(output);
    const version: [number, number] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    const [major, minor] = version;
    if (major < p.minimum[0] || (major === p.minimum[0] && minor < p.minimum[1]))
      problems.push(`${p.name} ${m ? version.join('.') : '(unknown version)'} is too old, ${p.minimum.join('.')}+ is needed: ${p.fix}`);
  }
  return problems;
}
