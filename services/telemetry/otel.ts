import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Counter,
  type Histogram,
  type Meter,
  type Tracer,
  type UpDownCounter,
} from '@opentelemetry/api';
import { isCodedError } from '../errors';
import { METRICS, type MetricKey, type SpanKind as Kind, type Telemetry } from './port';

const KINDS: Record<Kind, SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };

type Instrument = Counter | UpDownCounter | Histogram;

function errorType(error: unknown): string {
  if (isCodedError(error)) return error.code;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * The Telemetry port on the OpenTelemetry API. Spans nest through our own async context as well as OpenTelemetry's,
 * so a Graph request is a child of its turn whether or not a context manager is registered (tests register none;
 * the Azure Monitor distro registers one, and its HTTP spans then nest under ours too).
 */
export function createOtelTelemetry(deps: { tracer: Tracer; meter: Meter }): Telemetry {
  const active = new AsyncLocalStorage<Context>();
  const instruments = new Map<MetricKey, Instrument>();

  function instrument(key: MetricKey): Instrument {
    let made = instruments.get(key);
    if (made) return made;
    const { name, kind, unit, description } = METRICS[key];
    const options = { unit, description };
    made =
      kind === 'counter'
        ? deps.meter.createCounter(name, options)
        : kind === 'upDownCounter'
          ? deps.meter.createUpDownCounter(name, options)
          : deps.meter.createHistogram(name, options);
    instruments.set(key, made);
    return made;
  }

  return {
    span(name, options, fn) {
      const parent = active.getStore() ?? context.active();
      const kind = KINDS[options.kind ?? 'internal'];
      const span = deps.tracer.startSpan(
        name,
        { kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
        parent,
      );
      const inside = trace.setSpan(parent, span);
      const run = async (): Promise<Awaited<ReturnType<typeof fn>>> => {
        try {
          return await fn({ set: (key, value) => span.setAttribute(key, value) });
        } catch (error) {
          const type = errorType(error);
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: type });
          throw error;
        } finally {
          span.end();
        }
      };
      return active.run(inside, () => context.with(inside, run));
    },
    add(metric, value, attributes) {
      (instrument(metric) as Counter).add(value, attributes);
    },
    record(metric, value, attributes) {
      (instrument(metric) as Histogram).record(value, attributes);
    },
  };
}
