import type { RiskRead } from '../services/identity/sign-ins-read';
import type { SignInConcern, SignInSummary, SignInView } from '../services/identity/sign-ins';
import {
  adaptiveCard,
  commandButton,
  container,
  heading,
  row,
  runLine,
  text,
  trustedRow,
  untrusted,
  type AdaptiveCard,
  type CardElement,
  type Run,
} from './elements';
import { formatTime } from './format';

/** How many sign-ins the card lists (the summary counts them all). */
export const SIGN_INS_SHOWN = 10;

const runs = (parts: Run[], options?: Record<string, unknown>): CardElement =>
  runLine(parts, { untrustedMax: 120, dropEmpty: false }, options);

function concernLine(c: SignInConcern, nowMs: number): CardElement {
  switch (c.kind) {
    case 'user-at-risk':
      return runs([{ text: `• Identity Protection marks the user ${c.state} with ${c.level} risk.`, untrusted: true }]);
    case 'risky-sign-in':
      return runs([{ text: `• A sign-in carried ${c.level} risk at sign-in time.`, untrusted: true }]);
    case 'new-country':
      return runs([
        { text: '• Sign-in from a new country: ' },
        { text: c.country, untrusted: true, weight: 'Bolder' },
        { text: ` (${c.succeeded ? 'succeeded' : 'did not succeed'}, ${formatTime(c.at, nowMs)}).` },
      ]);
    case 'failure-burst':
      return runs([{ text: `• ${c.count} failed sign-ins in the last 24 hours (password guessing or spraying?).` }]);
  }
}

function riskLine(summary: SignInSummary, read: RiskRead, nowMs: number): CardElement {
  if (read.kind === 'unavailable') {
    return runs([
      { text: "Can't tell: the bot cannot read Identity Protection (grant " },
      { text: read.permission, untrusted: true },
      { text: '; needs Entra ID P2).' },
    ]);
  }
  const risk = summary.risk;
  if (risk.kind === 'not-risky') return text('Not risky (no open Identity Protection record).');
  return runs([
    {
      text: `${risk.state}, ${risk.level} risk`,
      untrusted: true,
      weight: 'Bolder',
      color: risk.open ? 'Attention' : 'Default',
    },
    { text: risk.detail && risk.detail !== 'none' ? ` — ${risk.detail}` : '', untrusted: true },
    { text: ` (updated ${formatTime(risk.updated, nowMs)})`, subtle: true },
  ]);
}

const RESULT_LABEL: Record<SignInView['result'], { label: string; color: string }> = {
  success: { label: 'Success', color: 'Good' },
  interrupted: { label: 'Interrupted', color: 'Warning' },
  failure: { label: 'Failed', color: 'Attention' },
};

function signInItem(v: SignInView, nowMs: number): CardElement {
  const result = RESULT_LABEL[v.result];
  const where = [v.city, v.country].filter((x): x is string => !!x).join(', ') || 'unknown location';
  const client = [v.clientApp, v.browser, v.operatingSystem].filter((x): x is string => !!x).join(' · ');
  const lines: CardElement[] = [
    runs([
      { text: formatTime(v.at, nowMs), weight: 'Bolder' },
      { text: '  ' },
      { text: result.label, color: result.color, weight: 'Bolder' },
      { text: v.result === 'success' ? '' : ` — ${v.explanation}${v.errorCode ? ` (${v.errorCode})` : ''}` },
    ]),
    runs(
      [
        { text: where, untrusted: true },
        { text: v.newCountry ? ' (new country)' : '', color: 'Attention' },
        { text: '  IP ' },
        { text: v.ipAddress ?? 'unknown', untrusted: true },
      ],
      { spacing: 'None' },
    ),
    runs(
      [
        { text: 'App ' },
        { text: v.app ?? 'unknown', untrusted: true },
        { text: client ? '  via ' : '' },
        { text: client, untrusted: true },
      ],
      { spacing: 'None' },
    ),
  ];
  const extra: Run[] = [];
  if (v.mfaMethod) extra.push({ text: 'MFA: ' }, { text: v.mfaMethod, untrusted: true }, { text: '  ' });
  else if (v.mfaRequired === false) extra.push({ text: 'Single-factor  ' });
  if (v.riskLevel && v.riskLevel !== 'none') {
    extra.push({ text: 'Risk: ' }, { text: v.riskLevel, untrusted: true, color: 'Attention' });
    if (v.riskEventTypes.length > 0) extra.push({ text: ` (${v.riskEventTypes.join(', ')})`, untrusted: true });
  }
  if (v.failureReason && v.result !== 'success') {
    extra.push({ text: '  Log says: ', subtle: true }, { text: v.failureReason, untrusted: true, subtle: true });
  }
  if (extra.length > 0) lines.push(runs(extra, { spacing: 'None' }));
  return container(lines, { separator: true, spacing: 'Small' });
}

/** The `signins <upn>` reply. Every Graph-sourced string goes through untrusted() or a sanitised TextRun. */
export function signInsCard(
  input: { user: { displayName: string | null; userPrincipalName: string }; risk: RiskRead },
  summary: SignInSummary,
  nowMs: number,
): AdaptiveCard {
  const upn = input.user.userPrincipalName;
  const verdict =
    summary.verdict === 'none'
      ? 'No sign-ins in the log (retention is 30 days with P1/P2, 7 without).'
      : summary.verdict === 'attention'
        ? '**Worth a look:**'
        : 'Nothing unusual in the recent sign-ins.';
  const counts = `${summary.total} read: ${summary.successes} succeeded, ${summary.failures} failed, ${summary.interrupted} interrupted (MFA or other prompts).`;
  const body: CardElement[] = [
    heading('Sign-ins and risk'),
    untrusted(input.user.displayName ?? upn, { weight: 'Bolder' }),
    untrusted(upn, { monospace: true }),
    text(verdict, { color: summary.verdict === 'attention' ? 'Attention' : 'Default' }),
    ...summary.concerns.map((c) => concernLine(c, nowMs)),
    row('Identity Protection', riskLine(summary, input.risk, nowMs)),
    row(
      'Usual countries',
      summary.usualCountries.length > 0 ? untrusted(summary.usualCountries.join(', ')) : text('none yet'),
    ),
    row('New countries', summary.newCountries.length > 0 ? untrusted(summary.newCountries.join(', ')) : text('none')),
    trustedRow('Counts', counts),
    trustedRow('Last success', summary.lastSuccess ? formatTime(summary.lastSuccess.at, nowMs) : 'none in the log'),
  ];
  if (summary.signIns.length > 0) {
    body.push(
      text(`Newest ${Math.min(SIGN_INS_SHOWN, summary.signIns.length)} sign-ins`, {
        weight: 'Bolder',
        spacing: 'Medium',
      }),
      ...summary.signIns.slice(0, SIGN_INS_SHOWN).map((v) => signInItem(v, nowMs)),
    );
  }
  const actions = [commandButton('Investigate', 'investigate', upn), commandButton('MFA usable?', 'mfa', upn)];
  return adaptiveCard(body, actions, 'Sign-ins and risk');
}
