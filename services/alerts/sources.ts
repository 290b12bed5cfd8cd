import type { Clock } from '../clock';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readAll } from '../graph/read';
import type { UserResolver } from '../graph/user-resolver';
import type { UserRef } from '../ids';
import type { Logger } from '../log';
import { readInboxRules } from '../mailbox/mailbox-reads';
import { externalForwardingAlert } from './forwarding-rule';
import type { AlertSource } from './poller';
import { riskyUserAlert } from './risky-rule';

// Identity Protection allows 1 request/s per tenant for all apps, without Retry-After (graph-api.md §7).
const RISKY_MIN_GAP_MS = 1_000;

/** Risky users at medium/high whose risk changed inside the poll window; read at most once a second. */
export function riskyUsersSource(graph: GraphClient, clock: Clock): AlertSource {
  let lastRead = -Infinity;
  return async (since) => {
    const wait = lastRead + RISKY_MIN_GAP_MS - clock.now();
    if (wait > 0) await clock.sleep(wait);
    lastRead = clock.now();
    const { items } = await readAll(graph, endpoints.riskyUsers.at({}), { maxPages: 4, priority: 'background' });
    return items.flatMap((u) => riskyUserAlert(u, since) ?? []);
  };
}

/** Inbox rules of the watched mailboxes (rules are not in the directory audit log), checked every poll. */
export function watchedMailboxesSource(options: {
  graph: GraphClient;
  users: UserResolver;
  logger: Logger;
  clock: Clock;
  mailboxes: () => Promise<readonly UserRef[]>;
  verifiedDomains: () => Promise<readonly string[]>;
}): AlertSource {
  return async () => {
    const mailboxes = await options.mailboxes();
    if (mailboxes.length === 0) return [];
    const verified = await options.verifiedDomains();
    const now = options.clock.now();
    const alerts = [];
    for (const ref of mailboxes) {
      const id = await options.users.resolve(ref, { priority: 'background' });
      const upn = ref.kind === 'upn' ? ref.upn : null;
      const read = await readInboxRules(options.graph, id, { priority: 'background' });
      if (read.kind === 'no-mailbox') {
        options.logger.warn(
          { mailbox: upn ?? id },
          'a watched mailbox has no Exchange mailbox; remove it from the watch list',
        );
        continue;
      }
      for (const rule of read.rules) {
        const alert = externalForwardingAlert({ id, upn, displayName: null }, rule, verified, now);
        if (alert) alerts.push(alert);
      }
    }
    return alerts;
  };
}
