// The arms of bench:overhead, declared as data: one line per way of running the same generated app
// (same code, same compose settings), so adding one (e.g. "ours with all signals" once metrics and
// logs land) is one entry here. An arm changes only the app's environment and how it is started
// (a wrapper that execs the app, or a `node --import`); the zero-code peers are installed into the
// bench's temp copy of the project by installPeers (never into the templates).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameworkAdapter, Project, StartSpec, Step } from '../test/e2e/frameworks/types.js';
import { CACHE_DIR } from '../test/e2e/lib/paths.js';
import { capture, run } from '../test/e2e/lib/proc.js';
import { runSteps } from '../test/e2e/lib/steps.js';

/** Zero-code peers at pinned versions (bump deliberately; results name them). */
export const ZERO_CODE_PEERS = {
  // opentelemetry-distro and -instrumentation-fastapi: the release that matches the project's
  // opentelemetry-sdk (resolved by uv against the installed SDK, printed with the results).
  ddtrace: '4.16.0',
  '@opentelemetry/auto-instrumentations-node': '0.82.0',
  'dd-trace': '6.21.0',
} as const;

/**
 * The Node peers need Node ≥ 22, so every Node arm (untraced and ours included) runs on this Node,
 * from the same cache folder as `npm run test:node24` (test/tools/run-on-node24.sh).
 */
export const NODE24_VERSION = '24.21.0';

/** Where the Node peers are installed, inside the bench's copy of the project. */
const NODE_PEERS_DIR = '.bench-peers';

export type Role = 'untraced' | 'ours' | 'peer' | 'variant';
export type Sink = 'jaeger' | 'test-agent';

export interface ArmContext {
  project: Project;
  /** Base URL of the ddapm-test-agent's trace API (only for arms whose sink is test-agent). */
  agentUrl?: string;
}

export interface Arm {
  id: string;
  label: string;
  /** untraced = the baseline; ours = the generated telemetry; peer = what a user would pick instead. */
  role: Role;
  frameworks: readonly string[];
  /** Where its spans go (the bench checks they arrived); none for the untraced arms. */
  sink?: Sink;
  /** Only with this bench option (e.g. --unsampled). */
  option?: 'unsampled';
  /** On top of the compose settings. */
  env?: (ctx: ArmContext) => Record<string, string>;
  /** A command that execs the app (its pid stays the app's), e.g. opentelemetry-instrument. */
  wrapper?: string;
  /** A module loaded with `node --import` before anything else. */
  nodeImport?: string;
}

const ALL = ['fastapi', 'express', 'fastify', 'go'] as const;
const NODE = ['express', 'fastify'] as const;
/** Our telemetry off, the same way for the baseline and the peers (OTEL_SDK_DISABLED would also turn off the OTel-based peers). */
const OURS_OFF = { TRACING_BACKEND: 'none' };
/** Peers report under their own service name, so the bench can check that each one exported. */
const peerService = (ctx: ArmContext, arm: string) => ({ OTEL_SERVICE_NAME: `${ctx.project.name}-${arm}`, DD_SERVICE: `${ctx.project.name}-${arm}` });
/** Traces only, as ours (the OTel peers would otherwise also export metrics and logs). */
const TRACES_ONLY = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

