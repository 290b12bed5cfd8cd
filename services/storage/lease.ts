import type { Clock } from '../clock';
import type { Storage } from './port';

/** A time-limited claim on a key, so one instance among several does a piece of work (poller, sweep). */
export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
  version: string;
}

interface LeaseValue {
  owner: string;
  expiresAt: number;
}

/**
 * Takes the lease when it is free, expired, or already ours; returns null when another owner holds it.
 * Conditional writes make two instances racing for it end with exactly one holder.
 */
export async function acquireLease(
  storage: Storage,
  key: string,
  owner: string,
  ttlMs: number,
  clock: Clock,
): Promise<Lease | null> {
  const now = clock.now();
  const current = await storage.get<LeaseValue>(key);
  if (current && current.value.owner !== owner && current.value.expiresAt > now) return null;
  const value = { owner, expiresAt: now + ttlMs };
  const result = await storage.put(key, value, current ? { ifVersion: current.version } : { ifAbsent: true });
  return result.ok ? { key, ...value, version: result.item.version } : null;
}

/** Extends a lease we hold; null means it was lost (expired and taken), so the work must stop. */
export async function renewLease(storage: Storage, lease: Lease, ttlMs: number, clock: Clock): Promise<Lease | null> {
  const value = { owner: lease.owner, expiresAt: clock.now() + ttlMs };
  const result = await storage.put(lease.key, value, { ifVersion: lease.version });
  return result.ok ? { ...lease, ...value, version: result.item.version } : null;
}

/** Gives a lease up early (only if still ours). */
export async function releaseLease(storage: Storage, lease: Lease): Promise<void> {
  await storage.delete(lease.key, { ifVersion: lease.version });
}

/** Who holds a lease now, if anyone. */
export async function readLease(
  storage: Storage,
  key: string,
  clock: Clock,
): Promise<{ owner: string; expiresAt: number } | null> {
  const current = await storage.get<LeaseValue>(key);
  return current && current.value.expiresAt > clock.now() ? current.value : null;
}
