import type { Clock } from '../clock';
import { CodedError, isCodedError } from '../errors';
import { throttleClassOrder } from './classify';
import type { ThrottleClass } from './classify';
import type { GraphLimits } from './limits';
import { createClassScheduler } from './scheduler';
import type { ClassScheduler, Priority, Release } from './scheduler';
import { concurrencyPolicy, slidingWindowPolicy, tokenBucketPolicy, unlimitedPolicy } from './throttle-policies';

/** The budget a request takes from the schedulers; `$batch` passes the sum of its inner requests. */
export type Budget = readonly { throttleClass: ThrottleClass; weight: number }[];

export type ClassSchedulers = Readonly<Record<ThrottleClass, ClassScheduler>>;

/** One scheduler per throttling class, configured from the limits. */
export function createSchedulers(limits: GraphLimits, clock: Clock): ClassSchedulers {
  const margin = limits.windowMarginMs;
  return {
    reports: createClassScheduler(
      slidingWindowPolicy(limits.reports.requests, limits.reports.windowMs + margin),
      clock,
      { perRequestMs: (limits.reports.windowMs + margin) / limits.reports.requests },
    ),
    identityProtection: createClassScheduler(
      slidingWindowPolicy(limits.identityProtection.requests, limits.identityProtection.windowMs + margin),
      clock,
      { perRequestMs: (limits.identityProtection.windowMs + margin) / limits.identityProtection.requests },
    ),
    identity: createClassScheduler(
      tokenBucketPolicy(limits.identity.resourceUnits, limits.identity.windowMs, clock.now()),
      clock,
    ),
    outlook: createClassScheduler(concurrencyPolicy(limits.outlook.concurrent), clock),
    other: createClassScheduler(unlimitedPolicy(), clock),
  };
}

/** Take a budget class by class in a fixed order, so two batches needing several classes cannot deadlock. */
export async function acquireBudget(
  schedulers: ClassSchedulers,
  budget: Budget,
  priority: Priority,
  signal?: AbortSignal,
): Promise<Release[]> {
  const releases: Release[] = [];
  let current: ThrottleClass | null = null;
  try {
    for (const cls of throttleClassOrder) {
      current = cls;
      const weight = budget.filter((b) => b.throttleClass === cls).reduce((n, b) => n + b.weight, 0);
      if (weight > 0) releases.push(await schedulers[cls].acquire(weight, priority, signal));
    }
  } catch (err) {
    for (const r of releases) r();
    // The scheduler does not know its own class; the caller's reply names the budget that is full.
    if (isCodedError(err, 'graph_busy'))
      throw new CodedError('graph_busy', err.message, { ...err.details, throttleClass: current });
    throw err;
  }
  return releases;
}
