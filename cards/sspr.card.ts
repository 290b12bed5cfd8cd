import type { ContactAdminReason, SsprAttempt, SsprOutcome, SsprReport, SsprStatus } from '../services/identity/sspr';
import { adaptiveCard, commandButton, container, heading, row, runs, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement, LineOptions, Part } from './elements';
import { formatTime, own } from './text';

/** Attempts listed on the card (newest first). */
export const SSPR_ATTEMPTS_SHOWN = 5;

const line = (parts: Part[], options: LineOptions = {}): CardElement => runs(parts, { max: 200, ...options });

const STATUS = {
  unknown: "Can't tell: the registration report has no row for this user.",
  'not-enabled':
    'SSPR is not enabled for this user: they cannot reset their own password and are told to contact an admin.',
  'not-registered':
    'Enabled but not registered: the user has no SSPR methods, so a reset fails with "insufficient authentication methods" and they are told to contact an admin.',
  'registered-not-capable':
    'Registered, but the registered methods are not allowed by policy: a reset will fail and they are told to contact an admin.',
  capable: 'Capable: the user can reset their own password.',
} as const satisfies Record<SsprStatus['kind'], string>;

/** What each "contact your administrator" failure means for the helpdesk. */
export const CONTACT_ADMIN_TEXT = {
  'insufficient-methods': 'not enough authentication methods registered',
  'not-enabled': 'SSPR not enabled for the user',
  'not-in-group': 'not in the SSPR users group',
  'no-licence': 'no licence that includes SSPR',
} as const satisfies Record<ContactAdminReason, string>;

const OUTCOME = {
  reset: { label: 'Password reset', color: 'Good' },
  'contact-admin': { label: 'Failed → told to contact an admin', color: 'Attention' },
  cancelled: { label: 'Cancelled by the user', color: 'Default' },
  blocked: { label: 'Blocked (too many attempts)', color: 'Attention' },
  failed: { label: 'Failed', color: 'Attention' },
  unfinished: { label: 'Unfinished', color: 'Warning' },
} as const satisfies Record<SsprOutcome, { label: string; color: string }>;

function flag(value: boolean | null): 'unknown' | 'yes' | 'no' {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

function attemptItem(a: SsprAttempt, nowMs: number): CardElement {
  const outcome = OUTCOME[a.outcome];
  const items: CardElement[] = [
    line([
      { text: formatTime(a.start, nowMs), bold: true },
      own('  '),
      { text: own(outcome.label), color: outcome.color, bold: true },
      ...(a.contactAdmin ? [own` (${CONTACT_ADMIN_TEXT[a.contactAdmin]})`] : []),
    ]),
    line(
      [
        { text: own('From IP '), subtle: true },
        a.ipAddresses.join(', ') || 'not recorded',
        { text: own('  correlation '), subtle: true },
        { text: a.correlationId, subtle: true },
      ],
      { spacing: 'None' },
    ),
    ...a.steps.map((s) =>
      line(
        [
          { text: `${formatTime(s.at, nowMs).text.slice(11, 16)}  `, subtle: true },
          { text: s.reason ?? s.activity, ...(s.result === 'failure' ? { color: 'Attention' } : {}) },
          ...(s.ipAddress && a.ipAddresses.length > 1
            ? [
                { text: own('  ('), subtle: true },
                { text: s.ipAddress, subtle: true },
                { text: own(')'), subtle: true },
              ]
            : []),
        ],
        { spacing: 'None' },
      ),
    ),
  ];
  return container(items, { separator: true, spacing: 'Small' });
}

/** The `sspr <upn>` reply: SSPR status from the registration report and the recent attempts from the audit log. */
export function ssprCard(
  user: { displayName: string | null; userPrincipalName: string },
  report: SsprReport,
  nowMs: number,
  truncated = false,
): AdaptiveCard {
  const upn = user.userPrincipalName;
  const body: CardElement[] = [
    heading(own('Self-service password reset')),
    untrusted(user.displayName ?? upn, { bold: true }),
    untrusted(upn, { mono: true }),
    text(own(STATUS[report.status.kind])),
    row(
      own('Report'),
      own`enabled ${flag(report.enabled)} · registered ${flag(report.registered)} · capable ${flag(report.capable)}${report.reportUpdated ? own` (updated ${formatTime(report.reportUpdated, nowMs)})` : ''}`,
    ),
    row(
      own('Methods'),
      report.methodsRegistered.length > 0 ? report.methodsRegistered.join(', ') : own('none registered'),
    ),
  ];
  if (report.isAdmin) {
    body.push(
      text(
        own(
          'This user is an admin: admin SSPR follows a separate Microsoft policy (authorizationPolicy allowedToUseSSPR), so the report can say "enabled" while the user is stuck in "More information required". Run `mfa` for that check.',
        ),
        { isSubtle: true },
      ),
    );
  }
  const shown = report.attempts.slice(0, SSPR_ATTEMPTS_SHOWN);
  body.push(
    text(
      report.attempts.length === 0
        ? own('No SSPR attempts in the audit log (last 30 days).')
        : own`SSPR attempts: ${report.attempts.length} in the last 30 days${report.attempts.length > shown.length ? own`, newest ${shown.length} shown` : ''}`,
      { weight: 'Bolder', spacing: 'Medium' },
    ),
    ...shown.map((a) => attemptItem(a, nowMs)),
  );
  if (truncated)
    body.push(text(own('More records exist than one page holds; older attempts may be missing.'), { isSubtle: true }));
  const contactAdmin = report.attempts.some((a) => a.outcome === 'contact-admin');
  if (contactAdmin) {
    body.push(
      text(
        own(
          'If you received a "Request to reset user\'s password" email, it matches this trail. Verify the user out of band (call them on a known number) before any reset.',
        ),
        { spacing: 'Medium' },
      ),
    );
  }
  const actions = [
    commandButton('MFA usable?', 'mfa', upn),
    ...(contactAdmin
      ? [commandButton('Temporary Access Pass', 'tap', upn), commandButton('Reset password', 'reset-password', upn)]
      : []),
  ];
  return adaptiveCard(body, actions, 'Self-service password reset');
}
