/** Values a span or a metric point carries. Never a UPN, a token or any text a user or Graph supplied. */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/** How a span relates to the outside: the bot serving a turn, the bot calling out (Graph), or work inside. */
export type SpanKind = 'server' | 'client' | 'internal';

/** What a span is about; Azure Monitor files server spans as requests and client spans as dependencies. */
export interface SpanOptions {
  kind?: SpanKind;
  attributes?: TelemetryAttributes;
}

/** A span in progress: attributes learned while it runs (Graph's request-id, the HTTP status). */
export interface SpanHandle {
  set(key: string, value: string | number | boolean): void;
}

/** The bot's metrics: one definition each, so the OpenTelemetry instruments and the dashboards agree. */
export const METRICS = {
  /** Messages waiting or being sent in the per-thread Teams send queues (+1 queued, −1 settled). */
  sendQueueDepth: {
    name: 'secbot.send_queue.depth',
    kind: 'upDownCounter',
    unit: '{message}',
    description: 'Messages queued or in flight in the per-thread Teams send queues',
  },
  /** Graph answers of 429 Too Many Requests (each one, including those retried). */
  graphThrottled: {
    name: 'secbot.graph.throttled',
    kind: 'counter',
    unit: '{response}',
    description: 'Graph responses with status 429',
  },
  /** From the audit record's time (or the alert's detection) to its card posted in a channel. */
  alertLag: {
    name: 'secbot.alert.lag',
    kind: 'histogram',
    unit: 'ms',
    description: 'Time from the event behind an alert to its card in the channel',
  },
  /** From the approver's decision to the end of the approved action (done, failed or unknown). */
  approvalDecisionToDone: {
    name: 'secbot.approval.decision_to_done',
    kind: 'histogram',
    unit: 'ms',
    description: 'Time from an approval decision to the end of the approved action',
  },
} as const;

export type MetricKey = keyof typeof METRICS;
type KeysOfKind<K extends string> = { [M in MetricKey]: (typeof METRICS)[M]['kind'] extends K ? M : never }[MetricKey];
/** Metrics that are added to (counters). */
export type SumMetric = KeysOfKind<'counter' | 'upDownCounter'>;
/** Metrics that record a distribution (histograms, in ms). */
export type DistributionMetric = KeysOfKind<'histogram'>;

/**
 * Traces and metrics, as the Graph client, the turn handler, the send queue, alerts and approvals see them.
 * The default is noopTelemetry; with APPLICATIONINSIGHTS_CONNECTION_STRING set, OpenTelemetry (telemetry/otel.ts).
 */
export interface Telemetry {
  /**
   * Runs `fn` in a span named `name`, a child of the span the caller runs in. The span ends when `fn` settles; a
   * failure marks it as an error with the error's code (never its message, which may quote user input).
   */
  span<T>(name: string, options: SpanOptions, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
  /** Adds `value` to a counter. */
  add(metric: SumMetric, value: number, attributes?: TelemetryAttributes): void;
  /** Records one value of a distribution. */
  record(metric: DistributionMetric, value: number, attributes?: TelemetryAttributes): void;
}

const noopSpan: SpanHandle = { set: () => undefined };

/** Telemetry that records nothing and loads nothing: the default whenever none is configured. */
export const noopTelemetry: Telemetry = {
  span: (_name, _options, fn) => fn(noopSpan),
  add: () => undefined,
  record: () => undefined,
};
