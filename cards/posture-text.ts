/** What the posture card says about each check: its name, why it matters, what to change, where the fix is documented. */
import type { CheckId } from '../services/posture/types';
import { own, type Own } from './text';

export interface CheckText {
  title: Own;
  why: Own;
  fix: Own;
  /** Microsoft's page that explains the fix. */
  docs: string;
  /** The reads the check makes and the permission each needs (as the README's table says). */
  reads: Own;
}

export const CHECK_TEXT: Readonly<Record<CheckId, CheckText>> = {
  'mfa-all': {
    title: own('1. MFA required for all users'),
    why: own('A phished password is enough to sign in to any account that MFA does not cover.'),
    fix: own(
      'Turn on security defaults, or enable a Conditional Access policy for All users and All cloud apps that requires MFA (or an authentication strength); keep exclusions to break-glass accounts.',
    ),
    docs: 'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength',
    reads: own(
      'Reads security defaults and Conditional Access policies (Policy.Read.All), the names of excluded users and groups (User.Read.All, GroupMember.Read.All).',
    ),
  },
  'legacy-auth': {
    title: own('2. Legacy authentication blocked'),
    why: own('POP, IMAP, SMTP and old Office clients cannot do MFA: password spraying goes straight through them.'),
    fix: own(
      'Enable (not report-only) a Conditional Access policy for All users and All cloud apps that blocks the client app types Exchange ActiveSync and Other clients, or turn on security defaults.',
    ),
    docs: 'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication',
    reads: own('Reads security defaults and Conditional Access policies (Policy.Read.All).'),
  },
  'auto-forwarding': {
    title: own('6. Automatic external forwarding blocked'),
    why: own(
      'A rule forwarding mail outside is the classic way a phished mailbox keeps leaking after the password is reset.',
    ),
    fix: own(
      'Set AutoForwardingMode to Off (or Automatic) in every outbound spam filter policy; allow forwarding only in a policy scoped to the few mailboxes that need it.',
    ),
    docs: 'https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding',
    reads: own(
      'Reads Get-HostedOutboundSpamFilterPolicy through the Exchange InvokeCommand proxy (Exchange.ManageAsApp; unsupported by Microsoft), and the last forwarding sweep.',
    ),
  },
  'user-consent': {
    title: own('3. Users cannot consent to risky apps'),
    why: own('Consent phishing gets a malicious app a token to the user’s mail and files without any password.'),
    fix: own(
      'Allow user consent only for apps from verified publishers with low-risk permissions (or not at all), and turn on the admin consent workflow so users can ask.',
    ),
    docs: 'https://learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent',
    reads: own('Reads the authorization policy and the admin consent request policy (Policy.Read.All).'),
  },
  'admin-sspr': {
    title: own('4. Admins not stuck in "More information required"'),
    why: own(
      'Administrators follow a separate two-gate SSPR policy: when their methods cannot meet it, sign-in keeps asking them to register, and they are trained to click through prompts.',
    ),
    fix: own(
      'Turn administrator SSPR on (allowedToUseSSPR = true) or scope user SSPR to a group without admins, and make sure each admin has two of: phone, email, Authenticator app.',
    ),
    docs: 'https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy#administrator-reset-policy-differences',
    reads: own(
      'Reads the authorization policy (Policy.Read.All) and the registration report (AuditLog.Read.All, Entra ID P1).',
    ),
  },
  'smtp-pop-imap': {
    title: own('8. SMTP AUTH, POP and IMAP off'),
    why: own('These protocols take a bare password: they are how sprayed or phished passwords are used without MFA.'),
    fix: own(
      'Disable SMTP client authentication at the transport level (Set-TransportConfig -SmtpClientAuthenticationDisabled $true) and POP/IMAP on mailboxes that do not need them (Set-CASMailbox).',
    ),
    docs: 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
    reads: own(
      'Reads Get-TransportConfig and Get-CASMailbox through the Exchange InvokeCommand proxy (Exchange.ManageAsApp; unsupported by Microsoft).',
    ),
  },
  'mailbox-audit': {
    title: own('7. Mailbox auditing on'),
    why: own('Without mailbox audit records an investigation cannot tell what an attacker read, sent or deleted.'),
    fix: own(
      'Keep AuditDisabled false (Set-OrganizationConfig), and turn auditing back on for each listed mailbox (Set-Mailbox -AuditEnabled $true).',
    ),
    docs: 'https://learn.microsoft.com/purview/audit-mailboxes',
    reads: own(
      'Reads Get-OrganizationConfig and Get-Mailbox -Filter "AuditEnabled -eq $false" through the documented Exchange Admin API v2.0 (Exchange.ManageAsAppV2).',
    ),
  },
  'advanced-audit': {
    title: own('9. Advanced auditing for admins and VIPs'),
    why: own('MailItemsAccessed, the record of which mails an attacker read, is logged only with Audit (Premium).'),
    fix: own(
      'Assign a licence that includes Audit (Premium) (M365_ADVANCED_AUDITING, e.g. E5 or the E5 Compliance add-on) to every admin and every member of the VIP group.',
    ),
    docs: 'https://learn.microsoft.com/purview/audit-premium-setup',
    reads: own(
      'Reads the registration report for admins (AuditLog.Read.All), the VIP group’s members (GroupMember.Read.All) and their licence details (LicenseAssignment.Read.All).',
    ),
  },
  sspr: {
    title: own('5. SSPR enabled and users registered'),
    why: own(
      'Users who cannot reset their own password call the helpdesk, and a helpdesk that resets passwords by phone is what attackers phone.',
    ),
    fix: own('Enable SSPR for all users and run a registration campaign until at least 90 % have registered.'),
    docs: 'https://learn.microsoft.com/entra/identity/authentication/tutorial-enable-sspr',
    reads: own('Reads the registration report (AuditLog.Read.All, Entra ID P1).'),
  },
  'secure-score': {
    title: own('10. Microsoft Secure Score'),
    why: own(
      'Secure Score tracks the same controls Microsoft measures against; the MFA, SSPR and legacy-auth ones matter most here.',
    ),
    fix: own('Open each control below that is short of its maximum and apply its improvement action.'),
    docs: 'https://learn.microsoft.com/defender-xdr/microsoft-secure-score-improvement-actions',
    reads: own('Reads security/secureScores and secureScoreControlProfiles (SecurityEvents.Read.All).'),
  },
};
