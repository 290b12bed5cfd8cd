import type { AuditRecord } from '../services/audit/audit-log';
import type { ApprovalRecord } from '../services/approvals/types';
import { adaptiveCard, heading, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, Part } from './elements';
import { own, relativeTime } from './text';

const line = (parts: Part[]): CardElement => runs(parts, { spacing: 'Small', max: 160 });

/** `approvals`: requests waiting for a decision or running. */
export function approvalListCard(records: readonly ApprovalRecord[], nowMs: number): AdaptiveCard {
  const body: CardElement[] = [heading(own`Open approval requests (${records.length})`)];
  if (records.length === 0) body.push(text(own('None: nothing is waiting for a decision.')));
  for (const r of records) {
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
  return adaptiveCard(body);
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
