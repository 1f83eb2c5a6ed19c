// What the e2e harness needs to know about one framework. Everything else (generation, peers,
// manifests, assertions, process handling) is shared; adding a framework = one adapter file plus a
// line in frameworks/index.ts.

export interface Project {
  /** Absolute path of the generated project. */
  dir: string;
  /** Project name given to the generator (also OTEL_SERVICE_NAME and the k8s name here). */
  name: string;
}

export interface Step {
  /** Short label used in failure reasons, e.g. "pytest", "ruff format". */
  label: string;
  cmd: string;
  args: string[];
  /** Extra environment on top of the harness's sanitised environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface StartSpec {
  cmd: string;
  args: string[];
  /** Extra environment for the app process (on top of the settings under test). */
  env?: Record<string, string>;
}

export interface FrameworkAdapter {
  name: string;
  /** Extra generator flags (beyond `<name> --framework <name> --yes --skip-git`). */
  generateArgs?: string[];
  /**
   * Files whose presence proves the generator's install ran (relative to the project). If one is
   * missing after generation, `install` runs (or the check fails if there is none).
   */
  installedMarkers: string[];
  /** Install the project's dependencies the way its README says (used when the generator did not). */
  install?: (p: Project) => Step[];
  /** The project's own test suite and linters, in order; every one must exit 0. */
  checks: (p: Project) => Step[];
  /** Build whatever the start command needs (compiled TS, a Go binary); part of tests=. */
  build?: (p: Project) => Step[];
  /** How the app is started, listening on host:port (the settings come in through env). */
  start: (p: Project, host: string, port: number) => StartSpec;
  /** Environment variable names the app reads for its listen address (overridden by the harness). */
  listenEnv: { host?: string; port?: string };
  /** Liveness path (200 when up; not traced). */
  healthPath: string;
  /** A concrete request to the example route, e.g. "/items/42". */
  examplePath: string;
  /** A request to the example route that fails on purpose with 500 (the example error), e.g. "/items/0". */
  errorPath: string;
  /** The route template the server span carries (http.route / span name), e.g. "/items/{item_id}". */
  exampleRoute: string;
  /** Name of the nested custom span; when omitted, any internal span from the app's own tracer. */
  customSpanName?: string;
  /** Runs the SDK sampling check (--sample-rate on an OTLP environment); one framework is enough. */
  sampling?: boolean;
}
