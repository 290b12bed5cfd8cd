/**
 * What `report mfa` reads once for the whole tenant: the policies (one `$batch`), the members of every group they
 * target (expanded once), and the registration report (paged in the background, rows handed to users as they come).
 */
import type { GraphClient } from '../../graph/client';
import { endpoints } from '../../graph/endpoints';
import { readAll, readBatch, readPages } from '../../graph/read';
import type { UserRegistrationDetails } from '../../graph/schemas';
import { policyReads, type TenantPolicies } from '../mfa-evidence';
import { targetGroupIds } from './judge';

/** The tenant policies, read in one `$batch` at background priority. */
export async function readTenantPolicies(graph: GraphClient, signal?: AbortSignal): Promise<TenantPolicies> {
  const replies = await readBatch(graph, policyReads, { priority: 'background', ...(signal ? { signal } : {}) });
  return {
    methodsPolicy: replies.value('methodsPolicy'),
    authorizationPolicy: replies.value('authorizationPolicy'),
    caPolicies: replies.value('caPolicies').value,
  };
}

/** Each targeted group's transitive user members: a user's groups are looked up here instead of per user. */
export interface GroupIndex {
  /** The targeted groups the user is a member of (lower case). */
  groupsOf(userId: string): Set<string>;
  readonly groups: number;
}

export async function expandTargetGroups(
  graph: GraphClient,
  policies: TenantPolicies,
  signal?: AbortSignal,
): Promise<GroupIndex> {
  const members = new Map<string, Set<string>>();
  for (const groupId of targetGroupIds(policies)) {
    const read = endpoints.groupMemberIds.at({ group: groupId });
    const { items } = await readAll(graph, read, { priority: 'background', ...(signal ? { signal } : {}) });
    members.set(groupId, new Set(items.map((m) => m.id.toLowerCase())));
  }
  return {
    groupsOf(userId) {
      const id = userId.toLowerCase();
      const out = new Set<string>();
      for (const [groupId, set] of members) if (set.has(id)) out.add(groupId);
      return out;
    },
    groups: members.size,
  };
}

/**
 * The registration report, read page by page in the background while users are judged. `rowOf` answers a user's
 * row as soon as its page has arrived (or null once the report is complete without one); a row is handed out once
 * and then dropped, so memory holds only rows read ahead of their users.
 */
export interface RegistrationIndex {
  rowOf(userId: string): Promise<UserRegistrationDetails | null>;
  /** A user whose row is not needed (counted apart, or done before a restart). */
  discard(userId: string): void;
  readonly done: Promise<void>;
  readonly pending: number;
}

export function startRegistrationIndex(
  graph: GraphClient,
  opts: {
    signal?: AbortSignal;
    skip?: ReadonlySet<string>;
    /** Reading starts once this settles: another reports-class read that must come first (the audit evidence). */
    after?: Promise<unknown>;
  } = {},
): RegistrationIndex {
  const rows = new Map<string, UserRegistrationDetails>();
  const waiters = new Map<
    string,
    { resolve: (r: UserRegistrationDetails | null) => void; reject: (e: unknown) => void }[]
  >();
  const discarded = new Set<string>(opts.skip ?? []);
  let complete = false;
  let failure: unknown = null;
  const done = (async () => {
    try {
      await opts.after?.catch(() => undefined);
      const read = endpoints.registrationReport.at({});
      const pages = readPages(graph, read, { priority: 'background', ...(opts.signal ? { signal: opts.signal } : {}) });
      for await (const page of pages) {
        for (const row of page.items) {
          const id = row.id.toLowerCase();
          const waiting = waiters.get(id);
          if (waiting) {
            waiters.delete(id);
            for (const w of waiting) w.resolve(row);
          } else if (!discarded.has(id)) rows.set(id, row);
          else discarded.delete(id);
        }
      }
      complete = true;
      for (const list of waiters.values()) for (const w of list) w.resolve(null);
    } catch (error) {
      failure = error;
      for (const list of waiters.values()) for (const w of list) w.reject(error);
    }
    waiters.clear();
  })();
  return {
    rowOf(userId) {
      const id = userId.toLowerCase();
      const row = rows.get(id);
      if (row) {
        rows.delete(id);
        return Promise.resolve(row);
      }
      if (failure !== null)
        return Promise.reject(failure instanceof Error ? failure : new Error('registration report read failed'));
      if (complete) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const list = waiters.get(id) ?? [];
        list.push({ resolve, reject });
        waiters.set(id, list);
      });
    },
    discard(userId) {
      const id = userId.toLowerCase();
      if (!rows.delete(id) && !complete) discarded.add(id);
    },
    done,
    get pending() {
      return rows.size;
    },
  };
}
