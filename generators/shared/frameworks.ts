// What each framework contributes beyond its templates folder. Deploy templates read only
// `traits`, which is how one set of compose/Kubernetes templates serves every framework.
import type { FrameworkTraits } from './context.js';
import type { Framework } from './options.js';

export interface FrameworkSpec {
  traits: FrameworkTraits;
  /** Commands that install the generated project's dependencies, run in its folder. */
  install: { label: string; commands: [string, ...string[]][] };
  /** Next steps printed after generation (run from the project folder). */
  nextSteps: string[];
}

export const FRAMEWORK_SPECS: Record<Framework, FrameworkSpec> = {
  fastapi: {
    traits: {
      port: 8000,
      healthPath: '/healthz',
      examplePath: '/items/{item_id}',
      displayName: 'FastAPI',
      language: 'python',
    },
    install: {
      label: 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"',
      commands: [
        ['python3', '-m', 'venv', '.venv'],
        ['.venv/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', '-e', '.[dev]'],
      ],
    },
    nextSteps: [
      'docker compose up --build          # the API on http://localhost:8000, Jaeger UI on http://localhost:16686',
      '.venv/bin/pytest                   # the project\'s own tests',
    ],
  },
};
