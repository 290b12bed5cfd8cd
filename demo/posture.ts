/** The demo tenant's posture settings (what `posture` reads): Graph policies, Secure Score and Exchange settings. */
import type { GraphObject } from './http/types';

export interface DemoPosture {
  securityDefaults: GraphObject;
  adminConsentRequestPolicy: GraphObject;
  /** security/secureScores records, newest first. */
  secureScores: GraphObject[];
  secureScoreControlProfiles: GraphObject[];
  /** Exchange: Get-OrganizationConfig's AuditDisabled. */
  auditDisabled: boolean;
  /** Exchange: Get-HostedOutboundSpamFilterPolicy objects. */
  outboundSpamPolicies: GraphObject[];
  /** Exchange: Get-TransportConfig's SmtpClientAuthenticationDisabled. */
  smtpClientAuthenticationDisabled: boolean;
  /** Mailboxes (user ids) with AuditEnabled false. */
  auditOffMailboxes: Set<string>;
  /** Mailboxes (user ids) with POP and/or IMAP on; the rest have both off. */
  popImap: Map<string, { pop: boolean; imap: boolean }>;
}

/** A tenant with nothing configured: security defaults off, no score yet, Exchange defaults. */
export function emptyPosture(): DemoPosture {
  return {
    securityDefaults: {
      id: '00000000-0000-0000-0000-000000000005',
      displayName: 'Security Defaults',
      description:
        'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
      isEnabled: false,
    },
    adminConsentRequestPolicy: {
      isEnabled: false,
      notifyReviewers: false,
      remindersEnabled: false,
      requestDurationInDays: 0,
      version: 0,
      reviewers: [],
    },
    secureScores: [],
    secureScoreControlProfiles: [],
    auditDisabled: false,
    outboundSpamPolicies: [],
    smtpClientAuthenticationDisabled: false,
    auditOffMailboxes: new Set(),
    popImap: new Map(),
  };
}
