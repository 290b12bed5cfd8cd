/** Retry-After parsing and exponential backoff with jitter. */

/** Milliseconds to wait from a Retry-After value: delta-seconds (fractional allowed, as Graph sends `2.128`) or an HTTP-date. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * "Equal jitter" exponential backoff: half of the capped exponential delay is fixed and half is random, so
 * successive waits always grow (until the cap) while concurrent clients still spread out.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
