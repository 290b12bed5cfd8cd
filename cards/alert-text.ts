import type { AlertRuleId, AlertSeverity } from '../services/alerts/types';

/** Our wording per rule: the card title and one line on why it matters (literal types, so cards can mark them `own`). */
export const RULE_TEXT = {
  'security-info-changed': {
    title: 'Security info changed',
    why: 'An attacker who adds or swaps a sign-in method keeps access after a password reset.',
  },
  'unverified-registration': {
    title: 'Authenticator added but never verified',
    why: 'The device was bound but registration never finished: the user cannot pass MFA with it, and it may not be theirs.',
  },
  'sspr-contact-admin': {
    title: 'Self-service password reset failed: user told to contact an admin',
    why: 'Expect a call or email to the helpdesk; verify the caller before resetting anything.',
  },
  'external-forwarding': {
    title: 'Inbox rule forwards mail outside the organisation',
    why: 'Forwarding rules are a classic way to keep reading a mailbox after the attacker is locked out.',
  },
  'consent-granted': {
    title: 'Consent granted to an application',
    why: 'A consented app can read data with its own token, surviving password resets and session revocation.',
  },
  'privileged-role-member': {
    title: 'Member added to a directory role',
    why: 'New role holders can change security settings; confirm the change was requested.',
  },
  'conditional-access-changed': {
    title: 'Conditional Access policy changed',
    why: 'Weakening or removing a policy can open sign-in without MFA.',
  },
  'domain-changed': {
    title: 'Domain added or federation changed',
    why: 'A rogue federated domain lets an attacker mint sign-ins for your users.',
  },
  'risky-user': {
    title: 'User became risky (Identity Protection)',
    why: 'Microsoft rates this account as likely compromised; investigate and consider revoking sessions.',
  },
  'device-registered': {
    title: 'Device registered by the user',
    why: 'A device an attacker registers gets tokens that can satisfy device-based Conditional Access and outlive a password reset.',
  },
  'admin-password-reset': { title: 'Password reset by an admin', why: 'Informational: confirm it was requested.' },
  'sessions-revoked': { title: 'Sessions revoked', why: 'Informational: the user must sign in again everywhere.' },
  'bot-health': {
    title: 'The bot lost access to Microsoft Graph',
    why: 'Until this is fixed, alerts, sweeps or approved actions that need Graph do not run.',
  },
} as const satisfies Readonly<Record<AlertRuleId, { title: string; why: string }>>;

export const SEVERITY_TEXT = {
  high: '🔴 High',
  medium: '🟠 Medium',
  low: '🟡 Low',
  info: 'ℹ️ Info',
} as const satisfies Readonly<Record<AlertSeverity, string>>;
