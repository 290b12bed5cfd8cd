import type { CheckReason, HeaderCheck, ResetEmailCheck } from '../services/identity/sspr-check';
import {
  adaptiveCard,
  commandButton,
  container,
  heading,
  row,
  runLine,
  text,
  untrusted,
  type AdaptiveCard,
  type CardElement,
  type Run,
} from './elements';
import { formatTime } from './format';
import { CONTACT_ADMIN_TEXT } from './sspr.card';

const runs = (parts: Run[], options?: Record<string, unknown>): CardElement =>
  runLine(parts, { untrustedMax: 160, dropEmpty: true }, options);

const VERDICT: Record<ResetEmailCheck['verdict'], { title: string; color: string; lead: string }> = {
  genuine: {
    title: 'Genuine',
    color: 'Good',
    lead: "Our tenant verified the email as Microsoft's, its links stay on Microsoft, and the audit log shows the user failing SSPR and being told to contact an admin just before it.",
  },
  suspicious: { title: 'Suspicious', color: 'Attention', lead: 'Do not act on this email:' },
  'cant-tell': {
    title: "Can't tell",
    color: 'Warning',
    lead: 'Nothing is wrong with it, but the evidence to call it genuine is missing:',
  },
};

function reasonLine(r: CheckReason, nowMs: number): CardElement {
  const bullet = (parts: Run[]): CardElement => runs([{ text: '• ' }, ...parts], { spacing: 'None' });
  switch (r.kind) {
    case 'auth-failed':
      return bullet([
        // The method name comes from the pasted header, so the run is sanitised as a whole.
        { text: `${r.method.toUpperCase()} is `, untrusted: true, weight: 'Bolder' },
        { text: r.result, untrusted: true, weight: 'Bolder' },
        {
          text: " in the Authentication-Results our mail system stamped (every check must pass for Microsoft's mail).",
        },
      ]);
    case 'auth-domain-mismatch':
      return bullet([
        { text: 'The checks passed for ' },
        { text: r.domains.join(', ') || 'no domain', untrusted: true, mono: true },
        { text: ', not for microsoftonline.com.' },
      ]);
    case 'no-headers':
      return bullet([
        {
          text: 'No headers in the paste, so the sender cannot be verified. Paste the raw source (Outlook: File → Properties, or View message source).',
        },
      ]);
    case 'no-auth-results':
      return bullet([
        {
          text: 'The headers have no Authentication-Results from our mail system: paste the full header block.',
        },
      ]);
    case 'sender':
      return bullet([
        { text: r.judgement === 'look-alike' ? 'Sender imitates Microsoft: ' : 'Sender is not Microsoft: ' },
        { text: r.address, untrusted: true, mono: true },
        { text: ' (Microsoft sends it from microsoftonline.com).' },
      ]);
    case 'link':
      return bullet([
        { text: r.judgement === 'look-alike' ? 'Link to a look-alike domain: ' : 'Link to a non-Microsoft domain: ' },
        { text: r.host, untrusted: true, mono: true },
      ]);
    case 'user-not-found':
      return bullet([
        { text: 'It names ' },
        { text: r.address, untrusted: true, mono: true },
        { text: ', who is not a user in this tenant.' },
      ]);
    case 'no-user-named':
      return bullet([
        { text: 'It names no user (no address after "User ID:" or in the text). Is this the SSPR email?' },
      ]);
    case 'no-sspr-activity':
      return bullet([
        {
          text: `The user did not enter self-service password reset between ${formatTime(new Date(r.windowStart).toISOString(), nowMs)} and ${formatTime(new Date(r.windowEnd).toISOString(), nowMs)}: nobody asked for this reset.`,
        },
      ]);
    case 'flow-without-contact-admin':
      return bullet([
        {
          text: `The user entered SSPR at ${formatTime(r.attempt.start, nowMs)}, but the log does not show the failure that offers "contact your administrator" (outcome: ${r.attempt.outcome}).`,
        },
      ]);
    case 'truncated':
      return bullet([{ text: 'The paste was cut at 128 KB before parsing.' }]);
  }
}

