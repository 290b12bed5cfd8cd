import { z } from 'zod';
import type { AuditRecord } from '../services/audit/audit-log';
import type { ApprovalRecord } from '../services/approvals/types';
import { adaptiveCard, heading, runs, text, untrusted, verbButton } from './elements';
import type { AdaptiveCard, CardElement, Part } from './elements';
import { own, relativeTime } from './text';

const line = (parts: Part[]): CardElement => runs(parts, { spacing: 'Small', max: 160 });

/** What the list's Previous/Next buttons carry (verb approvals.page). */
export const approvalListPageSchema = z.object({ page: z.number().int().min(0).max(10_000) });

// Teams refuses messages above about 28 KB; a row is at most ~600 bytes of JSON with the longest names, so a page of
// 25 stays near 16 KB whatever the requests hold.
export const APPROVAL_LIST_PAGE_SIZE = 25;

function pageButton(title: string, page: number): CardElement {
  return verbButton(title, 'approvals.page', { page });
}

/** `approvals`: requests waiting for a decision or running, one page at a time (oldest first). */
export function approvalListCard(records: readonly ApprovalRecord[], nowMs: number, page = 0): AdaptiveCard {
  const pages = Math.max(1, Math.ceil(records.length / APPROVAL_LIST_PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = records.slice(current * APPROVAL_LIST_PAGE_SIZE, (current + 1) * APPROVAL_LIST_PAGE_SIZE);
  const of = pages > 1 ? own` — page ${current + 1} of ${pages}` : own('');
  const body: CardElement[] = [heading(own`Open approval requests (${records.length})${of}`)];
  if (records.length === 0) body.push(text(own('None: nothing is waiting for a decision.')));
  for (const r of shown) {
    body.push(
      line([
        own`${r.action} `,
        r.target.upn,
        own` — ${r.state}, requested by `,
        r.requester.name ?? r.requester.aadObjectId,
        { text: own` ${relativeTime(r.createdAt, nowMs)}, expires ${relativeTime(r.expiresAt, nowMs)}`, subtle: true },
      ]),
    );
  }
  const actions = [
    ...(current > 0 ? [pageButton('Previous', current - 1)] : []),
    ...(current < pages - 1 ? [pageButton('Next', current + 1)] : []),
  ];
  return adaptiveCard(body, actions);
}

/** `audit <upn>`: the bot's audit trail for one user, newest first, with the chain check result. */
export function approvalAuditCard(
  upn: string,
  records: readonly AuditRecord[],
  chain: { ok: true; count: number } | { ok: false; brokenAtSeq: number; reason: string },
  nowMs: number,
): AdaptiveCard {
  const body: CardElement[] = [heading(own('Audit trail')), untrusted(upn, { mono: true })];
  body.push(
    chain.ok
      ? text(own`Hash chain verified (${chain.count} records in the whole trail): no record was edited or removed.`, {
          color: 'Good',
        })
      : runs(
          [
            own`Hash chain BROKEN at record ${chain.brokenAtSeq} (`,
            chain.reason,
            own`): the trail was tampered with.`,
          ].map((part) => ({ text: part, color: 'Attention' })),
        ),
  );
  if (records.length === 0) body.push(text(own('No records for this user.')));
  for (const r of records) {
    const d = r.details ?? {};
    const decided = typeof d.decidedByName === 'string' ? `, decided by ${d.decidedByName}` : '';
    body.push(
      line([
        `#${r.seq} ${r.action} → ${r.outcome}`,
        own` by `,
        `${r.actor.name ?? r.actor.aadObjectId ?? 'unknown'}${decided}`,
        { text: own` ${relativeTime(Date.parse(r.at), nowMs)}`, subtle: true },
        ...(typeof d.steps === 'string' && d.steps !== '' ? [{ text: ` · ${d.steps}`, subtle: true }] : []),
      ]),
    );
  }
  return adaptiveCard(body);
}
