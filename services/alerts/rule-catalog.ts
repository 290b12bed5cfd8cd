import type { AlertRuleId, AlertSeverity } from './types';

/** A rule's default severity and how long a repeat for the same subject is suppressed. */
export interface RuleSpec {
  severity: AlertSeverity;
  suppressMs: number;
}

const MIN = 60_000;

/** Severity and suppression window per rule. */
export const RULES: Readonly<Record<AlertRuleId, RuleSpec>> = {
  'security-info-changed': { severity: 'medium', suppressMs: 10 * MIN },
  'unverified-registration': { severity: 'high', suppressMs: 60 * MIN },
  'sspr-contact-admin': { severity: 'medium', suppressMs: 60 * MIN },
  'external-forwarding': { severity: 'high', suppressMs: 24 * 60 * MIN },
  'consent-granted': { severity: 'high', suppressMs: 10 * MIN },
  'privileged-role-member': { severity: 'high', suppressMs: 10 * MIN },
  'conditional-access-changed': { severity: 'high', suppressMs: 10 * MIN },
  'domain-changed': { severity: 'high', suppressMs: 10 * MIN },
  'risky-user': { severity: 'high', suppressMs: 60 * MIN },
  'device-registered': { severity: 'medium', suppressMs: 10 * MIN },
  'admin-password-reset': { severity: 'info', suppressMs: 10 * MIN },
  'sessions-revoked': { severity: 'info', suppressMs: 10 * MIN },
  // At most one card per problem an hour while it lasts.
  'bot-health': { severity: 'high', suppressMs: 60 * MIN },
};

/** Every rule id, in the order the status card lists them. */
export const RULE_IDS = Object.keys(RULES) as AlertRuleId[];
