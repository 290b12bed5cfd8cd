import type { ContactAdminReason, SsprAttempt, SsprOutcome, SsprReport, SsprStatus } from '../services/identity/sspr';
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

/** Attempts listed on the card (newest first). */
export const SSPR_ATTEMPTS_SHOWN = 5;

const runs = (parts: Run[], options?: Record<string, unknown>): CardElement =>
  runLine(parts, { untrustedMax: 200, dropEmpty: true }, options);

const STATUS: Record<SsprStatus['kind'], string> = {
  unknown: "Can't tell: the registration report has no row for this user.",
  'not-enabled':
    'SSPR is not enabled for this user: they cannot reset their own password and are told to contact an admin.',
  'not-registered':
    'Enabled but not registered: the user has no SSPR methods, so a reset fails with "insufficient authentication methods" and they are told to contact an admin.',
  'registered-not-capable':
    'Registered, but the registered methods are not allowed by policy: a reset will fail and they are told to contact an admin.',
  capable: 'Capable: the user can reset their own password.',
};

/** What each "contact your administrator" failure means for the helpdesk. */
export const CONTACT_ADMIN_TEXT: Record<ContactAdminReason, string> = {
  'insufficient-methods': 'not enough authentication methods registered',
  'not-enabled': 'SSPR not enabled for the user',
  'not-in-group': 'not in the SSPR users group',
  'no-licence': 'no licence that includes SSPR',
};

const OUTCOME: Record<SsprOutcome, { label: string; color: string }> = {
  reset: { label: 'Password reset', color: 'Good' },
  'contact-admin': { label: 'Failed → told to contact an admin', color: 'Attention' },
  cancelled: { label: 'Cancelled by the user', color: 'Default' },
  blocked: { label: 'Blocked (too many attempts)', color: 'Attention' },
  failed: { label: 'Failed', color: 'Attention' },
  unfinished: { label: 'Unfinished', color: 'Warning' },
};

function flag(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

function attemptItem(a: SsprAttempt, nowMs: number): CardElement {
  const outcome = OUTCOME[a.outcome];
  const items: CardElement[] = [
    runs([
      { text: formatTime(a.start, nowMs), weight: 'Bolder' },
      { text: '  ' },
      { text: outcome.label, color: outcome.color, weight: 'Bolder' },
      { text: a.contactAdmin ? ` (${CONTACT_ADMIN_TEXT[a.contactAdmin]})` : '' },
    ]),
    runs(
      [
        { text: 'From IP ', subtle: true },
        { text: a.ipAddresses.join(', ') || 'not recorded', untrusted: true },
        { text: '  correlation ', subtle: true },
        { text: a.correlationId, untrusted: true, subtle: true },
      ],
      { spacing: 'None' },
    ),
    ...a.steps.map((s) =>
      runs(
        [
          { text: `${formatTime(s.at, nowMs).slice(11, 16)}  `, subtle: true },
          { text: s.reason ?? s.activity, untrusted: true, ...(s.result === 'failure' ? { color: 'Attention' } : {}) },
          { text: s.ipAddress && a.ipAddresses.length > 1 ? `  (${s.ipAddress})` : '', untrusted: true, subtle: true },
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
    heading('Self-service password reset'),
    untrusted(user.displayName ?? upn, { weight: 'Bolder' }),
    untrusted(upn, { monospace: true }),
    text(STATUS[report.status.kind]),
    trustedRow(
      'Report',
      `enabled ${flag(report.enabled)} · registered ${flag(report.registered)} · capable ${flag(report.capable)}${report.reportUpdated ? ` (updated ${formatTime(report.reportUpdated, nowMs)})` : ''}`,
    ),
    row(
      'Methods',
      report.methodsRegistered.length > 0 ? untrusted(report.methodsRegistered.join(', ')) : text('none registered'),
    ),
  ];
  if (report.isAdmin) {
    body.push(
      text(
        'This user is an admin: admin SSPR follows a separate Microsoft policy (authorizationPolicy allowedToUseSSPR), so the report can say "enabled" while the user is stuck in "More information required". Run `mfa` for that check.',
        { isSubtle: true },
      ),
    );
  }
  const shown = report.attempts.slice(0, SSPR_ATTEMPTS_SHOWN);
  body.push(
    text(
      report.attempts.length === 0
        ? 'No SSPR attempts in the audit log (last 30 days).'
        : `SSPR attempts: ${report.attempts.length} in the last 30 days${report.attempts.length > shown.length ? `, newest ${shown.length} shown` : ''}`,
      { weight: 'Bolder', spacing: 'Medium' },
    ),
    ...shown.map((a) => attemptItem(a, nowMs)),
  );
  if (truncated)
    body.push(text('More records exist than one page holds; older attempts may be missing.', { isSubtle: true }));
  const contactAdmin = report.attempts.some((a) => a.outcome === 'contact-admin');
  if (contactAdmin) {
    body.push(
      text(
        'If you received a "Request to reset user\'s password" email, it matches this trail. Verify the user out of band (call them on a known number) before any reset.',
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
