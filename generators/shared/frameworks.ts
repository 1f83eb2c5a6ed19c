// What each framework contributes beyond its templates folder. Deploy templates read only
// `traits`, which is how one set of compose/Kubernetes templates serves every framework.
import type { FrameworkTraits } from './context.js';
import type { Answers, Framework, PackageManager } from './options.js';

export interface InstallPlan {
  /** The whole command line, as a user would type it. */
  label: string;
  /** Short name of the tool, for the progress line. */
  tool: string;
  commands: [string, ...string[]][];
}

export interface FrameworkSpec {
  traits: FrameworkTraits;
  /** Commands that install the generated project's dependencies, run in its folder. */
  install: (answers: Answers) => InstallPlan;
  /** Next steps printed after generation (run from the project folder). */
  nextSteps: (answers: Answers) => string[];
}

const pmOf = (answers: Answers): PackageManager => answers.pm ?? 'npm';
/** `npm run test` → `pnpm test` etc.; every manager understands `<pm> run <script>`. */
export const runScript = (pm: PackageManager, script: string) => `${pm} run ${script}`;

/** uv: resolves into uv.lock (committed with the project), then installs it and the dev group into .venv. */
const uvSync: InstallPlan = { label: 'uv sync', tool: 'uv', commands: [['uv', 'sync']] };
const pipInstall: InstallPlan = {
  label: 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"',
  tool: 'pip',
  commands: [
    ['python3', '-m', 'venv', '.venv'],
    ['.venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '-e', '.[dev]'],
  ],
};

const nodeSpec = (displayName: string): FrameworkSpec => ({
  traits: { port: 3000, healthPath: '/healthz', examplePath: '/items/:itemId', displayName, language: 'node' },
  install: (answers) => ({ label: `${pmOf(answers)} install`, tool: pmOf(answers), commands: [[pmOf(answers), 'install']] }),
  nextSteps: (answers) => [
    'docker compose up --build          # the API on http://localhost:3000, Jaeger UI on http://localhost:16686',
    `${runScript(pmOf(answers), 'dev')}    # or run it locally with tsx`,
    `${runScript(pmOf(answers), 'test')}   # the project's own tests`,
  ],
});

export const FRAMEWORK_SPECS: Record<Framework, FrameworkSpec> = {
  fastapi: {
    traits: {
      port: 8000,
      healthPath: '/healthz',
      examplePath: '/items/{item_id}',
      displayName: 'FastAPI',
      language: 'python',
    },
    install: (answers) => (answers.pm === 'uv' ? uvSync : pipInstall),
    nextSteps: (answers) => [
      'docker compose up --build          # the API on http://localhost:8000, Jaeger UI on http://localhost:16686',
      answers.pm === 'uv'
        ? "uv run pytest                      # the project's own tests"
        : ".venv/bin/pytest                   # the project's own tests",
    ],
  },
  express: nodeSpec('Express'),
  fastify: nodeSpec('Fastify'),
  go: {
    traits: { port: 8080, healthPath: '/healthz', examplePath: '/items/{id}', displayName: 'Go net/http', language: 'go' },
    install: () => ({ label: 'go mod tidy', tool: 'go mod tidy', commands: [['go', 'mod', 'tidy']] }),
    nextSteps: () => [
      'docker compose up --build          # the API on http://localhost:8080, Jaeger UI on http://localhost:16686',
      "go test ./...                      # the project's own tests",
    ],
  },
};
