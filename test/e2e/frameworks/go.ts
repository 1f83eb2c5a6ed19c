// Go (net/http + otelhttp): modules via `go mod tidy` (the generator's install step; it writes
// go.sum), gofmt + go vet + go test as the project's own checks, then one binary built with
// `go build` and started directly (so SIGTERM reaches the server itself, not a `go run` wrapper).
import type { FrameworkAdapter } from './types.js';

const BINARY = 'bin/server';

export const go: FrameworkAdapter = {
  name: 'go',
  // go.sum exists only once `go mod tidy` has resolved and downloaded the modules.
  installedMarkers: ['go.sum'],
  install: () => [{ label: 'go mod tidy', cmd: 'go', args: ['mod', 'tidy'], timeoutMs: 10 * 60_000 }],
  checks: () => [
    {
      // gofmt -l exits 0 even when it lists files: fail on any output.
      label: 'gofmt',
      cmd: 'sh',
      args: ['-c', 'out="$(gofmt -l .)" || exit 1; [ -z "$out" ] || { echo "not gofmt-formatted: $out"; exit 1; }'],
    },
    { label: 'go vet', cmd: 'go', args: ['vet', './...'], timeoutMs: 10 * 60_000 },
    { label: 'go test', cmd: 'go', args: ['test', '-count=1', './...'], timeoutMs: 10 * 60_000 },
  ],
  build: () => [
    {
      label: 'go build',
      cmd: 'go',
      args: ['build', '-trimpath', '-o', BINARY, './cmd/server'],
      env: { CGO_ENABLED: '0' },
      timeoutMs: 10 * 60_000,
    },
  ],
  start: () => ({ cmd: `./${BINARY}`, args: [] }),
  listenEnv: { host: 'HOST', port: 'PORT' },
  healthPath: '/healthz',
  examplePath: '/items/42',
  errorPath: '/items/0',
  exampleRoute: '/items/{id}',
  customSpanName: 'load-item',
  // The fastest to build and start: it carries the sampling check.
  sampling: true,
};
