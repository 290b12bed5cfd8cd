import type { Alert } from '../services/alerts/types';
import { RULE_TEXT, SEVERITY_TEXT } from './alert-text';
import { adaptiveCard, runs, text } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { joinOwn, own } from './text';

/** Teams rejects messages over ~28 KB (413 MessageSizeTooBig); digests stay well under it. */
export const DIGEST_MAX_BYTES = 24_000;

function alertLine(alert: Alert): CardElement {
  const who = alert.subject.upn ?? alert.subject.displayName ?? alert.subject.id ?? 'unknown';
  const time = alert.occurredAt.replace('T', ' ').slice(0, 19);
  return runs(
    // Three runs a line (digests pack up to 24 KB): the time and the IP travel with our separators, sanitised.
    [
      { text: `${time} · ${RULE_TEXT[alert.rule].title} · `, subtle: true },
      { text: who, bold: true },
      ...(alert.ip ? [{ text: ` · ${alert.ip}`, mono: true, max: 48 }] : []),
    ],
    { spacing: 'None', max: 120 },
  );
}

function header(alerts: readonly Alert[], part: number, parts: number): CardElement[] {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  const worst =
    (['high', 'medium', 'low', 'info'] as const).find((s) => alerts.some((a) => a.severity === s)) ?? 'info';
  const summary = joinOwn(
    [...counts.entries()].map(([rule, n]) => own`${n} × ${RULE_TEXT[rule as Alert['rule']].title}`),
    own`; `,
  );
  return [
    text(own`${SEVERITY_TEXT[worst]} · Alert digest ${part}/${parts}: ${alerts.length} alerts`, {
      size: 'Medium',
      weight: 'Bolder',
    }),
    text(own`Many alerts arrived at once, so they are listed together. ${summary}.`, { isSubtle: true }),
  ];
}

/** Splits alerts into digest cards, each under DIGEST_MAX_BYTES; every alert is in exactly one card. */
export function alertDigestCards(alerts: readonly Alert[]): { card: AdaptiveCard; alertIds: string[] }[] {
  const groups: Alert[][] = [];
  let current: Alert[] = [];
  let size = 2_000;
  for (const alert of alerts) {
    const lineSize = JSON.stringify(alertLine(alert)).length;
    if (current.length > 0 && size + lineSize > DIGEST_MAX_BYTES) {
      groups.push(current);
      current = [];
      size = 2_000;
    }
    current.push(alert);
    size += lineSize;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, i) => ({
    card: adaptiveCard(
      [...header(group, i + 1, groups.length), ...group.map(alertLine)],
      [],
      `Alert digest: ${group.length} alerts`,
    ),
    alertIds: group.map((a) => a.id),
  }));
}
