/** Is a pasted "Request to reset user's password" email genuine? Headers × sender and link domains × the audit trail. Pure. */
import { resultFor, type AuthenticationResults } from '../mail/authentication-results';
import {
  judgeDomain,
  linkHosts,
  MICROSOFT_LINK_DOMAINS,
  SSPR_SENDER_DOMAIN,
  type DomainJudgement,
} from '../mail/domains';
import type { PastedEmail } from '../mail/paste';
import type { ContactAdminReason, SsprAttempt } from './sspr';

/** The email is sent when the user clicks "contact your administrator", so the flow starts shortly before it. */
export const FLOW_BEFORE_EMAIL_MS = 2 * 3600_000;
/** Audit records can land minutes late and clocks differ: allow the flow to appear a little after the email. */
export const FLOW_AFTER_EMAIL_MS = 15 * 60_000;
/** Without a Date header the email's time is unknown: look back this far from now instead. */
export const UNDATED_LOOKBACK_MS = 24 * 3600_000;

export type HeaderCheck =
  | { kind: 'absent' }
  | { kind: 'missing-results'; lowerHeaders: number }
  | {
      kind: 'present';
      spf: string | null;
      dkim: string | null;
      dmarc: string | null;
      compauth: string | null;
      /** header.from / header.d / smtp.mailfrom, where the header names them. */
      domains: string[];
      aligned: boolean;
      allPass: boolean;
    };

export type NamedUser =
  | { kind: 'none' }
  | { kind: 'not-found'; address: string }
  | { kind: 'found'; address: string; upn: string; displayName: string | null; attempts: SsprAttempt[] };

/** What makes the email suspicious, or what is missing to call it. Each reason is rendered by the card. */
export type CheckReason =
  | { kind: 'auth-failed'; method: 'spf' | 'dkim' | 'dmarc' | 'compauth'; result: string }
  | { kind: 'auth-domain-mismatch'; domains: string[] }
  | { kind: 'no-headers' }
  | { kind: 'no-auth-results'; lowerHeaders: number }
  | { kind: 'sender'; address: string; judgement: DomainJudgement }
  | { kind: 'link'; host: string; judgement: DomainJudgement }
  | { kind: 'user-not-found'; address: string }
  | { kind: 'no-user-named' }
  | { kind: 'no-sspr-activity'; windowStart: number; windowEnd: number }
  | { kind: 'flow-without-contact-admin'; attempt: SsprAttempt }
  | { kind: 'truncated' };

export type ResetEmailVerdict = 'genuine' | 'suspicious' | 'cant-tell';

export interface ResetEmailCheck {
  verdict: ResetEmailVerdict;
  /** Suspicious signs (for `suspicious`) or gaps (for `cant-tell`); empty for `genuine`. */
  reasons: CheckReason[];
  headers: HeaderCheck;
  sender: { address: string; judgement: DomainJudgement } | null;
  links: { host: string; judgement: DomainJudgement }[];
  user: NamedUser;
  /** The attempt that explains the email: the user submitted their id and failed into "contact your administrator". */
  matchingAttempt: SsprAttempt | null;
  contactAdmin: ContactAdminReason | null;
  emailTime: number | null;
  window: { start: number; end: number };
}

const PASS = 'pass';

/** Judge the topmost Authentication-Results: every method must pass, for microsoftonline.com. */
export function checkHeaders(email: PastedEmail): HeaderCheck {
  if (!email.hasHeaders) return { kind: 'absent' };
  if (!email.authResults) return { kind: 'missing-results', lowerHeaders: email.lowerAuthResults };
  const ar: AuthenticationResults = email.authResults;
  const get = (m: string): string | null => resultFor(ar, m)?.result ?? null;
  const domains = [
    ...new Set(
      ['dmarc:header.from', 'dkim:header.d', 'spf:smtp.mailfrom']
        .map((k) => {
          const [method, prop] = k.split(':') as [string, string];
          const value = resultFor(ar, method)?.props[prop];
          return value?.includes('@') ? value.split('@').pop() : value;
        })
        .filter((d): d is string => typeof d === 'string' && d.length > 0),
    ),
  ];
  const aligned = domains.length > 0 && domains.every((d) => judgeDomain(d, [SSPR_SENDER_DOMAIN]) === 'trusted');
  const [spf, dkim, dmarc, compauth] = [get('spf'), get('dkim'), get('dmarc'), get('compauth')];
  return {
    kind: 'present',
    spf,
    dkim,
    dmarc,
    compauth,
    domains,
    aligned,
    allPass: [spf, dkim, dmarc, compauth].every((r) => r === PASS),
  };
}

