import type * as AzureMonitor from '@azure/monitor-opentelemetry';
import type * as OpenTelemetry from '@opentelemetry/api';
import type * as Otel from './otel';
import { noopTelemetry, type Telemetry } from './port';

/** Telemetry for the process, and how to flush it on shutdown. */
export interface RunningTelemetry {
  telemetry: Telemetry;
  /** Exports what is buffered and stops the exporters; call once, before exit. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry with the Azure Monitor exporter when a connection string is configured
 * (APPLICATIONINSIGHTS_CONNECTION_STRING); without one nothing is loaded and telemetry is a no-op.
 */
export function startTelemetry(settings: { connectionString?: string }): RunningTelemetry {
  const connectionString = settings.connectionString;
  if (connectionString === undefined) return { telemetry: noopTelemetry, shutdown: () => Promise.resolve() };
  // Loaded here and only here: the distro and its SDK are large, and a bot without Application Insights must not pay
  // for them at start. require() keeps them on the CommonJS builds, like the rest of this CommonJS program, so one
  // copy of each OpenTelemetry package is loaded.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const distro = require('@azure/monitor-opentelemetry') as typeof AzureMonitor;
  const api = require('@opentelemetry/api') as typeof OpenTelemetry;
  const { createOtelTelemetry } = require('./otel') as typeof Otel;
  /* eslint-enable @typescript-eslint/no-require-imports */
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Turns and Graph requests are traced by our own spans. The HTTP instrumentation would patch only modules
    // loaded after this call, which in this program is a haphazard subset, so it is off.
    instrumentationOptions: { http: { enabled: false } },
  });
  return {
    telemetry: createOtelTelemetry({ tracer: api.trace.getTracer('secbot'), meter: api.metrics.getMeter('secbot') }),
    shutdown: () => distro.shutdownAzureMonitor(),
  };
}