export const ARMS: readonly Arm[] = [
  { id: 'untraced', label: 'untraced (TRACING_BACKEND=none)', role: 'untraced', frameworks: ALL, env: () => OURS_OFF },
  // Compared with the peers on traces alone (the JSON log lines on stdout stay on in every arm).
  { id: 'ours', label: 'ours (traces only, to Jaeger)', role: 'ours', frameworks: ALL, sink: 'jaeger', env: () => TRACES_ONLY },
  // As generated since issue 11: the request histogram and the counter recorded too (the development
  // settings export them every 5 s; logs go to stdout only with Jaeger).
  { id: 'ours-all', label: 'ours, all signals (as generated)', role: 'variant', frameworks: ALL, sink: 'jaeger' },
  {
    id: 'unsampled',
    label: 'ours, always_off sampler',
    role: 'variant',
    frameworks: ALL,
    option: 'unsampled',
    env: () => ({ OTEL_TRACES_SAMPLER: 'always_off' }),
  },
  {
    id: 'otel-instrument',
    label: 'opentelemetry-instrument (distro + instrumentation-fastapi)',
    role: 'peer',
    frameworks: ['fastapi'],
    sink: 'jaeger',
    wrapper: '.venv/bin/opentelemetry-instrument',
    env: (ctx) => ({ ...OURS_OFF, ...peerService(ctx, 'otel-instrument'), ...TRACES_ONLY, OTEL_TRACES_EXPORTER: 'otlp_proto_http' }),
  },
  {
    id: 'ddtrace',
    label: 'ddtrace-run',
    role: 'peer',
    frameworks: ['fastapi'],
    sink: 'test-agent',
    wrapper: '.venv/bin/ddtrace-run',
    // DD_TRACE_OTEL_ENABLED: the app's custom span (OpenTelemetry API) becomes a ddtrace span, as
    // Datadog documents; without it the peer would record one span fewer than every other arm.
    env: (ctx) => ({ ...OURS_OFF, ...peerService(ctx, 'ddtrace'), DD_TRACE_AGENT_URL: ctx.agentUrl!, DD_TRACE_OTEL_ENABLED: 'true' }),
  },
  {
    id: 'otel-auto-node',
    label: '--import @opentelemetry/auto-instrumentations-node/register',
    role: 'peer',
    frameworks: NODE,
    sink: 'jaeger',
    nodeImport: `./${NODE_PEERS_DIR}/otel-auto.mjs`, // imports @opentelemetry/auto-instrumentations-node/register
    // Default detectors include cloud ones that probe metadata addresses: loopback only here.
    env: (ctx) => ({ ...OURS_OFF, ...peerService(ctx, 'otel-auto-node'), ...TRACES_ONLY, OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process' }),
  },
  {
    id: 'dd-trace',
    label: '--import dd-trace/initialize.mjs',
    role: 'peer',
    frameworks: NODE,
    sink: 'test-agent',
    nodeImport: `./${NODE_PEERS_DIR}/dd-trace.mjs`, // imports dd-trace/initialize.mjs
    env: (ctx) => ({ ...OURS_OFF, ...peerService(ctx, 'dd-trace'), DD_TRACE_AGENT_URL: ctx.agentUrl! }),
  },
  {
    id: 'otelhttp-default',
    label: 'otelhttp default + stock sdktrace batcher',
    role: 'peer',
    frameworks: ['go'],
    sink: 'jaeger',
    env: (ctx) => ({ ...OURS_OFF, ...peerService(ctx, 'otelhttp-default'), BENCH_PEER: 'otelhttp' }),
  },
];

export function armsFor(framework: string, options: { unsampled: boolean }): Arm[] {
  return ARMS.filter((a) => a.frameworks.includes(framework) && (!a.option || (a.option === 'unsampled' && options.unsampled)));
}

/** Node 24 from the cache (installed there once, like test/tools/run-on-node24.sh does). */
export async function node24(log: string): Promise<string> {
  const dir = join(CACHE_DIR, 'node', NODE24_VERSION);
  const bin = join(dir, 'node_modules', '.bin', 'node');
  if (!existsSync(bin)) {
    const r = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', dir, `node@${NODE24_VERSION}`], {
      log,
      timeoutMs: 10 * 60_000,
    });
    if (r.code !== 0 || !existsSync(bin)) throw new Error(`node@${NODE24_VERSION}: npm install failed (see ${log})`);
  }
  return bin;
}

/** How an arm starts the app: the adapter's command, wrapped or with a node --import. */
export function armAdapter(adapter: FrameworkAdapter, arm: Arm, node?: string): FrameworkAdapter {
  return {
    ...adapter,
    start(p, host, port): StartSpec {
      const spec = adapter.start(p, host, port);
      const isNode = spec.cmd === process.execPath;
      const cmd = isNode && node ? node : spec.cmd;
      const args = arm.nodeImport ? ['--import', arm.nodeImport, ...spec.args] : spec.args;
      return arm.wrapper ? { ...spec, cmd: arm.wrapper, args: [cmd, ...args] } : { ...spec, cmd, args };
    },
  };
}

/** The Go peer: a file of the bench's own, and main.go serving benchHandler instead of app.New. */
function goPeer(p: Project): void {
  const module = /^module\s+(\S+)/m.exec(readFileSync(join(p.dir, 'go.mod'), 'utf8'))?.[1];
  if (!module) throw new Error('go.mod: no module line');
  writeFileSync(
    join(p.dir, 'cmd', 'server', 'bench_peer.go'),
    `package main

// Bench only (added by bench/arms.ts). BENCH_PEER=otelhttp serves the app untraced (no provider of
// ours) behind otelhttp in its default setup, with a stock sdktrace batcher exporting OTLP/HTTP as
// the standard OTEL_* variables say: what a user would write by hand instead of the template.

import (
	"context"
	"net/http"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"${module}/internal/app"
	"${module}/internal/config"
	"${module}/internal/telemetry"
)

func benchHandler(ctx context.Context, cfg config.Config, tel telemetry.Telemetry) http.Handler {
	if os.Getenv("BENCH_PEER") != "otelhttp" {
		return app.New(cfg, tel)
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		panic(err)
	}
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter)))
	// The app untraced (its logger only), inside the peer's handler.
	return otelhttp.NewHandler(app.New(cfg, telemetry.Telemetry{Logger: tel.Logger}), "server")
}
`,
  );
  // The example route's custom span: from the global provider under the peer (as a user's code
  // would get it with otel.Tracer), so both arms record the same two spans.
  writeFileSync(
    join(p.dir, 'internal', 'app', 'bench_peer.go'),
    `package app

// Bench only (added by bench/arms.ts): under BENCH_PEER=otelhttp the routes' own spans come from
// the global provider (the peer's), as otel.Tracer would give them.

import (
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

func benchProvider(untraced trace.TracerProvider) trace.TracerProvider {
	if os.Getenv("BENCH_PEER") == "otelhttp" {
		return otel.GetTracerProvider()
	}
	return untraced
}
`,
  );
  const appGo = join(p.dir, 'internal', 'app', 'app.go');
  const appText = readFileSync(appGo, 'utf8');
  const noopRe = /var tracerProvider trace\.TracerProvider = (noop\.NewTracerProvider\(\))/;
  if (!noopRe.test(appText)) throw new Error('bench go peer: app.go has no "var tracerProvider trace.TracerProvider = noop.NewTracerProvider()"');
  writeFileSync(appGo, appText.replace(noopRe, 'var tracerProvider trace.TracerProvider = benchProvider($1)'));
  const main = join(p.dir, 'cmd', 'server', 'main.go');
  const text = readFileSync(main, 'utf8');
  const re = /Handler:(\s+)app\.New\(cfg, tel\),/;
  if (!re.test(text)) throw new Error('bench go peer: main.go has no "Handler: app.New(cfg, tel)," (did the template change?)');
  writeFileSync(main, text.replace(re, 'Handler:$1benchHandler(ctx, cfg, tel),'));
}