function headerRow(h: HeaderCheck): CardElement {
  if (h.kind === 'absent') return text('none pasted');
  if (h.kind === 'missing-results') return text('pasted, but without Authentication-Results');
  const parts: Run[] = [];
  for (const [label, value] of [
    ['SPF', h.spf],
    ['DKIM', h.dkim],
    ['DMARC', h.dmarc],
    ['compauth', h.compauth],
  ] as const) {
    parts.push(
      { text: `${label} ` },
      { text: value ?? 'missing', untrusted: true, weight: 'Bolder', color: value === 'pass' ? 'Good' : 'Attention' },
      { text: '  ' },
    );
  }
  parts.push(
    { text: 'for ', subtle: true },
    { text: h.domains.join(', ') || 'no domain', untrusted: true, subtle: true },
  );
  return runs(parts);
}

/** The `sspr-check` reply: verdict, reasons, the evidence behind it, and the next steps. */
export function ssprCheckCard(check: ResetEmailCheck, nowMs: number): AdaptiveCard {
  const v = VERDICT[check.verdict];
  const body: CardElement[] = [
    heading('SSPR request email check'),
    text(`**${v.title}**`, { color: v.color, size: 'Large', spacing: 'None' }),
    text(v.lead),
    ...check.reasons.map((r) => reasonLine(r, nowMs)),
    container(
      [
        text('Evidence', { weight: 'Bolder' }),
        row('Headers (ours)', headerRow(check.headers)),
        row('Sender', check.sender ? untrusted(check.sender.address, { monospace: true }) : text('not in the paste')),
        row('Links', check.links.length > 0 ? untrusted(check.links.map((l) => l.host).join(', ')) : text('none')),
        row(
          'Email sent',
          text(
            check.emailTime === null
              ? 'unknown (no Date header): looked at the last 24 hours'
              : formatTime(new Date(check.emailTime).toISOString(), nowMs),
          ),
        ),
        row(
          'User named',
          check.user.kind === 'found'
            ? untrusted(`${check.user.displayName ?? ''} ${check.user.upn}`.trim())
            : check.user.kind === 'not-found'
              ? untrusted(`${check.user.address} (not in this tenant)`)
              : text('none found'),
        ),
      ],
      { spacing: 'Medium' },
    ),
  ];
  const attempt = check.matchingAttempt;
  if (attempt) {
    body.push(
      row(
        'Audit trail',
        runs([
          { text: `Submitted their user ID ${formatTime(attempt.start, nowMs)} from IP ` },
          { text: attempt.ipAddresses.join(', ') || 'unknown', untrusted: true, mono: true },
          {
            text: `, then failed: ${check.contactAdmin ? CONTACT_ADMIN_TEXT[check.contactAdmin] : 'see the steps'} → "contact your administrator".`,
          },
        ]),
      ),
    );
  }
  body.push(
    text('Next steps', { weight: 'Bolder', spacing: 'Medium' }),
    text(
      check.verdict === 'suspicious'
        ? '1. Do not click its links or reset anything because of it. 2. Report it as phishing. 3. If the user is real, call them on a number you already have and ask whether they need help.'
        : '1. Verify the user out of band before any reset: call them on a number from the directory, not one from the email or chat. 2. Then issue a Temporary Access Pass (so they can register methods) or reset the password, with approval. 3. Check the IP above against where the user is.',
    ),
  );
  const upn = check.user.kind === 'found' ? check.user.upn : null;
  const actions =
    upn === null
      ? []
      : [
          commandButton('SSPR trail', 'sspr', upn),
          ...(check.verdict === 'suspicious'
            ? []
            : [
                commandButton('Temporary Access Pass', 'tap', upn),
                commandButton('Reset password', 'reset-password', upn),
              ]),
        ];
  return adaptiveCard(body, actions, `SSPR request email: ${v.title}`);
}
