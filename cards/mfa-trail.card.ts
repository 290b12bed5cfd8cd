/** Card pieces for audit-trail evidence: one line per record, Graph strings only in TextRuns. Pure. */
import type { TrailEntry } from '../services/identity/mfa-trail';
import { sanitizeUntrusted } from '../services/text';
import type { CardElement } from './elements';
import { formatTime } from './format';

/** A TextRun; `own` text is ours, anything else is sanitised and capped. */
export function run(value: string, options: { own?: boolean; subtle?: boolean; bold?: boolean; mono?: boolean } = {}) {
  return {
    type: 'TextRun',
    text: options.own ? value : sanitizeUntrusted(value, 160),
    ...(options.subtle ? { isSubtle: true } : {}),
    ...(options.bold ? { weight: 'Bolder' } : {}),
    ...(options.mono ? { fontType: 'Monospace' } : {}),
  };
}

/** A line made of runs (RichTextBlock never renders markdown). */
export function line(inlines: Record<string, unknown>[], spacing = 'None'): CardElement {
  return { type: 'RichTextBlock', spacing, inlines };
}

function decoded(entry: TrailEntry): string {
  const parts: string[] = [];
  if (entry.strongAuth) {
    const after = entry.strongAuth.added.length > 0 ? `added ${entry.strongAuth.added.join(', ')}` : '';
    const removed = entry.strongAuth.removed.length > 0 ? `removed ${entry.strongAuth.removed.join(', ')}` : '';
    const changes = [after, removed].filter(Boolean).join('; ');
    parts.push(`StrongAuthenticationMethod: ${changes || 'unchanged'}`);
    if (entry.strongAuth.defaultAfter) parts.push(`default ${entry.strongAuth.defaultAfter}`);
  } else if (entry.kind === 'strong-auth-update') {
    parts.push('no StrongAuthenticationMethod change');
  }
  if (entry.phoneApp) {
    if (entry.phoneApp.usageOnly) parts.push('Authenticator used (timestamp only)');
    else if (entry.phoneApp.added.length > 0) parts.push(`Authenticator device added (${entry.phoneApp.added.length})`);
    if (entry.phoneApp.removed.length > 0)
      parts.push(`Authenticator device removed (${entry.phoneApp.removed.length})`);
  }
  return parts.join(' · ');
}

/** One audit record: time, activity, result, reason, IP, and decoded StrongAuthentication* values. */
export function trailLine(entry: TrailEntry, nowMs: number): CardElement {
  const inlines: Record<string, unknown>[] = [
    run(`${formatTime(entry.at, nowMs)} — `, { own: true, subtle: true }),
    run(entry.activity, { bold: true }),
  ];
  if (!entry.succeeded) inlines.push(run(' (failed)', { own: true }));
  if (entry.resultReason) inlines.push(run(' — ', { own: true }), run(entry.resultReason));
  if (entry.ipAddress) inlines.push(run(' from ', { own: true }), run(entry.ipAddress, { mono: true }));
  const extra = decoded(entry);
  if (extra) inlines.push(run(` — ${extra}`, { own: true, subtle: true }));
  return line(inlines);
}

/** The newest `max` records, newest first, with a count of what was left out. */
export function trailLines(entries: readonly TrailEntry[], nowMs: number, max = 8): CardElement[] {
  const newest = [...entries].reverse().slice(0, max);
  const out = newest.map((e) => trailLine(e, nowMs));
  if (entries.length > max) out.push(line([run(`… and ${entries.length - max} older records`, { own: true })]));
  return out;
}
