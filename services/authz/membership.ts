import type { Clock } from '../clock';

/** What the bot needs from Graph to authorise a caller: which of these groups the user is in (transitively). */
export interface MemberGroupsPort {
  checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]>;
}

/** A caller's roles in the bot, derived from group membership. */
export interface CallerRoles {
  operator: boolean;
  approver: boolean;
}

export interface MembershipOptions {
  port: MemberGroupsPort;
  clock: Clock;
  operatorsGroupId: string;
  approversGroupId: string;
  ttlMs?: number;
  maxEntries?: number;
}

/** Resolves a caller's roles with one checkMemberGroups call, cached for a few minutes per user. */
export interface MembershipResolver {
  rolesOf(userId: string): Promise<CallerRoles>;
  forget(userId: string): void;
}

export function createMembershipResolver(options: MembershipOptions): MembershipResolver {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { roles: CallerRoles; expires: number }>();
  // Concurrent turns from one user share a single Graph call instead of each issuing their own.
  const inFlight = new Map<string, Promise<CallerRoles>>();

  async function load(userId: string): Promise<CallerRoles> {
    const found = new Set(
      (await options.port.checkMemberGroups(userId, [options.operatorsGroupId, options.approversGroupId])).map((id) =>
        id.toLowerCase(),
      ),
    );
    const roles = {
      operator: found.has(options.operatorsGroupId.toLowerCase()),
      approver: found.has(options.approversGroupId.toLowerCase()),
    };
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(userId, { roles, expires: options.clock.now() + ttlMs });
    return roles;
  }

  return {
    async rolesOf(userId) {
      const hit = cache.get(userId);
      if (hit && hit.expires > options.clock.now()) return hit.roles;
      const pending = inFlight.get(userId);
      if (pending) return pending;
      const promise = load(userId).finally(() => inFlight.delete(userId));
      inFlight.set(userId, promise);
      return promise;
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
}
