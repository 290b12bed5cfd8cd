import type { RiskRead } from '../services/identity/sign-ins-read';
import type { SignInConcern, SignInSummary, SignInView } from '../services/identity/sign-ins';
import { adaptiveCard, commandButton, container, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, LineOptions, Part } from './elements';
import { formatTime, own } from './text';

/** How many sign-ins the card lists (the summary counts them all). */
export const SIGN_INS_SHOWN = 10;

const line = (parts: Part[], options: LineOptions = {}): CardElement => runs(parts, { max: 120, ...options });

function concernLine(c: SignInConcern, nowMs: number): CardElement {
  switch (c.kind) {
    case 'user-at-risk':
      return line([own('• Identity Protection marks the user '), `${c.state} with ${c.level}`, own(' risk.')]);
    case 'risky-sign-in':
      return line([own('• A sign-in carried '), c.level, own(' risk at sign-in time.')]);
    case 'new-country':
      return line([
        own('• Sign-in from a new country: '),
        { text: c.country, bold: true },
        own` (${c.succeeded ? 'succeeded' : 'did not succeed'}, ${formatTime(c.at, nowMs)}).`,
      ]);
    case 'failure-burst':
      return line([own`• ${c.count} failed sign-ins in the last 24 hours (password guessing or spraying?).`]);
  }
}

function riskLine(summary: SignInSummary, read: RiskRead, nowMs: number): CardElement {
  if (read.kind === 'unavailable') {
    return line([
      own("Can't tell: the bot cannot read Identity Protection (grant "),
      read.permission,
      own('; needs Entra ID P2).'),
    ]);
  }
  const risk = summary.risk;
  if (risk.kind === 'not-risky') return text(own('Not risky (no open Identity Protection record).'));
  return line([
    { text: `${risk.state}, ${risk.level} risk`, bold: true, color: risk.open ? 'Attention' : 'Default' },
    ...(risk.detail && risk.detail !== 'none' ? [own(' — '), risk.detail] : []),
    { text: own` (updated ${formatTime(risk.updated, nowMs)})`, subtle: true },
  ]);
}

const RESULT_LABEL = {
  success: { label: 'Success', color: 'Good' },
  interrupted: { label: 'Interrupted', color: 'Warning' },
  failure: { label: 'Failed', color: 'Attention' },
} as const satisfies Record<SignInView['result'], { label: string; color: string }>;

function signInItem(v: SignInView, nowMs: number): CardElement {
  const result = RESULT_LABEL[v.result];
  const where = [v.city, v.country].filter((x): x is string => !!x).join(', ') || 'unknown location';
  const client = [v.clientApp, v.browser, v.operatingSystem].filter((x): x is string => !!x).join(' · ');
  const lines: CardElement[] = [
    line([
      { text: formatTime(v.at, nowMs), bold: true },
      own('  '),
      { text: own(result.label), color: result.color, bold: true },
      ...(v.result === 'success' ? [] : [own(' — '), v.explanation, ...(v.errorCode ? [own` (${v.errorCode})`] : [])]),
    ]),
    line(
      [
        where,
        ...(v.newCountry ? [{ text: own(' (new country)'), color: 'Attention' }] : []),
        own('  IP '),
        v.ipAddress ?? 'unknown',
      ],
      { spacing: 'None' },
    ),
    line([own('App '), v.app ?? 'unknown', ...(client ? [own('  via '), client] : [])], { spacing: 'None' }),
  ];
  const extra: Part[] = [];
  if (v.mfaMethod) extra.push(own('MFA: '), v.mfaMethod, own('  '));
  else if (v.mfaRequired === false) extra.push(own('Single-factor  '));
  if (v.riskLevel && v.riskLevel !== 'none') {
    extra.push(own('Risk: '), { text: v.riskLevel, color: 'Attention' });
    if (v.riskEventTypes.length > 0) extra.push(own(' ('), v.riskEventTypes.join(', '), own(')'));
  }
  if (v.failureReason && v.result !== 'success') {
    extra.push({ text: own('  Log says: '), subtle: true }, { text: v.failureReason, subtle: true });
  }
  if (extra.length > 0) lines.push(line(extra, { spacing: 'None' }));
  return container(lines, { separator: true, spacing: 'Small' });
}

/** The `signins <upn>` reply. Every Graph-sourced string is a sanitised TextRun. */
export function signInsCard(
  input: { user: { displayName: string | null; userPrincipalName: string }; risk: RiskRead },
  summary: SignInSummary,
  nowMs: number,
): AdaptiveCard {
  const upn = input.user.userPrincipalName;
  const verdict =
    summary.verdict === 'none'
      ? own('No sign-ins in the log (retention is 30 days with P1/P2, 7 without).')
      : summary.verdict === 'attention'
        ? own('**Worth a look:**')
        : own('Nothing unusual in the recent sign-ins.');
  const counts = own`${summary.total} read: ${summary.successes} succeeded, ${summary.failures} failed, ${summary.interrupted} interrupted (MFA or other prompts).`;
  const body: CardElement[] = [
    heading(own('Sign-ins and risk')),
    untrusted(input.user.displayName ?? upn, { bold: true }),
    untrusted(upn, { mono: true }),
    text(verdict, { color: summary.verdict === 'attention' ? 'Attention' : 'Default' }),
    ...summary.concerns.map((c) => concernLine(c, nowMs)),
    row(own('Identity Protection'), riskLine(summary, input.risk, nowMs)),
    row(
      own('Usual countries'),
      summary.usualCountries.length > 0 ? summary.usualCountries.join(', ') : own('none yet'),
    ),
    row(own('New countries'), summary.newCountries.length > 0 ? summary.newCountries.join(', ') : own('none')),
    row(own('Counts'), counts),
    row(own('Last success'), summary.lastSuccess ? formatTime(summary.lastSuccess.at, nowMs) : own('none in the log')),
  ];
  if (summary.signIns.length > 0) {
    body.push(
      text(own`Newest ${Math.min(SIGN_INS_SHOWN, summary.signIns.length)} sign-ins`, {
        weight: 'Bolder',
        spacing: 'Medium',
      }),
      ...summary.signIns.slice(0, SIGN_INS_SHOWN).map((v) => signInItem(v, nowMs)),
    );
  }
  const actions = [commandButton('Investigate', 'investigate', upn), commandButton('MFA usable?', 'mfa', upn)];
  return adaptiveCard(body, actions, 'Sign-ins and risk');
}
