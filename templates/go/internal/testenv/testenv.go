// Package testenv keeps the shell's or CI's configuration out of the tests.
package testenv

import "os"

// Variables change what the service does: its own settings and the OpenTelemetry SDK's.
var Variables = []string{
	"APP_ENV",
	"SERVICE_VERSION",
	"TRACING_BACKEND",
	"HOST",
	"PORT",
	"OTEL_SERVICE_NAME",
	"OTEL_RESOURCE_ATTRIBUTES",
	"OTEL_SDK_DISABLED",
	"OTEL_EXPORTER_OTLP_ENDPOINT",
	"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
	"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
	"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
	"OTEL_EXPORTER_OTLP_HEADERS",
	"OTEL_EXPORTER_OTLP_TRACES_HEADERS",
	"OTEL_EXPORTER_OTLP_METRICS_HEADERS",
	"OTEL_EXPORTER_OTLP_LOGS_HEADERS",
	"OTEL_EXPORTER_OTLP_TIMEOUT",
	"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
	"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT",
	"OTEL_EXPORTER_OTLP_LOGS_TIMEOUT",
	"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
	"OTEL_METRICS_EXPORTER",
	"OTEL_LOGS_EXPORTER",
	"OTEL_METRIC_EXPORT_INTERVAL",
	"OTEL_METRIC_EXPORT_TIMEOUT",
	"OTEL_TRACES_SAMPLER",
	"OTEL_TRACES_SAMPLER_ARG",
}

// Clear unsets Variables for the rest of the process. Call it from TestMain:
//
//	func TestMain(m *testing.M) {
//		testenv.Clear()
//		os.Exit(m.Run())
//	}
func Clear() {
	for _, name := range Variables {
		_ = os.Unsetenv(name)
	}
}
