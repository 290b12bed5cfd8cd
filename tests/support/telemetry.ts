import { SpanKind } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { createOtelTelemetry } from '../../services/telemetry/otel';
import type { Telemetry } from '../../services/telemetry/port';

/** One finished span, reduced to what tests assert on. */
export interface RecordedSpan {
  name: string;
  kind: 'server' | 'client' | 'internal' | 'other';
  spanId: string;
  traceId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  status: 'unset' | 'ok' | 'error';
}

/** A metric's points: sums as numbers, histograms as their count and sum. */
export type RecordedMetric = { attributes: Record<string, unknown>; value: number; count?: number }[];

/** The Telemetry port on in-memory OpenTelemetry exporters, as the bot would use it with Application Insights. */
export interface RecordingTelemetry {
  telemetry: Telemetry;
  spans(): RecordedSpan[];
  metric(name: string): Promise<RecordedMetric>;
  shutdown(): Promise<void>;
}

const KIND: Record<number, RecordedSpan['kind']> = {
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.INTERNAL]: 'internal',
};
const STATUS: RecordedSpan['status'][] = ['unset', 'ok', 'error'];

function record(span: ReadableSpan): RecordedSpan {
  return {
    name: span.name,
    kind: KIND[span.kind] ?? 'other',
    spanId: span.spanContext().spanId,
    traceId: span.spanContext().traceId,
    parentSpanId: span.parentSpanContext?.spanId,
    attributes: { ...span.attributes },
    status: STATUS[span.status.code] ?? 'unset',
  };
}

/** Builds tracer and meter providers with in-memory exporters; nothing is registered globally. */
export function recordingTelemetry(): RecordingTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    telemetry: createOtelTelemetry({
      tracer: tracerProvider.getTracer('secbot-test'),
      meter: meterProvider.getMeter('secbot-test'),
    }),
    spans: () => spanExporter.getFinishedSpans().map(record),
    async metric(name) {
      metricExporter.reset();
      await reader.forceFlush();
      const points: RecordedMetric = [];
      for (const resource of metricExporter.getMetrics())
        for (const scope of resource.scopeMetrics)
          for (const metric of scope.metrics) {
            if (metric.descriptor.name !== name) continue;
            for (const point of metric.dataPoints as DataPoint<number | Histogram>[]) {
              const value = point.value;
              points.push(
                typeof value === 'number'
                  ? { attributes: { ...point.attributes }, value }
                  : { attributes: { ...point.attributes }, value: value.sum ?? 0, count: value.count },
              );
            }
          }
      return points;
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
