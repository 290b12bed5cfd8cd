/** Throttling limits and retry bounds for the Graph client; defaults are Microsoft's published limits (graph-api.md §13). */
export interface GraphLimits {
  /** Identity & access reports (auditLogs, reports): requests per sliding window, per tenant. */
  reports: { requests: number; windowMs: number };
  /** Identity & access (users, groups, …): resource-unit token bucket refilled over the window. */
  identity: { resourceUnits: number; windowMs: number };
  /** Outlook (mailFolders, messageRules, mailboxSettings): requests in flight at once. */
  outlook: { concurrent: number };
  /** Identity Protection and Conditional Access: requests per window, for all apps in the tenant. */
  identityProtection: { requests: number; windowMs: number };
  /** Added to sliding windows: our start times and Graph's arrival times differ by network jitter. */
  windowMarginMs: number;
  /** Retries of a retry-safe request after 503/504/timeout. */
  maxRetries: number;
  /** Retries after 429 before giving up with graph_throttled. */
  maxThrottleRetries: number;
  /** Exponential backoff when no Retry-After is given: base and cap of the delay. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited out: the call fails with graph_throttled. */
  maxRetryAfterMs: number;
}

/** Published limits; identity uses the small-tenant bucket (3,500 RU / 10 s) so we stay under it on any tenant. */
export const defaultGraphLimits: GraphLimits = {
  reports: { requests: 5, windowMs: 10_000 },
  identity: { resourceUnits: 3_500, windowMs: 10_000 },
  outlook: { concurrent: 4 },
  identityProtection: { requests: 1, windowMs: 1_000 },
  windowMarginMs: 250,
  maxRetries: 3,
  maxThrottleRetries: 6,
  backoffBaseMs: 2_000,
  backoffMaxMs: 32_000,
  maxRetryAfterMs: 120_000,
};

/** Merge caller overrides over the defaults. */
export function resolveLimits(overrides: Partial<GraphLimits> = {}): GraphLimits {
  return { ...defaultGraphLimits, ...overrides };
}