async function pythonVersion(p: Project, dist: string): Promise<string> {
  const r = await capture(join(p.dir, '.venv', 'bin', 'python'), ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(dist)}))`], {
    log: '/dev/null',
    timeoutMs: 30_000,
  });
  const v = r.stdout.trim();
  if (r.code !== 0 || !v) throw new Error(`${dist} is not installed in the project's .venv`);
  return v;
}

/**
 * Installs the framework's zero-code peers into the project (a temp copy) and returns their
 * versions. Python: with uv into .venv, the OTel packages resolved against the project's own
 * opentelemetry-api/sdk (which must not move); Node: npm install --no-save; Go: nothing to install.
 */
export async function installPeers(framework: string, p: Project, log: string): Promise<Record<string, string>> {
  const steps: Step[] = [];
  if (framework === 'fastapi') {
    const sdk = await pythonVersion(p, 'opentelemetry-sdk');
    const api = await pythonVersion(p, 'opentelemetry-api');
    steps.push({
      label: 'uv pip install peers',
      cmd: 'uv',
      args: [
        'pip',
        'install',
        '--python',
        '.venv/bin/python',
        `opentelemetry-api==${api}`,
        `opentelemetry-sdk==${sdk}`,
        'opentelemetry-distro',
        'opentelemetry-instrumentation-fastapi',
        `ddtrace==${ZERO_CODE_PEERS.ddtrace}`,
      ],
      timeoutMs: 10 * 60_000,
    });
  } else if (framework === 'express' || framework === 'fastify') {
    // A folder of their own inside the copy: auto-instrumentations-node wants a newer
    // @opentelemetry/api than the project pins (npm refuses to install it into the project, as it
    // would for a user), and a user picking a zero-code peer would not have our telemetry anyway.
    // The app's modules are hooked wherever they live; the OTel API is shared through its global.
    const dir = join(p.dir, NODE_PEERS_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
    writeFileSync(join(dir, 'otel-auto.mjs'), "import '@opentelemetry/auto-instrumentations-node/register';\n");
    // dd-trace serves the app's OpenTelemetry API spans (the custom span) once its TracerProvider is
    // registered, as Datadog documents for Node (DD_TRACE_OTEL_ENABLED alone only replaces an SDK
    // provider, which this arm does not create): the same spans as every other arm.
    writeFileSync(
      join(dir, 'dd-trace.mjs'),
      "import 'dd-trace/initialize.mjs';\nimport tracer from 'dd-trace';\n\nnew tracer.TracerProvider().register();\n",
    );
    steps.push({
      label: 'npm install peers',
      cmd: 'npm',
      args: [
        'install',
        '--prefix',
        NODE_PEERS_DIR,
        '--no-audit',
        '--no-fund',
        `@opentelemetry/auto-instrumentations-node@${ZERO_CODE_PEERS['@opentelemetry/auto-instrumentations-node']}`,
        `dd-trace@${ZERO_CODE_PEERS['dd-trace']}`,
      ],
      timeoutMs: 10 * 60_000,
    });
  } else if (framework === 'go') {
    goPeer(p);
    return { otelhttp: 'as in go.mod', 'otel sdk': 'as in go.mod' };
  }
  const failed = await runSteps(steps, p, log);
  if (failed) throw new Error(failed);
  const versions: Record<string, string> = {};
  if (framework === 'fastapi') {
    for (const d of ['opentelemetry-distro', 'opentelemetry-instrumentation-fastapi', 'opentelemetry-sdk', 'ddtrace']) versions[d] = await pythonVersion(p, d);
  } else {
    for (const d of ['@opentelemetry/auto-instrumentations-node', 'dd-trace']) {
      const pkg = join(p.dir, NODE_PEERS_DIR, 'node_modules', d, 'package.json');
      versions[d] = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version : 'missing';
    }
  }
  return versions;
}
