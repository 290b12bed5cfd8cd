/** The posture checks' shared vocabulary: what each read yielded, and what each check concluded. */

/** What a check could not read, so it cannot tell: a permission, a licence, a setting, or a service that failed. */
export type Need =
  | { kind: 'permission'; name: string }
  | { kind: 'licence'; name: string }
  | { kind: 'setting'; name: string }
  | { kind: 'failed'; service: 'graph' | 'exchange'; code: string };

/** One read's outcome: its value, or why it is missing. */
export type Source<T> = { kind: 'read'; value: T } | { kind: 'missing'; need: Need };

export type Verdict = 'pass' | 'fail' | 'cant-tell';

/** A directory object a check names (a CA exclusion, an admin, a mailbox), with its name when it could be read. */
export interface Named {
  id: string;
  name: string | null;
  kind: 'user' | 'group' | 'role' | 'mailbox' | 'policy';
}

/** The ten checks, highest impact first (the card's order among failing checks). */
export const CHECK_IDS = [
  'mfa-all',
  'legacy-auth',
  'auto-forwarding',
  'user-consent',
  'admin-sspr',
  'smtp-pop-imap',
  'mailbox-audit',
  'advanced-audit',
  'sspr',
  'secure-score',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

interface Base<I extends CheckId> {
  id: I;
  verdict: Verdict;
  /** Set when the verdict is can't tell: the permission, licence or setting that is missing. */
  need: Need | null;
}

/** 1 and 2: which mechanism covers every user and app (security defaults or named CA policies) and who is left out. */
export interface CoverageCheck<I extends 'mfa-all' | 'legacy-auth'> extends Base<I> {
  securityDefaults: boolean | null;
  policies: string[];
  /** Enabled for reporting only: they log but enforce nothing. */
  reportOnly: string[];
  exclusions: Named[];
}

export interface ConsentCheck extends Base<'user-consent'> {
  /** none: users cannot consent; low-risk: verified publishers and low-risk permissions only; any: users can consent to any app. */
  userConsent: 'none' | 'low-risk' | 'any' | null;
  adminConsentWorkflow: boolean | null;
}

export interface AdminSsprCheck extends Base<'admin-sspr'> {
  /** authorizationPolicy.allowedToUseSSPR: SSPR for administrators. */
  adminSsprAllowed: boolean | null;
  admins: number;
  /** Admins held in the "More information required" loop, and why. */
  caught: (Named & { reason: 'admin-sspr-off' | 'one-gate' })[];
}

export interface SsprCheck extends Base<'sspr'> {
  members: number;
  enabled: number;
  registered: number;
  /** False when the report was read only up to the page bound. */
  complete: boolean;
  threshold: number;
}

export interface ForwardingCheck extends Base<'auto-forwarding'> {
  /** Outbound spam filter policies and their AutoForwardingMode (Automatic, On, Off). */
  policies: { name: string; mode: string; isDefault: boolean }[];
  /** From the last completed tenant-wide sweep, if there was one. */
  lastSweep: { finishedAt: number; externalForwarders: number; mailboxes: number } | null;
}

export interface MailboxAuditCheck extends Base<'mailbox-audit'> {
  auditDisabled: boolean | null;
  mailboxesOff: Named[] | null;
}

export interface SmtpPopImapCheck extends Base<'smtp-pop-imap'> {
  smtpAuthDisabled: boolean | null;
  popImap: (Named & { pop: boolean; imap: boolean })[] | null;
}

export interface AdvancedAuditCheck extends Base<'advanced-audit'> {
  admins: { checked: number; unlicensed: Named[] } | null;
  vip: { checked: number; unlicensed: Named[]; complete: boolean } | 'not-configured' | null;
}

/** A Secure Score control the card shows (MFA, SSPR or legacy authentication related). */
export interface ScoreControl {
  id: string;
  title: string | null;
  score: number | null;
  maxScore: number | null;
  /** Default, Ignored, ThirdParty, Reviewed: the admin's latest state for the control. */
  state: string | null;
  actionUrl: string | null;
}

export interface SecureScoreCheck extends Base<'secure-score'> {
  current: number | null;
  max: number | null;
  at: string | null;
  controls: ScoreControl[];
}

export type PostureCheck =
  | CoverageCheck<'mfa-all'>
  | CoverageCheck<'legacy-auth'>
  | ConsentCheck
  | AdminSsprCheck
  | SsprCheck
  | ForwardingCheck
  | MailboxAuditCheck
  | SmtpPopImapCheck
  | AdvancedAuditCheck
  | SecureScoreCheck;

/** The whole posture: every check once, failing first (highest impact first), then can't tell, then passing. */
export interface PostureReport {
  checks: PostureCheck[];
  at: number;
}
