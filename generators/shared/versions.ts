// Pinned versions of everything a generated project pulls in. One place to bump; the refresh
// command carries bumps into existing projects.
export const VERSIONS = {
  images: {
    /** Jaeger v2 all-in-one (tags have no "v"). The e2e suite runs the same release (module v1.76.0 = v2.13.0). */
    jaeger: 'jaegertracing/jaeger:2.13.0',
    datadogAgent: 'datadog/agent:7.72.1',
    python: 'python:3.12-slim-bookworm',
  },
  python: {
    requiresPython: '>=3.11',
    fastapi: '>=0.115,<1',
    uvicorn: '>=0.32,<1',
    pydanticSettings: '>=2.6,<3',
    opentelemetryApi: '>=1.38,<2',
    opentelemetrySdk: '>=1.38,<2',
    opentelemetryExporterOtlpProtoHttp: '>=1.38,<2',
    opentelemetryInstrumentationFastapi: '>=0.59b0',
    pytest: '>=8,<10',
    httpx: '>=0.27,<1',
    ruff: '>=0.8,<1',
  },
} as const;
