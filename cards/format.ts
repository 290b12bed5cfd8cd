/** Formatting helpers for cards: times shown in UTC with a relative hint. Pure (now is passed in). */

const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'year'],
  [30 * 24 * 3600_000, 'month'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
];

export function relativeTime(thenMs: number, nowMs: number): string {
  const delta = nowMs - thenMs;
  const abs = Math.abs(delta);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const label = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return delta >= 0 ? `${label} ago` : `in ${label}`;
    }
  }
  return 'just now';
}

export function formatTime(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'unknown';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'unknown';
  const utc = new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
  return `${utc} UTC (${relativeTime(ms, nowMs)})`;
}
