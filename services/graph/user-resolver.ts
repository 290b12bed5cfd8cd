/**
 * UPN → object id, remembered for a while so a user asked about again is addressed by id (one round trip: the
 * audit log can only be filtered by target id). A UPN can be re-assigned (a leaver's UPN given to a new user, or a
 * rename), so a mapping expires after `ttlMs`, the map holds at most `maxEntries`, and a read that finds the id now
 * answering to another UPN drops it (see `confirm`).
 */
import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { UserId, UserRef } from '../ids';
import type { GraphClient } from './client';
import { endpoints } from './endpoints';
import { readOne, type ReadOptions } from './read';
import type { UserIdentity } from './schemas/user';

export interface UserResolverOptions {
  client: GraphClient;
  clock: Clock;
  /** How long a UPN stays mapped without being seen again (default 15 minutes). */
  ttlMs?: number;
  /** The most mappings kept; the least recently used go first (default 10,000). */
  maxEntries?: number;
}

export interface UserResolver {
  /** The object id for a ref without a Graph call: an id ref's own, or a live mapping; null when unknown. */
  known(ref: UserRef): UserId | null;
  /** The ref to address the user by: the id when known, else the ref itself. */
  address(ref: UserRef): UserRef;
  /** The object id: a live mapping, else one `userIdentity` read (concurrent asks for one UPN share it). */
  resolve(ref: UserRef, opts?: ReadOptions): Promise<UserId>;
  /** Record the id a read returned for a UPN. */
  remember(upn: string, id: string): void;
  /**
   * Check a user read through `address(ref)` is the one asked for. When the ref was a UPN mapped to an id that now
   * answers to another UPN, the mapping is dropped and false returned: the caller reads again by UPN.
   */
  confirm(ref: UserRef, user: Pick<UserIdentity, 'id' | 'userPrincipalName'>): boolean;
  /**
   * Run reads about one user addressed by its known id; when the mapping proves stale (the id is gone, or answers to
   * another UPN), drop it and run them once more by the UPN. `userOf` picks the user the reads returned.
   */
  readAbout<T>(
    ref: UserRef,
    run: (address: UserRef) => Promise<T>,
    userOf: (result: T) => Pick<UserIdentity, 'id' | 'userPrincipalName'>,
  ): Promise<T>;
}

const key = (upn: string): string => upn.toLowerCase();

export function createUserResolver(options: UserResolverOptions): UserResolver {
  const ttlMs = options.ttlMs ?? 15 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  // Insertion order is recency order: a hit or a write re-inserts the entry at the end.
  const ids = new Map<string, { id: UserId; expires: number }>();
  const inFlight = new Map<string, Promise<UserId>>();

  const lookup = (upn: string): UserId | null => {
    const k = key(upn);
    const hit = ids.get(k);
    if (!hit) return null;
    if (hit.expires <= options.clock.now()) {
      ids.delete(k);
      return null;
    }
    ids.delete(k);
    ids.set(k, hit);
    return hit.id;
  };

  const remember = (upn: string, id: string): void => {
    const k = key(upn);
    ids.delete(k);
    ids.set(k, { id: id.toLowerCase() as UserId, expires: options.clock.now() + ttlMs });
    while (ids.size > maxEntries) {
      const oldest = ids.keys().next().value;
      if (oldest === undefined) break;
      ids.delete(oldest);
    }
  };

  const known = (ref: UserRef): UserId | null => (ref.kind === 'id' ? ref.id : lookup(ref.upn));
  const address = (ref: UserRef): UserRef => {
    const id = known(ref);
    return id === null || ref.kind === 'id' ? ref : { kind: 'id', id };
  };
  const confirm: UserResolver['confirm'] = (ref, user) => {
    if (ref.kind === 'id') return true;
    if (key(user.userPrincipalName) === key(ref.upn)) {
      remember(ref.upn, user.id);
      return true;
    }
    ids.delete(key(ref.upn));
    return false;
  };

  return {
    known,
    address,
    confirm,
    async readAbout(ref, run, userOf) {
      const by = address(ref);
      if (by === ref) {
        const result = await run(ref);
        confirm(ref, userOf(result));
        return result;
      }
      try {
        const result = await run(by);
        if (confirm(ref, userOf(result))) return result;
      } catch (error) {
        if (!isCodedError(error, 'user_not_found')) throw error;
        if (ref.kind === 'upn') ids.delete(key(ref.upn));
      }
      const result = await run(ref);
      confirm(ref, userOf(result));
      return result;
    },
    async resolve(ref, opts = {}) {
      const id = known(ref);
      if (id !== null) return id;
      if (ref.kind === 'id') return ref.id;
      const k = key(ref.upn);
      const pending = inFlight.get(k);
      if (pending) return pending;
      const read = readOne(options.client, endpoints.userIdentity.at({ user: ref }), opts)
        .then((user) => {
          remember(ref.upn, user.id);
          return user.id.toLowerCase() as UserId;
        })
        .finally(() => inFlight.delete(k));
      inFlight.set(k, read);
      return read;
    },
    remember,
  };
}
