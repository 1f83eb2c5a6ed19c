// The catalogue of bad inputs, create and refresh together, through the real bin (execa). Every
// row must end the same way: exactly one line on stderr that names the fix (asserted), nothing on
// stdout, an exit code other than 0, and the whole sandbox byte for byte as before (the project,
// its .git, the folders around it, a folder "outside" that symbolic links point to, and the HOME
// and TMPDIR the bin runs with): nothing written, nothing lost, nothing outside touched.
//
// A row is one line: create(label, args, message) or refresh(label, args, message), with options
// for a setup that builds the bad situation. A new answer's bad values are one row each.
//
// Permissions: tests may run as root, where permission bits do not stop writes. Rows marked
// `unprivileged` then run the bin as uid/gid 65534 (nobody) on a sandbox chowned to it, so the
// read-only folder is read-only for the process, as for any user; as another user they run as is.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_PATH } from '../generators/refresh/journal.js';
import { BASE_STORE_PATH, STATE_KEY, YO_RC_PATH } from '../generators/shared/state.js';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.js';
import { commitAll } from './helpers/refresh.js';
import { tree } from './helpers/tree.js';

const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** One sandbox per row: root holds everything the bin could touch. */
interface Sandbox {
  root: string;
  /** Where create runs, and the parent of the project. */
  work: string;
  /** work/my-api: for refresh rows a generated project (defaults), committed in git. */
  project: string;
  /** Outside the project: where symbolic links lead. */
  outside: string;
  /** Writes a file in the project (folders created). */
  write(path: string, content: string | Buffer): void;
  /** Changes our entry in .yo-rc.json. */
  editState(change: (entry: Record<string, unknown>) => void): void;
  commit(): void;
}

interface Row {
  label: string;
  command: 'create' | 'refresh';
  args: string[];
  message: RegExp;
  exitCode: number;
  /** Builds the bad situation (before the "before" picture is taken). */
  setup?: (s: Sandbox) => void | Promise<void>;
  /** Commit what setup changed, so the row meets the problem and not the dirty-tree check. */
  commit?: boolean;
  /** Run from the work folder instead of the project (refresh rows). */
  inWork?: boolean;
  /** Needs permission bits to hold: as root, run as nobody (see the top). */
  unprivileged?: boolean;
}

type More = Partial<Omit<Row, 'label' | 'command' | 'args' | 'message'>>;
const row =
  (command: Row['command']) =>
  (label: string, args: string[], message: RegExp, more: More = {}): Row => ({ label, command, args, message, exitCode: 2, ...more });
const create = row('create');
const refresh = row('refresh');

/** A change of answers that writes files (so a refresh reaches every check on the way). */
const ADD_QA = ['--environments', 'development,staging,production,qa', '--yes'];