/** The attempt window around the email: from shortly before it to a little after (or the last day if undated). */
export function flowWindow(emailTime: number | null, now: number): { start: number; end: number } {
  if (emailTime === null) return { start: now - UNDATED_LOOKBACK_MS, end: now };
  return { start: emailTime - FLOW_BEFORE_EMAIL_MS, end: emailTime + FLOW_AFTER_EMAIL_MS };
}

/** Judge the pasted email. `user` is the tenant's answer for the address the email names. */
export function checkResetEmail(email: PastedEmail, user: NamedUser, now: number): ResetEmailCheck {
  const suspicious: CheckReason[] = [];
  const gaps: CheckReason[] = [];
  const headers = checkHeaders(email);
  if (headers.kind === 'absent') gaps.push({ kind: 'no-headers' });
  else if (headers.kind === 'missing-results')
    gaps.push({ kind: 'no-auth-results', lowerHeaders: headers.lowerHeaders });
  else {
    for (const [method, result] of [
      ['spf', headers.spf],
      ['dkim', headers.dkim],
      ['dmarc', headers.dmarc],
      ['compauth', headers.compauth],
    ] as const) {
      if (result !== PASS) suspicious.push({ kind: 'auth-failed', method, result: result ?? 'missing' });
    }
    if (!headers.aligned) suspicious.push({ kind: 'auth-domain-mismatch', domains: headers.domains });
  }

  const sender = email.from
    ? {
        address: email.from.address,
        judgement: judgeDomain(email.from.address.split('@').pop() ?? '', [SSPR_SENDER_DOMAIN]),
      }
    : null;
  if (sender && sender.judgement !== 'trusted') suspicious.push({ kind: 'sender', ...sender });

  const links = linkHosts(email.text, email.html).map((host) => ({
    host,
    judgement: judgeDomain(host, MICROSOFT_LINK_DOMAINS),
  }));
  for (const link of links) if (link.judgement !== 'trusted') suspicious.push({ kind: 'link', ...link });

  const window = flowWindow(email.date, now);
  let matchingAttempt: SsprAttempt | null = null;
  if (user.kind === 'none') gaps.push({ kind: 'no-user-named' });
  else if (user.kind === 'not-found') suspicious.push({ kind: 'user-not-found', address: user.address });
  else {
    const inWindow = user.attempts.filter((a) => {
      const t = Date.parse(a.start);
      return t >= window.start && t <= window.end;
    });
    matchingAttempt = inWindow.find((a) => a.submittedUserId && a.outcome === 'contact-admin') ?? null;
    const entered = inWindow.find((a) => a.submittedUserId);
    if (!matchingAttempt && !entered) {
      suspicious.push({ kind: 'no-sspr-activity', windowStart: window.start, windowEnd: window.end });
    } else if (!matchingAttempt && entered) {
      gaps.push({ kind: 'flow-without-contact-admin', attempt: entered });
    }
  }
  if (email.truncated) gaps.push({ kind: 'truncated' });

  const verdict: ResetEmailVerdict =
    suspicious.length > 0 ? 'suspicious' : gaps.length > 0 || !matchingAttempt ? 'cant-tell' : 'genuine';
  return {
    verdict,
    reasons: verdict === 'suspicious' ? [...suspicious, ...gaps] : gaps,
    headers,
    sender,
    links,
    user,
    matchingAttempt,
    contactAdmin: matchingAttempt?.contactAdmin ?? null,
    emailTime: email.date,
    window,
  };
}

const ADDRESS = /[A-Za-z0-9._%+'!#$&*=?^`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;
const LABELLED = /(user\s*(id|name)?|account|username|upn|sign-in name)\s*[:：]\s*/i;

/**
 * The address of the user the email is about: one after a "User ID:"-style label, else the first address in the body
 * that is neither the sender, a recipient we were told about, nor a Microsoft address.
 */
export function namedUserAddress(email: PastedEmail, exclude: readonly string[] = []): string | null {
  const skip = new Set([...(email.from ? [email.from.address] : []), ...exclude].map((a) => a.toLowerCase()));
  const usable = (a: string): boolean =>
    !skip.has(a.toLowerCase()) && judgeDomain(a.split('@').pop() ?? '', MICROSOFT_LINK_DOMAINS) !== 'trusted';
  const body = email.text.slice(0, 64 * 1024);
  for (const line of body.split('\n')) {
    if (!LABELLED.test(line)) continue;
    const found = line.match(ADDRESS)?.find(usable);
    if (found) return found.toLowerCase();
  }
  return body.match(ADDRESS)?.find(usable)?.toLowerCase() ?? null;
}
