import type { CheckReason, HeaderCheck, ResetEmailCheck } from '../services/identity/sspr-check';
import { adaptiveCard, commandButton, container, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, LineOptions, Part } from './elements';
import { formatTime, own } from './text';
import { CONTACT_ADMIN_TEXT } from './sspr.card';

const line = (parts: Part[], options: LineOptions = {}): CardElement => runs(parts, { max: 160, ...options });

const VERDICT = {
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
} as const satisfies Record<ResetEmailCheck['verdict'], { title: string; color: string; lead: string }>;

const AUTH_METHOD = { spf: 'SPF', dkim: 'DKIM', dmarc: 'DMARC', compauth: 'COMPAUTH' } as const;

function reasonLine(r: CheckReason, nowMs: number): CardElement {
  const bullet = (...parts: Part[]): CardElement => line([own('• '), ...parts], { spacing: 'None' });
  switch (r.kind) {
    case 'auth-failed':
      return bullet(
        { text: own`${AUTH_METHOD[r.method]} is `, bold: true },
        { text: r.result, bold: true },
        own(" in the Authentication-Results our mail system stamped (every check must pass for Microsoft's mail)."),
      );
    case 'auth-domain-mismatch':
      return bullet(
        own('The checks passed for '),
        { text: r.domains.join(', ') || 'no domain', mono: true },
        own(', not for microsoftonline.com.'),
      );
    case 'no-headers':
      return bullet(
        own(
          'No headers in the paste, so the sender cannot be verified. Paste the raw source (Outlook: File → Properties, or View message source).',
        ),
      );
    case 'no-auth-results':
      return bullet(
        own('The headers have no Authentication-Results from our mail system: paste the full header block.'),
      );
    case 'sender':
      return bullet(
        r.judgement === 'look-alike' ? own('Sender imitates Microsoft: ') : own('Sender is not Microsoft: '),
        { text: r.address, mono: true },
        own(' (Microsoft sends it from microsoftonline.com).'),
      );
    case 'link':
      return bullet(
        r.judgement === 'look-alike' ? own('Link to a look-alike domain: ') : own('Link to a non-Microsoft domain: '),
        { text: r.host, mono: true },
      );
    case 'user-not-found':
      return bullet(own('It names '), { text: r.address, mono: true }, own(', who is not a user in this tenant.'));
    case 'no-user-named':
      return bullet(own('It names no user (no address after "User ID:" or in the text). Is this the SSPR email?'));
    case 'no-sspr-activity':
      return bullet(
        own`The user did not enter self-service password reset between ${formatTime(new Date(r.windowStart).toISOString(), nowMs)} and ${formatTime(new Date(r.windowEnd).toISOString(), nowMs)}: nobody asked for this reset.`,
      );
    case 'flow-without-contact-admin':
      return bullet(
        own`The user entered SSPR at ${formatTime(r.attempt.start, nowMs)}, but the log does not show the failure that offers "contact your administrator" (outcome: ${r.attempt.outcome}).`,
      );
    case 'truncated':
      return bullet(own('The paste was cut at 128 KB before parsing.'));
  }
}

function headerRow(h: HeaderCheck): CardElement {
  if (h.kind === 'absent') return text(own('none pasted'));
  if (h.kind === 'missing-results') return text(own('pasted, but without Authentication-Results'));
  const parts: Part[] = [];
  for (const [label, value] of [
    ['SPF', h.spf],
    ['DKIM', h.dkim],
    ['DMARC', h.dmarc],
    ['compauth', h.compauth],
  ] as const) {
    parts.push(
      own`${label} `,
      { text: value ?? 'missing', bold: true, color: value === 'pass' ? 'Good' : 'Attention' },
      own('  '),
    );
  }
  parts.push({ text: own('for '), subtle: true }, { text: h.domains.join(', ') || 'no domain', subtle: true });
  return line(parts);
}

/** The `sspr-check` reply: verdict, reasons, the evidence behind it, and the next steps. */
export function ssprCheckCard(check: ResetEmailCheck, nowMs: number): AdaptiveCard {
  const v = VERDICT[check.verdict];
  const body: CardElement[] = [
    heading(own('SSPR request email check')),
    text(own`**${v.title}**`, { color: v.color, size: 'Large', spacing: 'None' }),
    text(own(v.lead)),
    ...check.reasons.map((r) => reasonLine(r, nowMs)),
    container(
      [
        text(own('Evidence'), { weight: 'Bolder' }),
        row(own('Headers (ours)'), headerRow(check.headers)),
        row(own('Sender'), check.sender ? untrusted(check.sender.address, { mono: true }) : own('not in the paste')),
        row(own('Links'), check.links.length > 0 ? check.links.map((l) => l.host).join(', ') : own('none')),
        row(
          own('Email sent'),
          check.emailTime === null
            ? own('unknown (no Date header): looked at the last 24 hours')
            : formatTime(new Date(check.emailTime).toISOString(), nowMs),
        ),
        row(
          own('User named'),
          check.user.kind === 'found'
            ? `${check.user.displayName ?? ''} ${check.user.upn}`.trim()
            : check.user.kind === 'not-found'
              ? `${check.user.address} (not in this tenant)`
              : own('none found'),
        ),
      ],
      { spacing: 'Medium' },
    ),
  ];
  const attempt = check.matchingAttempt;
  if (attempt) {
    body.push(
      row(
        own('Audit trail'),
        line([
          own`Submitted their user ID ${formatTime(attempt.start, nowMs)} from IP `,
          { text: attempt.ipAddresses.join(', ') || 'unknown', mono: true },
          own`, then failed: ${check.contactAdmin ? CONTACT_ADMIN_TEXT[check.contactAdmin] : 'see the steps'} → "contact your administrator".`,
        ]),
      ),
    );
  }
  body.push(
    text(own('Next steps'), { weight: 'Bolder', spacing: 'Medium' }),
    text(
      check.verdict === 'suspicious'
        ? own(
            '1. Do not click its links or reset anything because of it. 2. Report it as phishing. 3. If the user is real, call them on a number you already have and ask whether they need help.',
          )
        : own(
            '1. Verify the user out of band before any reset: call them on a number from the directory, not one from the email or chat. 2. Then issue a Temporary Access Pass (so they can register methods) or reset the password, with approval. 3. Check the IP above against where the user is.',
          ),
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