const ROWS: Row[] = [
  // create: names and paths
  create('name with a space', ['my api', '--yes'], /invalid project name "my api": use lower case letters.*e\.g\. my-api$/),
  create('upper-case name', ['MyApi', '--yes'], /invalid project name "MyApi": use lower case letters/),
  create('path whose last part is not a valid name', ['../sub/X_y', '--yes'], /invalid project name "X_y": use lower case/),
  create('path-like --name (the flag takes a name, not a path)', ['--name', '../x', '--yes'], /invalid project name "\.\.\/x": use lower case/),
  create('empty name', ['', '--yes'], /project name is empty: use lower case letters/),
  create('name longer than 63 characters', [`a${'b'.repeat(63)}`, '--yes'], /is longer than 63 characters: shorten it$/),
  create('reserved name', ['node_modules', '--yes'], /"node_modules" is reserved: choose another, e\.g\. my-api$/),
  create('name that is a Python keyword', ['class', '--yes'], /"class" is a Python keyword: choose another, e\.g\. class-api$/),
  create('name that shadows a Python module', ['logging', '--yes'], /"logging" would make a Python package "logging" that shadows the module of that name: choose another/),
  create('name given twice', ['my-api', '--name', 'other-api', '--yes'], /project name given twice \("my-api" and --name other-api\): give it once$/),
  create('two names', ['my-api', 'other', '--yes'], /unexpected argument "other": give one project name/),
  // create: answer flags
  create('unknown framework', ['my-api', '--framework', 'django', '--yes'], /unknown framework "django": use --framework fastapi\|express\|fastify\|go$/),
  create('unknown package manager', ['my-api', '--framework', 'express', '--pm', 'npx', '--yes'], /unknown package manager "npx": use --pm npm\|pnpm\|yarn\|bun$/),
  create('a Node package manager for a Python framework', ['my-api', '--framework', 'fastapi', '--pm', 'pnpm', '--yes'], /--pm pnpm does not manage fastapi projects: use --pm uv\|pip$/),
  create('a Node package manager when the framework defaults to fastapi', ['my-api', '--pm', 'pnpm', '--yes'], /--pm pnpm does not manage fastapi projects: use --pm uv\|pip$/),
  create('a Python package manager for a Node framework', ['my-api', '--framework', 'express', '--pm', 'uv', '--yes'], /--pm uv does not manage express projects: use --pm npm\|pnpm\|yarn\|bun$/),
  create('unknown Python package manager', ['my-api', '--framework', 'fastapi', '--pm', 'poetry', '--yes'], /unknown package manager "poetry": use --pm uv\|pip$/),
  create('--pm for Go', ['my-api', '--framework', 'go', '--pm', 'npm', '--yes'], /--pm applies only with --framework fastapi\|express\|fastify: drop it or change --framework$/),
  create('--module without --framework go', ['my-api', '--module', 'example.com/a', '--yes'], /--module applies only with --framework go: drop it or change --framework$/),
  create('invalid Go module path', ['my-api', '--framework', 'go', '--module', 'Bad Path', '--yes'], /invalid Go module path "Bad Path": use e\.g\. github\.com\/acme\/my-api$/),
  create('no environments', ['my-api', '--environments', '', '--yes'], /no environments given: pass e\.g\. --environments development,staging,production$/),
  create('duplicate environment', ['my-api', '--environments', 'development,prod,prod', '--yes'], /"prod" is listed twice in --environments: list it once$/),
  create('environment that is not a DNS label', ['my-api', '--environments', 'development,Prod_1', '--yes'], /"Prod_1" is not a DNS label: use lower case letters, digits and dashes/),
  create('unknown backend', ['my-api', '--backend', 'production=zipkin', '--yes'], /unknown backend "zipkin" for production: choose one of jaeger, datadog/),
  create('backend for an unlisted environment', ['my-api', '--environments', 'development,production', '--backend', 'staging=datadog', '--yes'], /--backend names environment "staging", which is not in --environments \(development,production\): add it there or fix the name$/),
  create('backend without =', ['my-api', '--backend', 'datadog', '--yes'], /--backend "datadog" is not ENV=BACKEND: pass e\.g\. --backend production=datadog$/),
  create('unknown Datadog Agent style', ['my-api', '--datadog-agent', 'kubectl', '--yes'], /unknown Datadog Agent style "kubectl": use --datadog-agent operator\|helm\|manifests\|existing$/),
  create('--datadog-agent with no Datadog environment', ['my-api', '--environments', 'development,production', '--backend', 'production=otlp', '--datadog-agent', 'helm', '--yes'], /--datadog-agent applies only when an environment deployed to Kubernetes uses a Datadog backend: drop it or send a deployed environment there \(--backend <env>=datadog\)$/),
  create('--datadog-agent when only the local environment uses Datadog', ['my-api', '--environments', 'development', '--backend', 'development=datadog', '--datadog-agent', 'operator', '--yes'], /--datadog-agent applies only when an environment deployed to Kubernetes uses a Datadog backend/),
  create('--datadog-agent whose environments come from the defaults', ['my-api', '--environments', 'development', '--datadog-agent', 'operator', '--yes'], /--datadog-agent applies only when/),
  create('backend set twice', ['my-api', '--backend', 'production=otlp', '--backend', 'production=none', '--yes'], /--backend sets "production" twice: set it once$/),
  // --sample-rate ENV=RATE
  create('sample rate 0', ['my-api', '--sample-rate', 'production=0', '--yes'], /--sample-rate production=0: the rate must be a number above 0 and at most 1 \(the share of traces kept\), e\.g\. production=0\.1$/),
  create('sample rate above 1', ['my-api', '--sample-rate', 'production=1.5', '--yes'], /--sample-rate production=1\.5: the rate must be a number above 0 and at most 1/),
  create('sample rate not a number', ['my-api', '--sample-rate', 'production=ten', '--yes'], /--sample-rate production=ten: the rate must be a number above 0 and at most 1/),
  create('sample rate as a percentage', ['my-api', '--sample-rate', 'production=10%', '--yes'], /--sample-rate production=10%: the rate must be a number above 0 and at most 1/),
  create('sample rate for an unknown environment', ['my-api', '--sample-rate', 'qa=0.1', '--yes'], /--sample-rate names environment "qa", which is not in --environments \(development,staging,production\): add it there or fix the name$/),
  create('sample rate without =', ['my-api', '--sample-rate', '0.1', '--yes'], /--sample-rate "0\.1" is not ENV=RATE: pass e\.g\. --sample-rate production=0\.1$/),
  create('sample rate set twice', ['my-api', '--sample-rate', 'production=0.1', '--sample-rate', 'production=0.2', '--yes'], /--sample-rate sets "production" twice: set it once$/),
  create('sample rate where tracing is off', ['my-api', '--backend', 'production=none', '--sample-rate', 'production=0.1', '--yes'], /--sample-rate production=0\.1: tracing is off in production \(backend none\): drop it or choose a backend$/),
  create('sample rates the one Agent cannot apply', ['my-api', '--sample-rate', 'production=0.1', '--yes'], /--sample-rate: staging, production all send OTLP to the cluster's one Datadog Agent, whose sampler keeps one share of every trace: give them the same rate/),
  create('Agent sampling that would also sample datadog-native traces', ['my-api', '--backend', 'staging=datadog-native', '--sample-rate', 'production=0.1', '--yes'], /--sample-rate: the Datadog Agent's sampler \(production\) would also sample the traces of staging \(datadog-native\)/),
  create('sample rate for a local Datadog Agent the project does not configure', ['my-api', '--backend', 'development=datadog', '--sample-rate', 'development=0.5', '--yes'], /--sample-rate development=0\.5: development sends OTLP to a Datadog Agent this project does not configure.*DD_APM_PROBABILISTIC_SAMPLER_SAMPLING_PERCENTAGE=50 on that Agent instead$/),
  // create: flags
  create('unknown flag', ['my-api', '--frobnicate', '--yes'], /Unknown option '--frobnicate'.*\(see create-instrumented-api --help\)$/),
  create('a value for a boolean flag', ['my-api', '--yes=no'], /Option '-y, --yes' does not take an argument \(see create-instrumented-api --help\)$/),
  create('a flag without its value', ['my-api', '--yes', '--framework'], /--framework needs a value: pass it right after the flag \(see create-instrumented-api --help\)$/),
  create('a flag followed by another flag', ['my-api', '--framework', '--yes'], /--framework needs a value: pass it right after the flag/),
  create('no terminal and missing answers without --yes', ['my-api'], /no terminal to ask for --framework, --environments, --backend, --datadog-agent, --pm: pass them as flags, use --answers <file>, or add --yes for defaults$/),
  create('no terminal and no name without --yes', ['--framework', 'fastapi'], /no terminal to ask for --name.*: pass them as flags/),
  // create: answers files
  create('missing answers file', ['my-api', '--answers', 'nope.json', '--yes'], /cannot read answers file nope\.json: ENOENT/),
  create('answers file that is a folder', ['my-api', '--answers', 'answers', '--yes'], /cannot read answers file answers: EISDIR/, { setup: (s) => mkdirSync(join(s.work, 'answers')) }),
  create('corrupt answers file', ['--answers', 'a.json', '--yes'], /answers file a\.json is not valid JSON .*: fix the file$/, { setup: (s) => writeFileSync(join(s.work, 'a.json'), '{"name": ') }),
  create('answers file saved as UTF-16', ['--answers', 'a.json', '--yes'], /answers file a\.json is not valid JSON .*: fix the file$/, {
    setup: (s) => writeFileSync(join(s.work, 'a.json'), Buffer.from(`\ufeff{"name": "my-api"}`, 'utf16le')),
  }),
  create('answers file holding a list', ['--answers', 'a.json', '--yes'], /answers file a\.json must hold a JSON object like \{"framework": "fastapi"\}$/, { setup: (s) => writeFileSync(join(s.work, 'a.json'), '["my-api"]') }),
  create('answers file with an unknown key', ['--answers', 'a.json', '--yes'], /answers file a\.json has unknown key "colour": use name, framework/, { setup: (s) => writeFileSync(join(s.work, 'a.json'), '{"name": "x-api", "colour": "blue"}') }),
  create('answers file with an invalid value', ['--answers', 'a.json', '--yes'], /unknown framework "django": use --framework/, { setup: (s) => writeFileSync(join(s.work, 'a.json'), '{"name": "x-api", "framework": "django"}') }),
  // create: the target folder
  create('a non-empty target folder without --force', ['my-api', '--yes'], /folder my-api exists and is not empty: choose another name, empty it, or pass --force to overwrite files$/, { setup: (s) => s.write('notes.txt', 'mine') }),
  create('an unreadable .yo-rc.json in the target, even with --force', ['my-api', '--yes', '--force'], /my-api\/\.yo-rc\.json cannot be read .*: fix or delete it, then run again$/, { setup: (s) => s.write(YO_RC_PATH, '{ not json') }),
  create('an existing generated project', ['my-api', '--yes'], /my-api is already a create-instrumented-api project: run "create-instrumented-api refresh" inside it to update it$/, { setup: generated }),
  create('a file where the target folder should be', ['my-api', '--yes'], /my-api exists and is not a folder: choose another name$/, { setup: (s) => writeFileSync(s.project, 'a file\n') }),
  create('a path through a file', ['notes.txt/my-api', '--yes'], /notes\.txt is a file, so my-api cannot be created in it: choose another path for the project$/, { setup: (s) => writeFileSync(join(s.work, 'notes.txt'), 'a file\n') }),
  create('a read-only folder to create the project in', ['my-api', '--yes'], /cannot create my-api in .* \(permission denied\): choose a folder you can write to, or fix its permissions$/, {
    setup: (s) => chmodSync(s.work, 0o555),
    unprivileged: true,
  }),
  create('a read-only (empty) target folder', ['my-api', '--yes'], /cannot write in my-api \(permission denied\): choose a folder you can write to, or fix its permissions$/, {
    setup: (s) => {
      mkdirSync(s.project);
      chmodSync(s.project, 0o555);
    },
    unprivileged: true,
  }),

  // refresh: the project's state
  refresh('sample rate above 1', ['--sample-rate', 'production=2', '--yes'], /--sample-rate production=2: the rate must be a number above 0 and at most 1/),
  refresh('not a generated project', ['--yes'], /not a generated project \(no \.yo-rc\.json in .*\): run inside a project created by create-instrumented-api$/, { inWork: true }),
  refresh('a foreign .yo-rc.json (another generator\'s)', ['--yes'], /not a generated project \(\.yo-rc\.json has no "create-instrumented-api" entry\): run inside a project created by create-instrumented-api$/, {
    setup: (s) => s.write(YO_RC_PATH, '{"generator-node": {"promptValues": {}}}\n'),
    commit: true,
  }),
  refresh('a corrupt .yo-rc.json', ['--yes'], /\.yo-rc\.json is not valid JSON .*: fix it or restore it from git \(git checkout HEAD -- \.yo-rc\.json\)$/, { setup: (s) => s.write(YO_RC_PATH, '{"create-instrumented-api": {'), commit: true }),
  refresh('a .yo-rc.json holding a list', ['--yes'], /\.yo-rc\.json must hold a JSON object: fix it or restore it from git/, { setup: (s) => s.write(YO_RC_PATH, '[]\n'), commit: true }),
  refresh('a .yo-rc.json that is a folder', ['--yes'], /\.yo-rc\.json is a folder, where a file is expected: restore it from git \(git checkout HEAD -- \.yo-rc\.json\)$/, {
    setup: (s) => {
      rmSync(join(s.project, YO_RC_PATH));
      s.write(`${YO_RC_PATH}/x`, 'x');
    },
    commit: true,
  }),
  refresh('an unreadable .yo-rc.json', ['--yes'], /cannot read \.yo-rc\.json: EACCES.*: fix its permissions$/, { setup: (s) => chmodSync(join(s.project, YO_RC_PATH), 0o200), unprivileged: true }),
  refresh('our entry without "managedFiles"', ['--yes'], /\.yo-rc\.json is corrupt: "create-instrumented-api" has no "managedFiles" object: fix it or restore it from git/, {
    setup: (s) => s.editState((entry) => delete entry.managedFiles),
    commit: true,
  }),
  refresh('a managed path outside the project', ['--yes'], /\.yo-rc\.json is corrupt: "create-instrumented-api" lists an unsafe path "\.\.\/escape\.txt" in "managedFiles": fix it or restore it from git/, {
    setup: (s) => s.editState((entry) => ((entry.managedFiles as Record<string, string>)['../escape.txt'] = 'a'.repeat(64))),
    commit: true,
  }),
  refresh('an invalid saved answer', ['--yes'], /a saved answer in \.yo-rc\.json is invalid \(unknown framework "django"\): fix it there or pass the answer as a flag$/, {
    setup: (s) => s.editState((entry) => ((entry.answers as Record<string, unknown>).framework = 'django')),
    commit: true,
  }),
  refresh('a new answer and no terminal to ask it', [], /this version asks for new answer --backend and there is no terminal to ask: pass it as flags, or add --yes for the defaults$/, {
    setup: (s) => s.editState((entry) => delete (entry.answers as Record<string, unknown>).backends),
    commit: true,
  }),
  refresh('a project written by a newer release', ['--yes'], /generated by create-instrumented-api 99\.0\.0, newer than this one \(.*\): run "npx create-instrumented-api@99\.0\.0 refresh" or newer$/, {
    setup: (s) => s.editState((entry) => (entry.version = '99.0.0')),
    commit: true,
  }),
  refresh('a missing base store', ['--yes'], /the merge base \.create-instrumented-api\/base\.json is missing: restore it from git \(git checkout HEAD -- \.create-instrumented-api\/base\.json\)$/, {
    setup: (s) => rmSync(join(s.project, BASE_STORE_PATH)),
    commit: true,
  }),
  refresh('a corrupt base store', ['--yes'], /the merge base \.create-instrumented-api\/base\.json is not valid JSON .*: restore it from git/, { setup: (s) => s.write(BASE_STORE_PATH, '{"format": 1, "files": {'), commit: true }),
  refresh('a tampered base store', ['--yes'], /the merge base \.create-instrumented-api\/base\.json does not match \.yo-rc\.json for README\.md: restore both from the same commit \(git checkout HEAD -- \.yo-rc\.json \.create-instrumented-api\/base\.json\)$/, {
    setup: (s) => {
      const store = JSON.parse(readFileSync(join(s.project, BASE_STORE_PATH), 'utf8'));
      store.files['README.md'] += 'tampered\n';
      s.write(BASE_STORE_PATH, JSON.stringify(store));
    },
    commit: true,
  }),
  refresh('a base store from a newer format', ['--yes'], /the merge base \.create-instrumented-api\/base\.json has format 2, newer than this create-instrumented-api understands: upgrade it$/, {
    setup: (s) => s.write(BASE_STORE_PATH, '{"format": 2, "files": {}}'),
    commit: true,
  }),
  // refresh: the work tree
  refresh('uncommitted changes (a dirty tree)', ADD_QA, /uncommitted changes in the git work tree \(README\.md\): commit or stash them first, or pass --allow-dirty$/, { setup: (s) => s.write('README.md', 'edited\n') }),
  refresh('a read-only project', ADD_QA, /cannot write in \. \(permission denied\): make the project writable for your user \(e\.g\. chmod -R u\+w \.\), then run again$/, {
    setup: (s) => execFileSync('chmod', ['-R', 'a-w', s.project]),
    unprivileged: true,
  }),
  // (git status counts a file it cannot read as changed: --allow-dirty gets past that check to ours)
  refresh('an unreadable managed file', [...ADD_QA, '--allow-dirty'], /cannot read README\.md \(permission denied\): make it readable for your user, then run again$/, {
    setup: (s) => chmodSync(join(s.project, 'README.md'), 0o200),
    unprivileged: true,
  }),
  refresh('a managed file replaced by a folder', ADD_QA, /README\.md is a folder, where a file is expected: move it away$/, {
    setup: (s) => {
      rmSync(join(s.project, 'README.md'));
      s.write('README.md/index.md', '# moved\n');
    },
    commit: true,
  }),
  refresh('a file where a new folder must go', ADD_QA, /deploy\/k8s\/overlays\/qa is a file, where a folder is needed for deploy\/k8s\/overlays\/qa\/.*: move it away$/, {
    setup: (s) => s.write('deploy/k8s/overlays/qa', 'a file of mine\n'),
    commit: true,
  }),
  refresh('a managed file that is a symbolic link out of the project', ADD_QA, /README\.md is a symbolic link to .*\/outside\/README\.md, outside the project: refresh never writes through it; replace the link with a regular file, or pass --exclude README\.md$/, {
    setup: (s) => {
      renameSync(join(s.project, 'README.md'), join(s.outside, 'README.md'));
      symlinkSync(join(s.outside, 'README.md'), join(s.project, 'README.md'));
    },
    commit: true,
  }),
  refresh('a managed folder that is a symbolic link out of the project', ADD_QA, /deploy\/.* is inside deploy, a symbolic link to .*\/outside\/deploy, outside the project: refresh never writes through it; replace the link with a real folder, or pass --exclude deploy\/$/, {
    setup: (s) => {
      renameSync(join(s.project, 'deploy'), join(s.outside, 'deploy'));
      symlinkSync(join(s.outside, 'deploy'), join(s.project, 'deploy'));
    },
    commit: true,
  }),
  refresh('a managed file that is a symbolic link inside the project', ADD_QA, /README\.md is a symbolic link: refresh replaces only regular files; replace the link with the file, or pass --exclude README\.md$/, {
    setup: (s) => {
      renameSync(join(s.project, 'README.md'), join(s.project, 'docs.md'));
      symlinkSync('docs.md', join(s.project, 'README.md'));
    },
    commit: true,
  }),
  refresh('non-UTF-8 content in a managed file', ADD_QA, /README\.md is not UTF-8 text: convert it to UTF-8 \(e\.g\. iconv -f latin1 -t utf-8\), or pass --exclude README\.md$/, {
    setup: (s) => s.write('README.md', Buffer.concat([readFileSync(join(s.project, 'README.md')), Buffer.from('Caf\xe9 notes\n', 'latin1')])),
    commit: true,
  }),
  // refresh: an interrupted earlier refresh
  refresh('an interrupted refresh, checked with --check', ['--check'], /an interrupted refresh is half-applied \(\d+ files\): run "create-instrumented-api refresh" to finish it$/, {
    setup: interrupted,
    exitCode: 1,
  }),
  refresh('an interrupted refresh whose journal is corrupt', ADD_QA, /the journal of an interrupted refresh, \.create-instrumented-api\/journal\.json, is corrupt \(not valid JSON\): check the project with git status, delete the journal/, {
    setup: (s) => s.write(JOURNAL_PATH, '{"format": 1, "state": "comm'),
  }),
  refresh('a journal that names a file outside the project', ADD_QA, /the journal of an interrupted refresh, .* is corrupt \(bad operation\)/, {
    setup: (s) => s.write(JOURNAL_PATH, JSON.stringify({ format: 1, state: 'prepare', token: '1-0123abcd', ops: [{ kind: 'remove', path: '../outside/keep.txt', bak: 'x', before: 'a'.repeat(64) }], createdDirs: [] })),
  }),
  // refresh: flags
  refresh('unknown flag', ['--skip-install'], /Unknown option '--skip-install'.*\(see create-instrumented-api refresh --help\)$/),
  refresh('a flag without its value', ['--conflict'], /--conflict needs a value: pass it right after the flag \(see create-instrumented-api refresh --help\)$/),
  refresh('unknown conflict style', ['--conflict', 'theirs'], /unknown conflict style "theirs": use --conflict inline\|rej$/),
  refresh('a positional argument', ['my-api'], /unexpected argument "my-api": refresh takes no positional arguments, run it inside the project/),
  refresh('--exclude outside the project', ['--exclude', '../x'], /--exclude "\.\.\/x" is not a path inside the project: pass e\.g\. --exclude \.github\/workflows\/$/),
  refresh('renaming the project', ['--name', 'other-api', '--yes'], /refresh cannot rename the project \(my-api → other-api\): it would move every file; create a new project instead$/),
  refresh('duplicate environment', ['--environments', 'development,development', '--yes'], /"development" is listed twice in --environments: list it once$/),
  refresh('unknown backend', ['--backend', 'production=zipkin', '--yes'], /unknown backend "zipkin" for production: choose one of jaeger/),
  refresh('backend for an unlisted environment', ['--backend', 'qa=otlp', '--yes'], /--backend names environment "qa", which is not in --environments \(development,staging,production\)/),
  refresh('missing answers file', ['--answers', 'nope.json', '--yes'], /cannot read answers file nope\.json: ENOENT/),
  refresh('answers file with an unknown key', ['--answers', '../a.json', '--yes'], /answers file \.\.\/a\.json has unknown key "colour"/, { setup: (s) => writeFileSync(join(s.work, 'a.json'), '{"colour": "blue"}') }),
];

/** Setup: a generated project at work/my-api (a copy of the pristine one). */
function generated(s: Sandbox): void {
  cpSync(pristine, s.project, { recursive: true });
}

/** Setup: a refresh killed (SIGKILL) right before its first rename, past its commit point. */
async function interrupted(s: Sandbox): Promise<void> {
  const child = runCli(['refresh', ...ADD_QA], {
    cwd: s.project,
    env: { ...sandboxEnv(s), CREATE_INSTRUMENTED_API_TEST_STEP_HOOK: 'pause:rename' },
    buffer: false,
    stdout: 'ignore',
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('cia-step-paused')) child.kill('SIGKILL');
  });
  expect((await child).signal).toBe('SIGKILL');
  expect(readFileSync(join(s.project, JOURNAL_PATH), 'utf8')).toContain('"state": "commit"');
}

const sandboxEnv = (s: Sandbox) => ({
  HOME: join(s.root, 'home'),
  TMPDIR: join(s.root, 'tmp'),
  XDG_CONFIG_HOME: join(s.root, 'home/.config'),
  XDG_CACHE_HOME: join(s.root, 'home/.cache'),
  GIT_CONFIG_NOSYSTEM: '1',
});

function sandbox(withProject: boolean): Sandbox {
  const root = tempDir('cia-bad-input-');
  const s: Sandbox = {
    root,
    work: join(root, 'work'),
    project: join(root, 'work/my-api'),
    outside: join(root, 'outside'),
    write(path, content) {
      mkdirSync(dirname(join(s.project, path)), { recursive: true });
      writeFileSync(join(s.project, path), content);
    },
    editState(change) {
      const yoRc = JSON.parse(readFileSync(join(s.project, YO_RC_PATH), 'utf8'));
      change(yoRc[STATE_KEY]);
      s.write(YO_RC_PATH, `${JSON.stringify(yoRc, null, 2)}\n`);
    },
    commit: () => commitAll(s.project, 'the bad input'),
  };
  for (const dir of [s.work, s.outside, join(root, 'home'), join(root, 'tmp')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(s.outside, 'keep.txt'), 'not the project\'s\n');
  if (withProject) generated(s);
  return s;
}

let pristine: string;
/**
 * The bin that uid 65534 runs: a copy of what the package ships (bin, bundle, templates) in a
 * folder everyone can reach, since a checkout under a private folder (root's home, a mkdtemp)
 * is out of nobody's reach.
 */
let nobodyBin: string | undefined;
const passed = { create: 0, refresh: 0, unprivileged: 0 };

beforeAll(async () => {
  const parent = tempDir('cia-bad-input-pristine-');
  const created = await runCli(['my-api', '--yes', '--skip-install'], { cwd: parent, env: { GIT_CONFIG_GLOBAL: '/dev/null' } });
  expect(created.exitCode, String(created.stderr)).toBe(0);
  pristine = join(parent, 'my-api');
  if (IS_ROOT) {
    const shipped = tempDir('cia-bad-input-bin-');
    chmodSync(shipped, 0o755);
    for (const part of ['package.json', 'bin', 'dist/bundle', 'templates']) cpSync(join(REPO_ROOT, part), join(shipped, part), { recursive: true });
    nobodyBin = join(shipped, 'bin/create-instrumented-api.js');
  }
});

afterAll(() => {
  if (pristine) rmSync(dirname(pristine), { recursive: true, force: true });
  if (nobodyBin) rmSync(dirname(dirname(nobodyBin)), { recursive: true, force: true });
  const total = passed.create + passed.refresh;
  console.log(
    `bad-input catalogue: ${total} of ${ROWS.length} inputs refused with one line naming the fix, exit ≠ 0, the sandbox byte for byte unchanged ` +
      `(create ${passed.create}, refresh ${passed.refresh}; ${passed.unprivileged} with permission bits, run as ${IS_ROOT ? `uid ${NOBODY} because the tests run as root` : 'this user'})`,
  );
});

describe('bad inputs: one line naming the fix, exit ≠ 0, nothing written or lost', () => {
  it('has at least 40 rows, create and refresh', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ROWS.map((r) => `${r.command}: ${r.label}`)).size).toBe(ROWS.length);
    expect(ROWS.filter((r) => r.command === 'create').length).toBeGreaterThanOrEqual(10);
    expect(ROWS.filter((r) => r.command === 'refresh').length).toBeGreaterThanOrEqual(10);
  });

  it.concurrent.for(ROWS)('$command: $label', async (r, { expect }) => {
    const s = sandbox(r.command === 'refresh');
    try {
      await r.setup?.(s);
      if (r.commit) s.commit();
      const asNobody = r.unprivileged && IS_ROOT;
      if (asNobody) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, s.root]);
      const before = tree(s.root);
      // create rows never install or run git, even if a check failed to stop them
      const args = r.command === 'create' ? ['--skip-install', '--skip-git', ...r.args] : ['refresh', ...r.args];
      const run = await runCli(args, {
        cwd: r.command === 'refresh' && !r.inWork ? s.project : s.work,
        env: sandboxEnv(s),
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      }, asNobody ? nobodyBin : undefined);
      const stderr = String(run.stderr);
      expect(run.exitCode, stderr).toBe(r.exitCode);
      expect(stderr.split('\n'), 'exactly one line on stderr').toHaveLength(1); // execa strips the final newline
      expect(stderr).toMatch(new RegExp(`^create-instrumented-api${r.command === 'refresh' ? ' refresh' : ''}: `));
      expect(stderr).toMatch(r.message);
      expect(run.stdout).toBe('');
      expect(tree(s.root), 'the sandbox byte for byte as before').toEqual(before);
      passed[r.command]++;
      if (r.unprivileged) passed.unprivileged++;
    } finally {
      rmSync(s.root, { recursive: true, force: true });
    }
  });
});
