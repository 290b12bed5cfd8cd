/** Card pieces for audit-trail evidence: one line per record, Graph strings only in TextRuns. Pure. */
import { STRONG_AUTH_METHOD_TYPES, type MethodTypeName, type TrailEntry } from '../services/identity/mfa-trail';
import { runs } from './elements';
import type { CardElement, LineOptions, Part } from './elements';
import { formatTime, joinOwn, own, type Own } from './text';

/** A line of the MFA and investigation cards: tight spacing, Graph strings capped at 160. */
export const line = (parts: Part[], options: LineOptions = {}): CardElement =>
  runs(parts, { spacing: 'None', max: 160, ...options });

// A MethodType name is ours (an entry of the list, or MethodType<n> for an index it lacks), never Graph's text.
function methodName(name: MethodTypeName): Own {
  const known = STRONG_AUTH_METHOD_TYPES.find((k) => k === name);
  return known === undefined ? own`MethodType${Number(name.slice('MethodType'.length))}` : own(known);
}

function decoded(entry: TrailEntry): Own | null {
  const parts: Own[] = [];
  if (entry.strongAuth) {
    const changes: Own[] = [];
    if (entry.strongAuth.added.length > 0)
      changes.push(own`added ${joinOwn(entry.strongAuth.added.map(methodName), own`, `)}`);
    if (entry.strongAuth.removed.length > 0)
      changes.push(own`removed ${joinOwn(entry.strongAuth.removed.map(methodName), own`, `)}`);
    parts.push(own`StrongAuthenticationMethod: ${changes.length > 0 ? joinOwn(changes, own`; `) : 'unchanged'}`);
    if (entry.strongAuth.defaultAfter) parts.push(own`default ${methodName(entry.strongAuth.defaultAfter)}`);
  } else if (entry.kind === 'strong-auth-update') {
    parts.push(own('no StrongAuthenticationMethod change'));
  }
  if (entry.phoneApp) {
    if (entry.phoneApp.usageOnly) parts.push(own('Authenticator used (timestamp only)'));
    else if (entry.phoneApp.added.length > 0)
      parts.push(own`Authenticator device added (${entry.phoneApp.added.length})`);
    if (entry.phoneApp.removed.length > 0)
      parts.push(own`Authenticator device removed (${entry.phoneApp.removed.length})`);
  }
  return parts.length > 0 ? joinOwn(parts, own` · `) : null;
}

/** One audit record: time, activity, result, reason, IP, and decoded StrongAuthentication* values. */
export function trailLine(entry: TrailEntry, nowMs: number): CardElement {
  const parts: Part[] = [
    { text: own`${formatTime(entry.at, nowMs)} — `, subtle: true },
    { text: entry.activity, bold: true },
  ];
  if (!entry.succeeded) parts.push(own(' (failed)'));
  if (entry.resultReason) parts.push(own(' — '), entry.resultReason);
  if (entry.ipAddress) parts.push(own(' from '), { text: entry.ipAddress, mono: true });
  const extra = decoded(entry);
  if (extra) parts.push({ text: own` — ${extra}`, subtle: true });
  return line(parts);
}

/** The newest `max` records, newest first, with a count of what was left out. */
export function trailLines(entries: readonly TrailEntry[], nowMs: number, max = 8): CardElement[] {
  const newest = [...entries].reverse().slice(0, max);
  const out = newest.map((e) => trailLine(e, nowMs));
  if (entries.length > max) out.push(line([own`… and ${entries.length - max} older records`]));
  return out;
}
