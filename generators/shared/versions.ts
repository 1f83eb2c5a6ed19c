// Pinned versions of everything a generated project pulls in. One place to bump; the refresh
// command carries bumps into existing projects.
export const VERSIONS = {
  images: {
    /** Jaeger v2 all-in-one (tags have no "v"). The e2e suite runs the same release (module v1.76.0 = v2.13.0). */
    jaeger: 'jaegertracing/jaeger:2.13.0',
    /** Datadog Agent 7 (the default of Datadog's Helm chart datadog-3.261.1, Oct 2026). Docker Hub
     *  name; the same tags are on registry.datadoghq.com/agent and gcr.io/datadoghq/agent. */
    datadogAgent: 'datadog/agent:7.84.6',
    /** Base of the Python images (builder and runtime); CI's python-version follows its X.Y. */
    python: 'python:3.13.11-slim-bookworm',
  },
  /** Tools the tests build (not written into projects). kustomize v5.8.2 needs Go >= 1.26 to build. */
  tools: {
    kustomize: 'v5.8.2',
  },
  python: {
    requiresPython: '>=3.11',
    // 0.164+ requires Starlette 1.6+, whose TestClient runs on httpx2 (httpx is deprecated there).
    fastapi: '>=0.164,<1',
    uvicorn: '>=0.32,<1',
    pydanticSettings: '>=2.6,<3',
    // The SDK (1.N) and the instrumentations (0.(N+21)bX) are released as matching pairs:
    // sdk 1.45.x goes with instrumentation 0.66bX. Bump them together.
    opentelemetryApi: '>=1.45.0,<2',
    opentelemetrySdk: '>=1.45.0,<2',
    opentelemetryExporterOtlpProtoHttp: '>=1.45.0,<2',
    opentelemetryInstrumentationFastapi: '>=0.66b0',
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
  },
} as const;
